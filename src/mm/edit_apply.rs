//! The kernel half of `edit.rs` and `remap.rs`: `PageTables` for the real
//! page tables, and mremap on a process's memory.
//!
//! Moving an entry moves the reference its frame holds with it, so a
//! copy-on-write page stays shared (and counted) with the process it is
//! shared with, the zero frame and module frames stay uncounted, and a
//! shared-memory frame keeps its object's reference and the mapping's.

use super::addr::{PAGE_SIZE, VirtAddr};
use super::edit::{MemError, PageTables};
use super::frame::OutOfFrames;
use super::paging::AddressSpace;
use super::phys;
use super::pte::PageTableEntry;
use super::remap::{Env, Remap};
use super::user::{REGION_MIN_FRAMES, UserMemory};

/// The first address of the next 4 MiB (one page table's reach).
fn next_table(va: u32) -> u32 {
    (va | 0x3F_FFFF) + 1
}

impl PageTables for AddressSpace {
    fn unmap(&mut self, start: u32, end: u32) {
        self.unmap_range(VirtAddr::new(start), VirtAddr::new(end));
    }

    /// Entry by entry, skipping 4 MiB at a time where there is no page
    /// table; the source's page tables left empty are freed. If a page
    /// table for the destination cannot be had, what moved goes back.
    fn move_entries(&mut self, from: u32, to: u32, len: u32) -> Result<(), OutOfFrames> {
        let mut off = 0;
        while off < len {
            let src = VirtAddr::new(from + off);
            let Some(e) = self.entry(src) else {
                off = next_table(from + off) - from;
                continue;
            };
            if !e.is_unused() {
                if let Err(oom) = self.set_entry(VirtAddr::new(to + off), e) {
                    self.move_back(from, to, off);
                    return Err(oom);
                }
                // Clearing an entry in a page table that exists allocates
                // nothing; the old translation is flushed.
                let _ = self.set_entry(src, PageTableEntry::EMPTY);
            }
            off += PAGE_SIZE;
        }
        self.unmap_range(VirtAddr::new(from), VirtAddr::new(from + len));
        Ok(())
    }
}

impl AddressSpace {
    /// Undoes the first `done` bytes of a move from `from` to `to`: the
    /// source's page tables are all still there, so nothing is allocated.
    fn move_back(&mut self, from: u32, to: u32, done: u32) {
        for off in (0..done).step_by(PAGE_SIZE as usize) {
            let dst = VirtAddr::new(to + off);
            if let Some(e) = self.entry(dst).filter(|e| !e.is_unused()) {
                let _ = self.set_entry(VirtAddr::new(from + off), e);
                let _ = self.set_entry(dst, PageTableEntry::EMPTY);
            }
        }
        self.unmap_range(VirtAddr::new(to), VirtAddr::new(to + done));
    }
}

impl UserMemory {
    /// mremap, as `remap.rs` describes: resizes or moves a mapping; its
    /// pages move with their page-table entries, never copied. Refused
    /// (ENOMEM) while memory is all but gone, as mmap is.
    pub fn mremap(&mut self, req: Remap) -> Result<u32, MemError> {
        if phys::user_frames_available() < REGION_MIN_FRAMES {
            return Err(MemError::OutOfMemory);
        }
        let env = Env { floor: self.brk_start, total_frames: super::user::commit_pages() };
        super::remap::mremap(&mut self.map, &mut self.space, env, req)
    }
}

//! A process's user memory: its address space (page tables) and memory map
//! (regions), kept in step. brk, mmap, munmap, mprotect (and mremap, in
//! `edit_apply.rs`) edit both; fork copies them copy-on-write; the fault
//! handler fills pages in on demand.

use super::accounting::{data_segment_bytes, is_data, map_may_expand, pages_in, protect_stop};
use super::addr::{PAGE_SIZE, UserRange, VirtAddr, page_round_down, page_round_up};
use super::cache::Extent;
use super::edit::place;
use super::fault::apply::{Target, resolve};
use super::fault::decide::{KillReason, entry_allows};
use super::frame::OutOfFrames;
use super::layout::USER_END;
use super::paging::AddressSpace;
use super::phys;
use super::pte::{PageTableEntry, PteFlags};
use super::stats::MgStats;
use super::vma::{Backing, MapError, MemoryMap, Merge, Prot, Purpose, Region, SharedPages};
use crate::arch::x86::exception::{Access, PfError};

/// Where the stack ends (exclusive) and how much of it exists at exec.
pub const STACK_TOP: u32 = USER_END;
pub const INITIAL_STACK: u32 = 128 * 1024;
pub use super::edit::MemError;
pub use super::layout::MMAP_TOP;
/// mmap, mprotect and mremap refuse (ENOMEM) while fewer frames than this
/// are left.
pub(super) const REGION_MIN_FRAMES: u32 = 16;
/// brk may not grow to within this of the next mapping.
const BRK_GAP: u32 = PAGE_SIZE;

/// Where mmap puts a new region.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Placement {
    /// Anywhere; near this address if it is free (0: no preference).
    Hint(u32),
    /// Exactly here, replacing what was there (MAP_FIXED).
    Fixed(u32),
    /// Exactly here, but never over an existing mapping (MAP_FIXED_NOREPLACE).
    FixedNoReplace(u32),
}

/// The range mprotect changes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ProtectExtent {
    /// Exactly the pages asked for.
    Exact,
    /// Down to the start of the stack region that holds the first page
    /// (PROT_GROWSDOWN).
    DownToStackStart,
}

pub struct UserMemory {
    pub space: AddressSpace,
    pub map: MemoryMap,
    pub brk_start: u32,
    pub brk: u32,
    pub stats: MgStats,
    /// Where exec put the argument and environment strings, for
    /// /proc/<pid>/cmdline and environ (Linux's mm->arg_start..env_end).
    pub args: ArgArea,
    /// Where the swap clock looks next in this address space.
    pub clock_hand: u32,
}

/// The initial stack's string areas: argv's strings in
/// [arg_start, arg_end), the environment's in [env_start, env_end).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct ArgArea {
    pub arg_start: u32,
    pub arg_end: u32,
    pub env_start: u32,
    pub env_end: u32,
}

impl UserMemory {
    pub fn new() -> Result<Self, OutOfFrames> {
        Ok(Self {
            space: AddressSpace::new()?,
            map: MemoryMap::new(),
            brk_start: 0,
            brk: 0,
            stats: MgStats::default(),
            args: ArgArea::default(),
            clock_hand: 0,
        })
    }

    /// A copy-on-write copy for a child: page tables copied, frames shared.
    /// Private pages lose write permission in both (COW); shared-memory
    /// pages stay shared and writable. On failure nothing is left behind
    /// (the parent's pages are merely copy-on-write, which is harmless).
    pub fn fork(&mut self) -> Result<UserMemory, OutOfFrames> {
        let mut child = UserMemory::new()?;
        child.map = self.map.clone();
        child.map.fork_anon();
        child.brk_start = self.brk_start;
        child.brk = self.brk;
        child.args = self.args;
        let mut result = Ok(());
        let map = &self.map;
        // Entries come in address order: the region of the last one
        // usually holds the next, so the map is searched once per region.
        let mut region: Option<&super::vma::Region> = None;
        self.space.update_each_entry(|va, e| {
            if !region.is_some_and(|r| r.contains(va.as_u32())) {
                region = map.find(va.as_u32());
            }
            let shared = region.is_some_and(|r| r.is_shared());
            let flags = e.flags();
            let e = if shared || flags.intersects(PteFlags::ZERO) || !e.is_present() {
                e
            } else if flags.contains(PteFlags::WRITABLE) || region.is_some_and(|r| r.prot.writable()) {
                e.with_flags((flags - PteFlags::WRITABLE) | PteFlags::COW)
            } else {
                e
            };
            if result.is_ok() {
                match child.space.set_entry(va, e) {
                    Ok(_) => {
                        if e.is_present() && !e.flags().contains(PteFlags::ZERO) {
                            phys::add_ref(e.frame());
                        }
                        // A page on swap: the child's entry names the slot too.
                        if let Some(slot) = e.swap_slot() {
                            super::swap::area::dup(slot);
                        }
                    }
                    Err(oom) => result = Err(oom),
                }
            }
            e
        });
        result.map(|_| child)
    }

    /// Resolves a fault (from user mode, or on behalf of a system call).
    pub fn fault(&mut self, addr: u32, err: PfError) -> Result<(), KillReason> {
        self.fault_waited(addr, err, None)
    }

    /// `fault_with`, out of line (for the paths other than the trap's).
    #[inline(never)]
    pub fn fault_waited(&mut self, addr: u32, err: PfError, waited: Option<u32>) -> Result<(), KillReason> {
        self.fault_with(addr, err, waited)
    }

    /// `fault`, for a task that slept while swap's buffers read slot
    /// `waited` (see `Target`). Inlined, with the whole decision and its
    /// execution, into the trap path: under TCG every call's return is a
    /// lookup of the next translated block.
    #[inline(always)]
    pub fn fault_with(&mut self, addr: u32, err: PfError, waited: Option<u32>) -> Result<(), KillReason> {
        let r = resolve(
            &mut Target { space: &mut self.space, map: &mut self.map, waited, writing: false, region_writable: false },
            addr,
            err,
        )?;
        if r.grew_stack {
            self.stats.stack_growths += 1;
        }
        super::stats::count(&mut self.stats, r.event);
        super::stats_global::count(r.event);
        Ok(())
    }

    /// Makes every page of `range` accessible for `access`, faulting pages
    /// in as a user access would. `BadAddress` where the user could not
    /// access them either; `OutOfMemory` if memory ran out.
    pub fn ensure(&mut self, range: UserRange, access: Access) -> Result<(), MemError> {
        // The end of the readable region the last page was found in: the
        // pages up to it need no second lookup (until a fault, which may
        // change the map).
        let mut readable_until = 0u32;
        for page in range.pages() {
            let va = page.start();
            let e = self.space.entry(va).unwrap_or(PageTableEntry::EMPTY);
            let readable = |map: &MemoryMap, until: &mut u32| {
                va.as_u32() < *until
                    || map.find(va.as_u32()).filter(|r| r.prot.readable()).map(|r| *until = r.end.as_u32()).is_some()
            };
            if !entry_allows(e, access) || !readable(&self.map, &mut readable_until) {
                readable_until = 0;
                let mut err = PfError::USER;
                if e.is_present() {
                    err |= PfError::PRESENT;
                }
                if access == Access::Write {
                    err |= PfError::WRITE;
                }
                self.fault(va.as_u32(), err).map_err(|why| match why {
                    KillReason::OutOfMemory => MemError::OutOfMemory,
                    _ => MemError::BadAddress,
                })?;
            }
        }
        Ok(())
    }

    /// Unmaps `[start, end)` from the map and the page tables.
    pub fn unmap(&mut self, start: u32, end: u32) {
        self.map.remove(start, end);
        self.space.unmap_range(VirtAddr::new(start), VirtAddr::new(end));
    }

    /// Adds a region, replacing whatever was there (MAP_FIXED semantics).
    pub fn map_region(&mut self, region: Region) -> Result<(), MapError> {
        self.unmap(region.start.as_u32(), region.end.as_u32());
        self.map.insert_merged(region, Merge::Mmap)
    }

    /// Linux brk: returns the new break, or the old one if the request is
    /// refused (below the start, into another mapping, out of range, past
    /// RLIMIT_DATA or RLIMIT_AS, or a shrink with nothing mapped to drop).
    /// The heap grows by a region that merges with the one just below it
    /// where Linux would (mremap or munmap may have moved or cut the heap).
    pub fn set_brk(&mut self, new: u32) -> u32 {
        if new < self.brk_start || new > MMAP_TOP {
            return self.brk;
        }
        // Linux checks RLIMIT_DATA for a shrink too.
        if !self.map.limits.brk_fits(new - self.brk_start, data_segment_bytes(&self.map)) {
            return self.brk;
        }
        let (Some(old_end), Some(new_end)) = (page_round_up(self.brk), page_round_up(new)) else { return self.brk };
        if new_end > old_end {
            if self.map.overlaps(old_end, new_end.saturating_add(BRK_GAP))
                || !map_may_expand(&self.map, true, (new_end - old_end) / PAGE_SIZE)
                || !commit_fits(new_end - old_end)
            {
                return self.brk;
            }
            let heap = Region::anon(old_end..new_end, Prot::READ | Prot::WRITE, Purpose::Heap);
            if self.map.insert_merged(heap, Merge::Vma).is_err() {
                return self.brk;
            }
        } else if new_end < old_end {
            // Linux 6.1 shrinks only a break with something mapped below it.
            if !self.map.overlaps(new_end, old_end) {
                return self.brk;
            }
            self.unmap(new_end, old_end);
        }
        self.brk = new;
        self.brk
    }

    /// mmap: places and adds a region of `len` bytes; returns its address.
    /// `noreserve`: MAP_NORESERVE (which decides, on Linux, what it merges
    /// with).
    pub fn mmap(
        &mut self,
        at: Placement,
        len: u32,
        prot: Prot,
        backing: Backing,
        noreserve: bool,
    ) -> Result<u32, MemError> {
        // Regions live on the kernel heap: none are made when memory is
        // all but gone.
        if phys::user_frames_available() < REGION_MIN_FRAMES {
            return Err(MemError::OutOfMemory);
        }
        let len = page_round_up(len).ok_or(MemError::OutOfMemory)?;
        if len == 0 || len > USER_END {
            return Err(MemError::OutOfMemory);
        }
        let start = match at {
            Placement::Fixed(addr) | Placement::FixedNoReplace(addr) => {
                if !addr.is_multiple_of(PAGE_SIZE) {
                    return Err(MemError::Invalid);
                }
                if addr > USER_END - len {
                    return Err(MemError::OutOfMemory);
                }
                // Below MIN_ADDR is allowed: every process here is root, which
                // Linux lets map page zero (CAP_SYS_RAWIO).
                if matches!(at, Placement::FixedNoReplace(_)) && self.map.overlaps(addr, addr + len) {
                    return Err(MemError::Exists);
                }
                addr
            }
            Placement::Hint(hint) => place(&self.map, hint, len, self.brk_start).ok_or(MemError::OutOfMemory)?,
        };
        let mut region = Region::new(start..start + len, prot, backing, Purpose::Mmap).ok_or(MemError::OutOfMemory)?;
        if noreserve {
            region.anon = region.anon.without_reserve();
        }
        // RLIMIT_AS and RLIMIT_DATA, not counting what MAP_FIXED replaces
        // (Linux's mmap_region).
        if self.map.limits.any() {
            let pages = len / PAGE_SIZE - pages_in(&self.map, start, start + len);
            if !map_may_expand(&self.map, is_data(&region), pages) {
                return Err(MemError::OutOfMemory);
            }
        }
        self.map_region(region).map_err(|_| MemError::OutOfMemory)?;
        Ok(start)
    }

    /// munmap of a page-aligned range: `Invalid` for a bad one; unmapping
    /// nothing is fine.
    pub fn munmap(&mut self, start: u32, len: u32) -> Result<(), MemError> {
        super::edit::munmap(&mut self.map, &mut self.space, start, len)
    }

    /// mprotect: Linux's order of checks; the range is changed in address
    /// order up to the first unmapped page (ENOMEM), a region that may not
    /// become writable (EACCES) or one that would take private writable
    /// memory past RLIMIT_DATA (ENOMEM). Present pages get the new permission
    /// at once; copy-on-write and zero-frame pages stay read-only until
    /// written.
    pub fn mprotect(&mut self, start: u32, len: u32, prot: Prot, extent: ProtectExtent) -> Result<(), MemError> {
        if !start.is_multiple_of(PAGE_SIZE) {
            return Err(MemError::Invalid);
        }
        if len == 0 {
            return Ok(());
        }
        let end = page_round_up(len).and_then(|l| start.checked_add(l)).ok_or(MemError::Unmapped)?;
        if end > USER_END {
            return Err(MemError::Unmapped);
        }
        let start = match extent {
            ProtectExtent::Exact => start,
            ProtectExtent::DownToStackStart => match self.map.find(start) {
                Some(r) if r.purpose == Purpose::Stack => r.start.as_u32(),
                Some(_) => return Err(MemError::Invalid),
                None => return Err(MemError::Unmapped),
            },
        };
        if phys::user_frames_available() < REGION_MIN_FRAMES {
            return Err(MemError::OutOfMemory);
        }
        // RLIMIT_DATA may stop it part way, as a hole does.
        let stop = protect_stop(&self.map, start, end, prot);
        let until = stop.unwrap_or(end);
        let space = &mut self.space;
        let done = if until > start {
            self.map.protect_with(start, until, prot, |r| {
                for page in (r.start.as_u32()..r.end.as_u32()).step_by(PAGE_SIZE as usize) {
                    let va = VirtAddr::new(page);
                    let Some(e) = space.entry(va).filter(|e| e.is_present()) else { continue };
                    space.protect(va, protected_flags(e, prot, r.is_shared()));
                }
            })
        } else {
            Ok(())
        };
        done.map_err(|e| match e {
            MapError::Denied => MemError::Denied,
            MapError::TooMany => MemError::OutOfMemory,
            _ => MemError::Unmapped,
        })?;
        if stop.is_some() { Err(MemError::OutOfMemory) } else { Ok(()) }
    }

    /// madvise over `[start, end)` (page-aligned, checked by the caller).
    /// With `drop` (MADV_DONTNEED), the page-table entries of the mapped
    /// parts go: a private anonymous page reads as zero next time, a file
    /// or shared page as the file's or the shared object's again. The parts
    /// with no region are `Unmapped`, reported after the rest is done, as
    /// Linux does.
    pub fn advise(&mut self, start: u32, end: u32, drop: bool) -> Result<(), MemError> {
        let mut covered = 0u32;
        let mut at = start;
        while at < end {
            let Some(r) = self.map.find(at).or_else(|| self.map.next_above(at)) else { break };
            let (from, to) = (r.start.as_u32().max(at), r.end.as_u32().min(end));
            if from >= to {
                break;
            }
            covered += to - from;
            if drop {
                self.space.unmap_range(VirtAddr::new(from), VirtAddr::new(to));
            }
            at = to;
        }
        if covered == end - start { Ok(()) } else { Err(MemError::Unmapped) }
    }

    /// A file's pages from page `keep` on are gone (truncation): every
    /// entry of this map's mappings of the file there goes, so the next
    /// access is SIGBUS. As Linux's truncate_pagecache (`even_cows`), that
    /// includes the copies a private mapping made, and the zero frame over
    /// a hole: past the end of the file nothing of it may be seen.
    pub fn drop_file_pages(&mut self, file_id: u32, keep: u32) {
        for r in self.map.iter() {
            let Backing::Cache { file, first_page, extent: Extent::Live, .. } = &r.backing else { continue };
            let pages = r.len() / PAGE_SIZE;
            if file.id() != file_id || first_page.saturating_add(pages) <= keep {
                continue;
            }
            let from = r.start.as_u32() + keep.saturating_sub(*first_page) * PAGE_SIZE;
            for va in (from..r.end.as_u32()).step_by(PAGE_SIZE as usize) {
                let va = VirtAddr::new(va);
                self.space.unmap(va);
            }
        }
    }

    /// Present user pages, the zero frame not counted.
    pub fn swapped_pages(&self) -> u32 {
        let mut n = 0;
        self.space.for_each_entry(|_, e| {
            if e.swap_slot().is_some() {
                n += 1;
            }
        });
        n
    }

    pub fn resident_pages(&self) -> u32 {
        let mut n = 0;
        self.space.for_each_entry(|_, e| {
            if e.is_present() && !e.flags().contains(PteFlags::ZERO) {
                n += 1;
            }
        });
        n
    }

    /// The counters with the resident and page-table figures filled in.
    pub fn stats_now(&self) -> MgStats {
        MgStats {
            resident_pages: self.resident_pages(),
            page_tables: self.space.table_count() + 1,
            swapped_pages: self.swapped_pages(),
            ..self.stats
        }
    }
}

/// Linux's heuristic overcommit: one request for more memory than there is
/// in total is refused outright (ENOMEM); smaller ones always succeed, and
/// running out later kills the task that faults.
pub fn commit_fits(bytes: u32) -> bool {
    bytes / PAGE_SIZE <= commit_pages()
}

/// What the overcommit heuristic measures a request against: RAM and swap
/// (Linux's totalram_pages() + total_swap_pages).
pub fn commit_pages() -> u32 {
    phys::stats().total + super::swap::area::totals().0
}

/// The flags a present page gets under `prot`. PROT_NONE keeps the frame
/// but makes it supervisor-only, so any user access faults and is refused.
fn protected_flags(e: PageTableEntry, prot: Prot, shared: bool) -> PteFlags {
    let mut flags = e.flags() - PteFlags::WRITABLE - PteFlags::USER;
    if prot.readable() {
        flags |= PteFlags::USER;
    }
    let private_copy_pending = flags.intersects(PteFlags::ZERO | PteFlags::FILE | PteFlags::COW)
        || (!shared && phys::refs(e.frame()).shared());
    if prot.writable() && (shared || !private_copy_pending) {
        flags |= PteFlags::WRITABLE;
    }
    flags
}

/// Drops every reference a shared-memory object held (its `release` hook):
/// a frame's, or a swap slot's for a page the object keeps on swap.
pub fn release_shared_frame(frame_number: u32) {
    match super::swap::area::object_slot(frame_number) {
        Some(slot) => {
            super::swap::area::put(slot);
        }
        None => {
            let f = super::addr::Frame::from_number(frame_number);
            if phys::release(f) == super::frame::Release::Freed {
                // A page read back from swap may still be paired with its slot.
                super::swap::area::frame_gone(f);
            }
        }
    }
}

/// A new shared anonymous object of `pages` pages.
pub fn new_shared(pages: u32) -> alloc::sync::Arc<SharedPages> {
    SharedPages::new(release_shared_frame, pages)
}

/// Writes `bytes` at `va` in `mem` (not necessarily the loaded address
/// space), mapping fresh private pages where needed. Used by exec to build
/// the initial stack before the new address space is live.
pub fn write_into(mem: &mut UserMemory, va: u32, bytes: &[u8]) -> Result<(), OutOfFrames> {
    let mut done = 0usize;
    while done < bytes.len() {
        let addr = va + done as u32;
        let page = VirtAddr::new(page_round_down(addr));
        let frame = match mem.space.entry(page).filter(|e| e.is_present()) {
            Some(e) => e.frame(),
            None => {
                let f = super::kmap::alloc_user_zeroed()?;
                if let Err(e) = mem.space.map(page, f, PteFlags::USER | PteFlags::WRITABLE) {
                    let _ = phys::release(f);
                    return Err(e);
                }
                f
            }
        };
        let off = VirtAddr::new(addr).page_offset() as usize;
        let n = (PAGE_SIZE as usize - off).min(bytes.len() - done);
        super::kmap::FrameWindow::new(frame).bytes()[off..off + n].copy_from_slice(&bytes[done..done + n]);
        done += n;
    }
    Ok(())
}

#[cfg(test)]
#[path = "user_tests.rs"]
mod kernel_tests;

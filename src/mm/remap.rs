//! mremap (163) as Linux 6.1 does it (mm/mremap.c), over a memory map and
//! the `PageTables` that cache it. Pure (host-tested in remap_tests.rs).
//!
//! Linux's order decides which error a bad call gets, and what was already
//! done when it fails:
//!
//! 1. flags: unknown bits, FIXED without MAYMOVE, DONTUNMAP without MAYMOVE
//!    or with two different (raw) lengths → EINVAL; old_address unaligned →
//!    EINVAL; both lengths rounded up to pages as PAGE_ALIGN does (wrapping:
//!    0xFFFFF001 and up become 0); a new length of 0 → EINVAL;
//! 2. no mapping at old_address → EFAULT;
//! 3. FIXED or DONTUNMAP: `remap_to`, below;
//! 4. not growing: the old range's tail is unmapped (with munmap's checks,
//!    which count only when the length changes) → old_address;
//! 5. growing: `resize_target`'s checks; in place when the range ends where
//!    its region does and the pages after it are free; else moved (MAYMOVE)
//!    to where mmap would put it; else ENOMEM.
//!
//! `remap_to`: new_address unaligned, the new range past the user half or
//! overlapping the old one → EINVAL; too many regions → ENOMEM; FIXED
//! unmaps the new range, then a shrink unmaps the old range's tail; then
//! `resize_target`; DONTUNMAP needs room for the copy under RLIMIT_AS and
//! RLIMIT_DATA; the new place is new_address (FIXED) or found with it as
//! a hint.
//!
//! A move takes the page-table entries along — frames, reference counts,
//! copy-on-write and zero-frame marks as they are, nothing copied — and the
//! region's backing (shared object and page, file offset); then the old
//! range is unmapped, or with DONTUNMAP left mapped but empty: private
//! anonymous memory reads as zero there again, a shared or file page as the
//! object's. An old length of 0 on a shared mapping maps the same pages a
//! second time (on a private one it is EINVAL).

use super::accounting::{is_data, map_may_expand};
use super::addr::PAGE_SIZE;
use super::edit::{MemError, PageTables, munmap, place};
use super::layout::USER_END;
use super::vma::{MAX_REGIONS, MemoryMap, Merge, Region};
use bitflags::bitflags;

bitflags! {
    /// mremap's flags (MREMAP_*).
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct RemapFlags: u32 {
        /// The mapping may move to another address.
        const MAYMOVE = 1;
        /// It moves to exactly `new_address`, replacing what is there.
        const FIXED = 2;
        /// The old range stays mapped (and empty) after the move.
        const DONTUNMAP = 4;
    }
}

/// One mremap call, its arguments as the user gave them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Remap {
    pub addr: u32,
    pub old_len: u32,
    pub new_len: u32,
    pub flags: u32,
    pub new_addr: u32,
}

/// What a remap needs to know besides the map.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Env {
    /// A mapping that moves is never put below this (mmap's floor: above
    /// the heap's start).
    pub floor: u32,
    /// Frames of RAM: one growth of a private writable mapping by more
    /// than this is refused (Linux's heuristic overcommit).
    pub total_frames: u32,
}

/// Linux's PAGE_ALIGN on a 32-bit unsigned long: wraps to 0 at the top.
fn page_align(len: u32) -> u32 {
    len.wrapping_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// Performs `req` on `map` and `pt`; returns the mapping's (new) address.
pub fn mremap(map: &mut MemoryMap, pt: &mut impl PageTables, env: Env, req: Remap) -> Result<u32, MemError> {
    let flags = RemapFlags::from_bits(req.flags).ok_or(MemError::Invalid)?;
    let may_move = flags.contains(RemapFlags::MAYMOVE);
    if flags.contains(RemapFlags::FIXED) && !may_move {
        return Err(MemError::Invalid);
    }
    if flags.contains(RemapFlags::DONTUNMAP) && (!may_move || req.old_len != req.new_len) {
        return Err(MemError::Invalid);
    }
    if !req.addr.is_multiple_of(PAGE_SIZE) {
        return Err(MemError::Invalid);
    }
    let (addr, old_len, new_len) = (req.addr, page_align(req.old_len), page_align(req.new_len));
    if new_len == 0 {
        return Err(MemError::Invalid);
    }
    if map.find(addr).is_none() {
        return Err(MemError::BadAddress);
    }
    let mut m = Remapper { map, pt, env };
    if flags.intersects(RemapFlags::FIXED | RemapFlags::DONTUNMAP) {
        return m.remap_to(addr, old_len, new_len, flags, req.new_addr);
    }
    if old_len >= new_len {
        // Linux's unsigned long arithmetic: a tail past 4 GiB wraps.
        if old_len > new_len {
            munmap(m.map, m.pt, addr.wrapping_add(new_len), old_len - new_len)?;
        }
        return Ok(addr);
    }
    let r = m.resize_target(addr, old_len, new_len)?;
    let delta = new_len - old_len;
    if old_len == r.end.as_u32() - addr && m.expandable(&r, delta) {
        if accountable(&r) && !m.commit_fits(delta) {
            return Err(MemError::OutOfMemory);
        }
        // Linux merges the extension in (and with the next region, if alike).
        let ext = r.extension(delta).ok_or(MemError::OutOfMemory)?;
        m.map.insert_merged(ext, Merge::Vma).map_err(|_| MemError::OutOfMemory)?;
        return Ok(addr);
    }
    if !may_move {
        return Err(MemError::OutOfMemory);
    }
    let to = place(m.map, 0, new_len, m.env.floor).ok_or(MemError::OutOfMemory)?;
    m.move_region(&r, addr, old_len, new_len, to, flags)
}

/// Linux's VM_ACCOUNT: private writable memory is charged against RAM.
fn accountable(r: &Region) -> bool {
    r.prot.writable() && !r.may_share()
}

struct Remapper<'a, P: PageTables> {
    map: &'a mut MemoryMap,
    pt: &'a mut P,
    env: Env,
}

impl<P: PageTables> Remapper<'_, P> {
    /// Linux's mremap_to: the FIXED and DONTUNMAP forms.
    fn remap_to(
        &mut self,
        addr: u32,
        old_len: u32,
        new_len: u32,
        flags: RemapFlags,
        new_addr: u32,
    ) -> Result<u32, MemError> {
        if !new_addr.is_multiple_of(PAGE_SIZE) || new_len > USER_END || new_addr > USER_END - new_len {
            return Err(MemError::Invalid);
        }
        if addr.wrapping_add(old_len) > new_addr && new_addr.wrapping_add(new_len) > addr {
            return Err(MemError::Invalid);
        }
        // Room for both ranges to be cut in three, as Linux makes sure of.
        if self.map.len() + 2 >= MAX_REGIONS - 3 {
            return Err(MemError::OutOfMemory);
        }
        let fixed = flags.contains(RemapFlags::FIXED);
        if fixed {
            munmap(self.map, self.pt, new_addr, new_len)?;
        }
        let mut old_len = old_len;
        if old_len > new_len {
            munmap(self.map, self.pt, addr.wrapping_add(new_len), old_len - new_len)?;
            old_len = new_len;
        }
        let r = self.resize_target(addr, old_len, new_len)?;
        // The old range stays: the copy counts in full.
        if flags.contains(RemapFlags::DONTUNMAP) && !map_may_expand(self.map, is_data(&r), old_len / PAGE_SIZE) {
            return Err(MemError::OutOfMemory);
        }
        let to = if fixed {
            new_addr
        } else {
            place(self.map, new_addr, new_len, self.env.floor).ok_or(MemError::OutOfMemory)?
        };
        self.move_region(&r, addr, old_len, new_len, to, flags)
    }

    /// Linux's vma_to_resize: the region holding the old range, if the
    /// range may become `new_len` long (`old_len <= new_len`).
    fn resize_target(&self, addr: u32, old_len: u32, new_len: u32) -> Result<Region, MemError> {
        let r = self.map.find(addr).ok_or(MemError::BadAddress)?;
        // A second mapping of private memory would not be the same memory.
        if old_len == 0 && !r.may_share() {
            return Err(MemError::Invalid);
        }
        // The old range may not run past its region.
        if old_len > r.end.as_u32() - addr {
            return Err(MemError::BadAddress);
        }
        if new_len > old_len && !map_may_expand(self.map, is_data(r), (new_len - old_len) / PAGE_SIZE) {
            return Err(MemError::OutOfMemory);
        }
        Ok(r.clone())
    }

    /// Linux's vma_expandable: are the `delta` bytes after `r` free and in
    /// the user half?
    fn expandable(&self, r: &Region, delta: u32) -> bool {
        let end = r.end.as_u32();
        end.checked_add(delta).is_some_and(|new_end| new_end <= USER_END && !self.map.overlaps(end, new_end))
    }

    fn commit_fits(&self, bytes: u32) -> bool {
        bytes / PAGE_SIZE <= self.env.total_frames
    }

    /// Linux's move_vma: a new region at `to`, `new_len` long, backed as
    /// `[addr, addr + old_len)` of `r` was; the entries move over; the old
    /// range goes unless DONTUNMAP. On failure nothing has changed.
    fn move_region(
        &mut self,
        r: &Region,
        addr: u32,
        old_len: u32,
        new_len: u32,
        to: u32,
        flags: RemapFlags,
    ) -> Result<u32, MemError> {
        if self.map.len() >= MAX_REGIONS - 3 {
            return Err(MemError::OutOfMemory);
        }
        let keep_old = flags.contains(RemapFlags::DONTUNMAP);
        let charge = if keep_old { new_len } else { new_len - old_len };
        if accountable(r) && !self.commit_fits(charge) {
            return Err(MemError::OutOfMemory);
        }
        let new = r.moved(addr, to, new_len).ok_or(MemError::OutOfMemory)?;
        self.map.insert_merged(new, Merge::Vma).map_err(|_| MemError::OutOfMemory)?;
        if self.pt.move_entries(addr, to, old_len).is_err() {
            self.map.remove(to, to + new_len);
            return Err(MemError::OutOfMemory);
        }
        if keep_old {
            // All of a region moved: Linux unlinks its anon_vma.
            if self.map.find(addr).is_some_and(|o| o.start == addr && o.end.as_u32() - addr == old_len) {
                self.map.drop_anon(addr);
            }
        } else if old_len > 0 {
            self.map.remove(addr, addr + old_len);
            // No entries are left there; this frees the page tables.
            self.pt.unmap(addr, addr + old_len);
        }
        Ok(to)
    }
}

#[cfg(all(test, not(target_os = "none")))]
#[path = "remap_tests.rs"]
mod tests;

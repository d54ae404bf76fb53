//! Changes to a memory map that must keep the page tables in step, written
//! once against the `PageTables` they need: the kernel's `AddressSpace`
//! does the work, a recording fake stands in for it in the host tests.
//! Here: the errors, munmap, and where mmap and mremap put a new mapping.
//! Pure (host-tested, with mremap in `remap.rs`).

use super::addr::{PAGE_SIZE, page_round_down, page_round_up};
use super::frame::OutOfFrames;
use super::layout::{MIN_ADDR, MMAP_TOP, USER_END};
use super::vma::MemoryMap;

/// Why a change to user memory was refused. `syscall` turns each into the
/// errno Linux gives for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MemError {
    /// A malformed request: misaligned, empty where it may not be, or
    /// PROT_GROWSDOWN outside a stack (EINVAL).
    Invalid,
    /// No frames, no room in the address space, a limit reached, or too
    /// many regions (ENOMEM).
    OutOfMemory,
    /// Part of the range is not mapped (Linux says ENOMEM for this too).
    Unmapped,
    /// MAP_FIXED_NOREPLACE over an existing mapping (EEXIST).
    Exists,
    /// Write permission asked of a mapping that may not be written (EACCES).
    Denied,
    /// Memory the user could not access either, or (mremap) a range that
    /// is not within one mapping (EFAULT).
    BadAddress,
}

/// What a change to the map does to the page tables.
pub trait PageTables {
    /// Drops the entries of `[start, end)` with the frame references they
    /// held (page-aligned bounds).
    fn unmap(&mut self, start: u32, end: u32);
    /// Moves the entries of `[from, from + len)`, frame references and
    /// flags (copy-on-write, zero frame, file) as they are, to
    /// `[to, to + len)`, which holds none. All or nothing: on
    /// `OutOfFrames` (no frame for a page table) nothing has moved.
    fn move_entries(&mut self, from: u32, to: u32, len: u32) -> Result<(), OutOfFrames>;
}

/// munmap of `len` bytes at `start`, with Linux's checks (`Invalid` for
/// an unaligned, empty or kernel-reaching range; `OutOfMemory` when a cut
/// would leave too many regions). Unmapping nothing is fine.
pub fn munmap(map: &mut MemoryMap, pt: &mut impl PageTables, start: u32, len: u32) -> Result<(), MemError> {
    let end = page_round_up(len).and_then(|l| start.checked_add(l)).ok_or(MemError::Invalid)?;
    if len == 0 || !start.is_multiple_of(PAGE_SIZE) || end > USER_END {
        return Err(MemError::Invalid);
    }
    if map.remove_would_exceed(start, end) {
        return Err(MemError::OutOfMemory);
    }
    map.remove(start, end);
    pt.unmap(start, end);
    Ok(())
}

/// msync's flags (Linux's MS_*).
pub const MS_ASYNC: u32 = 1;
pub const MS_INVALIDATE: u32 = 2;
pub const MS_SYNC: u32 = 4;

/// msync of `len` bytes at `start`, with Linux's checks in its order:
/// `Invalid` for an unknown flag, an unaligned start or MS_ASYNC with
/// MS_SYNC; `Unmapped` (ENOMEM) for a range that wraps, or that covers an
/// unmapped page — at once for a plain MS_ASYNC, else after the mapped
/// parts are done. Memory is the storage here, so there is nothing to
/// write back, and no page is locked (MS_INVALIDATE's EBUSY).
pub fn msync(map: &MemoryMap, start: u32, len: u32, flags: u32) -> Result<(), MemError> {
    if flags & !(MS_ASYNC | MS_INVALIDATE | MS_SYNC) != 0
        || !start.is_multiple_of(PAGE_SIZE)
        || (flags & MS_ASYNC != 0 && flags & MS_SYNC != 0)
    {
        return Err(MemError::Invalid);
    }
    // In 32 bits, as Linux rounds: a length that rounds up past 4 GiB is 0.
    let len = len.wrapping_add(PAGE_SIZE - 1) & !(PAGE_SIZE - 1);
    let Some(end) = start.checked_add(len).map(u64::from) else { return Err(MemError::Unmapped) };
    let mut at = u64::from(start);
    let mut unmapped = false;
    while at < end {
        // The first region ending above `at` (Linux's find_vma).
        let Some(r) = map.find(at as u32).or_else(|| map.next_above(at as u32)) else {
            return Err(MemError::Unmapped);
        };
        if at < u64::from(r.start.as_u32()) {
            if flags == MS_ASYNC {
                return Err(MemError::Unmapped);
            }
            unmapped = true;
        }
        at = u64::from(r.end.as_u32());
    }
    if unmapped { Err(MemError::Unmapped) } else { Ok(()) }
}

/// Where a mapping of `len` bytes (page-aligned, non-zero) goes when its
/// place is not fixed: at `hint` if that much is free there (a hint below
/// mmap_min_addr is raised to it, as on Linux), else in the highest gap
/// below MMAP_TOP that starts at or above `floor`. `None`: no room.
pub fn place(map: &MemoryMap, hint: u32, len: u32, floor: u32) -> Option<u32> {
    if len == 0 || len > USER_END {
        return None;
    }
    let hint = if hint != 0 && hint < MIN_ADDR { MIN_ADDR } else { page_round_down(hint) };
    if hint >= MIN_ADDR && hint <= USER_END - len && !map.overlaps(hint, hint + len) {
        return Some(hint);
    }
    map.find_free_top_down(len, MMAP_TOP, MIN_ADDR.max(floor))
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use crate::mm::vma::{Prot, Purpose, Region};
    use alloc::vec::Vec;

    /// Page tables as a list of what was asked of them.
    #[derive(Default)]
    struct Log(Vec<(u32, u32)>);

    impl PageTables for Log {
        fn unmap(&mut self, start: u32, end: u32) {
            self.0.push((start, end));
        }
        fn move_entries(&mut self, _: u32, _: u32, _: u32) -> Result<(), OutOfFrames> {
            unreachable!("munmap moves nothing")
        }
    }

    #[test]
    fn munmap_checks_then_unmaps_map_and_tables() {
        let mut m = MemoryMap::new();
        m.insert(Region::anon(0x1000_0000..0x1000_3000, Prot::READ, Purpose::Mmap)).unwrap();
        let mut log = Log::default();
        assert_eq!(munmap(&mut m, &mut log, 0x1000_0001, 4096), Err(MemError::Invalid));
        assert_eq!(munmap(&mut m, &mut log, 0x1000_0000, 0), Err(MemError::Invalid));
        assert_eq!(munmap(&mut m, &mut log, 0xBFFF_F000, 0x2000), Err(MemError::Invalid));
        assert_eq!(munmap(&mut m, &mut log, 0x1000_0000, 0xFFFF_FFFF), Err(MemError::Invalid));
        assert!(log.0.is_empty(), "nothing done on a refusal");
        assert_eq!(munmap(&mut m, &mut log, 0x1000_1000, 1), Ok(()));
        assert_eq!(log.0, [(0x1000_1000, 0x1000_2000)]);
        assert_eq!(m.len(), 2);
        assert_eq!(munmap(&mut m, &mut log, 0x5000_0000, 0x1000), Ok(()), "nothing there is fine");
    }

    #[test]
    fn msync_checks_as_linux() {
        let mut m = MemoryMap::new();
        m.insert(Region::anon(0x1000_0000..0x1000_2000, Prot::READ, Purpose::Mmap)).unwrap();
        m.insert(Region::anon(0x1000_3000..0x1000_4000, Prot::READ, Purpose::Mmap)).unwrap();
        let at = 0x1000_0000;
        assert_eq!(msync(&m, at, 4096, 8), Err(MemError::Invalid), "unknown flag");
        assert_eq!(msync(&m, at + 1, 4096, MS_SYNC), Err(MemError::Invalid), "unaligned");
        assert_eq!(msync(&m, at, 4096, MS_SYNC | MS_ASYNC), Err(MemError::Invalid));
        assert_eq!(msync(&m, 0xFFFF_F000, 0x2000, MS_SYNC), Err(MemError::Unmapped), "wraps");
        assert_eq!(msync(&m, 0x5000_0000, 0, MS_SYNC), Ok(()), "empty: nothing to check");
        assert_eq!(msync(&m, 0x5000_0000, 0xFFFF_FFFF, MS_SYNC), Ok(()), "rounds to 0");
        assert_eq!(msync(&m, at, 0x2000, MS_SYNC | MS_INVALIDATE), Ok(()));
        assert_eq!(msync(&m, at, 1, 0), Ok(()), "no flag is fine");
        assert_eq!(msync(&m, at, 0x4000, MS_SYNC), Err(MemError::Unmapped), "a hole");
        assert_eq!(msync(&m, at, 0x4000, MS_ASYNC), Err(MemError::Unmapped));
        assert_eq!(msync(&m, at + 0x2000, 0x1000, MS_SYNC), Err(MemError::Unmapped), "all hole");
        assert_eq!(msync(&m, at, 0x5000, 0), Err(MemError::Unmapped), "past the last");
        assert_eq!(msync(&m, 0x0800_0000, 0x1000, MS_ASYNC), Err(MemError::Unmapped));
    }

    #[test]
    fn placement_takes_a_free_hint_or_the_highest_gap() {
        let mut m = MemoryMap::new();
        m.insert(Region::anon(0x4000_0000..0x4000_1000, Prot::READ, Purpose::Mmap)).unwrap();
        assert_eq!(place(&m, 0x5000_0123, 0x1000, 0), Some(0x5000_0000));
        assert_eq!(place(&m, 0x1000, 0x1000, 0), Some(MIN_ADDR), "raised to mmap_min_addr");
        assert_eq!(place(&m, 0x4000_0000, 0x1000, 0), Some(MMAP_TOP - 0x1000), "taken: top down");
        assert_eq!(place(&m, 0xBFFF_F000, 0x2000, 0), Some(MMAP_TOP - 0x2000), "past the user half");
        assert_eq!(place(&m, 0, 0xC000_0000, 0), None);
        assert_eq!(place(&m, 0, 0xF000_0000, 0), None);
        assert_eq!(place(&m, 0, MMAP_TOP, 0), None, "no gap reaches down to 0");
    }
}

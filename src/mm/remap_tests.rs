//! Host tests of mremap: Linux's argument checks in its order, shrinking,
//! growing in place, moving (FIXED, DONTUNMAP, duplicating shared memory),
//! the limits, and a failed move that leaves everything as it was. The
//! page tables are a fake that holds one tag per page.

use super::*;
use crate::mm::frame::OutOfFrames;
use crate::mm::limits::MemLimits;
use crate::mm::vma::{Backing, PastEof, Prot, Purpose, SharedPages};
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

const RW: Prot = Prot::READ.union(Prot::WRITE);
const P: u32 = PAGE_SIZE;
const MAYMOVE: u32 = 1;
const FIXED: u32 = 2;
const DONTUNMAP: u32 = 4;
const ENV: Env = Env { floor: 0x0800_0000, total_frames: 32768 };

/// Page tables as a map from page address to a tag (which frame).
#[derive(Default, Clone, PartialEq, Debug)]
struct Fake {
    entries: BTreeMap<u32, u32>,
    /// The next move runs out of frames.
    fail_move: bool,
}

impl PageTables for Fake {
    fn unmap(&mut self, start: u32, end: u32) {
        self.entries.retain(|&a, _| a < start || a >= end);
    }
    fn move_entries(&mut self, from: u32, to: u32, len: u32) -> Result<(), OutOfFrames> {
        if self.fail_move {
            return Err(OutOfFrames);
        }
        let moving: Vec<(u32, u32)> = self.entries.range(from..from + len).map(|(&a, &t)| (a, t)).collect();
        for (a, t) in moving {
            self.entries.remove(&a);
            assert!(self.entries.insert(a - from + to, t).is_none(), "moved onto an entry");
        }
        Ok(())
    }
}

/// A map with `ranges` of private anonymous memory, every page present
/// with its address as the tag.
fn setup(ranges: &[(u32, u32)]) -> (MemoryMap, Fake) {
    let mut m = MemoryMap::new();
    let mut pt = Fake::default();
    for &(s, e) in ranges {
        m.insert(Region::anon(s..e, RW, Purpose::Mmap)).unwrap();
        for a in (s..e).step_by(P as usize) {
            pt.entries.insert(a, a);
        }
    }
    (m, pt)
}

fn call(
    m: &mut MemoryMap,
    pt: &mut Fake,
    addr: u32,
    old_len: u32,
    new_len: u32,
    flags: u32,
    new_addr: u32,
) -> Result<u32, MemError> {
    mremap(m, pt, ENV, Remap { addr, old_len, new_len, flags, new_addr })
}

fn spans(m: &MemoryMap) -> Vec<(u32, u32)> {
    m.iter().map(|r| (r.start.as_u32(), r.end.as_u32())).collect()
}

const A: u32 = 0x4000_0000;

#[test]
fn argument_checks_in_linux_order() {
    let (mut m, mut pt) = setup(&[(A, A + 4 * P)]);
    let before = (spans(&m), pt.clone());
    let mut c = |addr, old, new, flags, to| call(&mut m, &mut pt, addr, old, new, flags, to);
    assert_eq!(c(A, P, 2 * P, 8, 0), Err(MemError::Invalid), "unknown flag");
    assert_eq!(c(A, P, 2 * P, FIXED, 0x5000_0000), Err(MemError::Invalid), "FIXED without MAYMOVE");
    assert_eq!(c(A, P, P, DONTUNMAP, 0), Err(MemError::Invalid), "DONTUNMAP without MAYMOVE");
    assert_eq!(c(A, P, P - 1, DONTUNMAP | MAYMOVE, 0), Err(MemError::Invalid), "raw lengths differ");
    assert_eq!(c(A + 1, P, 2 * P, 0, 0), Err(MemError::Invalid), "unaligned");
    assert_eq!(c(0x6000_0001, P, 2 * P, 0, 0), Err(MemError::Invalid), "unaligned before unmapped");
    assert_eq!(c(A, P, 0, 0, 0), Err(MemError::Invalid), "new length 0");
    assert_eq!(c(A, P, 0xFFFF_F001, 0, 0), Err(MemError::Invalid), "new length rounds to 0");
    assert_eq!(c(0x6000_0000, P, P, 0, 0), Err(MemError::BadAddress), "nothing mapped");
    assert_eq!(c(0x6000_0000, P, P, FIXED | MAYMOVE, 1), Err(MemError::BadAddress), "EFAULT before EINVAL");
    assert_eq!(c(A, P, P, FIXED | MAYMOVE, 0x5000_0001), Err(MemError::Invalid), "new address unaligned");
    assert_eq!(c(A, P, P, FIXED | MAYMOVE, 0xBFFF_F000 + P), Err(MemError::Invalid), "past the user half");
    assert_eq!(c(A, 2 * P, 2 * P, FIXED | MAYMOVE, A + P), Err(MemError::Invalid), "overlap");
    assert_eq!(c(A, 2 * P, 4 * P, FIXED | MAYMOVE, A - 2 * P), Err(MemError::Invalid), "overlap from below");
    assert_eq!(c(A, 5 * P, 6 * P, 0, 0), Err(MemError::BadAddress), "old range runs past its region");
    assert_eq!(c(A, 0, 2 * P, MAYMOVE, 0), Err(MemError::Invalid), "duplicating private memory");
    assert_eq!(c(A, 0xFFFF_FFFF, P, 0, 0), Err(MemError::Invalid), "old length rounds to 0: a duplicate");
    assert_eq!((spans(&m), pt), before, "nothing changed");
}

#[test]
fn same_length_and_shrinking() {
    let (mut m, mut pt) = setup(&[(A, A + 4 * P), (A + 6 * P, A + 8 * P)]);
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 4 * P, 0, 0), Ok(A));
    assert_eq!(call(&mut m, &mut pt, A, 100 * P, 100 * P, 0, 0), Ok(A), "unchecked when the length stays");
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 3 * P + 1, 0, 0), Ok(A));
    assert_eq!(spans(&m), [(A, A + 4 * P), (A + 6 * P, A + 8 * P)], "rounded up: no change");
    // Shrinking unmaps the tail, across holes and other regions too.
    assert_eq!(call(&mut m, &mut pt, A, 7 * P, P, 0, 0), Ok(A));
    assert_eq!(spans(&m), [(A, A + P), (A + 7 * P, A + 8 * P)]);
    assert_eq!(pt.entries.keys().copied().collect::<Vec<_>>(), [A, A + 7 * P]);
    assert_eq!(call(&mut m, &mut pt, A, 0xFFFF_E000, P, 0, 0), Err(MemError::Invalid), "munmap's check");
}

#[test]
fn growing_in_place_and_not() {
    let (mut m, mut pt) = setup(&[(A, A + 2 * P), (A + 4 * P, A + 5 * P)]);
    m.protect(A + 4 * P, A + 5 * P, Prot::READ).1.unwrap();
    assert_eq!(call(&mut m, &mut pt, A, 2 * P, 4 * P, 0, 0), Ok(A), "the two pages after are free");
    assert_eq!(spans(&m), [(A, A + 4 * P), (A + 4 * P, A + 5 * P)]);
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 5 * P, 0, 0), Err(MemError::OutOfMemory), "next page taken");
    assert_eq!(call(&mut m, &mut pt, A, P, 2 * P, 0, 0), Err(MemError::OutOfMemory), "range ends inside");
    // Grown up to an alike region, it merges with it, as Linux's vma_merge does.
    m.protect(A + 4 * P, A + 5 * P, RW).1.unwrap();
    assert_eq!(spans(&m), [(A, A + 5 * P)], "alike now: merged by mprotect");
    let (mut m, mut pt) = setup(&[(A, A + 2 * P), (A + 3 * P, A + 4 * P)]);
    assert_eq!(call(&mut m, &mut pt, A, 2 * P, 3 * P, 0, 0), Ok(A));
    assert_eq!(spans(&m), [(A, A + 4 * P)]);
    let (mut m, mut pt) = setup(&[(0xBFFF_E000, 0xC000_0000)]);
    assert_eq!(call(&mut m, &mut pt, 0xBFFF_E000, 2 * P, 3 * P, 0, 0), Err(MemError::OutOfMemory), "user half");
}

#[test]
fn moving_takes_the_entries_and_unmaps_the_old_range() {
    let (mut m, mut pt) = setup(&[(A, A + 4 * P), (A + 4 * P, A + 5 * P)]);
    m.protect(A + 4 * P, A + 5 * P, Prot::READ).1.unwrap();
    let to = call(&mut m, &mut pt, A + P, 2 * P, 8 * P, MAYMOVE, 0).unwrap();
    assert_eq!(to, crate::mm::layout::MMAP_TOP - 8 * P, "where mmap would put it");
    assert_eq!(spans(&m), [(A, A + P), (A + 3 * P, A + 4 * P), (A + 4 * P, A + 5 * P), (to, to + 8 * P)]);
    let tags: Vec<(u32, u32)> = pt.entries.iter().map(|(&a, &t)| (a, t)).collect();
    assert_eq!(tags, [(A, A), (A + 3 * P, A + 3 * P), (A + 4 * P, A + 4 * P), (to, A + P), (to + P, A + 2 * P)]);
}

#[test]
fn fixed_replaces_the_target_first() {
    let (mut m, mut pt) = setup(&[(A, A + 2 * P), (0x5000_0000, 0x5000_4000)]);
    assert_eq!(call(&mut m, &mut pt, A, 2 * P, 3 * P, FIXED | MAYMOVE, 0x5000_1000), Ok(0x5000_1000));
    assert_eq!(spans(&m), [(0x5000_0000, 0x5000_4000)], "merged with what is left of the old one");
    assert_eq!(pt.entries.get(&0x5000_1000), Some(&A), "the moved page");
    assert_eq!(pt.entries.get(&0x5000_2000), Some(&(A + P)));
    assert_eq!(pt.entries.get(&0x5000_3000), None, "the replaced page is gone; the new one untouched");
    // Shrinking while moving: the tail goes first.
    let (mut m, mut pt) = setup(&[(A, A + 4 * P)]);
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, P, FIXED | MAYMOVE, 0x5000_0000), Ok(0x5000_0000));
    assert_eq!(spans(&m), [(0x5000_0000, 0x5000_1000)]);
    // EFAULT after the target was unmapped: Linux has unmapped it too.
    let (mut m, mut pt) = setup(&[(A, A + P), (0x5000_0000, 0x5000_1000)]);
    assert_eq!(call(&mut m, &mut pt, A, 2 * P, 2 * P, FIXED | MAYMOVE, 0x5000_0000), Err(MemError::BadAddress));
    assert_eq!(spans(&m), [(A, A + P)]);
}

#[test]
fn dontunmap_leaves_the_old_range_mapped_and_empty() {
    let (mut m, mut pt) = setup(&[(A, A + 2 * P)]);
    assert_eq!(call(&mut m, &mut pt, A, 2 * P, 2 * P, DONTUNMAP | MAYMOVE, 0x5000_0000), Ok(0x5000_0000));
    assert_eq!(spans(&m), [(A, A + 2 * P), (0x5000_0000, 0x5000_2000)]);
    assert_eq!(pt.entries.keys().copied().collect::<Vec<_>>(), [0x5000_0000, 0x5000_1000]);
    // The hint taken: elsewhere.
    let to = call(&mut m, &mut pt, A, 2 * P, 2 * P, DONTUNMAP | MAYMOVE, 0x5000_0000).unwrap();
    assert_eq!(to, crate::mm::layout::MMAP_TOP - 2 * P);
}

#[test]
fn shared_and_file_backing_move_with_the_region() {
    let mut m = MemoryMap::new();
    let mut pt = Fake::default();
    let obj = SharedPages::new(|_| {}, 4);
    let shared = Backing::Shared { pages: obj.clone(), first_page: 0 };
    m.insert(Region::new(A..A + 4 * P, RW, shared, Purpose::Mmap).unwrap()).unwrap();
    let file =
        Backing::File { module: 3, file_start: 0x10_0000, file_bytes: 0x3800, past_eof: PastEof::Bus, shared: false };
    m.insert(Region::new(0x5000_0000..0x5000_4000, Prot::READ, file, Purpose::Mmap).unwrap()).unwrap();
    // Pages 1 and 2 of the object, made three pages long: a move.
    let to = call(&mut m, &mut pt, A + P, 2 * P, 3 * P, MAYMOVE, 0).unwrap();
    assert_ne!(to, A + P);
    match &m.find(to).unwrap().backing {
        Backing::Shared { pages, first_page } => assert!(alloc::sync::Arc::ptr_eq(pages, &obj) && *first_page == 1),
        _ => panic!("not shared"),
    }
    let to = call(&mut m, &mut pt, 0x5000_1000, 3 * P, 3 * P, FIXED | MAYMOVE, 0x6000_0000).unwrap();
    assert_eq!(m.find(to).unwrap().file_page(to), crate::mm::vma::FilePage::Full { phys: 0x10_1000 });
    assert_eq!(
        m.find(to + 2 * P).unwrap().file_page(to + 2 * P),
        crate::mm::vma::FilePage::Partial { phys: 0x10_3000, bytes: 0x800 }
    );
    // A second mapping of the shared object, from its page 3 on.
    let dup = call(&mut m, &mut pt, A + 3 * P, 0, 2 * P, MAYMOVE, 0).unwrap();
    assert!(matches!(&m.find(dup).unwrap().backing, Backing::Shared { first_page: 3, .. }));
    assert!(m.find(A + 3 * P).is_some(), "the original stays");
    assert_eq!(call(&mut m, &mut pt, A, 0, 2 * P, 0, 0), Err(MemError::OutOfMemory), "without MAYMOVE");
}

#[test]
fn a_moved_heap_is_no_longer_the_heap() {
    let mut m = MemoryMap::new();
    let mut pt = Fake::default();
    m.insert(Region::anon(A..A + 2 * P, RW, Purpose::Heap)).unwrap();
    let to = call(&mut m, &mut pt, A, 2 * P, 2 * P, FIXED | MAYMOVE, 0x5000_0000).unwrap();
    assert_eq!(m.find(to).unwrap().purpose, Purpose::Mmap);
}

#[test]
fn limits_refuse_growth() {
    let (mut m, mut pt) = setup(&[(A, A + 4 * P)]);
    m.limits = MemLimits { address_space: 6 * u64::from(P), ..MemLimits::NONE };
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 7 * P, MAYMOVE, 0), Err(MemError::OutOfMemory));
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 6 * P, 0, 0), Ok(A), "up to the limit");
    assert_eq!(call(&mut m, &mut pt, A, P, P, DONTUNMAP | MAYMOVE, 0), Err(MemError::OutOfMemory), "a copy");
    assert_eq!(call(&mut m, &mut pt, A, 6 * P, 6 * P, FIXED | MAYMOVE, 0x5000_0000), Ok(0x5000_0000), "a move");
    // RLIMIT_DATA: private writable memory only.
    let (mut m, mut pt) = setup(&[(A, A + 4 * P)]);
    m.limits = MemLimits { data: 4 * u64::from(P), data_max: 4 * u64::from(P), ..MemLimits::NONE };
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 5 * P, MAYMOVE, 0), Err(MemError::OutOfMemory));
    m.protect(A, A + 4 * P, Prot::READ).1.unwrap();
    assert_eq!(call(&mut m, &mut pt, A, 4 * P, 5 * P, MAYMOVE, 0), Ok(A));
    // Overcommit: one growth larger than RAM.
    let (mut m, mut pt) = setup(&[(A, A + P)]);
    let env = Env { total_frames: 4, ..ENV };
    assert_eq!(
        mremap(&mut m, &mut pt, env, Remap { addr: A, old_len: P, new_len: 6 * P, flags: 0, new_addr: 0 }),
        Err(MemError::OutOfMemory)
    );
    assert_eq!(
        mremap(&mut m, &mut pt, env, Remap { addr: A, old_len: P, new_len: 5 * P, flags: 0, new_addr: 0 }),
        Ok(A)
    );
}

#[test]
fn a_failed_move_changes_nothing() {
    let (mut m, mut pt) = setup(&[(A, A + 2 * P), (0x5000_2000, 0x5000_3000)]);
    pt.fail_move = true;
    let before = (spans(&m), pt.clone());
    assert_eq!(call(&mut m, &mut pt, A, 2 * P, 2 * P, FIXED | MAYMOVE, 0x5000_0000), Err(MemError::OutOfMemory));
    assert_eq!((spans(&m), pt), before, "not even the region that merged with its neighbour");
}

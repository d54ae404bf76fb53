//! Host tests of the memory map: lookup, insert, split, merge, resize.
use super::*;

const RW: Prot = Prot::READ.union(Prot::WRITE);

fn map_of(ranges: &[(u32, u32, Prot)]) -> MemoryMap {
    let mut m = MemoryMap::new();
    for &(s, e, p) in ranges {
        m.insert(Region::anon(s..e, p, Purpose::Mmap)).unwrap();
    }
    m
}

fn spans(m: &MemoryMap) -> Vec<(u32, u32, Prot)> {
    m.iter().map(|r| (r.start.as_u32(), r.end.as_u32(), r.prot)).collect()
}

#[test]
fn find_is_exact_at_the_edges() {
    let m = map_of(&[(0x1000, 0x3000, RW), (0x5000, 0x6000, Prot::READ)]);
    assert!(m.find(0xfff).is_none());
    assert_eq!(m.find(0x1000).unwrap().start, 0x1000);
    assert_eq!(m.find(0x2fff).unwrap().start, 0x1000);
    assert!(m.find(0x3000).is_none());
    assert_eq!(m.find(0x5abc).unwrap().start, 0x5000);
    assert!(m.find(0x6000).is_none());
    assert_eq!(m.next_above(0x3000).unwrap().start, 0x5000);
    assert_eq!(m.prev_below(0x5000).unwrap().start, 0x1000);
}

#[test]
fn insert_refuses_overlap_and_bad_ranges() {
    let mut m = map_of(&[(0x2000, 0x4000, RW)]);
    assert_eq!(m.insert(Region::anon(0x3000..0x5000, RW, Purpose::Mmap)).unwrap_err(), MapError::Overlap);
    assert_eq!(m.insert(Region::anon(0x1000..0x2001, RW, Purpose::Mmap)).unwrap_err(), MapError::BadRange);
    // A region reaching into the kernel half cannot even be made (its bounds
    // are UserAddrs), so insert never sees one.
    assert!(Region::new(0xBFFF_F000..0xC000_1000, RW, Backing::Anonymous, Purpose::Mmap).is_none());
    assert_eq!(m.insert(Region::anon(0x5000..0x5000, RW, Purpose::Mmap)).unwrap_err(), MapError::BadRange);
    assert!(m.insert(Region::anon(0x1000..0x2000, RW, Purpose::Mmap)).is_ok());
}

#[test]
fn remove_splits_regions() {
    let mut m = map_of(&[(0x1000, 0x9000, RW)]);
    let gone = m.remove(0x3000, 0x5000);
    assert_eq!(gone.len(), 1);
    assert_eq!((gone[0].start.as_u32(), gone[0].end.as_u32()), (0x3000, 0x5000));
    assert_eq!(spans(&m), vec![(0x1000, 0x3000, RW), (0x5000, 0x9000, RW)]);
    // Removing across a hole takes both neighbours' parts.
    let gone = m.remove(0x2000, 0x6000);
    assert_eq!(
        gone.iter().map(|r| (r.start.as_u32(), r.end.as_u32())).collect::<Vec<_>>(),
        vec![(0x2000, 0x3000), (0x5000, 0x6000)]
    );
    assert_eq!(spans(&m), vec![(0x1000, 0x2000, RW), (0x6000, 0x9000, RW)]);
    assert!(m.remove(0x20000, 0x30000).is_empty());
}

#[test]
fn protect_splits_and_merges() {
    let mut m = map_of(&[(0x1000, 0x5000, RW)]);
    let (changed, done) = m.protect(0x2000, 0x3000, Prot::READ);
    assert_eq!((changed.len(), done), (1, Ok(())));
    assert_eq!(spans(&m), vec![(0x1000, 0x2000, RW), (0x2000, 0x3000, Prot::READ), (0x3000, 0x5000, RW)]);
    m.protect(0x2000, 0x3000, RW).1.unwrap();
    assert_eq!(spans(&m), vec![(0x1000, 0x5000, RW)], "equal neighbours merge back");
    // As on Linux: the part before the hole changes, then ENOMEM.
    let (changed, done) = m.protect(0x4000, 0x6000, Prot::READ);
    assert_eq!((changed.len(), done), (1, Err(MapError::NotMapped)));
    assert_eq!(spans(&m), vec![(0x1000, 0x4000, RW), (0x4000, 0x5000, Prot::READ)]);
    // Starting in a hole changes nothing.
    let (changed, done) = m.protect(0x0, 0x2000, Prot::READ);
    assert_eq!((changed.len(), done), (0, Err(MapError::NotMapped)));
}

#[test]
fn protect_of_a_head_moves_the_boundary() {
    // A fault handler's pattern: PROT_NONE pages made RW one at a time,
    // each joining the RW region before it.
    let mut m = map_of(&[(0x1000, 0x2000, RW), (0x2000, 0x6000, Prot::empty())]);
    for (page, expect) in [(0x2000, 0x3000), (0x3000, 0x4000)] {
        let (changed, done) = m.protect(page, page + 0x1000, RW);
        assert_eq!((changed.len(), done), (1, Ok(())));
        assert_eq!((changed[0].start.as_u32(), changed[0].end.as_u32()), (page, page + 0x1000));
        assert_eq!(spans(&m), vec![(0x1000, expect, RW), (expect, 0x6000, Prot::empty())]);
    }
    // The last page: the whole region joins, as split and merge did.
    m.protect(0x4000, 0x6000, RW).1.unwrap();
    assert_eq!(spans(&m), vec![(0x1000, 0x6000, RW)]);
}

#[test]
fn file_offsets_follow_splits() {
    let mut m = MemoryMap::new();
    let file =
        Backing::File { module: 0, file_start: 0x10_0000, file_bytes: 0x2800, past_eof: PastEof::Zero, shared: false };
    m.insert(Region::new(0x8000..0xC000, RW, file, Purpose::Program).unwrap()).unwrap();
    let r = m.find(0x8000).unwrap();
    assert_eq!(r.file_page(0x8123), FilePage::Full { phys: 0x10_0000 });
    assert_eq!(r.file_page(0x9000), FilePage::Full { phys: 0x10_1000 });
    assert_eq!(r.file_page(0xA000), FilePage::Partial { phys: 0x10_2000, bytes: 0x800 });
    assert_eq!(r.file_page(0xB000), FilePage::Zero);
    m.protect(0x9000, 0xA000, Prot::READ).1.unwrap();
    let tail = m.find(0xA000).unwrap();
    assert_eq!(tail.start, 0xA000);
    assert_eq!(tail.file_page(0xA000), FilePage::Partial { phys: 0x10_2000, bytes: 0x800 });
    assert_eq!(m.find(0x9000).unwrap().file_page(0x9000), FilePage::Full { phys: 0x10_1000 });
}

#[test]
fn shared_regions_keep_their_page_index() {
    let pages = SharedPages::new(|_| {}, 4);
    let mut m = MemoryMap::new();
    let backing = Backing::Shared { pages: pages.clone(), first_page: 0 };
    m.insert(Region::new(0x10000..0x14000, RW, backing, Purpose::Mmap).unwrap()).unwrap();
    m.remove(0x11000, 0x12000);
    match &m.find(0x12000).unwrap().backing {
        Backing::Shared { first_page, .. } => assert_eq!(*first_page, 2),
        _ => panic!("not shared"),
    }
}

#[test]
fn shared_pages_release_their_frames_once() {
    use std::sync::atomic::{AtomicU32, Ordering};
    static RELEASED: AtomicU32 = AtomicU32::new(0);
    let pages = SharedPages::new(
        |_| {
            RELEASED.fetch_add(1, Ordering::SeqCst);
        },
        4,
    );
    pages.frames.lock().insert(0, 42);
    pages.frames.lock().insert(3, 43);
    let mut a = MemoryMap::new();
    let backing = Backing::Shared { pages, first_page: 0 };
    a.insert(Region::new(0x10000..0x14000, RW, backing, Purpose::Mmap).unwrap()).unwrap();
    let b = a.clone(); // fork
    drop(a);
    assert_eq!(RELEASED.load(Ordering::SeqCst), 0);
    drop(b);
    assert_eq!(RELEASED.load(Ordering::SeqCst), 2);
}

#[test]
fn brk_and_stack_resizing() {
    let mut m = map_of(&[(0x10000, 0x11000, RW), (0x20000, 0x21000, RW)]);
    m.resize_end(0x10000, 0x14000).unwrap();
    assert_eq!(m.resize_end(0x10000, 0x21000).unwrap_err(), MapError::Overlap);
    m.resize_end(0x10000, 0x11000).unwrap();
    assert_eq!(m.resize_end(0x10000, 0x10000).unwrap_err(), MapError::BadRange);
    m.extend_down(0x20000, 0x1E000).unwrap();
    assert_eq!(m.find(0x1E000).unwrap().end, 0x21000);
    assert_eq!(m.extend_down(0x1E000, 0x10000).unwrap_err(), MapError::Overlap);
}

#[test]
fn top_down_search_finds_the_highest_hole() {
    let m = map_of(&[(0x1000_0000, 0x1001_0000, RW), (0x2000_0000, 0x2000_1000, RW)]);
    assert_eq!(m.find_free_top_down(0x1000, 0x3000_0000, 0x1_0000), Some(0x2FFF_F000));
    // A hole exactly big enough between the two regions.
    assert_eq!(m.find_free_top_down(0x0FFF_0000, 0x2000_0000, 0x1_0000), Some(0x1001_0000));
    // Nothing fits.
    assert_eq!(m.find_free_top_down(0x4000_0000, 0x3000_0000, 0x1000_0000), None);
    // Search below everything.
    assert_eq!(m.find_free_top_down(0x1000, 0x1000_0000, 0x1_0000), Some(0x0FFF_F000));
}

/// Regions as (start, end) pairs, for the merge tests.
fn bounds(m: &MemoryMap) -> Vec<(u32, u32)> {
    m.iter().map(|r| (r.start.as_u32(), r.end.as_u32())).collect()
}

const A: u32 = 0x4000_0000;
const P: u32 = PAGE_SIZE;

#[test]
fn new_mappings_join_alike_neighbours_as_mmap_does() {
    let mut m = MemoryMap::new();
    m.insert_merged(Region::anon(A..A + P, RW, Purpose::Mmap), Merge::Mmap).unwrap();
    m.note_private_page(A); // written: it has an anon_vma now
    m.insert_merged(Region::anon(A + P..A + 2 * P, RW, Purpose::Mmap), Merge::Mmap).unwrap();
    assert_eq!(bounds(&m), [(A, A + 2 * P)], "a fresh region joins one with a one-link anon_vma");
    m.insert_merged(Region::anon(A + 3 * P..A + 4 * P, Prot::READ, Purpose::Mmap), Merge::Mmap).unwrap();
    m.insert_merged(Region::anon(A + 2 * P..A + 3 * P, RW, Purpose::Mmap), Merge::Mmap).unwrap();
    assert_eq!(bounds(&m), [(A, A + 3 * P), (A + 3 * P, A + 4 * P)], "protection differs");
    // Forked: the child's regions no longer take in fresh ones.
    m.fork_anon();
    m.insert_merged(Region::anon(A - P..A, RW, Purpose::Mmap), Merge::Mmap).unwrap();
    assert_eq!(bounds(&m)[..2], [(A - P, A), (A, A + 3 * P)]);
}

#[test]
fn mmap_lets_the_previous_region_join_only_under_the_next_ones_anon_vma() {
    // [untouched][new][touched]: mmap_region joins the new one to the next
    // region, and the previous one (no anon_vma) cannot join that.
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + P, RW, Purpose::Mmap)).unwrap();
    m.insert(Region::anon(A + 2 * P..A + 3 * P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(A + 2 * P);
    m.insert_merged(Region::anon(A + P..A + 2 * P, RW, Purpose::Mmap), Merge::Mmap).unwrap();
    assert_eq!(bounds(&m), [(A, A + P), (A + P, A + 3 * P)]);
}

#[test]
fn regions_written_apart_stay_apart() {
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(A);
    m.insert(Region::anon(0x5000_0000..0x5000_0000 + P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(0x5000_0000);
    // mremap puts the second right after the first: two anon_vmas, two regions.
    let far = m.remove(0x5000_0000, 0x5000_0000 + P).remove(0);
    m.insert_merged(far.moved(0x5000_0000, A + P, P).unwrap(), Merge::Vma).unwrap();
    assert_eq!(bounds(&m), [(A, A + P), (A + P, A + 2 * P)]);
    // Without pages of its own a moved region takes its new page offset.
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + P, RW, Purpose::Mmap)).unwrap();
    let fresh = Region::anon(0x5000_0000..0x5000_0000 + P, RW, Purpose::Mmap);
    m.insert_merged(fresh.moved(0x5000_0000, A + P, P).unwrap(), Merge::Vma).unwrap();
    assert_eq!(bounds(&m), [(A, A + 2 * P)]);
}

#[test]
fn a_moved_region_with_pages_keeps_its_page_offset() {
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + 2 * P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(A);
    let b = 0x5000_0000;
    // Its two pages, moved to b in the wrong order: one anon_vma, but the
    // offsets do not run on.
    let second = m.remove(A + P, A + 2 * P).remove(0);
    m.insert_merged(second.moved(A + P, b, P).unwrap(), Merge::Vma).unwrap();
    let first = m.remove(A, A + P).remove(0);
    m.insert_merged(first.moved(A, b + P, P).unwrap(), Merge::Vma).unwrap();
    assert_eq!(bounds(&m), [(b, b + P), (b + P, b + 2 * P)]);
    // Put back where they were, they are one region again.
    let first = m.remove(b + P, b + 2 * P).remove(0);
    m.insert_merged(first.moved(b + P, A, P).unwrap(), Merge::Vma).unwrap();
    let second = m.remove(b, b + P).remove(0);
    m.insert_merged(second.moved(b, A + P, P).unwrap(), Merge::Vma).unwrap();
    assert_eq!(bounds(&m), [(A, A + 2 * P)]);
}

#[test]
fn split_pieces_rejoin_and_writability_is_remembered() {
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + 4 * P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(A);
    m.protect(A + P, A + 2 * P, Prot::READ).1.unwrap();
    assert_eq!(bounds(&m).len(), 3);
    m.protect(A + P, A + 2 * P, RW).1.unwrap();
    assert_eq!(bounds(&m), [(A, A + 4 * P)], "one anon_vma: the pieces join again");
    // Made read-only, a once-writable region keeps VM_ACCOUNT: a region
    // mapped read-only beside it stays apart.
    m.protect(A, A + 4 * P, Prot::READ).1.unwrap();
    m.insert_merged(Region::anon(A + 4 * P..A + 5 * P, Prot::READ, Purpose::Mmap), Merge::Mmap).unwrap();
    assert_eq!(bounds(&m), [(A, A + 4 * P), (A + 4 * P, A + 5 * P)]);
}

#[test]
fn the_first_written_page_takes_a_neighbours_anon_vma() {
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + P, RW, Purpose::Mmap)).unwrap();
    m.insert(Region::anon(A + P..A + 2 * P, Prot::READ, Purpose::Mmap)).unwrap();
    m.note_private_page(A);
    m.protect(A + P, A + 2 * P, RW).1.unwrap();
    m.note_private_page(A + P);
    assert_eq!(bounds(&m), [(A, A + 2 * P)], "joined when made alike");
    // Not a forked one's.
    let mut m = MemoryMap::new();
    m.insert(Region::anon(A..A + P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(A);
    m.fork_anon();
    m.insert(Region::anon(A + P..A + 2 * P, RW, Purpose::Mmap)).unwrap();
    m.note_private_page(A + P);
    assert_ne!(m.find(A).unwrap().anon.id, m.find(A + P).unwrap().anon.id);
}

#[test]
fn the_heap_is_anonymous_memory_to_merging() {
    let mut m = MemoryMap::new();
    m.insert_merged(Region::anon(A..A + P, RW, Purpose::Mmap), Merge::Mmap).unwrap();
    m.insert_merged(Region::anon(A + P..A + 2 * P, RW, Purpose::Heap), Merge::Vma).unwrap();
    assert_eq!(bounds(&m), [(A, A + 2 * P)], "brk grows a mapping that ends at the break");
    m.insert_merged(Region::anon(A + 2 * P..A + 3 * P, RW, Purpose::Stack), Merge::Vma).unwrap();
    assert_eq!(bounds(&m).len(), 2, "a stack grows down: never merged");
}

#[test]
fn the_lookup_hint_never_outlives_a_change_to_the_map() {
    // Two regions with a gap: the hint is set to the first by a lookup.
    let mut m = map_of(&[(0x10_0000, 0x10_4000, RW), (0x20_0000, 0x20_1000, Prot::READ)]);
    assert_eq!(m.find(0x10_1000).unwrap().end, 0x10_4000);
    // Cut the hinted region in two: a lookup in the tail finds the tail,
    // and one in the head sees the head's new end.
    assert_eq!(m.remove(0x10_1000, 0x10_2000).len(), 1);
    assert!(m.find(0x10_1000).is_none());
    assert_eq!(m.find(0x10_0000).unwrap().end, 0x10_1000);
    assert_eq!(m.find(0x10_3000).unwrap().start, 0x10_2000);
    // Enough inserts to split the tree's nodes (which moves the regions
    // stored in them) after the hint was set; every lookup stays exact.
    assert_eq!(m.find(0x20_0000).unwrap().prot, Prot::READ);
    for i in 0..40 {
        m.insert(Region::anon(0x30_0000 + i * 0x2000..0x30_1000 + i * 0x2000, RW, Purpose::Mmap)).unwrap();
    }
    assert_eq!(m.find(0x20_0abc).unwrap().start, 0x20_0000);
    assert_eq!(m.find(0x30_2000).unwrap().start, 0x30_2000);
    assert!(m.find(0x30_3000).is_none());
    // A region removed while hinted is gone for the lookup too.
    assert_eq!(m.find(0x30_4000).unwrap().start, 0x30_4000);
    m.remove(0x30_4000, 0x30_5000);
    assert!(m.find(0x30_4000).is_none());
    // A copy starts with no hint of its own and sees its own tree.
    let copy = m.clone();
    m.remove(0x20_0000, 0x20_1000);
    assert!(m.find(0x20_0000).is_none());
    assert_eq!(copy.find(0x20_0000).unwrap().prot, Prot::READ);
}

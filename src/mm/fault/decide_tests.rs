//! Host tests of `decide`: the table rows one by one, then every error-code
//! combination × region kind × entry state against the rules that must
//! always hold.

use super::*;
use crate::mm::addr::Frame;
use crate::mm::vma::{PastEof, Prot, SharedPages};

const RW: Prot = Prot::READ.union(Prot::WRITE);
const R: PfError = PfError::USER;
const W: PfError = PfError::USER.union(PfError::WRITE);
const PR: PfError = PfError::USER.union(PfError::PRESENT);
const PW: PfError = PfError::USER.union(PfError::PRESENT).union(PfError::WRITE);

const ANON: u32 = 0x4000_0000;
const RO_ANON: u32 = 0x4100_0000;
const NONE: u32 = 0x4200_0000;
const SHARED: u32 = 0x4300_0000;
const FILE: u32 = 0x0804_8000;
const STACK_TOP: u32 = 0xC000_0000;
const STACK: u32 = STACK_TOP - 0x2_0000;

/// `decide` for an address given as a number, as the tables below write them.
fn decide(err: PfError, addr: u32, map: &MemoryMap, state: EntryState) -> FaultAction {
    super::decide(err, VirtAddr::new(addr), map, state)
}

fn ua(a: u32) -> UserAddr {
    UserAddr::new(a).unwrap()
}

fn map() -> MemoryMap {
    let mut m = MemoryMap::new();
    m.insert(Region::anon(ANON..ANON + 0x10000, RW, Purpose::Mmap)).unwrap();
    m.insert(Region::anon(RO_ANON..RO_ANON + 0x10000, Prot::READ, Purpose::Mmap)).unwrap();
    m.insert(Region::anon(NONE..NONE + 0x10000, Prot::empty(), Purpose::Mmap)).unwrap();
    let shared = Backing::Shared { pages: SharedPages::new(|_| {}, 9), first_page: 5 };
    m.insert(Region::new(SHARED..SHARED + 0x4000, RW, shared, Purpose::Mmap).unwrap()).unwrap();
    // 2.5 pages of file, then .bss up to 4 pages.
    let file =
        Backing::File { module: 1, file_start: 0x70_0000, file_bytes: 0x2800, past_eof: PastEof::Zero, shared: false };
    m.insert(Region::new(FILE..FILE + 0x4000, RW, file, Purpose::Program).unwrap()).unwrap();
    let text =
        Backing::File { module: 1, file_start: 0x70_8000, file_bytes: 0x1000, past_eof: PastEof::Bus, shared: false };
    m.insert(Region::new(0x0900_0000..0x0900_2000, Prot::READ | Prot::EXEC, text, Purpose::Mmap).unwrap()).unwrap();
    m.insert(Region::anon(STACK..STACK_TOP, RW, Purpose::Stack)).unwrap();
    m
}

fn present(flags: PteFlags, refs: u32) -> EntryState {
    with_refs(flags, Refs::Counted(refs))
}

/// A present entry for a frame the allocator does not count (module, zero).
fn uncounted(flags: PteFlags) -> EntryState {
    with_refs(flags, Refs::Uncounted)
}

fn with_refs(flags: PteFlags, refs: Refs) -> EntryState {
    EntryState {
        entry: PageTableEntry::new(Frame::from_number(0x123), flags | PteFlags::PRESENT | PteFlags::USER),
        zero_frame: false,
        refs,
    }
}

fn zero_frame() -> EntryState {
    EntryState { zero_frame: true, ..uncounted(PteFlags::empty()) }
}

#[test]
fn untouched_anonymous_memory() {
    let m = map();
    assert_eq!(decide(R, ANON + 0x10, &m, EntryState::NONE), FaultAction::MapZeroPage);
    assert_eq!(decide(W, ANON + 0x10, &m, EntryState::NONE), FaultAction::MapZeroed);
    assert_eq!(decide(PW, ANON, &m, zero_frame()), FaultAction::MapZeroed);
    assert_eq!(decide(R, RO_ANON, &m, EntryState::NONE), FaultAction::MapZeroPage);
}

#[test]
fn write_to_shared_cow_page_copies() {
    let m = map();
    assert_eq!(decide(PW, ANON, &m, present(PteFlags::COW, 2)), FaultAction::CopyOnWrite);
    assert_eq!(decide(PW, ANON, &m, present(PteFlags::COW, 1)), FaultAction::MakeWritable);
    // A private file page (module frame, not counted) is always copied.
    assert_eq!(decide(PW, FILE, &m, uncounted(PteFlags::FILE | PteFlags::COW)), FaultAction::CopyOnWrite);
}

#[test]
fn file_pages() {
    let m = map();
    assert_eq!(decide(R, FILE + 0x1004, &m, EntryState::NONE), FaultAction::MapFile { phys: 0x70_1000 });
    assert_eq!(decide(W, FILE + 0x1004, &m, EntryState::NONE), FaultAction::CopyFile { phys: 0x70_1000 });
    let partial = FaultAction::CopyFilePartial { phys: 0x70_2000, bytes: 0x800 };
    assert_eq!(decide(R, FILE + 0x2000, &m, EntryState::NONE), partial);
    assert_eq!(decide(W, FILE + 0x2fff, &m, EntryState::NONE), partial);
    assert_eq!(decide(R, FILE + 0x3000, &m, EntryState::NONE), FaultAction::MapZeroPage, ".bss");
    assert_eq!(decide(W, FILE + 0x3000, &m, EntryState::NONE), FaultAction::MapZeroed, ".bss");
    assert_eq!(decide(R, 0x0900_0000, &m, EntryState::NONE), FaultAction::MapFile { phys: 0x70_8000 });
    assert_eq!(decide(R, 0x0900_1000, &m, EntryState::NONE), FaultAction::Kill(KillReason::PastEndOfFile));
    assert_eq!(decide(W, 0x0900_0000, &m, EntryState::NONE), FaultAction::Kill(KillReason::WriteToReadOnly));
}

/// Regions over a tmpfs file of 2.5 pages whose page 1 is a hole (page 0
/// in frame 0x500, page 2 in frame 0x502): private at 0x5000_0000, shared
/// at 0x5100_0000 (both 4 pages from the file's start), and a program
/// segment at 0x5200_0000 with 0x1800 file bytes.
fn cache_map() -> MemoryMap {
    use crate::mm::cache::{Extent, fake::FakeFile};
    let file = FakeFile::new(7, 0x2800, &[(0, 0x500), (2, 0x502)]);
    let mut m = MemoryMap::new();
    for (at, shared, extent) in [
        (0x5000_0000, false, Extent::Live),
        (0x5100_0000, true, Extent::Live),
        (0x5200_0000, false, Extent::Segment { file_bytes: 0x1800 }),
    ] {
        let backing = Backing::Cache { file: file.clone(), first_page: 0, extent, shared, may_write: true };
        m.insert(Region::new(at..at + 0x4000, RW, backing, Purpose::Mmap).unwrap()).unwrap();
    }
    m
}

#[test]
fn page_cache_files() {
    let m = cache_map();
    let none = EntryState::NONE;
    // Private: the file's frame read-only, copied on a write; a hole is
    // anonymous memory; past the page the end is in, SIGBUS.
    assert_eq!(decide(R, 0x5000_0004, &m, none), FaultAction::MapFile { phys: 0x50_0000 });
    assert_eq!(decide(W, 0x5000_0004, &m, none), FaultAction::CopyFile { phys: 0x50_0000 });
    assert_eq!(decide(R, 0x5000_1000, &m, none), FaultAction::MapZeroPage, "a hole");
    assert_eq!(decide(W, 0x5000_1000, &m, none), FaultAction::MapZeroed, "a hole");
    assert_eq!(decide(R, 0x5000_2fff, &m, none), FaultAction::MapFile { phys: 0x50_2000 }, "the last page whole");
    assert_eq!(decide(R, 0x5000_3000, &m, none), FaultAction::Kill(KillReason::PastEndOfFile));
    assert_eq!(decide(W, 0x5000_3000, &m, none), FaultAction::Kill(KillReason::PastEndOfFile));
    assert_eq!(decide(PW, 0x5000_0000, &m, present(PteFlags::FILE | PteFlags::COW, 1)), FaultAction::CopyOnWrite);
    // Shared: the file's page itself, a hole included (the executor gives
    // it a page); written in place.
    assert_eq!(decide(R, 0x5100_0000, &m, none), FaultAction::MapCachePage { page: 0 });
    assert_eq!(decide(W, 0x5100_1000, &m, none), FaultAction::MapCachePage { page: 1 });
    assert_eq!(decide(R, 0x5100_3000, &m, none), FaultAction::Kill(KillReason::PastEndOfFile));
    assert_eq!(decide(PW, 0x5100_0000, &m, present(PteFlags::empty(), 3)), FaultAction::MakeWritable);
    // A program segment: file bytes, then .bss; the page that mixes them
    // is copied.
    assert_eq!(decide(R, 0x5200_0000, &m, none), FaultAction::MapFile { phys: 0x50_0000 });
    assert_eq!(decide(R, 0x5200_1000, &m, none), FaultAction::MapZeroPage, "a hole in the segment");
    assert_eq!(decide(R, 0x5200_2000, &m, none), FaultAction::MapZeroPage, ".bss");
    assert_eq!(decide(W, 0x5200_3000, &m, none), FaultAction::MapZeroed, ".bss");
}

#[test]
fn page_cache_regions_split_and_merge_at_running_offsets() {
    let mut m = cache_map();
    m.remove(0x5100_1000, 0x5100_2000);
    let tail = m.find(0x5100_2000).unwrap();
    assert_eq!(tail.file_index(0x5100_2000), Some(2));
    assert_eq!(decide(R, 0x5100_2000, &m, EntryState::NONE), FaultAction::MapCachePage { page: 2 });
    m.remove(0x5200_0000, 0x5200_1000);
    assert_eq!(m.find(0x5200_1000).unwrap().file_page(0x5200_1000), crate::mm::vma::FilePage::Hole);
    assert_eq!(m.find(0x5200_2000).unwrap().file_page(0x5200_2000), crate::mm::vma::FilePage::Zero);
    // The middle page back, at its own offset: one region again.
    let n = m.len();
    let Backing::Cache { file, .. } = &m.find(0x5100_0000).unwrap().backing else { panic!() };
    let back = Backing::Cache {
        file: file.clone(),
        first_page: 1,
        extent: crate::mm::cache::Extent::Live,
        shared: true,
        may_write: true,
    };
    let r = Region::new(0x5100_1000..0x5100_2000, RW, back, Purpose::Mmap).unwrap();
    m.insert_merged(r, crate::mm::vma::Merge::Mmap).unwrap();
    assert_eq!(m.len(), n - 1);
}

#[test]
fn shared_memory_maps_the_objects_page() {
    let m = map();
    assert_eq!(decide(R, SHARED + 0x2000, &m, EntryState::NONE), FaultAction::MapShared { page: 7 });
    assert_eq!(decide(W, SHARED, &m, EntryState::NONE), FaultAction::MapShared { page: 5 });
    // The object has 9 pages: the region's last page (index 8) is its
    // last; mremap can make a region reach past it, and that is SIGBUS.
    assert_eq!(decide(R, SHARED + 0x3000, &m, EntryState::NONE), FaultAction::MapShared { page: 8 });
    let mut grown = map();
    grown.resize_end(SHARED, SHARED + 0x5000).unwrap();
    assert_eq!(decide(R, SHARED + 0x4000, &grown, EntryState::NONE), FaultAction::Kill(KillReason::PastEndOfFile));
}

#[test]
fn illegal_accesses_kill() {
    let m = map();
    assert_eq!(decide(R, 0, &m, EntryState::NONE), FaultAction::Kill(KillReason::NoMapping));
    assert_eq!(decide(PR, 0xC010_0000, &m, EntryState::NONE), FaultAction::Kill(KillReason::KernelAddress));
    assert_eq!(decide(PW, 0xC010_0000, &m, EntryState::NONE), FaultAction::Kill(KillReason::KernelAddress));
    assert_eq!(decide(PW, RO_ANON, &m, present(PteFlags::empty(), 1)), FaultAction::Kill(KillReason::WriteToReadOnly));
    assert_eq!(decide(W, RO_ANON, &m, EntryState::NONE), FaultAction::Kill(KillReason::WriteToReadOnly));
    assert_eq!(decide(R, NONE, &m, EntryState::NONE), FaultAction::Kill(KillReason::NoAccess));
    assert_eq!(
        decide(PR | PfError::RSVD, ANON, &m, present(PteFlags::empty(), 1)),
        FaultAction::Kill(KillReason::ReservedBit)
    );
    assert_eq!(
        decide(W, ANON + 0x10000, &m, EntryState::NONE),
        FaultAction::Kill(KillReason::NoMapping),
        "just past the region"
    );
}

#[test]
fn the_stack_grows_down_to_its_limit() {
    let mut m = map();
    assert_eq!(decide(W, STACK - 4, &m, EntryState::NONE), FaultAction::GrowStack { new_start: ua(STACK - 0x1000) });
    let deep = STACK_TOP - STACK_LIMIT;
    assert_eq!(decide(R, deep, &m, EntryState::NONE), FaultAction::GrowStack { new_start: ua(deep) });
    assert_eq!(decide(W, deep - 1, &m, EntryState::NONE), FaultAction::Kill(KillReason::StackOverflow));
    assert_eq!(
        decide(W, 0x5000_0000, &m, EntryState::NONE),
        FaultAction::Kill(KillReason::NoMapping),
        "far below: not the stack"
    );
    m.extend_down(STACK, STACK - 0x1000).unwrap();
    assert_eq!(decide_after_growth(W, VirtAddr::new(STACK - 4), &m), FaultAction::MapZeroed);
    // A mapping just under the stack leaves no room for the guard gap.
    m.insert(Region::anon(0xBF70_0000..0xBF71_0000, RW, Purpose::Mmap)).unwrap();
    assert_eq!(decide(W, 0xBF71_0000 + 4, &m, EntryState::NONE), FaultAction::Kill(KillReason::StackOverflow));
}

#[test]
fn the_stack_grows_only_within_rlimit_as() {
    let mut m = map();
    let mapped = crate::mm::accounting::usage(&m).total;
    // Room for exactly 4 more pages.
    m.limits.address_space = u64::from((mapped + 4) * PAGE_SIZE);
    assert_eq!(
        decide(W, STACK - 0x4000, &m, EntryState::NONE),
        FaultAction::GrowStack { new_start: ua(STACK - 0x4000) }
    );
    assert_eq!(
        decide(W, STACK - 0x4004, &m, EntryState::NONE),
        FaultAction::Kill(KillReason::AddressSpaceLimit),
        "a fifth page is one too many"
    );
    assert_eq!(KillReason::AddressSpaceLimit.si_code(), KillReason::StackOverflow.si_code());
    // RLIMIT_DATA does not count the stack.
    m.limits = crate::mm::limits::MemLimits { data: 0, data_max: 0, ..crate::mm::limits::MemLimits::NONE };
    assert_eq!(
        decide(W, STACK - 0x8000, &m, EntryState::NONE),
        FaultAction::GrowStack { new_start: ua(STACK - 0x8000) }
    );
}

#[test]
fn a_fault_already_fixed_is_retried() {
    let m = map();
    assert_eq!(decide(R, ANON, &m, present(PteFlags::empty(), 1)), FaultAction::Retry);
    assert_eq!(decide(W, ANON, &m, present(PteFlags::WRITABLE, 1)), FaultAction::Retry);
}

/// Every error code × address kind × entry state obeys the rules.
#[test]
fn every_combination_obeys_the_rules() {
    let m = map();
    let addrs = [
        0,
        ANON,
        RO_ANON,
        NONE,
        SHARED,
        FILE,
        FILE + 0x2000,
        FILE + 0x3000,
        0x0900_1000,
        STACK,
        STACK - 8,
        0xC000_0000,
        0xFFFF_F000,
    ];
    let entries = [
        EntryState::NONE,
        present(PteFlags::empty(), 1),
        present(PteFlags::WRITABLE, 1),
        present(PteFlags::COW, 1),
        present(PteFlags::COW, 3),
        uncounted(PteFlags::FILE),
        zero_frame(),
    ];
    for bits in 0..16u32 {
        let err = PfError::from_bits_retain(bits);
        for &addr in &addrs {
            for &e in &entries {
                let a = decide(err, addr, &m, e);
                let ctx = format!("err={err} addr={addr:#x} entry={:?} -> {a:?}", e.entry);
                let write = err.contains(PfError::WRITE);
                if err.contains(PfError::RSVD) {
                    assert_eq!(a, FaultAction::Kill(KillReason::ReservedBit), "{ctx}");
                    continue;
                }
                if addr >= USER_END {
                    assert_eq!(a, FaultAction::Kill(KillReason::KernelAddress), "{ctx}");
                    continue;
                }
                if !write {
                    assert!(
                        !matches!(
                            a,
                            FaultAction::MapZeroed
                                | FaultAction::CopyOnWrite
                                | FaultAction::MakeWritable
                                | FaultAction::CopyFile { .. }
                        ),
                        "a read never allocates a private copy: {ctx}"
                    );
                }
                match m.find(addr) {
                    Some(r) if !r.prot.readable() => assert_eq!(a, FaultAction::Kill(KillReason::NoAccess), "{ctx}"),
                    Some(r) if write && !r.prot.writable() => {
                        assert_eq!(a, FaultAction::Kill(KillReason::WriteToReadOnly), "{ctx}")
                    }
                    Some(_) if entry_allows(e.entry, err.access()) => assert_eq!(a, FaultAction::Retry, "{ctx}"),
                    Some(_) => assert!(!matches!(a, FaultAction::Retry | FaultAction::GrowStack { .. }), "{ctx}"),
                    None => assert!(matches!(a, FaultAction::Kill(_) | FaultAction::GrowStack { .. }), "{ctx}"),
                }
            }
        }
    }
}

#[test]
fn swapped_pages_come_back_where_the_region_allows() {
    let m = map();
    let swapped = EntryState { entry: PageTableEntry::swapped(77), ..EntryState::NONE };
    assert_eq!(decide(R, ANON, &m, swapped), FaultAction::SwapIn { slot: 77 });
    assert_eq!(decide(W, ANON + 0xfff, &m, swapped), FaultAction::SwapIn { slot: 77 });
    assert_eq!(decide(R, FILE + 0x3000, &m, swapped), FaultAction::SwapIn { slot: 77 }, "a private copy");
    // mprotect after the page went out: the region's permission still rules.
    assert_eq!(decide(R, RO_ANON, &m, swapped), FaultAction::SwapIn { slot: 77 });
    assert_eq!(decide(W, RO_ANON, &m, swapped), FaultAction::Kill(KillReason::WriteToReadOnly));
    assert_eq!(decide(R, NONE, &m, swapped), FaultAction::Kill(KillReason::NoAccess));
}

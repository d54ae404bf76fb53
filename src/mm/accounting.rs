//! Linux's two counts of a process's mapped pages (mm->total_vm and
//! mm->data_vm), taken from its memory map, and the checks of `limits.rs`
//! that need them: mmap, mremap, brk, mprotect and stack growth ask here.
//! The counts are summed when asked, and only while a limit is finite (the
//! usual case costs nothing). Pure (host-tested).

use super::addr::PAGE_SIZE;
use super::cache::Extent;
use super::limits::VmUsage;
use super::vma::{Backing, MemoryMap, Prot, Purpose, Region};

/// Whether Linux counts `r` as data (is_data_mapping: VM_WRITE without
/// VM_SHARED or VM_STACK).
pub fn is_data(r: &Region) -> bool {
    is_data_with(r, r.prot)
}

/// Whether `r` would count as data with protection `prot`.
fn is_data_with(r: &Region, prot: Prot) -> bool {
    prot.writable() && !r.may_share() && r.purpose != Purpose::Stack
}

/// The counts for `map`, region by region.
pub fn usage(map: &MemoryMap) -> VmUsage {
    map.iter().fold(VmUsage::default(), |u, r| {
        let pages = r.len() / PAGE_SIZE;
        VmUsage { total: u.total + pages, data: u.data + if is_data(r) { pages } else { 0 } }
    })
}

/// `may_expand` for `map` under the limits it carries; the counts are
/// only taken when a limit is finite.
pub fn map_may_expand(map: &MemoryMap, data: bool, pages: u32) -> bool {
    !map.limits.any() || map.limits.may_expand(usage(map), data, pages)
}

/// Pages of `map` inside `[start, end)` (what a MAP_FIXED mapping there
/// would replace: Linux's count_vma_pages_range).
pub fn pages_in(map: &MemoryMap, start: u32, end: u32) -> u32 {
    let mut pages = 0;
    let mut at = start;
    while at < end {
        let Some(r) = map.find(at).or_else(|| map.next_above(at)) else { break };
        let (from, to) = (r.start.as_u32().max(at), r.end.as_u32().min(end));
        if from >= to {
            break;
        }
        pages += (to - from) / PAGE_SIZE;
        at = to;
    }
    pages
}

/// Where mprotect of `[start, end)` to `prot` must stop for RLIMIT_DATA:
/// Linux's mprotect_fixup, region by region in address order, refuses
/// (ENOMEM) a piece that would turn into data past the limit, after the
/// pieces before it were changed. The start of that piece, or `None`.
pub fn protect_stop(map: &MemoryMap, start: u32, end: u32, prot: Prot) -> Option<u32> {
    if !map.limits.any() || !prot.writable() {
        return None;
    }
    let mut usage = usage(map);
    let mut at = start;
    while at < end {
        let r = map.find(at).or_else(|| map.next_above(at))?;
        let (from, to) = (r.start.as_u32().max(at), r.end.as_u32().min(end));
        if from >= to {
            return None;
        }
        let pages = (to - from) / PAGE_SIZE;
        let (was, becomes) = (is_data(r), is_data_with(r, prot));
        if !map.limits.may_expand(usage, becomes, pages) && map.limits.may_expand(usage, was, pages) {
            return Some(from);
        }
        usage.data = usage.data - if was { pages } else { 0 } + if becomes { pages } else { 0 };
        at = to;
    }
    None
}

/// The data segment's size as brk's RLIMIT_DATA check counts it: the file
/// bytes of the program's highest region (Linux's end_data - start_data,
/// the last PT_LOAD's file size).
pub fn data_segment_bytes(map: &MemoryMap) -> u32 {
    map.iter().filter(|r| r.purpose == Purpose::Program).last().map_or(0, |r| match r.backing {
        Backing::File { file_bytes, .. } => file_bytes.min(r.len()),
        Backing::Cache { extent: Extent::Segment { file_bytes }, .. } => file_bytes.min(r.len()),
        _ => 0,
    })
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use crate::mm::limits::{MemLimits, UNLIMITED};
    use crate::mm::vma::SharedPages;

    const RW: Prot = Prot::READ.union(Prot::WRITE);
    const MIB: u64 = 1 << 20;

    #[test]
    fn usage_sorts_regions_as_linux_does() {
        let mut m = MemoryMap::new();
        m.insert(Region::anon(0x1000_0000..0x1000_4000, RW, Purpose::Mmap)).unwrap(); // data
        m.insert(Region::anon(0x2000_0000..0x2000_2000, Prot::READ, Purpose::Mmap)).unwrap();
        m.insert(Region::anon(0x2100_0000..0x2100_1000, Prot::empty(), Purpose::Mmap)).unwrap();
        m.insert(Region::anon(0x3000_0000..0x3000_3000, RW, Purpose::Heap)).unwrap(); // data
        let shared = Backing::Shared { pages: SharedPages::new(|_| {}, 8), first_page: 0 };
        m.insert(Region::new(0x4000_0000..0x4000_8000, RW, shared, Purpose::Mmap).unwrap()).unwrap();
        m.insert(Region::anon(0xBFFF_0000..0xC000_0000, RW, Purpose::Stack)).unwrap();
        assert_eq!(usage(&m), VmUsage { total: 4 + 2 + 1 + 3 + 8 + 16, data: 7 });
        assert_eq!(pages_in(&m, 0x1000_2000, 0x2000_1000), 3);
        assert_eq!(pages_in(&m, 0x0, 0x1000_0000), 0);
        assert_eq!(pages_in(&m, 0x1000_0000, 0xC000_0000), 34);
    }

    #[test]
    fn mprotect_stops_where_data_would_pass_the_limit() {
        let mut m = MemoryMap::new();
        m.insert(Region::anon(0x1000_0000..0x1000_4000, Prot::READ, Purpose::Mmap)).unwrap();
        m.insert(Region::anon(0x1000_4000..0x1000_8000, RW, Purpose::Mmap)).unwrap();
        m.insert(Region::anon(0x1000_8000..0x1001_0000, Prot::empty(), Purpose::Mmap)).unwrap();
        assert_eq!(protect_stop(&m, 0x1000_0000, 0x1001_0000, RW), None, "no limit");
        // 4 data pages now; room for 6 more.
        m.limits = MemLimits { data: 10 * 4096, data_max: UNLIMITED, ..MemLimits::NONE };
        assert_eq!(protect_stop(&m, 0x1000_0000, 0x1000_8000, RW), None, "4 + 4");
        assert_eq!(protect_stop(&m, 0x1000_0000, 0x1001_0000, RW), Some(0x1000_8000), "then 8 more is too many");
        assert_eq!(protect_stop(&m, 0x1000_9000, 0x1000_b000, RW), None, "2 of them fit");
        assert_eq!(protect_stop(&m, 0x1000_0000, 0x1001_0000, Prot::READ), None, "not writable: never");
        // Already data: changing it again is not turning into data.
        m.limits.data = 0;
        m.limits.data_max = 0;
        assert_eq!(protect_stop(&m, 0x1000_4000, 0x1000_8000, RW), None);
        assert_eq!(protect_stop(&m, 0x1000_0000, 0x1000_8000, RW), Some(0x1000_0000));
    }

    #[test]
    fn the_map_limits_apply_only_when_finite() {
        let mut m = MemoryMap::new();
        m.insert(Region::anon(0x1000_0000..0x1010_0000, RW, Purpose::Mmap)).unwrap();
        assert!(map_may_expand(&m, true, 0xB_0000));
        m.limits.address_space = 2 * MIB;
        assert!(map_may_expand(&m, true, 256));
        assert!(!map_may_expand(&m, true, 257));
    }
}

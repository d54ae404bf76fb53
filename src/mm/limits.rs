//! RLIMIT_AS and RLIMIT_DATA, applied where Linux applies them. Pure
//! (host-tested).
//!
//! Linux counts a process's mapped pages two ways (mm->total_vm and
//! mm->data_vm) and its `may_expand_vm` refuses a new mapping, a growing
//! mremap, brk or stack growth that would take a count past its limit:
//!
//! | count | which regions                                  | limit        |
//! |-------|------------------------------------------------|--------------|
//! | total | every region, PROT_NONE included               | RLIMIT_AS    |
//! | data  | private, writable, not a stack (heap, .data, .bss, private writable mmap) | RLIMIT_DATA |
//!
//! brk also answers to `check_data_rlimit`: the heap plus the program's
//! data segment must fit RLIMIT_DATA. Here are the rules; `accounting.rs`
//! takes the counts from a memory map.

use super::addr::PAGE_SIZE;

/// Linux's RLIM64_INFINITY.
pub const UNLIMITED: u64 = u64::MAX;

/// The limits that govern a process's mappings, in bytes (soft limits,
/// and RLIMIT_DATA's hard one).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MemLimits {
    /// RLIMIT_AS: all mapped pages.
    pub address_space: u64,
    /// RLIMIT_DATA's soft limit: data mappings and the heap.
    pub data: u64,
    /// RLIMIT_DATA's hard limit (Linux lets a soft limit of 0 mean it).
    pub data_max: u64,
}

/// Pages mapped, and of those the data mappings.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct VmUsage {
    pub total: u32,
    pub data: u32,
}

impl Default for MemLimits {
    fn default() -> Self {
        Self::NONE
    }
}

impl MemLimits {
    /// No limit at all (Linux's starting values).
    pub const NONE: MemLimits = MemLimits { address_space: UNLIMITED, data: UNLIMITED, data_max: UNLIMITED };

    /// Whether either limit is finite (then the counts must be taken).
    pub fn any(&self) -> bool {
        self.address_space != UNLIMITED || self.data != UNLIMITED
    }

    /// Linux's may_expand_vm: may `pages` more pages be mapped, `data`
    /// telling whether they form a data mapping? A soft RLIMIT_DATA of 0
    /// lets data grow to the hard limit (Linux's workaround for Valgrind).
    pub fn may_expand(&self, usage: VmUsage, data: bool, pages: u32) -> bool {
        let pages = u64::from(pages);
        let limit_pages = |bytes: u64| bytes / u64::from(PAGE_SIZE);
        if u64::from(usage.total) + pages > limit_pages(self.address_space) {
            return false;
        }
        if data && u64::from(usage.data) + pages > limit_pages(self.data) {
            return self.data == 0 && u64::from(usage.data) + pages <= limit_pages(self.data_max);
        }
        true
    }

    /// Linux's check_data_rlimit, made on every brk: `heap` bytes of
    /// break (from its start) plus the data segment must fit RLIMIT_DATA.
    pub fn brk_fits(&self, heap: u32, data_segment: u32) -> bool {
        self.data == UNLIMITED || u64::from(heap) + u64::from(data_segment) <= self.data
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    const MIB: u64 = 1 << 20;

    #[test]
    fn unlimited_allows_everything() {
        let u = VmUsage { total: 0xB_0000, data: 0xB_0000 };
        assert!(MemLimits::NONE.may_expand(u, true, 0x1_0000));
        assert!(!MemLimits::NONE.any());
        assert!(MemLimits::NONE.brk_fits(u32::MAX, u32::MAX));
    }

    #[test]
    fn address_space_counts_every_page() {
        let l = MemLimits { address_space: 4 * MIB, ..MemLimits::NONE };
        let u = VmUsage { total: 1000, data: 0 };
        assert!(l.may_expand(u, false, 24), "exactly up to the limit (1024 pages)");
        assert!(!l.may_expand(u, false, 25));
        assert!(!l.may_expand(u, true, 25));
        // A limit that is not a page multiple rounds down.
        let l = MemLimits { address_space: 4 * MIB + 4095, ..MemLimits::NONE };
        assert!(!l.may_expand(u, false, 25));
    }

    #[test]
    fn data_counts_only_data_mappings() {
        let l = MemLimits { data: MIB, data_max: UNLIMITED, ..MemLimits::NONE };
        let u = VmUsage { total: 5000, data: 200 };
        assert!(l.may_expand(u, false, 5000), "not data: only RLIMIT_AS applies");
        assert!(l.may_expand(u, true, 56));
        assert!(!l.may_expand(u, true, 57));
    }

    #[test]
    fn a_soft_data_limit_of_zero_means_the_hard_one() {
        let u = VmUsage { total: 10, data: 10 };
        let inf = MemLimits { data: 0, data_max: UNLIMITED, ..MemLimits::NONE };
        assert!(inf.may_expand(u, true, 256));
        let hard = MemLimits { data: 0, data_max: MIB, ..MemLimits::NONE };
        assert!(hard.may_expand(u, true, 246));
        assert!(!hard.may_expand(u, true, 247));
        // brk has no such workaround.
        assert!(!inf.brk_fits(4096, 0));
        assert!(inf.brk_fits(0, 0));
    }

    #[test]
    fn brk_counts_the_heap_and_the_data_segment() {
        let l = MemLimits { data: MIB, data_max: MIB, ..MemLimits::NONE };
        assert!(l.brk_fits((MIB - 0x3000) as u32, 0x3000));
        assert!(!l.brk_fits((MIB - 0x3000) as u32, 0x3001));
    }
}

//! The counting behind /proc's numbers, as Linux 6.1 counts: smaps' and
//! pagemap's view of one page (fs/proc/task_mmu.c), what cmdline returns
//! from the argument area (fs/proc/base.c, get_mm_cmdline), and the load
//! average's decay (kernel/sched/loadavg.c). Pure (host-tested); the task
//! layer reads the page tables and fills `PageFacts`.

use super::procfmt::{FSHIFT, PageLocation, PagemapEntry, SmapsUsage};
use alloc::vec::Vec;

/// One present page-table entry, as smaps and pagemap need it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct PageFacts {
    pub pfn: u32,
    /// The CPU's Accessed bit (pte_young).
    pub accessed: bool,
    /// The CPU's Dirty bit (pte_dirty).
    pub dirty: bool,
    /// The shared zero frame: Linux's vm_normal_page gives no page for it,
    /// so smaps counts nothing and pagemap sets only "present".
    pub zero: bool,
    /// Private anonymous memory (PageAnon); false for file pages and
    /// shared anonymous memory (shmem), which pagemap flags as "file".
    pub anon: bool,
    /// How many page-table entries map the frame (page_mapcount).
    pub mapcount: u32,
}

/// Fixed-point shift of Linux's proportional-set-size sums (PSS_SHIFT).
const PSS_SHIFT: u32 = 12;

/// Adds pages up as smaps_account does (all 4 KiB, none huge, no swap):
/// Rss counts each, Pss a 1/mapcount share, shared/private by mapcount,
/// clean/dirty by the Dirty bit, Referenced by the Accessed bit.
pub fn smaps_usage(pages: impl Iterator<Item = PageFacts>) -> SmapsUsage {
    const PAGE: u64 = 4096;
    let (mut pss, mut pss_dirty) = (0u64, 0u64);
    let mut b = [0u64; 7]; // rss, shared clean/dirty, private clean/dirty, referenced, anonymous
    for p in pages.filter(|p| !p.zero) {
        b[0] += PAGE;
        if p.anon {
            b[6] += PAGE;
        }
        if p.accessed {
            b[5] += PAGE;
        }
        let share = if p.mapcount >= 2 { (PAGE << PSS_SHIFT) / u64::from(p.mapcount) } else { PAGE << PSS_SHIFT };
        pss += share;
        let slot = match (p.mapcount >= 2, p.dirty) {
            (true, false) => 1,
            (true, true) => 2,
            (false, false) => 3,
            (false, true) => 4,
        };
        b[slot] += PAGE;
        if p.dirty {
            pss_dirty += share;
        }
    }
    let kb = |bytes: u64| (bytes >> 10) as u32;
    SmapsUsage {
        rss_kb: kb(b[0]),
        pss_kb: kb(pss >> PSS_SHIFT),
        pss_dirty_kb: kb(pss_dirty >> PSS_SHIFT),
        shared_clean_kb: kb(b[1]),
        shared_dirty_kb: kb(b[2]),
        private_clean_kb: kb(b[3]),
        private_dirty_kb: kb(b[4]),
        referenced_kb: kb(b[5]),
        anonymous_kb: kb(b[6]),
        ..Default::default()
    }
}

/// pagemap's entry for a page: `None` for one that is not present (no
/// swap here), else present with its frame, "file" unless private
/// anonymous, "exclusive" when mapped once. The zero frame has no page
/// (vm_normal_page), so it is present and nothing more. No soft-dirty
/// bit: i386 has no soft-dirty tracking.
pub fn pagemap_entry(page: Option<PageFacts>) -> PagemapEntry {
    let mut e = PagemapEntry {
        location: PageLocation::NotPresent,
        file_or_shared: false,
        exclusive: false,
        soft_dirty: false,
        uffd_wp: false,
    };
    if let Some(p) = page {
        e.location = PageLocation::Present { pfn: p.pfn };
        if !p.zero {
            e.file_or_shared = !p.anon;
            e.exclusive = p.mapcount == 1;
        }
    }
    e
}

/// /proc/<pid>/cmdline from the argument area's bytes (`args`, from
/// arg_start to arg_end) and the page that starts there (`title`): a
/// normal area is returned whole; one whose last byte is not NUL was
/// rewritten by the program (setproctitle), and Linux then returns the
/// string at arg_start up to its NUL, within one page, NUL included.
pub fn cmdline_of(args: &[u8], title: &[u8]) -> Vec<u8> {
    match args.last() {
        None => Vec::new(),
        Some(0) => args.to_vec(),
        Some(_) => {
            let n = title.iter().position(|&b| b == 0).map_or(title.len(), |i| i + 1);
            title[..n].to_vec()
        }
    }
}

/// Linux's decay factors for 1, 5 and 15 minutes at one sample per
/// LOAD_FREQ (5 s), FSHIFT fixed point: 1/exp(5s/1min) … (EXP_1, EXP_5, EXP_15).
pub const EXP: [u32; 3] = [1884, 2014, 2037];
/// One load-average sample every 5 seconds (plus one tick, as Linux).
pub const LOAD_FREQ_TICKS: u64 = 5 * 1000 + 1;

/// calc_load: one step of an exponentially decaying average toward
/// `active` tasks (FSHIFT fixed point), rounding up while rising.
pub fn calc_load(load: u32, exp: u32, active_tasks: u32) -> u32 {
    let fixed_1 = 1u64 << FSHIFT;
    let active = u64::from(active_tasks) << FSHIFT;
    let mut newload = u64::from(load) * u64::from(exp) + active * (fixed_1 - u64::from(exp));
    if active >= u64::from(load) {
        newload += fixed_1 - 1;
    }
    (newload / fixed_1) as u32
}

/// status's FDSize: Linux's file table starts with room for 32
/// descriptors (BITS_PER_LONG on i386) and grows to a power of two, at
/// least 256; 0 once the table is gone.
pub fn fd_size(highest_open: Option<u32>) -> u32 {
    match highest_open {
        None => 0,
        Some(fd) if fd < 32 => 32,
        Some(fd) => (fd + 1).next_power_of_two().max(256),
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn page(mapcount: u32, dirty: bool, accessed: bool, anon: bool) -> PageFacts {
        PageFacts { pfn: 0x1234, accessed, dirty, zero: false, anon, mapcount }
    }

    #[test]
    fn smaps_counts_pages_as_linux_does() {
        let pages = [
            page(1, true, true, true),   // private dirty anonymous
            page(1, false, true, true),  // private clean
            page(2, true, false, true),  // after fork: shared dirty, half in Pss
            page(4, false, true, false), // a file page four processes run
            PageFacts { zero: true, mapcount: 0, ..page(1, false, true, true) },
        ];
        let u = smaps_usage(pages.into_iter());
        assert_eq!(u.rss_kb, 16, "the zero page is not counted");
        assert_eq!(u.pss_kb, 4 + 4 + 2 + 1);
        assert_eq!(u.pss_dirty_kb, 4 + 2);
        assert_eq!((u.private_dirty_kb, u.private_clean_kb), (4, 4));
        assert_eq!((u.shared_dirty_kb, u.shared_clean_kb), (4, 4));
        assert_eq!(u.referenced_kb, 12);
        assert_eq!(u.anonymous_kb, 12);
        assert_eq!(smaps_usage(core::iter::empty()), SmapsUsage::default());
    }

    #[test]
    fn pagemap_bits_follow_the_page() {
        const PRESENT: u64 = 1 << 63;
        const FILE: u64 = 1 << 61;
        const EXCLUSIVE: u64 = 1 << 56;
        assert_eq!(pagemap_entry(None).encode(true), 0);
        assert_eq!(pagemap_entry(Some(page(1, true, true, true))).encode(true), PRESENT | EXCLUSIVE | 0x1234);
        assert_eq!(pagemap_entry(Some(page(2, true, true, true))).encode(true), PRESENT | 0x1234);
        assert_eq!(pagemap_entry(Some(page(1, false, true, false))).encode(true), PRESENT | FILE | EXCLUSIVE | 0x1234);
        assert_eq!(
            pagemap_entry(Some(page(3, false, true, false))).encode(false),
            PRESENT | FILE,
            "no PFN unless shown"
        );
        let zero = PageFacts { zero: true, pfn: 7, ..Default::default() };
        assert_eq!(pagemap_entry(Some(zero)).encode(true), PRESENT | 7);
    }

    #[test]
    fn cmdline_is_the_area_unless_the_program_rewrote_it() {
        assert_eq!(cmdline_of(b"", b""), b"");
        assert_eq!(cmdline_of(b"ls\0-l\0", b"ls\0-l\0A=1\0"), b"ls\0-l\0");
        assert_eq!(cmdline_of(b"my title  ", b"my title  A=1\0B"), b"my title  A=1\0");
        assert_eq!(cmdline_of(b"abc", b"abc"), b"abc");
    }

    #[test]
    fn fd_size_grows_as_linuxs_table() {
        assert_eq!(fd_size(None), 0);
        assert_eq!(fd_size(Some(2)), 32);
        assert_eq!(fd_size(Some(31)), 32);
        assert_eq!(fd_size(Some(32)), 256);
        assert_eq!(fd_size(Some(600)), 1024);
    }

    #[test]
    fn load_averages_decay_as_linuxs() {
        // One task always running: the 1-minute average after 12 samples
        // (1 minute) is 1 - 1/e ≈ 0.63, as Linux's.
        let mut a = 0;
        for _ in 0..12 {
            a = calc_load(a, EXP[0], 1);
        }
        assert!((1290..1300).contains(&a), "{a}");
        // And it falls back toward 0, never below.
        let mut b = a;
        for _ in 0..1000 {
            b = calc_load(b, EXP[0], 0);
        }
        assert_eq!(b, 0);
        assert_eq!(calc_load(0, EXP[2], 0), 0);
        assert_eq!(calc_load(2048, EXP[0], 1), 2048, "steady at 1.00");
    }
}

//! What the boot loader told us: the physical memory map, the kernel command
//! line, the boot loader's name and the boot modules (the user programs).
//!
//! The types and the arithmetic on them are pure and host-tested; reading them
//! out of the multiboot2 information is in `multiboot`.

pub mod cmdline;
#[cfg(target_os = "none")]
pub mod multiboot;

#[cfg(target_os = "none")]
static BOOT_INFO: spin::Once<multiboot::BootInfo> = spin::Once::new();

/// Keeps the boot information for the kernel's whole life (`init` calls it once).
#[cfg(target_os = "none")]
pub fn keep(info: multiboot::BootInfo) -> &'static multiboot::BootInfo {
    BOOT_INFO.call_once(|| info)
}

/// The boot information, once `init` has read it.
#[cfg(target_os = "none")]
pub fn get() -> &'static multiboot::BootInfo {
    BOOT_INFO.get().expect("boot information read before init")
}

/// Memory-map entry types (multiboot2 spec §3.6.8, the same as e820's).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MemKind {
    Usable,
    Reserved,
    AcpiReclaimable,
    AcpiNvs,
    Defective,
    Other(u32),
}

impl MemKind {
    pub fn from_raw(t: u32) -> Self {
        match t {
            1 => Self::Usable,
            2 => Self::Reserved,
            3 => Self::AcpiReclaimable,
            4 => Self::AcpiNvs,
            5 => Self::Defective,
            t => Self::Other(t),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Usable => "usable",
            Self::Reserved => "reserved",
            Self::AcpiReclaimable => "ACPI reclaimable",
            Self::AcpiNvs => "ACPI NVS",
            Self::Defective => "defective",
            Self::Other(_) => "other",
        }
    }
}

/// One entry of the physical memory map: `[start, end)` in bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MemRegion {
    pub start: u64,
    pub end: u64,
    pub kind: MemKind,
}

/// Physical memory the kernel can address without PAE.
pub const PHYS_LIMIT: u64 = 1 << 32;

/// Usable bytes below 4 GiB, counting each byte once even if the boot loader
/// listed overlapping entries, and never counting a byte that any non-usable
/// entry also claims.
pub fn usable_bytes(regions: &[MemRegion]) -> u64 {
    let mut total = 0;
    for_each_usable_range(regions, |s, e| total += e - s);
    total
}

/// Calls `f(start, end)` for each maximal range below 4 GiB that some entry
/// calls usable and no entry calls anything else, in ascending order.
pub fn for_each_usable_range(regions: &[MemRegion], mut f: impl FnMut(u64, u64)) {
    // Walk the boundaries in order; between two consecutive boundaries every
    // byte has the same classification. Touching pieces are joined.
    let mut pending: Option<(u64, u64)> = None;
    let mut cursor = 0u64;
    while let Some(next) = next_boundary(regions, cursor) {
        let end = next.min(PHYS_LIMIT);
        if is_usable_at(regions, cursor) && end > cursor {
            pending = match pending {
                Some((s, e)) if e == cursor => Some((s, end)),
                Some((s, e)) => {
                    f(s, e);
                    Some((cursor, end))
                }
                None => Some((cursor, end)),
            };
        }
        if next >= PHYS_LIMIT {
            break;
        }
        cursor = next;
    }
    if let Some((s, e)) = pending {
        f(s, e);
    }
}

fn next_boundary(regions: &[MemRegion], after: u64) -> Option<u64> {
    regions.iter().flat_map(|r| [r.start, r.end]).filter(|&b| b > after).min()
}

/// Some entry calls `at` usable and none calls it anything else.
fn is_usable_at(regions: &[MemRegion], at: u64) -> bool {
    let mut covering = regions.iter().filter(|r| r.start <= at && at < r.end).peekable();
    covering.peek().is_some() && covering.all(|r| r.kind == MemKind::Usable)
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn r(start: u64, end: u64, kind: MemKind) -> MemRegion {
        MemRegion { start, end, kind }
    }

    #[test]
    fn qemu_128m_map() {
        let map = [
            r(0, 0x9fc00, MemKind::Usable),
            r(0x9fc00, 0xa0000, MemKind::Reserved),
            r(0xf0000, 0x100000, MemKind::Reserved),
            r(0x100000, 0x7fe0000, MemKind::Usable),
            r(0x7fe0000, 0x8000000, MemKind::Reserved),
            r(0xfffc0000, 0x1_0000_0000, MemKind::Reserved),
        ];
        assert_eq!(usable_bytes(&map), 0x9fc00 + 0x7fe0000 - 0x100000);
    }

    #[test]
    fn overlaps_count_once_and_reserved_wins() {
        let map = [
            r(0x1000, 0x5000, MemKind::Usable),
            r(0x3000, 0x8000, MemKind::Usable),
            r(0x4000, 0x6000, MemKind::AcpiNvs),
        ];
        let mut ranges = vec![];
        for_each_usable_range(&map, |s, e| ranges.push((s, e)));
        assert_eq!(ranges, vec![(0x1000, 0x4000), (0x6000, 0x8000)]);
        assert_eq!(usable_bytes(&map), 0x3000 + 0x2000);
    }

    #[test]
    fn memory_above_4g_is_ignored() {
        let map = [r(0xC000_0000, 0x1_4000_0000, MemKind::Usable)];
        assert_eq!(usable_bytes(&map), 0x4000_0000);
    }

    #[test]
    fn empty_map_has_nothing() {
        assert_eq!(usable_bytes(&[]), 0);
    }
}

/// Calls `f(start, end)` for each piece of `[start, end)` not covered by any
/// of `holes` (which may overlap and come in any order).
pub fn subtract_ranges(start: u64, end: u64, holes: &[(u64, u64)], mut f: impl FnMut(u64, u64)) {
    let mut cursor = start;
    while cursor < end {
        // The hole covering cursor pushes it forward; else the piece runs to
        // the nearest hole start.
        if let Some(h) = holes.iter().filter(|h| h.0 <= cursor && cursor < h.1).map(|h| h.1).max() {
            cursor = h;
            continue;
        }
        let stop = holes.iter().map(|h| h.0).filter(|&s| s > cursor).min().unwrap_or(end).min(end);
        f(cursor, stop);
        cursor = stop;
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod subtract_tests {
    use super::subtract_ranges;

    fn pieces(start: u64, end: u64, holes: &[(u64, u64)]) -> Vec<(u64, u64)> {
        let mut v = vec![];
        subtract_ranges(start, end, holes, |s, e| v.push((s, e)));
        v
    }

    #[test]
    fn holes_are_cut_out() {
        assert_eq!(pieces(0, 100, &[]), vec![(0, 100)]);
        assert_eq!(pieces(0, 100, &[(10, 20), (50, 60)]), vec![(0, 10), (20, 50), (60, 100)]);
        assert_eq!(pieces(0, 100, &[(40, 60), (0, 30), (25, 45)]), vec![(60, 100)]);
        assert_eq!(pieces(10, 20, &[(0, 100)]), vec![]);
        assert_eq!(pieces(10, 20, &[(15, 100)]), vec![(10, 15)]);
    }
}

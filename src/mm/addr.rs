//! Address newtypes: a physical address is never confused with a virtual one,
//! and a frame or page number is always 4 KiB aligned by construction.

use core::fmt;

pub const PAGE_SIZE: u32 = 4096;
pub const PAGE_SHIFT: u32 = 12;
/// Entries in a page directory or page table (SDM Vol. 3A §4.3: 10 index bits).
pub const ENTRIES_PER_TABLE: usize = 1024;

const _: () = assert!(1 << PAGE_SHIFT == PAGE_SIZE);
const _: () = assert!(ENTRIES_PER_TABLE * 4 == PAGE_SIZE as usize);

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PhysAddr(u32);

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct VirtAddr(u32);

/// A 4 KiB physical frame, by number (physical address >> 12).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Frame(u32);

/// A 4 KiB virtual page, by number (virtual address >> 12).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Page(u32);

impl PhysAddr {
    pub const fn new(a: u32) -> Self {
        Self(a)
    }
    pub const fn as_u32(self) -> u32 {
        self.0
    }
    pub const fn frame(self) -> Frame {
        Frame(self.0 >> PAGE_SHIFT)
    }
}

impl VirtAddr {
    pub const fn new(a: u32) -> Self {
        Self(a)
    }
    pub const fn as_u32(self) -> u32 {
        self.0
    }
    pub const fn page(self) -> Page {
        Page(self.0 >> PAGE_SHIFT)
    }
    pub const fn page_offset(self) -> u32 {
        self.0 & (PAGE_SIZE - 1)
    }
    /// Bits 31–22: the page-directory index.
    pub const fn pd_index(self) -> usize {
        (self.0 >> 22) as usize
    }
    /// Bits 21–12: the page-table index.
    pub const fn pt_index(self) -> usize {
        ((self.0 >> PAGE_SHIFT) & 0x3ff) as usize
    }
    pub const fn is_page_aligned(self) -> bool {
        self.0 & (PAGE_SIZE - 1) == 0
    }
}

impl Frame {
    pub const fn from_number(n: u32) -> Self {
        Self(n)
    }
    /// The frame holding `a` (rounded down).
    pub const fn containing(a: PhysAddr) -> Self {
        a.frame()
    }
    pub const fn number(self) -> u32 {
        self.0
    }
    pub const fn start(self) -> PhysAddr {
        PhysAddr(self.0 << PAGE_SHIFT)
    }
}

impl Page {
    pub const fn from_number(n: u32) -> Self {
        Self(n)
    }
    pub const fn containing(a: VirtAddr) -> Self {
        a.page()
    }
    pub const fn number(self) -> u32 {
        self.0
    }
    pub const fn start(self) -> VirtAddr {
        VirtAddr(self.0 << PAGE_SHIFT)
    }
}

/// An address in the user half, or the half's end (`USER_END`): what a
/// region's bounds and a resolvable fault address are. Made only by `new`,
/// which refuses kernel addresses, so code that holds one cannot confuse
/// the halves. Arithmetic and comparisons with plain `u32`s read as they
/// would on integers, and panic if a result would leave the user half.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UserAddr(u32);

impl UserAddr {
    /// `a`, if it is in the user half or is its end.
    pub const fn new(a: u32) -> Option<Self> {
        if a <= super::layout::USER_END { Some(Self(a)) } else { None }
    }
    pub const fn as_u32(self) -> u32 {
        self.0
    }
    pub const fn is_page_aligned(self) -> bool {
        self.0.is_multiple_of(PAGE_SIZE)
    }
    /// The start of the page holding this address.
    pub const fn page_floor(self) -> Self {
        Self(page_round_down(self.0))
    }
    pub const fn virt(self) -> VirtAddr {
        VirtAddr(self.0)
    }
}

impl core::ops::Add<u32> for UserAddr {
    type Output = UserAddr;
    fn add(self, n: u32) -> UserAddr {
        self.0.checked_add(n).and_then(UserAddr::new).expect("user address arithmetic left the user half")
    }
}

impl core::ops::Sub<u32> for UserAddr {
    type Output = UserAddr;
    fn sub(self, n: u32) -> UserAddr {
        UserAddr(self.0 - n)
    }
}

/// The distance between two user addresses, in bytes.
impl core::ops::Sub for UserAddr {
    type Output = u32;
    fn sub(self, other: UserAddr) -> u32 {
        self.0 - other.0
    }
}

impl PartialEq<u32> for UserAddr {
    fn eq(&self, other: &u32) -> bool {
        self.0 == *other
    }
}
impl PartialOrd<u32> for UserAddr {
    fn partial_cmp(&self, other: &u32) -> Option<core::cmp::Ordering> {
        Some(self.0.cmp(other))
    }
}
impl PartialEq<UserAddr> for u32 {
    fn eq(&self, other: &UserAddr) -> bool {
        *self == other.0
    }
}
impl PartialOrd<UserAddr> for u32 {
    fn partial_cmp(&self, other: &UserAddr) -> Option<core::cmp::Ordering> {
        Some(self.cmp(&other.0))
    }
}

impl fmt::Debug for UserAddr {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "U:{:#010x}", self.0)
    }
}
impl fmt::LowerHex for UserAddr {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::LowerHex::fmt(&self.0, f)
    }
}

/// A byte range wholly inside the user half, without wrapping around 2^32:
/// what every user pointer a system call receives must be before the
/// kernel asks the memory map about it (Linux's `access_ok`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UserRange {
    start: u32,
    end: u32,
}

impl UserRange {
    /// `[addr, addr + len)`, or `None` if it leaves the user half or wraps.
    /// A zero-length range may sit right at the end of the user half.
    pub const fn new(addr: u32, len: u32) -> Option<Self> {
        match addr.checked_add(len) {
            Some(end) if end <= super::layout::USER_END => Some(Self { start: addr, end }),
            _ => None,
        }
    }
    pub const fn start(self) -> u32 {
        self.start
    }
    pub const fn end(self) -> u32 {
        self.end
    }
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }
    /// The pages the range touches, first to last.
    pub fn pages(self) -> impl Iterator<Item = Page> {
        let first = VirtAddr(self.start).page().number();
        let last = if self.is_empty() { first } else { VirtAddr(self.end - 1).page().number() + 1 };
        (first..last).map(Page)
    }
}

/// Rounds up to a page boundary; `None` if that passes 2^32.
pub const fn page_round_up(a: u32) -> Option<u32> {
    match a.checked_add(PAGE_SIZE - 1) {
        Some(x) => Some(x & !(PAGE_SIZE - 1)),
        None => None,
    }
}

pub const fn page_round_down(a: u32) -> u32 {
    a & !(PAGE_SIZE - 1)
}

impl fmt::Debug for PhysAddr {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "P:{:#010x}", self.0)
    }
}
impl fmt::Debug for VirtAddr {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "V:{:#010x}", self.0)
    }
}
impl fmt::Debug for Frame {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Frame({:#010x})", self.start().0)
    }
}
impl fmt::Debug for Page {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Page({:#010x})", self.start().0)
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn indices_split_a_virtual_address() {
        let v = VirtAddr::new(0xC010_2345);
        assert_eq!(v.pd_index(), 0x300);
        assert_eq!(v.pt_index(), 0x102);
        assert_eq!(v.page_offset(), 0x345);
        assert_eq!(v.page().start(), VirtAddr::new(0xC010_2000));
    }

    #[test]
    fn user_addresses_stay_in_the_user_half() {
        assert_eq!(UserAddr::new(0xC000_0000).map(UserAddr::as_u32), Some(0xC000_0000), "the end itself");
        assert_eq!(UserAddr::new(0xC000_0001), None);
        let a = UserAddr::new(0x0804_8123).unwrap();
        assert_eq!(a.page_floor(), 0x0804_8000);
        assert_eq!((a + 0xedd) - a, 0xedd);
        assert!(a < 0x0804_9000 && 0x0804_8000 < a);
        assert_eq!(format!("{:08x}", a.page_floor()), "08048000");
    }

    #[test]
    #[should_panic(expected = "left the user half")]
    fn arithmetic_out_of_the_user_half_panics() {
        let _ = UserAddr::new(0xBFFF_F000).unwrap() + 0x2000;
    }

    #[test]
    fn user_ranges() {
        let r = |a, l| UserRange::new(a, l).map(|r| (r.start(), r.end()));
        assert_eq!(r(0x1000, 0x10), Some((0x1000, 0x1010)));
        assert_eq!(r(0xBFFF_FFF0, 0x10), Some((0xBFFF_FFF0, 0xC000_0000)));
        assert_eq!(r(0xBFFF_FFF0, 0x11), None, "runs into the kernel half");
        assert_eq!(r(0xC000_0000, 0), Some((0xC000_0000, 0xC000_0000)), "empty, at the very end");
        assert_eq!(r(0xC000_0001, 0), None, "a kernel address");
        assert_eq!(r(0xC000_0000, 1), None, "a kernel byte");
        assert_eq!(r(0xFFFF_FFF0, 0x20), None, "wraps");
        assert_eq!(r(0, 0), Some((0, 0)));
    }

    #[test]
    fn a_user_range_lists_the_pages_it_touches() {
        let pages = |a, l| UserRange::new(a, l).unwrap().pages().map(|p| p.start().as_u32()).collect::<Vec<_>>();
        assert_eq!(pages(0x1fff, 2), vec![0x1000, 0x2000]);
        assert_eq!(pages(0x1000, 0x1000), vec![0x1000]);
        assert_eq!(pages(0x1000, 0), Vec::<u32>::new());
        assert_eq!(pages(0xBFFF_F000, 0x1000), vec![0xBFFF_F000]);
    }

    #[test]
    fn rounding_reports_overflow() {
        assert_eq!(page_round_up(1), Some(PAGE_SIZE));
        assert_eq!(page_round_up(0), Some(0));
        assert_eq!(page_round_up(0xFFFF_F001), None);
        assert_eq!(page_round_down(0x1fff), 0x1000);
    }
}

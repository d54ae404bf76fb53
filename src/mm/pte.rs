//! Page-directory and page-table entries (IA-32 without PAE, SDM Vol. 3A
//! §4.3): 32 bits each, a 20-bit frame number and 12 bits of flags.
//!
//! ```text
//!  31                      12 11  9 8 7  6 5 4   3   2   1   0
//! ┌──────────────────────────┬─────┬─┬──┬─┬─┬───┬───┬───┬───┬─┐
//! │ frame (PTE) / page table │ OS  │G│PS│D│A│PCD│PWT│U/S│R/W│P│
//! └──────────────────────────┴─────┴─┴──┴─┴─┴───┴───┴───┴───┴─┘
//! ```
//! A 4 MiB PDE (PS=1) keeps only bits 31–22 of the frame.
//!
//! A PTE with P = 0 is ignored by the CPU, so its other 31 bits are the
//! kernel's. Zero means "nothing here" (demand paging decides); anything
//! else is a page on the swap device, its slot in bits 31–1 (Linux i386
//! keeps its swap entries in not-present PTEs the same way):
//!
//! ```text
//!  31                                                          1   0
//! ┌──────────────────────────────────────────────────────────────┬───┐
//! │ swap slot (≥ 1: slot 0 is the swap header, never a page's)    │ 0 │
//! └──────────────────────────────────────────────────────────────┴───┘
//! ```
//! Every other state the kernel uses (PROT_NONE, the zero frame, a file's
//! frame) is a present entry, so a non-zero not-present entry is a swap
//! entry and nothing else. Pure.

use super::addr::{Frame, PhysAddr};
use bitflags::bitflags;
use core::fmt;

bitflags! {
    /// Flag bits 0–11 of a PDE or PTE.
    #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
    pub struct PteFlags: u32 {
        const PRESENT = 1 << 0;
        /// Set: writable. Clear: read-only, for ring 0 too, because CR0.WP is set.
        const WRITABLE = 1 << 1;
        /// Set: ring 3 may access. Clear: supervisor only.
        const USER = 1 << 2;
        const WRITE_THROUGH = 1 << 3;
        const CACHE_DISABLE = 1 << 4;
        const ACCESSED = 1 << 5;
        /// Set by the CPU on a write (PTEs and 4 MiB PDEs only).
        const DIRTY = 1 << 6;
        /// In a PDE: this entry maps a 4 MiB page (CR4.PSE). In a PTE bit 7
        /// is PAT, which this kernel never sets.
        const HUGE = 1 << 7;
        /// Survives CR3 reloads (CR4.PGE); only for kernel mappings.
        const GLOBAL = 1 << 8;
        /// OS bit 9: the page is shared copy-on-write; a write must copy it.
        const COW = 1 << 9;
        /// OS bit 10: the frame is the shared zero frame (not reference
        /// counted); a write must replace it with a fresh one.
        const ZERO = 1 << 10;
        /// OS bit 11: the frame is a file's page (a boot module's, or a
        /// tmpfs file's in the page cache) mapped privately: a write must
        /// copy it. Module frames are not the allocator's and never freed;
        /// a tmpfs frame is counted like any other.
        const FILE = 1 << 11;
    }
}

const FRAME_MASK: u32 = 0xFFFF_F000;
const HUGE_FRAME_MASK: u32 = 0xFFC0_0000;

/// A page-table entry: maps one 4 KiB page.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct PageTableEntry(u32);

/// A page-directory entry: points to a page table, or maps a 4 MiB page.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct PageDirectoryEntry(u32);

const _: () = assert!(core::mem::size_of::<PageTableEntry>() == 4);
const _: () = assert!(core::mem::size_of::<PageDirectoryEntry>() == 4);

impl PageTableEntry {
    pub const EMPTY: Self = Self(0);

    pub const fn new(frame: Frame, flags: PteFlags) -> Self {
        Self(frame.start().as_u32() | flags.bits())
    }
    pub const fn from_raw(raw: u32) -> Self {
        Self(raw)
    }
    pub const fn raw(self) -> u32 {
        self.0
    }
    /// Every flag bit, including the OS bits and ones we do not name.
    pub const fn flags(self) -> PteFlags {
        PteFlags::from_bits_retain(self.0 & !FRAME_MASK)
    }
    pub const fn frame(self) -> Frame {
        PhysAddr::new(self.0 & FRAME_MASK).frame()
    }
    pub const fn is_present(self) -> bool {
        self.0 & PteFlags::PRESENT.bits() != 0
    }
    pub const fn is_unused(self) -> bool {
        self.0 == 0
    }
    pub const fn with_flags(self, flags: PteFlags) -> Self {
        Self(self.0 & FRAME_MASK | flags.bits())
    }
    /// A not-present entry naming swap slot `slot` (1 ..= 2^31 - 1).
    pub const fn swapped(slot: u32) -> Self {
        assert!(slot != 0 && slot < 1 << 31);
        Self(slot << 1)
    }
    /// The swap slot of a swap entry (not present, not empty).
    pub const fn swap_slot(self) -> Option<u32> {
        if self.is_present() || self.0 == 0 { None } else { Some(self.0 >> 1) }
    }
}

impl PageDirectoryEntry {
    pub const EMPTY: Self = Self(0);

    /// Points at a page table.
    pub const fn table(table: Frame, flags: PteFlags) -> Self {
        Self(table.start().as_u32() | flags.bits())
    }
    /// Maps the 4 MiB page starting at `phys` (4 MiB aligned).
    pub const fn huge(phys: PhysAddr, flags: PteFlags) -> Self {
        Self(phys.as_u32() & HUGE_FRAME_MASK | flags.bits() | PteFlags::HUGE.bits())
    }
    pub const fn from_raw(raw: u32) -> Self {
        Self(raw)
    }
    pub const fn raw(self) -> u32 {
        self.0
    }
    pub const fn flags(self) -> PteFlags {
        PteFlags::from_bits_retain(self.0 & !FRAME_MASK)
    }
    pub const fn is_present(self) -> bool {
        self.0 & PteFlags::PRESENT.bits() != 0
    }
    pub const fn is_huge(self) -> bool {
        self.0 & PteFlags::HUGE.bits() != 0
    }
    /// The page table's frame (only when present and not huge).
    pub const fn table_frame(self) -> Frame {
        PhysAddr::new(self.0 & FRAME_MASK).frame()
    }
    /// The start of the 4 MiB page (only when huge).
    pub const fn huge_start(self) -> PhysAddr {
        PhysAddr::new(self.0 & HUGE_FRAME_MASK)
    }
}

impl fmt::Display for PteFlags {
    /// `P RW U A D` style, with `RO`/`S` spelled out when clear.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if !self.contains(Self::PRESENT) {
            f.write_str("-- not present")?;
        } else {
            f.write_str("P")?;
        }
        f.write_str(if self.contains(Self::WRITABLE) { " RW" } else { " RO" })?;
        f.write_str(if self.contains(Self::USER) { " U" } else { " S" })?;
        for (flag, name) in [
            (Self::WRITE_THROUGH, " PWT"),
            (Self::CACHE_DISABLE, " PCD"),
            (Self::ACCESSED, " A"),
            (Self::DIRTY, " D"),
            (Self::HUGE, " PS"),
            (Self::GLOBAL, " G"),
            (Self::COW, " COW"),
            (Self::ZERO, " ZERO"),
            (Self::FILE, " FILE"),
        ] {
            if self.contains(flag) {
                f.write_str(name)?;
            }
        }
        Ok(())
    }
}

impl fmt::Debug for PageTableEntry {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if let Some(slot) = self.swap_slot() {
            return write!(f, "PTE({:#010x}: swapped, slot {slot})", self.0);
        }
        write!(f, "PTE({:#010x}: frame {:#010x} {})", self.0, self.0 & FRAME_MASK, self.flags())
    }
}

impl fmt::Debug for PageDirectoryEntry {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PDE({:#010x}: {:#010x} {})", self.0, self.0 & FRAME_MASK, self.flags())
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip() {
        let f = Frame::from_number(0x12345);
        let flags = PteFlags::PRESENT | PteFlags::USER | PteFlags::COW;
        let e = PageTableEntry::new(f, flags);
        assert_eq!(e.raw(), 0x1234_5205);
        assert_eq!((e.frame(), e.flags()), (f, flags));
        assert!(e.is_present());
        let w = e.with_flags(PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::USER);
        assert_eq!(w.raw(), 0x1234_5007);
    }

    #[test]
    fn unknown_bits_are_kept() {
        // Bit 7 in a PTE (PAT) and bits the CPU sets survive a decode.
        let e = PageTableEntry::from_raw(0x0000_10E3);
        assert_eq!(e.flags().bits(), 0xE3);
        assert!(e.flags().contains(PteFlags::ACCESSED | PteFlags::DIRTY));
    }

    #[test]
    fn huge_directory_entries() {
        let d = PageDirectoryEntry::huge(PhysAddr::new(0x0040_0000), PteFlags::PRESENT | PteFlags::WRITABLE);
        assert_eq!(d.raw(), 0x0040_0083);
        assert!(d.is_huge() && d.is_present());
        assert_eq!(d.huge_start(), PhysAddr::new(0x0040_0000));
        let t = PageDirectoryEntry::table(Frame::from_number(0x7), PteFlags::PRESENT | PteFlags::USER);
        assert_eq!(t.raw(), 0x7005);
        assert!(!t.is_huge());
    }

    #[test]
    fn swap_entries_round_trip_and_stay_apart() {
        let e = PageTableEntry::swapped(12345);
        assert_eq!(e.raw(), 12345 << 1);
        assert!(!e.is_present() && !e.is_unused());
        assert_eq!(e.swap_slot(), Some(12345));
        assert_eq!(PageTableEntry::swapped((1 << 31) - 1).swap_slot(), Some((1 << 31) - 1));
        assert_eq!(PageTableEntry::EMPTY.swap_slot(), None);
        // PROT_NONE, zero-frame and file entries are present: never slots.
        for flags in [PteFlags::PRESENT, PteFlags::PRESENT | PteFlags::ZERO, PteFlags::PRESENT | PteFlags::FILE] {
            assert_eq!(PageTableEntry::new(Frame::from_number(9), flags).swap_slot(), None);
        }
        assert_eq!(format!("{e:?}"), "PTE(0x00006072: swapped, slot 12345)");
    }

    #[test]
    fn flags_print_readably() {
        let f = PteFlags::PRESENT | PteFlags::USER | PteFlags::COW;
        assert_eq!(f.to_string(), "P RO U COW");
        assert_eq!(PteFlags::empty().to_string(), "-- not present RO S");
    }
}

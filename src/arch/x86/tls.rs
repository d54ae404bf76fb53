//! Thread-local storage segments: the three GDT entries (6, 7, 8 — Linux
//! i386's GDT_ENTRY_TLS_MIN..MAX) a program fills with `set_thread_area`,
//! and the `struct user_desc` it describes them in (SDM Vol. 3A §3.4.5 for
//! the descriptor). Pure.
//!
//! A user may only ever make a present, 32-bit, DPL-3 *data* segment here,
//! or clear an entry (Linux's `tls_desc_okay`): never a system segment, a
//! gate, a code segment or a ring-0 segment. `SegmentDescriptor::user`
//! always sets S (code/data) and DPL 3, so no field of `user_desc` can
//! stamp another privilege.
//!
//! ```text
//!  user_desc.flags:  bit 0 seg_32bit | bits 1-2 contents | bit 3 read_exec_only
//!                    bit 4 limit_in_pages | bit 5 seg_not_present | bit 6 useable
//! ```

use super::descriptor::{AVL, DB, DPL_SHIFT, G, P, Ring, S, SegmentDescriptor, TYPE_SHIFT};

/// The first TLS entry of the GDT, and how many there are.
pub const TLS_FIRST: u32 = 6;
pub const TLS_ENTRIES: usize = 3;

/// `struct user_desc` without its entry number, decoded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct UserSegment {
    pub base: u32,
    /// 20 bits, in bytes or in pages (`limit_in_pages`).
    pub limit: u32,
    pub seg_32bit: bool,
    /// 0 data, 1 expand-down data, 2 code, 3 conforming code.
    pub contents: u8,
    pub read_exec_only: bool,
    pub limit_in_pages: bool,
    pub seg_not_present: bool,
    pub useable: bool,
}

impl UserSegment {
    /// Decodes `user_desc`'s base, limit and flags word (bits 7 and up,
    /// which i386 does not have, are ignored as Linux ignores them).
    pub const fn from_words(base: u32, limit: u32, flags: u32) -> Self {
        UserSegment {
            base,
            limit,
            seg_32bit: flags & 1 != 0,
            contents: ((flags >> 1) & 3) as u8,
            read_exec_only: flags & 8 != 0,
            limit_in_pages: flags & 16 != 0,
            seg_not_present: flags & 32 != 0,
            useable: flags & 64 != 0,
        }
    }

    /// The flags word of `user_desc`.
    pub const fn flags(self) -> u32 {
        self.seg_32bit as u32
            | (self.contents as u32) << 1
            | (self.read_exec_only as u32) << 3
            | (self.limit_in_pages as u32) << 4
            | (self.seg_not_present as u32) << 5
            | (self.useable as u32) << 6
    }

    /// Linux's LDT_empty / LDT_zero: the two ways to ask for a cleared entry.
    pub const fn clears(self) -> bool {
        let empty = self.base == 0
            && self.limit == 0
            && self.contents == 0
            && self.read_exec_only
            && !self.seg_32bit
            && !self.limit_in_pages
            && self.seg_not_present
            && !self.useable;
        let zero = self.base == 0 && self.limit == 0 && self.flags() == 0;
        empty || zero
    }

    /// Linux's tls_desc_okay: a clear, or a present 32-bit data segment.
    pub const fn allowed(self) -> bool {
        self.clears() || (self.seg_32bit && self.contents <= 1 && !self.seg_not_present)
    }

    /// The descriptor the entry gets (Linux's fill_ldt): S and DPL 3 always,
    /// accessed set; all zero for a clear.
    pub const fn descriptor(self) -> SegmentDescriptor {
        if self.clears() {
            return SegmentDescriptor::NULL;
        }
        // Type: bit 0 accessed (always, as Linux sets it), bit 1 writable or
        // readable, bits 2-3 `contents` (expand-down data, or code).
        let ty = ((!self.read_exec_only) as u64) << 1 | (self.contents as u64) << 2 | 1;
        SegmentDescriptor::from_raw(
            SegmentDescriptor::with_base_limit(self.base, self.limit)
                | ty << TYPE_SHIFT
                | S // code or data, never a system segment
                | (Ring::Ring3 as u64) << DPL_SHIFT
                | flag(!self.seg_not_present, P)
                | flag(self.useable, AVL)
                | flag(self.seg_32bit, DB)
                | flag(self.limit_in_pages, G),
        )
    }

    /// What get_thread_area reports for an entry (Linux's fill_user_desc).
    pub const fn of(d: SegmentDescriptor) -> Self {
        let raw = d.raw();
        let ty = ((raw >> TYPE_SHIFT) & 0xF) as u8;
        UserSegment {
            base: d.base(),
            limit: ((raw & 0xFFFF) | ((raw >> 48) & 0xF) << 16) as u32,
            seg_32bit: raw & DB != 0,
            contents: ty >> 2,
            read_exec_only: ty & 2 == 0,
            limit_in_pages: raw & G != 0,
            seg_not_present: raw & P == 0,
            useable: raw & AVL != 0,
        }
    }
}

/// `bit` if `on`, else nothing.
const fn flag(on: bool, bit: u64) -> u64 {
    if on { bit } else { 0 }
}

/// The GDT index of TLS slot `i`, and back (`None` outside 6..=8).
pub const fn slot_of_index(index: u32) -> Option<usize> {
    if index >= TLS_FIRST && index < TLS_FIRST + TLS_ENTRIES as u32 { Some((index - TLS_FIRST) as usize) } else { None }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use crate::arch::x86::descriptor::{DescriptorKind, Ring};

    /// What glibc asks for: base, 0xFFFFF pages, 32-bit, writable, useable.
    const GLIBC_FLAGS: u32 = 0x51;

    #[test]
    fn glibcs_tls_descriptor() {
        let s = UserSegment::from_words(0x0805_6000, 0xF_FFFF, GLIBC_FLAGS);
        assert!(s.allowed() && !s.clears());
        let d = s.descriptor();
        assert_eq!(d.base(), 0x0805_6000);
        assert_eq!(d.limit_bytes(), 0xFFFF_FFFF);
        assert_eq!(d.dpl(), Ring::Ring3);
        assert!(d.present() && d.is_32bit());
        assert_eq!(d.kind(), DescriptorKind::Data { writable: true, expand_down: false });
        assert_eq!(UserSegment::of(d), s, "get_thread_area gives back what was set");
    }

    #[test]
    fn hostile_descriptors_are_refused() {
        let base = |flags| UserSegment::from_words(0x1000, 0xFFFF, flags);
        assert!(!base(0x51 & !1).allowed(), "16-bit");
        assert!(!base(0x51 | 2 << 1).allowed(), "code");
        assert!(!base(0x51 | 3 << 1).allowed(), "conforming code");
        assert!(!base(0x51 | 32).allowed(), "not present");
        assert!(base(0x51 | 1 << 1).allowed(), "expand-down data is data");
    }

    #[test]
    fn no_flag_can_make_anything_but_a_dpl3_code_or_data_segment() {
        for flags in 0..128u32 {
            for (base, limit) in [(0, 0), (0xC000_0000, 0xF_FFFF), (0xFFFF_FFFF, 0xFFFF_FFFF)] {
                let s = UserSegment::from_words(base, limit, flags);
                let d = s.descriptor();
                if d == SegmentDescriptor::NULL {
                    assert!(s.clears());
                    continue;
                }
                assert_eq!(d.dpl(), Ring::Ring3, "flags {flags:#x}");
                assert!(matches!(d.kind(), DescriptorKind::Code { .. } | DescriptorKind::Data { .. }), "{d}");
            }
        }
    }

    #[test]
    fn clearing_an_entry() {
        // LDT_empty: read_exec_only and seg_not_present set, the rest zero.
        let empty = UserSegment::from_words(0, 0, 8 | 32);
        assert!(empty.clears() && empty.allowed());
        assert_eq!(empty.descriptor(), SegmentDescriptor::NULL);
        assert!(UserSegment::from_words(0, 0, 0).clears(), "LDT_zero");
        assert_eq!(UserSegment::of(SegmentDescriptor::NULL), empty, "an empty slot reads back as LDT_empty");
        assert!(!UserSegment::from_words(0, 0, 8 | 32 | 1).clears());
    }

    #[test]
    fn tls_slots_are_gdt_entries_6_to_8() {
        assert_eq!([5, 6, 7, 8, 9].map(slot_of_index), [None, Some(0), Some(1), Some(2), None]);
        assert_eq!(slot_of_index(u32::MAX), None);
    }
}

//! Segment descriptors, gate descriptors and selectors as the CPU reads them
//! (SDM Vol. 3A §3.4.5, §6.11, §3.4.2). Pure: encoded and decoded here, loaded
//! by `gdt` and `idt`.
//!
//! ```text
//!  segment descriptor (8 bytes)
//!  63      56 55 54 53 52 51   48 47 46 45 44 43  40 39      16 15       0
//! ┌──────────┬──┬──┬──┬──┬───────┬──┬─────┬──┬──────┬──────────┬──────────┐
//! │base 31:24│G │DB│L │AV│lim19:16│P │ DPL │S │ type │base 23:0 │lim 15:0  │
//! └──────────┴──┴──┴──┴──┴───────┴──┴─────┴──┴──────┴──────────┴──────────┘
//!  gate descriptor: offset 31:16 | P | DPL | 0 | type | 0 ... | selector | offset 15:0
//! ```

use core::fmt;

/// A descriptor privilege level or requested privilege level: a 2-bit field,
/// so an enum, not flags.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
#[repr(u8)]
pub enum Ring {
    Ring0 = 0,
    Ring1 = 1,
    Ring2 = 2,
    Ring3 = 3,
}

impl Ring {
    pub const fn from_bits(b: u8) -> Ring {
        match b & 3 {
            0 => Ring::Ring0,
            1 => Ring::Ring1,
            2 => Ring::Ring2,
            _ => Ring::Ring3,
        }
    }
}

/// Which table a selector indexes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Table {
    Gdt,
    Ldt,
}

/// A segment selector: index (bits 15–3), table indicator (bit 2), RPL (1–0).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct SegmentSelector(u16);

impl SegmentSelector {
    pub const fn new(index: u16, table: Table, rpl: Ring) -> Self {
        let ti = match table {
            Table::Gdt => 0,
            Table::Ldt => 1,
        };
        Self(index << 3 | ti << 2 | rpl as u16)
    }
    pub const fn from_raw(raw: u16) -> Self {
        Self(raw)
    }
    pub const fn raw(self) -> u16 {
        self.0
    }
    pub const fn index(self) -> u16 {
        self.0 >> 3
    }
    pub const fn table(self) -> Table {
        if self.0 & 4 == 0 { Table::Gdt } else { Table::Ldt }
    }
    pub const fn rpl(self) -> Ring {
        Ring::from_bits(self.0 as u8)
    }
}

impl fmt::Debug for SegmentSelector {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:#06x} (index {}, {:?}, RPL {})", self.0, self.index(), self.table(), self.rpl() as u8)
    }
}

/// What kind of segment or system object a descriptor describes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DescriptorKind {
    Null,
    /// Code segment; `readable`, `conforming`.
    Code {
        readable: bool,
        conforming: bool,
    },
    /// Data segment; `writable`, `expand_down`.
    Data {
        writable: bool,
        expand_down: bool,
    },
    Tss32 {
        busy: bool,
    },
    OtherSystem(u8),
}

/// What a user selector is about to be loaded as.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SegmentUse {
    /// CS on `iret` to ring 3.
    Code,
    /// SS on `iret` to ring 3.
    Stack,
    /// DS, ES, FS or GS.
    Data,
}

/// One GDT entry.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct SegmentDescriptor(u64);

const _: () = assert!(core::mem::size_of::<SegmentDescriptor>() == 8);

// The flag bits of a segment descriptor (SDM Vol. 3A §3.4.5, Figure 3-8).
/// Present.
pub(super) const P: u64 = 1 << 47;
/// Descriptor type: set for code or data, clear for a system segment.
pub(super) const S: u64 = 1 << 44;
/// Available to system software (AVL).
pub(super) const AVL: u64 = 1 << 52;
/// Default operation size: set for a 32-bit segment.
pub(super) const DB: u64 = 1 << 54;
/// Granularity: set when the limit counts 4 KiB pages.
pub(super) const G: u64 = 1 << 55;
/// The shift of the 4-bit type field and of the 2-bit DPL.
pub(super) const TYPE_SHIFT: u32 = 40;
pub(super) const DPL_SHIFT: u32 = 45;
const TYPE_CODE_READ: u64 = 0xA;
const TYPE_DATA_WRITE: u64 = 0x2;
const TYPE_TSS32_AVAILABLE: u64 = 0x9;

impl SegmentDescriptor {
    pub const NULL: Self = Self(0);

    /// Whether ring 3 may run with this descriptor loaded for `usage`
    /// (SDM Vol. 3A §5.8 and the IRET checks): present, DPL 3, and a
    /// non-conforming code segment for CS, a writable data segment for SS,
    /// data or readable code for the others. Loading anything else from
    /// the kernel's exit path would fault in ring 0.
    pub fn usable_from_ring3(self, usage: SegmentUse) -> bool {
        if !self.present() || self.dpl() != Ring::Ring3 {
            return false;
        }
        matches!(
            (self.kind(), usage),
            (DescriptorKind::Code { conforming: false, .. }, SegmentUse::Code)
                | (DescriptorKind::Data { writable: true, .. }, SegmentUse::Stack)
                | (DescriptorKind::Data { .. } | DescriptorKind::Code { readable: true, .. }, SegmentUse::Data)
        )
    }

    /// The base and (20-bit) limit fields, scattered as the SDM lays them out.
    pub(super) const fn with_base_limit(base: u32, limit: u32) -> u64 {
        let (base, limit) = (base as u64, limit as u64 & 0xF_FFFF);
        (limit & 0xFFFF) | (base & 0xFF_FFFF) << 16 | (limit >> 16) << 48 | (base >> 24) << 56
    }

    /// A present 32-bit segment of type `ty` covering all 4 GiB (base 0,
    /// limit 0xFFFFF pages).
    const fn flat(dpl: Ring, ty: u64) -> Self {
        Self(Self::with_base_limit(0, 0xF_FFFF) | G | DB | P | (dpl as u64) << DPL_SHIFT | S | ty << TYPE_SHIFT)
    }

    /// A 32-bit code segment covering all 4 GiB.
    pub const fn flat_code(dpl: Ring) -> Self {
        Self::flat(dpl, TYPE_CODE_READ)
    }

    /// A 32-bit writable data segment covering all 4 GiB.
    pub const fn flat_data(dpl: Ring) -> Self {
        Self::flat(dpl, TYPE_DATA_WRITE)
    }

    /// An available 32-bit TSS of `limit + 1` bytes at `base` (byte granular).
    pub const fn tss(base: u32, limit: u32) -> Self {
        Self(Self::with_base_limit(base, limit) | P | TYPE_TSS32_AVAILABLE << TYPE_SHIFT)
    }

    pub const fn from_raw(raw: u64) -> Self {
        Self(raw)
    }
    pub const fn raw(self) -> u64 {
        self.0
    }
    pub const fn base(self) -> u32 {
        ((self.0 >> 16) & 0xFF_FFFF | ((self.0 >> 56) & 0xFF) << 24) as u32
    }
    /// The limit in bytes (granularity applied): the last valid offset.
    pub const fn limit_bytes(self) -> u32 {
        let raw = ((self.0 & 0xFFFF) | ((self.0 >> 48) & 0xF) << 16) as u32;
        if self.page_granular() { raw << 12 | 0xFFF } else { raw }
    }
    pub const fn page_granular(self) -> bool {
        self.0 & G != 0
    }
    pub const fn present(self) -> bool {
        self.0 & P != 0
    }
    pub const fn dpl(self) -> Ring {
        Ring::from_bits((self.0 >> DPL_SHIFT) as u8)
    }
    pub const fn is_32bit(self) -> bool {
        self.0 & DB != 0
    }
    pub const fn kind(self) -> DescriptorKind {
        let ty = ((self.0 >> TYPE_SHIFT) & 0xF) as u8;
        if self.0 == 0 {
            DescriptorKind::Null
        } else if self.0 & S == 0 {
            match ty {
                0x9 => DescriptorKind::Tss32 { busy: false },
                0xB => DescriptorKind::Tss32 { busy: true },
                t => DescriptorKind::OtherSystem(t),
            }
        } else if ty & 0x8 != 0 {
            DescriptorKind::Code { readable: ty & 2 != 0, conforming: ty & 4 != 0 }
        } else {
            DescriptorKind::Data { writable: ty & 2 != 0, expand_down: ty & 4 != 0 }
        }
    }
}

impl fmt::Debug for SegmentDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for SegmentDescriptor {
    /// One line, like a kernel debugger's `dg`.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.kind() == DescriptorKind::Null {
            return write!(f, "{:#018x} null", self.0);
        }
        write!(
            f,
            "{:#018x} base={:#010x} limit={:#010x} DPL={} {} {} {}",
            self.0,
            self.base(),
            self.limit_bytes(),
            self.dpl() as u8,
            if self.present() { "P " } else { "NP" },
            if self.page_granular() { "4K" } else { "1B" },
            DescriptorKindName(self.kind()),
        )
    }
}

struct DescriptorKindName(DescriptorKind);

impl fmt::Display for DescriptorKindName {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            DescriptorKind::Null => write!(f, "null"),
            DescriptorKind::Code { readable, conforming } => write!(
                f,
                "code32 {}{}",
                if readable { "execute/read" } else { "execute-only" },
                if conforming { " conforming" } else { "" }
            ),
            DescriptorKind::Data { writable, expand_down } => write!(
                f,
                "data32 {}{}",
                if writable { "read/write" } else { "read-only" },
                if expand_down { " expand-down" } else { "" }
            ),
            DescriptorKind::Tss32 { busy } => write!(f, "TSS32 {}", if busy { "busy" } else { "available" }),
            DescriptorKind::OtherSystem(t) => write!(f, "system type {t:#x}"),
        }
    }
}

/// The type of an IDT gate.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum GateKind {
    /// Switches task through a TSS (used for #DF).
    Task = 0x5,
    /// Clears IF on entry: the kernel runs with interrupts off.
    Interrupt32 = 0xE,
    Trap32 = 0xF,
}

/// One IDT entry.
#[derive(Clone, Copy, PartialEq, Eq)]
#[repr(transparent)]
pub struct GateDescriptor(u64);

const _: () = assert!(core::mem::size_of::<GateDescriptor>() == 8);

impl GateDescriptor {
    pub const MISSING: Self = Self(0);

    pub const fn new(kind: GateKind, selector: SegmentSelector, offset: u32, dpl: Ring) -> Self {
        let low = (selector.raw() as u64) << 16 | (offset as u64 & 0xFFFF);
        let high = (offset as u64 & 0xFFFF_0000) | P >> 32 | (dpl as u64) << 13 | (kind as u64) << 8;
        Self(high << 32 | low)
    }
    /// A task gate: the offset is unused, the selector names a TSS.
    pub const fn task(tss: SegmentSelector) -> Self {
        Self::new(GateKind::Task, tss, 0, Ring::Ring0)
    }
    pub const fn raw(self) -> u64 {
        self.0
    }
    pub const fn present(self) -> bool {
        self.0 & P != 0
    }
    pub const fn dpl(self) -> Ring {
        Ring::from_bits((self.0 >> DPL_SHIFT) as u8)
    }
    pub const fn selector(self) -> SegmentSelector {
        SegmentSelector((self.0 >> 16) as u16)
    }
    pub const fn offset(self) -> u32 {
        (self.0 & 0xFFFF) as u32 | ((self.0 >> 32) as u32 & 0xFFFF_0000)
    }
    pub const fn kind(self) -> Option<GateKind> {
        match (self.0 >> 40) & 0xF {
            0x5 => Some(GateKind::Task),
            0xE => Some(GateKind::Interrupt32),
            0xF => Some(GateKind::Trap32),
            _ => None,
        }
    }
}

impl fmt::Display for GateDescriptor {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.kind() {
            _ if !self.present() => write!(f, "not present"),
            Some(GateKind::Task) => {
                write!(f, "task gate      TSS {:#06x} DPL={}", self.selector().raw(), self.dpl() as u8)
            }
            Some(k) => write!(
                f,
                "{} {:#06x}:{:#010x} DPL={}",
                if k == GateKind::Interrupt32 { "interrupt gate" } else { "trap gate     " },
                self.selector().raw(),
                self.offset(),
                self.dpl() as u8
            ),
            None => write!(f, "{:#018x} unknown type", self.0),
        }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn flat_segments_match_known_encodings() {
        assert_eq!(SegmentDescriptor::flat_code(Ring::Ring3).raw(), 0x00CF_FA00_0000_FFFF);
        assert_eq!(SegmentDescriptor::flat_data(Ring::Ring3).raw(), 0x00CF_F200_0000_FFFF);
        assert_eq!(SegmentDescriptor::flat_code(Ring::Ring0).raw(), 0x00CF_9A00_0000_FFFF);
        assert_eq!(SegmentDescriptor::flat_data(Ring::Ring0).raw(), 0x00CF_9200_0000_FFFF);
    }

    #[test]
    fn descriptors_decode_what_they_encode() {
        let c = SegmentDescriptor::flat_code(Ring::Ring3);
        assert_eq!((c.base(), c.limit_bytes(), c.dpl()), (0, 0xFFFF_FFFF, Ring::Ring3));
        assert_eq!(c.kind(), DescriptorKind::Code { readable: true, conforming: false });
        assert!(c.present() && c.is_32bit() && c.page_granular());
        let t = SegmentDescriptor::tss(0xC012_3456, 103);
        assert_eq!(t.raw(), 0xC000_8912_3456_0067);
        assert_eq!((t.base(), t.limit_bytes()), (0xC012_3456, 103));
        assert_eq!(t.kind(), DescriptorKind::Tss32 { busy: false });
        assert_eq!(SegmentDescriptor::from_raw(t.raw() | 2 << 40).kind(), DescriptorKind::Tss32 { busy: true });
    }

    #[test]
    fn gates_encode_offset_selector_dpl_type() {
        let sel = SegmentSelector::new(1, Table::Gdt, Ring::Ring0);
        let g = GateDescriptor::new(GateKind::Interrupt32, sel, 0xC010_1234, Ring::Ring3);
        assert_eq!(g.raw(), 0xC010_EE00_0008_1234);
        assert_eq!((g.offset(), g.selector(), g.dpl()), (0xC010_1234, sel, Ring::Ring3));
        assert_eq!(g.kind(), Some(GateKind::Interrupt32));
        let k = GateDescriptor::new(GateKind::Interrupt32, sel, 0xC010_1234, Ring::Ring0);
        assert_eq!(k.raw(), 0xC010_8E00_0008_1234);
        let t = GateDescriptor::task(SegmentSelector::new(6, Table::Gdt, Ring::Ring0));
        assert_eq!(t.raw(), 0x0000_8500_0030_0000);
    }

    #[test]
    fn selectors_split_into_fields() {
        let s = SegmentSelector::from_raw(0x1B);
        assert_eq!((s.index(), s.table(), s.rpl()), (3, Table::Gdt, Ring::Ring3));
        let l = SegmentSelector::from_raw(0x0F);
        assert_eq!((l.index(), l.table(), l.rpl()), (1, Table::Ldt, Ring::Ring3));
        assert_eq!(SegmentSelector::new(4, Table::Gdt, Ring::Ring3).raw(), 0x23);
    }
}

//! PCI configuration space, decoded (PCI Local Bus Specification 3.0 §6.1).
//! Every function has 256 bytes of configuration registers; the first 64
//! are the type 00h/01h header read here:
//!
//! ```text
//!  0x00  device id   | vendor id        (vendor 0xFFFF: nothing there)
//!  0x04  status      | command          (command: I/O, memory, bus master)
//!  0x08  class | subclass | prog-if | revision
//!  0x0C  BIST | header type | latency | cache line   (type bit 7: multi-function)
//!  0x10  BAR0 .. 0x24 BAR5              (type 00h; a bridge has 2 BARs)
//!  0x3C  max lat | min gnt | interrupt pin | interrupt line
//! ```
//! A BAR's bit 0 tells I/O space (port in bits 31..2) from memory (address
//! in bits 31..4, bits 2..1 the width: 00 32-bit, 10 64-bit with the high
//! half in the next BAR; bit 3 prefetchable). Its size is found by writing
//! all ones and reading back which address bits stick.
//! Pure: the reading itself is in `pci_scan` (kernel only).

use core::fmt;

/// Bus, device and function: where a function sits (Linux's BDF).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Function {
    pub bus: u8,
    /// 0..32
    pub device: u8,
    /// 0..8
    pub function: u8,
}

impl fmt::Display for Function {
    /// As Linux names it: `0000:00:04.0` (domain 0).
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "0000:{:02x}:{:02x}.{}", self.bus, self.device, self.function)
    }
}

/// The word written to port 0xCF8 to select a register (mechanism #1):
/// enable bit 31, bus 23..16, device 15..11, function 10..8, register 7..2.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ConfigAddress(u32);

impl ConfigAddress {
    /// `register` is rounded down to its double word.
    pub const fn new(f: Function, register: u8) -> Self {
        Self(
            1 << 31
                | (f.bus as u32) << 16
                | ((f.device & 0x1F) as u32) << 11
                | ((f.function & 7) as u32) << 8
                | (register & 0xFC) as u32,
        )
    }

    pub const fn bits(self) -> u32 {
        self.0
    }
}

bitflags::bitflags! {
    /// The command register (offset 0x04, low half).
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct Command: u16 {
        /// The function answers its I/O BARs.
        const IO_SPACE = 1 << 0;
        /// The function answers its memory BARs.
        const MEMORY_SPACE = 1 << 1;
        /// The function may start DMA (read and write RAM by itself).
        const BUS_MASTER = 1 << 2;
        /// Set: the function may not assert its INTx# line.
        const INTX_DISABLE = 1 << 10;
    }
}

pub const REG_ID: u8 = 0x00;
pub const REG_COMMAND: u8 = 0x04;
pub const REG_CLASS: u8 = 0x08;
pub const REG_HEADER: u8 = 0x0C;
pub const REG_BAR0: u8 = 0x10;
pub const REG_INTERRUPT: u8 = 0x3C;
/// Vendor id read from an empty slot.
pub const NO_VENDOR: u16 = 0xFFFF;

/// The header layout (offset 0x0E, bits 6..0).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HeaderKind {
    /// Type 00h: an endpoint, six BARs.
    General,
    /// Type 01h: a PCI-to-PCI bridge, two BARs, a secondary bus behind it.
    PciBridge,
    /// Type 02h.
    CardBus,
    Unknown(u8),
}

/// A decoded base address register.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Bar {
    /// I/O space at `port`.
    Io { port: u32 },
    /// Memory below 4 GiB.
    Mem32 { addr: u32, prefetchable: bool },
    /// Memory anywhere; the high half is the next BAR.
    Mem64 { addr: u64, prefetchable: bool },
}

impl Bar {
    /// The BAR from its register (and the next one, for a 64-bit BAR);
    /// None for an unimplemented BAR (all zeros) or a reserved type.
    pub fn decode(low: u32, next: u32) -> Option<Bar> {
        if low == 0 {
            return None;
        }
        if low & 1 == 1 {
            return Some(Bar::Io { port: low & !3 });
        }
        let prefetchable = low & 8 != 0;
        match (low >> 1) & 3 {
            0 => Some(Bar::Mem32 { addr: low & !0xF, prefetchable }),
            2 => Some(Bar::Mem64 { addr: u64::from(next) << 32 | u64::from(low & !0xF), prefetchable }),
            _ => None,
        }
    }

    /// Whether this BAR uses the next register for its high half.
    pub fn takes_two(self) -> bool {
        matches!(self, Bar::Mem64 { .. })
    }

    /// Whether the BAR is memory (reached through paging), not I/O ports.
    pub fn is_memory(self) -> bool {
        !matches!(self, Bar::Io { .. })
    }

    pub fn address(self) -> u64 {
        match self {
            Bar::Io { port } => u64::from(port),
            Bar::Mem32 { addr, .. } => u64::from(addr),
            Bar::Mem64 { addr, .. } => addr,
        }
    }

    /// The size from what the register(s) read after all ones were
    /// written: the lowest address bit that stuck. 0 if none stuck.
    pub fn size_from_mask(self, low: u32, high: u32) -> u64 {
        let mask = match self {
            // I/O BARs decode 16 bits on x86, the upper half may read zero.
            Bar::Io { .. } => u64::from(low & !3) | 0xFFFF_FFFF_FFFF_0000,
            Bar::Mem32 { .. } => u64::from(low & !0xF) | 0xFFFF_FFFF_0000_0000,
            Bar::Mem64 { .. } => u64::from(high) << 32 | u64::from(low & !0xF),
        };
        if mask == 0xFFFF_FFFF_FFFF_0000 || mask == 0xFFFF_FFFF_0000_0000 || mask == 0 {
            return 0;
        }
        (!mask).wrapping_add(1)
    }
}

impl fmt::Display for Bar {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match *self {
            Bar::Io { port } => write!(f, "I/O {port:#x}"),
            Bar::Mem32 { addr, prefetchable } => {
                write!(f, "mem {addr:#010x}{}", if prefetchable { " prefetchable" } else { "" })
            }
            Bar::Mem64 { addr, prefetchable } => {
                write!(f, "mem64 {addr:#010x}{}", if prefetchable { " prefetchable" } else { "" })
            }
        }
    }
}

/// The interrupt register (0x3C): the pin the function uses (INTA#..INTD#)
/// and the PIC line the BIOS routed it to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Interrupt {
    /// 1..=4 for INTA#..INTD#; None: the function uses no interrupt.
    pub pin: Option<u8>,
    /// The 8259 IRQ; None: not connected (0xFF) or not a PIC line.
    pub line: Option<u8>,
}

impl Interrupt {
    pub fn decode(reg: u32) -> Self {
        let pin = ((reg >> 8) & 0xFF) as u8;
        let line = (reg & 0xFF) as u8;
        Interrupt { pin: (1..=4).contains(&pin).then_some(pin), line: (line < 16).then_some(line) }
    }
}

/// The first 64 bytes of a function's configuration space, decoded.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Header {
    pub vendor: u16,
    pub device: u16,
    pub class: u8,
    pub subclass: u8,
    pub prog_if: u8,
    pub kind: HeaderKind,
    pub multifunction: bool,
    /// BARn, None where unimplemented (and for the high half of a 64-bit one).
    pub bars: [Option<Bar>; 6],
    pub interrupt: Interrupt,
}

impl Header {
    /// Decodes the header's 16 double words; None if no function is there.
    pub fn decode(regs: &[u32; 16]) -> Option<Header> {
        let vendor = regs[0] as u16;
        if vendor == NO_VENDOR || vendor == 0 {
            return None;
        }
        let ty = (regs[3] >> 16) as u8;
        let kind = match ty & 0x7F {
            0 => HeaderKind::General,
            1 => HeaderKind::PciBridge,
            2 => HeaderKind::CardBus,
            k => HeaderKind::Unknown(k),
        };
        let count = match kind {
            HeaderKind::General => 6,
            HeaderKind::PciBridge => 2,
            _ => 0,
        };
        let mut bars = [None; 6];
        let mut i = 0;
        while i < count {
            let next = if i + 1 < count { regs[4 + i + 1] } else { 0 };
            bars[i] = Bar::decode(regs[4 + i], next);
            i += if bars[i].is_some_and(Bar::takes_two) { 2 } else { 1 };
        }
        Some(Header {
            vendor,
            device: (regs[0] >> 16) as u16,
            class: (regs[2] >> 24) as u8,
            subclass: (regs[2] >> 16) as u8,
            prog_if: (regs[2] >> 8) as u8,
            kind,
            multifunction: ty & 0x80 != 0,
            bars,
            interrupt: Interrupt::decode(regs[15]),
        })
    }

    /// What the class code says the function is.
    pub fn class_name(&self) -> &'static str {
        class_name(self.class, self.subclass)
    }
}

/// A name for a class code (PCI Code and ID Assignment Specification).
pub fn class_name(class: u8, subclass: u8) -> &'static str {
    match (class, subclass) {
        (0x01, 0x00) => "SCSI storage controller",
        (0x01, 0x01) => "IDE interface",
        (0x01, 0x06) => "SATA controller",
        (0x01, 0x08) => "non-volatile memory controller",
        (0x01, _) => "mass storage controller",
        (0x02, 0x00) => "Ethernet controller",
        (0x02, _) => "network controller",
        (0x03, 0x00) => "VGA compatible controller",
        (0x03, _) => "display controller",
        (0x04, _) => "multimedia controller",
        (0x05, _) => "memory controller",
        (0x06, 0x00) => "host bridge",
        (0x06, 0x01) => "ISA bridge",
        (0x06, 0x04) => "PCI bridge",
        (0x06, _) => "bridge",
        (0x07, _) => "communication controller",
        (0x08, _) => "system peripheral",
        (0x0C, 0x03) => "USB controller",
        (0x0C, _) => "serial bus controller",
        (0xFF, _) => "unassigned class",
        _ => "device",
    }
}

/// Human sizes for the boot report: `128 B`, `4 KiB`, `16 MiB`.
pub struct Size(pub u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self.0 {
            n if n >= 1 << 20 && n % (1 << 20) == 0 => write!(f, "{} MiB", n >> 20),
            n if n >= 1 << 10 && n % (1 << 10) == 0 => write!(f, "{} KiB", n >> 10),
            n => write!(f, "{n} B"),
        }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use alloc::format;

    const VIRTIO_BLK_00_04: [u32; 16] = [
        0x1001_1af4,
        0x0010_0007,
        0x0100_0000,
        0x0000_0000,
        0x0000_c001,
        0xfebf_1000,
        0,
        0,
        0xfe00_000c,
        0x0000_0000,
        0,
        0x0002_1af4,
        0,
        0x0000_0098,
        0,
        0x0000_010b,
    ];

    #[test]
    fn config_address_packs_bus_device_function_register() {
        let f = Function { bus: 0, device: 4, function: 0 };
        assert_eq!(ConfigAddress::new(f, 0x3C).bits(), 0x8000_203C);
        let f = Function { bus: 0xAB, device: 31, function: 7 };
        assert_eq!(ConfigAddress::new(f, 0x11).bits(), 0x80AB_FF10, "register rounded down to its dword");
        assert_eq!(format!("{f}"), "0000:ab:1f.7");
    }

    #[test]
    fn bars_decode_io_mem32_and_mem64() {
        assert_eq!(Bar::decode(0, 0), None);
        assert_eq!(Bar::decode(0xc001, 0), Some(Bar::Io { port: 0xc000 }));
        assert_eq!(Bar::decode(0xfebf_1000, 0), Some(Bar::Mem32 { addr: 0xfebf_1000, prefetchable: false }));
        assert_eq!(Bar::decode(0xfd00_0008, 0), Some(Bar::Mem32 { addr: 0xfd00_0000, prefetchable: true }));
        assert_eq!(Bar::decode(0xfe00_000c, 1), Some(Bar::Mem64 { addr: 0x1_fe00_0000, prefetchable: true }));
        assert_eq!(Bar::decode(0x0000_0006, 0), None, "type 11 is reserved");
    }

    #[test]
    fn bar_sizes_come_from_the_bits_that_stick() {
        assert_eq!(Bar::Io { port: 0 }.size_from_mask(0xffff_ff81, 0), 128);
        assert_eq!(Bar::Io { port: 0 }.size_from_mask(0x0000_ff81, 0), 128, "upper half of an I/O BAR reads 0");
        let m32 = Bar::Mem32 { addr: 0, prefetchable: false };
        assert_eq!(m32.size_from_mask(0xffff_f000, 0), 4096);
        assert_eq!(m32.size_from_mask(0xff00_0008, 0), 16 << 20);
        assert_eq!(m32.size_from_mask(0, 0), 0);
        let m64 = Bar::Mem64 { addr: 0, prefetchable: true };
        assert_eq!(m64.size_from_mask(0xffff_c00c, 0xffff_ffff), 16 * 1024);
        assert_eq!(m64.size_from_mask(0x0000_000c, 0xffff_fffe), 8 << 30);
    }

    #[test]
    fn a_virtio_block_header_decodes() {
        let h = Header::decode(&VIRTIO_BLK_00_04).expect("present");
        assert_eq!((h.vendor, h.device), (0x1af4, 0x1001));
        assert_eq!(h.class_name(), "SCSI storage controller");
        assert_eq!(h.kind, HeaderKind::General);
        assert!(!h.multifunction);
        assert_eq!(h.bars[0], Some(Bar::Io { port: 0xc000 }));
        assert_eq!(h.bars[1], Some(Bar::Mem32 { addr: 0xfebf_1000, prefetchable: false }));
        assert_eq!(h.bars[4], Some(Bar::Mem64 { addr: 0xfe00_0000, prefetchable: true }));
        assert_eq!(h.bars[5], None, "the high half of BAR4");
        assert_eq!(h.interrupt, Interrupt { pin: Some(1), line: Some(11) });
    }

    #[test]
    fn empty_slots_bridges_and_unrouted_interrupts() {
        let mut regs = [0u32; 16];
        regs[0] = 0xFFFF_FFFF;
        assert_eq!(Header::decode(&regs), None);
        regs[0] = 0x7000_8086;
        regs[2] = 0x0601_0000;
        regs[3] = 0x0080_0000;
        let h = Header::decode(&regs).expect("ISA bridge");
        assert!(h.multifunction);
        assert_eq!(h.class_name(), "ISA bridge");
        assert_eq!(h.interrupt, Interrupt { pin: None, line: Some(0) });
        regs[3] = 0x0001_0000;
        regs[6] = 0xc001; // a bridge has BAR0 and BAR1 only
        assert_eq!(Header::decode(&regs).expect("bridge").kind, HeaderKind::PciBridge);
        assert_eq!(Header::decode(&regs).expect("bridge").bars, [None; 6]);
        assert_eq!(Interrupt::decode(0x0000_01ff), Interrupt { pin: Some(1), line: None });
    }

    #[test]
    fn sizes_print_in_binary_units() {
        assert_eq!(format!("{}", Size(128)), "128 B");
        assert_eq!(format!("{}", Size(4096)), "4 KiB");
        assert_eq!(format!("{}", Size(16 << 20)), "16 MiB");
        assert_eq!(format!("{}", Size(1536)), "1536 B");
    }
}

//! The 32 CPU exception vectors (SDM Vol. 3A §6.15) and their error codes,
//! decoded once into meaning. Pure.

use bitflags::bitflags;
use core::fmt;

/// The vectors for which the CPU pushes an error code (SDM Vol. 3A §6.13),
/// one bit each: #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC, #SX. The entry
/// stubs in `trap.S` are generated from this mask.
pub const ERROR_CODE_VECTORS: u32 = 1 << 8 | 0b11111 << 10 | 1 << 17 | 1 << 21 | 1 << 29 | 1 << 30;

/// An exception vector, by the SDM's name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Exception {
    DivideError,
    Debug,
    Nmi,
    Breakpoint,
    Overflow,
    BoundRange,
    InvalidOpcode,
    DeviceNotAvailable,
    DoubleFault,
    CoprocessorSegmentOverrun,
    InvalidTss,
    SegmentNotPresent,
    StackSegmentFault,
    GeneralProtection,
    PageFault,
    X87FloatingPoint,
    AlignmentCheck,
    MachineCheck,
    SimdFloatingPoint,
    Virtualization,
    ControlProtection,
    Reserved(u8),
}

impl Exception {
    /// The page fault's vector (#PF), which the trap entry tests first
    /// after `int 0x80`.
    pub const PAGE_FAULT_VECTOR: u32 = 14;

    /// The exception for vectors 0–31; `None` for interrupts.
    pub const fn from_vector(v: u32) -> Option<Exception> {
        Some(match v {
            0 => Self::DivideError,
            1 => Self::Debug,
            2 => Self::Nmi,
            3 => Self::Breakpoint,
            4 => Self::Overflow,
            5 => Self::BoundRange,
            6 => Self::InvalidOpcode,
            7 => Self::DeviceNotAvailable,
            8 => Self::DoubleFault,
            9 => Self::CoprocessorSegmentOverrun,
            10 => Self::InvalidTss,
            11 => Self::SegmentNotPresent,
            12 => Self::StackSegmentFault,
            13 => Self::GeneralProtection,
            Self::PAGE_FAULT_VECTOR => Self::PageFault,
            16 => Self::X87FloatingPoint,
            17 => Self::AlignmentCheck,
            18 => Self::MachineCheck,
            19 => Self::SimdFloatingPoint,
            20 => Self::Virtualization,
            21 => Self::ControlProtection,
            15 | 22..=31 => Self::Reserved(v as u8),
            _ => return None,
        })
    }

    /// Whether the CPU pushes an error code for this vector. The entry stubs
    /// push a zero for the others so every trap frame has the same shape.
    pub const fn has_error_code(v: u32) -> bool {
        v < 32 && (ERROR_CODE_VECTORS >> v) & 1 != 0
    }

    /// The SDM mnemonic, e.g. `#PF`.
    pub const fn mnemonic(self) -> &'static str {
        match self {
            Self::DivideError => "#DE",
            Self::Debug => "#DB",
            Self::Nmi => "NMI",
            Self::Breakpoint => "#BP",
            Self::Overflow => "#OF",
            Self::BoundRange => "#BR",
            Self::InvalidOpcode => "#UD",
            Self::DeviceNotAvailable => "#NM",
            Self::DoubleFault => "#DF",
            Self::CoprocessorSegmentOverrun => "#MF(old)",
            Self::InvalidTss => "#TS",
            Self::SegmentNotPresent => "#NP",
            Self::StackSegmentFault => "#SS",
            Self::GeneralProtection => "#GP",
            Self::PageFault => "#PF",
            Self::X87FloatingPoint => "#MF",
            Self::AlignmentCheck => "#AC",
            Self::MachineCheck => "#MC",
            Self::SimdFloatingPoint => "#XM",
            Self::Virtualization => "#VE",
            Self::ControlProtection => "#CP",
            Self::Reserved(_) => "reserved",
        }
    }

    pub const fn name(self) -> &'static str {
        match self {
            Self::DivideError => "divide error",
            Self::Debug => "debug exception",
            Self::Nmi => "non-maskable interrupt",
            Self::Breakpoint => "breakpoint",
            Self::Overflow => "overflow",
            Self::BoundRange => "BOUND range exceeded",
            Self::InvalidOpcode => "invalid opcode",
            Self::DeviceNotAvailable => "device not available",
            Self::DoubleFault => "double fault",
            Self::CoprocessorSegmentOverrun => "coprocessor segment overrun",
            Self::InvalidTss => "invalid TSS",
            Self::SegmentNotPresent => "segment not present",
            Self::StackSegmentFault => "stack-segment fault",
            Self::GeneralProtection => "general protection fault",
            Self::PageFault => "page fault",
            Self::X87FloatingPoint => "x87 floating-point error",
            Self::AlignmentCheck => "alignment check",
            Self::MachineCheck => "machine check",
            Self::SimdFloatingPoint => "SIMD floating-point exception",
            Self::Virtualization => "virtualization exception",
            Self::ControlProtection => "control protection exception",
            Self::Reserved(_) => "reserved exception",
        }
    }
}

bitflags! {
    /// The page-fault error code (SDM Vol. 3A §4.7). Without PAE there is no
    /// NX bit, so an instruction fetch is reported as a read.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct PfError: u32 {
        /// Set: a protection violation on a present page. Clear: not present.
        const PRESENT = 1 << 0;
        /// Set: the access was a write.
        const WRITE = 1 << 1;
        /// Set: the access came from ring 3.
        const USER = 1 << 2;
        /// Set: a reserved bit was set in a paging entry.
        const RSVD = 1 << 3;
        /// Set: an instruction fetch (only with PAE/NX; never here).
        const FETCH = 1 << 4;
    }
}

/// What the faulting access tried to do.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Access {
    Read,
    Write,
}

/// Which privilege level made the access.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Origin {
    User,
    Kernel,
}

impl PfError {
    pub fn access(self) -> Access {
        if self.contains(Self::WRITE) { Access::Write } else { Access::Read }
    }
    pub fn origin(self) -> Origin {
        if self.contains(Self::USER) { Origin::User } else { Origin::Kernel }
    }
}

impl fmt::Display for PfError {
    /// Like `P|W|U`: P or NP, R or W, U or S, plus RSVD.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if self.contains(Self::PRESENT) { "P" } else { "NP" })?;
        f.write_str(if self.contains(Self::WRITE) { "|W" } else { "|R" })?;
        f.write_str(if self.contains(Self::USER) { "|U" } else { "|S" })?;
        if self.contains(Self::RSVD) {
            f.write_str("|RSVD")?;
        }
        Ok(())
    }
}

/// The error code of #TS, #NP, #SS and #GP: the selector or IDT vector that
/// caused the fault (SDM Vol. 3A §6.13), or zero.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SelectorError(pub u32);

/// Where a selector error code points.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SelectorTable {
    Gdt,
    Idt,
    Ldt,
}

impl SelectorError {
    /// Bit 0: the event was external to the program (an interrupt).
    pub const fn external(self) -> bool {
        self.0 & 1 != 0
    }
    pub const fn table(self) -> SelectorTable {
        if self.0 & 2 != 0 {
            SelectorTable::Idt
        } else if self.0 & 4 != 0 {
            SelectorTable::Ldt
        } else {
            SelectorTable::Gdt
        }
    }
    pub const fn index(self) -> u32 {
        (self.0 >> 3) & 0x1FFF
    }
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("no selector");
        }
        match self.table() {
            SelectorTable::Idt => write!(f, "IDT vector {:#x}", self.index())?,
            SelectorTable::Gdt => write!(f, "GDT index {}", self.index())?,
            SelectorTable::Ldt => write!(f, "LDT index {}", self.index())?,
        }
        if self.external() {
            f.write_str(", external")?;
        }
        Ok(())
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn page_fault_codes_decode() {
        let e = PfError::from_bits_retain(0b111);
        assert_eq!((e.access(), e.origin()), (Access::Write, Origin::User));
        assert_eq!(e.to_string(), "P|W|U");
        let k = PfError::from_bits_retain(0);
        assert_eq!((k.access(), k.origin()), (Access::Read, Origin::Kernel));
        assert_eq!(k.to_string(), "NP|R|S");
        assert_eq!(PfError::from_bits_retain(0b1101).to_string(), "P|R|U|RSVD");
    }

    #[test]
    fn selector_error_codes_decode() {
        // `int 0x0e` from ring 3 through a DPL-0 gate: IDT vector 14.
        let e = SelectorError(0x0e << 3 | 2);
        assert_eq!((e.table(), e.index(), e.external()), (SelectorTable::Idt, 14, false));
        assert_eq!(e.to_string(), "IDT vector 0xe");
        assert_eq!(SelectorError(0x31).to_string(), "GDT index 6, external");
        assert_eq!(SelectorError(0x0c).table(), SelectorTable::Ldt);
    }

    #[test]
    fn vectors_with_error_codes() {
        let with: Vec<u32> = (0..32).filter(|&v| Exception::has_error_code(v)).collect();
        assert_eq!(with, vec![8, 10, 11, 12, 13, 14, 17, 21, 29, 30]);
    }

    #[test]
    fn vectors_decode() {
        assert_eq!(Exception::from_vector(14), Some(Exception::PageFault));
        assert_eq!(Exception::from_vector(15), Some(Exception::Reserved(15)));
        assert_eq!(Exception::from_vector(32), None);
    }
}

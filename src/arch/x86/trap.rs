//! The trap frame, the entry stubs (`trap.S`) and the decoding of a trap
//! into a typed event. The stubs save the frame and call `trap_entry` in
//! `src/trap.rs`, which alone decides who handles the event; the #DF task
//! calls `double_fault_report` there.

use super::exception::{ERROR_CODE_VECTORS, Exception, PfError};
use super::gdt::{KERNEL_DATA, USER_CODE, USER_DATA};
use super::{cpu, idt, pic};
use core::fmt;

// The stubs push a zero error code exactly for the vectors the CPU gives
// none (the same mask `Exception::has_error_code` reads), so every frame
// has one shape.
core::arch::global_asm!(
    include_str!("trap.S"),
    error_code_vectors = const ERROR_CODE_VECTORS,
    kernel_data = const KERNEL_DATA.raw(),
    user_data = const USER_DATA.raw(),
    page_fault_vector = const Exception::PAGE_FAULT_VECTOR,
    syscall_vector = const idt::SYSCALL_VECTOR,
    options(att_syntax)
);

/// Everything the entry path saved, lowest address first: `pushal`'s
/// registers, the data segments, the vector and error code, and the CPU's
/// interrupt frame. `user_esp`/`user_ss` exist only when the trap came from
/// ring 3 (a same-ring trap does not switch stacks).
#[derive(Clone, Copy, Default, Debug)]
#[repr(C)]
pub struct TrapFrame {
    pub edi: u32,
    pub esi: u32,
    pub ebp: u32,
    /// ESP at `pushal`, ignored by `popal`.
    pub kernel_esp: u32,
    pub ebx: u32,
    pub edx: u32,
    pub ecx: u32,
    pub eax: u32,
    pub gs: u32,
    pub fs: u32,
    pub es: u32,
    pub ds: u32,
    pub vector: u32,
    pub error_code: u32,
    pub eip: u32,
    pub cs: u32,
    pub eflags: u32,
    pub user_esp: u32,
    pub user_ss: u32,
}

const _: () = assert!(core::mem::size_of::<TrapFrame>() == 19 * 4);

/// EFLAGS.IF: interrupts enabled.
pub const EFLAGS_IF: u32 = 1 << 9;
/// EFLAGS bit 1 is reserved and always set.
pub const EFLAGS_RESERVED: u32 = 1 << 1;

impl TrapFrame {
    /// Whether the CPU was in ring 3 when the trap happened.
    pub fn from_user(&self) -> bool {
        self.cs & 3 == 3
    }

    /// A frame that `iret`s to ring 3 at `eip` with stack `esp`: user
    /// segments (FS and GS null, as Linux starts a program), IF set and
    /// IOPL 0 (so cli/sti/in/out fault in ring 3), every register zero.
    pub fn new_user(eip: u32, esp: u32) -> Self {
        let data = u32::from(USER_DATA.raw());
        TrapFrame {
            eip,
            cs: u32::from(USER_CODE.raw()),
            eflags: EFLAGS_IF | EFLAGS_RESERVED,
            user_esp: esp,
            user_ss: data,
            ds: data,
            es: data,
            ..Default::default()
        }
    }
}

impl fmt::Display for TrapFrame {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        writeln!(f, "  eip={:#010x} cs={:#06x} eflags={:#010x}", self.eip, self.cs, self.eflags)?;
        writeln!(f, "  eax={:#010x} ebx={:#010x} ecx={:#010x} edx={:#010x}", self.eax, self.ebx, self.ecx, self.edx)?;
        write!(f, "  esi={:#010x} edi={:#010x} ebp={:#010x} ", self.esi, self.edi, self.ebp)?;
        if self.from_user() {
            write!(f, "esp={:#010x} ss={:#06x}", self.user_esp, self.user_ss)
        } else {
            // A same-ring trap pushed no ESP: the interrupted stack continues
            // right above the CPU's three words.
            write!(f, "esp={:#010x}", self as *const _ as u32 + 17 * 4)
        }
    }
}

/// What a trap was, decoded from its vector (and, for a page fault, CR2 and
/// the error code).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TrapEvent {
    /// `int 0x80`.
    SystemCall,
    /// A hardware interrupt on this PIC line (0–15).
    Irq(u8),
    /// #PF: the linear address (CR2) and what the access was.
    PageFault { addr: u32, err: PfError },
    /// Any other CPU exception.
    Exception(Exception),
    /// A vector nothing is wired to raise (a stray `int N` from ring 0).
    Unexpected(u32),
}

impl TrapFrame {
    /// Decodes the trap. Reads CR2 for a page fault, so call it before
    /// anything can fault again.
    #[inline]
    pub fn event(&self) -> TrapEvent {
        match self.vector {
            idt::SYSCALL_VECTOR => TrapEvent::SystemCall,
            Exception::PAGE_FAULT_VECTOR => {
                TrapEvent::PageFault { addr: cpu::read_cr2(), err: PfError::from_bits_retain(self.error_code) }
            }
            v if v < 32 => TrapEvent::Exception(Exception::from_vector(v).unwrap_or(Exception::Reserved(v as u8))),
            v if let Some(irq) = pic::irq_of_vector(v) => TrapEvent::Irq(irq),
            v => TrapEvent::Unexpected(v),
        }
    }
}

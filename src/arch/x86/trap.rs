//! The trap frame and the one Rust function every interrupt, exception and
//! system call enters through.

use super::exception::{Exception, PfError, SelectorError};
use super::gdt::USER_CODE;
use super::{idt, pic};
use crate::kprintln;
use core::fmt;

core::arch::global_asm!(include_str!("trap.S"), options(att_syntax));

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
        let data = u32::from(super::gdt::USER_DATA.raw());
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

/// A test (or debugger) may take over kernel-mode exceptions: return true if
/// handled. Used by tests that expect a fault.
pub type KernelExceptionHook = fn(&mut TrapFrame, Exception, u32) -> bool;
static KERNEL_EXCEPTION_HOOK: spin::Once<KernelExceptionHook> = spin::Once::new();

pub fn set_kernel_exception_hook(hook: KernelExceptionHook) {
    KERNEL_EXCEPTION_HOOK.call_once(|| hook);
}

#[unsafe(no_mangle)]
extern "C" fn trap_dispatch(frame: &mut TrapFrame) {
    match frame.vector {
        v if v < 32 => exception(frame, Exception::from_vector(v).unwrap_or(Exception::Reserved(v as u8))),
        v if pic::is_irq_vector(v) => pic::dispatch(frame),
        idt::SYSCALL_VECTOR => crate::syscall::dispatch(frame),
        v => log::warn!("unexpected interrupt vector {v:#x} at eip {:#010x}", frame.eip),
    }
    if frame.from_user() {
        crate::task::on_return_to_user(frame);
    }
}

fn exception(frame: &mut TrapFrame, exc: Exception) {
    let cr2 = if exc == Exception::PageFault { read_cr2() } else { 0 };
    if exc == Exception::PageFault && crate::mm::fault::on_page_fault(frame, cr2) {
        return;
    }
    if frame.from_user() {
        crate::task::on_user_exception(frame, exc, cr2);
        return;
    }
    if exc == Exception::Breakpoint {
        kprintln!("breakpoint in kernel at eip {:#010x}: continuing", frame.eip - 1);
        return;
    }
    if let Some(hook) = KERNEL_EXCEPTION_HOOK.get()
        && hook(frame, exc, cr2)
    {
        return;
    }
    report_kernel_exception(frame, exc, cr2);
    panic!("{} ({}) in kernel mode", exc.name(), exc.mnemonic());
}

/// The readable report of an exception the kernel itself caused.
pub fn report_kernel_exception(frame: &TrapFrame, exc: Exception, cr2: u32) {
    kprintln!("\nKERNEL EXCEPTION {} {} (vector {})", exc.mnemonic(), exc.name(), frame.vector);
    match exc {
        Exception::PageFault => {
            let err = PfError::from_bits_retain(frame.error_code);
            kprintln!("  error code {:#x} = {err}  address (CR2) = {cr2:#010x}", frame.error_code);
        }
        Exception::GeneralProtection
        | Exception::InvalidTss
        | Exception::SegmentNotPresent
        | Exception::StackSegmentFault => {
            kprintln!("  error code {:#x} = {}", frame.error_code, SelectorError(frame.error_code));
        }
        _ if Exception::has_error_code(frame.vector) => kprintln!("  error code {:#x}", frame.error_code),
        _ => {}
    }
    if let Some((name, off)) = crate::symbols::lookup(frame.eip) {
        kprintln!("  in {:#}+{off:#x}", rustc_demangle::demangle(name));
    }
    kprintln!("{frame}");
}

pub fn read_cr2() -> u32 {
    // SAFETY: reading CR2 has no side effects.
    unsafe { x86::controlregs::cr2() as u32 }
}

/// Called by the #DF task (trap.S) on its own stack. The faulting context was
/// saved in the main TSS by the task switch.
#[unsafe(no_mangle)]
extern "C" fn double_fault_report(error_code: u32) -> ! {
    let t = super::tss::main_snapshot();
    let cr2 = read_cr2();
    // SAFETY: the faulting task never runs again, so whatever console lock
    // it held is dead.
    unsafe {
        crate::console::serial::force_unlock();
        crate::console::vga::force_unlock();
    }
    kprintln!("\nDOUBLE FAULT (#DF, error code {error_code}): the kernel could not deliver an exception");
    kprintln!("  faulting context: eip={:#010x} esp={:#010x} ebp={:#010x} cr2={cr2:#010x}", t.eip, t.esp, t.ebp);
    if let Some((name, off)) = crate::symbols::lookup(t.eip) {
        kprintln!("  in {:#}+{off:#x}", rustc_demangle::demangle(name));
    }
    if let Some(stack) = crate::mm::kstack::guard_page_of(cr2).or_else(|| crate::mm::kstack::guard_page_of(t.esp)) {
        kprintln!("  cause: kernel stack overflow into the guard page of {stack}");
    }
    if let Some(hook) = DOUBLE_FAULT_HOOK.get() {
        hook();
    }
    crate::qemu::exit(crate::qemu::ExitCode::Panic)
}

static DOUBLE_FAULT_HOOK: spin::Once<fn() -> !> = spin::Once::new();

/// Lets a test end the run its own way after the double-fault report.
pub fn set_double_fault_hook(hook: fn() -> !) {
    DOUBLE_FAULT_HOOK.call_once(|| hook);
}

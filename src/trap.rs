//! The switchboard: every interrupt, exception and system call arrives in
//! `trap_entry` (from the stubs in `arch/x86/trap.S`) — page faults in
//! `page_fault_entry`, which keeps the user's on one page of code — and
//! this is the one place that decides who handles it, as xv6's `trap.c`
//! does:
//!
//! | event                     | from ring 3                         | from ring 0                 |
//! |---------------------------|-------------------------------------|-----------------------------|
//! | `int 0x80`                | `syscall::dispatch`                 | (cannot happen: DPL 3 gate) |
//! | page fault                | `task::on_user_page_fault` (mm resolves, or the task is killed) | kernel bug: report, panic |
//! | #NM (CR0.TS set)          | `task::on_fpu_unavailable` (lazy FPU switch) | report, panic |
//! | other exception           | `task::on_user_exception` (a signal)| int3 continues; else report, panic |
//! | IRQ 0 (PIT)               | tick the clock, then the scheduler  | same                        |
//! | IRQ 4 (COM1)              | drain the UART, wake console readers| same                        |
//! | the disk's PCI IRQ        | `dev::blk` collects finished requests, wakes their tasks | same |
//!
//! Every trap from ring 3 leaves through `task::on_return_to_user`, where
//! pending signals, stops and the end of a time slice take effect.
//! Test kernels may take over kernel-mode exceptions and the double-fault
//! report through the hooks below.

use crate::arch::x86::exception::{Exception, PfError, SelectorError};
use crate::arch::x86::qemu::{ExitCode, exit};
use crate::arch::x86::trap::{TrapEvent, TrapFrame};
use crate::arch::x86::{cpu, pic, pit, tss};
use crate::{console, kprintln, mm, symbols, syscall, task};
use core::sync::atomic::{AtomicU32, Ordering};

/// The last page fault seen, user or kernel, for the debugger (`pf` in
/// gdb reads three words here): CR2, the error code, EIP.
#[unsafe(no_mangle)]
pub static LAST_PAGE_FAULT: [AtomicU32; 3] = [AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0)];

/// Called by the entry stubs with the saved frame; returns into it. On
/// the trap path's pages, after `page_fault_entry` (see trap.S).
#[unsafe(no_mangle)]
#[unsafe(link_section = ".text.trap.entry")]
extern "C" fn trap_entry(frame: &mut TrapFrame) {
    // System calls first, on the shortest path: they are most of the traps.
    if frame.vector == crate::arch::x86::idt::SYSCALL_VECTOR {
        syscall::dispatch(frame);
        task::on_return_to_user(frame);
    } else {
        other_trap(frame);
    }
}

/// Called by the page-fault stub (trap.S) with the saved frame; returns
/// into it. A fault from ring 3 is resolved (or answered) here with the
/// whole resolution inlined, on the same page as the stub; the kernel's
/// own faults go the general way.
#[unsafe(no_mangle)]
#[unsafe(link_section = ".text.trap.fault")]
extern "C" fn page_fault_entry(frame: &mut TrapFrame) {
    if frame.from_user() {
        let (addr, err) = (cpu::read_cr2(), PfError::from_bits_retain(frame.error_code));
        note_page_fault(frame, addr, err);
        task::on_user_page_fault(frame, addr, err);
        task::on_return_from_fault(frame);
    } else {
        other_trap(frame);
    }
}

/// Everything but a system call and a user page fault.
#[inline(never)]
#[cold]
fn other_trap(frame: &mut TrapFrame) {
    match frame.event() {
        // `trap_entry` takes every system call before this.
        TrapEvent::SystemCall => unreachable!("int 0x80 past trap_entry"),
        TrapEvent::Irq(irq) => interrupt(irq),
        TrapEvent::PageFault { addr, err } => page_fault(frame, addr, err),
        TrapEvent::Exception(exc) => exception(frame, exc),
        TrapEvent::Unexpected(v) => log::warn!("unexpected interrupt vector {v:#x} at eip {:#010x}", frame.eip),
    }
    if frame.from_user() {
        task::on_return_to_user(frame);
    }
}

/// A hardware interrupt: acknowledge it at the PIC, then the device's work.
fn interrupt(irq: u8) {
    if !pic::acknowledge(irq) {
        return; // spurious: the line dropped before the CPU took it
    }
    task::kstat::on_irq(irq);
    match irq {
        pic::IRQ_TIMER => {
            pit::tick();
            task::sched::on_timer_tick();
            let now = crate::time::monotonic_ns();
            task::deliver::expire_real_timers(&mut task::sched::SCHED.lock(), now);
        }
        pic::IRQ_COM1 => {
            console::serial::poll_input();
            task::on_console_input();
        }
        _ if crate::dev::blk::on_interrupt(irq) => {}
        _ => log::debug!("IRQ {irq} with no driver"),
    }
}

/// A page fault `other_trap` decoded: the kernel's own, as
/// `page_fault_entry` takes ring 3's (a user fault is still resolved here
/// if one ever comes this way).
fn page_fault(frame: &mut TrapFrame, addr: u32, err: PfError) {
    note_page_fault(frame, addr, err);
    if frame.from_user() {
        task::on_user_page_fault(frame, addr, err);
    } else {
        // The kernel touches user memory only through `mm::usercopy`, which
        // faults pages in first: a kernel page fault is always a bug.
        kernel_exception(frame, Exception::PageFault, addr);
    }
}

/// Keeps the fault for the debugger (`LAST_PAGE_FAULT`).
#[inline(always)]
fn note_page_fault(frame: &TrapFrame, addr: u32, err: PfError) {
    for (slot, v) in LAST_PAGE_FAULT.iter().zip([addr, err.bits(), frame.eip]) {
        slot.store(v, Ordering::Relaxed);
    }
}

fn exception(frame: &mut TrapFrame, exc: Exception) {
    if frame.from_user() && exc == Exception::DeviceNotAvailable {
        // CR0.TS: the task's first FPU instruction since another had the
        // FPU (`arch::x86::fpu`); its state goes in and it runs on.
        task::on_fpu_unavailable();
    } else if frame.from_user() {
        task::on_user_exception(frame, exc);
    } else if exc == Exception::Breakpoint {
        kprintln!("breakpoint in kernel at eip {:#010x}: continuing", frame.eip - 1);
    } else {
        kernel_exception(frame, exc, 0);
    }
}

/// A test (or debugger) may take over kernel-mode exceptions: return true if
/// handled. Used by test kernels that expect a fault.
pub type KernelExceptionHook = fn(&mut TrapFrame, Exception, u32) -> bool;
static KERNEL_EXCEPTION_HOOK: spin::Once<KernelExceptionHook> = spin::Once::new();

pub fn set_kernel_exception_hook(hook: KernelExceptionHook) {
    KERNEL_EXCEPTION_HOOK.call_once(|| hook);
}

fn kernel_exception(frame: &mut TrapFrame, exc: Exception, cr2: u32) {
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
    if let Some((name, off)) = symbols::lookup(frame.eip) {
        kprintln!("  in {:#}+{off:#x}", rustc_demangle::demangle(name));
    }
    kprintln!("{frame}");
}

static DOUBLE_FAULT_HOOK: spin::Once<fn() -> !> = spin::Once::new();

/// Lets a test end the run its own way after the double-fault report.
pub fn set_double_fault_hook(hook: fn() -> !) {
    DOUBLE_FAULT_HOOK.call_once(|| hook);
}

/// Called by the #DF task (`trap.S`) on its own stack. The faulting context
/// was saved in the main TSS by the task switch.
#[unsafe(no_mangle)]
extern "C" fn double_fault_report(error_code: u32) -> ! {
    let t = tss::main_snapshot();
    let cr2 = cpu::read_cr2();
    // SAFETY: the faulting task never runs again, so whatever console lock
    // it held is dead.
    unsafe {
        console::serial::force_unlock();
        console::vga::force_unlock();
    }
    kprintln!("\nDOUBLE FAULT (#DF, error code {error_code}): the kernel could not deliver an exception");
    kprintln!("  faulting context: eip={:#010x} esp={:#010x} ebp={:#010x} cr2={cr2:#010x}", t.eip, t.esp, t.ebp);
    if let Some((name, off)) = symbols::lookup(t.eip) {
        kprintln!("  in {:#}+{off:#x}", rustc_demangle::demangle(name));
    }
    if let Some(stack) = mm::kstack::guard_page_of(cr2).or_else(|| mm::kstack::guard_page_of(t.esp)) {
        kprintln!("  cause: kernel stack overflow into the guard page of {stack}");
    }
    if let Some(hook) = DOUBLE_FAULT_HOOK.get() {
        hook();
    }
    exit(ExitCode::Panic)
}

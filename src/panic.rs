//! The panic handler: message, location and a frame-pointer backtrace with
//! symbol names on the console, then QEMU exits with the "panic" code.
//!
//! Tests that expect a panic install a hook (`set_hook`) that judges it.

use crate::arch::x86::instructions::{disable_interrupts, frame_pointer};
use crate::qemu::{ExitCode, exit};
use crate::{kprintln, symbols};
use core::panic::PanicInfo;
use core::sync::atomic::{AtomicBool, Ordering};

static HOOK: spin::Once<fn(&PanicInfo) -> !> = spin::Once::new();
static PANICKING: AtomicBool = AtomicBool::new(false);

/// Lets a test decide what a panic means (e.g. "the expected report came").
pub fn set_hook(hook: fn(&PanicInfo) -> !) {
    HOOK.call_once(|| hook);
}

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    disable_interrupts();
    if PANICKING.swap(true, Ordering::SeqCst) {
        // A panic while reporting a panic: say the least possible.
        exit(ExitCode::Panic);
    }
    // SAFETY: interrupts are off and this CPU never returns to whatever
    // held the console locks.
    unsafe {
        crate::console::serial::force_unlock();
        crate::console::vga::force_unlock();
    }
    if let Some(hook) = HOOK.get() {
        hook(info);
    }
    kprintln!("\nKERNEL PANIC: {}", info.message());
    if let Some(loc) = info.location() {
        kprintln!("  at {}:{}:{}", loc.file(), loc.line(), loc.column());
    }
    print_backtrace(frame_pointer());
    exit(ExitCode::Panic)
}

/// Walks saved-EBP links from `ebp`, printing each return address with its
/// symbol. Stops at a null or misaligned link, or one outside the kernel half.
pub fn print_backtrace(mut ebp: u32) {
    kprintln!("backtrace:");
    for depth in 0..32 {
        if ebp == 0 || !ebp.is_multiple_of(4) || !(crate::mm::layout::KERNEL_BASE..=0xFFFF_FFF0).contains(&ebp) {
            break;
        }
        let frame = ebp as *const u32;
        // SAFETY: ebp is a 4-aligned kernel-half address that a prologue
        // pushed; stacks are mapped, and a corrupt chain would at worst fault
        // into the double-fault handler, which reports without us.
        let (next, ret) = unsafe { (frame.read(), frame.add(1).read()) };
        if ret == 0 {
            break;
        }
        // The call is the instruction before the return address, and may be
        // the last one of its function: look up ret - 1.
        match symbols::lookup(ret - 1) {
            Some((name, off)) => {
                kprintln!("  #{depth:<2} {ret:#010x} {:#}+{:#x}", rustc_demangle::demangle(name), off + 1)
            }
            None => kprintln!("  #{depth:<2} {ret:#010x} ?"),
        }
        ebp = next;
    }
}

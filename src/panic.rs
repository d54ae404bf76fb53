//! The panic handler: message, location and a frame-pointer backtrace with
//! symbol names on the console, then QEMU exits with the "panic" code.
//!
//! Tests that expect a panic install a hook (`set_hook`) that judges it.

use crate::arch::x86::instructions::{disable_interrupts, frame_pointer};
use crate::arch::x86::qemu::{ExitCode, exit};
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

/// Whether the two words at `addr` can be read (a corrupt chain must end
/// the backtrace, not fault inside the panic handler).
fn mapped(addr: u32) -> bool {
    use crate::mm::addr::{PhysAddr, VirtAddr};
    let pd = PhysAddr::new(crate::mm::paging::current_cr3()).frame();
    [addr, addr + 4].iter().all(|&a| crate::mm::paging::walk_directory(pd, VirtAddr::new(a)).phys.is_some())
}

/// Walks saved-EBP links from `ebp`, printing each return address with its
/// symbol. Stops at a null or misaligned link, or one outside the kernel half.
pub fn print_backtrace(mut ebp: u32) {
    kprintln!("backtrace:");
    for depth in 0..32 {
        if ebp == 0
            || !ebp.is_multiple_of(4)
            || !(crate::mm::layout::KERNEL_BASE..=0xFFFF_FFF0).contains(&ebp)
            || !mapped(ebp)
        {
            break;
        }
        let frame = ebp as *const u32;
        // SAFETY: ebp is a 4-aligned kernel-half address whose two words
        // the page tables map (checked just above).
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

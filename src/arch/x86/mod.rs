//! 32-bit x86: descriptor tables, interrupts, the PIC and PIT, and the few
//! instructions the rest of the kernel may ask for.
//!
//! Encodings (descriptors, gates, error codes) are pure and host-tested; the
//! modules that load them into the CPU compile only for the kernel target.

pub mod descriptor;
pub mod exception;

#[cfg(target_os = "none")]
pub mod boot;
#[cfg(target_os = "none")]
pub mod fpu;
#[cfg(target_os = "none")]
pub mod gdt;
#[cfg(target_os = "none")]
pub mod idt;
#[cfg(target_os = "none")]
pub mod instructions;
#[cfg(target_os = "none")]
pub mod pic;
#[cfg(target_os = "none")]
pub mod pit;
#[cfg(target_os = "none")]
pub mod trap;
#[cfg(target_os = "none")]
pub mod tss;

/// GDT with its TSSs, then the IDT; interrupts stay off.
#[cfg(target_os = "none")]
pub fn init_cpu() {
    let cr3 = crate::mm::paging::current_cr3();
    let (main, df) = tss::init(cr3, crate::symbol_addr!(boot_stack_top));
    gdt::init(main, df);
    idt::init();
    fpu::init();
}

/// The PIC, the timer and the serial receive interrupt.
#[cfg(target_os = "none")]
pub fn init_interrupts() {
    pic::init();
    pit::init();
    crate::console::serial::enable_receive_interrupt();
}

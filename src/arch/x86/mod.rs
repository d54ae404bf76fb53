//! 32-bit x86: descriptor tables, interrupts, the PIC and PIT, and the few
//! instructions the rest of the kernel may ask for.
//!
//! Encodings (descriptors, gates, error codes) are pure and host-tested; the
//! modules that load them into the CPU compile only for the kernel target.

pub mod descriptor;
pub mod exception;

// Declared directly: it exports a macro (symbol_addr!), which a
// macro-declared module may not.
#[cfg(target_os = "none")]
pub mod boot;

kernel_only! {
    pub mod fpu;
    pub mod gdt;
    pub mod idt;
    pub mod instructions;
    pub mod pic;
    pub mod pit;
    pub mod trap;
    pub mod tss;
}

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

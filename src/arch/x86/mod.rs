//! 32-bit x86 and the PC around it: the only layer that touches hardware.
//! Descriptor tables, the trap entry and its frame, control registers and
//! the TLB, the context switch, port I/O (PIC, PIT, CMOS, QEMU's exit
//! device), the FPU. Nothing here names a process, a file or a system call:
//! `src/trap.rs` decides what an event means.
//!
//! Encodings (descriptors, gates, error codes, the RTC's registers) are pure
//! and host-tested; the modules that load them into the CPU compile only for
//! the kernel target.

pub mod cmos;
pub mod descriptor;
pub mod exception;
pub mod onecpu;
pub mod tls;

// Exports a macro (symbol_addr!).
#[cfg(target_os = "none")]
pub mod boot;

#[cfg(target_os = "none")]
pub mod benchgate;
#[cfg(target_os = "none")]
pub mod context;
#[cfg(target_os = "none")]
pub mod cpu;
#[cfg(target_os = "none")]
pub mod fpu;
#[cfg(target_os = "none")]
pub mod gdt;
#[cfg(target_os = "none")]
pub mod idt;
#[cfg(target_os = "none")]
pub mod instructions;
#[cfg(target_os = "none")]
pub mod memfns;
#[cfg(target_os = "none")]
pub mod pci;
#[cfg(target_os = "none")]
pub mod pic;
#[cfg(target_os = "none")]
pub mod pit;
#[cfg(target_os = "none")]
pub mod qemu;
#[cfg(target_os = "none")]
pub mod trap;
#[cfg(target_os = "none")]
pub mod tss;

/// GDT with its TSSs, then the IDT; interrupts stay off.
#[cfg(target_os = "none")]
pub fn init_cpu() {
    let (main, df) = tss::init(cpu::read_cr3(), crate::symbol_addr!(boot_stack_top));
    gdt::init(main, df);
    idt::init();
    fpu::init();
}

/// The PIC and the timer; interrupts stay off.
#[cfg(target_os = "none")]
pub fn init_interrupts() {
    pic::init();
    pit::init();
}

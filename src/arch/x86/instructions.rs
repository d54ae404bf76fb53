//! Single instructions, wrapped so the rest of the kernel needs no `asm!`.

use core::arch::asm;

/// Stops the CPU until the next interrupt, with interrupts enabled for the
/// wait only: returns with IF clear, as the kernel runs.
pub fn wait_for_interrupt() {
    // SAFETY: `sti; hlt` is atomic with respect to interrupts (the STI shadow
    // covers HLT), so no wake-up is lost; `cli` restores the kernel's rule
    // that it runs with interrupts off.
    unsafe { asm!("sti", "hlt", "cli", options(nomem, nostack)) };
}

/// Lets the interrupts already pending in, then turns them off again: a
/// point where the kernel, which runs with interrupts off, takes the clock
/// tick it would otherwise miss while tasks switch among themselves
/// without returning to user mode.
pub fn interrupt_window() {
    // SAFETY: the caller holds no lock an interrupt handler takes (it is
    // about to give up the CPU, which has the same rule). STI's shadow
    // covers the NOP, so pending interrupts are taken at the CLI; the
    // handlers return with IF restored from the frame, then CLI clears it.
    unsafe { asm!("sti", "nop", "cli", options(nomem, nostack)) };
}

/// Halts forever with interrupts off.
pub fn halt_forever() -> ! {
    loop {
        // SAFETY: cli; hlt only stops this CPU.
        unsafe { asm!("cli", "hlt", options(nomem, nostack)) };
    }
}

/// Interrupts off; the kernel's normal state.
pub fn disable_interrupts() {
    // SAFETY: clearing IF cannot break memory safety.
    unsafe { asm!("cli", options(nomem, nostack)) };
}

/// The time-stamp counter.
pub fn rdtsc() -> u64 {
    let lo: u32;
    let hi: u32;
    // SAFETY: RDTSC only reads a counter (CR4.TSD is clear in ring 0 anyway).
    unsafe { asm!("rdtsc", out("eax") lo, out("edx") hi, options(nomem, nostack)) };
    u64::from(hi) << 32 | u64::from(lo)
}

/// The current frame pointer (EBP), for backtraces.
pub fn frame_pointer() -> u32 {
    let ebp: u32;
    // SAFETY: reading a register has no side effects.
    unsafe { asm!("mov {}, ebp", out(reg) ebp, options(nomem, nostack)) };
    ebp
}

/// `int3`: the breakpoint exception, vector 3.
pub fn breakpoint() {
    // SAFETY: the IDT has a breakpoint handler that returns.
    unsafe { asm!("int3", options(nomem, nostack)) };
}

/// Writes a byte to an I/O port.
///
/// # Safety
/// The port must belong to a device whose driver is the caller.
pub unsafe fn outb(port: u16, value: u8) {
    // SAFETY: forwarded to the caller.
    unsafe { x86::io::outb(port, value) };
}

/// Reads a byte from an I/O port.
///
/// # Safety
/// The port must belong to a device whose driver is the caller.
pub unsafe fn inb(port: u16) -> u8 {
    // SAFETY: forwarded to the caller.
    unsafe { x86::io::inb(port) }
}

/// Writes a word to an I/O port.
///
/// # Safety
/// The port must belong to a device whose driver is the caller.
pub unsafe fn outw(port: u16, value: u16) {
    // SAFETY: forwarded to the caller.
    unsafe { x86::io::outw(port, value) };
}

/// Reads a double word from an I/O port.
///
/// # Safety
/// The port must belong to a device whose driver is the caller.
pub unsafe fn inl(port: u16) -> u32 {
    // SAFETY: forwarded to the caller.
    unsafe { x86::io::inl(port) }
}

/// Writes a double word to an I/O port.
///
/// # Safety
/// The port must belong to a device whose driver is the caller.
pub unsafe fn outl(port: u16, value: u32) {
    // SAFETY: forwarded to the caller.
    unsafe { x86::io::outl(port, value) };
}

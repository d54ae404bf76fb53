//! Single instructions that ring 3 is not allowed to execute or that fault
//! on purpose. The demos and usertests run each in a disposable child and
//! check that the kernel killed it with the right signal.
//!
//! They are `asm!` rather than Rust so the compiler cannot reason about the
//! fault away: a Rust NULL dereference is undefined behaviour, a `mov` from
//! address 0 is just a page fault.
use core::arch::asm;

/// Loads one byte from `addr`. Sound for any address: if it is not readable
/// the kernel stops the process; no Rust-visible memory is involved.
pub fn load_u8(addr: usize) -> u8 {
    let v: u8;
    // SAFETY: a read through a raw address creates no Rust reference and
    // cannot write memory; an invalid address faults, which ends the process.
    unsafe { asm!("mov {v}, byte ptr [{a}]", a = in(reg) addr, v = out(reg_byte) v, options(nostack, readonly)) };
    v
}

/// Stores one byte at `addr`.
///
/// # Safety
/// If `addr` is writable, it must not hold memory Rust code relies on.
pub unsafe fn store_u8(addr: usize, v: u8) {
    // SAFETY: the caller guarantees no Rust-visible memory is clobbered; a
    // fault ends the process.
    unsafe { asm!("mov byte ptr [{a}], {v}", a = in(reg) addr, v = in(reg_byte) v, options(nostack)) };
}

/// Jumps to `addr` as if it were code. Does not return normally.
///
/// # Safety
/// `addr` must not hold executable code (the point is that it faults).
pub unsafe fn jump_to(addr: usize) -> ! {
    // SAFETY: the caller promises this faults; nothing returns here.
    unsafe { asm!("jmp {a}", a = in(reg) addr, options(noreturn)) }
}

/// Executes `ud2` (#UD → SIGILL).
pub fn ud2() {
    // SAFETY: raises #UD; it has no other effect.
    unsafe { asm!("ud2", options(nomem, nostack)) };
}

/// Executes `int3` (#BP → SIGTRAP). Returns if the kernel resumes after it.
pub fn int3() {
    // SAFETY: a breakpoint trap has no effect on memory.
    unsafe { asm!("int3", options(nomem, nostack)) };
}

/// Divides by zero with `div` (#DE → SIGFPE), out of the compiler's sight.
pub fn divide_by_zero() {
    // SAFETY: `div` only writes eax/edx, declared clobbered.
    unsafe {
        asm!("xor ecx, ecx", "div ecx", inout("eax") 1u32 => _, inout("edx") 0u32 => _,
             out("ecx") _, options(nomem, nostack))
    };
}

/// A privileged instruction that ring 3 must not run (IOPL 0, CPL 3):
/// the CPU raises #GP, which the kernel turns into SIGSEGV.
#[derive(Clone, Copy, Debug)]
pub enum Privileged {
    Cli,
    Hlt,
    InPort,
    OutPort,
    MovCr3,
    /// `int 0x0e`: the page-fault vector, whose IDT gate has DPL 0.
    IntPageFault,
}

impl Privileged {
    pub const ALL: [Privileged; 6] = [
        Privileged::Cli,
        Privileged::Hlt,
        Privileged::InPort,
        Privileged::OutPort,
        Privileged::MovCr3,
        Privileged::IntPageFault,
    ];

    /// The instruction as written in assembly.
    pub fn mnemonic(self) -> &'static str {
        match self {
            Privileged::Cli => "cli",
            Privileged::Hlt => "hlt",
            Privileged::InPort => "in al, 0x60",
            Privileged::OutPort => "out 0x80, al",
            Privileged::MovCr3 => "mov cr3, eax",
            Privileged::IntPageFault => "int 0x0e",
        }
    }

    /// Executes the instruction. Returns only if the CPU allowed it.
    ///
    /// # Safety
    /// Only for a disposable process: if the kernel let the instruction run,
    /// interrupts, the keyboard controller or the address space would change
    /// under the whole system.
    pub unsafe fn execute(self) {
        // SAFETY: the caller accepts the consequences if the instruction
        // does not trap (all arms); registers written are declared.
        unsafe {
            match self {
                Privileged::Cli => asm!("cli", options(nomem, nostack)),
                Privileged::Hlt => asm!("hlt", options(nomem, nostack)),
                Privileged::InPort => asm!("in al, 0x60", out("al") _, options(nomem, nostack)),
                Privileged::OutPort => asm!("out 0x80, al", in("al") 0u8, options(nomem, nostack)),
                Privileged::MovCr3 => asm!("mov cr3, eax", in("eax") 0u32, options(nostack)),
                Privileged::IntPageFault => asm!("int 0x0e", options(nostack)),
            }
        }
    }
}

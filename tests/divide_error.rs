//! A divide error in kernel mode produces the readable report (vector,
//! registers, the function it happened in) and a panic.
//! expect-exit: panic
//! expect-output: ^KERNEL EXCEPTION #DE divide error \(vector 0\)
//! expect-output: in divide_error::divide
//! expect-output: ^  eip=0xc0[0-9a-f]+ cs=0x0060 eflags=0x
//! expect-output: ^  eax=0x0000002a
//! expect-output: ^KERNEL PANIC: divide error \(#DE\) in kernel mode
#![no_std]
#![no_main]

mod common;

#[inline(never)]
fn divide(a: u32, b: u32) -> u32 {
    let q: u32;
    // SAFETY: a deliberate `div` by zero: the test wants the #DE.
    unsafe { core::arch::asm!("xor edx, edx", "div {b}", b = in(reg) b, inout("eax") a => q, out("edx") _) };
    q
}

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    common::boot(magic, info_phys);
    let q = divide(42, core::hint::black_box(0));
    common::finish(false, if q == 0 { "divide returned 0" } else { "divide returned" })
}

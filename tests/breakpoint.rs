//! `int3` in the kernel reaches the breakpoint handler and execution goes on
//! after it.
//! expect-output: ^breakpoint in kernel at eip 0xc0
//! expect-output: ^after the breakpoint$
#![no_std]
#![no_main]

mod common;

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    common::boot(magic, info_phys);
    kernel::arch::x86::instructions::breakpoint();
    kernel::kprintln!("after the breakpoint");
    common::finish(true, "")
}

//! `kwrite`: writes kernel memory at 0xC0100000. Ring 3 must die with
//! SIGSEGV, and the kernel must be unharmed (the shell keeps working).
#![no_std]
#![no_main]

use progs::demo::verdict;
use rt::Signal;
use rt::arch::insn::store_u8;
use rt::child::expect_signal;

rt::entry!(main);

const KERNEL_ADDR: usize = 0xC010_0000;

fn main(_: rt::Args) -> i32 {
    rt::println!("kwrite: a forked child writes 0x42 to the kernel byte at {KERNEL_ADDR:#x}");
    // SAFETY: the address is not ours (it must fault); the child is disposable.
    let ok = expect_signal("writing kernel memory", Signal::SIGSEGV, || unsafe {
        store_u8(KERNEL_ADDR, 0x42);
        rt::println!("  child: the write went through!");
    });
    verdict(ok)
}

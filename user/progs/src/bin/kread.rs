//! `kread`: reads kernel memory at 0xC0100000 (where memguard's image sits,
//! mapped supervisor-only). Ring 3 must die with SIGSEGV.
#![no_std]
#![no_main]

use progs::demo::verdict;
use rt::Signal;
use rt::arch::insn::load_u8;
use rt::child::expect_signal;

rt::entry!(main);

const KERNEL_ADDR: usize = 0xC010_0000;

fn main(_: rt::Args) -> i32 {
    rt::println!("kread: a forked child reads the kernel byte at {KERNEL_ADDR:#x}");
    let ok = expect_signal("reading kernel memory", Signal::SIGSEGV, || {
        let b = load_u8(KERNEL_ADDR);
        rt::println!("  child: read {b:#04x} from the kernel!");
    });
    verdict(ok)
}

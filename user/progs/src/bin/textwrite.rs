//! `textwrite`: writes over the program's own code. Text is mapped
//! read-only (and shared between processes), so the child must die with
//! SIGSEGV and the parent's code must be unchanged.
#![no_std]
#![no_main]

use progs::demo::verdict;
use rt::Signal;
use rt::arch::insn::{load_u8, store_u8};
use rt::child::expect_signal;

rt::entry!(main);

fn main(_: rt::Args) -> i32 {
    let target = main as *const () as usize;
    let before = load_u8(target);
    rt::println!("textwrite: a forked child writes 0xcc over the first byte of main at {target:#x}");
    // SAFETY: the write must fault; if it did not, only the disposable child's
    // (private or shared) text would change, and the parent checks below.
    let killed = expect_signal("writing to text", Signal::SIGSEGV, || unsafe {
        store_u8(target, 0xcc);
        rt::println!("  child: the write went through!");
    });
    let after = load_u8(target);
    rt::println!("parent: first byte of main is {after:#04x} (was {before:#04x})");
    verdict(killed && after == before)
}

//! `null`: a NULL pointer dereference. Address 0 is never mapped, so a read
//! and a write there must each kill the (child) process with SIGSEGV.
#![no_std]
#![no_main]

use progs::demo::verdict;
use rt::Signal;
use rt::arch::insn::{load_u8, store_u8};
use rt::child::expect_signal;

rt::entry!(main);

fn main(_: rt::Args) -> i32 {
    rt::println!("null: each access runs in a forked child that should die by SIGSEGV");
    let read = expect_signal("reading the byte at address 0", Signal::SIGSEGV, || {
        load_u8(0);
    });
    // SAFETY: address 0 holds nothing of ours; the child is disposable.
    let write = expect_signal("writing the byte at address 0", Signal::SIGSEGV, || unsafe { store_u8(0, 1) });
    verdict(read && write)
}

//! `stackbomb`: unbounded recursion in a forked child. The stack may grow
//! to its limit, and then the next page touched must kill the child with
//! SIGSEGV, not the kernel or the parent.
#![no_std]
#![no_main]

use progs::demo::verdict;
use progs::stack::recurse;
use rt::Signal;
use rt::child::expect_signal;

rt::entry!(main);

fn main(_: rt::Args) -> i32 {
    let ok = expect_signal("stackbomb: recursing without end, 1 KiB per call", Signal::SIGSEGV, || {
        recurse(u32::MAX);
    });
    rt::println!("parent: still alive");
    verdict(ok)
}

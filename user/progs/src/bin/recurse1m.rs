//! `recurse1m`: 1 MiB of recursion must just work: the kernel grows the
//! stack on demand. Exits 0.
#![no_std]
#![no_main]

use progs::stack::{FRAME_BYTES, recurse};

rt::entry!(main);

const DEPTH: u32 = (1024 * 1024 / FRAME_BYTES) as u32;

fn main(_: rt::Args) -> i32 {
    let here = 0u32;
    let top = core::hint::black_box(&here) as *const u32 as usize;
    rt::println!("recurse1m: recursing {DEPTH} levels of at least {FRAME_BYTES} bytes");
    let lowest = recurse(DEPTH);
    rt::println!("recurse1m: deepest frame at {lowest:#x}, {} KiB below main's", (top - lowest) / 1024);
    0
}

//! `pastbrk`: the heap ends at the program break. A forked child grows the
//! break to one page plus 100 bytes, writes the last byte below the break
//! (which must work), then reads the first byte of the page after the
//! break's page: nothing is mapped there, so it must die with SIGSEGV.
#![no_std]
#![no_main]

use progs::demo::verdict;
use rt::Signal;
use rt::arch::insn::{load_u8, store_u8};
use rt::child::expect_signal;
use rt::mem::{PAGE_SIZE, current_brk, page_round_up, set_brk};

rt::entry!(main);

fn main(_: rt::Args) -> i32 {
    let ok = expect_signal("pastbrk: accessing just past the heap", Signal::SIGSEGV, child);
    verdict(ok)
}

fn child() {
    let start = current_brk();
    let end = start + PAGE_SIZE + 100;
    // SAFETY: growing the break gives up nothing.
    if let Err(e) = unsafe { set_brk(end) } {
        rt::println!("  child: brk({end:#x}) failed: {e}");
        return;
    }
    rt::println!("  child: brk(0) = {start:#x}; grew it to {end:#x}");
    // SAFETY: end-1 is inside the heap just grown, which nothing else uses.
    unsafe { store_u8(end - 1, 7) };
    rt::println!("  child: wrote {:#x} (last heap byte): read back {}", end - 1, load_u8(end - 1));
    let past = page_round_up(end);
    rt::println!("  child: reading {past:#x}, the first byte past the heap's last page");
    let b = load_u8(past);
    rt::println!("  child: read {b} past the heap!");
}

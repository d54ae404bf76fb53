//! `kshared`: every process maps the kernel at the same place, through the
//! same page tables, while user pages are private. A child is forked and
//! parked; the parent writes a private page (so it gets its own copy) and
//! then asks `mg_translate` about both processes: the kernel address
//! 0xC0100000 must map to the same frame in both, the user page to
//! different frames. memguard only.
#![no_std]
#![no_main]

use progs::demo::{Frame, frame_of, not_on_memguard, verdict};
use progs::region::Region;
use rt::child::spawn;
use rt::process::{kill, wait_exit};
use rt::{Signal, println};

rt::entry!(main);

const KERNEL_ADDR: usize = 0xC010_0000;

fn main(_: rt::Args) -> i32 {
    if !rt::mg::available() {
        return not_on_memguard("kshared");
    }
    let Ok(page) = Region::page() else {
        println!("kshared: mmap failed");
        return 1;
    };
    page.set_word(0, 1);
    let Ok(child) = spawn(|| {
        loop {
            let _ = rt::time::sleep_ms(1000);
        }
    }) else {
        println!("kshared: fork failed");
        return 1;
    };
    page.set_word(0, 2);
    let (kp, kc) = (frame_of(0, KERNEL_ADDR), frame_of(child, KERNEL_ADDR));
    let (up, uc) = (frame_of(0, page.addr()), frame_of(child, page.addr()));
    println!("kernel {KERNEL_ADDR:#x}: parent {}, child {} -> {}", kp, kc, same(kp, kc));
    println!("user   {:#x}: parent {}, child {} -> {}", page.addr(), up, uc, same(up, uc));
    let _ = kill(child, Signal::SIGKILL);
    let _ = wait_exit(child);
    verdict(kp.same_as(kc) && up.is_mapped() && uc.is_mapped() && up != uc)
}

fn same(a: Frame, b: Frame) -> &'static str {
    if a.same_as(b) { "same frame" } else { "different" }
}

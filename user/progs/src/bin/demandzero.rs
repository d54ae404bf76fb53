//! `demandzero`: maps 64 MiB of anonymous memory, reads all of it, then
//! writes all of it, printing free memory after each step.
//!
//! On memguard a read of a never-written page maps the one shared zero page
//! read-only, so reading 64 MiB costs no frames but page tables (16 or 17);
//! the first write to each page then takes a fresh zeroed frame. On memguard
//! the free-frame counter is exact and checked; on Linux the sysinfo figure
//! moves with the rest of the system, so it is only shown.
#![no_std]
#![no_main]

use progs::demo::{free_bytes, verdict};
use progs::region::Region;
use rt::mem::{PAGE_SIZE, Sharing};
use rt::println;

rt::entry!(main);

const LEN: usize = 64 * 1024 * 1024;
const PAGES: usize = LEN / PAGE_SIZE;
const FOUR_MIB: usize = 4 * 1024 * 1024;

fn main(_: rt::Args) -> i32 {
    let exact = rt::mg::available();
    let region = match Region::new(LEN, Sharing::Private) {
        Ok(r) => r,
        Err(e) => {
            println!("demandzero: mmap of 64 MiB failed: {e}");
            return 1;
        }
    };
    let (free0, source) = free_bytes();
    println!("demandzero: mapped 64 MiB at {:#x}; free memory ({source}) {} KiB", region.addr(), free0 / 1024);
    // Measured again after the print, whose stack and code are now in place.
    let free0 = free_now();

    let nonzero = (0..region.len()).step_by(PAGE_SIZE).filter(|&off| region.read(off) != 0).count();
    let free1 = free_now();
    println!(
        "after reading every page: {nonzero} non-zero bytes; free {} KiB ({} KiB used)",
        free1 / 1024,
        (free0 - free1) / 1024
    );

    (0..region.len()).step_by(PAGE_SIZE).for_each(|off| region.write(off, 1));
    let free2 = free_now();
    println!("after writing every page: free {} KiB ({} KiB used by the writes)", free2 / 1024, (free1 - free2) / 1024);

    // The 4 MiB slots the range touches, each needing a page table.
    let tables = ((region.addr() + LEN - 1) / FOUR_MIB - region.addr() / FOUR_MIB + 1) as i64;
    let _ = region.unmap();
    println!("after munmap: free {} KiB", free_now() / 1024);

    let mut ok = nonzero == 0;
    if exact {
        let read_frames = (free0 - free1) / PAGE_SIZE as i64;
        let write_frames = (free1 - free2) / PAGE_SIZE as i64;
        println!(
            "frames: reading took {read_frames} (the range spans {tables} page tables), \
                  writing took {write_frames} (one per page: {PAGES})"
        );
        // A frame or two of slack for the loops' own stack.
        ok &= read_frames <= tables + 2 && write_frames >= PAGES as i64;
    } else {
        println!("(not memguard: free memory is approximate, so only the contents are checked)");
    }
    verdict(ok)
}

fn free_now() -> i64 {
    free_bytes().0 as i64
}

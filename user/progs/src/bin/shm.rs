//! `shm`: a MAP_SHARED anonymous page survives fork as one page: the child
//! writes a message into it and exits, and the parent reads the message.
//! A MAP_PRIVATE page written the same way stays unchanged in the parent.
#![no_std]
#![no_main]

use progs::demo::{frame_of, verdict};
use progs::region::Region;
use rt::child::run;
use rt::mem::Sharing;
use rt::println;
use rt::process::getppid;

rt::entry!(main);

const MESSAGE: &[u8] = b"hello from the child";

fn main(_: rt::Args) -> i32 {
    let (Ok(shared), Ok(private)) = (Region::new(4096, Sharing::Shared), Region::page()) else {
        println!("shm: mmap failed");
        return 1;
    };
    println!(
        "shm: shared page at {:#x}, private page at {:#x}; the child writes to both",
        shared.addr(),
        private.addr()
    );
    // Touch both so each has a frame before fork (mg_translate can show it).
    shared.write(MESSAGE.len(), 0);
    private.write(MESSAGE.len(), 0);
    let exact = rt::mg::available();
    let ended = run(|| {
        shared.write_bytes(0, MESSAGE);
        private.write_bytes(0, MESSAGE);
        let parent = getppid();
        let (mine, parents) = (frame_of(0, shared.addr()), frame_of(parent, shared.addr()));
        println!(
            "child: wrote \"{}\" to both; shared page: mine {mine}, parent's {parents}",
            core::str::from_utf8(MESSAGE).unwrap_or("?")
        );
        if exact && !mine.same_as(parents) { 1 } else { 0 }
    });
    let mut got = [0u8; MESSAGE.len()];
    got.iter_mut().enumerate().for_each(|(i, b)| *b = shared.read(i));
    let private_zero = (0..MESSAGE.len()).all(|i| private.read(i) == 0);
    println!("parent: shared page reads \"{}\"", core::str::from_utf8(&got).unwrap_or("<garbage>"));
    println!("parent: private page {}", if private_zero { "is still zero" } else { "CHANGED" });
    verdict(ended.is_ok_and(|e| e.success()) && got == MESSAGE && private_zero)
}

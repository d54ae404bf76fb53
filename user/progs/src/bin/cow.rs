//! `cow`: copy-on-write after fork. One private page holds 100; after fork
//! both processes map the same frame (read-only, shared). The parent writes
//! 200 and gets a copy; the child then writes 300. Each sees its own value.
//!
//! On memguard `mg_translate` shows the frames. The child waits for the
//! parent's write by watching the parent's frame change (through
//! mg_translate of its parent), so the "before" frames are taken while both
//! still share. On Linux only the values are shown.
#![no_std]
#![no_main]

use progs::demo::{Frame, frame_of, verdict};
use progs::region::Region;
use rt::process::{Fork, fork, getppid, wait_exit};
use rt::{ExitStatus, println};

rt::entry!(main);

/// How long the child waits for the parent's write.
const WAIT_NS: i64 = 5_000_000_000;

fn main(_: rt::Args) -> i32 {
    let Ok(page) = Region::page() else {
        println!("cow: mmap failed");
        return 1;
    };
    page.set_word(0, 100);
    let exact = rt::mg::available();
    let original = frame_of(0, page.addr());
    println!("cow: page {:#x} holds 100, {}", page.addr(), original);
    let child = match fork() {
        Ok(Fork::Child) => rt::process::exit_group(child(&page, original, exact)),
        Ok(Fork::Parent(pid)) => pid,
        Err(e) => {
            println!("cow: fork failed: {e}");
            return 1;
        }
    };
    let mine = frame_of(0, page.addr());
    let theirs = frame_of(child, page.addr());
    println!("parent: after fork, before any write: parent {}, child {}", mine, theirs);
    page.set_word(0, 200);
    let copied = frame_of(0, page.addr());
    println!("parent: wrote 200; parent now {}", copied);
    let ended = wait_exit(child).unwrap_or(ExitStatus::Other(-1));
    let seen = page.word(0);
    println!("parent: sees {seen}; child {ended}");
    let mut ok = seen == 200 && ended.success();
    if exact {
        ok &= mine.same_as(theirs) && mine == original && copied.is_mapped() && copied != original;
    }
    verdict(ok)
}

/// The child's side; returns its exit status (0 when its checks held).
fn child(page: &Region, original: Frame, exact: bool) -> i32 {
    let parent = getppid();
    if exact {
        let deadline = rt::time::monotonic_ns() + WAIT_NS;
        while frame_of(parent, page.addr()) == original && rt::time::monotonic_ns() < deadline {
            rt::process::sched_yield();
        }
    }
    let before = frame_of(0, page.addr());
    let first = page.word(0);
    page.set_word(0, 300);
    let seen = page.word(0);
    let after = frame_of(0, page.addr());
    println!("child: saw {first} before writing; wrote 300, sees {seen}");
    if !exact {
        return if first == 100 && seen == 300 { 0 } else { 1 };
    }
    let parents = frame_of(parent, page.addr());
    println!("child: {} before its write, {} after; the parent's is {}", before, after, parents);
    if after == before {
        println!("child: the parent's copy left the old frame to the child alone: reused, not copied");
    }
    let ok = first == 100 && seen == 300 && after.is_mapped() && parents.is_mapped() && after != parents;
    if ok { 0 } else { 1 }
}

//! `sharetext`: two processes running one program share its text frames.
//! The parent forks a child that execs this program again as
//! `sharetext child` (which just sleeps), waits until the exec has happened
//! and the child has run, then compares, page by page, which frames its own
//! text and the child's text map to with `mg_translate`. memguard only.
#![no_std]
#![no_main]

use progs::demo::{Frame, frame_of, not_on_memguard, program_path, verdict};
use progs::layout::{entry, text_range};
use progs::region::Region;
use rt::mem::PAGE_SIZE;
use rt::process::{CStrArray, Fork, Pid, execve, fork, kill, wait_exit};
use rt::{Args, Signal, println};

rt::entry!(main);

const WAIT_NS: i64 = 5_000_000_000;

fn main(args: Args) -> i32 {
    if args.str(1) == Some("child") {
        loop {
            let _ = rt::time::sleep_ms(1000);
        }
    }
    if !rt::mg::available() {
        return not_on_memguard("sharetext");
    }
    // A page that exists only until the child's exec replaces its memory.
    let Ok(marker) = Region::page() else { return 1 };
    marker.write(0, 1);
    let Some(child) = start_child(&args) else { return 1 };
    let ready = wait_for_exec(child, marker.addr());
    let text = text_range();
    let (mut both, mut shared) = (0, 0);
    for page in (text.start..text.end).step_by(PAGE_SIZE) {
        let (a, b) = (frame_of(0, page), frame_of(child, page));
        if a.is_mapped() && b.is_mapped() {
            both += 1;
            shared += a.same_as(b) as u32;
            println!("  text page {page:#x}: parent {a}, child {b}");
        }
    }
    let pages = text.len().div_ceil(PAGE_SIZE);
    println!("sharetext: {pages} text pages; {both} present in both processes, {shared} on the same frame");
    let _ = kill(child, Signal::SIGKILL);
    let _ = wait_exit(child);
    verdict(ready && both > 0 && shared == both)
}

fn start_child(args: &Args) -> Option<Pid> {
    let path = program_path(args, "sharetext");
    let argv = CStrArray::new([&b"sharetext"[..], b"child"]).ok()?;
    let envp = CStrArray::new(args.env()).ok()?;
    match fork() {
        Ok(Fork::Child) => {
            let e = execve(&path, &argv, &envp);
            println!("sharetext: exec {}: {e}", path.to_str().unwrap_or("?"));
            rt::process::exit_group(127)
        }
        Ok(Fork::Parent(pid)) => Some(pid),
        Err(e) => {
            println!("sharetext: fork: {e}");
            None
        }
    }
}

/// True once `child` has exec'd (`marker` is gone from its memory) and run
/// its entry code (the page holding `_start` is mapped).
fn wait_for_exec(child: Pid, marker: usize) -> bool {
    let deadline = rt::time::monotonic_ns() + WAIT_NS;
    while rt::time::monotonic_ns() < deadline {
        if frame_of(child, marker) == Frame::NotMapped && frame_of(child, entry()).is_mapped() {
            return true;
        }
        let _ = rt::time::sleep_ms(10);
    }
    println!("sharetext: the child did not exec within 5 s");
    false
}

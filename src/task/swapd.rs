//! Who runs the swap clock, and when. Free frames are compared with two
//! watermarks: below `LOW`, reclaim starts — in the idle task (this kernel
//! has no kernel threads; the idle task is its kswapd, running whenever no
//! task can) and in a task about to take a page fault (direct reclaim), up
//! to `HIGH`; and when a fault still finds no frame, the faulting task
//! reclaims before the OOM killer is asked. The clock visits the address
//! spaces in turn, each from where its hand stopped.
//!
//! Never from inside `with_process`: the clock may take pages of any
//! process, and a task inside a system call relies on the user pages it
//! made present staying so.

use super::process::IDLE_PID;
use super::sched::SCHED;
use crate::mm::phys;
use crate::mm::swap::area;
use crate::mm::swapout as reclaim;
use crate::mm::user::UserMemory;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

/// Reclaim starts below this many free user frames (1 MiB)...
pub const LOW: u32 = 256;
/// ... and goes on until this many are free (2 MiB).
pub const HIGH: u32 = 512;
/// Pages one address space's clock looks at per turn.
const BUDGET: u32 = 1024;

/// The tgid the next turn starts after.
static NEXT: AtomicU32 = AtomicU32::new(0);

/// Frames a faulting task that found none tries to free.
pub const FAULT_BATCH: u32 = 32;

/// The slot a fault at `addr` must read from the disk: the entry names a
/// slot the swap cache does not hold.
pub fn pending_slot(mem: &UserMemory, addr: u32) -> Option<u32> {
    let va = crate::mm::addr::VirtAddr::new(addr).page().start();
    if addr >= crate::mm::layout::USER_END {
        return None;
    }
    let slot = mem.space.entry(va)?.swap_slot()?;
    (area::cached_frame(slot).is_none() && crate::mm::swap::io::needs_read(slot)).then_some(slot)
}

/// Whether reclaim should run now.
pub fn below_low() -> bool {
    area::is_on() && phys::user_frames_available() < LOW
}

/// Frees up to `want` frames by swapping pages out. Returns how many
/// were freed.
pub fn reclaim(want: u32) -> u32 {
    if !area::is_on() {
        return 0;
    }
    let spaces = spaces();
    if spaces.is_empty() {
        return 0;
    }
    let start = NEXT.load(Ordering::Relaxed);
    let first = spaces.iter().position(|(tgid, _)| *tgid > start).unwrap_or(0);
    let mut freed = 0;
    // Two turns round: the first may only clear Accessed bits.
    for i in 0..spaces.len() * 2 {
        let (tgid, mem) = &spaces[(first + i) % spaces.len()];
        NEXT.store(*tgid, Ordering::Relaxed);
        // `Shared`'s rule holds: no task is inside `with_process` (the
        // caller's contract), and this one does not switch away while it
        // holds the reference (a pass never waits for the disk).
        let mut handle = mem.share();
        let pass = reclaim::clock(&mut handle, want - freed, BUDGET);
        drop(handle);
        freed += pass.freed;
        if freed >= want || pass.stuck {
            break;
        }
        if pass.busy {
            // Every I/O buffer is in flight: sleep until one is done.
            crate::mm::swap::io::wait_for_buffer();
        }
    }
    freed
}

/// Reclaims up to the high watermark if free frames are below the low one.
/// Returns how many frames it freed.
pub fn balance() -> u32 {
    if !below_low() {
        return 0;
    }
    let want = HIGH.saturating_sub(phys::user_frames_available());
    reclaim(want.max(1))
}

/// Every live address space once (threads share one), by tgid.
fn spaces() -> Vec<(u32, super::process::Shared<UserMemory>)> {
    let s = SCHED.lock();
    let mut out: Vec<(u32, super::process::Shared<UserMemory>)> = Vec::new();
    for t in s.tasks.values() {
        if t.pid == IDLE_PID {
            continue;
        }
        let Some(p) = t.process.as_ref() else { continue };
        if out.iter().any(|(_, m)| m.same(&p.mem)) {
            continue;
        }
        out.push((t.tgid, p.mem.share()));
    }
    out
}

/// swapoff: every page of every process (and every shared object they
/// map) comes back. False if memory ran out.
pub fn bring_everything_back() -> bool {
    let mut ok = true;
    for (_, mem) in spaces() {
        let mut handle = mem.share();
        ok &= reclaim::bring_back(&mut handle);
    }
    ok
}

/// The idle task's work: reclaim while below the low watermark.
pub fn idle_work() -> bool {
    below_low() && balance() > 0
}

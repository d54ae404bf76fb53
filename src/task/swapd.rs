//! Who runs the swap clock, and when. Free frames are compared with three
//! watermarks, as Linux's zone watermarks: below `LOW` a task about to
//! take a page fault wakes the kernel thread `kswapd0`, which reclaims up
//! to `HIGH` and sleeps again; below `MIN` (kswapd fell behind) the task
//! also reclaims a batch itself (direct reclaim); and when a fault still
//! finds no frame, the faulting task reclaims before the OOM killer is
//! asked. The clock visits the address spaces in turn, each from where its
//! hand stopped.
//!
//! Never from inside `with_process`: the clock may take pages of any
//! process, and a task inside a system call relies on the user pages it
//! made present staying so.

use super::process::Wait;
use super::sched::{self, SCHED};
use crate::mm::phys;
use crate::mm::swap::area;
use crate::mm::swapout as reclaim;
use crate::mm::user::UserMemory;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};

/// kswapd is woken below this many free user frames (1 MiB)...
pub const LOW: u32 = 256;
/// ... and goes on until this many are free (2 MiB).
pub const HIGH: u32 = 512;
/// Below this many (512 KiB) an allocating task reclaims a batch itself.
pub const MIN: u32 = 128;
/// How long kswapd waits after a turn that freed nothing (swap full, or
/// nothing left that can go) before it may be woken again.
const BACKOFF_NS: u64 = 100_000_000;
/// kswapd's pid (0 until it starts).
static KSWAPD: AtomicU32 = AtomicU32::new(0);
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

/// Pages of one system call's buffer read ahead of the copy (four of
/// swap's 32-page read windows: the I/O buffers hold six).
const PREFETCH_PAGES: u32 = 128;

/// Before a system call copies to or from `[addr, addr + len)`: the pages
/// of it that are on the disk are read into swap's buffers now, while other
/// tasks run, so that the copy, which may not switch tasks (it runs inside
/// `with_process`), finds them there instead of halting the CPU for the
/// disk. The first `PREFETCH_PAGES` pages only; a page beyond, or one
/// swapped out again meanwhile, is still read by the copy itself. Outside
/// `with_process` only (the module's rule).
pub fn prefetch(addr: u32, len: u32) {
    if len == 0 || !area::is_on() {
        return;
    }
    let page = crate::mm::addr::PAGE_SIZE;
    let end = addr.saturating_add(len.min(PREFETCH_PAGES * page)).min(crate::mm::layout::USER_END);
    let mut va = addr & !(page - 1);
    while va < end {
        if let Some(slot) = sched::with_process(|p| pending_slot(&p.mem, va)) {
            // A reference keeps the slot from being reused while we sleep.
            area::dup(slot);
            area::read_sleeping(slot);
            area::put(slot);
        }
        va += page;
    }
}

/// `prefetch` over a read's or a write's buffers (address, length), up to
/// `PREFETCH_PAGES` pages in all.
pub fn prefetch_segments(segs: &[(u32, u32)]) {
    if !area::is_on() {
        return;
    }
    let mut budget = PREFETCH_PAGES * crate::mm::addr::PAGE_SIZE;
    for &(addr, len) in segs {
        if budget == 0 {
            break;
        }
        let len = len.min(budget);
        prefetch(addr, len);
        budget -= len;
    }
}

/// Whether reclaim should run now.
pub fn below_low() -> bool {
    area::is_on() && phys::user_frames_available() < LOW
}

/// Frees up to `want` frames by swapping pages out: two turns over the
/// address spaces (the first may only clear Accessed bits), then, only if
/// they fell short, the tmpfs pages (`fs::shmem`, twice round: the first
/// may only clear their used marks). Returns how many were freed.
pub fn reclaim(want: u32) -> u32 {
    if !area::is_on() {
        return 0;
    }
    let spaces = space_owners();
    let mut freed = 0;
    // A round cut short because every I/O buffer was in flight (it slept
    // until one was free) does not count: without this a burst of writes
    // could look like a full swap to the OOM killer.
    let (mut rounds, mut busy_rounds) = (0, 0);
    while rounds < 2 {
        match clock_round(&spaces, want, &mut freed) {
            Round::Stuck => return freed,
            Round::Busy if busy_rounds < BUSY_ROUNDS => busy_rounds += 1,
            _ => rounds += 1,
        }
        if freed >= want {
            return freed;
        }
    }
    for _ in 0..2 {
        let pass = crate::fs::shmem::reclaim(want - freed, u32::MAX);
        freed += pass.freed;
        if freed >= want || pass.stuck {
            break;
        }
    }
    // The tmpfs pages went into the open write batch: send it.
    crate::mm::swap::io::submit_writes();
    freed
}

/// Rounds of `reclaim` that may end early for want of an I/O buffer.
const BUSY_ROUNDS: u32 = 16;

/// How a clock round ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Round {
    /// It went round (or freed enough).
    Done,
    /// A pass found every I/O buffer in flight (and the round slept until
    /// one was free).
    Busy,
    /// Swap is full (or failing).
    Stuck,
}

/// One turn of the clock over every address space, starting after the one
/// the last turn stopped at, adding to `freed` until `want`.
fn clock_round(spaces: &[u32], want: u32, freed: &mut u32) -> Round {
    if spaces.is_empty() {
        return Round::Done;
    }
    let mut busy = false;
    let start = NEXT.load(Ordering::Relaxed);
    let first = spaces.iter().position(|tgid| *tgid > start).unwrap_or(0);
    for i in 0..spaces.len() {
        let tgid = spaces[(first + i) % spaces.len()];
        NEXT.store(tgid, Ordering::Relaxed);
        // Gone since the list was made (it exited while this task slept).
        let Some(mut handle) = space_of(tgid) else { continue };
        // `Shared`'s rule holds: no task is inside `with_process` (the
        // caller's contract), and this one does not switch away while it
        // holds the reference (a pass never waits for the disk).
        let pass = reclaim::clock(&mut handle, want - *freed, BUDGET);
        drop(handle);
        *freed += pass.freed;
        if pass.stuck {
            return Round::Stuck;
        }
        if *freed >= want {
            return Round::Done;
        }
        if pass.busy {
            // Every I/O buffer is in flight: sleep until one is done.
            crate::mm::swap::io::wait_for_buffer();
            busy = true;
        }
    }
    if busy { Round::Busy } else { Round::Done }
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

/// The thread group of every live address space, once each (threads share
/// one). Only the ids: a reclaim sleeps between passes (for an I/O
/// buffer), and a reference held meanwhile would keep an exited process's
/// memory from being freed — the OOM killer would then find nothing dying
/// and kill another task. `space_of` takes the reference for one pass.
fn space_owners() -> Vec<u32> {
    let s = SCHED.lock();
    let mut seen: Vec<(u32, &super::process::Shared<UserMemory>)> = Vec::new();
    for t in s.tasks.values() {
        let Some(p) = t.process.as_ref() else { continue };
        if !seen.iter().any(|(_, m)| m.same(&p.mem)) {
            seen.push((t.tgid, &p.mem));
        }
    }
    seen.into_iter().map(|(tgid, _)| tgid).collect()
}

/// The address space of thread group `tgid` now, if a task of it still
/// has one.
fn space_of(tgid: u32) -> Option<super::process::Shared<UserMemory>> {
    let s = SCHED.lock();
    s.tasks.values().filter(|t| t.tgid == tgid).find_map(|t| t.process.as_ref()).map(|p| p.mem.share())
}

/// swapoff: every page of every process (and every shared object they
/// map) comes back. False if memory ran out.
pub fn bring_everything_back() -> bool {
    let mut ok = true;
    for tgid in space_owners() {
        let Some(mut handle) = space_of(tgid) else { continue };
        ok &= reclaim::bring_back(&mut handle);
    }
    ok && crate::fs::shmem::bring_back()
}

/// Starts kswapd0 (main.rs, after kthreadd).
pub fn start() -> Result<(), memguard_abi::Errno> {
    let pid = super::kthread::spawn("kswapd0", kswapd)?;
    KSWAPD.store(pid, Ordering::Relaxed);
    Ok(())
}

/// What a task does before it allocates user memory (a page fault, a
/// tmpfs write): below `LOW` it wakes kswapd; below `MIN` it reclaims a
/// batch itself. Outside `with_process` only (the module's rule).
pub fn before_allocation() {
    if !below_low() {
        return;
    }
    super::kthread::wake(KSWAPD.load(Ordering::Relaxed));
    if phys::user_frames_available() < MIN {
        reclaim(FAULT_BATCH);
    }
}

/// What a task does before it gives a file `pages` new frames at once (a
/// tmpfs write): below `LOW` + `pages` free it wakes kswapd, and below
/// `MIN` + `pages` it reclaims the difference itself, so the write finds
/// its frames (tmpfs pages go to swap too). Outside `with_process` only.
pub fn make_room(pages: u32) {
    if !area::is_on() {
        return;
    }
    let free = phys::user_frames_available();
    if free >= LOW + pages {
        return;
    }
    super::kthread::wake(KSWAPD.load(Ordering::Relaxed));
    if free < MIN + pages {
        reclaim(MIN + pages - free);
    }
}

/// kswapd0's life: woken below the low watermark, it reclaims to the high
/// one, giving the CPU away between turns when a slice is over, then
/// sleeps until woken again. A turn that frees nothing (swap full) makes
/// it rest a while: the faults' own reclaim and the OOM killer take over.
extern "C" fn kswapd() -> ! {
    loop {
        while below_low() {
            if balance() == 0 {
                sched::sleep_until(crate::time::monotonic_ns() + BACKOFF_NS);
                break;
            }
            if sched::need_resched() {
                sched::yield_now();
            }
        }
        sched::sleep(Wait::Work);
    }
}

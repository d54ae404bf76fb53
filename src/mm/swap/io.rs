//! Swap's page I/O, by interrupt and in batches (the bookkeeping is
//! `pool`). Each buffer is a run of physically contiguous low frames, so
//! one virtio request moves many consecutive slots:
//!
//! - swap-out copies a victim into the open write batch, whose slots are
//!   consecutive (`SlotMap::alloc_cluster`, `alloc_at`); the entry names
//!   the slot and the frame is freed at once. A full batch (and the open
//!   one at the end of each clock pass) goes to the disk as one request,
//!   and nobody waits for it: until it is done, and after, until the
//!   buffer is reused, a fault on one of its slots copies the page from
//!   the buffer with no I/O. A failed write keeps its buffer: the pages
//!   are only there.
//! - swap-in reads the aligned `WINDOW` of slots around the one wanted in
//!   one request (Linux's page-cluster 3, read-ahead), and the faults on
//!   its neighbours find them in the buffer. A failed window is retried
//!   for the one slot alone, so a bad sector fails only the page on it.
//!
//! A task waiting for the disk sleeps (`Io::wait`, the device's IRQ wakes
//! it), except where it must not switch tasks: inside a system call's use
//! of its memory (the caller says so with `may_sleep`) and in the idle
//! task, where it halts until the interrupt. The area's lock is never held
//! across a wait.

use super::area::{self, Area, PAGE};
use super::pool::{self, Hit, Pool, State};
use crate::mm::addr::Frame;
use crate::mm::frame::Zone;
use crate::mm::layout::phys_to_virt;
use crate::mm::phys;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use spin::Once;

/// Pages per buffer (at most), and buffers: 768 KiB of low memory while
/// swap is on.
const RUN: u32 = pool::MAX_PAGES;
const BUFFERS: usize = 6;
/// Slots read at once around a swap-in (a power of two).
pub const WINDOW: u32 = 32;

/// The device's side, registered in main.rs (mm is below dev).
pub struct Io {
    /// Queues a transfer of `len` bytes between DMA memory at `buf`
    /// (direct-mapped, physically contiguous) and the disk at byte
    /// `offset`: the request's id, or `None` if no request slot is free.
    pub submit: fn(write: bool, offset: u64, buf: *mut u8, len: usize) -> Option<u32>,
    /// Request `id`'s outcome once the device finished it (the id is then
    /// free again); `None` while it is in flight.
    pub poll: fn(id: u32) -> Option<bool>,
    /// Waits for the disk's next interrupt: sleeps, or halts where the
    /// task must not switch (`must_not_sleep`).
    pub wait: fn(),
}
static IO: Once<Io> = Once::new();
/// Waits in progress that must halt rather than switch tasks.
static NO_SLEEP: AtomicU32 = AtomicU32::new(0);

pub fn set_io(io: Io) {
    IO.call_once(|| io);
}

/// Whether a disk wait now must halt the CPU rather than switch tasks.
pub fn must_not_sleep() -> bool {
    NO_SLEEP.load(Ordering::Relaxed) != 0
}

fn wait(io: &Io, may_sleep: bool) {
    if !may_sleep {
        NO_SLEEP.fetch_add(1, Ordering::Relaxed);
    }
    (io.wait)();
    if !may_sleep {
        NO_SLEEP.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The buffers' memory: the first frame of each run, and its length.
pub struct Runs(Vec<(Frame, u32)>);

/// Allocates the buffers (swapon): for each, the longest run of
/// consecutive low frames among up to 2 × `RUN` the free list gives (at
/// boot it gives them in order; later, a shorter run will do). `None` if
/// fewer than two buffers could be had.
pub fn alloc_runs() -> Option<Runs> {
    let mut runs = Vec::new();
    for _ in 0..BUFFERS {
        let mut got: Vec<u32> = Vec::new();
        for _ in 0..RUN * 2 {
            let Ok(f) = phys::alloc(Zone::Low) else { break };
            got.push(f.number());
            got.sort_unstable();
            if pool::longest_run(&got).1 == RUN {
                break;
            }
        }
        let (first, len) = pool::longest_run(&got);
        for &n in got.iter().filter(|&&n| n < first || n >= first + len) {
            let _ = phys::release(Frame::from_number(n));
        }
        if len == 0 {
            break;
        }
        runs.push((Frame::from_number(first), len));
    }
    if runs.len() < 2 {
        free_runs(Runs(runs));
        return None;
    }
    Some(Runs(runs))
}

/// Gives the buffers' frames back (swapoff, once nothing is in flight).
pub fn free_runs(runs: Runs) {
    for (f, n) in runs.0 {
        for k in 0..n {
            let _ = phys::release(Frame::from_number(f.number() + k));
        }
    }
}

impl Runs {
    pub fn pool(&self) -> Pool {
        Pool::new(&self.0.iter().map(|r| r.1).collect::<Vec<_>>())
    }

    /// Page `page` of buffer `i`, in the direct map.
    fn page(&self, i: usize, page: u32) -> *mut u8 {
        (phys_to_virt(self.0[i].0.start().as_u32()) + page * PAGE as u32) as *mut u8
    }

    fn bytes(&mut self, i: usize, page: u32) -> &mut [u8; PAGE] {
        // SAFETY: the run is low memory (direct-mapped) the area owns while
        // swap is on; callers hold the area's lock, and touch a page only
        // while no read into it is in flight (a write in flight only reads
        // it, as the copy out does).
        unsafe { &mut *(self.page(i, page) as *mut [u8; PAGE]) }
    }
}

fn offset(slot: u32) -> u64 {
    u64::from(slot) * PAGE as u64
}

/// Collects finished requests and sends queued batches.
fn progress(a: &mut Area, io: &Io) {
    for i in 0..a.pool.bufs.len() {
        let Some(id) = a.pool.in_flight_at(i) else { continue };
        if let Some(ok) = (io.poll)(id) {
            if !ok && matches!(a.pool.bufs[i].state, State::Writing(_)) {
                let b = a.pool.bufs[i];
                log::error!("swap: write of slots {}..{} failed; their pages stay in memory", b.first, b.first + b.n);
            }
            a.pool.finish(i, ok);
        }
    }
    for i in 0..a.pool.bufs.len() {
        if !a.pool.is_queued(i) {
            continue;
        }
        let b = a.pool.bufs[i];
        match (io.submit)(true, offset(b.first), a.runs.page(i, 0), (b.n as usize) * PAGE) {
            Some(id) => a.pool.bufs[i].state = State::Writing(id),
            None => break,
        }
    }
}

/// Why a page could not be queued for writing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WriteError {
    /// No free slot (or swap is off, or closing).
    Full,
    /// Every buffer is in flight: `wait_for_buffer`, then try again.
    Busy,
}

/// Gives the page `fill` writes the next slot of the open write batch
/// (starting a batch if needed) and returns the slot, with one reference.
/// Never waits.
pub fn queue_write(fill: impl FnOnce(&mut [u8; PAGE])) -> Result<u32, WriteError> {
    let io = IO.get().ok_or(WriteError::Full)?;
    area::with(|a| {
        if a.closing {
            return Err(WriteError::Full);
        }
        progress(a, io);
        let (i, slot) = match a.pool.next_slot() {
            Some((i, s)) if a.slots.alloc_at(s) => (i, s),
            _ => {
                a.pool.close_batch();
                progress(a, io);
                let i = a.pool.take().ok_or(WriteError::Busy)?;
                let first = a.slots.alloc_cluster(a.pool.bufs[i].cap).ok_or(WriteError::Full)?;
                a.pool.start_batch(i, first);
                (i, first)
            }
        };
        a.pool.invalidate(slot);
        let page = a.pool.push(i);
        fill(a.runs.bytes(i, page));
        Ok(slot)
    })
    .unwrap_or(Err(WriteError::Full))
}

/// Sends the open write batch (the end of a clock pass).
pub fn submit_writes() {
    let Some(io) = IO.get() else { return };
    area::with(|a| {
        a.pool.close_batch();
        progress(a, io);
    });
}

/// Waits (sleeping) until a buffer can take a write batch again; at once
/// if none is in flight.
pub fn wait_for_buffer() {
    wait_buffer(true);
}

/// `wait_for_buffer`, halting the CPU instead of sleeping (for a caller
/// that holds a lock another task may need, such as the file tree's).
pub fn wait_for_buffer_halting() {
    wait_buffer(false);
}

fn wait_buffer(may_sleep: bool) {
    let Some(io) = IO.get() else { return };
    while area::with(|a| {
        progress(a, io);
        !a.pool.has_free() && a.pool.any_in_flight()
    }) == Some(true)
    {
        wait(io, may_sleep);
    }
}

/// Waits (halting) until nothing is in flight (swapoff, before the
/// buffers' frames go back).
pub fn drain() {
    let Some(io) = IO.get() else { return };
    while area::with(|a| {
        a.pool.close_batch();
        progress(a, io);
        !a.pool.quiet()
    }) == Some(true)
    {
        wait(io, false);
    }
}

/// Where a swap-in found its page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Source {
    /// A buffer held it: no I/O. `failed`: a failed write's, the only copy.
    Buffer { failed: bool },
    /// It was read from the disk (a major fault).
    Disk,
}

enum Step {
    Found(Source),
    Wait,
    Fail,
}

/// Hands `slot`'s bytes to `take`: from a buffer, or from the disk with
/// its read-ahead window, waiting for the read — sleeping if `may_sleep`,
/// else halting. `None` on a device error, or if the slot is not in use.
pub fn read(slot: u32, may_sleep: bool, take: impl FnOnce(&[u8; PAGE])) -> Option<Source> {
    let io = IO.get()?;
    let mut take = Some(take);
    let (mut attempts, mut waited) = (0u32, false);
    loop {
        let step = area::with(|a| {
            progress(a, io);
            if let Some(Hit { buf, page, failed }) = a.pool.find(slot) {
                (take.take().expect("taken once"))(a.runs.bytes(buf, page));
                return Step::Found(if waited { Source::Disk } else { Source::Buffer { failed } });
            }
            if a.pool.reading(slot) {
                return Step::Wait;
            }
            if a.slots.count(slot) == 0 || attempts == 2 {
                return Step::Fail;
            }
            let Some(i) = a.pool.take() else {
                // Every buffer busy: wait for one, unless all hold failed
                // writes' pages (then nothing will come free).
                let moving = a.pool.any_in_flight() || a.pool.any_queued();
                return if moving { Step::Wait } else { Step::Fail };
            };
            // The window first; after a failure, the one slot alone.
            let width = if attempts == 0 { WINDOW.min(a.pool.bufs[i].cap) } else { 1 };
            let (first, n) = pool::window(slot, width, a.slots.last());
            let wanted = (0..n)
                .filter(|&k| a.slots.count(first + k) > 0 && !a.pool.holds(first + k))
                .fold(0u32, |m, k| m | 1 << k);
            if let Some(id) = (io.submit)(false, offset(first), a.runs.page(i, 0), n as usize * PAGE) {
                a.pool.start_read(i, first, n, wanted, id);
                attempts += 1;
            }
            Step::Wait
        })?;
        match step {
            Step::Found(s) => return Some(s),
            Step::Fail => return None,
            Step::Wait => {
                waited = true;
                wait(io, may_sleep);
            }
        }
    }
}

/// Whether a swap-in of `slot` must wait for the disk (no buffer holds it).
pub fn needs_read(slot: u32) -> bool {
    area::with(|a| !a.pool.holds(slot)).unwrap_or(false)
}

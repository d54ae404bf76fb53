//! The active swap area (one: /dev/vda), its slot map and the swap cache;
//! its page I/O and buffers are `io`.
//!
//! The swap cache pairs a resident frame with the slot that still holds
//! exactly its bytes, holding one reference to the slot: a clean page can
//! then go out again with no write, and page-table entries that name the
//! slot (after fork) find the frame instead of reading the disk. The pair
//! is undone when the frame is freed (`frame_gone`), and whenever the
//! frame may differ from the slot (`uncache`). The rule that keeps it
//! right: a frame that differs from its slot has the Dirty bit set in
//! every entry that maps it (a writable entry is alone on its frame, the
//! CPU sets Dirty on a write, and fork copies the bit).
//!
//! Lock order: never call the frame allocator while holding `AREA`, and
//! never wait for the disk while holding it.

use super::header::SwapHeader;
use super::io::{self, Runs};
use super::pool::Pool;
use super::slots::SlotMap;
use crate::mm::addr::Frame;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use memguard_abi::Errno;
use spin::Mutex;

pub const PAGE: usize = 4096;

pub struct Area {
    pub path: String,
    pub slots: SlotMap,
    pub priority: i32,
    /// frame number → slot, and back.
    by_frame: BTreeMap<u32, u32>,
    by_slot: BTreeMap<u32, u32>,
    /// swapoff is bringing everything back: no new slots.
    pub closing: bool,
    /// The I/O buffers: their memory, and what each holds.
    pub(super) runs: Runs,
    pub(super) pool: Pool,
}

static AREA: Mutex<Option<Area>> = Mutex::new(None);
/// Frames in the swap cache (checked without the lock on every free).
static CACHED: AtomicU32 = AtomicU32::new(0);
/// Whether a disk wait now must halt the CPU rather than switch tasks.
pub fn io_must_not_sleep() -> bool {
    io::must_not_sleep()
}

/// Linux 6.1 numbers areas swapped on without a priority -2, -3, ...
static LEAST_PRIORITY: Mutex<i32> = Mutex::new(-1);

/// Turns swap on over a checked header: EBUSY if an area is active,
/// ENOMEM if its I/O buffers cannot be had.
pub fn activate(path: &str, h: &SwapHeader) -> Result<(), Errno> {
    if is_on() {
        return Err(Errno::EBUSY);
    }
    let runs = io::alloc_runs().ok_or(Errno::ENOMEM)?;
    let mut a = AREA.lock();
    if a.is_some() {
        drop(a);
        io::free_runs(runs);
        return Err(Errno::EBUSY);
    }
    let mut p = LEAST_PRIORITY.lock();
    *p -= 1;
    *a = Some(Area {
        path: String::from(path),
        slots: SlotMap::new(h.last_page, &h.bad),
        priority: *p,
        by_frame: BTreeMap::new(),
        by_slot: BTreeMap::new(),
        closing: false,
        pool: runs.pool(),
        runs,
    });
    Ok(())
}

/// Runs `f` on the area, if swap is on.
pub fn with<R>(f: impl FnOnce(&mut Area) -> R) -> Option<R> {
    AREA.lock().as_mut().map(f)
}

pub fn is_on() -> bool {
    AREA.lock().is_some()
}

/// (total, free) slots; (0, 0) without swap.
pub fn totals() -> (u32, u32) {
    with(|a| (a.slots.total(), a.slots.free())).unwrap_or((0, 0))
}

/// Frames in the swap cache (SwapCached).
pub fn cached_count() -> u32 {
    CACHED.load(Ordering::Relaxed)
}

/// Starts swapoff: no slots are handed out from now on.
pub fn set_closing(on: bool) {
    with(|a| a.closing = on);
}

/// Ends swap, if nothing is left on the area (every page came back),
/// once no I/O is in flight; the buffers' frames go back.
pub fn deactivate() -> Result<(), Errno> {
    io::drain();
    let mut g = AREA.lock();
    let a = g.as_mut().ok_or(Errno::EINVAL)?;
    if a.slots.used() != 0 {
        return Err(Errno::EBUSY);
    }
    let a = g.take().expect("checked above");
    drop(g);
    io::free_runs(a.runs);
    *LEAST_PRIORITY.lock() += 1;
    Ok(())
}

/// One more reference to `slot` (fork copies an entry naming it).
pub fn dup(slot: u32) {
    with(|a| {
        let ok = a.slots.dup(slot);
        debug_assert!(ok, "dup of free swap slot {slot}");
    });
}

/// Drops one reference to `slot`; returns how many are left.
pub fn put(slot: u32) -> u16 {
    with(|a| a.put(slot)).unwrap_or(0)
}

impl Area {
    /// Drops a reference; a slot freed is forgotten by the I/O buffers.
    fn put(&mut self, slot: u32) -> u16 {
        let left = self.slots.put(slot).unwrap_or(0);
        if left == 0 {
            self.pool.invalidate(slot);
        }
        left
    }
}

pub fn count(slot: u32) -> u16 {
    with(|a| a.slots.count(slot)).unwrap_or(0)
}

/// The slot whose bytes `f` still matches.
pub fn cached_slot(f: Frame) -> Option<u32> {
    if CACHED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    with(|a| a.by_frame.get(&f.number()).copied()).flatten()
}

/// The frame that still matches `slot`.
pub fn cached_frame(slot: u32) -> Option<Frame> {
    if CACHED.load(Ordering::Relaxed) == 0 {
        return None;
    }
    with(|a| a.by_slot.get(&slot).map(|&n| Frame::from_number(n))).flatten()
}

/// Pairs `f` with `slot`, handing the cache one of the slot's references.
pub fn cache(f: Frame, slot: u32) {
    with(|a| {
        a.by_frame.insert(f.number(), slot);
        a.by_slot.insert(slot, f.number());
        CACHED.fetch_add(1, Ordering::Relaxed);
    });
}

/// Undoes `f`'s pair, if it has one: its slot loses the cache's reference.
pub fn uncache(f: Frame) {
    if CACHED.load(Ordering::Relaxed) == 0 {
        return;
    }
    with(|a| {
        if let Some(slot) = a.by_frame.remove(&f.number()) {
            a.by_slot.remove(&slot);
            a.put(slot);
            CACHED.fetch_sub(1, Ordering::Relaxed);
        }
    });
}

/// The frame was freed: it matches no slot any more.
pub fn frame_gone(f: Frame) {
    uncache(f);
}

/// An entry mapping `f` becomes writable: if entries elsewhere still name
/// its slot (they would find this frame), the pair must go first.
pub fn before_write(f: Frame) {
    if let Some(slot) = cached_slot(f)
        && count(slot) > 1
    {
        uncache(f);
    }
}

/// Every cached frame gives its slot back (swapoff).
pub fn drop_cache() {
    let frames: Vec<u32> = with(|a| a.by_frame.keys().copied().collect()).unwrap_or_default();
    for f in frames {
        uncache(Frame::from_number(f));
    }
}

/// Whether more than half the area is used (then a page read back does
/// not keep its slot: Linux's vm_swap_full).
pub fn mostly_full() -> bool {
    with(|a| a.slots.used() * 2 > a.slots.total()).unwrap_or(true)
}

/// Reads `slot` and hands the bytes to `take`, holding the CPU while
/// the disk works (the caller is inside a system call's use of its
/// memory, or a fault that must not switch tasks).
pub fn read_page(slot: u32, take: impl FnOnce(&[u8; PAGE])) -> bool {
    io::read(slot, false, take).is_some()
}

/// Reads `slot` (with its read-ahead window) into swap's I/O buffers
/// while other tasks run, for the fault that follows at once to copy (the
/// caller holds no process reference and a reference to the slot).
pub fn read_sleeping(slot: u32) -> bool {
    io::read(slot, true, |_| {}).is_some()
}

/// A page being changed on swap (`modify_page`): static, since this runs
/// when no frame can be had.
static STAGE: Mutex<[u8; PAGE]> = Mutex::new([0; PAGE]);

/// Changes the page at `slot` without a frame (a tmpfs page written while
/// none can be had): read, `change`d, and queued for writing to a new
/// slot, which is returned (with one reference; `slot` keeps its own for
/// the caller to put). `None` if the read failed or no slot is free: the
/// change is lost, and the page stays at `slot`.
pub fn modify_page(slot: u32, change: impl FnOnce(&mut [u8; PAGE])) -> Option<u32> {
    let mut stage = STAGE.lock();
    if !read_page(slot, |b| stage.copy_from_slice(b)) {
        return None;
    }
    change(&mut stage);
    loop {
        match io::queue_write(|b| b.copy_from_slice(&stage[..])) {
            Ok(new) => return Some(new),
            Err(io::WriteError::Busy) => io::wait_for_buffer_halting(),
            Err(io::WriteError::Full) => return None,
        }
    }
}

/// In a shared object's page table (`SharedPages::frames`): the value is a
/// swap slot, not a frame number (frame numbers stay below 2^20).
pub const OBJECT_SWAPPED: u32 = 1 << 31;

/// The slot of an object entry that is on swap.
pub fn object_slot(value: u32) -> Option<u32> {
    (value & OBJECT_SWAPPED != 0).then_some(value & !OBJECT_SWAPPED)
}

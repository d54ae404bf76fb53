//! The active swap area (one: /dev/vda), its slot map, the swap cache and
//! the page I/O.
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
//! The device is above mm: its page read and write come from `set_io`.
//! Lock order: never call the frame allocator while holding `AREA`.

use super::header::SwapHeader;
use super::slots::SlotMap;
use crate::mm::addr::Frame;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU32, Ordering};
use memguard_abi::Errno;
use spin::{Mutex, Once};

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
}

static AREA: Mutex<Option<Area>> = Mutex::new(None);
/// Frames in the swap cache (checked without the lock on every free).
static CACHED: AtomicU32 = AtomicU32::new(0);
/// Synchronous swap I/O in progress: the disk wait must not switch tasks.
static SYNC_IO: AtomicU32 = AtomicU32::new(0);

/// Reads or writes one page at a slot; false on a device error.
pub struct Io {
    pub read: fn(slot: u32, buf: &mut [u8]) -> bool,
    pub write: fn(slot: u32, buf: &[u8]) -> bool,
}
static IO: Once<Io> = Once::new();
/// The page synchronous swap I/O goes through.
static BUF: Mutex<[u8; PAGE]> = Mutex::new([0; PAGE]);

/// The device's page I/O (registered in main.rs).
pub fn set_io(io: Io) {
    IO.call_once(|| io);
}

/// Whether a disk wait now must halt the CPU rather than switch tasks.
pub fn io_must_not_sleep() -> bool {
    SYNC_IO.load(Ordering::Relaxed) != 0
}

/// Linux 6.1 numbers areas swapped on without a priority -2, -3, ...
static LEAST_PRIORITY: Mutex<i32> = Mutex::new(-1);

/// Turns swap on over a checked header: EBUSY if an area is active.
pub fn activate(path: &str, h: &SwapHeader) -> Result<(), Errno> {
    let mut a = AREA.lock();
    if a.is_some() {
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

/// Ends swap, if nothing is left on the area (every page came back).
pub fn deactivate() -> Result<(), Errno> {
    let mut g = AREA.lock();
    let a = g.as_mut().ok_or(Errno::EINVAL)?;
    if a.slots.used() != 0 {
        return Err(Errno::EBUSY);
    }
    *g = None;
    *LEAST_PRIORITY.lock() += 1;
    Ok(())
}

/// A free slot with one reference, unless the area is full or closing.
pub fn alloc_slot() -> Option<u32> {
    with(|a| if a.closing { None } else { a.slots.alloc() }).flatten()
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
    with(|a| a.slots.put(slot).unwrap_or(0)).unwrap_or(0)
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
            a.slots.put(slot);
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

/// Writes the page `fill` puts in the buffer to `slot`, holding the CPU
/// until the disk is done (nothing can change the page meanwhile).
pub fn write_page(slot: u32, fill: impl FnOnce(&mut [u8; PAGE])) -> bool {
    let Some(io) = IO.get() else { return false };
    // A static page, not the heap: this runs when memory is short. The
    // lock is held across the wait, which only halts (SYNC_IO), and no
    // interrupt handler takes it.
    let mut buf = BUF.lock();
    fill(&mut buf);
    SYNC_IO.fetch_add(1, Ordering::Relaxed);
    let ok = (io.write)(slot, &buf[..]);
    SYNC_IO.fetch_sub(1, Ordering::Relaxed);
    ok
}

/// Reads `slot` and hands the bytes to `take`, holding the CPU until the
/// disk is done.
pub fn read_page(slot: u32, take: impl FnOnce(&[u8; PAGE])) -> bool {
    let Some(io) = IO.get() else { return false };
    let mut buf = BUF.lock();
    SYNC_IO.fetch_add(1, Ordering::Relaxed);
    let ok = (io.read)(slot, &mut buf[..]);
    SYNC_IO.fetch_sub(1, Ordering::Relaxed);
    if ok {
        take(&buf);
    }
    ok
}

/// Changes the page at `slot` in place: read, `change`d, written back,
/// holding the CPU throughout (a tmpfs page written while no frame can be
/// had). A disk error loses the change.
pub fn modify_page(slot: u32, change: impl FnOnce(&mut [u8; PAGE])) -> bool {
    let Some(io) = IO.get() else { return false };
    let mut buf = BUF.lock();
    SYNC_IO.fetch_add(1, Ordering::Relaxed);
    let ok = (io.read)(slot, &mut buf[..]) && {
        change(&mut buf);
        (io.write)(slot, &buf[..])
    };
    SYNC_IO.fetch_sub(1, Ordering::Relaxed);
    ok
}

/// Reads `slot` into `buf` while other tasks run (the caller holds no
/// process reference and a reference to the slot).
pub fn read_sleeping(slot: u32, buf: &mut [u8]) -> bool {
    IO.get().is_some_and(|io| (io.read)(slot, buf))
}

/// In a shared object's page table (`SharedPages::frames`): the value is a
/// swap slot, not a frame number (frame numbers stay below 2^20).
pub const OBJECT_SWAPPED: u32 = 1 << 31;

/// The slot of an object entry that is on swap.
pub fn object_slot(value: u32) -> Option<u32> {
    (value & OBJECT_SWAPPED != 0).then_some(value & !OBJECT_SWAPPED)
}

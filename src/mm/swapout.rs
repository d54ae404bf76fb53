//! Swapping out: the clock over one address space: the hand walks the resident user
//! pages from where it stopped, and each page gets `clock::verdict`. A
//! page to write is copied into the open write batch (`swap::io`) and its
//! entry switched to the slot at once, so nothing can change it in
//! between; its frame is free before the disk sees the batch, and the pass
//! never waits for the disk (when every buffer is in flight it stops,
//! `Pass::busy`, and the caller waits outside it). The caller holds the
//! only reference to the memory (never the memory of a task inside a
//! system call: its buffers were made present and must stay so).
//!
//! A shared object's page (MAP_SHARED anonymous) leaves each mapping on
//! its own; when no mapping is left, the object's own entry for the page
//! becomes `OBJECT_SWAPPED | slot` — the slot it was read back from, with
//! no write, while the swap cache still pairs the frame with it.

use super::fault::apply::object_swap_in;
use super::kmap::FrameWindow;
use super::swap::area::{self, OBJECT_SWAPPED, object_slot};
use super::swap::clock::{self, Verdict};
use super::swap::io::{self as swap_io, WriteError};
use crate::mm::addr::{Frame, PAGE_SIZE, VirtAddr};
use crate::mm::frame::{Refs, Release, Zone};
use crate::mm::paging::release_mapped;
use crate::mm::phys;
use crate::mm::pte::{PageTableEntry, PteFlags};
use crate::mm::user::UserMemory;
use crate::mm::vma::Backing;
use alloc::vec::Vec;

/// What one turn of the clock did.
#[derive(Clone, Copy, Default, Debug)]
pub struct Pass {
    pub freed: u32,
    pub scanned: u32,
    pub second: u32,
    pub outs: u32,
    /// The swap area is full (or closing, or failing): stop asking.
    pub stuck: bool,
    /// Every I/O buffer is in flight: wait for one (`io::wait_for_buffer`)
    /// before the next pass.
    pub busy: bool,
}

/// Runs the clock over up to `budget` resident pages of `mem`, until
/// `want` frames are free again.
pub fn clock(mem: &mut UserMemory, want: u32, budget: u32) -> Pass {
    let mut pass = Pass::default();
    let hand = mem.clock_hand;
    // The next `budget` resident pages from the hand, wrapping round once.
    let mut pages: Vec<(u32, PageTableEntry)> = Vec::with_capacity(budget as usize);
    let mut take = |va: VirtAddr, e: PageTableEntry| {
        if pages.len() >= budget as usize {
            return false;
        }
        if e.is_present() {
            pages.push((va.as_u32(), e));
        }
        pages.len() < budget as usize
    };
    mem.space.for_each_entry_from(VirtAddr::new(hand), &mut take);
    mem.space.for_each_entry_from(VirtAddr::new(0), |va, e| va.as_u32() < hand && take(va, e));
    for (va, e) in pages {
        if pass.freed >= want || pass.stuck || pass.busy {
            break;
        }
        mem.clock_hand = va + PAGE_SIZE;
        pass.scanned += 1;
        visit(mem, va, e, &mut pass);
        if pass.busy {
            mem.clock_hand = va; // not written: this page first next time
        }
    }
    swap_io::submit_writes();
    mem.stats.pages_scanned += pass.scanned;
    mem.stats.second_chances += pass.second;
    mem.stats.swap_outs += pass.outs;
    crate::mm::stats_global::clock(pass.scanned, pass.second, pass.outs);
    pass
}

fn visit(mem: &mut UserMemory, va: u32, e: PageTableEntry, pass: &mut Pass) {
    let Some(region) = mem.map.find(va) else { return };
    let object = matches!(region.backing, Backing::Shared { .. });
    let kind = clock::kind(e, object, region.is_shared() && !object);
    let frame = e.frame();
    let cached = area::cached_slot(frame);
    let at = VirtAddr::new(va);
    match clock::verdict(e, kind, cached.is_some()) {
        Verdict::Keep => {}
        Verdict::SecondChance => {
            // The flush (set_entry's, when this space is loaded) makes the
            // CPU set Accessed again on the next use.
            let _ = mem.space.set_entry(at, e.with_flags(e.flags() - PteFlags::ACCESSED));
            pass.second += 1;
        }
        Verdict::DropClean => {
            let Some(slot) = cached else { return };
            area::dup(slot);
            let _ = mem.space.set_entry(at, PageTableEntry::swapped(slot));
            if release_mapped(e) == Release::Freed {
                pass.freed += 1;
            }
        }
        Verdict::WriteOut => write_out(mem, at, e, pass),
        Verdict::Unmap => {
            let _ = mem.space.set_entry(at, PageTableEntry::EMPTY);
            let _ = release_mapped(e);
            if phys::refs(frame) == Refs::Counted(1) {
                object_out(mem, va, frame, pass);
            }
        }
    }
}

/// Writes a private page to a new slot and points its entry at the slot.
/// A frame others still map (copy-on-write after fork) stays paired with
/// the slot, so their entries can go there with no write.
fn write_out(mem: &mut UserMemory, at: VirtAddr, e: PageTableEntry, pass: &mut Pass) {
    let frame = e.frame();
    // Dirty: whatever slot it came from is stale.
    area::uncache(frame);
    let Some(slot) = write_to_new_slot(frame, pass) else { return };
    if phys::refs(frame).shared() {
        area::cache(frame, slot);
        area::dup(slot);
    }
    let _ = mem.space.set_entry(at, PageTableEntry::swapped(slot));
    // The bytes are on the disk now: the entry's Dirty bit is spent.
    if release_mapped(e.with_flags(e.flags() - PteFlags::DIRTY)) == Release::Freed {
        pass.freed += 1;
    }
}

/// Queues `frame` for writing to a free slot and counts the swap-out;
/// `None` (and the pass marked stuck, or busy) when there is no free slot,
/// or no buffer free for now.
fn write_to_new_slot(frame: Frame, pass: &mut Pass) -> Option<u32> {
    match swap_io::queue_write(|b| b.copy_from_slice(FrameWindow::new(frame).bytes())) {
        Ok(slot) => {
            pass.outs += 1;
            Some(slot)
        }
        Err(WriteError::Full) => {
            pass.stuck = true;
            None
        }
        Err(WriteError::Busy) => {
            pass.busy = true;
            None
        }
    }
}

/// The last mapping of a shared object's page went: the object keeps the
/// page on swap instead of in a frame.
fn object_out(mem: &mut UserMemory, va: u32, frame: Frame, pass: &mut Pass) {
    let Some(region) = mem.map.find(va) else { return };
    let Backing::Shared { pages, first_page } = &region.backing else { return };
    let page = first_page + (va - region.start.as_u32()) / PAGE_SIZE;
    let mut frames = pages.frames.lock();
    if frames.get(&page) != Some(&frame.number()) {
        return;
    }
    // Still paired with the slot it came from (no mapping wrote it: their
    // Dirty entries undid the pair as they went): the object takes a
    // reference to that slot and nothing is written.
    let slot = match area::cached_slot(frame) {
        Some(slot) => {
            area::dup(slot);
            slot
        }
        None => match write_to_new_slot(frame, pass) {
            Some(slot) => slot,
            None => return,
        },
    };
    frames.insert(page, OBJECT_SWAPPED | slot);
    if phys::release(frame) == Release::Freed {
        area::frame_gone(frame);
        pass.freed += 1;
    }
}

/// swapoff's work on one address space: every swap entry is brought back.
/// False if memory ran out first.
pub fn bring_back(mem: &mut UserMemory) -> bool {
    let mut swapped = Vec::new();
    mem.space.for_each_entry(|va, e| {
        if e.swap_slot().is_some() {
            swapped.push(va.as_u32());
        }
    });
    for va in swapped {
        let err = crate::arch::x86::exception::PfError::USER;
        match mem.fault(va, err) {
            Ok(()) => {}
            Err(crate::mm::fault::decide::KillReason::OutOfMemory) => return false,
            // A region that now forbids reading (PROT_NONE over swapped
            // pages): bring it back without asking the region.
            Err(_) => {
                if !force_back(mem, va) {
                    return false;
                }
            }
        }
    }
    let mut ok = true;
    for r in mem.map.iter() {
        let Backing::Shared { pages, .. } = &r.backing else { continue };
        let mut frames = pages.frames.lock();
        let out: Vec<(u32, u32)> =
            frames.iter().filter(|(_, v)| object_slot(**v).is_some()).map(|(k, v)| (*k, *v)).collect();
        for (page, v) in out {
            match object_swap_in(v) {
                Some(f) => {
                    frames.insert(page, f.number());
                }
                None => ok = false,
            }
        }
    }
    ok
}

/// Reads the swap entry at `va` into a frame mapped with no user access
/// (the region is PROT_NONE); mprotect gives it the region's rights later.
fn force_back(mem: &mut UserMemory, va: u32) -> bool {
    let at = VirtAddr::new(va);
    let Some(slot) = mem.space.entry(at).and_then(|e| e.swap_slot()) else { return true };
    let Ok(f) = phys::alloc_user(Zone::Any) else { return false };
    if !area::read_page(slot, |b| FrameWindow::new(f).bytes().copy_from_slice(b))
        || mem.space.map(at, f, PteFlags::COW).is_err()
    {
        let _ = phys::release(f);
        return false;
    }
    area::put(slot);
    true
}

//! The executor: carries out a `FaultAction` on a process's page tables.
//! Each action maps exactly one page (or changes one entry), so one fault
//! costs one trap; the TLB flush is the paging layer's.

use super::decide::{EntryState, FaultAction, KillReason, decide_after_growth, decide_found};
use crate::arch::x86::exception::{Access, PfError};
use crate::mm::addr::{Frame, PhysAddr, VirtAddr};
use crate::mm::cache::CacheError;
use crate::mm::frame::{Refs, Zone};
use crate::mm::kmap::{FrameWindow, alloc_user_zeroed, copy_frame};
use crate::mm::paging::AddressSpace;
use crate::mm::paging::release_mapped;
use crate::mm::phys;
use crate::mm::pte::{PageTableEntry, PteFlags};
use crate::mm::stats::FaultEvent;
use crate::mm::vma::{Backing, MemoryMap};

/// What the executor works on: a process's page tables and memory map,
/// borrowed together so they stay in step.
pub struct Target<'a> {
    pub space: &'a mut AddressSpace,
    pub map: &'a mut MemoryMap,
    /// A swap slot the task slept on while swap's buffers read it: a
    /// `SwapIn` of that slot finds it there, and counts as major.
    pub waited: Option<u32>,
    /// The fault is a write (set by `resolve`).
    pub writing: bool,
    /// The region holding the address allows writing (set by `resolve`,
    /// which looks the region up once for the whole fault).
    pub region_writable: bool,
}

/// A fault resolved: what it cost, and whether the stack grew to reach it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Resolved {
    pub event: FaultEvent,
    pub grew_stack: bool,
}

/// The frame every untouched anonymous page reads as.
static ZERO_FRAME: spin::Once<Frame> = spin::Once::new();

pub fn zero_frame() -> Frame {
    *ZERO_FRAME.call_once(|| {
        // Pinned forever: one reference that is never dropped, and mappings
        // of it (flag ZERO) do not count.
        phys::alloc_low_zeroed().expect("no memory for the zero frame")
    })
}

/// What the entry at `va` means to `decide`.
pub fn entry_state(space: &AddressSpace, va: u32) -> EntryState {
    let entry = space.entry(VirtAddr::new(va)).unwrap_or(PageTableEntry::EMPTY);
    if !entry.is_present() {
        return EntryState { entry, ..EntryState::NONE };
    }
    let zero_frame = entry.flags().contains(PteFlags::ZERO);
    let refs =
        if zero_frame || entry.flags().contains(PteFlags::FILE) { Refs::Uncounted } else { phys::refs(entry.frame()) };
    EntryState { entry, zero_frame, refs }
}

/// Resolves a fault at `addr` or says why the task must die. (Inlined
/// into the fault path: see `UserMemory::fault_with`.)
#[inline(always)]
pub fn resolve(mem: &mut Target, addr: u32, err: PfError) -> Result<Resolved, KillReason> {
    let region = mem.map.find(addr);
    // What the executor needs of the region: whether it is writable, and
    // whether it has no anon_vma yet (then a private write may have to
    // give it one: `note_private_page` decides).
    let facts = |r: Option<&crate::mm::vma::Region>| r.map_or((false, false), |r| (r.prot.writable(), r.anon.id == 0));
    let (mut writable, mut unlinked) = facts(region);
    let action = decide_found(err, VirtAddr::new(addr), mem.map, region, entry_state(mem.space, addr));
    let (action, grew_stack) = match action {
        FaultAction::GrowStack { new_start } => {
            let stack = mem.map.next_above(addr).map(|r| r.start).ok_or(KillReason::NoMapping)?;
            mem.map.extend_down(stack.as_u32(), new_start.as_u32()).map_err(|_| KillReason::StackOverflow)?;
            crate::mm::stats_global::stack_growth();
            (writable, unlinked) = facts(mem.map.find(addr));
            (decide_after_growth(err, VirtAddr::new(addr), mem.map), true)
        }
        a => (a, false),
    };
    mem.region_writable = writable;
    // A write that makes (or would make) a private page gives the region
    // an anon_vma first, as on Linux — past the end of a file too, before
    // the SIGBUS. It decides what the region merges with.
    let private_write = matches!(
        action,
        FaultAction::MapZeroed
            | FaultAction::CopyFile { .. }
            | FaultAction::CopyFilePartial { .. }
            | FaultAction::CopyOnWrite
            | FaultAction::Kill(KillReason::PastEndOfFile)
    );
    mem.writing = err.access() == Access::Write;
    if private_write && err.access() == Access::Write && unlinked {
        mem.map.note_private_page(addr);
    }
    Ok(Resolved { event: apply(mem, addr, action)?, grew_stack })
}

/// A user page's flags: writable if its region is.
fn user_flags(mem: &Target) -> PteFlags {
    PteFlags::USER | if mem.region_writable { PteFlags::WRITABLE } else { PteFlags::empty() }
}

#[inline(always)]
fn apply(mem: &mut Target, addr: u32, action: FaultAction) -> Result<FaultEvent, KillReason> {
    let va = VirtAddr::new(addr).page().start();
    let oom = |_| KillReason::OutOfMemory;
    let event = match action {
        FaultAction::Retry => FaultEvent::None,
        FaultAction::Kill(why) => return Err(why),
        FaultAction::GrowStack { .. } => return Err(KillReason::StackOverflow),
        FaultAction::MapZeroPage => {
            mem.space.map(va, zero_frame(), PteFlags::USER | PteFlags::ZERO).map_err(oom)?;
            FaultEvent::ZeroPageMap
        }
        FaultAction::MapZeroed => {
            let f = alloc_user_zeroed().map_err(oom)?;
            install(mem, va, f, user_flags(mem))?;
            FaultEvent::DemandZero
        }
        FaultAction::MapFile { phys } => {
            let mut flags = PteFlags::USER | PteFlags::FILE;
            if mem.region_writable {
                flags |= PteFlags::COW;
            }
            // The mapping holds the frame (a module's is not counted).
            let frame = PhysAddr::new(phys).frame();
            phys::add_ref(frame);
            install(mem, va, frame, flags)?;
            FaultEvent::FileMap
        }
        FaultAction::CopyFile { phys } => {
            let f = phys::alloc_user(Zone::Any).map_err(oom)?;
            copy_frame(PhysAddr::new(phys).frame(), f);
            install(mem, va, f, user_flags(mem))?;
            FaultEvent::CowCopy
        }
        FaultAction::CopyFilePartial { phys, bytes } => {
            let f = phys::alloc_user(Zone::Any).map_err(oom)?;
            copy_partial(PhysAddr::new(phys), bytes as usize, f);
            install(mem, va, f, user_flags(mem))?;
            FaultEvent::FileMap
        }
        FaultAction::CopyOnWrite => {
            let old = mem.space.entry(va).unwrap_or(PageTableEntry::EMPTY);
            let f = phys::alloc_user(Zone::Any).map_err(oom)?;
            copy_frame(old.frame(), f);
            install(mem, va, f, user_flags(mem))?;
            FaultEvent::CowCopy
        }
        FaultAction::MakeWritable => {
            let old = mem.space.entry(va).unwrap_or(PageTableEntry::EMPTY);
            crate::mm::swap::area::before_write(old.frame());
            let flags = (old.flags() | PteFlags::WRITABLE) - PteFlags::COW;
            mem.space.protect(va, flags);
            FaultEvent::CowReuse
        }
        FaultAction::MapShared { page } => map_shared(mem, addr, page)?,
        FaultAction::MapCachePage { page } => map_cache_page(mem, addr, page)?,
        FaultAction::SwapIn { slot } => swap_in(mem, addr, slot)?,
    };
    Ok(event)
}

/// Maps a fresh frame (one reference, handed to the mapping) and drops the
/// reference the old entry held. On failure the frame is given back.
fn install(mem: &mut Target, va: VirtAddr, f: Frame, flags: PteFlags) -> Result<(), KillReason> {
    match mem.space.map(va, f, flags) {
        Ok(old) => {
            if old.is_present() {
                let _ = release_mapped(old);
            }
            Ok(())
        }
        Err(_) => {
            if phys::release(f) == crate::mm::frame::Release::Freed {
                crate::mm::swap::area::frame_gone(f);
            }
            Err(KillReason::OutOfMemory)
        }
    }
}

fn copy_partial(src: PhysAddr, bytes: usize, to: Frame) {
    let mut from = FrameWindow::new(src.frame());
    let mut dst = FrameWindow::new(to);
    let d = dst.bytes();
    d[..bytes].copy_from_slice(&from.bytes()[..bytes]);
    d[bytes..].fill(0);
}

fn map_shared(mem: &mut Target, addr: u32, page: u32) -> Result<FaultEvent, KillReason> {
    let region = mem.map.find(addr).ok_or(KillReason::NoMapping)?;
    let Backing::Shared { pages, .. } = &region.backing else { return Err(KillReason::NoMapping) };
    let pages = pages.clone();
    let mut frames = pages.frames.lock();
    let (frame, event) = match frames.get(&page) {
        Some(&n) if crate::mm::swap::area::object_slot(n).is_some() => {
            let f = object_swap_in(n).ok_or(KillReason::OutOfMemory)?;
            frames.insert(page, f.number());
            (f, FaultEvent::SwapIn { major: true })
        }
        Some(&n) => (Frame::from_number(n), FaultEvent::None),
        None => {
            let f = alloc_user_zeroed().map_err(|_| KillReason::OutOfMemory)?;
            frames.insert(page, f.number());
            (f, FaultEvent::DemandZero)
        }
    };
    // The object keeps its reference; the mapping takes another.
    phys::add_ref(frame);
    let flags = user_flags(mem);
    install(mem, VirtAddr::new(addr).page().start(), frame, flags)?;
    Ok(event)
}

/// Maps the file's own frame for page `page` of a shared file mapping,
/// giving a hole a page in the file first. The file keeps its reference;
/// the mapping takes another.
fn map_cache_page(mem: &mut Target, addr: u32, page: u32) -> Result<FaultEvent, KillReason> {
    let region = mem.map.find(addr).ok_or(KillReason::NoMapping)?;
    let Backing::Cache { file, .. } = &region.backing else { return Err(KillReason::NoMapping) };
    let frame = match file.frame(page, true) {
        Ok(Some(f)) => f,
        Ok(None) | Err(CacheError::OutOfMemory) => return Err(KillReason::OutOfMemory),
        Err(CacheError::PastEof) => return Err(KillReason::PastEndOfFile),
    };
    phys::add_ref(frame);
    let flags = user_flags(mem);
    install(mem, VirtAddr::new(addr).page().start(), frame, flags)?;
    Ok(FaultEvent::FileMap)
}

/// Brings the page at `addr` back from swap slot `slot`: the swap cache's
/// frame if it still matches the slot, else a new frame filled from an
/// I/O buffer or the disk (read-ahead included, holding the CPU: see
/// `swap::io`). The entry's slot reference goes; if
/// other entries still name the slot, the frame stays paired with it and
/// is mapped read-only copy-on-write, since they will map the same frame.
fn swap_in(mem: &mut Target, addr: u32, slot: u32) -> Result<FaultEvent, KillReason> {
    use crate::mm::swap::area;
    use crate::mm::swap::io::{self, Source};
    let va = VirtAddr::new(addr).page().start();
    let (frame, major) = match area::cached_frame(slot) {
        Some(f) => {
            phys::add_ref(f);
            (f, false)
        }
        None => {
            let f = phys::alloc_user(Zone::Any).map_err(|_| KillReason::OutOfMemory)?;
            // The task slept while this slot was read into swap's buffers:
            // a major fault.
            let waited = mem.waited == Some(slot);
            let source = io::read(slot, false, |b| FrameWindow::new(f).bytes().copy_from_slice(b));
            let Some(source) = source else {
                // A disk error: the page is lost, as Linux's SIGBUS.
                let _ = phys::release(f);
                return Err(KillReason::PastEndOfFile);
            };
            // The cache takes this entry's reference; the entry's own goes
            // below. Not a failed write's page: its slot holds nothing.
            if source != (Source::Buffer { failed: true }) {
                area::dup(slot);
                area::cache(f, slot);
            }
            (f, waited || source == Source::Disk)
        }
    };
    // This entry's reference goes once the frame is in: the others (and
    // the cache's) stay.
    let left = area::count(slot).saturating_sub(1);
    let alone = left <= 1 && phys::refs(frame) == Refs::Counted(1);
    let flags = if alone { user_flags(mem) } else { PteFlags::USER | PteFlags::COW };
    install(mem, va, frame, flags)?;
    area::put(slot);
    // Alone and written at once, or swap filling up: the slot is not
    // worth keeping (Linux frees it on a write fault too).
    if alone && (mem.writing || area::mostly_full()) {
        area::uncache(frame);
    }
    Ok(FaultEvent::SwapIn { major })
}

/// Reads a shared object's page back from swap into a new frame. The
/// object's slot reference passes to the swap cache, which pairs the frame
/// with the slot, so that the page can go out again with no write while
/// no mapping writes it; unless swap is over half full, then the slot goes.
/// `None` if no frame is free or the disk failed.
pub fn object_swap_in(value: u32) -> Option<Frame> {
    use crate::mm::swap::area;
    let slot = area::object_slot(value)?;
    let f = phys::alloc_user(Zone::Any).ok()?;
    if !area::read_page(slot, |b| FrameWindow::new(f).bytes().copy_from_slice(b)) {
        let _ = phys::release(f);
        return None;
    }
    if area::mostly_full() {
        area::put(slot);
    } else {
        area::cache(f, slot);
    }
    Some(f)
}

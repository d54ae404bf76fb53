//! Page directories and page tables: map, unmap, translate, protect — and the
//! TLB invalidation that goes with each change, done here so no caller can
//! forget it.
//!
//! Every address space is one page directory. Its kernel half (PDEs 768–1023)
//! is a copy of the kernel's master directory made at creation: the direct
//! map uses 4 MiB global pages, and the page tables for the rest of the
//! kernel half exist from boot on, so a kernel mapping made later is seen by
//! every address space without touching their directories. The user half
//! starts empty; page tables are made when something is mapped there.
//!
//! Page tables and directories always come from low memory, so the kernel
//! reaches them through the direct map.

use super::addr::{ENTRIES_PER_TABLE, Frame, PAGE_SIZE, PhysAddr, VirtAddr};
use super::frame::{OutOfFrames, Release};
use super::layout::{KERNEL_BASE, phys_to_virt};
use super::phys;
use super::pte::{PageDirectoryEntry, PageTableEntry, PteFlags};
use crate::arch::x86::{cpu, onecpu};
use core::sync::atomic::{AtomicU32, Ordering};

/// Index of the first kernel PDE.
pub const KERNEL_PDE_START: usize = (KERNEL_BASE >> 22) as usize;

type Table = [PageTableEntry; ENTRIES_PER_TABLE];
type Directory = [PageDirectoryEntry; ENTRIES_PER_TABLE];

/// Physical address of the kernel's master page directory (0 before init).
static KERNEL_PD: AtomicU32 = AtomicU32::new(0);
/// Frames holding user page tables and page directories, system-wide.
static PAGE_TABLE_FRAMES: AtomicU32 = AtomicU32::new(0);

pub fn page_table_frames() -> u32 {
    PAGE_TABLE_FRAMES.load(Ordering::Relaxed)
}

pub fn kernel_directory() -> Frame {
    PhysAddr::new(KERNEL_PD.load(Ordering::Relaxed)).frame()
}

pub(super) fn set_kernel_directory(pd: Frame) {
    KERNEL_PD.store(pd.start().as_u32(), Ordering::Relaxed);
}

fn directory(pd: Frame) -> *mut Directory {
    phys_to_virt(pd.start().as_u32()) as *mut Directory
}

fn table(pt: Frame) -> *mut Table {
    phys_to_virt(pt.start().as_u32()) as *mut Table
}

/// The physical address CR3 holds.
pub fn current_cr3() -> u32 {
    cpu::read_cr3()
}

/// Drops any TLB entry for the page holding `va`.
pub fn flush_page(va: VirtAddr) {
    cpu::invalidate_page(va.as_u32());
}

/// Loads CR3: switches address space and flushes every non-global entry.
///
/// # Safety
/// `pd` must be a complete page directory whose kernel half is the kernel's.
pub unsafe fn load_cr3(pd: Frame) {
    // SAFETY: forwarded to the caller: the kernel stays mapped.
    unsafe { cpu::write_cr3(pd.start().as_u32()) };
}

/// Switches to the kernel's own directory (no user half), as the idle task runs.
pub fn activate_kernel() {
    // SAFETY: the master directory maps the whole kernel half.
    unsafe { load_cr3(kernel_directory()) };
}

/// Sets a kernel-half PTE (stacks, heap, temporary window) in the master
/// page tables, which every address space shares, and flushes it.
pub fn kernel_set_entry(va: VirtAddr, e: PageTableEntry) -> PageTableEntry {
    assert!(va.as_u32() >= super::layout::KERNEL_PT_AREA_START, "not a page-table-mapped kernel address: {va:?}");
    // SAFETY: the master directory exists from boot on and its PDEs for
    // this area point at page tables that are never freed; one CPU.
    let old = unsafe {
        let pde = (*directory(kernel_directory()))[va.pd_index()];
        let slot = &mut (*table(pde.table_frame()))[va.pt_index()];
        core::mem::replace(slot, e)
    };
    flush_page(va);
    old
}

/// A user address space: one page directory and the page tables under it.
/// Dropping it releases every frame reference it holds; it must not be the
/// loaded one then.
pub struct AddressSpace {
    pd: Frame,
}

/// What a walk found for one address.
#[derive(Clone, Copy, Debug)]
pub struct Walk {
    pub pd: Frame,
    pub pde: PageDirectoryEntry,
    /// The PTE, when the PDE points at a page table.
    pub pte: Option<PageTableEntry>,
    /// The physical address, when the page is present.
    pub phys: Option<PhysAddr>,
}

impl AddressSpace {
    /// An empty user half under the kernel half.
    pub fn new() -> Result<Self, OutOfFrames> {
        let pd = phys::alloc_user_low_zeroed()?;
        onecpu::add(&PAGE_TABLE_FRAMES, 1);
        // SAFETY: pd is a fresh frame only we know of; the master directory
        // is read-only after boot.
        unsafe {
            let master = &*directory(kernel_directory());
            (&mut *directory(pd))[KERNEL_PDE_START..].copy_from_slice(&master[KERNEL_PDE_START..]);
        }
        Ok(Self { pd })
    }

    pub fn directory_frame(&self) -> Frame {
        self.pd
    }

    pub fn is_current(&self) -> bool {
        current_cr3() == self.pd.start().as_u32()
    }

    /// Makes this the address space the CPU translates through.
    pub fn activate(&self) {
        // SAFETY: the directory was made by `new`, so its kernel half is the
        // kernel's and the code running now stays mapped.
        unsafe { load_cr3(self.pd) };
    }

    fn pde(&self, va: VirtAddr) -> PageDirectoryEntry {
        // SAFETY: self owns pd, a live directory in low memory.
        unsafe { (*directory(self.pd))[va.pd_index()] }
    }

    /// The PTE for `va`, or `None` when there is no page table for it.
    pub fn entry(&self, va: VirtAddr) -> Option<PageTableEntry> {
        debug_assert!(va.as_u32() < KERNEL_BASE);
        let pde = self.pde(va);
        // SAFETY: a present user PDE points at a page table this space owns.
        pde.is_present().then(|| unsafe { (*table(pde.table_frame()))[va.pt_index()] })
    }

    /// Replaces the PTE for `va` (a user address) and flushes it from the
    /// TLB if this space is loaded. Makes the page table if needed. Frame
    /// references are the caller's business. Returns the old entry.
    /// (Inlined: every fault that maps a page comes here.)
    #[inline(always)]
    pub fn set_entry(&mut self, va: VirtAddr, e: PageTableEntry) -> Result<PageTableEntry, OutOfFrames> {
        assert!(va.as_u32() < KERNEL_BASE, "user mapping in the kernel half: {va:?}");
        let pde = self.pde(va);
        if !pde.is_present() {
            return self.set_entry_in_new_table(va, e);
        }
        // SAFETY: the PDE points at a page table this space owns.
        let old = unsafe { core::mem::replace(&mut (*table(pde.table_frame()))[va.pt_index()], e) };
        if old.is_present() && self.is_current() {
            flush_page(va);
        }
        Ok(old)
    }

    /// `set_entry` where no page table covers `va` yet: makes one, unless
    /// `e` is empty (there is nothing to replace then).
    #[inline(never)]
    fn set_entry_in_new_table(&mut self, va: VirtAddr, e: PageTableEntry) -> Result<PageTableEntry, OutOfFrames> {
        if e.is_unused() {
            return Ok(PageTableEntry::EMPTY);
        }
        let pt = phys::alloc_user_low_zeroed()?;
        onecpu::add(&PAGE_TABLE_FRAMES, 1);
        // The PDE allows everything; each PTE says what is allowed.
        let pde = PageDirectoryEntry::table(pt, PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::USER);
        // SAFETY: self owns pd; index < 768 is the user half.
        unsafe { (*directory(self.pd))[va.pd_index()] = pde };
        // SAFETY: the PDE just made points at a zeroed table this space owns.
        unsafe { (*table(pde.table_frame()))[va.pt_index()] = e };
        Ok(PageTableEntry::EMPTY)
    }

    /// Maps `va` to `frame` with `flags` (PRESENT added). The frame's
    /// reference is handed to the address space. Returns the old entry.
    #[inline(always)]
    pub fn map(&mut self, va: VirtAddr, frame: Frame, flags: PteFlags) -> Result<PageTableEntry, OutOfFrames> {
        self.set_entry(va, PageTableEntry::new(frame, flags | PteFlags::PRESENT))
    }

    /// Unmaps `va`, dropping the frame reference the mapping held (or the
    /// swap slot reference a swap entry held).
    pub fn unmap(&mut self, va: VirtAddr) -> Option<Release> {
        if self.entry(va).is_none_or(|e| e.is_unused()) {
            return None;
        }
        let old = self.set_entry(va, PageTableEntry::EMPTY).ok()?;
        release_swapped(old);
        old.is_present().then(|| release_mapped(old))
    }

    /// Changes the flags of a present page (the frame stays) and flushes.
    pub fn protect(&mut self, va: VirtAddr, flags: PteFlags) -> bool {
        match self.entry(va) {
            Some(e) if e.is_present() => {
                let _ = self.set_entry(va, e.with_flags(flags | PteFlags::PRESENT));
                true
            }
            _ => false,
        }
    }

    /// The physical address `va` translates to, if it is mapped.
    pub fn translate(&self, va: VirtAddr) -> Option<PhysAddr> {
        self.walk(va).phys
    }

    /// The PDE and PTE for `va`, kernel half included.
    pub fn walk(&self, va: VirtAddr) -> Walk {
        walk_directory(self.pd, va)
    }

    /// Unmaps every page in `[start, end)` and frees page tables left empty.
    /// Returns the number of pages that were present.
    pub fn unmap_range(&mut self, start: VirtAddr, end: VirtAddr) -> u32 {
        let mut present = 0;
        let (mut va, end) = (u64::from(start.as_u32()), u64::from(end.as_u32()));
        while va < end {
            let stop = (((va >> 22) + 1) << 22).min(end);
            if self.pde(VirtAddr::new(va as u32)).is_present() {
                for page in (va..stop).step_by(PAGE_SIZE as usize) {
                    if self.unmap(VirtAddr::new(page as u32)).is_some() {
                        present += 1;
                    }
                }
                self.free_table_if_empty(VirtAddr::new(va as u32));
            }
            va = stop;
        }
        present
    }

    fn free_table_if_empty(&mut self, va: VirtAddr) {
        let pde = self.pde(va);
        if !pde.is_present() {
            return;
        }
        // SAFETY: a present user PDE points at a table this space owns.
        let empty = unsafe { (*table(pde.table_frame())).iter().all(|e| e.is_unused()) };
        if empty {
            // SAFETY: self owns pd; nothing maps through this table any more.
            unsafe { (*directory(self.pd))[va.pd_index()] = PageDirectoryEntry::EMPTY };
            if self.is_current() {
                // The CPU may cache the PDE in paging-structure caches.
                // SAFETY: same directory, so the kernel stays mapped.
                unsafe { load_cr3(self.pd) };
            }
            free_table_frame(pde.table_frame());
        }
    }

    /// Calls `f(va, entry)` for every non-empty user PTE, in address order.
    pub fn for_each_entry(&self, mut f: impl FnMut(VirtAddr, PageTableEntry)) {
        self.for_each_entry_from(VirtAddr::new(0), |va, e| {
            f(va, e);
            true
        });
    }

    /// Calls `f(va, entry)` for every non-empty user PTE from `start` on, in
    /// address order, until `f` returns false (the swap clock's walk from
    /// its hand, which must not cost a walk of the whole space).
    pub fn for_each_entry_from(&self, start: VirtAddr, mut f: impl FnMut(VirtAddr, PageTableEntry) -> bool) {
        let first = start.as_u32() >> 22;
        for pdi in first as usize..KERNEL_PDE_START {
            // SAFETY: self owns pd.
            let pde = unsafe { (*directory(self.pd))[pdi] };
            if !pde.is_present() {
                continue;
            }
            // SAFETY: a present user PDE points at a table this space owns.
            let t = unsafe { &*table(pde.table_frame()) };
            let from = if pdi as u32 == first { (start.as_u32() >> 12 & 1023) as usize } else { 0 };
            for (pti, e) in t.iter().enumerate().skip(from) {
                if !e.is_unused() && !f(VirtAddr::new((pdi as u32) << 22 | (pti as u32) << 12), *e) {
                    return;
                }
            }
        }
    }

    /// Rewrites every non-empty user PTE with `f` (for fork's copy-on-write
    /// marking); flushes the whole TLB if this space is loaded.
    pub fn update_each_entry(&mut self, mut f: impl FnMut(VirtAddr, PageTableEntry) -> PageTableEntry) {
        for pdi in 0..KERNEL_PDE_START {
            // SAFETY: self owns pd and its user tables.
            let pde = unsafe { (*directory(self.pd))[pdi] };
            if !pde.is_present() {
                continue;
            }
            // SAFETY: as above.
            let t = unsafe { &mut *table(pde.table_frame()) };
            for (pti, e) in t.iter_mut().enumerate() {
                if !e.is_unused() {
                    *e = f(VirtAddr::new((pdi as u32) << 22 | (pti as u32) << 12), *e);
                }
            }
        }
        if self.is_current() {
            // SAFETY: reloading our own directory keeps the kernel mapped.
            unsafe { load_cr3(self.pd) };
        }
    }

    /// User page tables in use (not counting the directory).
    pub fn table_count(&self) -> u32 {
        // SAFETY: self owns pd.
        unsafe { (&*directory(self.pd))[..KERNEL_PDE_START].iter().filter(|e| e.is_present()).count() as u32 }
    }
}

impl Drop for AddressSpace {
    fn drop(&mut self) {
        assert!(!self.is_current(), "dropping the loaded address space");
        self.drop_bench_window();
        for pdi in 0..KERNEL_PDE_START {
            // SAFETY: self owns pd and its user tables; nobody translates
            // through them any more (not loaded).
            let pde = unsafe { (*directory(self.pd))[pdi] };
            if !pde.is_present() {
                continue;
            }
            // SAFETY: as above.
            for e in unsafe { (*table(pde.table_frame())).iter() } {
                if e.is_present() {
                    let _ = release_mapped(*e);
                }
                release_swapped(*e);
            }
            free_table_frame(pde.table_frame());
        }
        free_table_frame(self.pd);
    }
}

impl AddressSpace {
    /// A `make bench` fault window still armed here (`benchwindow`): the
    /// references of pages no fault put back are held by their saved
    /// entries (non-zero), not by the PTEs the loop in `drop` releases.
    fn drop_bench_window(&self) {
        let Some(w) = crate::arch::x86::benchgate::disarm(self.pd.start().as_u32()) else { return };
        for saved in (0..w.pages).map(|i| PageTableEntry::from_raw(w.saved(i))) {
            if saved.is_present() {
                let _ = release_mapped(saved);
            }
        }
    }
}

/// Drops the reference a present PTE held on its frame. The shared zero
/// frame's mappings are not counted; a file page's are (the frame table
/// ignores a module's frames, which it does not own).
pub fn release_mapped(e: PageTableEntry) -> Release {
    if e.flags().contains(PteFlags::ZERO) {
        return Release::NotManaged;
    }
    let r = phys::release(e.frame());
    // A freed frame, or one written through this entry, no longer matches
    // a swap slot.
    if r == Release::Freed || e.flags().contains(PteFlags::DIRTY) {
        super::swap::area::frame_gone(e.frame());
    }
    r
}

/// Drops the slot reference a swap entry held (nothing for other entries).
pub fn release_swapped(e: PageTableEntry) {
    if let Some(slot) = e.swap_slot() {
        super::swap::area::put(slot);
    }
}

fn free_table_frame(f: Frame) {
    onecpu::sub(&PAGE_TABLE_FRAMES, 1);
    let r = phys::release(f);
    debug_assert_eq!(r, Release::Freed);
}

/// Walks `va` through the directory at `pd` (any address space).
pub fn walk_directory(pd: Frame, va: VirtAddr) -> Walk {
    // SAFETY: pd is a live page directory in low memory.
    let pde = unsafe { (*directory(pd))[va.pd_index()] };
    let mut w = Walk { pd, pde, pte: None, phys: None };
    if !pde.is_present() {
        return w;
    }
    if pde.is_huge() {
        w.phys = Some(PhysAddr::new(pde.huge_start().as_u32() | (va.as_u32() & 0x3F_FFFF)));
        return w;
    }
    // SAFETY: a present, non-huge PDE points at a page table in low memory.
    let pte = unsafe { (*table(pde.table_frame()))[va.pt_index()] };
    w.pte = Some(pte);
    if pte.is_present() {
        w.phys = Some(PhysAddr::new(pte.frame().start().as_u32() | va.page_offset()));
    }
    w
}

impl core::fmt::Display for Walk {
    /// Like a kernel debugger's `!pte`: both levels, every flag, the frame.
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        writeln!(f, "page directory at {:#010x}", self.pd.start().as_u32())?;
        writeln!(f, "  PDE {:#010x}  {}", self.pde.raw(), self.pde.flags())?;
        if !self.pde.is_present() {
            return writeln!(f, "  no page table: the whole 4 MiB is not present");
        }
        if self.pde.is_huge() {
            writeln!(f, "  4 MiB page at {:#010x}", self.pde.huge_start().as_u32())?;
        } else {
            writeln!(f, "  page table at {:#010x}", self.pde.table_frame().start().as_u32())?;
            if let Some(pte) = self.pte {
                match pte.swap_slot() {
                    Some(slot) => writeln!(f, "  PTE {:#010x}  -- not present: swapped, slot {slot}", pte.raw())?,
                    None => writeln!(f, "  PTE {:#010x}  {}", pte.raw(), pte.flags())?,
                }
            }
        }
        match self.phys {
            Some(p) => writeln!(f, "  -> physical {:#010x} (frame {:#010x})", p.as_u32(), p.frame().start().as_u32()),
            None => writeln!(f, "  -> not present"),
        }
    }
}

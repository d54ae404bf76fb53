//! Kernel stacks: 16 KiB each, with an unmapped guard page below, in the
//! kernel-stack area. Overflowing one faults on the guard page, the fault
//! cannot be delivered on the same stack, and the double-fault task reports
//! it (see `arch::x86::tss`).
//!
//! ```text
//!  slot n: KSTACK_AREA_START + n * 20 KiB
//!  ┌───────────┬──────────────────────────────┐
//!  │ guard 4K  │ stack 16K (grows down) ← top │
//!  └───────────┴──────────────────────────────┘
//! ```

use super::addr::{PAGE_SIZE, VirtAddr};
use super::bitmap::Bitmap;
use super::frame::{OutOfFrames, Zone};
use super::layout::{KSTACK_AREA_END, KSTACK_AREA_START};
use super::paging::{kernel_set_entry, release_mapped};
use super::phys;
use super::pte::{PageTableEntry, PteFlags};
use crate::symbol_addr;
use core::fmt;
use spin::Mutex;

pub const STACK_PAGES: u32 = 4;
pub const STACK_SIZE: u32 = STACK_PAGES * PAGE_SIZE;
const SLOT_SIZE: u32 = STACK_SIZE + PAGE_SIZE;
pub const MAX_STACKS: u32 = (KSTACK_AREA_END - KSTACK_AREA_START) / SLOT_SIZE;

/// Which stack slots are taken (a fixed bitmap: nothing grows with the
/// number of processes there have been).
static SLOTS: Mutex<Bitmap<{ MAX_STACKS.div_ceil(32) as usize }>> = Mutex::new(Bitmap::new(MAX_STACKS as usize));

/// A mapped kernel stack; dropping it unmaps it and frees its frames.
pub struct KernelStack {
    slot: u32,
}

impl KernelStack {
    pub fn new() -> Result<Self, OutOfFrames> {
        let slot = SLOTS.lock().take(1).ok_or(OutOfFrames)? as u32;
        let stack = KernelStack { slot };
        for i in 0..STACK_PAGES {
            // On failure, dropping `stack` unmaps the pages mapped so far.
            let frame = phys::alloc_user(Zone::Any)?;
            let va = VirtAddr::new(stack.bottom() + i * PAGE_SIZE);
            kernel_set_entry(va, PageTableEntry::new(frame, PteFlags::PRESENT | PteFlags::WRITABLE));
        }
        Ok(stack)
    }

    /// The lowest usable address (just above the guard page).
    pub fn bottom(&self) -> u32 {
        KSTACK_AREA_START + self.slot * SLOT_SIZE + PAGE_SIZE
    }

    /// One past the highest address: the initial stack pointer.
    pub fn top(&self) -> u32 {
        self.bottom() + STACK_SIZE
    }
}

impl Drop for KernelStack {
    fn drop(&mut self) {
        for i in 0..STACK_PAGES {
            let old = kernel_set_entry(VirtAddr::new(self.bottom() + i * PAGE_SIZE), PageTableEntry::EMPTY);
            if old.is_present() {
                let _ = release_mapped(old);
            }
        }
        SLOTS.lock().give(self.slot as usize, 1);
    }
}

/// Which stack's guard page `addr` is in, if any.
#[derive(Clone, Copy, Debug)]
pub enum GuardOf {
    BootStack,
    Slot { slot: u32, bottom: u32 },
}

impl fmt::Display for GuardOf {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            GuardOf::BootStack => write!(f, "the boot stack"),
            GuardOf::Slot { slot, bottom } => {
                write!(f, "kernel stack #{slot} ({:#010x}-{:#010x})", bottom, bottom + STACK_SIZE)
            }
        }
    }
}

pub fn guard_page_of(addr: u32) -> Option<GuardOf> {
    let boot_guard = symbol_addr!(boot_stack_guard);
    if (boot_guard..boot_guard + PAGE_SIZE).contains(&addr) {
        return Some(GuardOf::BootStack);
    }
    if !(KSTACK_AREA_START..KSTACK_AREA_END).contains(&addr) {
        return None;
    }
    let off = addr - KSTACK_AREA_START;
    let slot = off / SLOT_SIZE;
    (off % SLOT_SIZE < PAGE_SIZE && slot < MAX_STACKS)
        .then(|| GuardOf::Slot { slot, bottom: KSTACK_AREA_START + slot * SLOT_SIZE + PAGE_SIZE })
}

#[cfg(all(test, target_os = "none"))]
mod kernel_tests {
    use super::*;
    use crate::mm::addr::PhysAddr;
    use crate::mm::paging::{current_cr3, walk_directory};

    #[test_case]
    fn a_stack_is_mapped_and_its_guard_is_not() {
        let s = KernelStack::new().expect("stack");
        let pd = PhysAddr::new(current_cr3()).frame();
        assert!(walk_directory(pd, VirtAddr::new(s.bottom())).phys.is_some());
        assert!(walk_directory(pd, VirtAddr::new(s.top() - 4)).phys.is_some());
        let guard = s.bottom() - PAGE_SIZE;
        assert!(walk_directory(pd, VirtAddr::new(guard)).phys.is_none());
        assert!(matches!(guard_page_of(guard), Some(GuardOf::Slot { .. })));
        // SAFETY: the stack's pages are mapped writable and owned by `s`.
        unsafe { ((s.top() - 4) as *mut u32).write_volatile(0xDEAD_BEEF) };
        // Frames neither free nor held by the heap (whose pages come and go
        // with its own bookkeeping) are the stack's.
        let outside_heap = || crate::mm::phys::stats().free + (crate::mm::heap::usage().1 / 4096) as u32;
        let before = outside_heap();
        drop(s);
        assert_eq!(outside_heap(), before + STACK_PAGES);
    }
}

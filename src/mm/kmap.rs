//! Reaching any physical frame from the kernel.
//!
//! Low memory (below 512 MiB) is always mapped at 0xC0000000 + phys. A frame
//! above that is mapped for a moment into a slot of the temporary-mapping
//! window (`KMAP_START..KMAP_END`), used, and unmapped — Linux's kmap. Slots
//! are taken and given back in stack order; the kernel never sleeps holding
//! one, and interrupt handlers never take one.

use super::addr::{Frame, PAGE_SIZE, VirtAddr};
use super::frame::{OutOfFrames, Zone};
use super::layout::{KMAP_END, KMAP_START, is_low_memory, phys_to_virt};
use super::pte::{PageTableEntry, PteFlags};
use core::sync::atomic::{AtomicU32, Ordering};

const SLOTS: u32 = (KMAP_END - KMAP_START) / PAGE_SIZE;
static DEPTH: AtomicU32 = AtomicU32::new(0);

/// A frame mapped into the kernel for as long as this lives.
pub struct FrameWindow {
    ptr: *mut u8,
    slot: Option<u32>,
}

impl FrameWindow {
    pub fn new(frame: Frame) -> Self {
        let phys = frame.start().as_u32();
        if is_low_memory(phys) {
            return Self { ptr: phys_to_virt(phys) as *mut u8, slot: None };
        }
        let slot = DEPTH.fetch_add(1, Ordering::Relaxed);
        assert!(slot < SLOTS, "temporary-mapping window exhausted");
        let va = VirtAddr::new(KMAP_START + slot * PAGE_SIZE);
        super::paging::kernel_set_entry(va, PageTableEntry::new(frame, PteFlags::PRESENT | PteFlags::WRITABLE));
        Self { ptr: va.as_u32() as *mut u8, slot: Some(slot) }
    }

    pub fn as_ptr(&self) -> *mut u8 {
        self.ptr
    }

    pub fn bytes(&mut self) -> &mut [u8; PAGE_SIZE as usize] {
        // SAFETY: the window maps exactly one frame, writable, for as long as
        // self lives, and `&mut self` makes this the only view through it.
        unsafe { &mut *(self.ptr as *mut [u8; PAGE_SIZE as usize]) }
    }
}

impl Drop for FrameWindow {
    fn drop(&mut self) {
        if let Some(slot) = self.slot {
            let top = DEPTH.fetch_sub(1, Ordering::Relaxed) - 1;
            assert_eq!(slot, top, "temporary mappings released out of order");
            super::paging::kernel_set_entry(VirtAddr::new(KMAP_START + slot * PAGE_SIZE), PageTableEntry::EMPTY);
        }
    }
}

/// `phys::alloc` from `zone`, zero-filled (through the window if the frame
/// is high).
pub fn alloc_zeroed(zone: Zone) -> Result<Frame, OutOfFrames> {
    let f = super::phys::alloc(zone)?;
    zero_frame(f);
    Ok(f)
}

/// `phys::alloc_user` from any zone, zero-filled (through the window if the
/// frame is high).
pub fn alloc_user_zeroed() -> Result<Frame, OutOfFrames> {
    let f = super::phys::alloc_user(Zone::Any)?;
    zero_frame(f);
    Ok(f)
}

pub fn zero_frame(f: Frame) {
    // The kernel's memset (arch::x86::memfns): 128 bytes per loop turn.
    FrameWindow::new(f).bytes().fill(0);
}

pub fn copy_frame(from: Frame, to: Frame) {
    let mut src = FrameWindow::new(from);
    let mut dst = FrameWindow::new(to);
    dst.bytes().copy_from_slice(src.bytes());
}

#[cfg(test)]
mod kernel_tests {
    use super::*;
    use crate::mm::frame::Refs;

    /// The library's test kernel runs with 3 GiB (src/lib.rs): the top
    /// usable frame lies far above the 512 MiB direct map, and only the
    /// temporary window reaches it. Two windows on one frame alias it.
    #[test_case]
    fn the_window_reaches_a_frame_near_3_gib() {
        let top = crate::bootinfo::get()
            .regions()
            .iter()
            .filter(|r| r.kind == crate::bootinfo::MemKind::Usable)
            .map(|r| r.end)
            .max()
            .expect("usable memory");
        let frame = Frame::from_number((top / u64::from(PAGE_SIZE) - 1) as u32);
        assert!(frame.start().as_u32() >= 0xB000_0000, "run with --mem 3G: top frame {frame:?}");
        assert_eq!(super::super::phys::refs(frame), Refs::Counted(0), "the test borrows a free frame");
        let mut a = FrameWindow::new(frame);
        let mut b = FrameWindow::new(frame);
        assert_ne!(a.as_ptr(), b.as_ptr(), "two slots");
        a.bytes()[..4].copy_from_slice(&0x3C1A_BEEFu32.to_le_bytes());
        assert_eq!(b.bytes()[..4], 0x3C1A_BEEFu32.to_le_bytes());
        b.bytes().fill(0);
        drop(b);
        assert!(a.bytes().iter().all(|&x| x == 0));
    }
}

//! The kernel's side of the virtio-drivers crate (its `Hal` trait): DMA
//! memory is low-memory frames, reached through the direct map, so a
//! buffer's physical address is its virtual address less KERNEL_BASE; device
//! registers are mapped by `mm::mmio`.
//!
//! Invariant: every buffer the block driver hands the crate (request
//! header, data, status) lies in a frame `dma_alloc` gave out, one page at
//! most, so `share` never needs a bounce buffer. The crate is built
//! without `alloc`, so it makes no indirect descriptor lists of its own.

use crate::mm::addr::{Frame, PAGE_SIZE, PhysAddr as KPhysAddr};
use crate::mm::frame::Zone;
use crate::mm::layout::{DIRECT_MAP_END, KERNEL_BASE, phys_to_virt, virt_to_phys};
use core::ptr::NonNull;
use virtio_drivers::{BufferDirection, Hal, PhysAddr};

pub struct KernelHal;

// SAFETY: dma_alloc hands out zeroed, page-aligned frames of low memory
// that nothing else uses until dma_dealloc gives them back; share returns
// the physical address of memory the direct map reaches one to one; mmio
// mappings are the device's own registers, uncached.
unsafe impl Hal for KernelHal {
    /// One zeroed low-memory frame; more than one page cannot be promised
    /// contiguous by the frame allocator, so that is an error (paddr 0),
    /// which the crate reports as DmaError. With 16-entry queues the crate
    /// asks for single pages only.
    fn dma_alloc(pages: usize, _direction: BufferDirection) -> (PhysAddr, NonNull<u8>) {
        if pages != 1 {
            return (0, NonNull::dangling());
        }
        let Ok(frame) = crate::mm::phys::alloc_low_zeroed() else { return (0, NonNull::dangling()) };
        let phys = frame.start().as_u32();
        let virt = NonNull::new(phys_to_virt(phys) as *mut u8).expect("direct map is not null");
        (u64::from(phys), virt)
    }

    unsafe fn dma_dealloc(paddr: PhysAddr, _vaddr: NonNull<u8>, pages: usize) -> i32 {
        for i in 0..pages as u64 {
            let frame = Frame::containing(KPhysAddr::new((paddr + i * u64::from(PAGE_SIZE)) as u32));
            let _ = crate::mm::phys::release(frame);
        }
        0
    }

    unsafe fn mmio_phys_to_virt(paddr: PhysAddr, size: usize) -> NonNull<u8> {
        // The block driver checked every memory BAR of the device with
        // `mm::mmio::map` before the crate saw it, so this is a lookup of
        // a mapping that exists.
        let va = crate::mm::mmio::map(paddr, size as u32).expect("BAR mapped at probe");
        NonNull::new(va as *mut u8).expect("MMIO window is not null")
    }

    unsafe fn share(buffer: NonNull<[u8]>, _direction: BufferDirection) -> PhysAddr {
        let va = buffer.as_ptr() as *mut u8 as u32;
        let end = va as u64 + buffer.len() as u64;
        assert!(va >= KERNEL_BASE && end <= u64::from(DIRECT_MAP_END), "DMA buffer outside the direct map");
        u64::from(virt_to_phys(va))
    }

    unsafe fn unshare(_paddr: PhysAddr, _buffer: NonNull<[u8]>, _direction: BufferDirection) {}
}

/// A frame for the driver's own buffers, with its kernel address.
pub fn buffer_frame() -> Option<(Frame, *mut u8)> {
    let frame = crate::mm::phys::alloc(Zone::Low).ok()?;
    Some((frame, phys_to_virt(frame.start().as_u32()) as *mut u8))
}

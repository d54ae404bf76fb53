//! The global allocator: power-of-two size classes carved from anonymous
//! `mmap2` chunks, and whole mappings for large blocks.
//!
//! It uses mmap2 rather than brk so that programs which move the break
//! themselves (the brk tests, the `pastbrk` demo) cannot collide with it.
//! On a kernel without mmap2 (ENOSYS: a kernel being brought up) it falls
//! back to growing the break, and then never gives large blocks back.
//!
//! ```text
//!   size <= 2048, align <= 2048:  class 16, 32, .., 2048; freed blocks go on a
//!                                 per-class free list and are reused
//!   larger:                       own mapping, rounded to pages; munmap on free
//! ```
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::{self, NonNull};
use core::sync::atomic::{AtomicBool, Ordering};

use spin::Mutex;

use crate::errno::Errno;
use crate::mem::{PAGE_SIZE, Prot, Sharing, current_brk, mmap_anon, munmap, page_round_up, set_brk};

const MIN_SHIFT: u32 = 4;
const MAX_SHIFT: u32 = 11;
const CLASSES: usize = (MAX_SHIFT - MIN_SHIFT + 1) as usize;
/// Small blocks are carved from chunks of this size.
const CHUNK: usize = 64 * 1024;

/// A freed small block; the link lives in the block itself.
struct FreeBlock {
    next: Option<NonNull<FreeBlock>>,
}

struct Pools {
    free: [Option<NonNull<FreeBlock>>; CLASSES],
    /// The unused tail of the current chunk.
    bump: usize,
    bump_end: usize,
}

// SAFETY: the pointers refer to this process's own mappings; there is one
// thread, and the mutex serialises access anyway.
unsafe impl Send for Pools {}

pub struct Heap {
    pools: Mutex<Pools>,
}

#[global_allocator]
static HEAP: Heap = Heap { pools: Mutex::new(Pools { free: [None; CLASSES], bump: 0, bump_end: 0 }) };

/// Set once mmap2 has answered ENOSYS: memory comes from brk from then on.
static USE_BRK: AtomicBool = AtomicBool::new(false);

/// `len` (a multiple of the page size) fresh bytes, page aligned.
fn fresh(len: usize) -> *mut u8 {
    if !USE_BRK.load(Ordering::Relaxed) {
        match mmap_anon(len, Prot::READ | Prot::WRITE, Sharing::Private) {
            Ok(p) => return p,
            Err(Errno::ENOSYS) => USE_BRK.store(true, Ordering::Relaxed),
            Err(_) => return ptr::null_mut(),
        }
    }
    let start = page_round_up(current_brk());
    // SAFETY: growing the break gives up no memory.
    match unsafe { set_brk(start + len) } {
        Ok(_) => start as *mut u8,
        Err(_) => ptr::null_mut(),
    }
}

/// The class index for a layout, or None if it needs its own mapping.
fn class_of(layout: Layout) -> Option<usize> {
    let size = layout.size().max(layout.align()).max(1 << MIN_SHIFT);
    let shift = size.next_power_of_two().trailing_zeros();
    (shift <= MAX_SHIFT).then(|| (shift - MIN_SHIFT) as usize)
}

impl Pools {
    /// A block of `1 << (class + MIN_SHIFT)` bytes aligned to its size.
    fn take(&mut self, class: usize) -> *mut u8 {
        if let Some(block) = self.free[class] {
            // SAFETY: blocks on the free list are ours, unused and hold a link.
            self.free[class] = unsafe { block.as_ref().next };
            return block.as_ptr() as *mut u8;
        }
        let size = 1usize << (class as u32 + MIN_SHIFT);
        let start = (self.bump + size - 1) & !(size - 1);
        if start + size > self.bump_end {
            let chunk = fresh(CHUNK);
            if chunk.is_null() {
                return ptr::null_mut();
            }
            // The old tail is abandoned: at most one block's worth per chunk.
            self.bump = chunk as usize + size;
            self.bump_end = chunk as usize + CHUNK;
            return chunk;
        }
        self.bump = start + size;
        start as *mut u8
    }

    fn give(&mut self, class: usize, p: *mut u8) {
        let block = p as *mut FreeBlock;
        // SAFETY: `p` is a block of this class that the caller no longer
        // uses; it is at least 16 bytes and aligned, so it can hold the link.
        unsafe { block.write(FreeBlock { next: self.free[class] }) };
        self.free[class] = NonNull::new(block);
    }
}

// SAFETY: blocks never overlap: each comes from the free list (returned by
// its only owner) or from fresh bump/mmap memory; alignment is guaranteed by
// size classes aligned to their size and by page-aligned mappings.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match class_of(layout) {
            Some(class) => self.pools.lock().take(class),
            None if layout.align() <= PAGE_SIZE => fresh(page_round_up(layout.size())),
            None => ptr::null_mut(),
        }
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        match class_of(layout) {
            Some(class) => self.pools.lock().give(class, p),
            // Memory from brk stays: only the top of the heap could be given back.
            None if USE_BRK.load(Ordering::Relaxed) => {}
            // SAFETY: a large block is a whole mapping of this length that the
            // caller gives back.
            None => unsafe {
                let _ = munmap(p as usize, page_round_up(layout.size()));
            },
        }
    }
}

//! The kernel heap for `alloc`: a `linked_list_allocator` over the virtual
//! range `HEAP_START..HEAP_END`, grown a few pages at a time by mapping
//! fresh frames when an allocation does not fit.

use super::addr::PAGE_SIZE;
use super::layout::{HEAP_END, HEAP_START};
use core::alloc::{GlobalAlloc, Layout};
use core::ptr::NonNull;
use linked_list_allocator::Heap;
use spin::Mutex;

/// Maps `pages` more pages at `at` (kernel, writable); false if out of frames.
pub type GrowFn = fn(at: u32, pages: u32) -> bool;

pub struct KernelHeap {
    inner: Mutex<HeapState>,
}

struct HeapState {
    heap: Heap,
    /// End of the mapped part of the heap.
    mapped_end: u32,
    grow: Option<GrowFn>,
}

#[global_allocator]
static HEAP: KernelHeap =
    KernelHeap { inner: Mutex::new(HeapState { heap: Heap::empty(), mapped_end: HEAP_START, grow: None }) };

/// The smallest growth step, to keep the page-mapping calls rare.
const GROW_STEP: u32 = 16 * PAGE_SIZE;

/// Starts the heap with `initial` bytes mapped by `grow`. Called by paging init.
pub fn init(grow: GrowFn, initial: u32) {
    let mut s = HEAP.inner.lock();
    s.grow = Some(grow);
    let pages = initial.div_ceil(PAGE_SIZE);
    assert!(grow(HEAP_START, pages), "no memory for the initial kernel heap");
    s.mapped_end = HEAP_START + pages * PAGE_SIZE;
    // SAFETY: [HEAP_START, mapped_end) was just mapped writable for the
    // kernel and nothing else uses that range.
    unsafe { s.heap.init(HEAP_START as *mut u8, (pages * PAGE_SIZE) as usize) };
}

/// Bytes allocated and bytes mapped.
pub fn usage() -> (usize, usize) {
    let s = HEAP.inner.lock();
    (s.heap.used(), s.heap.size())
}

impl HeapState {
    fn try_grow(&mut self, need: usize) -> bool {
        let Some(grow) = self.grow else { return false };
        let want = (need as u32).saturating_add(PAGE_SIZE).max(GROW_STEP);
        let pages = want.div_ceil(PAGE_SIZE);
        let Some(end) = self.mapped_end.checked_add(pages * PAGE_SIZE) else { return false };
        if end > HEAP_END || !grow(self.mapped_end, pages) {
            return false;
        }
        self.mapped_end = end;
        // SAFETY: the pages right after the heap's end were just mapped.
        unsafe { self.heap.extend((pages * PAGE_SIZE) as usize) };
        true
    }
}

// SAFETY: allocation is serialised by the mutex, and the allocator hands out
// disjoint blocks of mapped memory that satisfy the layout.
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let mut s = self.inner.lock();
        loop {
            if let Ok(p) = s.heap.allocate_first_fit(layout) {
                return p.as_ptr();
            }
            if !s.try_grow(layout.size() + layout.align()) {
                return core::ptr::null_mut();
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(p) = NonNull::new(ptr) else { return };
        // SAFETY: GlobalAlloc's contract: ptr came from alloc with this layout.
        unsafe { self.inner.lock().heap.deallocate(p, layout) };
    }
}

#[cfg(all(test, target_os = "none"))]
mod kernel_tests {
    use alloc::vec::Vec;

    #[test_case]
    fn the_heap_grows_past_its_first_mapping() {
        let (_, size_before) = super::usage();
        let big: Vec<u8> = alloc::vec![7u8; 1 << 20];
        assert!(big.iter().all(|&b| b == 7));
        assert!(super::usage().1 > size_before, "the heap mapped more pages");
    }
}

//! The kernel heap for `alloc`: the slab allocator of `slab` over the
//! virtual range `HEAP_START..HEAP_END`. Pages are mapped with fresh frames
//! when a slab or a large object needs them and unmapped, their frames
//! freed, as soon as they are empty again, so the heap shrinks back after a
//! burst (a thousand processes, a 2 MiB execve argument copy).

use super::heaptrace::{self, DEPTH, Record, Table};
use super::layout::{HEAP_END, HEAP_START};
use super::slab::{PAGE, PageSource, SlabHeap};
use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::Ordering;
use spin::Mutex;

/// Maps (`true`) or unmaps (`false`) `pages` pages at `at` for the heap;
/// mapping fails (false) when frames run out, leaving nothing mapped.
pub type PagesFn = fn(at: u32, pages: u32, map: bool) -> bool;

const HEAP_PAGES: usize = ((HEAP_END - HEAP_START) as usize) / PAGE;
const BITMAP_WORDS: usize = HEAP_PAGES.div_ceil(32);

pub struct KernelHeap {
    inner: Mutex<HeapState>,
}

struct HeapState {
    slabs: SlabHeap<BITMAP_WORDS>,
    pages: Option<PagesFn>,
}

/// The heap's pages, as the slab allocator asks for them.
struct Mapper(Option<PagesFn>);

impl PageSource for Mapper {
    fn map(&mut self, addr: usize, count: usize) -> bool {
        self.0.is_some_and(|f| f(addr as u32, count as u32, true))
    }
    fn unmap(&mut self, addr: usize, count: usize) {
        if let Some(f) = self.0 {
            f(addr as u32, count as u32, false);
        }
    }
}

#[global_allocator]
static HEAP: KernelHeap =
    KernelHeap { inner: Mutex::new(HeapState { slabs: SlabHeap::new(HEAP_START as usize, HEAP_PAGES), pages: None }) };

/// Lets the heap map pages. Called by mm init, before the first allocation.
pub fn init(pages: PagesFn) {
    HEAP.inner.lock().pages = Some(pages);
}

/// Live objects per size class (`slab::CLASSES`).
pub fn live_objects() -> [u32; super::slab::CLASSES.len()] {
    HEAP.inner.lock().slabs.live
}

/// Bytes allocated and bytes mapped.
pub fn usage() -> (usize, usize) {
    let s = HEAP.inner.lock();
    (s.slabs.in_use, s.slabs.mapped_pages * PAGE)
}

/// The allocation records while `heaptrace` is on (`heaptrace::Table`).
static TRACE: Mutex<Option<Table<'static>>> = Mutex::new(None);

/// Records kept while tracing (a power of two): 640 KiB of heap.
const TRACE_SLOTS: usize = 16384;

/// Starts recording every allocation (the `heaptrace` boot flag).
pub fn start_trace() {
    if heaptrace::on() {
        return;
    }
    let slots = alloc::vec![Record::default(); TRACE_SLOTS].leak();
    *TRACE.lock() = Some(Table::new(slots));
    heaptrace::ON.store(true, Ordering::Release);
}

/// Calls `f` with the records, if tracing is on.
pub fn with_trace<R>(f: impl FnOnce(&Table<'static>) -> R) -> Option<R> {
    TRACE.lock().as_ref().map(f)
}

/// The return addresses of the allocation's callers: the saved-EBP chain,
/// followed only while it stays inside the current kernel stack (below the
/// TSS's esp0, above this frame, rising), since the outermost link may be a
/// user program's EBP.
fn callers() -> [u32; DEPTH] {
    let mut out = [0; DEPTH];
    let top = crate::arch::x86::tss::kernel_stack();
    let mut ebp = crate::arch::x86::instructions::frame_pointer();
    let mut low = ebp;
    for slot in out.iter_mut() {
        if !ebp.is_multiple_of(4) || ebp < low || ebp.checked_add(8).is_none_or(|end| end > top) {
            break;
        }
        let frame = ebp as *const u32;
        // SAFETY: [ebp, ebp + 8) lies on the current kernel stack, between a
        // live frame and the stack's top (checked just above), so it is mapped.
        let (next, ret) = unsafe { (frame.read(), frame.add(1).read()) };
        *slot = ret;
        low = ebp + 8;
        ebp = next;
    }
    out
}

// SAFETY: allocation is serialised by the mutex, and the slab allocator
// hands out disjoint blocks of mapped memory that satisfy the layout.
unsafe impl GlobalAlloc for KernelHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = {
            let mut s = self.inner.lock();
            let mut src = Mapper(s.pages);
            s.slabs.alloc(layout, &mut src)
        };
        if heaptrace::on() && !ptr.is_null() {
            let stack = callers();
            if let Some(t) = TRACE.lock().as_mut() {
                t.insert(ptr as u32, layout.size() as u32, stack);
            }
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ptr.is_null() {
            return;
        }
        if heaptrace::on()
            && let Some(t) = TRACE.lock().as_mut()
        {
            t.remove(ptr as u32);
        }
        let mut s = self.inner.lock();
        let mut src = Mapper(s.pages);
        // SAFETY: GlobalAlloc's contract: ptr came from alloc with this layout.
        unsafe { s.slabs.dealloc(ptr, layout, &mut src) };
    }
}

#[cfg(all(test, target_os = "none"))]
mod kernel_tests {
    use alloc::vec::Vec;

    #[test_case]
    fn the_heap_grows_and_gives_its_pages_back() {
        let (_, size_before) = super::usage();
        let frames_before = crate::mm::phys::stats().free;
        let big: Vec<u8> = alloc::vec![7u8; 1 << 20];
        assert!(big.iter().all(|&b| b == 7));
        assert!(super::usage().1 >= size_before + (1 << 20), "the heap mapped more pages");
        drop(big);
        assert_eq!(super::usage().1, size_before, "and unmapped them");
        assert_eq!(crate::mm::phys::stats().free, frames_before, "their frames are free again");
    }
}

//! The kernel heap's allocator, whose memory goes back: small objects in
//! size-class slabs of one page each, larger ones in runs of whole pages,
//! and a page whose last object is freed is handed back at once. Written by
//! hand because the allocators on crates.io for a `no_std` heap either never
//! return memory (`linked_list_allocator`, `buddy_system_allocator`, `talc`
//! over one arena) or are unmaintained (`slabmalloc`).
//!
//! ```text
//!  one slab page (class 64):
//!  +--------+--------+-- ... --+--------+--------------+
//!  | obj 0  | obj 1  |         | obj 62 |  SlabHeader  |  header in the last 16 bytes
//!  +--------+--------+-- ... --+--------+--------------+
//!  free objects are linked through their first word; slabs with free
//!  objects are linked through their headers, one list per class.
//! ```
//!
//! Pure apart from the memory it is handed: `PageSource` maps and unmaps
//! pages (the kernel maps frames into the heap area; the host tests use
//! host memory), and a `Bitmap` hands out the virtual pages.

use super::bitmap::Bitmap;
use core::alloc::Layout;
use core::ptr;

pub const PAGE: usize = 4096;
/// The object sizes slabs serve; anything larger is a run of pages.
pub const CLASSES: [usize; 7] = [16, 32, 64, 128, 256, 512, 1024];
const HEADER: usize = core::mem::size_of::<SlabHeader>();

/// Maps and unmaps whole pages of the heap's address range.
pub trait PageSource {
    /// Makes the `count` pages at `addr` usable; false if out of memory
    /// (then none of them is).
    fn map(&mut self, addr: usize, count: usize) -> bool;
    /// Gives the `count` pages at `addr` back.
    fn unmap(&mut self, addr: usize, count: usize);
}

/// The last bytes of a slab page.
#[repr(C)]
struct SlabHeader {
    /// First free object, or null.
    free: *mut u8,
    /// Neighbours in the class's list of slabs with free objects.
    prev: *mut SlabHeader,
    next: *mut SlabHeader,
    /// Objects in use.
    used: u16,
    class: u16,
}

fn class_of(layout: Layout) -> Option<usize> {
    let need = layout.size().max(layout.align());
    CLASSES.iter().position(|&c| c >= need)
}

fn objects_per_slab(class: usize) -> usize {
    (PAGE - HEADER) / CLASSES[class]
}

fn header_of(obj: *mut u8) -> *mut SlabHeader {
    ((obj as usize & !(PAGE - 1)) + PAGE - HEADER) as *mut SlabHeader
}

/// Slabs and page runs over one address range. Not thread-safe: the kernel
/// wraps it in a lock.
pub struct SlabHeap<const WORDS: usize> {
    base: usize,
    runs: Bitmap<WORDS>,
    /// Per class, the slabs with at least one free object.
    partial: [*mut SlabHeader; CLASSES.len()],
    /// Pages mapped, and bytes handed out (rounded to class or page).
    pub mapped_pages: usize,
    pub in_use: usize,
    /// Live objects per class.
    pub live: [u32; CLASSES.len()],
}

// SAFETY: the raw pointers point into the heap's own pages; the owner
// serialises every use (the kernel's heap lock).
unsafe impl<const WORDS: usize> Send for SlabHeap<WORDS> {}

impl<const WORDS: usize> SlabHeap<WORDS> {
    pub const fn new(base: usize, pages: usize) -> Self {
        Self {
            base,
            runs: Bitmap::new(pages),
            partial: [ptr::null_mut(); CLASSES.len()],
            mapped_pages: 0,
            in_use: 0,
            live: [0; CLASSES.len()],
        }
    }

    /// Memory for `layout`, or null if none can be had.
    pub fn alloc(&mut self, layout: Layout, src: &mut impl PageSource) -> *mut u8 {
        match class_of(layout) {
            Some(class) => self.alloc_small(class, src),
            None if layout.align() <= PAGE => self.alloc_pages(layout.size().div_ceil(PAGE), src),
            None => ptr::null_mut(),
        }
    }

    /// # Safety
    /// `obj` came from `alloc` with this `layout` and was not freed since.
    pub unsafe fn dealloc(&mut self, obj: *mut u8, layout: Layout, src: &mut impl PageSource) {
        match class_of(layout) {
            // SAFETY: forwarded to the caller.
            Some(_) => unsafe { self.dealloc_small(obj, src) },
            None => {
                let n = layout.size().div_ceil(PAGE);
                src.unmap(obj as usize, n);
                self.give(obj as usize, n);
                self.mapped_pages -= n;
                self.in_use -= n * PAGE;
            }
        }
    }

    /// `n` free consecutive pages of the range, now taken.
    fn take(&mut self, n: usize) -> Option<usize> {
        self.runs.take(n).map(|i| self.base + i * PAGE)
    }

    fn give(&mut self, addr: usize, n: usize) {
        self.runs.give((addr - self.base) / PAGE, n);
    }

    fn alloc_pages(&mut self, n: usize, src: &mut impl PageSource) -> *mut u8 {
        let Some(addr) = self.take(n) else { return ptr::null_mut() };
        if !src.map(addr, n) {
            self.give(addr, n);
            return ptr::null_mut();
        }
        self.mapped_pages += n;
        self.in_use += n * PAGE;
        addr as *mut u8
    }

    fn alloc_small(&mut self, class: usize, src: &mut impl PageSource) -> *mut u8 {
        if self.partial[class].is_null() && !self.new_slab(class, src) {
            return ptr::null_mut();
        }
        let h = self.partial[class];
        // SAFETY: slabs on the partial list are mapped pages of this heap
        // with a valid header and at least one free object; free objects
        // hold the address of the next free one.
        unsafe {
            let obj = (*h).free;
            (*h).free = *(obj as *mut *mut u8);
            (*h).used += 1;
            if (*h).free.is_null() {
                self.unlink(class, h);
            }
            self.in_use += CLASSES[class];
            self.live[class] += 1;
            obj
        }
    }

    /// Maps a page, threads its objects into a free list, and puts it on
    /// the class's partial list.
    fn new_slab(&mut self, class: usize, src: &mut impl PageSource) -> bool {
        let Some(page) = self.take(1) else { return false };
        if !src.map(page, 1) {
            self.give(page, 1);
            return false;
        }
        self.mapped_pages += 1;
        let size = CLASSES[class];
        let n = objects_per_slab(class);
        let h = (page + PAGE - HEADER) as *mut SlabHeader;
        // SAFETY: the page was just mapped and is ours alone; the objects
        // and the header do not overlap (n * size <= PAGE - HEADER).
        unsafe {
            for i in 0..n {
                let obj = (page + i * size) as *mut *mut u8;
                let next = if i + 1 < n { (page + (i + 1) * size) as *mut u8 } else { ptr::null_mut() };
                obj.write(next);
            }
            h.write(SlabHeader {
                free: page as *mut u8,
                prev: ptr::null_mut(),
                next: ptr::null_mut(),
                used: 0,
                class: class as u16,
            });
        }
        self.push(class, h);
        true
    }

    /// # Safety
    /// `obj` is a live object of one of this heap's slabs.
    unsafe fn dealloc_small(&mut self, obj: *mut u8, src: &mut impl PageSource) {
        let h = header_of(obj);
        // SAFETY: the caller's promise: the page is a mapped slab of ours.
        unsafe {
            let class = (*h).class as usize;
            let was_full = (*h).free.is_null();
            *(obj as *mut *mut u8) = (*h).free;
            (*h).free = obj;
            (*h).used -= 1;
            self.in_use -= CLASSES[class];
            self.live[class] -= 1;
            if was_full {
                self.push(class, h);
            }
            if (*h).used == 0 {
                // The last object left: the page goes back.
                self.unlink(class, h);
                let page = obj as usize & !(PAGE - 1);
                src.unmap(page, 1);
                self.give(page, 1);
                self.mapped_pages -= 1;
            }
        }
    }

    fn push(&mut self, class: usize, h: *mut SlabHeader) {
        let head = self.partial[class];
        // SAFETY: `h` and the list's slabs are mapped slab headers.
        unsafe {
            (*h).prev = ptr::null_mut();
            (*h).next = head;
            if !head.is_null() {
                (*head).prev = h;
            }
        }
        self.partial[class] = h;
    }

    fn unlink(&mut self, class: usize, h: *mut SlabHeader) {
        // SAFETY: `h` is on the class's list, whose slabs are mapped.
        unsafe {
            let (prev, next) = ((*h).prev, (*h).next);
            if prev.is_null() {
                self.partial[class] = next;
            } else {
                (*prev).next = next;
            }
            if !next.is_null() {
                (*next).prev = prev;
            }
            (*h).prev = ptr::null_mut();
            (*h).next = ptr::null_mut();
        }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use std::alloc::{alloc_zeroed, dealloc};
    use std::collections::BTreeMap;

    /// A heap range backed by real host memory: one 4 KiB-aligned block for
    /// the whole range, with a record of which pages are "mapped".
    struct HostPages {
        base: usize,
        mapped: BTreeMap<usize, ()>,
        fail_after: Option<usize>,
    }

    const PAGES: usize = 256;

    impl HostPages {
        fn new() -> Self {
            // SAFETY: a non-zero size and a power-of-two alignment.
            let base = unsafe { alloc_zeroed(Layout::from_size_align(PAGES * PAGE, PAGE).unwrap()) } as usize;
            Self { base, mapped: BTreeMap::new(), fail_after: None }
        }
    }

    impl Drop for HostPages {
        fn drop(&mut self) {
            // SAFETY: allocated in `new` with this layout.
            unsafe { dealloc(self.base as *mut u8, Layout::from_size_align(PAGES * PAGE, PAGE).unwrap()) };
        }
    }

    impl PageSource for HostPages {
        fn map(&mut self, addr: usize, count: usize) -> bool {
            if let Some(n) = self.fail_after.as_mut() {
                if *n < count {
                    return false;
                }
                *n -= count;
            }
            for p in 0..count {
                assert!(self.mapped.insert(addr + p * PAGE, ()).is_none(), "page mapped twice");
            }
            true
        }
        fn unmap(&mut self, addr: usize, count: usize) {
            for p in 0..count {
                assert!(self.mapped.remove(&(addr + p * PAGE)).is_some(), "unmapping a page not mapped");
            }
        }
    }

    fn heap(src: &HostPages) -> SlabHeap<8> {
        SlabHeap::new(src.base, PAGES)
    }

    #[test]
    fn small_objects_share_a_page_and_the_page_goes_back_with_the_last() {
        let mut src = HostPages::new();
        let mut h = heap(&src);
        let l = Layout::from_size_align(24, 8).unwrap();
        let a: Vec<*mut u8> = (0..100).map(|_| h.alloc(l, &mut src)).collect();
        assert!(a.iter().all(|p| !p.is_null() && (*p as usize).is_multiple_of(8)));
        let mut sorted = a.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), 100, "distinct objects");
        // 32-byte class: 127 objects a page, so one page.
        assert_eq!((h.mapped_pages, src.mapped.len()), (1, 1));
        for &p in &a {
            // SAFETY: each came from alloc with `l`.
            unsafe { h.dealloc(p, l, &mut src) };
        }
        assert_eq!((h.mapped_pages, h.in_use, src.mapped.len()), (0, 0, 0), "everything went back");
    }

    #[test]
    fn objects_do_not_overlap_and_keep_their_contents() {
        let mut src = HostPages::new();
        let mut h = heap(&src);
        let mut live = Vec::new();
        for i in 0..600usize {
            let size = [1, 16, 17, 100, 500, 1000, 1024, 1025, 5000, 9000][i % 10];
            let l = Layout::from_size_align(size, 8).unwrap();
            let p = h.alloc(l, &mut src);
            assert!(!p.is_null());
            // SAFETY: `p` has `size` bytes of our own.
            unsafe { core::ptr::write_bytes(p, (i % 251) as u8, size) };
            live.push((p, l, (i % 251) as u8));
            if i % 3 == 0 {
                let (p, l, _) = live.remove(i % live.len());
                // SAFETY: allocated above with `l`, freed once.
                unsafe { h.dealloc(p, l, &mut src) };
            }
        }
        for &(p, l, v) in &live {
            // SAFETY: still allocated.
            let bytes = unsafe { core::slice::from_raw_parts(p, l.size()) };
            assert!(bytes.iter().all(|&b| b == v), "an object was overwritten");
        }
        for (p, l, _) in live {
            // SAFETY: allocated above, freed once.
            unsafe { h.dealloc(p, l, &mut src) };
        }
        assert_eq!((h.mapped_pages, h.in_use, src.mapped.len()), (0, 0, 0));
    }

    #[test]
    fn alignment_is_honoured() {
        let mut src = HostPages::new();
        let mut h = heap(&src);
        for align in [1, 2, 8, 64, 256, 1024, 4096] {
            let l = Layout::from_size_align(8, align).unwrap();
            let p = h.alloc(l, &mut src);
            assert!((p as usize).is_multiple_of(align), "align {align}");
        }
        assert!(h.alloc(Layout::from_size_align(8, 8192).unwrap(), &mut src).is_null(), "over a page: refused");
    }

    #[test]
    fn running_out_gives_null_and_leaves_nothing_behind() {
        let mut src = HostPages::new();
        let mut h = heap(&src);
        src.fail_after = Some(2);
        let big = Layout::from_size_align(3 * PAGE, 8).unwrap();
        assert!(h.alloc(big, &mut src).is_null(), "three pages when two can be mapped");
        assert_eq!((h.mapped_pages, src.mapped.len()), (0, 0));
        let small = Layout::from_size_align(64, 8).unwrap();
        assert!(!h.alloc(small, &mut src).is_null());
        // The address range itself runs out too.
        src.fail_after = None;
        let all = Layout::from_size_align(PAGES * PAGE, 8).unwrap();
        assert!(h.alloc(all, &mut src).is_null(), "one page is taken, so not all fit");
    }
}

//! The pages that hold tmpfs file data: page frames on the kernel target
//! (mapped into processes as they are: `fs::mapped`), boxed arrays on the
//! host, where the tree is unit-tested. Either way a page reads as zero
//! until written, and gives its memory back when dropped (a frame a
//! process still maps lives on by the mapping's reference).
//!
//! On the kernel target a page no process maps may leave RAM for a swap
//! slot under memory pressure (Linux's shmem swap, `fs::shmem` runs the
//! clock): `read` then reads the slot, and `write`, `zero_from` and a
//! mapping (`resident`) bring it back into a frame first.

/// Bytes in a page.
pub const PAGE: usize = 4096;

/// What `Page::swap_out` did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SwapOut {
    /// The frame went to a slot and was freed.
    Freed,
    /// Used since the clock last looked (it looks again next turn), mapped
    /// by a process, or already on swap.
    Kept,
    /// No free slot, or the disk failed: the clock should stop.
    Stuck,
}

#[cfg(target_os = "none")]
mod imp {
    use super::{PAGE, SwapOut};
    use crate::mm::addr::Frame;
    use crate::mm::frame::{Refs, Zone};
    use crate::mm::kmap::{FrameWindow, alloc_user_zeroed};
    use crate::mm::phys;
    use crate::mm::swap::area;
    use core::sync::atomic::{AtomicBool, Ordering};

    /// Where a page's bytes are.
    enum Place {
        Frame(Frame),
        /// On swap: the page holds the slot's one reference.
        Slot(u32),
    }

    /// One page of file data, released when dropped.
    pub struct Page {
        at: Place,
        /// Read or written since the swap clock last looked (the Accessed
        /// bit of a page no page table maps). Atomic: `read` takes `&self`.
        used: AtomicBool,
    }

    impl Page {
        /// A zeroed page, or `None` when memory is out (ENOSPC for a write).
        pub fn new() -> Option<Page> {
            alloc_user_zeroed().ok().map(|f| Page { at: Place::Frame(f), used: AtomicBool::new(true) })
        }

        /// A page whose every byte the caller is about to write (`write_with`
        /// over all of it): not zeroed first.
        pub fn new_unzeroed() -> Option<Page> {
            phys::alloc_user(Zone::Any).ok().map(|f| Page { at: Place::Frame(f), used: AtomicBool::new(true) })
        }

        /// `f` on bytes `[at, at + n)`, where they are: a page on swap is
        /// read from its slot, where it stays (a disk error reads as zeros).
        pub fn read_with(&self, at: usize, n: usize, f: impl FnOnce(&[u8])) {
            self.used.store(true, Ordering::Relaxed);
            match self.at {
                Place::Frame(frame) => f(&FrameWindow::new(frame).bytes()[at..at + n]),
                Place::Slot(slot) => {
                    let mut f = Some(f);
                    let read = area::read_page(slot, |b| {
                        if let Some(f) = f.take() {
                            f(&b[at..at + n]);
                        }
                    });
                    if let (false, Some(f)) = (read, f) {
                        f(&[0; PAGE][..n]);
                    }
                }
            }
        }

        /// `f` fills bytes `[at, at + n)` in place (as `write`).
        pub fn write_with(&mut self, at: usize, n: usize, f: impl FnOnce(&mut [u8])) {
            self.change(|b| f(&mut b[at..at + n]));
        }

        /// Zeroes `[at, PAGE)` (a truncation inside the page).
        pub fn zero_from(&mut self, at: usize) {
            self.change(|b| b[at..PAGE].fill(0));
        }

        /// Changes the bytes: in the frame, brought back from swap if it
        /// can be; with no frame to be had, in the slot itself.
        fn change(&mut self, f: impl FnOnce(&mut [u8; PAGE])) {
            self.used.store(true, Ordering::Relaxed);
            match self.resident() {
                Some(frame) => f(FrameWindow::new(frame).bytes()),
                None => {
                    if let Place::Slot(slot) = self.at
                        && let Some(moved) = area::modify_page(slot, f)
                    {
                        area::put(slot);
                        self.at = Place::Slot(moved);
                    }
                }
            }
        }

        /// The frame, for a mapping (which takes its own reference), read
        /// back from swap first if the page is there. `None` if no frame
        /// is free or the disk failed.
        pub fn resident(&mut self) -> Option<Frame> {
            let slot = match self.at {
                Place::Frame(f) => return Some(f),
                Place::Slot(slot) => slot,
            };
            let f = phys::alloc_user(Zone::Any).ok()?;
            if !area::read_page(slot, |b| FrameWindow::new(f).bytes().copy_from_slice(b)) {
                let _ = phys::release(f);
                return None;
            }
            area::put(slot);
            crate::mm::stats_global::shmem_swap_in();
            self.at = Place::Frame(f);
            Some(f)
        }

        /// The swap clock's visit: a page used since the last one gets a
        /// second chance; one no process maps goes to a new slot.
        pub fn swap_out(&mut self) -> SwapOut {
            let Place::Frame(f) = self.at else { return SwapOut::Kept };
            if self.used.swap(false, Ordering::Relaxed) || phys::refs(f) != Refs::Counted(1) {
                return SwapOut::Kept;
            }
            // Into the open write batch; the frame is free at once (the
            // batch holds the bytes until they are on the disk).
            let Ok(slot) = crate::mm::swap::io::queue_write(|b| b.copy_from_slice(FrameWindow::new(f).bytes())) else {
                return SwapOut::Stuck;
            };
            let _ = phys::release(f);
            crate::mm::stats_global::shmem_swap_out();
            self.at = Place::Slot(slot);
            SwapOut::Freed
        }

        /// Whether the page is on swap.
        pub fn is_swapped(&self) -> bool {
            matches!(self.at, Place::Slot(_))
        }
    }

    /// What takes a truncated file's pages out of the processes that map
    /// them, set once by the task layer (fs knows no processes).
    static ON_TRUNCATE: spin::Once<fn(u32, u32)> = spin::Once::new();

    pub fn set_truncate_hook(f: fn(u32, u32)) {
        ON_TRUNCATE.call_once(|| f);
    }

    /// File `ino` shrank to `keep` pages: pages from there on must leave
    /// every mapping. Called with the tree locked: the hook may not use it.
    pub fn truncated(ino: u32, keep: u32) {
        if let Some(f) = ON_TRUNCATE.get() {
            f(ino, keep);
        }
    }

    impl Drop for Page {
        fn drop(&mut self) {
            match self.at {
                Place::Frame(f) => {
                    let _ = phys::release(f);
                }
                Place::Slot(slot) => {
                    area::put(slot);
                }
            }
        }
    }
}

#[cfg(not(target_os = "none"))]
mod imp {
    use super::PAGE;
    use alloc::boxed::Box;

    pub struct Page(Box<[u8; PAGE]>);

    impl Page {
        pub fn new() -> Option<Page> {
            Some(Page(Box::new([0; PAGE])))
        }
        /// Zeroed all the same on the host: tests see no stale bytes.
        pub fn new_unzeroed() -> Option<Page> {
            Self::new()
        }
        /// The host has no swap: every page stays.
        pub fn swap_out(&mut self) -> super::SwapOut {
            super::SwapOut::Kept
        }
        pub fn read_with(&self, at: usize, n: usize, f: impl FnOnce(&[u8])) {
            f(&self.0[at..at + n]);
        }
        pub fn write_with(&mut self, at: usize, n: usize, f: impl FnOnce(&mut [u8])) {
            f(&mut self.0[at..at + n]);
        }
        pub fn zero_from(&mut self, at: usize) {
            self.0[at..PAGE].fill(0);
        }
    }

    /// No process maps a file on the host.
    pub fn truncated(_ino: u32, _keep: u32) {}
}

#[cfg(target_os = "none")]
pub use imp::set_truncate_hook;
pub use imp::{Page, truncated};

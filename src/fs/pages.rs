//! The pages that hold tmpfs file data: page frames on the kernel target
//! (mapped into processes as they are: `fs::mapped`), boxed arrays on the
//! host, where the tree is unit-tested. Either way a page reads as zero
//! until written, and gives its memory back when dropped (a frame a
//! process still maps lives on by the mapping's reference).

/// Bytes in a page.
pub const PAGE: usize = 4096;

#[cfg(target_os = "none")]
mod imp {
    use super::PAGE;
    use crate::mm::addr::Frame;
    use crate::mm::kmap::{FrameWindow, alloc_user_zeroed};

    /// One zeroed frame of file data, released when dropped.
    pub struct Page(Frame);

    impl Page {
        /// A zeroed page, or `None` when memory is out (ENOSPC for a write).
        pub fn new() -> Option<Page> {
            alloc_user_zeroed().ok().map(Page)
        }
        /// A page whose every byte the caller is about to write (`write_with`
        /// over all of it): not zeroed first.
        pub fn new_unzeroed() -> Option<Page> {
            crate::mm::phys::alloc_user(crate::mm::frame::Zone::Any).ok().map(Page)
        }
        /// `f` on bytes `[at, at + n)`.
        pub fn read_with(&self, at: usize, n: usize, f: impl FnOnce(&[u8])) {
            let mut w = FrameWindow::new(self.0);
            f(&w.bytes()[at..at + n]);
        }
        /// `f` fills bytes `[at, at + n)`.
        pub fn write_with(&mut self, at: usize, n: usize, f: impl FnOnce(&mut [u8])) {
            let mut w = FrameWindow::new(self.0);
            f(&mut w.bytes()[at..at + n]);
        }
        /// Zeroes `[at, PAGE)` (a truncation inside the page).
        pub fn zero_from(&mut self, at: usize) {
            let mut w = FrameWindow::new(self.0);
            w.bytes()[at..PAGE].fill(0);
        }
        /// The frame itself, for a mapping (which takes its own reference).
        pub fn frame(&self) -> Frame {
            self.0
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
            let _ = crate::mm::phys::release(self.0);
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

//! The pages that hold tmpfs file data: page frames on the kernel target
//! (so a file's page can one day be mapped into a process as it is), boxed
//! arrays on the host, where the tree is unit-tested. Either way a page
//! reads as zero until written, and gives its memory back when dropped.

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
        pub fn read(&self, at: usize, out: &mut [u8]) {
            let mut w = FrameWindow::new(self.0);
            out.copy_from_slice(&w.bytes()[at..at + out.len()]);
        }
        pub fn write(&mut self, at: usize, data: &[u8]) {
            let mut w = FrameWindow::new(self.0);
            w.bytes()[at..at + data.len()].copy_from_slice(data);
        }
        /// Zeroes `[at, PAGE)` (a truncation inside the page).
        pub fn zero_from(&mut self, at: usize) {
            let mut w = FrameWindow::new(self.0);
            w.bytes()[at..PAGE].fill(0);
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
        pub fn read(&self, at: usize, out: &mut [u8]) {
            out.copy_from_slice(&self.0[at..at + out.len()]);
        }
        pub fn write(&mut self, at: usize, data: &[u8]) {
            self.0[at..at + data.len()].copy_from_slice(data);
        }
        pub fn zero_from(&mut self, at: usize) {
            self.0[at..PAGE].fill(0);
        }
    }
}

pub use imp::Page;

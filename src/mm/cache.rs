//! Files whose pages are frames that mappings share: the page cache as mm
//! sees it. A tmpfs file's data lives in frames; mmap and exec map those
//! very frames (read-only in a private mapping until written, in place in
//! a shared one), so `read`, `write` and every mapping see one copy.
//!
//! mm sits below fs, so it cannot look a file up: the file system hands a
//! region a `PageCache` handle (an `Arc<dyn PageCache>`) at mmap or exec,
//! and the fault handler asks it for frames. Pure (host tests fake it).
//!
//! References: the file holds one reference on each of its frames; every
//! page-table entry that maps one holds another (taken by the fault
//! handler with `phys::add_ref`, dropped by `release_mapped`). A frame a
//! process maps so outlives the file's truncation or removal.

use super::addr::{Frame, PAGE_SIZE};

/// Why a file could not give a page.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum CacheError {
    /// The page is at or past the end of the file (SIGBUS).
    PastEof,
    /// No frame for a new page (the faulting task is out of memory).
    OutOfMemory,
}

/// A file that mappings may share pages with.
pub trait PageCache: Send + Sync {
    /// The file's size in bytes now.
    fn size(&self) -> u64;
    /// The frame holding page `index`, `None` for a hole; with `allocate`,
    /// a hole inside the file first gets a zeroed page of its own. No
    /// reference is taken for the caller: it adds one before it maps the
    /// frame (nothing can run in between: one CPU, no kernel preemption).
    fn frame(&self, index: u32, allocate: bool) -> Result<Option<Frame>, CacheError>;
    /// A number naming the file among all files (the inode number): two
    /// handles of one file map the same pages.
    fn id(&self) -> u32;
    /// The file's name, for `vmmap` and kill reports.
    fn name(&self) -> alloc::string::String;
}

/// How far a cache-backed region's file bytes reach.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Extent {
    /// mmap: up to the file's size at the time of the access, rounded up to
    /// a page; a page past it is SIGBUS (truncation can move it).
    Live,
    /// An ELF segment: `file_bytes` from the region's start come from the
    /// file, the rest (.bss) reads as zero.
    Segment { file_bytes: u32 },
}

impl Extent {
    /// The extent of the part of a region `delta` bytes on (a split).
    pub fn skip(self, delta: u32) -> Extent {
        match self {
            Extent::Live => Extent::Live,
            Extent::Segment { file_bytes } => Extent::Segment { file_bytes: file_bytes.saturating_sub(delta) },
        }
    }
}

/// Pages a file of `size` bytes spans, for the end-of-file rule: a page
/// whose index is at or past this is SIGBUS.
pub fn pages_spanned(size: u64) -> u64 {
    size.div_ceil(u64::from(PAGE_SIZE))
}

#[cfg(all(test, not(target_os = "none")))]
pub mod fake {
    //! A file for the host tests: a size and which pages hold data.
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::sync::Arc;

    pub struct FakeFile {
        pub size: spin::Mutex<u64>,
        pub pages: spin::Mutex<BTreeMap<u32, u32>>,
        pub ino: u32,
    }

    impl FakeFile {
        /// A file of `size` bytes whose page `i` (for each `(i, frame)`) is held.
        pub fn new(ino: u32, size: u64, pages: &[(u32, u32)]) -> Arc<FakeFile> {
            Arc::new(FakeFile {
                size: spin::Mutex::new(size),
                pages: spin::Mutex::new(pages.iter().copied().collect()),
                ino,
            })
        }
    }

    impl PageCache for FakeFile {
        fn size(&self) -> u64 {
            *self.size.lock()
        }
        fn frame(&self, index: u32, allocate: bool) -> Result<Option<Frame>, CacheError> {
            if u64::from(index) >= pages_spanned(self.size()) {
                return Err(CacheError::PastEof);
            }
            let mut p = self.pages.lock();
            if allocate && !p.contains_key(&index) {
                p.insert(index, 0x9000 + index);
            }
            Ok(p.get(&index).map(|&n| Frame::from_number(n)))
        }
        fn id(&self) -> u32 {
            self.ino
        }
        fn name(&self) -> alloc::string::String {
            alloc::format!("/fake/{}", self.ino)
        }
    }
}

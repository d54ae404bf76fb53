//! mincore(2)'s answer: which pages of a range are in memory, as Linux's
//! mm/mincore.c reads the page tables and the caches behind them.
//!
//! A page is resident when its entry is present (the zero frame
//! included), when its entry names a swap slot whose page is still in the
//! swap cache, or, with no entry yet, when the object behind the region
//! already holds the page: a shared anonymous object's frame (not on
//! swap), a boot module's page (always in memory), a tmpfs file's page (a
//! hole or a page past the end is not). Fresh anonymous memory is not.

use super::addr::PAGE_SIZE;
use super::addr::VirtAddr;
use super::cache::PageCache;
use super::swap::area;
use super::user::UserMemory;
use super::vma::{Backing, Region};

/// Why the walk stopped early.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Gap {
    /// A page of the range is in no region: ENOMEM (what came before it
    /// is answered, as Linux copies each region's part out as it goes).
    Unmapped,
}

/// One byte per page from `start` (page-aligned) for `pages` pages: 1 if
/// resident, else 0. Stops at the first page no region holds.
pub fn residency(mem: &UserMemory, start: u32, pages: u32) -> (alloc::vec::Vec<u8>, Option<Gap>) {
    let mut out = alloc::vec::Vec::with_capacity(pages as usize);
    for i in 0..pages {
        let va = start + i * PAGE_SIZE;
        let Some(region) = mem.map.find(va) else { return (out, Some(Gap::Unmapped)) };
        out.push(u8::from(resident(mem, region, va)));
    }
    (out, None)
}

fn resident(mem: &UserMemory, region: &Region, va: u32) -> bool {
    if let Some(e) = mem.space.entry(VirtAddr::new(va)) {
        if e.is_present() {
            return true;
        }
        if let Some(slot) = e.swap_slot() {
            return area::cached_frame(slot).is_some();
        }
    }
    let page = (va - region.start.as_u32()) / PAGE_SIZE;
    match &region.backing {
        Backing::Anonymous => false,
        Backing::Shared { pages, first_page } => {
            pages.frames.lock().get(&(first_page + page)).is_some_and(|&v| area::object_slot(v).is_none())
        }
        Backing::File { .. } => true,
        Backing::Cache { file, first_page, .. } => in_cache(&**file, first_page + page),
    }
}

fn in_cache(file: &dyn PageCache, index: u32) -> bool {
    matches!(file.frame(index, false), Ok(Some(_)))
}

//! tmpfs pages to swap and back (Linux's shmem swap): the swap clock over
//! file pages. Its hand walks every file's held pages in (inode, page)
//! order; a page read or written since the last visit gets a second
//! chance, a page some process maps stays (its page tables hold the
//! frame), any other goes to a new slot and its frame is freed
//! (`pages::Page::swap_out`). It comes back when written or mapped; a
//! read takes the bytes from the slot.
//!
//! The files the root held at boot (the initramfs: busybox, the programs)
//! stay in RAM, as in the ramfs Linux unpacks an initramfs into when it
//! has no tmpfs: they are cold from the start, and would otherwise be the
//! first pages to go, under every process's swap accounting.
//!
//! Called by the task layer's reclaim (kswapd, or a task short of memory)
//! with no tree operation under way; if the tree is locked all the same
//! (a fault inside a file operation), the clock skips its turn.

use super::pages::SwapOut;
use super::root::TREE;
use super::tmpfs::Ino;
use spin::Mutex;

/// Where the next turn starts.
static HAND: Mutex<(Ino, u32)> = Mutex::new((0, 0));
/// The boot files, by inode (sorted), which never go to swap.
static BOOT_FILES: Mutex<alloc::vec::Vec<Ino>> = Mutex::new(alloc::vec::Vec::new());

/// Marks every file there is now as a boot file (main.rs, before init).
pub fn keep_boot_files() {
    *BOOT_FILES.lock() = super::root::with_tree(|t| t.files());
}

/// What one turn did.
#[derive(Clone, Copy, Default, Debug)]
pub struct Pass {
    pub freed: u32,
    /// No free slot, or the disk failed.
    pub stuck: bool,
}

/// Looks at up to `budget` file pages, until `want` frames were freed.
pub fn reclaim(want: u32, budget: u32) -> Pass {
    let mut pass = Pass::default();
    let Some(mut tree) = TREE.try_lock() else { return pass };
    let Some(tree) = tree.as_mut() else { return pass };
    let mut hand = HAND.lock();
    let boot = BOOT_FILES.lock();
    let mut seen = 0;
    *hand = tree.each_page_from(*hand, |ino, page| {
        seen += 1;
        if boot.binary_search(&ino).is_ok() {
            return seen < budget;
        }
        match page.swap_out() {
            SwapOut::Freed => pass.freed += 1,
            SwapOut::Kept => {}
            SwapOut::Stuck => pass.stuck = true,
        }
        pass.freed < want && !pass.stuck && seen < budget
    });
    pass
}

/// swapoff: every file page on swap comes back. False if memory ran out
/// (or the disk failed) first.
pub fn bring_back() -> bool {
    let Some(mut tree) = TREE.try_lock() else { return false };
    let Some(tree) = tree.as_mut() else { return true };
    let mut ok = true;
    tree.each_page_from((0, 0), |_, page| {
        if page.is_swapped() && page.resident().is_none() {
            ok = false;
        }
        ok
    });
    ok
}

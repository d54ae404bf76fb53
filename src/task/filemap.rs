//! Keeps every process's mappings of a tmpfs file in step with the file:
//! when a truncation drops pages, the page-table entries that show them
//! go, in every address space (Linux's unmap_mapping_range), so the next
//! access past the new end is SIGBUS.

use super::sched::SCHED;

/// The hook `fs::pages` calls when file `ino` shrinks to `keep` pages
/// (registered at boot). It runs with the file tree locked, so it touches
/// only page tables and frames. Threads share one map: trimming it again
/// finds nothing more to drop.
pub fn file_truncated(ino: u32, keep: u32) {
    if !crate::fs::mapped::is_mapped(ino) {
        return;
    }
    let mut s = SCHED.lock();
    for t in s.tasks.values_mut() {
        // No process is inside `with_process` here (truncation is not
        // called from one), so each map may be changed.
        if let Some(p) = t.process.as_mut() {
            p.mem.drop_file_pages(ino, keep);
        }
    }
}

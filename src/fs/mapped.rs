//! Handles on tmpfs files for the regions that map them (mm's
//! `PageCache`): the fault handler asks one for the file's frames, and a
//! handle holds its inode as an open file does, so a mapping outlives the
//! descriptor it was made from and the file's last name. A handle for a
//! shared writable mapping counts as a writer too, as the open file Linux's
//! mapping keeps does: exec of the file is ETXTBSY while it lives.

use super::root::{path_of_file, with_tree};
use super::tmpfs::Ino;
use crate::mm::addr::Frame;
use crate::mm::cache::{CacheError, PageCache};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::sync::Arc;
use memguard_abi::Errno;
use spin::Mutex;

/// Live handles per inode: a truncation looks for mappings to trim only
/// when there are some.
static MAPPED: Mutex<BTreeMap<Ino, u32>> = Mutex::new(BTreeMap::new());

/// Whether any region maps file `ino`.
pub fn is_mapped(ino: Ino) -> bool {
    MAPPED.lock().contains_key(&ino)
}

struct MappedInode {
    ino: Ino,
    writer: bool,
}

/// A handle on file `ino` for a region; `writer` for a shared mapping that
/// may be written.
pub fn handle(ino: Ino, writer: bool) -> Arc<dyn PageCache> {
    with_tree(|t| {
        if let Some(n) = t.get_mut(ino) {
            n.opened += 1;
            n.writers += u32::from(writer);
        }
    });
    *MAPPED.lock().entry(ino).or_insert(0) += 1;
    Arc::new(MappedInode { ino, writer })
}

impl Drop for MappedInode {
    fn drop(&mut self) {
        {
            let mut m = MAPPED.lock();
            if let Some(n) = m.get_mut(&self.ino) {
                *n -= 1;
                if *n == 0 {
                    m.remove(&self.ino);
                }
            }
        }
        with_tree(|t| {
            if let Some(n) = t.get_mut(self.ino) {
                n.opened -= 1;
                n.writers -= u32::from(self.writer);
            }
            t.release_if_unused(self.ino);
        });
    }
}

impl PageCache for MappedInode {
    fn size(&self) -> u64 {
        with_tree(|t| t.get(self.ino).map_or(0, |n| n.size()))
    }

    fn frame(&self, index: u32, allocate: bool) -> Result<Option<Frame>, CacheError> {
        with_tree(|t| match t.map_page(self.ino, index, allocate) {
            // A page on swap comes back first.
            Ok(Some(page)) => page.resident().map(Some).ok_or(CacheError::OutOfMemory),
            Ok(None) => Ok(None),
            Err(Errno::ENOSPC) => Err(CacheError::OutOfMemory),
            Err(_) => Err(CacheError::PastEof),
        })
    }

    fn id(&self) -> u32 {
        self.ino
    }

    /// The file's path; a report made while the tree is locked (a kernel
    /// fault inside a file operation) gets the inode number instead of
    /// waiting for the lock forever.
    fn name(&self) -> String {
        let unnamed = || alloc::format!("inode {}", self.ino);
        if super::root::TREE.try_lock().is_none() {
            return unnamed();
        }
        path_of_file(self.ino).unwrap_or_else(|| alloc::format!("{} (deleted)", unnamed()))
    }
}

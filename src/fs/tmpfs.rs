//! tmpfs: the writable root file system, a tree of inodes in memory, with
//! Linux's rules for names, links and errors. Pure: the caller passes the
//! time and owns the locking; the kernel keeps one tree (`files::TREE`),
//! the host tests build their own.
//!
//! Inodes are numbered; a directory maps names to numbers and knows its
//! parent. An inode lives while a name links it or a descriptor holds it
//! open (`opened`): `unlink` of an open file keeps its data until the last
//! close, as on Linux. File data is sparse: a page that was never written
//! reads as zero and takes no memory.

use super::pages::{PAGE, Page};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use memguard_abi::Errno;

pub type Ino = u32;

/// The file type bits of st_mode.
pub const S_IFMT: u32 = 0o170000;
pub const S_IFSOCK: u32 = 0o140000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFIFO: u32 = 0o010000;
/// Linux's NAME_MAX and the number of symbolic links a lookup follows.
pub const NAME_MAX: usize = 255;
pub const MAX_SYMLINKS: u32 = 40;
/// The largest file: Linux's MAX_LFS_FILESIZE on 32-bit (page indices
/// are 32-bit): 16 TiB less a page. Without O_LARGEFILE a descriptor stops
/// at `MAX_NON_LFS`.
pub const MAX_FILE_SIZE: u64 = (1 << 44) - 4096;
pub const MAX_NON_LFS: u64 = (1 << 31) - 1;

/// Seconds and nanoseconds since the epoch.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Time {
    pub sec: i64,
    pub nsec: u32,
}

/// What an inode holds.
pub enum Data {
    Dir {
        entries: BTreeMap<String, Ino>,
        parent: Ino,
    },
    File {
        pages: BTreeMap<u32, Page>,
        size: u64,
    },
    Symlink(String),
    /// A boot module's bytes, read-only (the kernel maps and runs them
    /// straight from their frames).
    Module {
        index: usize,
        size: u64,
    },
    /// A character or block device, a FIFO or a socket: the type bits and
    /// `rdev` say which.
    Special,
}

pub struct Inode {
    /// Type and permission bits (st_mode).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub rdev: u32,
    pub atime: Time,
    pub mtime: Time,
    pub ctime: Time,
    pub data: Data,
    /// Open descriptions (and working directories) that hold it.
    pub opened: u32,
    /// Open descriptions that may write it (exec is ETXTBSY meanwhile).
    pub writers: u32,
    /// An O_TMPFILE file not opened O_EXCL: linkat may give it its first
    /// name (Linux's I_LINKABLE).
    pub linkable: bool,
}

impl Inode {
    pub fn kind(&self) -> u32 {
        self.mode & S_IFMT
    }
    pub fn is_dir(&self) -> bool {
        self.kind() == S_IFDIR
    }
    /// st_size: a file's length, a symlink's target length, a directory's
    /// nominal size.
    pub fn size(&self) -> u64 {
        match &self.data {
            Data::File { size, .. } | Data::Module { size, .. } => *size,
            Data::Symlink(t) => t.len() as u64,
            Data::Dir { entries, .. } => 40 + 20 * entries.len() as u64,
            Data::Special => 0,
        }
    }
    /// st_blocks: 512-byte units of pages actually held.
    pub fn blocks(&self) -> u64 {
        match &self.data {
            Data::File { pages, .. } => pages.len() as u64 * (PAGE as u64 / 512),
            Data::Module { size, .. } => size.div_ceil(512),
            _ => 0,
        }
    }
}

/// The result of walking a path: the directory holding the last component,
/// its name, and the inode it names if it exists.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Walk {
    pub parent: Ino,
    pub name: String,
    pub ino: Option<Ino>,
    /// The path ended in '/' (the last component must be a directory).
    pub trailing_slash: bool,
}

pub struct Tmpfs {
    inodes: BTreeMap<Ino, Inode>,
    next: Ino,
    /// Pages of file data held, for statfs and the memory limit.
    pub pages_used: u64,
    /// Mounts: a covered directory → the root directory mounted on it.
    /// Lookups pass through a covered directory to what is mounted there.
    covers: BTreeMap<Ino, Ino>,
    /// The same mounts the other way: a mounted root → the directory it covers.
    covered_by: BTreeMap<Ino, Ino>,
    /// Pages fallocate gave a file that nothing has written or mapped yet:
    /// held, read as zero, and holes to SEEK_DATA/SEEK_HOLE (Linux's
    /// shmem keeps them !Uptodate).
    unwritten: alloc::collections::BTreeSet<(Ino, u32)>,
}

pub const ROOT: Ino = 1;

/// How a lookup treats a symbolic link in the last component.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Follow {
    Yes,
    No,
}

impl Tmpfs {
    /// An empty tree: the root directory, mode 0755.
    pub fn new(now: Time) -> Tmpfs {
        let mut t = Tmpfs {
            inodes: BTreeMap::new(),
            next: ROOT + 1,
            pages_used: 0,
            covers: BTreeMap::new(),
            covered_by: BTreeMap::new(),
            unwritten: alloc::collections::BTreeSet::new(),
        };
        let root = Inode::new(S_IFDIR | 0o755, 0, Data::Dir { entries: BTreeMap::new(), parent: ROOT }, now);
        t.inodes.insert(ROOT, Inode { nlink: 2, ..root });
        t
    }

    /// Pages `pages` of file `ino` now hold what was written (or are
    /// mapped): no longer unwritten fallocate pages.
    fn written(&mut self, ino: Ino, pages: core::ops::Range<u32>) {
        if self.unwritten.is_empty() {
            return;
        }
        self.unwritten.retain(|&(i, p)| i != ino || !pages.contains(&p));
        if self.unwritten.is_empty() {
            // An emptied set gives back its last node (the heap is counted).
            self.unwritten = alloc::collections::BTreeSet::new();
        }
    }

    fn is_unwritten(&self, ino: Ino, page: u32) -> bool {
        !self.unwritten.is_empty() && self.unwritten.contains(&(ino, page))
    }

    pub fn get(&self, ino: Ino) -> Option<&Inode> {
        self.inodes.get(&ino)
    }

    pub fn get_mut(&mut self, ino: Ino) -> Option<&mut Inode> {
        self.inodes.get_mut(&ino)
    }

    /// The regular files there are now (their inode numbers).
    pub fn files(&self) -> Vec<Ino> {
        self.inodes.iter().filter(|(_, n)| matches!(n.data, Data::File { .. })).map(|(&i, _)| i).collect()
    }

    pub fn inode_count(&self) -> usize {
        self.inodes.len()
    }

    fn dir_entries(&self, ino: Ino) -> Result<&BTreeMap<String, Ino>, Errno> {
        match self.inodes.get(&ino).map(|i| &i.data) {
            Some(Data::Dir { entries, .. }) => Ok(entries),
            Some(_) => Err(Errno::ENOTDIR),
            None => Err(Errno::ENOENT),
        }
    }

    fn parent_of(&self, dir: Ino) -> Ino {
        match self.inodes.get(&dir).map(|i| &i.data) {
            Some(Data::Dir { parent, .. }) => *parent,
            _ => ROOT,
        }
    }

    /// Looks `name` up in directory `dir` ("." and ".." included).
    pub fn lookup(&self, dir: Ino, name: &str) -> Result<Option<Ino>, Errno> {
        let entries = self.dir_entries(dir)?;
        Ok(match name {
            "." => Some(dir),
            ".." => Some(self.parent_of(dir)),
            n => entries.get(n).map(|&i| self.mounted_on(i)),
        })
    }

    /// The name directory `ino` has in its parent (what `mounted_on` it
    /// counts), borrowed: `None` for the root or an unlinked one.
    pub fn name_in_parent(&self, ino: Ino) -> Option<&str> {
        if ino == ROOT || self.get(ino)?.nlink == 0 {
            return None;
        }
        let parent = self.lookup(ino, "..").ok()??;
        let entries = self.dir_entries(parent).ok()?;
        entries.iter().find(|&(_, &e)| e == ino || self.mounted_on(e) == ino).map(|(n, _)| n.as_str())
    }

    /// What a lookup that reaches `ino` arrives at: the root of the last
    /// mount stacked on it, or `ino` itself.
    pub fn mounted_on(&self, mut ino: Ino) -> Ino {
        while let Some(&top) = self.covers.get(&ino) {
            ino = top;
        }
        ino
    }

    /// The directory a mounted root covers (None if `ino` is no mount's root).
    pub fn covered_by(&self, root: Ino) -> Option<Ino> {
        self.covered_by.get(&root).copied()
    }

    /// Mounts a new empty directory (`mode`) over directory `at`, which
    /// must be what a lookup reaches (the top of any stack of mounts):
    /// from then on lookups reach the new root, and its ".." is `at`'s.
    /// ENOTDIR if `at` is not a directory, ENOENT if it was removed.
    pub fn mount_over(&mut self, at: Ino, mode: u32, now: Time) -> Result<Ino, Errno> {
        let node = self.inodes.get(&at).ok_or(Errno::ENOENT)?;
        if !node.is_dir() {
            return Err(Errno::ENOTDIR);
        }
        if node.nlink == 0 {
            return Err(Errno::ENOENT);
        }
        let parent = self.parent_of(at);
        let ino = self.alloc_ino();
        let root = Inode::new(S_IFDIR | (mode & 0o7777), 0, Data::Dir { entries: BTreeMap::new(), parent }, now);
        self.inodes.insert(ino, Inode { nlink: 2, ..root });
        self.covers.insert(at, ino);
        self.covered_by.insert(ino, at);
        Ok(ino)
    }

    /// Takes the mount whose root is `root` away: its contents go (what an
    /// open descriptor holds lives on), and the covered directory shows
    /// again. EINVAL if `root` is no mount's root, EBUSY if another mount
    /// is stacked on it.
    pub fn unmount(&mut self, root: Ino, now: Time) -> Result<(), Errno> {
        let at = self.covered_by(root).ok_or(Errno::EINVAL)?;
        if self.covers.contains_key(&root) {
            return Err(Errno::EBUSY);
        }
        self.clear_dir(root, now);
        self.covers.remove(&at);
        self.covered_by.remove(&root);
        if let Some(n) = self.inodes.get_mut(&root) {
            n.nlink = 0;
        }
        self.release_if_unused(root);
        Ok(())
    }

    /// Walks `path` from `start` (the working directory or a dirfd's
    /// directory; an absolute path starts at the root) as Linux does:
    /// ENOENT for an empty path or a missing directory on the way, ENOTDIR
    /// for a non-directory used as one, ENAMETOOLONG for a component over
    /// NAME_MAX, ELOOP after 40 symbolic links. Links on the way are
    /// followed; the last one only with `Follow::Yes` or a trailing '/'.
    pub fn walk(&self, start: Ino, path: &str, follow: Follow) -> Result<Walk, Errno> {
        let mut budget = MAX_SYMLINKS;
        self.walk_from(start, path, follow, &mut budget)
    }

    fn walk_from(&self, start: Ino, path: &str, follow: Follow, budget: &mut u32) -> Result<Walk, Errno> {
        if path.is_empty() {
            return Err(Errno::ENOENT);
        }
        let mut dir = if path.starts_with('/') { ROOT } else { start };
        let trailing_slash = path.ends_with('/');
        // The components one by one, not collected: no list on the heap.
        let mut comps = path.split('/').filter(|c| !c.is_empty()).peekable();
        if comps.peek().is_none() {
            // "/" or "///": the root itself.
            return Ok(Walk { parent: ROOT, name: String::from("."), ino: Some(ROOT), trailing_slash: true });
        }
        while let Some(comp) = comps.next() {
            if comp.len() > NAME_MAX {
                return Err(Errno::ENAMETOOLONG);
            }
            let last = comps.peek().is_none();
            let found = self.lookup(dir, comp)?;
            if last {
                let Some(ino) = found else {
                    return Ok(Walk { parent: dir, name: String::from(comp), ino: None, trailing_slash });
                };
                let node = &self.inodes[&ino];
                if let Data::Symlink(target) = &node.data
                    && (follow == Follow::Yes || trailing_slash)
                {
                    return self.follow_link(dir, target, budget, trailing_slash);
                }
                if trailing_slash && !node.is_dir() {
                    return Err(Errno::ENOTDIR);
                }
                return Ok(Walk { parent: dir, name: String::from(comp), ino: Some(ino), trailing_slash });
            }
            let Some(ino) = found else { return Err(Errno::ENOENT) };
            dir = match &self.inodes[&ino].data {
                Data::Dir { .. } => ino,
                Data::Symlink(target) => {
                    let w = self.follow_link(dir, target, budget, true)?;
                    match w.ino {
                        Some(d) if self.inodes[&d].is_dir() => d,
                        Some(_) => return Err(Errno::ENOTDIR),
                        None => return Err(Errno::ENOENT),
                    }
                }
                _ => return Err(Errno::ENOTDIR),
            };
        }
        unreachable!("the last component returns")
    }

    fn follow_link(&self, dir: Ino, target: &str, budget: &mut u32, slash: bool) -> Result<Walk, Errno> {
        if *budget == 0 {
            return Err(Errno::ELOOP);
        }
        *budget -= 1;
        let mut w = self.walk_from(dir, target, Follow::Yes, budget)?;
        if slash {
            if let Some(ino) = w.ino
                && !self.inodes[&ino].is_dir()
            {
                return Err(Errno::ENOTDIR);
            }
            w.trailing_slash = true;
        }
        Ok(w)
    }

    fn alloc_ino(&mut self) -> Ino {
        while self.inodes.contains_key(&self.next) || self.next < ROOT + 1 {
            self.next = self.next.wrapping_add(1);
        }
        let ino = self.next;
        self.next = self.next.wrapping_add(1);
        ino
    }

    /// Makes `name` in `parent` a new inode of `mode` (type bits included):
    /// EEXIST if the name is taken, ENOENT if the directory was removed.
    pub fn create(&mut self, parent: Ino, name: &str, mode: u32, data: Data, now: Time) -> Result<Ino, Errno> {
        if name.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        if name == "." || name == ".." || self.dir_entries(parent)?.contains_key(name) {
            return Err(Errno::EEXIST);
        }
        if self.inodes[&parent].nlink == 0 {
            return Err(Errno::ENOENT);
        }
        let is_dir = mode & S_IFMT == S_IFDIR;
        let ino = self.alloc_ino();
        let data = if is_dir { Data::Dir { entries: BTreeMap::new(), parent } } else { data };
        let node = Inode { nlink: if is_dir { 2 } else { 1 }, ..Inode::new(mode, 0, data, now) };
        self.inodes.insert(ino, node);
        let p = self.inodes.get_mut(&parent).expect("parent");
        if let Data::Dir { entries, .. } = &mut p.data {
            entries.insert(String::from(name), ino);
        }
        if is_dir {
            p.nlink += 1;
        }
        (p.mtime, p.ctime) = (now, now);
        Ok(ino)
    }

    /// link(): another name for a non-directory (EPERM for a directory).
    pub fn link(&mut self, ino: Ino, parent: Ino, name: &str, now: Time) -> Result<(), Errno> {
        let node = self.inodes.get(&ino).ok_or(Errno::ENOENT)?;
        if node.is_dir() {
            return Err(Errno::EPERM);
        }
        // An unlinked file cannot come back, only an O_TMPFILE one.
        if node.nlink == 0 && !node.linkable {
            return Err(Errno::ENOENT);
        }
        if name.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        if self.dir_entries(parent)?.contains_key(name) || name == "." || name == ".." {
            return Err(Errno::EEXIST);
        }
        if let Some(Data::Dir { entries, .. }) = self.inodes.get_mut(&parent).map(|p| &mut p.data) {
            entries.insert(String::from(name), ino);
        }
        let n = self.inodes.get_mut(&ino).expect("inode");
        n.nlink += 1;
        n.linkable = false;
        n.ctime = now;
        Ok(())
    }

    /// O_TMPFILE: a regular file of `mode` with no name (link count 0),
    /// which lives while a descriptor holds it; `linkable` lets linkat name
    /// it. The caller opens it at once (an unheld nameless inode is freed
    /// by the next `release_if_unused`).
    pub fn create_unnamed(&mut self, mode: u32, linkable: bool, now: Time) -> Ino {
        let ino = self.alloc_ino();
        let data = Data::File { pages: BTreeMap::new(), size: 0 };
        self.inodes.insert(ino, Inode { nlink: 0, linkable, ..Inode::new(S_IFREG | (mode & 0o7777), 0, data, now) });
        ino
    }

    /// unlink() (`dir` false) or rmdir() (`dir` true) of `name` in
    /// `parent`, with Linux's errors: EISDIR/ENOTDIR for the wrong kind,
    /// ENOTEMPTY, EBUSY for the root, EINVAL for rmdir of ".".
    pub fn remove(&mut self, parent: Ino, name: &str, dir: bool, now: Time) -> Result<(), Errno> {
        if dir && name == "." {
            return Err(Errno::EINVAL);
        }
        if dir && name == ".." {
            return Err(Errno::ENOTEMPTY);
        }
        let ino = self.lookup(parent, name)?.ok_or(Errno::ENOENT)?;
        if ino == ROOT {
            return Err(Errno::EBUSY);
        }
        let node = &self.inodes[&ino];
        match (dir, node.is_dir()) {
            (false, true) => return Err(Errno::EISDIR),
            (true, false) => return Err(Errno::ENOTDIR),
            (true, true) if self.covered_by.contains_key(&ino) => return Err(Errno::EBUSY),
            (true, true) if !self.dir_entries(ino)?.is_empty() => return Err(Errno::ENOTEMPTY),
            _ => {}
        }
        self.unlink_entry(parent, name, ino, now);
        Ok(())
    }

    /// Drops the directory entry `parent/name` → `ino` and the link count
    /// it held; frees the inode if nothing else holds it.
    fn unlink_entry(&mut self, parent: Ino, name: &str, ino: Ino, now: Time) {
        let is_dir = self.inodes[&ino].is_dir();
        let p = self.inodes.get_mut(&parent).expect("parent");
        if let Data::Dir { entries, .. } = &mut p.data {
            entries.remove(name);
            shrink(entries);
        }
        if is_dir {
            p.nlink -= 1;
        }
        (p.mtime, p.ctime) = (now, now);
        let n = self.inodes.get_mut(&ino).expect("inode");
        n.nlink = if is_dir { 0 } else { n.nlink - 1 };
        n.ctime = now;
        self.release_if_unused(ino);
    }

    /// Frees an inode no name and no descriptor holds.
    pub fn release_if_unused(&mut self, ino: Ino) {
        if ino != ROOT && self.inodes.get(&ino).is_some_and(|n| n.nlink == 0 && n.opened == 0) {
            let n = self.inodes.remove(&ino).expect("inode");
            if let Data::File { pages, .. } = n.data {
                self.pages_used -= pages.len() as u64;
                self.written(ino, 0..u32::MAX);
            }
        }
    }

    /// Detaches everything below directory `dir` (what an open descriptor
    /// holds lives on until closed).
    pub fn clear_dir(&mut self, dir: Ino, now: Time) {
        let Ok(list) = self.list(dir) else { return };
        for (name, ino, kind) in list.into_iter().skip(2) {
            if kind == S_IFDIR {
                self.clear_dir(ino, now);
            }
            self.unlink_entry(dir, &name, ino, now);
        }
    }

    /// Whether `ino` is `dir` or lies below it (rename may not move a
    /// directory into itself).
    pub fn is_under(&self, mut ino: Ino, dir: Ino) -> bool {
        loop {
            if ino == dir {
                return true;
            }
            if ino == ROOT {
                return false;
            }
            ino = self.parent_of(ino);
        }
    }

    /// rename(): `from_parent/from` becomes `to_parent/to`, replacing what
    /// is there (unless `noreplace`: EEXIST), with Linux's checks: EINVAL
    /// to move a directory below itself, ENOTDIR/EISDIR when kinds differ,
    /// ENOTEMPTY for a non-empty target directory, EBUSY for the root.
    pub fn rename(
        &mut self,
        from_parent: Ino,
        from: &str,
        to_parent: Ino,
        to: &str,
        noreplace: bool,
        now: Time,
    ) -> Result<(), Errno> {
        if matches!(from, "." | "..") || matches!(to, "." | "..") {
            return Err(if noreplace { Errno::EEXIST } else { Errno::EBUSY });
        }
        let ino = self.lookup(from_parent, from)?.ok_or(Errno::ENOENT)?;
        if to.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        let target = self.lookup(to_parent, to)?;
        // A mount point cannot move or be replaced (Linux: EBUSY).
        if [Some(ino), target].iter().flatten().any(|i| self.covered_by.contains_key(i)) {
            return Err(Errno::EBUSY);
        }
        let moving_dir = self.inodes[&ino].is_dir();
        if moving_dir && self.is_under(to_parent, ino) {
            return Err(Errno::EINVAL);
        }
        if let Some(t) = target {
            if noreplace {
                return Err(Errno::EEXIST);
            }
            // Two names of one inode: nothing to do (Linux's vfs_rename).
            if t == ino {
                return Ok(());
            }
            match (moving_dir, self.inodes[&t].is_dir()) {
                (true, false) => return Err(Errno::ENOTDIR),
                (false, true) => return Err(Errno::EISDIR),
                (true, true) if !self.dir_entries(t)?.is_empty() => return Err(Errno::ENOTEMPTY),
                _ => {}
            }
            self.unlink_entry(to_parent, to, t, now);
        }
        if let Some(Data::Dir { entries, .. }) = self.inodes.get_mut(&from_parent).map(|p| &mut p.data) {
            entries.remove(from);
            shrink(entries);
        }
        if let Some(Data::Dir { entries, .. }) = self.inodes.get_mut(&to_parent).map(|p| &mut p.data) {
            entries.insert(String::from(to), ino);
        }
        if moving_dir && from_parent != to_parent {
            self.inodes.get_mut(&from_parent).expect("dir").nlink -= 1;
            self.inodes.get_mut(&to_parent).expect("dir").nlink += 1;
            if let Data::Dir { parent, .. } = &mut self.inodes.get_mut(&ino).expect("dir").data {
                *parent = to_parent;
            }
        }
        for d in [from_parent, to_parent] {
            let p = self.inodes.get_mut(&d).expect("dir");
            (p.mtime, p.ctime) = (now, now);
        }
        self.inodes.get_mut(&ino).expect("inode").ctime = now;
        Ok(())
    }

    /// RENAME_EXCHANGE: the two names swap inodes. EINVAL if either is the
    /// other's ancestor, EBUSY for "." or "..".
    pub fn exchange(&mut self, p1: Ino, n1: &str, p2: Ino, n2: &str, now: Time) -> Result<(), Errno> {
        if [n1, n2].iter().any(|n| matches!(*n, "." | "..")) {
            return Err(Errno::EBUSY);
        }
        let a = self.lookup(p1, n1)?.ok_or(Errno::ENOENT)?;
        let b = self.lookup(p2, n2)?.ok_or(Errno::ENOENT)?;
        if a == b {
            return Ok(());
        }
        if self.covered_by.contains_key(&a) || self.covered_by.contains_key(&b) {
            return Err(Errno::EBUSY);
        }
        if (self.inodes[&a].is_dir() && self.is_under(p2, a)) || (self.inodes[&b].is_dir() && self.is_under(p1, b)) {
            return Err(Errno::EINVAL);
        }
        for (dir, name, ino) in [(p1, n1, b), (p2, n2, a)] {
            if let Some(Data::Dir { entries, .. }) = self.inodes.get_mut(&dir).map(|d| &mut d.data) {
                entries.insert(String::from(name), ino);
            }
        }
        // Directories moving between parents take their ".." along.
        for (ino, new_parent, old_parent) in [(a, p2, p1), (b, p1, p2)] {
            if self.inodes[&ino].is_dir() && new_parent != old_parent {
                if let Data::Dir { parent, .. } = &mut self.inodes.get_mut(&ino).expect("dir").data {
                    *parent = new_parent;
                }
                self.inodes.get_mut(&new_parent).expect("dir").nlink += 1;
                self.inodes.get_mut(&old_parent).expect("dir").nlink -= 1;
            }
        }
        for i in [a, b, p1, p2] {
            self.inodes.get_mut(&i).expect("inode").ctime = now;
        }
        Ok(())
    }

    /// The entries of a directory in a stable order, "." and ".." first:
    /// (name, inode, type bits).
    pub fn list(&self, dir: Ino) -> Result<Vec<(String, Ino, u32)>, Errno> {
        let entries = self.dir_entries(dir)?;
        let mut v = Vec::with_capacity(entries.len() + 2);
        v.push((String::from("."), dir, S_IFDIR));
        v.push((String::from(".."), self.parent_of(dir), S_IFDIR));
        for (name, &ino) in entries {
            v.push((name.clone(), ino, self.inodes[&ino].kind()));
        }
        Ok(v)
    }

    /// Reads file bytes at `offset`; returns how many (0 at or past the end).
    pub fn read(&self, ino: Ino, offset: u64, out: &mut [u8]) -> usize {
        let mut done = 0;
        self.read_with(ino, offset, out.len(), |bytes| {
            out[done..done + bytes.len()].copy_from_slice(bytes);
            done += bytes.len();
        })
    }

    /// Reads up to `len` file bytes at `offset`, handing them to `sink` in
    /// order, a page's worth at most at a time (zeros for a hole); returns
    /// how many (0 at or past the end).
    pub fn read_with(&self, ino: Ino, offset: u64, len: usize, mut sink: impl FnMut(&[u8])) -> usize {
        static ZEROS: [u8; PAGE] = [0; PAGE];
        let Some(Data::File { pages, size }) = self.inodes.get(&ino).map(|n| &n.data) else { return 0 };
        if offset >= *size {
            return 0;
        }
        let n = len.min((*size - offset) as usize);
        let mut done = 0;
        while done < n {
            let at = offset + done as u64;
            let (page, in_page) = ((at / PAGE as u64) as u32, (at % PAGE as u64) as usize);
            let chunk = (PAGE - in_page).min(n - done);
            match pages.get(&page) {
                Some(p) => p.read_with(in_page, chunk, &mut sink),
                None => sink(&ZEROS[..chunk]),
            }
            done += chunk;
        }
        n
    }

    /// SEEK_DATA / SEEK_HOLE: the first offset at or after `from` that is
    /// data (a page that holds some) or a hole (a page that holds none, or
    /// the end), page-granular as tmpfs is; ENXIO at or past the end.
    pub fn seek_data(&self, ino: Ino, from: u64, hole: bool) -> Result<u64, Errno> {
        let Some(n) = self.inodes.get(&ino) else { return Err(Errno::ENOENT) };
        let size = n.size();
        if from >= size {
            return Err(Errno::ENXIO);
        }
        let Data::File { pages, .. } = &n.data else {
            return Ok(if hole { size } else { from });
        };
        let first = (from / PAGE as u64) as u32;
        let data = |page: u32| pages.contains_key(&page) && !self.is_unwritten(ino, page);
        let at = if hole {
            // Runs of held pages are bounded by how many pages are held.
            let mut page = first;
            while data(page) {
                page += 1;
            }
            (u64::from(page) * PAGE as u64).max(from).min(size)
        } else {
            let page = pages.range(first..).map(|(&p, _)| p).find(|&p| data(p)).ok_or(Errno::ENXIO)?;
            (u64::from(page) * PAGE as u64).max(from)
        };
        if at >= size && !hole {
            return Err(Errno::ENXIO);
        }
        Ok(at)
    }

    /// Writes `data` at `offset`, growing the file. A page that cannot be
    /// had ends the write: the bytes written so far, or ENOSPC if none (no
    /// byte already written is lost). EFBIG past the size limit.
    pub fn write(&mut self, ino: Ino, offset: u64, data: &[u8], now: Time) -> Result<usize, Errno> {
        let mut done = 0;
        self.write_with(ino, offset, data.len(), now, |to| {
            to.copy_from_slice(&data[done..done + to.len()]);
            done += to.len();
        })
    }

    /// `write` of `len` bytes that `source` supplies in order, filling each
    /// slice it is given (a page's worth at most): a whole new page is not
    /// zeroed first.
    pub fn write_with(
        &mut self,
        ino: Ino,
        offset: u64,
        len: usize,
        now: Time,
        mut source: impl FnMut(&mut [u8]),
    ) -> Result<usize, Errno> {
        if offset >= MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        let len = len.min((MAX_FILE_SIZE - offset) as usize);
        let node = self.inodes.get_mut(&ino).ok_or(Errno::ENOENT)?;
        let Data::File { pages, size } = &mut node.data else { return Err(Errno::EINVAL) };
        let mut done = 0;
        let mut new_pages = 0;
        while done < len {
            let at = offset + done as u64;
            let (page, in_page) = ((at / PAGE as u64) as u32, (at % PAGE as u64) as usize);
            let chunk = (PAGE - in_page).min(len - done);
            if let alloc::collections::btree_map::Entry::Vacant(slot) = pages.entry(page) {
                let Some(p) = (if chunk == PAGE { Page::new_unzeroed() } else { Page::new() }) else { break };
                slot.insert(p);
                new_pages += 1;
            }
            pages.get_mut(&page).expect("page").write_with(in_page, chunk, &mut source);
            done += chunk;
        }
        if done > 0 {
            *size = (*size).max(offset + done as u64);
            (node.mtime, node.ctime) = (now, now);
        }
        self.pages_used += new_pages;
        if done > 0 {
            let first = (offset / PAGE as u64) as u32;
            let last = (offset + done as u64).div_ceil(PAGE as u64) as u32;
            self.written(ino, first..last);
        }
        if done == 0 && len > 0 {
            return Err(Errno::ENOSPC);
        }
        Ok(done)
    }

    /// The page at index `index` of file `ino`, for a mapping: `None` for
    /// a hole, unless `allocate` gives it a zeroed page (ENOSPC when memory
    /// is out). ENXIO at or past the page the end of the file is in.
    pub fn map_page(&mut self, ino: Ino, index: u32, allocate: bool) -> Result<Option<&mut Page>, Errno> {
        let Some(Data::File { pages, size }) = self.inodes.get_mut(&ino).map(|n| &mut n.data) else {
            return Err(Errno::EINVAL);
        };
        if u64::from(index) >= size.div_ceil(PAGE as u64) {
            return Err(Errno::ENXIO);
        }
        if allocate && !pages.contains_key(&index) {
            pages.insert(index, Page::new().ok_or(Errno::ENOSPC)?);
            self.pages_used += 1;
        }
        if pages.contains_key(&index) {
            self.written(ino, index..index + 1);
        }
        let Some(Data::File { pages, .. }) = self.inodes.get_mut(&ino).map(|n| &mut n.data) else {
            return Err(Errno::EINVAL);
        };
        Ok(pages.get_mut(&index))
    }

    /// The swap clock's walk: calls `visit` on each held file page after
    /// position `hand` (inode, page) in that order, wrapping round to the
    /// start, until it returns false or every page was seen once. Returns
    /// the position to start from next time.
    pub fn each_page_from(&mut self, hand: (Ino, u32), mut visit: impl FnMut(Ino, &mut Page) -> bool) -> (Ino, u32) {
        let mut at = hand;
        for round in 0..2 {
            let inodes = if round == 0 { self.inodes.range_mut(hand.0..) } else { self.inodes.range_mut(..=hand.0) };
            for (&ino, node) in inodes {
                let Data::File { pages, .. } = &mut node.data else { continue };
                let from = if round == 0 && ino == hand.0 { hand.1 } else { 0 };
                let to = if round == 1 && ino == hand.0 { hand.1 } else { u32::MAX };
                for (&k, page) in pages.range_mut(from..to) {
                    at = (ino, k + 1);
                    if !visit(ino, page) {
                        return at;
                    }
                }
            }
        }
        at
    }

    /// fallocate() (mode 0 or FALLOC_FL_KEEP_SIZE): every page of
    /// [offset, offset + len) is held, a hole getting a zeroed page; the
    /// size grows to the end unless `keep_size`. All or nothing: ENOSPC
    /// gives back the pages this call took. EFBIG past the size limit.
    pub fn allocate(&mut self, ino: Ino, offset: u64, len: u64, keep_size: bool, now: Time) -> Result<(), Errno> {
        let end = offset.checked_add(len).filter(|&e| e <= MAX_FILE_SIZE).ok_or(Errno::EFBIG)?;
        let node = self.inodes.get_mut(&ino).ok_or(Errno::ENOENT)?;
        let Data::File { pages, size } = &mut node.data else { return Err(Errno::ENODEV) };
        let (first, last) = ((offset / PAGE as u64) as u32, end.div_ceil(PAGE as u64) as u32);
        let mut added: Vec<u32> = Vec::new();
        for page in first..last {
            if pages.contains_key(&page) {
                continue;
            }
            let Some(p) = Page::new() else {
                for k in &added {
                    pages.remove(k);
                }
                return Err(Errno::ENOSPC);
            };
            pages.insert(page, p);
            added.push(page);
        }
        if !keep_size && end > *size {
            *size = end;
        }
        node.ctime = now;
        self.pages_used += added.len() as u64;
        self.unwritten.extend(added.into_iter().map(|p| (ino, p)));
        Ok(())
    }

    /// fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE): the bytes of
    /// [offset, offset + len) read as zero from now on; whole pages in it
    /// are freed (a hole), unless `in_place` (the file is mapped: its frames
    /// stay and are zeroed, so every shared mapping sees the zeros at once
    /// and private copies keep theirs, as Linux leaves COW copies alone).
    pub fn punch_hole(&mut self, ino: Ino, offset: u64, len: u64, in_place: bool, now: Time) -> Result<(), Errno> {
        let node = self.inodes.get_mut(&ino).ok_or(Errno::ENOENT)?;
        let Data::File { pages, .. } = &mut node.data else { return Err(Errno::ENODEV) };
        let end = offset.saturating_add(len);
        let (first, last) = ((offset / PAGE as u64) as u32, end.div_ceil(PAGE as u64).min(u64::from(u32::MAX)) as u32);
        let held: Vec<u32> = pages.range(first..last).map(|(&k, _)| k).collect();
        let mut gone = Vec::new();
        for k in held {
            let start = u64::from(k) * PAGE as u64;
            let from = offset.max(start) - start;
            let to = end.min(start + PAGE as u64) - start;
            if from == 0 && to == PAGE as u64 && !in_place {
                pages.remove(&k);
                gone.push(k);
            } else if let Some(p) = pages.get_mut(&k) {
                p.write_with(from as usize, (to - from) as usize, |b| b.fill(0));
            }
        }
        (node.mtime, node.ctime) = (now, now);
        self.pages_used -= gone.len() as u64;
        for k in gone {
            self.written(ino, k..k + 1);
        }
        Ok(())
    }

    /// truncate(): the new size; pages past it are freed, the tail of the
    /// last one zeroed so that growing again reads zeros. Mappings of a
    /// shrunk file lose the pages past its end (`pages::truncated`).
    pub fn truncate(&mut self, ino: Ino, len: u64, now: Time) -> Result<(), Errno> {
        if len > MAX_FILE_SIZE {
            return Err(Errno::EFBIG);
        }
        let node = self.inodes.get_mut(&ino).ok_or(Errno::ENOENT)?;
        let Data::File { pages, size } = &mut node.data else { return Err(Errno::EINVAL) };
        let keep = len.div_ceil(PAGE as u64) as u32;
        if len < *size {
            super::pages::truncated(ino, keep);
        }
        let gone: Vec<u32> = pages.range(keep..).map(|(&k, _)| k).collect();
        for k in &gone {
            pages.remove(k);
        }
        if !len.is_multiple_of(PAGE as u64)
            && let Some(p) = pages.get_mut(&((len / PAGE as u64) as u32))
        {
            p.zero_from((len % PAGE as u64) as usize);
        }
        *size = len;
        (node.mtime, node.ctime) = (now, now);
        self.pages_used -= gone.len() as u64;
        self.written(ino, keep..u32::MAX);
        Ok(())
    }
}

/// An emptied directory gives back its map's last node, so that an empty
/// directory holds no memory whatever it once held.
fn shrink(entries: &mut BTreeMap<String, Ino>) {
    if entries.is_empty() {
        *entries = BTreeMap::new();
    }
}

impl Inode {
    pub fn new(mode: u32, rdev: u32, data: Data, now: Time) -> Inode {
        Inode {
            mode,
            uid: 0,
            gid: 0,
            nlink: 1,
            rdev,
            atime: now,
            mtime: now,
            ctime: now,
            data,
            opened: 0,
            writers: 0,
            linkable: false,
        }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    #[test]
    fn fallocate_holds_pages_and_punch_hole_frees_them() {
        let mut t = Tmpfs::new(Time::default());
        let f = t
            .create(ROOT, "f", S_IFREG | 0o644, Data::File { pages: BTreeMap::new(), size: 0 }, Time::default())
            .unwrap();
        t.allocate(f, 100, 3 * PAGE as u64, true, Time::default()).unwrap();
        assert_eq!((t.get(f).unwrap().size(), t.get(f).unwrap().blocks()), (0, 4 * 8));
        t.allocate(f, 0, 2 * PAGE as u64 + 1, false, Time::default()).unwrap();
        assert_eq!(t.get(f).unwrap().size(), 2 * PAGE as u64 + 1);
        // Held but never written: holes to SEEK_DATA/SEEK_HOLE, as shmem's.
        assert_eq!(t.seek_data(f, 0, true), Ok(0));
        assert_eq!(t.seek_data(f, 0, false), Err(Errno::ENXIO));
        t.write(f, PAGE as u64, b"x", Time::default()).unwrap();
        assert_eq!(t.seek_data(f, 0, false), Ok(PAGE as u64));
        t.write(f, 0, &[7u8; 3 * PAGE], Time::default()).unwrap();
        // Bytes 10..PAGE+20: page 0 in part, page 1 in part: zeroed, kept.
        t.punch_hole(f, 10, PAGE as u64 + 10, false, Time::default()).unwrap();
        let mut b = [0u8; 3 * PAGE];
        t.read(f, 0, &mut b);
        assert!(b[..10].iter().all(|&x| x == 7) && b[10..PAGE + 20].iter().all(|&x| x == 0));
        assert!(b[PAGE + 20..].iter().all(|&x| x == 7));
        assert_eq!(t.get(f).unwrap().blocks(), 4 * 8);
        // A whole page: freed (a hole), unless the file is mapped.
        t.punch_hole(f, 2 * PAGE as u64, PAGE as u64, true, Time::default()).unwrap();
        assert_eq!(t.get(f).unwrap().blocks(), 4 * 8);
        t.punch_hole(f, 2 * PAGE as u64, PAGE as u64, false, Time::default()).unwrap();
        assert_eq!(t.get(f).unwrap().blocks(), 3 * 8);
        assert_eq!(t.seek_data(f, 2 * PAGE as u64, true).unwrap(), 2 * PAGE as u64);
        assert_eq!(t.allocate(f, MAX_FILE_SIZE, 1, false, Time::default()), Err(Errno::EFBIG));
    }

    use super::*;

    const T0: Time = Time { sec: 100, nsec: 0 };

    fn file() -> Data {
        Data::File { pages: BTreeMap::new(), size: 0 }
    }

    fn tree() -> Tmpfs {
        let mut t = Tmpfs::new(T0);
        let bin = t.create(ROOT, "bin", S_IFDIR | 0o755, file(), T0).unwrap();
        t.create(bin, "sh", S_IFREG | 0o755, file(), T0).unwrap();
        t.create(ROOT, "sh-link", S_IFLNK | 0o777, Data::Symlink("bin/sh".into()), T0).unwrap();
        t.create(ROOT, "binlink", S_IFLNK | 0o777, Data::Symlink("/bin".into()), T0).unwrap();
        t.create(ROOT, "loop", S_IFLNK | 0o777, Data::Symlink("loop".into()), T0).unwrap();
        t
    }

    fn ino(t: &Tmpfs, path: &str) -> Option<Ino> {
        t.walk(ROOT, path, Follow::Yes).unwrap().ino
    }

    #[test]
    fn a_mount_hides_the_directory_until_unmounted() {
        let mut t = tree();
        let bin = ino(&t, "/bin").unwrap();
        let sh = ino(&t, "/bin/sh").unwrap();
        let m = t.mount_over(bin, 0o1777, T0).unwrap();
        assert_eq!(ino(&t, "/bin"), Some(m));
        assert_eq!(ino(&t, "/bin/sh"), None, "the covered contents are hidden");
        assert_eq!(ino(&t, "/bin/.."), Some(ROOT));
        assert_eq!(t.covered_by(m), Some(bin));
        let x = t.create(m, "x", S_IFREG | 0o644, file(), T0).unwrap();
        assert_eq!(ino(&t, "/binlink/x"), Some(x), "links reach the mount too");
        assert_eq!(t.remove(ROOT, "bin", true, T0), Err(Errno::EBUSY));
        assert_eq!(t.rename(ROOT, "bin", ROOT, "b2", false, T0), Err(Errno::EBUSY));
        // Stacked: the upper one must go first.
        let m2 = t.mount_over(m, 0o755, T0).unwrap();
        assert_eq!(ino(&t, "/bin"), Some(m2));
        assert_eq!(t.unmount(m, T0), Err(Errno::EBUSY));
        t.unmount(m2, T0).unwrap();
        assert_eq!(ino(&t, "/bin/x"), Some(x));
        t.unmount(m, T0).unwrap();
        assert!(t.get(x).is_none() && t.get(m).is_none(), "the mount's contents are freed");
        assert_eq!(ino(&t, "/bin/sh"), Some(sh));
        assert_eq!(t.unmount(bin, T0), Err(Errno::EINVAL), "not a mount's root");
        assert_eq!(t.mount_over(sh, 0o755, T0), Err(Errno::ENOTDIR));
    }

    #[test]
    fn walking_follows_links_and_reports_linuxs_errors() {
        let t = tree();
        let sh = ino(&t, "/bin/sh").unwrap();
        assert_eq!(ino(&t, "/sh-link"), Some(sh));
        assert_eq!(ino(&t, "/binlink/sh"), Some(sh));
        assert_eq!(ino(&t, "/bin/../bin/./sh"), Some(sh));
        assert_eq!(ino(&t, "/../../bin/sh"), Some(sh), ".. stops at the root");
        let nofollow = t.walk(ROOT, "/sh-link", Follow::No).unwrap().ino.unwrap();
        assert_ne!(nofollow, sh);
        assert_eq!(t.walk(ROOT, "/bin/sh/x", Follow::Yes), Err(Errno::ENOTDIR));
        assert_eq!(t.walk(ROOT, "/bin/sh/", Follow::Yes), Err(Errno::ENOTDIR));
        assert_eq!(t.walk(ROOT, "/nope/x", Follow::Yes), Err(Errno::ENOENT));
        assert_eq!(t.walk(ROOT, "", Follow::Yes), Err(Errno::ENOENT));
        assert_eq!(t.walk(ROOT, "/loop", Follow::Yes), Err(Errno::ELOOP));
        assert!(t.walk(ROOT, "/loop", Follow::No).is_ok());
        let long = "x".repeat(256);
        assert_eq!(t.walk(ROOT, &long, Follow::Yes), Err(Errno::ENAMETOOLONG));
        let missing = t.walk(ROOT, "/bin/new", Follow::Yes).unwrap();
        assert_eq!((missing.ino, missing.name.as_str()), (None, "new"));
        // Relative to a directory.
        let bin = ino(&t, "/bin").unwrap();
        assert_eq!(t.walk(bin, "sh", Follow::Yes).unwrap().ino, Some(sh));
    }

    #[test]
    fn the_swap_walk_visits_every_page_once_from_its_hand() {
        let mut t = tree();
        let a = t.create(ROOT, "a", S_IFREG | 0o644, file(), Time::default()).unwrap();
        let b = t.create(ROOT, "b", S_IFREG | 0o644, file(), Time::default()).unwrap();
        t.write(a, 0, &[1; PAGE * 3], Time::default()).unwrap();
        t.write(b, PAGE as u64 * 5, &[2; 10], Time::default()).unwrap();
        let mut n = 0;
        assert_eq!(
            t.each_page_from((a, 1), |_, _| {
                n += 1;
                true
            }),
            (a, 1)
        );
        assert_eq!(n, 4, "three pages of a, one of b, once each");
        let mut n = 0;
        assert_eq!(
            t.each_page_from((a, 1), |_, _| {
                n += 1;
                n < 3
            }),
            (b, 6),
            "a's pages 1 and 2, then b's 5"
        );
        let mut n = 0;
        assert_eq!(
            t.each_page_from((b, 6), |_, _| {
                n += 1;
                n < 2
            }),
            (a, 2),
            "wrapped to a's start"
        );
    }

    #[test]
    fn files_are_sparse_and_truncate_zeroes() {
        let mut t = tree();
        let f = t.create(ROOT, "f", S_IFREG | 0o644, file(), T0).unwrap();
        assert_eq!(t.write(f, 10_000, b"hello", T0), Ok(5));
        assert_eq!(t.pages_used, 1, "the hole takes no page");
        let mut buf = [0xffu8; 16];
        assert_eq!(t.read(f, 0, &mut buf), 16);
        assert_eq!(buf, [0; 16]);
        let mut buf = [0u8; 8];
        assert_eq!(t.read(f, 10_000, &mut buf), 5);
        assert_eq!(&buf[..5], b"hello");
        t.truncate(f, 10_002, T0).unwrap();
        t.truncate(f, 10_005, T0).unwrap();
        let mut buf = [0u8; 5];
        t.read(f, 10_000, &mut buf);
        assert_eq!(&buf, b"he\0\0\0");
        t.truncate(f, 0, T0).unwrap();
        assert_eq!((t.pages_used, t.get(f).unwrap().size()), (0, 0));
    }

    #[test]
    fn mapping_finds_and_fills_pages_inside_the_file() {
        let mut t = tree();
        let f = t.create(ROOT, "f", S_IFREG | 0o644, file(), T0).unwrap();
        t.write(f, 5000, b"x", T0).unwrap();
        assert!(t.map_page(f, 0, false).unwrap().is_none(), "a hole");
        assert!(t.map_page(f, 1, false).unwrap().is_some());
        assert_eq!(t.map_page(f, 2, false).err(), Some(Errno::ENXIO), "past the end");
        assert!(t.map_page(f, 0, true).unwrap().is_some(), "filled");
        assert_eq!((t.pages_used, t.get(f).unwrap().size()), (2, 5001), "size unchanged");
        let bin = ino(&t, "/bin").unwrap();
        assert_eq!(t.map_page(bin, 0, false).err(), Some(Errno::EINVAL));
    }

    #[test]
    fn unlinked_open_files_live_until_closed() {
        let mut t = tree();
        let f = t.create(ROOT, "f", S_IFREG | 0o644, file(), T0).unwrap();
        t.write(f, 0, b"data", T0).unwrap();
        t.get_mut(f).unwrap().opened += 1;
        t.remove(ROOT, "f", false, T0).unwrap();
        assert!(t.get(f).is_some());
        assert_eq!(t.walk(ROOT, "/f", Follow::Yes).unwrap().ino, None);
        t.get_mut(f).unwrap().opened -= 1;
        t.release_if_unused(f);
        assert!(t.get(f).is_none());
        assert_eq!(t.pages_used, 0);
    }

    #[test]
    fn directories_follow_linuxs_rules() {
        let mut t = tree();
        let bin = ino(&t, "/bin").unwrap();
        assert_eq!(t.create(ROOT, "bin", S_IFDIR | 0o755, file(), T0), Err(Errno::EEXIST));
        assert_eq!(t.remove(ROOT, "bin", true, T0), Err(Errno::ENOTEMPTY));
        assert_eq!(t.remove(ROOT, "bin", false, T0), Err(Errno::EISDIR));
        assert_eq!(t.remove(bin, "sh", true, T0), Err(Errno::ENOTDIR));
        assert_eq!(t.remove(bin, ".", true, T0), Err(Errno::EINVAL));
        let d = t.create(ROOT, "d", S_IFDIR | 0o755, file(), T0).unwrap();
        assert_eq!(t.get(ROOT).unwrap().nlink, 4, "., .. of bin and d");
        let sub = t.create(d, "sub", S_IFDIR | 0o755, file(), T0).unwrap();
        assert_eq!(t.rename(ROOT, "d", sub, "x", false, T0), Err(Errno::EINVAL), "into itself");
        t.remove(d, "sub", true, T0).unwrap();
        t.remove(ROOT, "d", true, T0).unwrap();
        assert_eq!(t.get(ROOT).unwrap().nlink, 3);
        let names: Vec<String> = t.list(bin).unwrap().into_iter().map(|e| e.0).collect();
        assert_eq!(names, [".", "..", "sh"]);
    }

    #[test]
    fn rename_and_link() {
        let mut t = tree();
        let bin = ino(&t, "/bin").unwrap();
        let sh = ino(&t, "/bin/sh").unwrap();
        t.link(sh, ROOT, "sh2", T0).unwrap();
        assert_eq!(t.get(sh).unwrap().nlink, 2);
        assert_eq!(t.link(bin, ROOT, "bin2", T0), Err(Errno::EPERM));
        assert_eq!(t.rename(ROOT, "sh2", bin, "sh", true, T0), Err(Errno::EEXIST));
        // Renaming onto another name of the same inode does nothing.
        t.rename(ROOT, "sh2", bin, "sh", false, T0).unwrap();
        assert_eq!(ino(&t, "/sh2"), Some(sh));
        let f = t.create(ROOT, "f", S_IFREG | 0o644, file(), T0).unwrap();
        t.rename(ROOT, "f", bin, "sh", false, T0).unwrap();
        assert_eq!(ino(&t, "/bin/sh"), Some(f));
        assert_eq!(t.get(sh).unwrap().nlink, 1, "replaced: one name left");
        assert_eq!(t.rename(ROOT, "bin", ROOT, "sh2", false, T0), Err(Errno::ENOTDIR));
        assert_eq!(t.rename(ROOT, "sh2", ROOT, "bin", false, T0), Err(Errno::EISDIR));
    }

    #[test]
    fn tmpfile_is_named_once_by_link_unless_excl() {
        let mut t = tree();
        let a = t.create_unnamed(0o600, true, T0);
        t.get_mut(a).unwrap().opened = 1;
        assert_eq!((t.get(a).unwrap().nlink, t.get(a).unwrap().mode), (0, S_IFREG | 0o600));
        t.link(a, ROOT, "a", T0).unwrap();
        assert_eq!(t.get(a).unwrap().nlink, 1);
        t.remove(ROOT, "a", false, T0).unwrap();
        assert_eq!(t.link(a, ROOT, "a2", T0), Err(Errno::ENOENT), "linkable only while never named");
        let b = t.create_unnamed(0o600, false, T0);
        t.get_mut(b).unwrap().opened = 1;
        assert_eq!(t.link(b, ROOT, "b", T0), Err(Errno::ENOENT), "O_EXCL");
        t.get_mut(b).unwrap().opened = 0;
        t.release_if_unused(b);
        assert!(t.get(b).is_none(), "freed with its last descriptor");
    }
}

//! The name-space calls of the tmpfs root: mkdir(at), mknod(at),
//! unlink(at), rmdir, rename(at/at2), link(at), symlink(at), readlink(at),
//! truncate64/ftruncate64, getdents64/getdents, fsync/fdatasync. Arguments
//! are checked in Linux's order; the tree (`fs::tmpfs`) decides the rest.

use super::abi::{Errno, SysResult};
use super::file::file;
use super::path::{AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_FOLLOW, inode_at, read_path_str, walk_at};
use super::uaccess::copy_out;
use crate::fs::Node;
use crate::fs::root::{now, with_tree};
use crate::fs::tmpfs::{
    Data, Follow, Ino, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK, Walk,
};
use crate::task::sched::with_process;
use alloc::vec::Vec;

fn umask() -> u32 {
    with_process(|p| p.fs.umask)
}

/// A name to create: the walk must end at a missing last component
/// (EEXIST if it exists); "/" and names ending in "." are EEXIST too.
fn new_name(w: &Walk) -> Result<(), Errno> {
    writable_dir(w.parent)?;
    if w.ino.is_some() {
        return Err(Errno::EEXIST);
    }
    Ok(())
}

/// Names may change in any directory but /proc's (EACCES), whose
/// contents the kernel generates.
fn writable_dir(dir: Ino) -> Result<(), Errno> {
    if crate::fs::root::in_proc(dir) { Err(Errno::EACCES) } else { Ok(()) }
}

/// mkdirat(dirfd, path, mode).
pub fn mkdirat(dirfd: i32, path: u32, mode: u32) -> SysResult {
    let w = walk_at(dirfd, path, Follow::No)?;
    new_name(&w)?;
    let mode = S_IFDIR | (mode & 0o7777 & !umask());
    with_tree(|t| t.create(w.parent, &w.name, mode, Data::Special, now())).map(|_| 0)
}

/// mknodat(dirfd, path, mode, dev): regular files, FIFOs, sockets and
/// device nodes (as root); EINVAL for a directory or an unknown type.
pub fn mknodat(dirfd: i32, path: u32, mode: u32, dev: u32) -> SysResult {
    let kind = match mode & S_IFMT {
        0 => S_IFREG,
        k @ (S_IFREG | S_IFCHR | S_IFBLK | S_IFIFO | S_IFSOCK) => k,
        S_IFDIR => return Err(Errno::EPERM),
        _ => return Err(Errno::EINVAL),
    };
    let w = walk_at(dirfd, path, Follow::No)?;
    if w.trailing_slash {
        return Err(Errno::ENOENT);
    }
    new_name(&w)?;
    let data = if kind == S_IFREG { Data::File { pages: Default::default(), size: 0 } } else { Data::Special };
    let mode = kind | (mode & 0o7777 & !umask());
    with_tree(|t| {
        let ino = t.create(w.parent, &w.name, mode, data, now())?;
        if matches!(kind, S_IFCHR | S_IFBLK) {
            t.get_mut(ino).expect("new").rdev = dev;
        }
        Ok(0)
    })
}

/// unlinkat(dirfd, path, flags): AT_REMOVEDIR makes it rmdir.
pub fn unlinkat(dirfd: i32, path: u32, flags: u32) -> SysResult {
    if flags & !AT_REMOVEDIR != 0 {
        return Err(Errno::EINVAL);
    }
    let dir = flags & AT_REMOVEDIR != 0;
    let p = read_path_str(path)?;
    let w = walk_at(dirfd, path, Follow::No)?;
    if w.ino == Some(crate::fs::tmpfs::ROOT) {
        return Err(if dir { Errno::EBUSY } else { Errno::EISDIR });
    }
    writable_dir(w.parent)?;
    if !dir && w.trailing_slash {
        // "name/": a directory is EISDIR, anything else (a symlink to a
        // directory included) ENOTDIR; the name itself decides, unfollowed.
        let bare = p.trim_end_matches('/');
        let start = if bare.starts_with('/') { crate::fs::tmpfs::ROOT } else { super::path::start_of(dirfd)? };
        let w = crate::fs::root::walk(start, bare, Follow::No)?;
        let is_dir = with_tree(|t| w.ino.and_then(|i| t.get(i)).map(|n| n.is_dir()));
        return Err(match is_dir {
            Some(true) => Errno::EISDIR,
            Some(false) => Errno::ENOTDIR,
            None => Errno::ENOENT,
        });
    }
    with_tree(|t| t.remove(w.parent, &w.name, dir, now())).map(|_| 0)
}

const RENAME_NOREPLACE: u32 = 1;
const RENAME_EXCHANGE: u32 = 2;
const RENAME_WHITEOUT: u32 = 4;

/// renameat2(olddirfd, old, newdirfd, new, flags): RENAME_NOREPLACE,
/// RENAME_EXCHANGE (both names must exist; they swap), RENAME_WHITEOUT
/// (a 0:0 character device is left at the old name), as tmpfs does them.
pub fn renameat2(olddirfd: i32, old: u32, newdirfd: i32, new: u32, flags: u32) -> SysResult {
    if flags & !(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT) != 0
        || flags & (RENAME_NOREPLACE | RENAME_EXCHANGE) == RENAME_NOREPLACE | RENAME_EXCHANGE
        || flags & (RENAME_EXCHANGE | RENAME_WHITEOUT) == RENAME_EXCHANGE | RENAME_WHITEOUT
    {
        return Err(Errno::EINVAL);
    }
    let from = walk_at(olddirfd, old, Follow::No)?;
    let to = walk_at(newdirfd, new, Follow::No)?;
    if from.ino.is_none() {
        return Err(Errno::ENOENT);
    }
    writable_dir(from.parent)?;
    writable_dir(to.parent)?;
    if flags & RENAME_EXCHANGE != 0 {
        if to.ino.is_none() {
            return Err(Errno::ENOENT);
        }
        return with_tree(|t| t.exchange(from.parent, &from.name, to.parent, &to.name, now())).map(|_| 0);
    }
    if flags & RENAME_WHITEOUT != 0 {
        with_tree(|t| -> Result<(), Errno> {
            t.rename(from.parent, &from.name, to.parent, &to.name, flags & RENAME_NOREPLACE != 0, now())?;
            t.create(from.parent, &from.name, S_IFCHR, Data::Special, now())?;
            Ok(())
        })?;
        return Ok(0);
    }
    with_tree(|t| {
        let moving_dir = from.ino.and_then(|i| t.get(i)).is_some_and(|n| n.is_dir());
        if (from.trailing_slash || to.trailing_slash) && !moving_dir {
            return Err(Errno::ENOTDIR);
        }
        t.rename(from.parent, &from.name, to.parent, &to.name, flags & RENAME_NOREPLACE != 0, now())
    })
    .map(|_| 0)
}

/// linkat(olddirfd, old, newdirfd, new, flags): AT_SYMLINK_FOLLOW,
/// AT_EMPTY_PATH.
pub fn linkat(olddirfd: i32, old: u32, newdirfd: i32, new: u32, flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let follow = if flags & AT_SYMLINK_FOLLOW != 0 { 0 } else { super::path::AT_SYMLINK_NOFOLLOW };
    let ino = inode_at(olddirfd, old, follow | (flags & AT_EMPTY_PATH))?;
    let to = walk_at(newdirfd, new, Follow::No)?;
    new_name(&to)?;
    if to.trailing_slash {
        return Err(Errno::ENOENT);
    }
    with_tree(|t| t.link(ino, to.parent, &to.name, now())).map(|_| 0)
}

/// symlinkat(target, newdirfd, linkpath): the target is stored as given
/// (ENOENT if empty).
pub fn symlinkat(target: u32, newdirfd: i32, linkpath: u32) -> SysResult {
    let target = read_path_str(target)?;
    if target.is_empty() {
        return Err(Errno::ENOENT);
    }
    let w = walk_at(newdirfd, linkpath, Follow::No)?;
    new_name(&w)?;
    if w.trailing_slash {
        return Err(Errno::ENOENT);
    }
    with_tree(|t| t.create(w.parent, &w.name, S_IFLNK | 0o777, Data::Symlink(target), now())).map(|_| 0)
}

/// readlinkat(dirfd, path, buf, size): the target, not NUL-terminated,
/// cut to `size`; EINVAL for something not a link or size <= 0.
pub fn readlinkat(dirfd: i32, path: u32, buf: u32, size: u32) -> SysResult {
    if size as i32 <= 0 {
        return Err(Errno::EINVAL);
    }
    let p = read_path_str(path)?;
    // An empty path reads the link `dirfd` itself is (opened O_PATH);
    // AT_FDCWD or a non-link descriptor is ENOENT.
    let ino = if p.is_empty() {
        match dirfd {
            AT_FDCWD => return Err(Errno::ENOENT),
            fd => match file(fd as u32)?.node {
                Node::Inode(i) => i,
                _ => return Err(Errno::ENOENT),
            },
        }
    } else {
        let start = if p.starts_with('/') { crate::fs::tmpfs::ROOT } else { super::path::start_of(dirfd)? };
        crate::fs::root::walk(start, &p, Follow::No)?.ino.ok_or(Errno::ENOENT)?
    };
    let target = with_tree(|t| match t.get(ino).map(|n| &n.data) {
        Some(Data::Symlink(s)) => Ok(s.clone()),
        _ if p.is_empty() => Err(Errno::ENOENT),
        _ => Err(Errno::EINVAL),
    })?;
    let n = target.len().min(size as usize);
    with_process(|p| copy_out(&mut p.mem, buf, &target.as_bytes()[..n]))?;
    Ok(n as u32)
}

/// truncate64(path, length): EISDIR for a directory, EINVAL if negative.
pub fn truncate64(path: u32, len: i64) -> SysResult {
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    let ino = inode_at(AT_FDCWD, path, 0)?;
    truncate_inode(ino, len as u64)
}

/// ftruncate64(fd, length): the file must be open for writing (EINVAL
/// otherwise, as Linux says for this call).
pub fn ftruncate64(fd: u32, len: i64) -> SysResult {
    let f = file(fd)?;
    if len < 0 {
        return Err(Errno::EINVAL);
    }
    let small = !f.largefile.load(core::sync::atomic::Ordering::Relaxed);
    if small && len as u64 > crate::fs::tmpfs::MAX_NON_LFS {
        return Err(Errno::EINVAL);
    }
    match f.node {
        Node::Inode(ino) if f.writable => truncate_inode(ino, len as u64),
        Node::Inode(_) => Err(Errno::EINVAL),
        _ => Err(Errno::EINVAL),
    }
}

const FALLOC_FL_KEEP_SIZE: u32 = 0x01;
const FALLOC_FL_PUNCH_HOLE: u32 = 0x02;
const FALLOC_FL_COLLAPSE_RANGE: u32 = 0x08;
const FALLOC_FL_ZERO_RANGE: u32 = 0x10;
const FALLOC_FL_INSERT_RANGE: u32 = 0x20;
const FALLOC_FL_UNSHARE_RANGE: u32 = 0x40;
/// What vfs_fallocate knows at all; tmpfs then takes KEEP_SIZE and
/// PUNCH_HOLE only, as Linux's shmem_fallocate.
const FALLOC_KNOWN: u32 = FALLOC_FL_KEEP_SIZE
    | FALLOC_FL_PUNCH_HOLE
    | FALLOC_FL_COLLAPSE_RANGE
    | FALLOC_FL_ZERO_RANGE
    | FALLOC_FL_INSERT_RANGE
    | FALLOC_FL_UNSHARE_RANGE;

/// fallocate(fd, mode, offset, len), in vfs_fallocate's order: EBADF (no
/// such fd), EINVAL (negative offset, len <= 0), EOPNOTSUPP (unknown bits,
/// punch with zero-range, punch without KEEP_SIZE), EINVAL (collapse or
/// insert mixed with others, unshare with punch/zero), EBADF (not open for
/// writing), ESPIPE (a pipe or FIFO), EISDIR, ENODEV (not a regular file),
/// EFBIG (past the size limit), then tmpfs's: EOPNOTSUPP for anything but
/// KEEP_SIZE and PUNCH_HOLE, ENOSPC when memory is out.
pub fn fallocate(fd: u32, mode: u32, offset: i64, len: i64) -> SysResult {
    let f = file(fd)?;
    if offset < 0 || len <= 0 {
        return Err(Errno::EINVAL);
    }
    if mode & !FALLOC_KNOWN != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    let punch = mode & FALLOC_FL_PUNCH_HOLE != 0;
    if punch && mode & FALLOC_FL_ZERO_RANGE != 0 || punch && mode & FALLOC_FL_KEEP_SIZE == 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    for exclusive in [FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE] {
        if mode & exclusive != 0 && mode & !exclusive != 0 {
            return Err(Errno::EINVAL);
        }
    }
    if mode & FALLOC_FL_UNSHARE_RANGE != 0 && mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE) != 0 {
        return Err(Errno::EINVAL);
    }
    if !f.writable {
        return Err(Errno::EBADF);
    }
    let ino = match f.node {
        Node::PipeRead(_) | Node::PipeWrite(_) => return Err(Errno::ESPIPE),
        Node::Inode(ino) => ino,
        _ => return Err(Errno::ENODEV),
    };
    let kind = with_tree(|t| t.get(ino).map(|n| n.kind())).ok_or(Errno::ENOENT)?;
    match kind {
        crate::fs::tmpfs::S_IFIFO => return Err(Errno::ESPIPE),
        S_IFDIR => return Err(Errno::EISDIR),
        S_IFREG => {}
        _ => return Err(Errno::ENODEV),
    }
    let (offset, len) = (offset as u64, len as u64);
    if offset + len > crate::fs::tmpfs::MAX_FILE_SIZE {
        return Err(Errno::EFBIG);
    }
    if mode & !(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE) != 0 {
        return Err(Errno::EOPNOTSUPP);
    }
    crate::fs::root::make_writable(ino)?;
    let keep = mode & FALLOC_FL_KEEP_SIZE != 0;
    // A mapped file's punched pages stay (zeroed), so no mapping is left
    // holding a frame the file no longer has.
    let mapped = crate::fs::mapped::is_mapped(ino);
    with_tree(|t| {
        if punch { t.punch_hole(ino, offset, len, mapped, now()) } else { t.allocate(ino, offset, len, keep, now()) }
    })?;
    Ok(0)
}

fn truncate_inode(ino: Ino, len: u64) -> SysResult {
    if crate::task::lifecycle::running(ino) {
        return Err(Errno::ETXTBSY);
    }
    crate::fs::root::make_writable(ino)?;
    with_tree(|t| match t.get(ino).map(|n| n.kind()) {
        Some(S_IFDIR) => Err(Errno::EISDIR),
        Some(S_IFREG) => t.truncate(ino, len, now()).map(|_| 0),
        Some(_) => Err(Errno::EINVAL),
        None => Err(Errno::ENOENT),
    })
}

/// DT_* of a type: st_mode's type bits shifted down, as Linux's IFTODT.
fn dtype(kind: u32) -> u8 {
    (kind >> 12) as u8
}

/// getdents64(fd, dirp, count) (and the old getdents with `old` true):
/// entries from the descriptor's offset (an index into the listing) as
/// many as fit; EINVAL if not even one fits, ENOTDIR for a non-directory.
pub fn getdents(fd: u32, dirp: u32, count: u32, old: bool) -> SysResult {
    let f = file(fd)?;
    let Node::Inode(dir) = f.node else { return Err(Errno::ENOTDIR) };
    crate::fs::root::before_listing(dir);
    // A removed directory lists nothing: ENOENT, as Linux's dead directory.
    if with_tree(|t| t.get(dir).is_some_and(|n| n.is_dir() && n.nlink == 0)) {
        return Err(Errno::ENOENT);
    }
    let list = with_tree(|t| t.list(dir))?;
    let mut off = f.offset.lock();
    let mut buf: Vec<u8> = Vec::new();
    let mut index = *off as usize;
    while let Some((name, ino, kind)) = list.get(index) {
        let rec = record(name, *ino, *kind, index as u64 + 1, old);
        if buf.len() + rec.len() > count as usize {
            break;
        }
        buf.extend_from_slice(&rec);
        index += 1;
    }
    if buf.is_empty() && index < list.len() {
        return Err(Errno::EINVAL);
    }
    with_process(|p| copy_out(&mut p.mem, dirp, &buf))?;
    *off = index as u64;
    Ok(buf.len() as u32)
}

/// One directory record: linux_dirent64 {ino u64, off i64, reclen u16,
/// type u8, name\0} padded to 8, or the old linux_dirent {ino u32, off
/// u32, reclen u16, name\0, pad, type} padded to 4.
fn record(name: &str, ino: Ino, kind: u32, next: u64, old: bool) -> Vec<u8> {
    let mut r = Vec::new();
    if old {
        let len = (10 + name.len() + 2).next_multiple_of(4);
        r.extend_from_slice(&ino.to_le_bytes());
        r.extend_from_slice(&(next as u32).to_le_bytes());
        r.extend_from_slice(&(len as u16).to_le_bytes());
        r.extend_from_slice(name.as_bytes());
        r.resize(len - 1, 0);
        r.push(dtype(kind));
    } else {
        let len = (19 + name.len() + 1).next_multiple_of(8);
        r.extend_from_slice(&u64::from(ino).to_le_bytes());
        r.extend_from_slice(&next.to_le_bytes());
        r.extend_from_slice(&(len as u16).to_le_bytes());
        r.push(dtype(kind));
        r.extend_from_slice(name.as_bytes());
        r.resize(len, 0);
    }
    r
}

/// fsync/fdatasync: memory is the storage, so there is nothing to flush;
/// EBADF for a bad descriptor, EINVAL for one that cannot be synced.
/// sync(): tmpfs has nothing to write back and the disk's writes are
/// done when they return, so this only asks the disk to flush; it cannot
/// fail (Linux's returns nothing).
pub fn sync() -> SysResult {
    let _ = super::blkdev::fsync();
    Ok(0)
}

/// syncfs(fd): sync for the file system holding fd; EBADF for a bad fd.
pub fn syncfs(fd: u32) -> SysResult {
    file(fd)?;
    sync()
}

pub fn fsync(fd: u32) -> SysResult {
    match file(fd)?.node {
        Node::Inode(_) => Ok(0),
        Node::Block => super::blkdev::fsync(),
        _ => Err(Errno::EINVAL),
    }
}

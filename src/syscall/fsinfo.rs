//! What files are, rather than what is in them: the stat family (stat64,
//! lstat64, fstat64, fstatat64, statx), access/faccessat(2), getcwd, chdir,
//! fchdir, umask, chmod/chown family, utimensat, statfs64. Everyone is
//! root: permission bits matter only for execute (some x bit must be set).

use super::abi::{Errno, SysResult};
use super::file::file;
use super::path::{AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW, cwd, inode_at, read_path_str};
use super::uaccess::{self, Plain, copy_out};
use crate::fs::root::{self, DEV_CONSOLE, DEV_FULL, DEV_NULL, DEV_URANDOM, DEV_ZERO, with_tree};
use crate::fs::tmpfs::{Ino, S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFMT, Time};
use crate::fs::{Node, root::now};
use crate::task::sched::with_process;
use memguard_abi::linux;

/// What stat reports: the fields both stat64 and statx fill.
struct Attr {
    mode: u32,
    ino: u32,
    nlink: u32,
    uid: u32,
    gid: u32,
    rdev: u32,
    size: u64,
    blocks: u64,
    atime: Time,
    mtime: Time,
    ctime: Time,
}

/// st_dev of the root tmpfs, and of pipes (Linux's pipefs).
const ROOT_DEV: u32 = 1;

fn attr_of_inode(ino: Ino) -> Result<Attr, Errno> {
    with_tree(|t| {
        let n = t.get(ino).ok_or(Errno::ENOENT)?;
        Ok(Attr {
            mode: n.mode,
            ino,
            nlink: n.nlink,
            uid: n.uid,
            gid: n.gid,
            rdev: n.rdev,
            size: n.size(),
            blocks: n.blocks(),
            atime: n.atime,
            mtime: n.mtime,
            ctime: n.ctime,
        })
    })
}

/// A device or pipe opened without an inode at hand (fd 0–2 start on the
/// console): what its /dev node would say.
fn attr_of_node(node: Node) -> Result<Attr, Errno> {
    let boot = root::now();
    let (mode, rdev, ino) = match node {
        Node::Inode(ino) => return attr_of_inode(ino),
        Node::Console => (S_IFCHR | 0o600, DEV_CONSOLE, 10),
        Node::Null => (S_IFCHR | 0o666, DEV_NULL, 11),
        Node::Zero => (S_IFCHR | 0o666, DEV_ZERO, 12),
        Node::Full => (S_IFCHR | 0o666, DEV_FULL, 13),
        Node::Random => (S_IFCHR | 0o666, DEV_URANDOM, 14),
        Node::PipeRead(id) | Node::PipeWrite(id) => (S_IFIFO | 0o600, 0, 1_000_000 + id),
        Node::Block => (S_IFBLK | 0o660, crate::dev::blk::vda_rdev(), 15),
    };
    // A disk belongs to group disk (6), as udev makes /dev/vda.
    let gid = if node == Node::Block { 6 } else { 0 };
    Ok(Attr { mode, ino, nlink: 1, uid: 0, gid, rdev, size: 0, blocks: 0, atime: boot, mtime: boot, ctime: boot })
}

fn stat64_of(a: &Attr) -> linux::stat64 {
    let mut st = linux::stat64::zeroed();
    st.st_dev = u64::from(ROOT_DEV);
    st.__st_ino = a.ino;
    st.st_mode = a.mode;
    st.st_nlink = a.nlink;
    st.st_uid = a.uid;
    st.st_gid = a.gid;
    st.st_rdev = u64::from(a.rdev);
    st.st_size = a.size as i64;
    st.st_blksize = 4096;
    st.st_blocks = a.blocks;
    (st.st_atime, st.st_atime_nsec) = (a.atime.sec as u32, a.atime.nsec);
    (st.st_mtime, st.st_mtime_nsec) = (a.mtime.sec as u32, a.mtime.nsec);
    (st.st_ctime, st.st_ctime_nsec) = (a.ctime.sec as u32, a.ctime.nsec);
    st.st_ino = u64::from(a.ino);
    st
}

/// The original `struct stat` (stat 106, lstat 107, fstat 108): 32-bit
/// fields, EOVERFLOW for what does not fit (Linux's cp_old_stat checks the
/// size, the inode and the ids).
fn old_stat_of(a: &Attr) -> Result<linux::stat, Errno> {
    if a.size > i32::MAX as u64 || a.nlink > 0xFFFF || a.uid > 0xFFFF || a.gid > 0xFFFF {
        return Err(Errno::EOVERFLOW);
    }
    let mut st: linux::stat = Plain::zeroed();
    st.st_dev = ROOT_DEV;
    st.st_ino = a.ino;
    st.st_mode = a.mode as u16;
    st.st_nlink = a.nlink as u16;
    st.st_uid = a.uid as u16;
    st.st_gid = a.gid as u16;
    st.st_rdev = a.rdev;
    st.st_size = a.size as u32;
    st.st_blksize = 4096;
    st.st_blocks = a.blocks as u32;
    (st.st_atime, st.st_atime_nsec) = (a.atime.sec as u32, a.atime.nsec);
    (st.st_mtime, st.st_mtime_nsec) = (a.mtime.sec as u32, a.mtime.nsec);
    (st.st_ctime, st.st_ctime_nsec) = (a.ctime.sec as u32, a.ctime.nsec);
    Ok(st)
}

/// stat (106) / lstat (107): the old structure.
pub fn old_stat(path: u32, buf: u32, follow: bool) -> SysResult {
    let flags = if follow { 0 } else { AT_SYMLINK_NOFOLLOW };
    let a = attr_of_inode(inode_at(super::path::AT_FDCWD, path, flags)?)?;
    out(buf, &old_stat_of(&a)?)
}

/// fstat (108): the old structure.
pub fn old_fstat(fd: u32, buf: u32) -> SysResult {
    let a = attr_of_node(file(fd)?.node)?;
    out(buf, &old_stat_of(&a)?)
}

/// statfs (99) / fstatfs (100): the 32-bit structure.
pub fn old_statfs(path: Option<u32>, fd: u32, buf: u32) -> SysResult {
    let ino = match path {
        Some(p) => inode_at(super::path::AT_FDCWD, p, 0)?,
        None => match file(fd)?.node {
            Node::Inode(ino) => ino,
            _ => crate::fs::tmpfs::ROOT,
        },
    };
    let s = statfs_now(ino);
    let mut o: linux::statfs = Plain::zeroed();
    o.f_type = s.f_type;
    o.f_bsize = s.f_bsize;
    o.f_blocks = s.f_blocks as u32;
    o.f_bfree = s.f_bfree as u32;
    o.f_bavail = s.f_bavail as u32;
    o.f_files = s.f_files as u32;
    o.f_ffree = s.f_ffree as u32;
    o.f_namelen = s.f_namelen;
    o.f_frsize = s.f_frsize;
    o.f_flags = s.f_flags;
    out(buf, &o)
}

fn out<T: Plain>(addr: u32, v: &T) -> SysResult {
    with_process(|p| uaccess::write(&mut p.mem, addr, v)).map(|_| 0)
}

/// stat64(path, buf): links followed.
pub fn stat64(path: u32, buf: u32) -> SysResult {
    fstatat64(super::path::AT_FDCWD, path, buf, 0)
}

/// lstat64(path, buf): a link itself.
pub fn lstat64(path: u32, buf: u32) -> SysResult {
    fstatat64(super::path::AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW)
}

pub fn fstat64(fd: u32, buf: u32) -> SysResult {
    let f = file(fd)?;
    out(buf, &stat64_of(&attr_of_node(f.node)?))
}

/// fstatat64(dirfd, path, buf, flags): AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH.
pub fn fstatat64(dirfd: i32, path: u32, buf: u32, flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800) != 0 {
        return Err(Errno::EINVAL);
    }
    let a = attr_at(dirfd, path, flags)?;
    out(buf, &stat64_of(&a))
}

/// The attributes of what `path` names; an empty path with AT_EMPTY_PATH
/// is `dirfd` itself (which may be a pipe or a device).
fn attr_at(dirfd: i32, path: u32, flags: u32) -> Result<Attr, Errno> {
    if flags & AT_EMPTY_PATH != 0 && read_path_str(path)?.is_empty() && dirfd != super::path::AT_FDCWD {
        return attr_of_node(file(dirfd as u32)?.node);
    }
    attr_of_inode(inode_at(dirfd, path, flags)?)
}

/// statx(dirfd, path, flags, mask, buf): the basic fields, whatever the
/// mask asks (as Linux may return more than asked).
pub fn statx(dirfd: i32, path: u32, flags: u32, mask: u32, buf: u32) -> SysResult {
    const STATX_BASIC_STATS: u32 = 0x7ff;
    const STATX_RESERVED: u32 = 0x8000_0000;
    const SYNC_TYPE: u32 = 0x6000;
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 | SYNC_TYPE) != 0
        || flags & SYNC_TYPE == SYNC_TYPE
        || mask & STATX_RESERVED != 0
    {
        return Err(Errno::EINVAL);
    }
    let a = attr_at(dirfd, path, flags)?;
    let ts = |t: Time| linux::statx_timestamp { tv_sec: t.sec, tv_nsec: t.nsec, __reserved: 0 };
    let mut x: linux::statx = Plain::zeroed();
    x.stx_mask = STATX_BASIC_STATS;
    x.stx_blksize = 4096;
    x.stx_nlink = a.nlink;
    x.stx_uid = a.uid;
    x.stx_gid = a.gid;
    x.stx_mode = a.mode as u16;
    x.stx_ino = u64::from(a.ino);
    x.stx_size = a.size;
    x.stx_blocks = a.blocks;
    (x.stx_atime, x.stx_mtime, x.stx_ctime) = (ts(a.atime), ts(a.mtime), ts(a.ctime));
    x.stx_rdev_major = a.rdev >> 8 & 0xfff;
    x.stx_rdev_minor = (a.rdev & 0xff) | (a.rdev >> 12 & !0xff);
    x.stx_dev_major = 0;
    x.stx_dev_minor = ROOT_DEV;
    out(buf, &x)
}

const X_OK: u32 = 1;

/// access(path, mode) / faccessat(dirfd, path, mode) / faccessat2: as
/// root, only execute is checked: some x bit, or a directory.
pub fn faccessat2(dirfd: i32, path: u32, mode: u32, flags: u32) -> SysResult {
    if mode & !7 != 0 || flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x200) != 0 {
        return Err(Errno::EINVAL);
    }
    let a = attr_of_inode(inode_at(dirfd, path, flags)?)?;
    if mode & X_OK != 0 && a.mode & S_IFMT != S_IFDIR && a.mode & 0o111 == 0 {
        return Err(Errno::EACCES);
    }
    Ok(0)
}

pub fn access(path: u32, mode: u32) -> SysResult {
    faccessat2(super::path::AT_FDCWD, path, mode, 0)
}

/// getcwd(buf, size): the length including the NUL, ERANGE if it does not
/// fit, ENOENT if the directory was removed.
pub fn getcwd(buf: u32, size: u32) -> SysResult {
    let mut path = root::path_of(cwd())?.into_bytes();
    path.push(0);
    if (size as usize) < path.len() {
        return Err(Errno::ERANGE);
    }
    with_process(|p| copy_out(&mut p.mem, buf, &path))?;
    Ok(path.len() as u32)
}

/// Makes directory `ino` the working directory (ENOTDIR otherwise).
fn change_dir(ino: Ino) -> SysResult {
    if !with_tree(|t| t.get(ino).is_some_and(|n| n.is_dir())) {
        return Err(Errno::ENOTDIR);
    }
    with_process(|p| p.fs.set_cwd(ino));
    Ok(0)
}

pub fn chdir(path: u32) -> SysResult {
    change_dir(inode_at(super::path::AT_FDCWD, path, 0)?)
}

pub fn fchdir(fd: u32) -> SysResult {
    match file(fd)?.node {
        Node::Inode(ino) => change_dir(ino),
        _ => Err(Errno::ENOTDIR),
    }
}

/// umask(mask): sets the mask (low 9 bits) and returns the old one.
pub fn umask(mask: u32) -> SysResult {
    Ok(with_process(|p| core::mem::replace(&mut p.fs.umask, mask & 0o777)))
}

/// Changes an inode's mode bits (the type bits stay).
fn set_mode(ino: Ino, mode: u32) -> SysResult {
    with_tree(|t| {
        let n = t.get_mut(ino).ok_or(Errno::ENOENT)?;
        n.mode = (n.mode & S_IFMT) | (mode & 0o7777);
        n.ctime = now();
        Ok(0)
    })
}

/// chmod / fchmodat(dirfd, path, mode): links followed.
pub fn fchmodat(dirfd: i32, path: u32, mode: u32) -> SysResult {
    set_mode(inode_at(dirfd, path, 0)?, mode)
}

pub fn fchmod(fd: u32, mode: u32) -> SysResult {
    match file(fd)?.node {
        Node::Inode(ino) => set_mode(ino, mode),
        _ => Ok(0),
    }
}

/// chown family: -1 leaves an id as it is.
fn set_owner(ino: Ino, uid: u32, gid: u32) -> SysResult {
    with_tree(|t| {
        let n = t.get_mut(ino).ok_or(Errno::ENOENT)?;
        if uid != u32::MAX {
            n.uid = uid;
        }
        if gid != u32::MAX {
            n.gid = gid;
        }
        // Any chown clears set-user-ID, and set-group-ID where group
        // execute makes it one (not a mandatory-locking mark), as Linux.
        if !n.is_dir() {
            n.mode &= !0o4000;
            if n.mode & 0o010 != 0 {
                n.mode &= !0o2000;
            }
        }
        n.ctime = now();
        Ok(0)
    })
}

/// fchownat(dirfd, path, uid, gid, flags); chown32 follows links, lchown32
/// does not.
pub fn fchownat(dirfd: i32, path: u32, uid: u32, gid: u32, flags: u32) -> SysResult {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    set_owner(inode_at(dirfd, path, flags)?, uid, gid)
}

pub fn fchown(fd: u32, uid: u32, gid: u32) -> SysResult {
    match file(fd)?.node {
        Node::Inode(ino) => set_owner(ino, uid, gid),
        _ => Ok(0),
    }
}

const UTIME_NOW: i64 = (1 << 30) - 1;
const UTIME_OMIT: i64 = (1 << 30) - 2;

/// utimensat(dirfd, path, times[2], flags) and the 64-bit-time form:
/// NULL times sets both to now; UTIME_NOW and UTIME_OMIT per field; a NULL
/// path sets the times of `dirfd` itself (futimens).
pub fn utimensat(dirfd: i32, path: u32, times: u32, flags: u32, time64: bool) -> SysResult {
    if flags & !(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH) != 0 {
        return Err(Errno::EINVAL);
    }
    let ino = if path == 0 {
        if dirfd == super::path::AT_FDCWD {
            return Err(Errno::EFAULT);
        }
        match file(dirfd as u32)?.node {
            Node::Inode(ino) => ino,
            _ => return Ok(0),
        }
    } else {
        inode_at(dirfd, path, flags)?
    };
    let mut t = [(0i64, UTIME_NOW); 2];
    if times != 0 {
        for (i, slot) in t.iter_mut().enumerate() {
            *slot = with_process(|p| -> Result<(i64, i64), Errno> {
                Ok(if time64 {
                    let v: linux::__kernel_timespec = uaccess::read(&mut p.mem, times + 16 * i as u32)?;
                    (v.tv_sec, i64::from(v.tv_nsec as i32))
                } else {
                    let v: linux::timespec = uaccess::read(&mut p.mem, times + 8 * i as u32)?;
                    (i64::from(v.tv_sec), i64::from(v.tv_nsec))
                })
            })?;
            let ns = slot.1;
            if ns != UTIME_NOW && ns != UTIME_OMIT && !(0..1_000_000_000).contains(&ns) {
                return Err(Errno::EINVAL);
            }
        }
    }
    let now = now();
    let pick = |(s, ns): (i64, i64), old: Time| match ns {
        UTIME_NOW => now,
        UTIME_OMIT => old,
        _ => Time { sec: s, nsec: ns as u32 },
    };
    with_tree(|tree| {
        let n = tree.get_mut(ino).ok_or(Errno::ENOENT)?;
        n.atime = pick(t[0], n.atime);
        n.mtime = pick(t[1], n.mtime);
        n.ctime = now;
        Ok(0)
    })
}

/// statfs of the file system `ino` lies in: its type (TMPFS_MAGIC,
/// PROC_SUPER_MAGIC) and mount flags; proc has no blocks or inodes.
fn statfs_now(ino: Ino) -> linux::statfs64 {
    let (magic, flags) = root::statfs_of(ino);
    let mem = crate::mm::phys::stats();
    let (used, files) = with_tree(|t| (t.pages_used, t.inode_count() as u64));
    let total = u64::from(mem.total) / 2;
    let mut s: linux::statfs64 = Plain::zeroed();
    s.f_type = magic;
    s.f_bsize = 4096;
    s.f_frsize = 4096;
    s.f_blocks = total;
    s.f_bfree = total.saturating_sub(used).min(u64::from(crate::mm::phys::user_frames_available()));
    s.f_bavail = s.f_bfree;
    s.f_files = total;
    s.f_ffree = total.saturating_sub(files);
    s.f_namelen = 255;
    // ST_VALID: the flags field is meaningful (Linux always sets it).
    // The mount's MS_* flags are ST_* flags with the same values, but
    // relatime (ST_RELATIME, 4096).
    let st_flags = flags & 0xFFF | if flags & crate::fs::mounts::MS_RELATIME != 0 { 4096 } else { 0 };
    s.f_flags = 0x20 | st_flags;
    if magic == crate::fs::mounts::PROC_SUPER_MAGIC {
        (s.f_blocks, s.f_bfree, s.f_bavail, s.f_files, s.f_ffree) = (0, 0, 0, 0, 0);
    }
    s
}

/// statfs64(path, size, buf) / fstatfs64(fd, size, buf): `size` must be
/// the structure's (84), as Linux checks.
pub fn statfs64(path: u32, size: u32, buf: u32) -> SysResult {
    if size as usize != core::mem::size_of::<linux::statfs64>() {
        return Err(Errno::EINVAL);
    }
    let ino = inode_at(super::path::AT_FDCWD, path, 0)?;
    out(buf, &statfs_now(ino))
}

pub fn fstatfs64(fd: u32, size: u32, buf: u32) -> SysResult {
    if size as usize != core::mem::size_of::<linux::statfs64>() {
        return Err(Errno::EINVAL);
    }
    let ino = match file(fd)?.node {
        Node::Inode(ino) => ino,
        _ => crate::fs::tmpfs::ROOT,
    };
    out(buf, &statfs_now(ino))
}

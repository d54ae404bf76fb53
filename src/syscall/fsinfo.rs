//! What files are, rather than what is in them: stat64/lstat64/fstat64,
//! access/faccessat, getcwd, chdir, umask. The file system is read-only and
//! everyone is root: modules are r-xr-xr-x regular files, directories
//! r-xr-xr-x, /dev/console and /dev/null character devices.

use super::abi::{Errno, SysResult};
use super::file::file;
use super::path::read_path;
use super::uaccess::{self, Plain, copy_out, read_cstr};
use crate::fs::{self, Node, PATH_MAX};
use crate::task::sched::with_process;
use memguard_abi::linux;

const S_IFIFO: u32 = 0o010000;
const S_IFCHR: u32 = 0o020000;
const S_IFDIR: u32 = 0o040000;
const S_IFREG: u32 = 0o100000;

/// (mode, rdev, inode, size) of a node.
fn attributes(node: Node) -> (u32, u32, u32, u64) {
    match node {
        Node::Module(i) => (S_IFREG | 0o555, 0, 100 + i as u32, fs::size(node)),
        Node::Directory => (S_IFDIR | 0o555, 0, 2, 4096),
        Node::Console => (S_IFCHR | 0o620, 5 << 8 | 1, 10, 0),
        Node::Null => (S_IFCHR | 0o666, 1 << 8 | 3, 11, 0),
        Node::PipeRead(id) | Node::PipeWrite(id) => (S_IFIFO | 0o600, 0, 1_000_000 + id, 0),
    }
}

/// What stat64 says about a node.
fn stat64_of(node: Node) -> linux::stat64 {
    let (mode, rdev, ino, size) = attributes(node);
    let boot = (crate::time::realtime_ns().saturating_sub(crate::time::monotonic_ns()) / 1_000_000_000) as u32;
    let mut st = linux::stat64::zeroed();
    st.st_dev = 1;
    st.__st_ino = ino;
    st.st_mode = mode;
    st.st_nlink = if mode & S_IFDIR != 0 { 2 } else { 1 };
    st.st_rdev = u64::from(rdev);
    st.st_size = size as i64;
    st.st_blksize = 4096;
    st.st_blocks = size.div_ceil(512);
    (st.st_atime, st.st_mtime, st.st_ctime) = (boot, boot, boot);
    st.st_ino = u64::from(ino);
    st
}

fn out<T: Plain>(addr: u32, v: &T) -> SysResult {
    with_process(|p| uaccess::write(&mut p.mem, addr, v)).map(|_| 0)
}

/// stat64 and lstat64 (there are no symbolic links, so they agree).
pub fn stat64(path: u32, buf: u32) -> SysResult {
    let node = fs::lookup(&read_path(path)?)?;
    out(buf, &stat64_of(node))
}

pub fn fstat64(fd: u32, buf: u32) -> SysResult {
    let f = file(fd)?;
    out(buf, &stat64_of(f.node))
}

const W_OK: u32 = 2;
const X_OK: u32 = 1;

/// access(path, mode) / faccessat(AT_FDCWD or an absolute path): as root,
/// only writing (EROFS on the read-only files) and executing /dev/* or a
/// pipe (EACCES) are refused.
pub fn access(path: u32, mode: u32) -> SysResult {
    if mode & !7 != 0 {
        return Err(Errno::EINVAL);
    }
    let node = fs::lookup(&read_path(path)?)?;
    match node {
        Node::Module(_) | Node::Directory if mode & W_OK != 0 => Err(Errno::EROFS),
        Node::Console | Node::Null if mode & X_OK != 0 => Err(Errno::EACCES),
        _ => Ok(0),
    }
}

const AT_FDCWD: i32 = -100;

pub fn faccessat(dirfd: i32, path: u32, mode: u32) -> SysResult {
    let p = with_process(|p| read_cstr(&mut p.mem, path, PATH_MAX, Errno::ENAMETOOLONG))?;
    if dirfd != AT_FDCWD && !p.starts_with('/') {
        // Relative to a directory descriptor: only "/" can be one here.
        let f = file(dirfd as u32)?;
        if f.node != Node::Directory {
            return Err(Errno::ENOTDIR);
        }
    }
    access(path, mode)
}

/// getcwd(buf, size): the length including the NUL, ERANGE if it does not
/// fit.
pub fn getcwd(buf: u32, size: u32) -> SysResult {
    let mut cwd = with_process(|p| p.fs.cwd.clone()).into_bytes();
    cwd.push(0);
    if (size as usize) < cwd.len() {
        return Err(Errno::ERANGE);
    }
    with_process(|p| copy_out(&mut p.mem, buf, &cwd))?;
    Ok(cwd.len() as u32)
}

/// chdir(path): to a directory (ENOTDIR for a file).
pub fn chdir(path: u32) -> SysResult {
    let p = read_path(path)?;
    let (canonical, kind) = fs::path::resolve(&p, fs::kind_of)?;
    match kind {
        fs::path::Kind::Directory => with_process(|p| p.fs.cwd = canonical),
        fs::path::Kind::File => return Err(Errno::ENOTDIR),
        fs::path::Kind::Missing => return Err(Errno::ENOENT),
    }
    Ok(0)
}

/// umask(mask): sets the mask (low 9 bits) and returns the old one.
pub fn umask(mask: u32) -> SysResult {
    Ok(with_process(|p| core::mem::replace(&mut p.fs.umask, mask & 0o777)))
}

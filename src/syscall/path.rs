//! Paths as a process names them: read from user memory, and the directory
//! a relative one starts from (the working directory, or a directory
//! descriptor for the *at calls).

use super::abi::Errno;
use super::uaccess::read_cstr;
use crate::fs::tmpfs::{Follow, Ino, Walk};
use crate::fs::{Node, PATH_MAX, root};
use crate::task::sched::with_process;
use alloc::string::String;

/// The *at calls' "relative to the working directory".
pub const AT_FDCWD: i32 = -100;
pub const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
pub const AT_REMOVEDIR: u32 = 0x200;
pub const AT_SYMLINK_FOLLOW: u32 = 0x400;
pub const AT_EMPTY_PATH: u32 = 0x1000;

/// The open file behind descriptor `fd` (EBADF).
fn descriptor(fd: u32) -> Result<alloc::sync::Arc<crate::fs::OpenFile>, Errno> {
    with_process(|p| p.files.get(fd).cloned())
}

/// A path argument from user memory (ENAMETOOLONG past PATH_MAX, EFAULT).
pub fn read_path_str(addr: u32) -> Result<String, Errno> {
    with_process(|p| read_cstr(&mut p.mem, addr, PATH_MAX, Errno::ENAMETOOLONG))
}

/// The working directory.
pub fn cwd() -> Ino {
    with_process(|p| p.fs.cwd)
}

/// Where a relative path given with `dirfd` starts: the working directory
/// for AT_FDCWD, else the directory the descriptor is (EBADF, ENOTDIR).
pub fn start_of(dirfd: i32) -> Result<Ino, Errno> {
    if dirfd == AT_FDCWD {
        return Ok(cwd());
    }
    let f = descriptor(dirfd as u32)?;
    match f.node {
        Node::Inode(ino) if root::with_tree(|t| t.get(ino).is_some_and(|n| n.is_dir())) => Ok(ino),
        _ => Err(Errno::ENOTDIR),
    }
}

/// Reads the path at `addr` and walks it from `dirfd` (an absolute path
/// ignores `dirfd`, as on Linux).
pub fn walk_at(dirfd: i32, addr: u32, follow: Follow) -> Result<Walk, Errno> {
    let path = read_path_str(addr)?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let start = if path.starts_with('/') { crate::fs::tmpfs::ROOT } else { start_of(dirfd)? };
    root::walk(start, &path, follow)
}

/// The inode a path names (ENOENT if none), from `dirfd`; with
/// AT_EMPTY_PATH an empty path names `dirfd` itself.
pub fn inode_at(dirfd: i32, addr: u32, flags: u32) -> Result<Ino, Errno> {
    let path = read_path_str(addr)?;
    if path.is_empty() && flags & AT_EMPTY_PATH != 0 {
        return match dirfd {
            AT_FDCWD => Ok(cwd()),
            fd => match descriptor(fd as u32)?.node {
                Node::Inode(ino) => Ok(ino),
                _ => Err(Errno::EBADF),
            },
        };
    }
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let follow = if flags & AT_SYMLINK_NOFOLLOW != 0 { Follow::No } else { Follow::Yes };
    let start = if path.starts_with('/') { crate::fs::tmpfs::ROOT } else { start_of(dirfd)? };
    root::walk(start, &path, follow)?.ino.ok_or(Errno::ENOENT)
}

/// `path` as an absolute path: a relative one joined to the path of the
/// directory it starts from (for exec, which names files by path).
pub fn absolute_at(dirfd: i32, path: &str) -> Result<String, Errno> {
    if path.starts_with('/') {
        return Ok(String::from(path));
    }
    let dir = root::path_of(start_of(dirfd)?)?;
    Ok(alloc::format!("{}/{path}", if dir == "/" { "" } else { dir.as_str() }))
}

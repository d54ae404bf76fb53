//! mount(2), umount2(2) and the old umount: proc, tmpfs and devtmpfs on
//! any directory, with Linux 6.1's order of checks (fs/namespace.c):
//! the type, source and data strings are copied first (EFAULT), then the
//! target is looked up (ENOENT, ENOTDIR, ELOOP …), then the flags and the
//! type are judged (EINVAL, ENODEV), then the target must be a directory
//! (ENOTDIR). Everyone is root, so EPERM never comes.

use super::abi::{Errno, SysResult};
use super::path::{AT_FDCWD, read_path_str};
use super::uaccess::{read_cstr, strncpy_from_user};
use crate::fs::mounts::{self, FsKind, Mount};
use crate::fs::root;
use crate::fs::tmpfs::Follow;
use crate::task::sched::with_process;
use alloc::string::String;
use alloc::vec::Vec;

const MS_REMOUNT: u32 = 32;
const MS_BIND: u32 = 4096;
const MS_MOVE: u32 = 8192;
const MS_UNBINDABLE: u32 = 1 << 17;
const MS_PRIVATE: u32 = 1 << 18;
const MS_SLAVE: u32 = 1 << 19;
const MS_SHARED: u32 = 1 << 20;
const MS_NOUSER: u32 = 1 << 31;
/// The old "magic" in the high half of the flags, discarded.
const MS_MGC_VAL: u32 = 0xC0ED_0000;
const MS_MGC_MSK: u32 = 0xFFFF_0000;
/// The flags a mount keeps (shown in /proc/mounts).
const KEPT: u32 = mounts::MS_RDONLY
    | mounts::MS_NOSUID
    | mounts::MS_NODEV
    | mounts::MS_NOEXEC
    | mounts::MS_SYNCHRONOUS
    | mounts::MS_DIRSYNC
    | mounts::MS_NOATIME
    | mounts::MS_NODIRATIME
    | mounts::MS_RELATIME
    | mounts::MS_STRICTATIME
    | mounts::MS_LAZYTIME;

const MNT_FORCE: u32 = 1;
const MNT_DETACH: u32 = 2;
const MNT_EXPIRE: u32 = 4;
const UMOUNT_NOFOLLOW: u32 = 8;

/// copy_mount_string: NULL stays NULL; a string longer than a page is
/// EINVAL (strndup_user), one that cannot be read EFAULT.
fn mount_string(addr: u32) -> Result<Option<String>, Errno> {
    if addr == 0 {
        return Ok(None);
    }
    with_process(|p| read_cstr(&mut p.mem, addr, 4096, Errno::EINVAL)).map(Some)
}

/// copy_mount_options: up to a page of data, EFAULT only if none of it
/// can be read; the options are the bytes before a NUL.
fn mount_data(addr: u32) -> Result<Vec<u8>, Errno> {
    if addr == 0 {
        return Ok(Vec::new());
    }
    with_process(|p| strncpy_from_user(&mut p.mem, addr, 4095))
}

/// mount(source, target, type, flags, data).
pub fn mount(source: u32, target: u32, fstype: u32, flags: u32, data: u32) -> SysResult {
    let fstype = mount_string(fstype)?;
    let source = mount_string(source)?;
    let data = mount_data(data)?;
    let path = read_path_str(target)?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let start = if path.starts_with('/') { crate::fs::tmpfs::ROOT } else { super::path::start_of(AT_FDCWD)? };
    let at = root::walk(start, &path, Follow::Yes)?.ino.ok_or(Errno::ENOENT)?;
    let flags = if flags & MS_MGC_MSK == MS_MGC_VAL { flags & !MS_MGC_MSK } else { flags };
    if flags & MS_NOUSER != 0 {
        return Err(Errno::EINVAL);
    }
    if flags & MS_REMOUNT != 0 {
        if flags & MS_BIND != 0 || !root::is_mount_root(at) {
            return Err(Errno::EINVAL);
        }
        return root::remount(at, flags & KEPT).map(|_| 0);
    }
    // Bind and move mounts are not kept here.
    if flags & (MS_BIND | MS_MOVE) != 0 {
        return Err(Errno::EINVAL);
    }
    // No propagation between mounts exists: changing its type is a no-op.
    if flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE) != 0 {
        return if root::is_mount_root(at) { Ok(0) } else { Err(Errno::EINVAL) };
    }
    let fstype = fstype.ok_or(Errno::EINVAL)?;
    // Mounting over the root itself is not supported (Linux allows it).
    if at == crate::fs::tmpfs::ROOT {
        return Err(Errno::EBUSY);
    }
    let kind = FsKind::by_name(fstype.as_bytes()).ok_or(Errno::ENODEV)?;
    let options = mounts::parse_options(kind, &data)?;
    let m = Mount {
        root: 0,
        kind,
        source: source.unwrap_or_else(|| String::from("none")),
        flags: mounts::with_default_atime((flags | options.flags) & KEPT),
        options: options.shown,
    };
    root::mount(at, m, options.mode).map(|_| 0)
}

/// umount2(target, flags): MNT_DETACH leaves what is open to live on;
/// MNT_EXPIRE only marks the mount the first time (EAGAIN).
pub fn umount2(target: u32, flags: u32) -> SysResult {
    if flags & !(MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW) != 0 {
        return Err(Errno::EINVAL);
    }
    let path = read_path_str(target)?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let follow = if flags & UMOUNT_NOFOLLOW != 0 { Follow::No } else { Follow::Yes };
    let start = if path.starts_with('/') { crate::fs::tmpfs::ROOT } else { super::path::start_of(AT_FDCWD)? };
    let at = root::walk(start, &path, follow)?.ino.ok_or(Errno::ENOENT)?;
    if !root::is_mount_root(at) || at == crate::fs::tmpfs::ROOT {
        return Err(Errno::EINVAL);
    }
    // MNT_EXPIRE: a busy mount is EBUSY; an idle one is only marked
    // (EAGAIN); the mark is not kept here, so a second call says EAGAIN too.
    if flags & MNT_EXPIRE != 0 {
        if flags & (MNT_FORCE | MNT_DETACH) != 0 {
            return Err(Errno::EINVAL);
        }
        return Err(if root::mount_busy(at) { Errno::EBUSY } else { Errno::EAGAIN });
    }
    root::umount(at, flags & MNT_DETACH != 0).map(|_| 0)
}

/// The old umount(target) of i386: umount2 with no flags.
pub fn umount(target: u32) -> SysResult {
    umount2(target, 0)
}

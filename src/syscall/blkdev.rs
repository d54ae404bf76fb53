//! read, write, pread64, pwrite64, lseek, ioctl and fsync on a disk's
//! block-device file (/dev/vda): byte-exact at any offset, as Linux's
//! block-device page cache makes it; the arithmetic is `dev::blkio`, the
//! requests `dev::blk`. A device error is EIO for this caller only (a
//! partial count if some bytes moved first).

use super::abi::{Errno, SysResult};
use super::uaccess::{self, Plain};
use crate::dev::blk::{self, IoError};
use crate::dev::blkio::{self, BlkAnswer};
use crate::fs::OpenFile;
use crate::task::sched::with_process;

fn disk() -> Result<blk::DiskInfo, Errno> {
    blk::info().ok_or(Errno::ENXIO)
}

fn errno(e: IoError) -> Errno {
    match e {
        IoError::Device | IoError::Queue => Errno::EIO,
        IoError::NoDevice => Errno::ENXIO,
    }
}

/// The position a transfer starts at: pread's, or the description's.
fn start(f: &OpenFile, at: Option<u64>) -> u64 {
    at.unwrap_or_else(|| *f.offset.lock())
}

/// How many of `total` bytes a read at the file's position can return.
pub fn readable(f: &OpenFile, at: Option<u64>, total: u32) -> Result<u32, Errno> {
    Ok(blkio::clip_read(start(f, at), u64::from(total), disk()?.bytes()) as u32)
}

/// Reads into `data` (already clipped by `readable`), moving the offset
/// unless `at` is given. The offset lock is not held while the task
/// sleeps for the device.
pub fn read(f: &OpenFile, at: Option<u64>, data: &mut [u8]) -> Result<usize, Errno> {
    let pos = start(f, at);
    let (n, r) = blk::read_at(pos, data);
    if n == 0 {
        r.map_err(errno)?;
    }
    if at.is_none() {
        *f.offset.lock() = pos + n as u64;
    }
    Ok(n)
}

/// Linux's checks before a write of `total` bytes: EPERM on a read-only
/// disk, ENOSPC at or past its end.
pub fn check_write(f: &OpenFile, at: Option<u64>, total: u32) -> Result<(), Errno> {
    let d = disk()?;
    blkio::clip_write(start(f, at), u64::from(total), d.bytes(), d.read_only).map(|_| ())
}

/// Writes `data` (or what fits before the end), moving the offset unless
/// `at` is given; returns how many bytes were written.
pub fn write(f: &OpenFile, data: &[u8], at: Option<u64>) -> Result<usize, Errno> {
    let d = disk()?;
    let pos = start(f, at);
    let len = blkio::clip_write(pos, data.len() as u64, d.bytes(), d.read_only)? as usize;
    let (n, r) = blk::write_at(pos, &data[..len]);
    if n == 0 && len > 0 {
        r.map_err(errno)?;
    }
    if at.is_none() {
        *f.offset.lock() = pos + n as u64;
    }
    Ok(n)
}

/// lseek's new position from `pos`: inside the disk (blkio::seek).
pub fn seek(pos: u64, offset: i64, whence: u32) -> Result<u64, Errno> {
    blkio::seek(pos, offset, whence, disk()?.bytes())
}

/// The BLK* ioctls (BLKGETSIZE64, BLKGETSIZE, BLKSSZGET, ...): the answer
/// written at `arg`; ENOTTY for anything else.
pub fn ioctl(request: u32, arg: u32) -> SysResult {
    let d = disk()?;
    match blkio::ioctl(request, d.sectors, d.read_only)? {
        BlkAnswer::U32(v) => out(arg, &v),
        BlkAnswer::U64(v) => out(arg, &v),
        BlkAnswer::Flush => fsync(),
    }
}

fn out<T: Plain>(addr: u32, v: &T) -> SysResult {
    with_process(|p| uaccess::write(&mut p.mem, addr, v)).map(|_| 0)
}

/// fsync and fdatasync.
pub fn fsync() -> SysResult {
    blk::sync().map(|_| 0).map_err(errno)
}

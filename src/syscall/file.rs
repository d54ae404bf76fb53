//! read, write, open, close, lseek, _llseek, dup, dup2, readv, writev, ioctl.
//! Files are boot modules (read-only), the console and /dev/null.

use super::abi::{Errno, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_RDONLY, O_TRUNC, SEEK_CUR, SEEK_END, SEEK_SET, SysResult};
use super::uaccess::{copy_in, copy_out, read_cstr};
use crate::arch::x86::exception::Access;
use crate::console;
use crate::fs::{self, Fd, Node, OpenFile, PATH_MAX};
use crate::task::process::Wait;
use crate::task::sched::{self, with_process};
use crate::task::lifecycle::signal_pending;
use alloc::sync::Arc;
use alloc::vec::Vec;
use spin::Mutex;

/// Bytes moved per step between user memory and a device.
const CHUNK: usize = 4096;

fn file(fd: u32) -> Result<Arc<OpenFile>, Errno> {
    with_process(|p| p.files.get(fd).cloned())
}

/// read(fd, buf, count). The console blocks until at least one byte has
/// arrived and returns what is there (it is raw: no echo, no line editing),
/// or 0 at an end-of-input character (^D).
pub fn read(fd: u32, buf: u32, count: u32) -> SysResult {
    let f = file(fd)?;
    if !f.readable {
        return Err(Errno::EBADF);
    }
    if f.node == Node::Directory {
        return Err(Errno::EISDIR);
    }
    with_process(|p| p.mem.ensure(buf, count, Access::Write))?;
    if count == 0 {
        return Ok(0);
    }
    let mut data = alloc::vec![0u8; (count as usize).min(CHUNK * 16)];
    let n = match f.node {
        Node::Null => 0,
        Node::Console => read_console(&mut data)?,
        Node::Module(i) => {
            let mut off = f.offset.lock();
            let n = fs::read_module(i, *off, &mut data);
            *off += n as u64;
            n
        }
        Node::Directory => unreachable!("checked above"),
    };
    with_process(|p| copy_out(&mut p.mem, buf, &data[..n]))?;
    Ok(n as u32)
}

/// End of input, as a terminal's VEOF: a read at the start returns 0.
/// tools/qemu-run.sh sends one when piped input runs out.
const EOF_CHAR: u8 = 0x04;

fn read_console(data: &mut [u8]) -> Result<usize, Errno> {
    loop {
        let mut n = 0;
        while n < data.len() {
            match console::serial::read_byte() {
                Some(EOF_CHAR) if n == 0 => return Ok(0),
                Some(EOF_CHAR) => {
                    // Deliver what came before; the next read sees the EOF.
                    console::serial::unread(EOF_CHAR);
                    return Ok(n);
                }
                Some(b) => {
                    data[n] = b;
                    n += 1;
                }
                None => break,
            }
        }
        if n > 0 {
            return Ok(n);
        }
        if signal_pending() {
            return Err(Errno::EINTR);
        }
        sched::sleep(Wait::ConsoleInput);
    }
}

/// write(fd, buf, count): the whole buffer must be readable (EFAULT first,
/// before anything is written).
pub fn write(fd: u32, buf: u32, count: u32) -> SysResult {
    let f = file(fd)?;
    if !f.writable {
        return Err(Errno::EBADF);
    }
    with_process(|p| p.mem.ensure(buf, count, Access::Read))?;
    let mut done = 0u32;
    let mut chunk = alloc::vec![0u8; CHUNK.min(count as usize)];
    while done < count {
        let n = (count - done).min(CHUNK as u32) as usize;
        with_process(|p| copy_in(&mut p.mem, buf + done, &mut chunk[..n]))?;
        if f.node == Node::Console {
            console::write_bytes(&chunk[..n]);
        }
        done += n as u32;
    }
    Ok(count)
}

/// open(path, flags): files are read-only (EROFS for write access or
/// creation), directories can be opened but not read.
pub fn open(path: u32, flags: u32) -> SysResult {
    let path = with_process(|p| read_cstr(&mut p.mem, path, PATH_MAX, Errno::ENAMETOOLONG))?;
    let write_access = flags & O_ACCMODE != O_RDONLY;
    let node = match fs::lookup(&path) {
        Ok(n) => n,
        Err(Errno::ENOENT) if flags & O_CREAT != 0 && !path.is_empty() => return Err(Errno::EROFS),
        Err(e) => return Err(e),
    };
    match node {
        Node::Directory if write_access => return Err(Errno::EISDIR),
        Node::Module(_) if flags & O_DIRECTORY != 0 => return Err(Errno::ENOTDIR),
        Node::Module(_) if write_access || flags & O_TRUNC != 0 => return Err(Errno::EROFS),
        _ => {}
    }
    let writable = write_access && matches!(node, Node::Console | Node::Null);
    let readable = flags & O_ACCMODE != 1;
    let file = Arc::new(OpenFile { node, readable, writable, offset: Mutex::new(0) });
    with_process(|p| p.files.install(Fd { file, cloexec: flags & O_CLOEXEC != 0 }))
}

pub fn close(fd: u32) -> SysResult {
    with_process(|p| p.files.close(fd)).map(|_| 0)
}

fn seek(fd: u32, offset: i64, whence: u32) -> Result<u64, Errno> {
    let f = file(fd)?;
    let base = match f.node {
        Node::Module(_) | Node::Null | Node::Directory => match whence {
            SEEK_SET => 0,
            SEEK_CUR => *f.offset.lock() as i64,
            SEEK_END => fs::size(f.node) as i64,
            _ => return Err(Errno::EINVAL),
        },
        Node::Console => return Err(Errno::ESPIPE),
    };
    let new = base.checked_add(offset).filter(|&n| n >= 0).ok_or(Errno::EINVAL)?;
    *f.offset.lock() = new as u64;
    Ok(new as u64)
}

/// lseek: 32-bit offsets (EOVERFLOW is impossible: modules are < 4 GiB).
pub fn lseek(fd: u32, offset: i32, whence: u32) -> SysResult {
    seek(fd, i64::from(offset), whence).map(|n| n as u32)
}

/// _llseek(fd, high, low, result*, whence).
pub fn llseek(fd: u32, high: u32, low: u32, result: u32, whence: u32) -> SysResult {
    let off = ((u64::from(high) << 32) | u64::from(low)) as i64;
    let new = seek(fd, off, whence)?;
    with_process(|p| copy_out(&mut p.mem, result, &new.to_le_bytes()))?;
    Ok(0)
}

pub fn dup(fd: u32) -> SysResult {
    with_process(|p| {
        let d = p.files.dup_of(fd)?;
        p.files.install(d)
    })
}

pub fn dup2(old: u32, new: u32) -> SysResult {
    with_process(|p| {
        let d = p.files.dup_of(old)?;
        if old == new {
            return Ok(new);
        }
        p.files.install_at(new, d)
    })
}

/// ioctl: no terminal control here; ENOTTY for every request on an open fd
/// (so isatty() says "not a terminal").
pub fn ioctl(fd: u32) -> SysResult {
    file(fd)?;
    Err(Errno::ENOTTY)
}

/// The iovec array (base, len pairs), checked.
fn iovecs(iov: u32, count: u32) -> Result<Vec<(u32, u32)>, Errno> {
    if count > 1024 {
        return Err(Errno::EINVAL);
    }
    let mut raw = alloc::vec![0u8; count as usize * 8];
    with_process(|p| copy_in(&mut p.mem, iov, &mut raw))?;
    let v: Vec<(u32, u32)> = raw
        .chunks(8)
        .map(|c| (u32::from_le_bytes([c[0], c[1], c[2], c[3]]), u32::from_le_bytes([c[4], c[5], c[6], c[7]])))
        .collect();
    if v.iter().try_fold(0u32, |acc, &(_, l)| acc.checked_add(l).filter(|&t| t <= i32::MAX as u32)).is_none() {
        return Err(Errno::EINVAL);
    }
    Ok(v)
}

pub fn writev(fd: u32, iov: u32, count: u32) -> SysResult {
    let mut total = 0;
    for (base, len) in iovecs(iov, count)? {
        total += write(fd, base, len)?;
    }
    Ok(total)
}

pub fn readv(fd: u32, iov: u32, count: u32) -> SysResult {
    let mut total = 0;
    for (base, len) in iovecs(iov, count)? {
        let n = read(fd, base, len)?;
        total += n;
        if n < len {
            break;
        }
    }
    Ok(total)
}

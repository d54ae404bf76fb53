//! read, write, open, close, lseek, _llseek, dup, dup2, readv, writev.
//! Files are boot modules (read-only), the console and /dev/null.

use super::abi::{
    Errno, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NONBLOCK, O_TRUNC, SEEK_CUR, SEEK_END, SEEK_SET,
    SysResult,
};
use super::uaccess::{self, accessible_prefix, copy_in, copy_out, read_cstr};
use crate::arch::x86::exception::Access;
use crate::console;
use crate::fs::{self, Fd, Node, OpenFile, PATH_MAX};
use crate::task::lifecycle::interrupted;
use crate::task::process::Wait;
use crate::task::sched::SCHED;
use crate::task::sched::{self, with_process};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use memguard_abi::linux;

pub(super) fn file(fd: u32) -> Result<Arc<OpenFile>, Errno> {
    with_process(|p| p.files.get(fd).cloned())
}

/// Linux's MAX_RW_COUNT: one read or write moves at most this much.
const MAX_RW_COUNT: u32 = 0x7FFF_F000;
/// Linux's UIO_MAXIOV.
const IOV_MAX: u32 = 1024;
/// The console takes output in chunks of this size, all or nothing, as
/// Linux's tty layer does.
const TTY_CHUNK: u32 = 2048;

/// The most one console read returns (Linux's tty buffer).
const CONSOLE_READ_MAX: u32 = 4096;

/// One user buffer of a read or write: (address, length).
type Segment = (u32, u32);

/// Linux's checks before any I/O: the buffers lie below the kernel half
/// (EFAULT), no length is negative as a signed size (EINVAL); the total is
/// clamped to MAX_RW_COUNT. Mapping is checked later, as data moves.
fn check_segments(segs: &mut [Segment]) -> Result<u32, Errno> {
    let mut total = 0u32;
    for seg in segs.iter_mut() {
        if (seg.1 as i32) < 0 {
            return Err(Errno::EINVAL);
        }
        super::uaccess::user_range(seg.0, seg.1)?;
        seg.1 = seg.1.min(MAX_RW_COUNT - total);
        total += seg.1;
    }
    Ok(total)
}

/// read(fd, buf, count).
pub fn read(fd: u32, buf: u32, count: u32) -> SysResult {
    readv_segments(fd, &mut [(buf, count)])
}

/// write(fd, buf, count).
pub fn write(fd: u32, buf: u32, count: u32) -> SysResult {
    writev_segments(fd, &mut [(buf, count)])
}

/// Reads into `segs` in order. The console blocks until at least one byte
/// has arrived and returns what is there (raw: no echo, no line editing), or
/// 0 at an end-of-input character (^D). A file read stops at the first
/// buffer page that cannot be written: partial count, or EFAULT if none.
fn readv_segments(fd: u32, segs: &mut [Segment]) -> SysResult {
    let f = file(fd)?;
    if !f.readable {
        return Err(Errno::EBADF);
    }
    let total = check_segments(segs)?;
    let want = match f.node {
        Node::Directory => return Err(Errno::EISDIR),
        Node::Null | Node::PipeWrite(_) => return Ok(0),
        Node::Module(_) => (fs::size(f.node).saturating_sub(*f.offset.lock()) as u32).min(total),
        // A terminal or pipe read returns what is there, at most a buffer's
        // worth: only that much of the user's buffer is faulted in.
        Node::Console => total.min(CONSOLE_READ_MAX),
        Node::PipeRead(_) => total.min(fs::pipe::CAPACITY as u32),
    };
    if want == 0 {
        return Ok(0);
    }
    // Only as much as the buffers can take is read from the source.
    let room = with_process(|p| {
        let mut room = 0;
        for &(base, len) in segs.iter() {
            let ok = accessible_prefix(&mut p.mem, base, len.min(want - room), Access::Write);
            room += ok;
            if ok < len || room == want {
                break;
            }
        }
        room
    });
    if room == 0 {
        return Err(Errno::EFAULT);
    }
    let mut data = alloc::vec![0u8; room as usize];
    let n = match f.node {
        Node::Console => read_console(&mut data)?,
        Node::PipeRead(id) => read_pipe(&f, id, &mut data)?,
        Node::Module(i) => {
            let mut off = f.offset.lock();
            let n = fs::read_module(i, *off, &mut data);
            *off += n as u64;
            n
        }
        _ => unreachable!("handled above"),
    };
    scatter(segs, &data[..n])?;
    Ok(n as u32)
}

/// Copies `data` out across `segs` (already made accessible).
fn scatter(segs: &[Segment], data: &[u8]) -> Result<(), Errno> {
    let mut done = 0usize;
    for &(base, len) in segs {
        if done == data.len() {
            break;
        }
        let n = (len as usize).min(data.len() - done);
        with_process(|p| copy_out(&mut p.mem, base, &data[done..done + n]))?;
        done += n;
    }
    Ok(())
}

/// Writes `segs` in order. /dev/null takes everything without reading it.
/// The console is fed in chunks; a chunk that cannot be read whole ends the
/// write (a partial count, or EFAULT if nothing was written).
fn writev_segments(fd: u32, segs: &mut [Segment]) -> SysResult {
    let f = file(fd)?;
    if !f.writable {
        return Err(Errno::EBADF);
    }
    let total = check_segments(segs)?;
    let chunk_size = match f.node {
        Node::Console => TTY_CHUNK,
        Node::PipeWrite(_) => fs::pipe::PIPE_BUF as u32,
        _ => return Ok(total),
    };
    let mut written = 0u32;
    let mut chunk = alloc::vec::Vec::with_capacity(TTY_CHUNK as usize);
    let (mut seg, mut off) = (0usize, 0u32);
    while written < total {
        chunk.clear();
        // Gather the next chunk across segments; any unreadable byte fails it.
        let gathered = with_process(|p| -> Result<(), Errno> {
            while chunk.len() < chunk_size as usize && seg < segs.len() {
                let (base, len) = segs[seg];
                let n = (len - off).min(chunk_size - chunk.len() as u32);
                let at = chunk.len();
                chunk.resize(at + n as usize, 0);
                copy_in(&mut p.mem, base + off, &mut chunk[at..])?;
                off += n;
                if off == len {
                    seg += 1;
                    off = 0;
                }
            }
            Ok(())
        });
        if let Err(e) = gathered {
            return if written > 0 { Ok(written) } else { Err(e) };
        }
        match f.node {
            Node::PipeWrite(id) => match write_pipe(&f, id, &chunk) {
                Ok(n) if n == chunk.len() => {}
                Ok(n) => return Ok(written + n as u32),
                Err(e) => return if written > 0 { Ok(written) } else { Err(e) },
            },
            _ => console::write_bytes(&chunk),
        }
        written += chunk.len() as u32;
    }
    Ok(written)
}

/// Reads what the pipe has, waiting while it is empty and has a writer.
fn read_pipe(f: &OpenFile, id: u32, data: &mut [u8]) -> Result<usize, Errno> {
    loop {
        match fs::pipe::read(id, data) {
            fs::pipe::ReadResult::Data(n) => {
                SCHED.lock().wake_all(Wait::Pipe);
                return Ok(n);
            }
            fs::pipe::ReadResult::Eof => return Ok(0),
            fs::pipe::ReadResult::Empty if f.nonblock.load(Ordering::Relaxed) => return Err(Errno::EAGAIN),
            fs::pipe::ReadResult::Empty => {
                if interrupted() {
                    return Err(Errno::ERESTARTSYS);
                }
                sched::sleep(Wait::Pipe);
            }
        }
    }
}

/// Writes all of `chunk` into the pipe, waiting for room. With no reader
/// left: SIGPIPE for the writer, and EPIPE. Returns bytes written when a
/// signal or O_NONBLOCK cuts it short after some went in.
fn write_pipe(f: &OpenFile, id: u32, chunk: &[u8]) -> Result<usize, Errno> {
    let mut done = 0;
    while done < chunk.len() {
        match fs::pipe::write(id, &chunk[done..]) {
            fs::pipe::WriteResult::Wrote(n) => {
                done += n;
                SCHED.lock().wake_all(Wait::Pipe);
            }
            fs::pipe::WriteResult::Broken => {
                crate::task::lifecycle::raise(memguard_abi::Signal::SIGPIPE);
                return if done > 0 { Ok(done) } else { Err(Errno::EPIPE) };
            }
            fs::pipe::WriteResult::Full if done > 0 && f.nonblock.load(Ordering::Relaxed) => return Ok(done),
            fs::pipe::WriteResult::Full if f.nonblock.load(Ordering::Relaxed) => return Err(Errno::EAGAIN),
            fs::pipe::WriteResult::Full => {
                if interrupted() {
                    return if done > 0 { Ok(done) } else { Err(Errno::ERESTARTSYS) };
                }
                sched::sleep(Wait::Pipe);
            }
        }
    }
    Ok(done)
}

/// End of input, as a terminal's VEOF: a read at the start returns 0.
/// tools/qemu-run.sh sends one when piped input runs out.
pub(super) const EOF_CHAR: u8 = 0x04;

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
        if interrupted() {
            return Err(Errno::ERESTARTSYS);
        }
        sched::sleep(Wait::ConsoleInput);
    }
}

/// open(path, flags): files are read-only, so write access or creation is
/// EROFS; directories open but cannot be read (EISDIR).
pub fn open(path: u32, flags: u32) -> SysResult {
    let path = with_process(|p| read_cstr(&mut p.mem, path, PATH_MAX, Errno::ENAMETOOLONG))?;
    let path = super::path::absolute(&path);
    let accmode = flags & O_ACCMODE;
    let write_access = accmode == 1 || accmode == 2;
    let node = match fs::lookup_or_missing(&path)? {
        None if flags & O_CREAT != 0 => return Err(Errno::EROFS),
        None => return Err(Errno::ENOENT),
        Some(node) => node,
    };
    if flags & (O_CREAT | O_EXCL) == O_CREAT | O_EXCL {
        return Err(Errno::EEXIST);
    }
    match node {
        Node::Directory if write_access || flags & O_CREAT != 0 => return Err(Errno::EISDIR),
        Node::Directory => {}
        _ if flags & O_DIRECTORY != 0 => return Err(Errno::ENOTDIR),
        Node::Module(_) if write_access || flags & O_TRUNC != 0 => return Err(Errno::EROFS),
        _ => {}
    }
    let readable = accmode == 0 || accmode == 2;
    let file = OpenFile::new(node, readable, write_access);
    file.nonblock.store(flags & O_NONBLOCK != 0, Ordering::Relaxed);
    with_process(|p| p.files.install(Fd { file, cloexec: flags & O_CLOEXEC != 0 }))
}

pub fn close(fd: u32) -> SysResult {
    with_process(|p| p.files.close(fd)).map(|_| 0)
}

const SEEK_DATA: u32 = 3;
const SEEK_HOLE: u32 = 4;

/// The new offset; the file's offset moves even when lseek then reports
/// EOVERFLOW, as on Linux.
fn seek(fd: u32, offset: i64, whence: u32) -> Result<u64, Errno> {
    let f = file(fd)?;
    if whence > SEEK_HOLE {
        return Err(Errno::EINVAL);
    }
    let size = fs::size(f.node) as i64;
    let mut pos = f.offset.lock();
    let new = match f.node {
        Node::Console | Node::PipeRead(_) | Node::PipeWrite(_) => return Err(Errno::ESPIPE),
        Node::Null => 0,
        Node::Module(_) | Node::Directory => match whence {
            SEEK_SET => offset,
            SEEK_CUR => (*pos as i64).checked_add(offset).ok_or(Errno::EINVAL)?,
            SEEK_END => size.checked_add(offset).ok_or(Errno::EINVAL)?,
            // The whole file is data; the only hole is at its end.
            SEEK_DATA if (0..size).contains(&offset) => offset,
            SEEK_HOLE if (0..size).contains(&offset) => size,
            _ if offset < 0 => return Err(Errno::EINVAL),
            _ => return Err(Errno::ENXIO),
        },
    };
    if new < 0 {
        return Err(Errno::EINVAL);
    }
    *pos = new as u64;
    Ok(new as u64)
}

/// lseek: EOVERFLOW when the result does not fit a 32-bit off_t.
pub fn lseek(fd: u32, offset: i32, whence: u32) -> SysResult {
    let new = seek(fd, i64::from(offset), whence)?;
    u32::try_from(new).ok().filter(|&n| n <= i32::MAX as u32).ok_or(Errno::EOVERFLOW)
}

/// _llseek(fd, high, low, result*, whence): 64-bit offsets.
pub fn llseek(fd: u32, high: u32, low: u32, result: u32, whence: u32) -> SysResult {
    let off = ((u64::from(high) << 32) | u64::from(low)) as i64;
    let new = seek(fd, off, whence)?;
    with_process(|p| uaccess::write(&mut p.mem, result, &new))?;
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

/// The iovec array: at most IOV_MAX entries (EINVAL), readable (EFAULT).
fn iovecs(iov: u32, count: u32) -> Result<Vec<Segment>, Errno> {
    if count > IOV_MAX {
        return Err(Errno::EINVAL);
    }
    let v: Vec<linux::iovec> = with_process(|p| uaccess::read_array(&mut p.mem, iov, count as usize))?;
    Ok(v.iter().map(|s| (s.iov_base as u32, s.iov_len)).collect())
}

pub fn writev(fd: u32, iov: u32, count: u32) -> SysResult {
    file(fd)?;
    writev_segments(fd, &mut iovecs(iov, count)?)
}

pub fn readv(fd: u32, iov: u32, count: u32) -> SysResult {
    file(fd)?;
    readv_segments(fd, &mut iovecs(iov, count)?)
}

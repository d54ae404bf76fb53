//! sendfile and sendfile64: bytes from a regular file to a file, a pipe,
//! the console or /dev/null without a trip through user memory, as
//! Linux's do_sendfile checks and moves them (fs/read_write.c, splice.c).

use super::abi::{Errno, SysResult};
use super::file::{FILE_CHUNK, MAX_RW_COUNT, file, io_node, write_chunk};
use super::uaccess;
use crate::fs::{self, Node, OpenFile};
use crate::task::lifecycle::interrupted;
use crate::task::process::Wait;
use crate::task::sched::{self, SCHED, with_process};
use alloc::vec::Vec;
use core::sync::atomic::Ordering;

/// sendfile(out, in, offset, count) (`wide` false: a 32-bit off_t, and
/// offsets stop at 2 GiB) and sendfile64 (a 64-bit loff_t). With `offset`
/// the input is read from there and the pointer moved on (the file's own
/// offset stays); without, from the file's offset, which moves. The
/// pointer is written back even when the copy fails, as Linux does.
pub fn sendfile(out_fd: u32, in_fd: u32, offset: u32, count: u32, wide: bool) -> SysResult {
    if offset == 0 {
        return send(out_fd, in_fd, None, count, None);
    }
    let mut pos = with_process(|p| -> Result<i64, Errno> {
        Ok(if wide {
            uaccess::read::<u64>(&mut p.mem, offset)? as i64
        } else {
            i64::from(uaccess::read_u32(&mut p.mem, offset)? as i32)
        })
    })?;
    let max = if wide { None } else { Some(fs::tmpfs::MAX_NON_LFS) };
    let r = send(out_fd, in_fd, Some(&mut pos), count, max);
    with_process(|p| {
        if wide {
            uaccess::write(&mut p.mem, offset, &(pos as u64))
        } else {
            uaccess::write_u32(&mut p.mem, offset, pos as u32)
        }
    })?;
    r
}

/// Linux's do_sendfile: the input is checked first (EBADF; ESPIPE for an
/// offset on what cannot pread; EINVAL for a negative position or count),
/// then the output (EBADF), the size limit (EOVERFLOW), and then either a
/// pipe is filled with what fits, or the input, which must be a regular
/// file (EINVAL), is copied until `count` or its end.
fn send(out_fd: u32, in_fd: u32, at: Option<&mut i64>, count: u32, max: Option<u64>) -> SysResult {
    let inf = file(in_fd)?;
    if !inf.readable {
        return Err(Errno::EBADF);
    }
    let in_node = io_node(&inf, false);
    let seekable = !matches!(in_node, Node::Console | Node::PipeRead(_) | Node::PipeWrite(_));
    if at.is_some() && !seekable {
        return Err(Errno::ESPIPE);
    }
    let start = match &at {
        Some(p) => **p,
        None => *inf.offset.lock() as i64,
    };
    if (count as i32) < 0 || start < 0 || start.checked_add(i64::from(count)).is_none() {
        return Err(Errno::EINVAL);
    }
    let mut count = count.min(MAX_RW_COUNT);
    let outf = file(out_fd)?;
    if !outf.writable {
        return Err(Errno::EBADF);
    }
    let out_node = io_node(&outf, true);
    let is_pipe = |n: Node| matches!(n, Node::PipeRead(_) | Node::PipeWrite(_));
    // s_maxbytes: a pipe's pseudo file system stops at 2 GiB, tmpfs not.
    let max = max.unwrap_or(if is_pipe(in_node) || is_pipe(out_node) {
        fs::tmpfs::MAX_NON_LFS
    } else {
        fs::tmpfs::MAX_FILE_SIZE
    });
    let start = start as u64;
    if start + u64::from(count) > max {
        if start >= max {
            return Err(Errno::EOVERFLOW);
        }
        count = (max - start) as u32;
    }
    let moved = match out_node {
        Node::PipeWrite(id) => send_to_pipe(in_node, &outf, id, start, count)?,
        _ => send_direct(in_node, &outf, out_node, start, count)?,
    };
    let end = start + moved as u64;
    match at {
        Some(p) => *p = end as i64,
        None if moved > 0 => *inf.offset.lock() = end,
        None => {}
    }
    if end > max { Err(Errno::EOVERFLOW) } else { Ok(moved) }
}

/// Reads up to `len` bytes of the regular file `node` at `pos`; None for
/// what is not a regular file.
fn read_regular(node: Node, pos: u64, len: u32) -> Option<Vec<u8>> {
    let Node::Inode(ino) = node else { return None };
    let regular = fs::root::with_tree(|t| t.get(ino).is_some_and(|n| n.kind() == fs::tmpfs::S_IFREG));
    if !regular {
        return None;
    }
    let mut data = alloc::vec![0u8; len as usize];
    let n = fs::root::read(ino, pos, &mut data);
    data.truncate(n);
    Some(data)
}

/// sendfile into a pipe (Linux's splice_file_to_pipe): waits for room as
/// a write would (EPIPE and SIGPIPE without a reader, EAGAIN with
/// O_NONBLOCK), then moves what the free pages of the pipe take.
fn send_to_pipe(in_node: Node, outf: &OpenFile, id: u32, pos: u64, count: u32) -> Result<u32, Errno> {
    let room = loop {
        if fs::pipe::broken(id) {
            crate::task::lifecycle::raise(memguard_abi::Signal::SIGPIPE);
            return Err(Errno::EPIPE);
        }
        let room = fs::pipe::state(id).room;
        if room >= fs::pipe::PIPE_BUF {
            break room;
        }
        if outf.nonblock.load(Ordering::Relaxed) {
            return Err(Errno::EAGAIN);
        }
        if interrupted() {
            return Err(Errno::ERESTARTSYS);
        }
        sched::sleep(Wait::Pipe);
    };
    let len = count.min((room / fs::pipe::PIPE_BUF * fs::pipe::PIPE_BUF) as u32);
    let data = read_regular(in_node, pos, len).ok_or(Errno::EINVAL)?;
    if data.is_empty() {
        return Ok(0);
    }
    let n = match fs::pipe::write(id, &data) {
        fs::pipe::WriteResult::Wrote(n) => n,
        _ => 0,
    };
    SCHED.lock().wake_all(Wait::Pipe);
    Ok(n as u32)
}

/// sendfile to anything but a pipe (Linux's do_splice_direct): not to an
/// O_APPEND file, only from a regular file, and only to what can take a
/// splice (files, the console, /dev/null); copied in pieces until `count`
/// is done, the input ends or a write falls short.
fn send_direct(in_node: Node, outf: &OpenFile, out_node: Node, pos: u64, count: u32) -> Result<u32, Errno> {
    if outf.append.load(Ordering::Relaxed) {
        return Err(Errno::EINVAL);
    }
    if read_regular(in_node, pos, 0).is_none() || !matches!(out_node, Node::Inode(_) | Node::Console | Node::Null) {
        return Err(Errno::EINVAL);
    }
    let mut done = 0u32;
    while done < count {
        let data = read_regular(in_node, pos + u64::from(done), (count - done).min(FILE_CHUNK)).unwrap_or_default();
        if data.is_empty() {
            break;
        }
        let n = match write_chunk(outf, out_node, &data, None) {
            Ok(n) => n as u32,
            Err(e) if done == 0 => return Err(e),
            Err(_) => break,
        };
        done += n;
        if (n as usize) < data.len() {
            break;
        }
    }
    Ok(done)
}

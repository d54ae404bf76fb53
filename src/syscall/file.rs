//! read, write, pread64, pwrite64, open, openat, creat, close, lseek,
//! _llseek, dup, dup2, dup3, readv, writev: on tmpfs files
//! (boot modules and O_TMPFILE files included), directories, the console,
//! the devices of /dev, pipes and FIFOs (a FIFO's description reads and
//! writes the pipe its inode has while open, `fs::pipe`).

use super::abi::{
    Errno, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NONBLOCK, O_TRUNC, SEEK_CUR, SEEK_END, SEEK_SET,
    SysResult,
};
use super::uaccess::{self, accessible_prefix, copy_in, copy_out};
use crate::arch::x86::exception::Access;
use crate::console;
use crate::fs::{self, Fd, Node, OpenFile};
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

/// What a read (`write` false) or a write of `f` goes to: a FIFO's
/// description reads and writes its pipe; anything else its own node.
pub(super) fn io_node(f: &OpenFile, write: bool) -> Node {
    match f.node {
        Node::Inode(ino) if f.readable || f.writable => match fs::pipe::fifo_of(ino) {
            Some(id) if write => Node::PipeWrite(id),
            Some(id) => Node::PipeRead(id),
            None => f.node,
        },
        node => node,
    }
}

/// Linux's MAX_RW_COUNT: one read or write moves at most this much.
pub(super) const MAX_RW_COUNT: u32 = 0x7FFF_F000;
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
    readv_segments(fd, &mut [(buf, count)], None)
}

/// write(fd, buf, count).
pub fn write(fd: u32, buf: u32, count: u32) -> SysResult {
    writev_segments(fd, &mut [(buf, count)], None)
}

/// Reads into `segs` in order. The console blocks until at least one byte
/// has arrived and returns what is there (raw: no echo, no line editing), or
/// 0 at an end-of-input character (^D). A file read stops at the first
/// buffer page that cannot be written: partial count, or EFAULT if none.
/// `at`: pread's position (the description's offset stays).
fn readv_segments(fd: u32, segs: &mut [Segment], at: Option<u64>) -> SysResult {
    let f = file(fd)?;
    if !f.readable {
        return Err(Errno::EBADF);
    }
    let total = check_segments(segs)?;
    crate::task::swapd::prefetch_segments(segs);
    let node = io_node(&f, false);
    let want = match node {
        Node::Inode(ino) if is_dir(ino) => return Err(Errno::EISDIR),
        Node::Null | Node::PipeWrite(_) => return Ok(0),
        Node::Inode(_) => {
            let pos = at.unwrap_or_else(|| *f.offset.lock());
            (fs::size(f.node).saturating_sub(pos).min(u64::from(total))) as u32
        }
        Node::Zero | Node::Full | Node::Random => total.min(CONSOLE_READ_MAX * 16),
        // A terminal or pipe read returns what is there, at most a buffer's
        // worth: only that much of the user's buffer is faulted in.
        Node::Console => total.min(CONSOLE_READ_MAX),
        Node::PipeRead(_) => total.min(fs::pipe::CAPACITY as u32),
        Node::Block => super::blkdev::readable(&f, at, total)?,
    };
    if want == 0 {
        return Ok(0);
    }
    if let Node::Inode(ino) = node
        && fs::root::reads_direct(ino)
    {
        return read_file_direct(&f, ino, segs, want, at);
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
    let (mut small, mut big) = ([0u8; SMALL_IO], Vec::new());
    let data = io_buffer(&mut small, &mut big, room as usize);
    let n = match node {
        Node::Console => read_console(&f, data)?,
        Node::PipeRead(id) => read_pipe(&f, id, data)?,
        Node::Inode(ino) if at.is_some() => fs::root::read(ino, at.unwrap_or(0), data),
        Node::Inode(ino) => {
            let mut off = f.offset.lock();
            let n = fs::root::read(ino, *off, data);
            *off += n as u64;
            n
        }
        Node::Block => super::blkdev::read(&f, at, data)?,
        Node::Zero | Node::Full => data.len(),
        Node::Random => {
            random_fill(data);
            data.len()
        }
        _ => unreachable!("handled above"),
    };
    scatter(segs, &data[..n])?;
    Ok(n as u32)
}

/// Reads `want` bytes of tmpfs file `ino` (at `at`, or the description's
/// offset, which moves) straight into `segs`, page by page with no buffer
/// between; stops at the first buffer page that cannot be written: partial
/// count, or EFAULT if none.
fn read_file_direct(f: &OpenFile, ino: fs::tmpfs::Ino, segs: &[Segment], want: u32, at: Option<u64>) -> SysResult {
    let mut offset = at.is_none().then(|| f.offset.lock());
    let mut pos = at.unwrap_or_else(|| offset.as_deref().copied().unwrap_or(0));
    let mut got = 0u32;
    for &(base, len) in segs {
        let len = len.min(want - got);
        let (n, short) = with_process(|p| {
            uaccess::with_accessible(&mut p.mem, base, len, Access::Write, |user| {
                let mut done = 0;
                fs::root::read_with(ino, pos, user.len(), |bytes| {
                    user.write(done, bytes);
                    done += bytes.len();
                });
                (done as u32, done < len as usize)
            })
        })?;
        got += n;
        pos += u64::from(n);
        if short || got == want {
            break;
        }
    }
    if got == 0 {
        return Err(Errno::EFAULT);
    }
    if let Some(off) = offset.as_deref_mut() {
        *off = pos;
    }
    Ok(got)
}

/// Reads and writes of at most this many bytes go through a buffer on the
/// kernel stack, not the heap (a pipe's or terminal's byte or line).
const SMALL_IO: usize = 512;

/// A zeroed buffer of `len` bytes: `small` if it fits, else `big` grown.
fn io_buffer<'a>(small: &'a mut [u8; SMALL_IO], big: &'a mut Vec<u8>, len: usize) -> &'a mut [u8] {
    if len <= SMALL_IO {
        &mut small[..len]
    } else {
        big.resize(len, 0);
        &mut big[..]
    }
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
/// `at`: pwrite's position (the description's offset stays).
fn writev_segments(fd: u32, segs: &mut [Segment], at: Option<u64>) -> SysResult {
    let f = file(fd)?;
    if !f.writable {
        return Err(Errno::EBADF);
    }
    let total = check_segments(segs)?;
    crate::task::swapd::prefetch_segments(segs);
    let node = io_node(&f, true);
    if node == Node::Console {
        super::tty::may_write()?;
    }
    let chunk_size = match node {
        Node::Console => TTY_CHUNK,
        Node::PipeWrite(_) => fs::pipe::PIPE_BUF as u32,
        Node::Inode(_) => FILE_CHUNK,
        Node::Block => super::blkdev::check_write(&f, at, total).map(|_| FILE_CHUNK)?,
        Node::Full if total > 0 => return Err(Errno::ENOSPC),
        _ => return Ok(total),
    };
    if let Node::Inode(ino) = node {
        return write_file_direct(&f, ino, segs, at);
    }
    let mut written = 0u32;
    let (mut small, mut big) = ([0u8; SMALL_IO], Vec::new());
    // No chunk is longer than the whole write.
    let buf = io_buffer(&mut small, &mut big, chunk_size.min(total) as usize);
    let (mut seg, mut off) = (0usize, 0u32);
    while written < total {
        // Gather the next chunk across segments; any unreadable byte fails it.
        let mut len = 0usize;
        let gathered = with_process(|p| -> Result<(), Errno> {
            while len < buf.len() && seg < segs.len() {
                let (base, seg_len) = segs[seg];
                let n = (seg_len - off).min((buf.len() - len) as u32);
                copy_in(&mut p.mem, base + off, &mut buf[len..len + n as usize])?;
                len += n as usize;
                off += n;
                if off == seg_len {
                    seg += 1;
                    off = 0;
                }
            }
            Ok(())
        });
        if let Err(e) = gathered {
            return if written > 0 { Ok(written) } else { Err(e) };
        }
        let chunk = &buf[..len];
        match write_chunk(&f, node, chunk, at.map(|a| a + u64::from(written))) {
            Ok(n) if n == chunk.len() => {}
            Ok(n) => return Ok(written + n as u32),
            Err(e) => return if written > 0 { Ok(written) } else { Err(e) },
        }
        written += chunk.len() as u32;
    }
    Ok(written)
}

/// Writes one chunk to `node` (what `f` writes to): a file at `at` or the
/// description's offset, a pipe (waiting for room), or the console.
pub(super) fn write_chunk(f: &OpenFile, node: Node, chunk: &[u8], at: Option<u64>) -> Result<usize, Errno> {
    match node {
        Node::Inode(ino) => write_file(f, ino, chunk, at),
        Node::Block => super::blkdev::write(f, chunk, at),
        Node::PipeWrite(id) => write_pipe(f, id, chunk),
        Node::Console => {
            console::write_bytes(chunk);
            Ok(chunk.len())
        }
        _ => Ok(chunk.len()),
    }
}

/// A file write moves through the kernel in pieces of this size.
pub(super) const FILE_CHUNK: u32 = 64 * 1024;

fn is_dir(ino: fs::tmpfs::Ino) -> bool {
    fs::root::with_tree(|t| t.get(ino).is_some_and(|n| n.is_dir()))
}

/// Writes `segs` to tmpfs file `ino` straight from the user's buffers, in
/// pieces of FILE_CHUNK within a segment: a piece that cannot be read whole
/// ends the write (a partial count, or EFAULT if nothing was written).
fn write_file_direct(f: &OpenFile, ino: fs::tmpfs::Ino, segs: &[Segment], at: Option<u64>) -> SysResult {
    let mut written = 0u32;
    for &(base, len) in segs {
        let mut off = 0u32;
        while off < len {
            let n = (len - off).min(FILE_CHUNK);
            let pos = at.map(|a| a + u64::from(written));
            make_room(n as usize);
            let r = with_process(|p| {
                uaccess::with_accessible(&mut p.mem, base + off, n, Access::Read, |user| {
                    if user.len() < n as usize {
                        return Err(Errno::EFAULT);
                    }
                    let mut done = 0;
                    write_file_with(f, ino, n as usize, pos, |to| {
                        user.read(done, to);
                        done += to.len();
                    })
                })
            });
            match r.and_then(|r| r) {
                Ok(k) if k == n as usize => {}
                Ok(k) => return Ok(written + k as u32),
                Err(e) => return if written > 0 { Ok(written) } else { Err(e) },
            }
            written += n;
            off += n;
        }
    }
    Ok(written)
}

/// Writes `data` to a tmpfs file at the description's offset (at the end
/// with O_APPEND), moving the offset; a boot module's file becomes an
/// ordinary one first.
fn write_file(f: &OpenFile, ino: fs::tmpfs::Ino, data: &[u8], at: Option<u64>) -> Result<usize, Errno> {
    make_room(data.len());
    let mut done = 0;
    write_file_with(f, ino, data.len(), at, |to| {
        to.copy_from_slice(&data[done..done + to.len()]);
        done += to.len();
    })
}

/// The pages a write of `len` bytes may add (a partial page at either end),
/// freed first if memory is short: older file pages may go to swap. Not
/// inside `with_process` (reclaim may take pages of this process).
fn make_room(len: usize) {
    crate::task::swapd::make_room(len.div_ceil(fs::pages::PAGE) as u32 + 1);
}

/// `write_file` of `len` bytes that `source` supplies in order (as
/// `Tmpfs::write_with`); `make_room` comes first.
fn write_file_with(
    f: &OpenFile,
    ino: fs::tmpfs::Ino,
    len: usize,
    at: Option<u64>,
    source: impl FnMut(&mut [u8]),
) -> Result<usize, Errno> {
    fs::root::make_writable(ino)?;
    let append = f.append.load(Ordering::Relaxed);
    // pwrite on an O_APPEND description appends too, as Linux does.
    if let Some(pos) = at {
        let pos = if append { fs::size(f.node) } else { pos };
        return fs::root::with_tree(|t| t.write_with(ino, pos, limit(f, pos, len)?, fs::root::now(), source));
    }
    let mut off = f.offset.lock();
    if append {
        *off = fs::size(f.node);
    }
    let n = fs::root::with_tree(|t| t.write_with(ino, *off, limit(f, *off, len)?, fs::root::now(), source))?;
    *off += n as u64;
    Ok(n)
}

/// Without O_LARGEFILE a write may not reach 2 GiB: EFBIG at the limit,
/// cut short before it (Linux's generic_write_check_limits).
fn limit(f: &OpenFile, pos: u64, len: usize) -> Result<usize, Errno> {
    if f.largefile.load(Ordering::Relaxed) {
        return Ok(len);
    }
    let max = fs::tmpfs::MAX_NON_LFS;
    if pos >= max {
        return Err(Errno::EFBIG);
    }
    Ok(len.min((max - pos) as usize))
}

/// Bytes for /dev/random and /dev/urandom (xorshift from the TSC: not
/// cryptographic, as getrandom here is not).
fn random_fill(buf: &mut [u8]) {
    let mut x = crate::time::monotonic_ns() | 1;
    for b in buf.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
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

/// Whether a console read would return at once: what poll and select
/// report as readable (a whole line in canonical mode, VMIN bytes in raw).
pub(super) fn console_readable() -> bool {
    console::tty::readable()
}

/// The console reads through its line discipline (`tty::read`).
fn read_console(f: &OpenFile, data: &mut [u8]) -> Result<usize, Errno> {
    super::tty::read(f, data)
}

const O_NOFOLLOW: u32 = 0o400_000;
const O_LARGEFILE: u32 = 0o100_000;
const O_APPEND: u32 = 0o2000;
const O_PATH: u32 = 0o10_000_000;
/// O_TMPFILE is __O_TMPFILE with O_DIRECTORY (so that old kernels refuse
/// it as a directory opened for writing).
const O_TMPFILE: u32 = 0o20_200_000;
const O_TMPFILE_BIT: u32 = 0o20_000_000;

/// open(path, flags, mode).
pub fn open(path: u32, flags: u32, mode: u32) -> SysResult {
    openat(super::path::AT_FDCWD, path, flags, mode)
}

/// creat(path, mode) = open(path, O_CREAT|O_WRONLY|O_TRUNC, mode).
pub fn creat(path: u32, mode: u32) -> SysResult {
    openat(super::path::AT_FDCWD, path, O_CREAT | 1 | O_TRUNC, mode)
}

/// openat(dirfd, path, flags, mode), as Linux's do_filp_open decides:
/// O_CREAT makes a regular file (mode & ~umask) where the last component
/// is missing, O_EXCL insists on it (and does not follow a final link),
/// O_NOFOLLOW refuses a final link (ELOOP), O_DIRECTORY a non-directory
/// (ENOTDIR), writing a directory is EISDIR, O_TRUNC empties a file opened
/// for writing.
pub fn openat(dirfd: i32, path: u32, flags: u32, mode: u32) -> SysResult {
    use fs::tmpfs::{Data, Follow, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG};
    let p = super::path::read_path_str(path)?;
    // Linux ≥ 6.4 semantics, which Debian's 6.1 carries: no creating a
    // directory by open.
    if flags & (O_CREAT | O_DIRECTORY) == O_CREAT | O_DIRECTORY {
        return Err(Errno::EINVAL);
    }
    let accmode = flags & O_ACCMODE;
    let write_access = accmode == 1 || accmode == 2;
    // O_TMPFILE needs O_DIRECTORY with it and write access (Linux's
    // build_open_flags; O_ACCMODE 3 counts as both).
    if flags & O_TMPFILE_BIT != 0 && (flags & O_TMPFILE != O_TMPFILE || accmode == 0) {
        return Err(Errno::EINVAL);
    }
    let start = if p.starts_with('/') { fs::tmpfs::ROOT } else { super::path::start_of(dirfd)? };
    if flags & O_TMPFILE_BIT != 0 {
        return open_tmpfile(start, &p, flags, mode);
    }
    let creat = flags & O_CREAT != 0;
    let excl = creat && flags & O_EXCL != 0;
    let follow = if flags & O_NOFOLLOW != 0 || excl { Follow::No } else { Follow::Yes };
    let w = fs::root::walk(start, &p, follow)?;
    // /proc's files are generated: nothing may write or make them.
    if (write_access || creat || flags & O_TRUNC != 0) && fs::root::in_proc(w.parent) {
        return Err(Errno::EACCES);
    }
    let ino = match w.ino {
        None if !creat => return Err(Errno::ENOENT),
        None if w.trailing_slash => return Err(Errno::EISDIR),
        None => {
            let mode = S_IFREG | (mode & 0o7777 & !with_process(|p| p.fs.umask));
            let data = Data::File { pages: Default::default(), size: 0 };
            fs::root::with_tree(|t| t.create(w.parent, &w.name, mode, data, fs::root::now()))?
        }
        Some(_) if excl => return Err(Errno::EEXIST),
        Some(ino) => ino,
    };
    let kind = fs::root::with_tree(|t| t.get(ino).map(|n| n.mode & S_IFMT)).ok_or(Errno::ENOENT)?;
    // A running program's file may not change: writing or truncating it
    // is ETXTBSY (Linux's deny_write_access).
    if (write_access || flags & O_TRUNC != 0) && kind == S_IFREG && crate::task::lifecycle::running(ino) {
        return Err(Errno::ETXTBSY);
    }
    match kind {
        S_IFLNK if flags & O_PATH == 0 => return Err(Errno::ELOOP),
        S_IFDIR if write_access || creat || flags & O_TRUNC != 0 => return Err(Errno::EISDIR),
        S_IFDIR => {}
        _ if flags & O_DIRECTORY != 0 => return Err(Errno::ENOTDIR),
        // O_TRUNC empties a regular file whatever the access mode (Linux).
        S_IFREG if flags & O_TRUNC != 0 => {
            fs::root::make_writable(ino)?;
            fs::root::with_tree(|t| t.truncate(ino, 0, fs::root::now()))?;
        }
        _ => {}
    }
    let node = fs::root::node_of(ino)?;
    if node == Node::Console {
        super::tty::may_open(fs::root::with_tree(|t| t.get(ino).map_or(0, |n| n.rdev)))?;
    }
    let readable = accmode == 0 || accmode == 2;
    if kind == S_IFIFO && flags & O_PATH == 0 {
        return open_fifo(ino, readable, write_access, flags);
    }
    // An O_PATH description of a FIFO holds no end of its pipe.
    let (readable, writable) = if kind == S_IFIFO { (false, false) } else { (readable, write_access) };
    install(OpenFile::new(node, readable, writable), flags)
}

/// Sets a new description's status flags and gives it the lowest free
/// descriptor.
fn install(file: Arc<OpenFile>, flags: u32) -> SysResult {
    file.nonblock.store(flags & O_NONBLOCK != 0, Ordering::Relaxed);
    file.append.store(flags & O_APPEND != 0, Ordering::Relaxed);
    file.largefile.store(flags & O_LARGEFILE != 0, Ordering::Relaxed);
    with_process(|p| p.files.install(Fd { file, cloexec: flags & O_CLOEXEC != 0 }))
}

/// Opens FIFO `ino` as its pipe (`fs::pipe::fifo_open` decides), then
/// waits for the partner it needs: a reader for a writer, a writer for a
/// reader. A signal ends the wait (ERESTARTSYS) and closes the ends again.
fn open_fifo(ino: fs::tmpfs::Ino, readable: bool, writable: bool, flags: u32) -> SysResult {
    let opened = fs::pipe::fifo_open(ino, readable, writable, flags & O_NONBLOCK != 0)?;
    let file = OpenFile::new(Node::Inode(ino), readable, writable);
    file.seen_writers.store(opened.seen_writers, Ordering::Relaxed);
    // A partner waiting for this end may go on.
    SCHED.lock().wake_all(Wait::Pipe);
    if let Some(partner) = opened.wait {
        while !fs::pipe::partner_came(opened.id, partner) {
            if interrupted() {
                return Err(Errno::ERESTARTSYS);
            }
            sched::sleep(Wait::Pipe);
        }
    }
    install(file, flags)
}

/// O_TMPFILE: a nameless regular file in directory `path` (ENOENT,
/// ENOTDIR; EOPNOTSUPP in /proc, which has no such files), mode & ~umask,
/// held only by the new descriptor. Without O_EXCL, linkat(fd, "", ...,
/// AT_EMPTY_PATH) may give it a name.
fn open_tmpfile(start: fs::tmpfs::Ino, path: &str, flags: u32, mode: u32) -> SysResult {
    use fs::tmpfs::Follow;
    let follow = if flags & O_NOFOLLOW != 0 { Follow::No } else { Follow::Yes };
    let dir = fs::root::walk(start, path, follow)?.ino.ok_or(Errno::ENOENT)?;
    if !is_dir(dir) {
        return Err(Errno::ENOTDIR);
    }
    if fs::root::in_proc(dir) {
        return Err(Errno::EOPNOTSUPP);
    }
    let mode = mode & !with_process(|p| p.fs.umask);
    let linkable = flags & O_EXCL == 0;
    let (readable, writable) = match flags & O_ACCMODE {
        1 => (false, true),
        2 => (true, true),
        _ => (false, false),
    };
    // Held by the description at once: nothing frees it in between, as
    // only a close or an unlink of that inode looks for unheld inodes.
    let ino = fs::root::with_tree(|t| t.create_unnamed(mode, linkable, fs::root::now()));
    install(OpenFile::new(Node::Inode(ino), readable, writable), flags)
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
    let new = match io_node(&f, false) {
        Node::Console | Node::PipeRead(_) | Node::PipeWrite(_) => return Err(Errno::ESPIPE),
        Node::Null | Node::Zero | Node::Full | Node::Random => 0,
        Node::Block => super::blkdev::seek(*pos, offset, whence)? as i64,
        Node::Inode(_) => match whence {
            SEEK_SET => offset,
            SEEK_CUR => (*pos as i64).checked_add(offset).ok_or(Errno::EINVAL)?,
            SEEK_END => size.checked_add(offset).ok_or(Errno::EINVAL)?,
            // The whole file is data; the only hole is at its end.
            // Page-granular over the file's pages, as tmpfs answers;
            // anything outside the file is ENXIO (negative offsets too).
            SEEK_DATA | SEEK_HOLE if offset < 0 => return Err(Errno::ENXIO),
            SEEK_DATA | SEEK_HOLE => {
                let Node::Inode(ino) = f.node else { return Err(Errno::ENXIO) };
                fs::root::with_tree(|t| t.seek_data(ino, offset as u64, whence == SEEK_HOLE))? as i64
            }
            _ => return Err(Errno::EINVAL),
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

/// dup3(old, new, flags): as dup2, but old == new is EINVAL and O_CLOEXEC
/// is the only flag.
pub fn dup3(old: u32, new: u32, flags: u32) -> SysResult {
    if flags & !O_CLOEXEC != 0 || old == new {
        return Err(Errno::EINVAL);
    }
    with_process(|p| {
        let mut d = p.files.dup_of(old)?;
        d.cloexec = flags & O_CLOEXEC != 0;
        p.files.install_at(new, d)
    })
}

/// pread64(fd, buf, count, offset): at `offset`, leaving the file's
/// offset alone; ESPIPE on what cannot seek.
pub fn pread64(fd: u32, buf: u32, count: u32, offset: i64) -> SysResult {
    positioned(fd, buf, count, offset, false)
}

/// pwrite64(fd, buf, count, offset).
pub fn pwrite64(fd: u32, buf: u32, count: u32, offset: i64) -> SysResult {
    positioned(fd, buf, count, offset, true)
}

fn positioned(fd: u32, buf: u32, count: u32, offset: i64, write: bool) -> SysResult {
    let f = file(fd)?;
    if (write && !f.writable) || (!write && !f.readable) {
        return Err(Errno::EBADF);
    }
    if offset < 0 {
        return Err(Errno::EINVAL);
    }
    let Node::Inode(ino) = io_node(&f, write) else {
        return match f.node {
            Node::Null | Node::Zero | Node::Full | Node::Random if !write => read(fd, buf, count),
            Node::Null | Node::Zero | Node::Random => Ok(count),
            Node::Full => Err(Errno::ENOSPC),
            Node::Block if write => writev_segments(fd, &mut [(buf, count)], Some(offset as u64)),
            Node::Block => readv_segments(fd, &mut [(buf, count)], Some(offset as u64)),
            _ => Err(Errno::ESPIPE),
        };
    };
    if is_dir(ino) {
        return Err(Errno::EISDIR);
    }
    let segs = &mut [(buf, count)];
    if write { writev_segments(fd, segs, Some(offset as u64)) } else { readv_segments(fd, segs, Some(offset as u64)) }
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
    writev_segments(fd, &mut iovecs(iov, count)?, None)
}

pub fn readv(fd: u32, iov: u32, count: u32) -> SysResult {
    file(fd)?;
    readv_segments(fd, &mut iovecs(iov, count)?, None)
}

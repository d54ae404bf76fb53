//! Pipes: a 64 KiB byte queue between a read end and a write end, as Linux's
//! (pipe(7)). Open-file descriptions count the ends; when the last write end
//! closes, readers see end-of-file; when the last read end closes, writers
//! get EPIPE and SIGPIPE. Blocked readers and writers sleep on `Wait::Pipe`.
//!
//! A FIFO (a tmpfs node of type S_IFIFO) opens as a pipe too: the first
//! open makes one for its inode, every later open shares it, and the last
//! close frees it with whatever data was left (Linux's fifo_open and
//! put_pipe_info). Each end counts its opens (`r_counter`, `w_counter`), so
//! that an open waiting for its partner sees one come even if it has gone
//! again.

use super::pollmask::PipeState;
use super::tmpfs::Ino;
use alloc::collections::{BTreeMap, VecDeque};
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use memguard_abi::Errno;
use spin::Mutex;

/// Linux's default pipe capacity.
pub const CAPACITY: usize = 65536;
/// Writes of at most this many bytes are atomic (POSIX PIPE_BUF).
pub const PIPE_BUF: usize = 4096;
/// Below this many free frames a pipe stops taking more than one batch.
const LOW_MEMORY_FRAMES: u32 = 64;

struct Pipe {
    buf: VecDeque<u8>,
    readers: u32,
    writers: u32,
    /// Opens of the read and the write end so far.
    r_counter: u32,
    w_counter: u32,
}

impl Pipe {
    fn new(readers: u32, writers: u32) -> Pipe {
        Pipe { buf: VecDeque::new(), readers, writers, r_counter: 1, w_counter: 1 }
    }
}

static PIPES: Mutex<BTreeMap<u32, Pipe>> = Mutex::new(BTreeMap::new());
/// The pipe of each FIFO inode some description holds open. Locked
/// before `PIPES` when both are.
static FIFOS: Mutex<BTreeMap<Ino, u32>> = Mutex::new(BTreeMap::new());
static NEXT_ID: AtomicU32 = AtomicU32::new(1);
/// Bytes sitting in all pipes. Pipe data lives on the kernel heap, so the
/// total is capped (like Linux's pipe-user-pages limits): a program cannot
/// exhaust the kernel's memory through pipes.
static BUFFERED: AtomicUsize = AtomicUsize::new(0);
/// The cap: a sixteenth of RAM, at most 8 MiB.
fn buffered_limit() -> usize {
    (crate::mm::phys::stats().total as usize * 4096 / 16).min(8 << 20)
}

/// What a read found.
pub enum ReadResult {
    Data(usize),
    /// Empty, but a writer may still write: wait.
    Empty,
    /// Empty and no writer left: end of file.
    Eof,
}

/// What a write managed.
pub enum WriteResult {
    Wrote(usize),
    /// No room (for an atomic write, not enough room): wait.
    Full,
    /// No reader left.
    Broken,
}

/// A new pipe with one read end and one write end open.
pub fn create() -> u32 {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    PIPES.lock().insert(id, Pipe::new(1, 1));
    id
}

/// An open-file description of one end went away (its last descriptor was
/// closed: dup and fork share descriptions, so they never count here).
/// The pipe is freed with its last end.
pub fn close(id: u32, write_end: bool) {
    release(&mut PIPES.lock(), id, !write_end, write_end);
}

/// Drops a description's ends of pipe `id`; returns whether the pipe went
/// with them.
fn release(pipes: &mut BTreeMap<u32, Pipe>, id: u32, read: bool, write: bool) -> bool {
    let Some(p) = pipes.get_mut(&id) else { return false };
    p.readers -= u32::from(read);
    p.writers -= u32::from(write);
    if p.readers == 0 && p.writers == 0 {
        BUFFERED.fetch_sub(p.buf.len(), Ordering::Relaxed);
        pipes.remove(&id);
        return true;
    }
    false
}

/// Which partner a FIFO open waits for, and the open count of the other
/// end when it started waiting.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Partner {
    Writer(u32),
    Reader(u32),
}

/// A FIFO opened: its pipe, the partner to wait for (if any), and the
/// writer count to remember for POLLHUP (see `pollmask::pipe_events`).
pub struct FifoOpen {
    pub id: u32,
    pub wait: Option<Partner>,
    pub seen_writers: u32,
}

/// Opens FIFO `ino` for reading and/or writing, as Linux's fifo_open
/// decides: a reader without a writer waits for one (unless `nonblock`),
/// a writer without a reader waits too, or with `nonblock` fails with
/// ENXIO; read-write never waits; neither is EINVAL. The ends count from
/// here: the caller's description releases them (`fifo_release`).
pub fn fifo_open(ino: Ino, read: bool, write: bool, nonblock: bool) -> Result<FifoOpen, Errno> {
    let mut fifos = FIFOS.lock();
    let mut pipes = PIPES.lock();
    let id = match fifos.get(&ino) {
        Some(&id) => id,
        None => {
            let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
            pipes.insert(id, Pipe::new(0, 0));
            fifos.insert(ino, id);
            id
        }
    };
    let p = pipes.get_mut(&id).expect("a FIFO's pipe lives while it is open");
    let refuse = match (read, write) {
        (false, false) => Some(Errno::EINVAL),
        (false, true) if nonblock && p.readers == 0 => Some(Errno::ENXIO),
        _ => None,
    };
    if let Some(e) = refuse {
        if p.readers == 0 && p.writers == 0 {
            pipes.remove(&id);
            fifos.remove(&ino);
        }
        return Err(e);
    }
    let mut opened = FifoOpen { id, wait: None, seen_writers: 0 };
    if read {
        p.r_counter += 1;
        p.readers += 1;
    }
    if write {
        p.w_counter += 1;
        p.writers += 1;
    }
    match (read, write) {
        (true, false) if p.writers == 0 && nonblock => opened.seen_writers = p.w_counter,
        (true, false) if p.writers == 0 => opened.wait = Some(Partner::Writer(p.w_counter)),
        (false, true) if p.readers == 0 => opened.wait = Some(Partner::Reader(p.r_counter)),
        _ => {}
    }
    Ok(opened)
}

/// Whether the partner a FIFO open waits for has come (an open of the
/// other end since it started waiting).
pub fn partner_came(id: u32, partner: Partner) -> bool {
    PIPES.lock().get(&id).is_none_or(|p| match partner {
        Partner::Writer(n) => p.w_counter != n,
        Partner::Reader(n) => p.r_counter != n,
    })
}

/// A description of FIFO `ino` goes: its ends are released, and the pipe
/// with the last one. Returns whether `ino` had a pipe (the waiters on it
/// must look again); false for any other inode.
pub fn fifo_release(ino: Ino, read: bool, write: bool) -> bool {
    let mut fifos = FIFOS.lock();
    let Some(&id) = fifos.get(&ino) else { return false };
    if release(&mut PIPES.lock(), id, read, write) {
        fifos.remove(&ino);
    }
    true
}

/// The pipe of FIFO `ino`, while some description holds it open.
pub fn fifo_of(ino: Ino) -> Option<u32> {
    FIFOS.lock().get(&ino).copied()
}

/// What poll needs to know of pipe `id` (a gone pipe: no ends, empty).
pub fn state(id: u32) -> PipeState {
    let pipes = PIPES.lock();
    let gone = PipeState { buffered: 0, room: 0, readers: 0, writers: 0, w_counter: 0 };
    pipes.get(&id).map_or(gone, |p| PipeState {
        buffered: p.buf.len(),
        room: CAPACITY - p.buf.len(),
        readers: p.readers,
        writers: p.writers,
        w_counter: p.w_counter,
    })
}

/// Whether a writer would find no reader (sendfile's check before it reads).
pub fn broken(id: u32) -> bool {
    PIPES.lock().get(&id).is_none_or(|p| p.readers == 0)
}

pub fn read(id: u32, dst: &mut [u8]) -> ReadResult {
    let mut pipes = PIPES.lock();
    let Some(p) = pipes.get_mut(&id) else { return ReadResult::Eof };
    if p.buf.is_empty() {
        return if p.writers == 0 { ReadResult::Eof } else { ReadResult::Empty };
    }
    let n = dst.len().min(p.buf.len());
    for (d, b) in dst.iter_mut().zip(p.buf.drain(..n)) {
        *d = b;
    }
    BUFFERED.fetch_sub(n, Ordering::Relaxed);
    if p.buf.is_empty() {
        p.buf.shrink_to(PIPE_BUF);
    }
    ReadResult::Data(n)
}

/// Writes as much of `src` as fits; a write of at most PIPE_BUF bytes goes
/// in whole or waits.
pub fn write(id: u32, src: &[u8]) -> WriteResult {
    let mut pipes = PIPES.lock();
    let Some(p) = pipes.get_mut(&id) else { return WriteResult::Broken };
    if p.readers == 0 {
        return WriteResult::Broken;
    }
    let global_room = buffered_limit().saturating_sub(BUFFERED.load(Ordering::Relaxed));
    let room = (CAPACITY - p.buf.len()).min(global_room);
    // When memory is nearly gone, a writer waits for a reader instead of
    // growing the kernel heap.
    let low = crate::mm::phys::user_frames_available() < LOW_MEMORY_FRAMES;
    if room == 0 || low || (src.len() <= PIPE_BUF && room < src.len()) {
        return WriteResult::Full;
    }
    let n = room.min(src.len());
    p.buf.extend(&src[..n]);
    BUFFERED.fetch_add(n, Ordering::Relaxed);
    WriteResult::Wrote(n)
}

/// Bytes waiting to be read (FIONREAD).
pub fn available(id: u32) -> usize {
    PIPES.lock().get(&id).map_or(0, |p| p.buf.len())
}

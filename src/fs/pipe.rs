//! Pipes: a 64 KiB byte queue between a read end and a write end, as Linux's
//! (pipe(7)). Open-file descriptions count the ends; when the last write end
//! closes, readers see end-of-file; when the last read end closes, writers
//! get EPIPE and SIGPIPE. Blocked readers and writers sleep on `Wait::Pipe`.

use alloc::collections::{BTreeMap, VecDeque};
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
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
}

static PIPES: Mutex<BTreeMap<u32, Pipe>> = Mutex::new(BTreeMap::new());
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
    PIPES.lock().insert(id, Pipe { buf: VecDeque::new(), readers: 1, writers: 1 });
    id
}

/// An open-file description of one end went away (its last descriptor was
/// closed: dup and fork share descriptions, so they never count here).
/// The pipe is freed with its last end.
pub fn close(id: u32, write_end: bool) {
    let mut pipes = PIPES.lock();
    if let Some(p) = pipes.get_mut(&id) {
        if write_end {
            p.writers -= 1;
        } else {
            p.readers -= 1;
        }
        if p.readers == 0 && p.writers == 0 {
            BUFFERED.fetch_sub(p.buf.len(), Ordering::Relaxed);
            pipes.remove(&id);
        }
    }
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

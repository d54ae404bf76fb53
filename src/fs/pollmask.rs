//! Readiness, as poll(2) and select(2) see it: the events a pipe end, a
//! terminal or a file reports, how poll masks them and how select's three
//! sets read them, the timeouts of each call, and the size of Linux's
//! descriptor table that select clamps its count to. Pure (host-tested);
//! `syscall::poll` asks the descriptors and sleeps.

use bitflags::bitflags;
use memguard_abi::linux;

bitflags! {
    /// `pollfd.events` / `revents` bits (asm-generic/poll.h). All single
    /// bits; unknown ones a program asks for are kept and never reported.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct PollEvents: u16 {
        const IN = linux::POLLIN as u16;
        const PRI = linux::POLLPRI as u16;
        const OUT = linux::POLLOUT as u16;
        const ERR = linux::POLLERR as u16;
        const HUP = linux::POLLHUP as u16;
        /// The descriptor is not open (poll only; never masked).
        const NVAL = linux::POLLNVAL as u16;
        const RDNORM = linux::POLLRDNORM as u16;
        const RDBAND = linux::POLLRDBAND as u16;
        const WRNORM = linux::POLLWRNORM as u16;
        const WRBAND = linux::POLLWRBAND as u16;
        const MSG = linux::POLLMSG as u16;
        const RDHUP = linux::POLLRDHUP as u16;
        const _ = !0;
    }
}

/// What a file without a poll method reports (Linux's DEFAULT_POLLMASK):
/// regular files, directories, /dev/null, zero, full, urandom are always
/// ready.
pub const DEFAULT: PollEvents =
    PollEvents::IN.union(PollEvents::OUT).union(PollEvents::RDNORM).union(PollEvents::WRNORM);

/// A pipe's state, as its poll reads it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PipeState {
    /// Bytes waiting.
    pub buffered: usize,
    /// Room left before the pipe is full.
    pub room: usize,
    pub readers: u32,
    pub writers: u32,
    /// Write opens so far (Linux's w_counter; 1 for a pipe(2) pipe).
    pub w_counter: u32,
}

/// A pipe counts as full (no POLLOUT) when less than a page of room is
/// left: Linux's pipe is full when all its page buffers are in use.
const PAGE: usize = 4096;

/// The events of a description holding the read and/or the write end of a
/// pipe (Linux's pipe_poll). `seen` is the writer count the description
/// saw at open (its f_pipe): a FIFO opened O_NONBLOCK before any writer
/// reports POLLHUP only once a writer has come and gone.
pub fn pipe_events(p: &PipeState, read: bool, write: bool, seen: u32) -> PollEvents {
    let mut e = PollEvents::empty();
    if read {
        if p.buffered > 0 {
            e |= PollEvents::IN | PollEvents::RDNORM;
        }
        if p.writers == 0 && seen != p.w_counter {
            e |= PollEvents::HUP;
        }
    }
    if write {
        if p.room >= PAGE {
            e |= PollEvents::OUT | PollEvents::WRNORM;
        }
        if p.readers == 0 {
            e |= PollEvents::ERR;
        }
    }
    e
}

/// A terminal: readable when input is waiting, always writable.
pub fn terminal_events(input_waiting: bool) -> PollEvents {
    let out = PollEvents::OUT | PollEvents::WRNORM;
    if input_waiting { out | PollEvents::IN | PollEvents::RDNORM } else { out }
}

/// What poll reports for one entry: the events asked for, plus POLLERR and
/// POLLHUP, which are always reported.
pub fn revents(ready: PollEvents, asked: u16) -> PollEvents {
    ready & (PollEvents::from_bits_retain(asked) | PollEvents::ERR | PollEvents::HUP)
}

/// One of select's three sets.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SelectSet {
    Read,
    Write,
    Except,
}

impl SelectSet {
    pub const ALL: [SelectSet; 3] = [SelectSet::Read, SelectSet::Write, SelectSet::Except];

    /// Whether `ready` puts a descriptor in this set (Linux's POLLIN_SET,
    /// POLLOUT_SET, POLLEX_SET): a hang-up or error makes it readable, an
    /// error writable.
    pub fn ready(self, ready: PollEvents) -> bool {
        let set = match self {
            SelectSet::Read => {
                PollEvents::IN | PollEvents::RDNORM | PollEvents::RDBAND | PollEvents::HUP | PollEvents::ERR
            }
            SelectSet::Write => PollEvents::OUT | PollEvents::WRNORM | PollEvents::WRBAND | PollEvents::ERR,
            SelectSet::Except => PollEvents::PRI,
        };
        ready.intersects(set)
    }
}

/// Bytes of an fd_set holding `n` descriptors: whole 32-bit longs.
pub fn fd_set_bytes(n: usize) -> usize {
    n.div_ceil(32) * 4
}

/// Linux's fdtable size (max_fds) for a table that has held descriptors
/// below `high`: 32 (BITS_PER_LONG) at first, then the power of two above
/// the highest number used (as Debian's 6.1 i386 kernel grows it: a dup2
/// to 40 makes 64, to 300 makes 512). select counts no descriptor at or
/// above it.
pub fn linux_max_fds(high: usize) -> usize {
    high.next_power_of_two().max(32)
}

/// When a wait ends: never, at once (a zero timeout), or at a monotonic
/// time in ns.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deadline {
    Never,
    Now,
    At(u64),
}

impl Deadline {
    /// From a relative timeout in ns (zero: at once).
    pub fn after(now: u64, ns: u64) -> Deadline {
        if ns == 0 { Deadline::Now } else { Deadline::At(now.saturating_add(ns)) }
    }

    /// Whether the wait is over at `now`.
    pub fn passed(self, now: u64) -> bool {
        match self {
            Deadline::Never => false,
            Deadline::Now => true,
            Deadline::At(t) => now >= t,
        }
    }

    /// The time left to write back to the caller's timeout: none for no
    /// timeout or a zero one (Linux leaves those alone), else never below 0.
    pub fn left(self, now: u64) -> Option<u64> {
        match self {
            Deadline::At(t) => Some(t.saturating_sub(now)),
            _ => None,
        }
    }
}

const NS_PER_MS: u64 = 1_000_000;
const NS_PER_US: u64 = 1_000;
const NS_PER_SEC: u64 = 1_000_000_000;

/// poll's timeout in milliseconds: negative waits forever.
pub fn poll_timeout(now: u64, ms: i32) -> Deadline {
    if ms < 0 { Deadline::Never } else { Deadline::after(now, ms as u64 * NS_PER_MS) }
}

/// The timeout is not a valid time (EINVAL).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct InvalidTimeout;

/// select's timeval: microseconds past a second carry into the seconds
/// (Linux's select normalises them), but a negative result is invalid.
pub fn timeval_timeout(now: u64, sec: i32, usec: i32) -> Result<Deadline, InvalidTimeout> {
    let sec = i64::from(sec) + i64::from(usec / 1_000_000);
    let usec = usec % 1_000_000;
    if sec < 0 || usec < 0 {
        return Err(InvalidTimeout);
    }
    Ok(Deadline::after(now, (sec as u64).saturating_mul(NS_PER_SEC).saturating_add(usec as u64 * NS_PER_US)))
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn pipe(buffered: usize, readers: u32, writers: u32, w_counter: u32) -> PipeState {
        PipeState { buffered, room: 65536 - buffered, readers, writers, w_counter }
    }

    #[test]
    fn pipe_read_end() {
        assert_eq!(pipe_events(&pipe(0, 1, 1, 1), true, false, 0), PollEvents::empty());
        assert_eq!(pipe_events(&pipe(3, 1, 1, 1), true, false, 0), PollEvents::IN | PollEvents::RDNORM);
        // Writers gone: hang-up, with the data still readable.
        assert_eq!(pipe_events(&pipe(0, 1, 0, 1), true, false, 0), PollEvents::HUP);
        assert_eq!(
            pipe_events(&pipe(5, 1, 0, 1), true, false, 0),
            PollEvents::IN | PollEvents::RDNORM | PollEvents::HUP
        );
    }

    #[test]
    fn fifo_opened_before_any_writer_hangs_up_only_after_one() {
        // Opened O_RDONLY|O_NONBLOCK when w_counter was 0: no HUP yet.
        assert_eq!(pipe_events(&pipe(0, 1, 0, 0), true, false, 0), PollEvents::empty());
        // A writer came and went: w_counter moved on.
        assert_eq!(pipe_events(&pipe(0, 1, 0, 1), true, false, 0), PollEvents::HUP);
    }

    #[test]
    fn pipe_write_end() {
        assert_eq!(pipe_events(&pipe(0, 1, 1, 1), false, true, 0), PollEvents::OUT | PollEvents::WRNORM);
        assert_eq!(pipe_events(&pipe(65536, 1, 1, 1), false, true, 0), PollEvents::empty());
        assert_eq!(pipe_events(&pipe(65536 - 4095, 1, 1, 1), false, true, 0), PollEvents::empty());
        assert_eq!(pipe_events(&pipe(65536 - 4096, 1, 1, 1), false, true, 0), PollEvents::OUT | PollEvents::WRNORM);
        assert_eq!(
            pipe_events(&pipe(0, 0, 1, 1), false, true, 0),
            PollEvents::OUT | PollEvents::WRNORM | PollEvents::ERR
        );
        // A FIFO opened O_RDWR holds both ends: never HUP or ERR alone.
        assert_eq!(pipe_events(&pipe(1, 1, 1, 1), true, true, 0), DEFAULT);
    }

    #[test]
    fn poll_masks_but_keeps_err_and_hup() {
        let ready = PollEvents::IN | PollEvents::RDNORM | PollEvents::HUP;
        assert_eq!(revents(ready, 0), PollEvents::HUP);
        assert_eq!(revents(ready, linux::POLLIN as u16), PollEvents::IN | PollEvents::HUP);
        assert_eq!(revents(DEFAULT, linux::POLLOUT as u16), PollEvents::OUT);
        assert_eq!(revents(PollEvents::ERR, 0), PollEvents::ERR);
    }

    #[test]
    fn select_sets() {
        assert!(SelectSet::Read.ready(PollEvents::HUP));
        assert!(SelectSet::Read.ready(PollEvents::ERR));
        assert!(SelectSet::Write.ready(PollEvents::ERR));
        assert!(!SelectSet::Write.ready(PollEvents::HUP));
        assert!(!SelectSet::Except.ready(DEFAULT));
        assert!(SelectSet::Except.ready(PollEvents::PRI));
        assert!(SelectSet::Read.ready(DEFAULT) && SelectSet::Write.ready(DEFAULT));
    }

    #[test]
    fn terminal() {
        assert_eq!(terminal_events(false), PollEvents::OUT | PollEvents::WRNORM);
        assert_eq!(terminal_events(true), DEFAULT);
    }

    #[test]
    fn fd_sets_and_table_size() {
        assert_eq!(fd_set_bytes(0), 0);
        assert_eq!(fd_set_bytes(1), 4);
        assert_eq!(fd_set_bytes(33), 8);
        assert_eq!(fd_set_bytes(1024), 128);
        assert_eq!(linux_max_fds(0), 32);
        assert_eq!(linux_max_fds(32), 32);
        assert_eq!(linux_max_fds(33), 64);
        assert_eq!(linux_max_fds(41), 64);
        assert_eq!(linux_max_fds(64), 64);
        assert_eq!(linux_max_fds(301), 512);
        assert_eq!(linux_max_fds(1025), 2048);
    }

    #[test]
    fn timeouts() {
        assert_eq!(poll_timeout(100, -1), Deadline::Never);
        assert_eq!(poll_timeout(100, 0), Deadline::Now);
        assert_eq!(poll_timeout(100, 5), Deadline::At(100 + 5 * NS_PER_MS));
        assert_eq!(timeval_timeout(0, 0, 0), Ok(Deadline::Now));
        assert_eq!(timeval_timeout(0, 1, 500), Ok(Deadline::At(NS_PER_SEC + 500_000)));
        assert_eq!(timeval_timeout(0, 0, 1_500_000), Ok(Deadline::At(NS_PER_SEC + 500 * NS_PER_MS)));
        assert_eq!(timeval_timeout(0, -1, 1_000_000), Ok(Deadline::Now));
        assert_eq!(timeval_timeout(0, -1, 0), Err(InvalidTimeout));
        assert_eq!(timeval_timeout(0, 1, -1), Err(InvalidTimeout));
        assert_eq!(Deadline::At(50).left(80), Some(0));
        assert_eq!(Deadline::At(80).left(50), Some(30));
        assert_eq!(Deadline::Now.left(50), None);
        assert!(Deadline::Now.passed(0) && !Deadline::Never.passed(u64::MAX) && Deadline::At(5).passed(5));
    }
}

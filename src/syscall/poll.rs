//! poll, ppoll(_time64), select (i386's one-argument form), _newselect and
//! pselect6(_time64): wait until descriptors are ready, a timeout passes or
//! a signal comes, with Linux's checks in Linux's order (fs/select.c).
//!
//! What each descriptor reports is `fs::pollmask`'s decision over its
//! state (`events_of`). A waiter sleeps on `Wait::Poll`, which every pipe
//! change and console input wakes (`Wait::wakes_pollers`), with its
//! deadline on the scheduler's timer list; woken, it looks at every
//! descriptor again. The kernel runs with interrupts off, so nothing can
//! change between the last look and the sleep: no wake-up is lost.
//!
//! Signals: poll ends in ERESTART_RESTARTBLOCK (EINTR after a handler,
//! else resumed by restart_syscall with the same deadline); the others in
//! ERESTARTNOHAND. The time left is written back to the caller's timeout
//! (not for a zero one), as Linux does for all but poll. ppoll and pselect6
//! wait with the caller's mask, which stays until the handler has run when
//! a signal ends the wait, and goes back at once otherwise.

use super::abi::{Errno, SysResult};
use super::file::{console_readable, file};
use super::timespec::{self, TimeAbi};
use super::uaccess;
use crate::fs::pollmask::{
    self, DEFAULT, Deadline, PollEvents, SelectSet, fd_set_bytes, linux_max_fds, pipe_events, terminal_events,
};
use crate::fs::{Node, OpenFile, pipe};
use crate::task::lifecycle::interrupted;
use crate::task::process::{RestartBlock, Wait};
use crate::task::rlimit::RLIMIT_NOFILE;
use crate::task::sched::{self, SCHED, with_process};
use alloc::vec::Vec;
use core::sync::atomic::Ordering;
use memguard_abi::SigSet;
use memguard_abi::linux;

fn now() -> u64 {
    crate::time::monotonic_ns()
}

/// The events description `f` reports now.
fn events_of(f: &OpenFile) -> PollEvents {
    match f.node {
        Node::PipeRead(id) => pipe_events(&pipe::state(id), true, false, 0),
        Node::PipeWrite(id) => pipe_events(&pipe::state(id), false, true, 0),
        Node::Console => terminal_events(console_readable()),
        Node::Inode(ino) if f.readable || f.writable => match pipe::fifo_of(ino) {
            Some(id) => pipe_events(&pipe::state(id), f.readable, f.writable, f.seen_writers.load(Ordering::Relaxed)),
            None => DEFAULT,
        },
        _ => DEFAULT,
    }
}

/// Looks until `scan` finds something ready (its count), the deadline
/// passes (0), or a signal is to be acted on (ERESTARTNOHAND; with
/// something ready the count wins, as in Linux's do_poll).
fn wait_ready(deadline: Deadline, mut scan: impl FnMut() -> u32) -> Result<u32, Errno> {
    loop {
        let n = scan();
        if n > 0 {
            return Ok(n);
        }
        if interrupted() {
            return Err(Errno::ERESTARTNOHAND);
        }
        if deadline.passed(now()) {
            return Ok(0);
        }
        let at = match deadline {
            Deadline::At(t) => Some(t),
            _ => None,
        };
        sched::sleep_until_woken(Wait::Poll, at);
    }
}

/// Entries poll keeps in the kernel at most (8 bytes each): more is
/// ENOMEM, as a failed allocation is on Linux (whose limit is the
/// RLIMIT_NOFILE that was checked first).
const POLL_MAX_ENTRIES: u32 = 65536;

/// The heart of poll and ppoll: EINVAL for more entries than RLIMIT_NOFILE,
/// EFAULT for an array that cannot be read, then the wait; every revents
/// is written back (EFAULT if it cannot be), the interrupted case too.
fn do_poll(ufds: u32, nfds: u32, deadline: Deadline) -> SysResult {
    let limit = with_process(|p| p.limits.get(RLIMIT_NOFILE as u32)).map_or(u64::MAX, |l| l.cur);
    if u64::from(nfds) > limit {
        return Err(Errno::EINVAL);
    }
    if nfds > POLL_MAX_ENTRIES {
        return Err(Errno::ENOMEM);
    }
    let mut raw = alloc::vec![0u8; nfds as usize * 8];
    with_process(|p| uaccess::copy_in(&mut p.mem, ufds, &mut raw))?;
    let r = wait_ready(deadline, || {
        let mut count = 0;
        for e in raw.chunks_exact_mut(8) {
            let fd = i32::from_le_bytes([e[0], e[1], e[2], e[3]]);
            let asked = u16::from_le_bytes([e[4], e[5]]);
            // A negative descriptor is skipped; a closed one is POLLNVAL.
            let ready = match fd {
                ..0 => PollEvents::empty(),
                fd => file(fd as u32).map_or(PollEvents::NVAL, |f| pollmask::revents(events_of(&f), asked)),
            };
            e[6..8].copy_from_slice(&ready.bits().to_le_bytes());
            count += u32::from(!ready.is_empty());
        }
        count
    });
    with_process(|p| uaccess::copy_out(&mut p.mem, ufds, &raw))?;
    r
}

/// poll(fds, nfds, timeout_ms): a negative timeout waits for ever.
pub fn poll(ufds: u32, nfds: u32, timeout_ms: i32) -> SysResult {
    restartable_poll(ufds, nfds, pollmask::poll_timeout(now(), timeout_ms))
}

/// restart_syscall's resumption of an interrupted poll.
pub fn restart_poll(ufds: u32, nfds: u32, deadline: Option<u64>) -> SysResult {
    let deadline = match deadline {
        None => Deadline::Never,
        Some(0) => Deadline::Now,
        Some(t) => Deadline::At(t),
    };
    restartable_poll(ufds, nfds, deadline)
}

fn restartable_poll(ufds: u32, nfds: u32, deadline: Deadline) -> SysResult {
    let r = do_poll(ufds, nfds, deadline);
    if r != Err(Errno::ERESTARTNOHAND) {
        return r;
    }
    let deadline = match deadline {
        Deadline::Never => None,
        Deadline::Now => Some(0),
        Deadline::At(t) => Some(t),
    };
    SCHED.lock().current_task().sig.restart = Some(RestartBlock::Poll { ufds, nfds, deadline });
    Err(Errno::ERESTART_RESTARTBLOCK)
}

/// How a call's timeout is laid out in user memory.
#[derive(Clone, Copy)]
enum TimeoutForm {
    Timeval,
    Timespec(TimeAbi),
}

/// Reads a ppoll/pselect6 timespec (EFAULT, EINVAL): no pointer, no timeout.
fn timespec_deadline(tsp: u32, abi: TimeAbi) -> Result<Deadline, Errno> {
    if tsp == 0 {
        return Ok(Deadline::Never);
    }
    let ns = with_process(|p| timespec::read(&mut p.mem, tsp, abi))?;
    Ok(Deadline::after(now(), ns))
}

/// Waits with the caller's signal mask (Linux's set_user_sigmask): EINVAL
/// unless `size` is 8, EFAULT. Returns whether a mask was set.
fn set_user_sigmask(mask: u32, size: u32) -> Result<bool, Errno> {
    if mask == 0 {
        return Ok(false);
    }
    if size != 8 {
        return Err(Errno::EINVAL);
    }
    let w: [u32; 2] = with_process(|p| uaccess::read(&mut p.mem, mask))?;
    crate::task::deliver::set_temporary_mask(&mut SCHED.lock(), SigSet::from_words(w).blockable());
    Ok(true)
}

/// The end of every call but poll (Linux's poll_select_finish): the mask
/// back unless a signal is about to be delivered, then the time left
/// written to the caller's timeout. A timeout that cannot be written makes
/// an interrupted call EINTR (it could not be restarted with the right
/// time) and leaves any other result alone.
fn finish(deadline: Deadline, at: u32, form: TimeoutForm, masked: bool, r: SysResult) -> SysResult {
    if masked && r != Err(Errno::ERESTARTNOHAND) {
        let mut s = SCHED.lock();
        if let Some(m) = s.current_task().sig.saved_mask.take() {
            crate::task::deliver::set_mask(&mut s, m);
        }
    }
    let Some(left) = deadline.left(now()).filter(|_| at != 0) else { return r };
    let wrote = with_process(|p| match form {
        TimeoutForm::Timeval => uaccess::write(&mut p.mem, at, &timespec::timeval(left)),
        TimeoutForm::Timespec(abi) => timespec::write(&mut p.mem, at, left, abi),
    });
    match (wrote, r) {
        (Err(_), Err(Errno::ERESTARTNOHAND)) => Err(Errno::EINTR),
        _ => r,
    }
}

/// ppoll(fds, nfds, timeout, sigmask, sigsetsize) and ppoll_time64.
pub fn ppoll(ufds: u32, nfds: u32, tsp: u32, mask: u32, size: u32, abi: TimeAbi) -> SysResult {
    let deadline = timespec_deadline(tsp, abi)?;
    let masked = set_user_sigmask(mask, size)?;
    let r = do_poll(ufds, nfds, deadline);
    finish(deadline, tsp, TimeoutForm::Timespec(abi), masked, r)
}

/// The heart of the selects (Linux's core_sys_select): EINVAL for a
/// negative count; the count is cut to Linux's descriptor-table size; the
/// three sets are read (EFAULT) as whole 32-bit words; a set bit for a
/// descriptor that is not open is EBADF; then the wait, and the sets are
/// written back with what is ready (not when a signal ended it).
fn do_select(n: i32, sets: [u32; 3], deadline: Deadline) -> SysResult {
    if n < 0 {
        return Err(Errno::EINVAL);
    }
    let n = (n as usize).min(linux_max_fds(with_process(|p| p.files.high_water())));
    let words = fd_set_bytes(n) / 4;
    let mut asked: [Vec<u32>; 3] = Default::default();
    for (set, &addr) in asked.iter_mut().zip(&sets) {
        *set = match addr {
            0 => alloc::vec![0; words],
            a => with_process(|p| uaccess::read_array::<u32>(&mut p.mem, a, words))?,
        };
    }
    let bit = |set: &[u32], fd: usize| set[fd / 32] & (1 << (fd % 32)) != 0;
    let wanted: Vec<usize> = (0..n).filter(|&fd| asked.iter().any(|s| bit(s, fd))).collect();
    for &fd in &wanted {
        file(fd as u32)?;
    }
    let mut ready: [Vec<u32>; 3] = Default::default();
    let r = wait_ready(deadline, || {
        ready = Default::default();
        ready.iter_mut().for_each(|s| s.resize(words, 0));
        let mut count = 0;
        for &fd in &wanted {
            let Ok(f) = file(fd as u32) else { continue };
            let events = events_of(&f);
            for (i, set) in SelectSet::ALL.iter().enumerate() {
                if bit(&asked[i], fd) && set.ready(events) {
                    ready[i][fd / 32] |= 1 << (fd % 32);
                    count += 1;
                }
            }
        }
        count
    })?;
    for (set, &addr) in ready.iter().zip(&sets) {
        if addr != 0 {
            with_process(|p| {
                let bytes: Vec<u8> = set.iter().flat_map(|w| w.to_le_bytes()).collect();
                uaccess::copy_out(&mut p.mem, addr, &bytes)
            })?;
        }
    }
    Ok(r)
}

/// _newselect(n, readfds, writefds, exceptfds, timeout): the timeval's
/// microseconds may carry into its seconds; a negative one is EINVAL.
pub fn select(n: i32, inp: u32, outp: u32, exp: u32, tvp: u32) -> SysResult {
    let deadline = match tvp {
        0 => Deadline::Never,
        a => {
            let tv: linux::timeval = with_process(|p| uaccess::read(&mut p.mem, a))?;
            pollmask::timeval_timeout(now(), tv.tv_sec, tv.tv_usec).map_err(|_| Errno::EINVAL)?
        }
    };
    let r = do_select(n, [inp, outp, exp], deadline);
    finish(deadline, tvp, TimeoutForm::Timeval, false, r)
}

/// select(args): i386's old form, its five arguments in a structure.
pub fn old_select(args: u32) -> SysResult {
    let a = with_process(|p| uaccess::read_array::<u32>(&mut p.mem, args, 5))?;
    select(a[0] as i32, a[1], a[2], a[3], a[4])
}

/// pselect6(n, readfds, writefds, exceptfds, timeout, {sigmask, size})
/// and pselect6_time64: the mask pair is read first (EFAULT), then the
/// timeout (EFAULT, EINVAL), then the mask itself.
pub fn pselect6(n: i32, inp: u32, outp: u32, exp: u32, tsp: u32, sig: u32, abi: TimeAbi) -> SysResult {
    let (mask, size) = match sig {
        0 => (0, 0),
        a => {
            let pair = with_process(|p| uaccess::read_array::<u32>(&mut p.mem, a, 2))?;
            (pair[0], pair[1])
        }
    };
    let deadline = timespec_deadline(tsp, abi)?;
    let masked = set_user_sigmask(mask, size)?;
    let r = do_select(n, [inp, outp, exp], deadline);
    finish(deadline, tsp, TimeoutForm::Timespec(abi), masked, r)
}

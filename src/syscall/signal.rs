//! The signal calls: dispositions (rt_sigaction, sigaction, signal), the
//! mask (rt_sigprocmask, sigprocmask), what is pending, waiting for a
//! signal (pause, rt_sigsuspend, sigsuspend, rt_sigtimedwait), the
//! alternate stack, sending (tkill, tgkill, rt_sigqueueinfo), sigreturn,
//! and ITIMER_REAL (alarm, setitimer, getitimer). Argument checks in
//! Linux's order; the work is in `task::signal`.

use super::abi::{Errno, SysResult};
use super::timespec::{self, TimeAbi};
use super::uaccess;
use crate::arch::x86::trap::TrapFrame;
use crate::task::deliver::{self, AltStackError, Target};
use crate::task::lifecycle;
use crate::task::process::LastTrap;
use crate::task::process::Wait;
use crate::task::sched::{self, SCHED, with_process};
use crate::task::signal::frame::BadFrame;
use crate::task::signal::state::{Action, Disposition, KNOWN_FLAGS};
use memguard_abi::linux::{ILL_BADSTK, SA_NODEFER, SA_RESETHAND, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, itimerval};

/// Linux's X86_TRAP_IRET: the trap number a failed return to user reports.
const IRET_TRAP: u32 = 32;
use memguard_abi::sigframe::{KernelSigaction, OldSigaction, StackT};
use memguard_abi::{SigInfo, SigSet, Signal};

/// The size of the kernel's sigset_t, which the rt_sig* calls insist on.
const SIGSET_SIZE: u32 = 8;

/// Installs `new` for `sig` and returns the old action (Linux's
/// do_sigaction): EINVAL for a number out of range, or for a new action
/// on SIGKILL or SIGSTOP. Setting a signal to be ignored discards its
/// pending instances.
fn do_sigaction(sig: u32, new: Option<Action>) -> Result<Action, Errno> {
    let sig = Signal::from_raw(sig).ok_or(Errno::EINVAL)?;
    if new.is_some() && !sig.can_be_handled() {
        return Err(Errno::EINVAL);
    }
    let mut s = SCHED.lock();
    let t = s.current_task();
    let old = t.handlers.lock().get(sig);
    if let Some(mut a) = new {
        a.flags &= KNOWN_FLAGS;
        a.mask = a.mask.blockable();
        t.handlers.lock().set(sig, a);
        // Now ignored: pending instances go, for every thread.
        if a.disposition(sig) == Disposition::Ignore {
            let tgid = t.tgid;
            deliver::group_pending(&mut s).discard(SigSet::of(sig));
            for t in s.tasks.values_mut().filter(|t| t.tgid == tgid) {
                t.sig.pending.discard(SigSet::of(sig));
            }
        }
    }
    Ok(Action { flags: old.flags & KNOWN_FLAGS, ..old })
}

fn kernel_sigaction(a: &Action) -> KernelSigaction {
    KernelSigaction { handler: a.handler, flags: a.flags, restorer: a.restorer, mask: a.mask.words() }
}

/// rt_sigaction(sig, act, oact, sigsetsize).
pub fn rt_sigaction(sig: u32, act: u32, oact: u32, sigsetsize: u32) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let new = match act {
        0 => None,
        _ => {
            let k: KernelSigaction = with_process(|p| uaccess::read(&mut p.mem, act))?;
            Some(Action { handler: k.handler, flags: k.flags, restorer: k.restorer, mask: SigSet::from_words(k.mask) })
        }
    };
    let old = do_sigaction(sig, new)?;
    if oact != 0 {
        with_process(|p| uaccess::write(&mut p.mem, oact, &kernel_sigaction(&old)))?;
    }
    Ok(0)
}

/// sigaction(sig, act, oact) with `struct old_sigaction` (32-bit mask).
pub fn sigaction(sig: u32, act: u32, oact: u32) -> SysResult {
    let new = match act {
        0 => None,
        _ => {
            let o: OldSigaction = with_process(|p| uaccess::read(&mut p.mem, act))?;
            Some(Action { handler: o.handler, flags: o.flags, restorer: o.restorer, mask: SigSet(o.mask.into()) })
        }
    };
    let old = do_sigaction(sig, new)?;
    if oact != 0 {
        let o =
            OldSigaction { handler: old.handler, mask: old.mask.words()[0], flags: old.flags, restorer: old.restorer };
        with_process(|p| uaccess::write(&mut p.mem, oact, &o))?;
    }
    Ok(0)
}

/// signal(sig, handler): System V semantics, as Linux's sys_signal gives
/// them (one-shot, not deferred). Returns the old handler.
pub fn signal(sig: u32, handler: u32) -> SysResult {
    let new = Action { handler, flags: SA_RESETHAND | SA_NODEFER, restorer: 0, mask: SigSet::EMPTY };
    Ok(do_sigaction(sig, Some(new))?.handler)
}

/// Applies `how` to the current mask.
fn change_mask(how: u32, set: SigSet, old: SigSet) -> Result<SigSet, Errno> {
    Ok(match how {
        SIG_BLOCK => old.union(set),
        SIG_UNBLOCK => old.minus(set),
        SIG_SETMASK => set,
        _ => return Err(Errno::EINVAL),
    })
}

fn blocked() -> SigSet {
    SCHED.lock().current_task().sig.blocked
}

fn set_blocked(m: SigSet) {
    deliver::set_mask(&mut SCHED.lock(), m.blockable());
}

/// rt_sigprocmask(how, set, oset, sigsetsize).
pub fn rt_sigprocmask(how: u32, set: u32, oset: u32, sigsetsize: u32) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let old = blocked();
    if set != 0 {
        let w: [u32; 2] = with_process(|p| uaccess::read(&mut p.mem, set))?;
        set_blocked(change_mask(how, SigSet::from_words(w), old)?);
    }
    if oset != 0 {
        with_process(|p| uaccess::write(&mut p.mem, oset, &old.words()))?;
    }
    Ok(0)
}

/// sigprocmask(how, set, oset) on the 32-bit old_sigset_t: signals 33..64
/// of the mask stay as they are.
pub fn sigprocmask(how: u32, set: u32, oset: u32) -> SysResult {
    let old = blocked();
    if set != 0 {
        let w: u32 = with_process(|p| uaccess::read(&mut p.mem, set))?;
        let new = match how {
            SIG_SETMASK => SigSet((old.0 & !0xFFFF_FFFF) | u64::from(w)),
            _ => change_mask(how, SigSet(w.into()), old)?,
        };
        set_blocked(new);
    }
    if oset != 0 {
        with_process(|p| uaccess::write(&mut p.mem, oset, &old.words()[0]))?;
    }
    Ok(0)
}

/// The blocked signals pending for this thread or its process.
fn pending_set() -> SigSet {
    let mut s = SCHED.lock();
    let shared = deliver::group_pending(&mut s).set();
    let t = s.current_task();
    SigSet(t.sig.pending.set().union(shared).0 & t.sig.blocked.0)
}

/// rt_sigpending(set, sigsetsize): at most 8 bytes of the set.
pub fn rt_sigpending(set: u32, sigsetsize: u32) -> SysResult {
    if sigsetsize > SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let bytes = pending_set().0.to_le_bytes();
    with_process(|p| uaccess::copy_out(&mut p.mem, set, &bytes[..sigsetsize as usize]))?;
    Ok(0)
}

/// sigpending(set): the 32-bit form.
pub fn sigpending(set: u32) -> SysResult {
    with_process(|p| uaccess::write(&mut p.mem, set, &pending_set().words()[0]))?;
    Ok(0)
}

/// Sleeps until a signal is to be acted on.
fn wait_for_signal() {
    while !lifecycle::interrupted() {
        sched::sleep(Wait::Signal);
    }
}

/// pause(): until a signal runs a handler (then EINTR) or kills.
pub fn pause() -> SysResult {
    wait_for_signal();
    Err(Errno::ERESTARTNOHAND)
}

/// Waits with `mask` as the mask; the old one comes back once the handler
/// frame is written (it is the frame's saved mask).
fn suspend(mask: SigSet) -> SysResult {
    deliver::set_temporary_mask(&mut SCHED.lock(), mask.blockable());
    wait_for_signal();
    Err(Errno::ERESTARTNOHAND)
}

/// rt_sigsuspend(mask, sigsetsize).
pub fn rt_sigsuspend(mask: u32, sigsetsize: u32) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let w: [u32; 2] = with_process(|p| uaccess::read(&mut p.mem, mask))?;
    suspend(SigSet::from_words(w))
}

/// sigsuspend(_, _, mask): i386's three-argument form (the mask is third).
pub fn sigsuspend(mask: u32) -> SysResult {
    suspend(SigSet(mask.into()))
}

/// rt_sigtimedwait(set, info, timeout, sigsetsize): takes a signal of
/// `set` (blocked or not) without running its handler; waits for one
/// until the timeout (EAGAIN) or another signal (EINTR).
pub fn rt_sigtimedwait(set: u32, info: u32, timeout: u32, sigsetsize: u32, abi: TimeAbi) -> SysResult {
    if sigsetsize != SIGSET_SIZE {
        return Err(Errno::EINVAL);
    }
    let w: [u32; 2] = with_process(|p| uaccess::read(&mut p.mem, set))?;
    let these = SigSet::from_words(w).blockable();
    let deadline = match timeout {
        0 => None,
        t => Some(crate::time::monotonic_ns().saturating_add(with_process(|p| timespec::read(&mut p.mem, t, abi))?)),
    };
    let take = || {
        let mut s = SCHED.lock();
        let t = s.current_task();
        let others = SigSet(!these.0);
        if let Some(sig) = t.sig.pending.next(others) {
            return Some(t.sig.pending.take(sig));
        }
        let shared = deliver::group_pending(&mut s);
        shared.next(others).map(|sig| shared.take(sig))
    };
    let mut got = take();
    if got.is_none() && deadline != Some(crate::time::monotonic_ns()) {
        // While waiting, the signals of `set` are unblocked so that their
        // arrival wakes the task; they are taken here, not by a handler.
        let before = blocked();
        set_blocked(before.minus(these));
        loop {
            if lifecycle::interrupted() || deadline.is_some_and(|d| crate::time::monotonic_ns() >= d) {
                break;
            }
            match deadline {
                Some(d) => sched::sleep_until(d),
                None => sched::sleep(Wait::Signal),
            }
        }
        set_blocked(before);
        got = take();
    }
    let Some(si) = got else {
        let expired = deadline.is_some_and(|d| crate::time::monotonic_ns() >= d);
        return Err(if expired { Errno::EAGAIN } else { Errno::EINTR });
    };
    if info != 0 {
        with_process(|p| uaccess::write(&mut p.mem, info, &si))?;
    }
    Ok(si.signo as u32)
}

/// sigaltstack(ss, old_ss).
pub fn sigaltstack(frame: &TrapFrame, ss: u32, old_ss: u32) -> SysResult {
    let new: Option<StackT> = match ss {
        0 => None,
        a => Some(with_process(|p| uaccess::read(&mut p.mem, a))?),
    };
    let old = deliver::altstack_of(&mut SCHED.lock(), frame.user_esp);
    if let Some(st) = new {
        deliver::set_altstack(&mut SCHED.lock(), frame.user_esp, st).map_err(|e| match e {
            AltStackError::OnStack => Errno::EPERM,
            AltStackError::Flags => Errno::EINVAL,
            AltStackError::TooSmall => Errno::ENOMEM,
        })?;
    }
    if old_ss != 0 {
        with_process(|p| uaccess::write(&mut p.mem, old_ss, &old))?;
    }
    Ok(0)
}

/// tkill(tid, sig).
pub fn tkill(tid: i32, sig: u32) -> SysResult {
    if tid <= 0 {
        return Err(Errno::EINVAL);
    }
    lifecycle::tkill(None, tid as u32, sig).map(|_| 0)
}

/// tgkill(tgid, tid, sig).
pub fn tgkill(tgid: i32, tid: i32, sig: u32) -> SysResult {
    if tgid <= 0 || tid <= 0 {
        return Err(Errno::EINVAL);
    }
    lifecycle::tkill(Some(tgid as u32), tid as u32, sig).map(|_| 0)
}

/// rt_sigqueueinfo(tgid, sig, info): a signal with the caller's siginfo.
/// A program may not pretend to be the kernel: codes >= 0 (and SI_TKILL)
/// are EPERM for a target other than itself, as on Linux.
pub fn rt_sigqueueinfo(tgid: i32, sig: u32, uinfo: u32) -> SysResult {
    let mut info: SigInfo = with_process(|p| uaccess::read(&mut p.mem, uinfo))?;
    let me = sched::current_pid();
    if (info.code >= 0 || info.code == memguard_abi::linux::SI_TKILL) && tgid as u32 != me {
        return Err(Errno::EPERM);
    }
    info.signo = sig as i32;
    let mut s = SCHED.lock();
    if tgid <= 0 || !s.tasks.contains_key(&(tgid as u32)) {
        return Err(Errno::ESRCH);
    }
    if sig > u32::from(Signal::MAX) {
        return Err(Errno::EINVAL);
    }
    // Signal 0 only checks.
    let Some(sig) = Signal::from_raw(sig) else { return Ok(0) };
    deliver::send(&mut s, Target::Process(tgid as u32), SigInfo { signo: sig.raw().into(), ..info });
    Ok(0)
}

/// rt_sigreturn / sigreturn: back from a handler. A frame that cannot be
/// read or would resume with a selector ring 3 may not use kills the task
/// with SIGSEGV, as Linux's badframe does.
pub fn sigreturn(frame: &mut TrapFrame, rt: bool) -> SysResult {
    let r = deliver::sigreturn(frame, rt);
    match r {
        Ok(eax) => Ok(eax),
        // The frame names a CS or SS the `iret` would fault on: Linux gets
        // that fault and sends SIGILL (ILL_BADSTK), which a handler may
        // take; its frame then shows the bad selectors.
        Err(BadFrame::Selector) => {
            let mut s = SCHED.lock();
            let t = s.current_task();
            t.sig.last_trap = LastTrap { trapno: IRET_TRAP, err: 0, cr2: t.sig.last_trap.cr2 };
            deliver::force(&mut s, SigInfo::fault(Signal::SIGILL, ILL_BADSTK, 0));
            Ok(frame.eax)
        }
        Err(BadFrame::Unreadable) => {
            let mut s = SCHED.lock();
            let t = s.current_task();
            t.handlers.lock().set(Signal::SIGSEGV, Action::DEFAULT);
            t.fatal = Some(Signal::SIGSEGV);
            t.notify();
            // The value is never seen: the task dies on the way out.
            Ok(frame.eax)
        }
    }
}

const NS_PER_US: u64 = 1000;
const ITIMER_REAL: u32 = 0;

/// The real timer's (remaining, interval) in ns; stops it if `new` says so
/// or arms it again.
fn swap_real_timer(new: Option<(u64, u64)>) -> (u64, u64) {
    let now = crate::time::monotonic_ns();
    let mut s = SCHED.lock();
    let pid = s.current;
    let old = s.current_task().sig.real_timer;
    if let Some((at, _)) = old {
        s.disarm_alarm(at, pid);
    }
    let old = old.map_or((0, 0), |(at, every)| (at.saturating_sub(now).max(1), every));
    if let Some((value, every)) = new {
        let timer = (value > 0).then(|| (now + value, every));
        s.current_task().sig.real_timer = timer;
        if let Some((at, _)) = timer {
            s.arm_alarm(at, pid);
        }
    }
    old
}

fn read_timeval(t: &memguard_abi::linux::timeval) -> Result<u64, Errno> {
    if t.tv_sec < 0 || !(0..1_000_000).contains(&t.tv_usec) {
        return Err(Errno::EINVAL);
    }
    Ok(t.tv_sec as u64 * 1_000_000_000 + t.tv_usec as u64 * NS_PER_US)
}

fn itimerval_of((value, every): (u64, u64)) -> itimerval {
    // Rounded up to whole microseconds, so an armed timer never reads 0.
    let us = |ns: u64| timespec::timeval(ns.div_ceil(NS_PER_US) * NS_PER_US);
    itimerval { it_interval: us(every), it_value: us(value) }
}

/// setitimer(which, new, old): ITIMER_REAL only (SIGALRM when it expires,
/// then every interval). A NULL `new` disarms, as Linux still allows.
pub fn setitimer(which: u32, new: u32, old: u32) -> SysResult {
    let value = match new {
        0 => itimerval_of((0, 0)),
        a => with_process(|p| uaccess::read(&mut p.mem, a))?,
    };
    if which != ITIMER_REAL {
        return Err(Errno::EINVAL);
    }
    let set = (read_timeval(&value.it_value)?, read_timeval(&value.it_interval)?);
    let before = swap_real_timer(Some(set));
    if old != 0 {
        with_process(|p| uaccess::write(&mut p.mem, old, &itimerval_of(before)))?;
    }
    Ok(0)
}

/// getitimer(which, value).
pub fn getitimer(which: u32, value: u32) -> SysResult {
    if which != ITIMER_REAL {
        return Err(Errno::EINVAL);
    }
    let now = swap_real_timer(None);
    with_process(|p| uaccess::write(&mut p.mem, value, &itimerval_of(now)))?;
    Ok(0)
}

/// alarm(seconds): SIGALRM after that many seconds (0 cancels). Returns
/// the seconds the previous alarm had left, rounded to nearest, and at
/// least 1 if it had any time left.
pub fn alarm(seconds: u32) -> SysResult {
    let (left, _) = swap_real_timer(Some((u64::from(seconds) * 1_000_000_000, 0)));
    let secs = (left / 1_000_000_000) as u32;
    let usecs = (left % 1_000_000_000) / NS_PER_US;
    Ok(if (secs == 0 && usecs > 0) || usecs >= 500_000 { secs + 1 } else { secs })
}

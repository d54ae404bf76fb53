//! exit, fork, execve, waitpid/wait4, kill, getppid, sched_yield, nanosleep;
//! process groups and sessions (setpgid, getpgid, getpgrp, setsid, getsid).

use super::abi::{Errno, SysResult, WAIT_VALID_OPTIONS};
use super::timespec::{self, TimeAbi};
use super::uaccess::{self, Plain, read_cstr, read_str_array, write_u32};
use crate::arch::x86::trap::TrapFrame;
use crate::fs::PATH_MAX;
use crate::task::exec::ARG_MAX;
use crate::task::fork::{self, CloneArgs};
use crate::task::lifecycle;
use crate::task::process::{ExitStatus, RestartBlock};
use crate::task::sched::{self, SCHED, with_process};
use alloc::string::String;
use alloc::vec::Vec;
use memguard_abi::linux::{CLONE_SETTLS, CLONE_VFORK, CLONE_VM};

/// exit(): this thread ends (the process with it if it was the last).
pub fn exit(code: u32) -> SysResult {
    lifecycle::exit_current(ExitStatus::Exited(code as u8))
}

/// exit_group(): every thread of the process ends.
pub fn exit_group(code: u32) -> SysResult {
    lifecycle::exit_group(ExitStatus::Exited(code as u8))
}

pub fn fork(frame: &TrapFrame) -> SysResult {
    clone_with(frame, CloneArgs::FORK)
}

/// vfork(): the child borrows the parent's memory, and the parent waits
/// until the child execs or exits.
pub fn vfork(frame: &TrapFrame) -> SysResult {
    clone_with(frame, CloneArgs { flags: CLONE_VM | CLONE_VFORK | CloneArgs::FORK.flags, ..CloneArgs::FORK })
}

/// A fork short of memory or tasks while others are dying (a SIGKILL
/// pending) lets them exit first and tries once more: what they still hold
/// must not make it fail.
fn clone_with(frame: &TrapFrame, args: CloneArgs) -> SysResult {
    match fork::clone(frame, args) {
        Err(Errno::ENOMEM | Errno::EAGAIN) if crate::task::oom::wait_for_dying() => fork::clone(frame, args),
        r => r,
    }
}

/// argv and envp from user memory (E2BIG past ARG_MAX together); an
/// empty argv becomes [""], as Linux gives such a program.
fn read_args(argv: u32, envp: u32) -> Result<(Vec<String>, Vec<String>), Errno> {
    let (argv, envp) = with_process(|p| -> Result<_, Errno> {
        let argv = read_str_array(&mut p.mem, argv, ARG_MAX)?;
        let envp = read_str_array(&mut p.mem, envp, ARG_MAX - argv.iter().map(|a| a.len() + 5).sum::<usize>())?;
        Ok((argv, envp))
    })?;
    let argv = if argv.is_empty() { alloc::vec![String::new()] } else { argv };
    Ok((argv, envp))
}

/// execve(path, argv, envp): a relative path starts at the working
/// directory, and scripts see it as given.
pub fn execve(frame: &mut TrapFrame, path: u32, argv: u32, envp: u32) -> SysResult {
    let path = with_process(|p| read_cstr(&mut p.mem, path, PATH_MAX, Errno::ENAMETOOLONG))?;
    let (argv, envp) = read_args(argv, envp)?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    lifecycle::execve(frame, &path, argv, envp)
}

/// execveat(dirfd, path, argv, envp, flags): a relative path from `dirfd`;
/// AT_EMPTY_PATH runs the file open on `dirfd`.
pub fn execveat(frame: &mut TrapFrame, dirfd: i32, path: u32, argv: u32, envp: u32, flags: u32) -> SysResult {
    const AT_EMPTY_PATH: u32 = 0x1000;
    const AT_SYMLINK_NOFOLLOW: u32 = 0x100;
    if flags & !(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0 {
        return Err(Errno::EINVAL);
    }
    let p = with_process(|p| read_cstr(&mut p.mem, path, PATH_MAX, Errno::ENAMETOOLONG))?;
    let name = if p.is_empty() && flags & AT_EMPTY_PATH != 0 {
        let f = with_process(|p| p.files.get(dirfd as u32).cloned())?;
        let crate::fs::Node::Inode(ino) = f.node else { return Err(Errno::EACCES) };
        crate::fs::root::path_of_file(ino).ok_or(Errno::ENOENT)?
    } else if p.is_empty() {
        return Err(Errno::ENOENT);
    } else {
        super::path::absolute_at(dirfd, &p)?
    };
    let (argv, envp) = read_args(argv, envp)?;
    lifecycle::execve(frame, &name, argv, envp)
}

/// waitpid(pid, status, options) is wait4 without rusage.
pub fn wait4(pid: i32, status: u32, options: u32, rusage: u32) -> SysResult {
    if options & !WAIT_VALID_OPTIONS != 0 {
        return Err(Errno::EINVAL);
    }
    let (child, word) = lifecycle::wait(pid, options)?;
    if child != 0 {
        // As on Linux, the child is reaped even if the status cannot be
        // written back.
        with_process(|p| -> Result<(), Errno> {
            if status != 0 {
                write_u32(&mut p.mem, status, word)?;
            }
            if rusage != 0 {
                // Nothing is accounted per wait: the caller sees zeros.
                uaccess::write(&mut p.mem, rusage, &memguard_abi::linux::rusage::zeroed())?;
            }
            Ok(())
        })?;
    }
    Ok(child)
}

/// waitid(idtype, id, infop, options, rusage), in kernel_waitid's order:
/// EINVAL for unknown options or none of WEXITED/WSTOPPED/WCONTINUED, an
/// unknown idtype, P_PID with id <= 0, P_PGID/P_PIDFD with id < 0; P_PIDFD
/// then EBADF (there are no pidfds). Found: 0 and infop's signo, errno,
/// code, pid, uid and status (CLD_EXITED/KILLED/STOPPED/CONTINUED); with
/// WNOHANG and nothing to report, 0 and those fields zero — and zero too
/// after any error, as Linux writes them whatever kernel_waitid said. A
/// NULL infop is allowed; a bad one is EFAULT, over any other error and
/// after the child is reaped, as Linux.
pub fn waitid(idtype: u32, id: i32, infop: u32, options: u32, rusage: u32) -> SysResult {
    use crate::task::lifecycle::WaitReport;
    use crate::task::pgrp::Select;
    use crate::task::process::ExitStatus;
    use memguard_abi::Signal;
    use memguard_abi::linux::{CLD_CONTINUED, CLD_EXITED, CLD_KILLED, CLD_STOPPED};
    const WNOHANG: u32 = 1;
    const WSTOPPED: u32 = 2;
    const WEXITED: u32 = 4;
    const WCONTINUED: u32 = 8;
    const WNOWAIT: u32 = 0x0100_0000;
    const WHICH_CHILDREN: u32 = 0xE000_0000; // __WNOTHREAD, __WALL, __WCLONE
    const P_ALL: u32 = 0;
    const P_PID: u32 = 1;
    const P_PGID: u32 = 2;
    const P_PIDFD: u32 = 3;
    let checked = || -> Result<Option<(u32, WaitReport)>, Errno> {
        if options & !(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WHICH_CHILDREN) != 0
            || options & (WEXITED | WSTOPPED | WCONTINUED) == 0
        {
            return Err(Errno::EINVAL);
        }
        let which = match idtype {
            P_ALL => Select::Any,
            P_PID if id > 0 => Select::Process(id as u32),
            P_PGID if id > 0 => Select::Group(id as u32),
            P_PGID if id == 0 => Select::Group(crate::task::jobctl::current_pgid(&mut SCHED.lock())),
            P_PIDFD if id >= 0 => return Err(Errno::EBADF),
            _ => return Err(Errno::EINVAL),
        };
        lifecycle::waitid(which, options)
    };
    let result = checked();
    let found = result.unwrap_or(None);
    let (signo, code, pid, status) = match found {
        None => (0, 0, 0, 0),
        Some((pid, report)) => {
            let (code, status) = match report {
                WaitReport::Exited(ExitStatus::Exited(c)) => (CLD_EXITED, u32::from(c)),
                WaitReport::Exited(ExitStatus::Killed(sig)) => (CLD_KILLED, u32::from(sig.raw())),
                WaitReport::Stopped(sig) => (CLD_STOPPED, u32::from(sig.raw())),
                WaitReport::Continued => (CLD_CONTINUED, u32::from(Signal::SIGCONT.raw())),
            };
            (u32::from(Signal::SIGCHLD.raw()), code, pid, status)
        }
    };
    with_process(|p| -> Result<(), Errno> {
        if found.is_some() && rusage != 0 {
            uaccess::write(&mut p.mem, rusage, &memguard_abi::linux::rusage::zeroed())?;
        }
        if infop != 0 {
            // The whole siginfo must be writable; only these fields are written.
            uaccess::user_range(infop, 128)?;
            for (i, v) in [signo, 0, code, pid, 0, status].into_iter().enumerate() {
                write_u32(&mut p.mem, infop + 4 * i as u32, v)?;
            }
        }
        Ok(())
    })?;
    result.map(|_| 0)
}

pub fn kill(pid: i32, sig: u32) -> SysResult {
    lifecycle::kill(pid, sig).map(|_| 0)
}

pub fn getppid() -> SysResult {
    Ok(SCHED.lock().current_task().ppid)
}

pub fn sched_yield() -> SysResult {
    sched::yield_now();
    Ok(0)
}

/// Sleeps until `deadline` on the monotonic clock. A signal ends it early:
/// the time left goes to `rem` (if not NULL), and the call ends in EINTR
/// if a handler runs; otherwise (a stop, an ignored signal) restart_syscall
/// sleeps out the rest, as Linux's restart block does. An absolute sleep
/// (`rem` 0, `restartable` false) is simply restarted without a handler.
fn sleep_until(deadline: u64, rem: u32, abi: TimeAbi, relative: bool) -> SysResult {
    while crate::time::monotonic_ns() < deadline {
        if lifecycle::interrupted() {
            if !relative {
                return Err(Errno::ERESTARTNOHAND);
            }
            if rem != 0 {
                let left = deadline.saturating_sub(crate::time::monotonic_ns());
                with_process(|p| timespec::write(&mut p.mem, rem, left, abi))?;
            }
            let time64 = abi == TimeAbi::Time64;
            SCHED.lock().current_task().sig.restart = Some(RestartBlock::Sleep { deadline, rem, time64 });
            return Err(Errno::ERESTART_RESTARTBLOCK);
        }
        sched::sleep_until(deadline);
    }
    Ok(0)
}

/// restart_syscall(): resumes the call a signal interrupted, from what it
/// saved; EINTR if there is nothing to resume.
pub fn restart_syscall() -> SysResult {
    match SCHED.lock().current_task().sig.restart.take() {
        Some(RestartBlock::Sleep { deadline, rem, time64 }) => {
            sleep_until(deadline, rem, if time64 { TimeAbi::Time64 } else { TimeAbi::Time32 }, true)
        }
        Some(RestartBlock::Futex { uaddr, val, deadline, bitset, private }) => {
            crate::task::futex::wait(uaddr, private, val, Some(deadline), bitset)
        }
        Some(RestartBlock::Poll { ufds, nfds, deadline }) => super::poll::restart_poll(ufds, nfds, deadline),
        None => Err(Errno::EINTR),
    }
}

/// nanosleep(req, rem).
pub fn nanosleep(req: u32, rem: u32) -> SysResult {
    let ns = with_process(|p| timespec::read(&mut p.mem, req, TimeAbi::Time32))?;
    sleep_until(crate::time::monotonic_ns().saturating_add(ns), rem, TimeAbi::Time32, true)
}

const TIMER_ABSTIME: u32 = 1;

/// clock_nanosleep(clock, flags, req, rem) and the 64-bit variant: on the
/// realtime, monotonic, boot-time or TAI clock, relative or TIMER_ABSTIME.
pub fn clock_nanosleep(clock: u32, flags: u32, req: u32, rem: u32, abi: TimeAbi) -> SysResult {
    let realtime = match clock {
        0 | 11 => true,
        1 | 7 => false,
        2 | 3 => return Err(Errno::EOPNOTSUPP),
        _ => return Err(Errno::EINVAL),
    };
    let ns = with_process(|p| timespec::read(&mut p.mem, req, abi))?;
    let now = crate::time::monotonic_ns();
    let deadline = if flags & TIMER_ABSTIME == 0 {
        now.saturating_add(ns)
    } else if realtime {
        now.saturating_add(ns.saturating_sub(crate::time::realtime_ns()))
    } else {
        ns
    };
    // An absolute sleep is restarted as it is, with no remainder.
    let relative = flags & TIMER_ABSTIME == 0;
    sleep_until(deadline, if relative { rem } else { 0 }, abi, relative)
}

/// clone(flags, stack, parent_tid, tls, child_tid): i386's argument order.
pub fn clone(frame: &TrapFrame, flags: u32, stack: u32, parent_tid: u32, tls: u32, child_tid: u32) -> SysResult {
    let is_init = SCHED.lock().current_task().tgid == crate::task::process::INIT_PID;
    crate::task::clone::check(flags, is_init)?;
    let tls = if flags & CLONE_SETTLS != 0 { Some(super::tls::clone_tls(tls)?) } else { None };
    clone_with(frame, CloneArgs { flags, stack, parent_tid, child_tid, tls })
}

/// getpid: the thread group's id.
pub fn getpid() -> SysResult {
    Ok(crate::task::sched::current_tgid())
}

/// set_tid_address(tidptr): zeroed and woken at exit; returns the tid.
pub fn set_tid_address(tidptr: u32) -> SysResult {
    let mut s = SCHED.lock();
    let t = s.current_task();
    t.clear_child_tid = tidptr;
    Ok(t.pid)
}

/// set_robust_list(head, len): `len` must be the size of the head (12).
pub fn set_robust_list(head: u32, len: u32) -> SysResult {
    if len != 12 {
        return Err(Errno::EINVAL);
    }
    SCHED.lock().current_task().robust_list = head;
    Ok(0)
}

/// get_robust_list(tid, head_ptr, len_ptr): 0 is the caller.
pub fn get_robust_list(tid: i32, head_ptr: u32, len_ptr: u32) -> SysResult {
    let head = {
        let s = SCHED.lock();
        let me = s.current;
        let tid = if tid == 0 { me } else { tid as u32 };
        let t = s.tasks.get(&tid).filter(|t| tid != 0 && !t.detached && tid as i32 > 0);
        t.ok_or(Errno::ESRCH)?.robust_list
    };
    with_process(|p| -> Result<(), Errno> {
        uaccess::write(&mut p.mem, head_ptr, &head)?;
        uaccess::write(&mut p.mem, len_ptr, &12u32)
    })?;
    Ok(0)
}

/// getpgid(pid): the process group of `pid` (0: the caller); ESRCH if
/// there is no such task.
pub fn getpgid(pid: i32) -> SysResult {
    crate::task::jobctl::getpgid(pid)
}

/// getpgrp(): the caller's process group.
pub fn getpgrp() -> SysResult {
    crate::task::jobctl::getpgid(0)
}

/// getsid(pid): the session of `pid` (0: the caller).
pub fn getsid(pid: i32) -> SysResult {
    crate::task::jobctl::getsid(pid)
}

/// setpgid(pid, pgid), with Linux's checks (`task::pgrp::setpgid`).
pub fn setpgid(pid: i32, pgid: i32) -> SysResult {
    crate::task::jobctl::setpgid(pid, pgid)
}

/// setsid(): a new session led by the caller, which has no controlling
/// terminal; returns its id.
pub fn setsid() -> SysResult {
    crate::task::jobctl::setsid()
}

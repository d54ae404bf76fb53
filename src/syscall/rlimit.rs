//! getrlimit (76), setrlimit (75), ugetrlimit (191), prlimit64 (340):
//! the limits of `task::rlimit`, in the three forms i386 has — the old
//! getrlimit's (capped at 0x7FFFFFFF), the 32-bit one (RLIM_INFINITY
//! 0xFFFFFFFF) and prlimit64's — with Linux's checks in its order.

use super::abi::{Errno, SysResult};
use super::uaccess;
use crate::task::lifecycle::stack_limit;
use crate::task::process::{IDLE_PID, Pid, Process};
use crate::task::rlimit::{self, LimitError, RLIMIT_AS, RLIMIT_DATA, RLIMIT_NOFILE, RLIMIT_STACK, Rlimit};
use crate::task::sched::{SCHED, current_pid, with_process};

impl From<LimitError> for Errno {
    fn from(e: LimitError) -> Errno {
        match e {
            LimitError::Invalid => Errno::EINVAL,
            LimitError::NotPermitted => Errno::EPERM,
        }
    }
}

fn own_limit(resource: u32) -> Result<Rlimit, Errno> {
    with_process(|p| p.limits.get(resource)).ok_or(Errno::EINVAL)
}

/// Applies a changed limit to what it governs.
fn set_own(p: &mut Process, resource: u32, new: Rlimit) -> Result<(), Errno> {
    p.limits.set(resource, new)?;
    match resource as usize {
        RLIMIT_NOFILE => p.files.set_limit(new.cur),
        RLIMIT_STACK => p.mem.map.stack_limit = stack_limit(&p.limits),
        RLIMIT_AS | RLIMIT_DATA => p.mem.map.limits = p.limits.memory(),
        _ => {}
    }
    Ok(())
}

/// ugetrlimit(resource, rlim): 32-bit, infinity as 0xFFFFFFFF.
pub fn ugetrlimit(resource: u32, rlim: u32) -> SysResult {
    let l = own_limit(resource)?;
    let v = [rlimit::to_u32(l.cur), rlimit::to_u32(l.max)];
    with_process(|p| uaccess::write(&mut p.mem, rlim, &v))?;
    Ok(0)
}

/// The old getrlimit (76): values capped at 0x7FFFFFFF.
pub fn old_getrlimit(resource: u32, rlim: u32) -> SysResult {
    let l = own_limit(resource)?;
    let v = [rlimit::to_old(l.cur), rlimit::to_old(l.max)];
    with_process(|p| uaccess::write(&mut p.mem, rlim, &v))?;
    Ok(0)
}

/// setrlimit(resource, rlim): 32-bit values, 0xFFFFFFFF for infinity.
pub fn setrlimit(resource: u32, rlim: u32) -> SysResult {
    let [cur, max]: [u32; 2] = with_process(|p| uaccess::read(&mut p.mem, rlim))?;
    let new = Rlimit { cur: rlimit::from_u32(cur), max: rlimit::from_u32(max) };
    with_process(|p| set_own(p, resource, new))?;
    Ok(0)
}

/// prlimit64(pid, resource, new, old): 64-bit values; `old` gets the
/// limit before `new` is set. Another process's limits may be read and
/// set (everyone here is root). Linux's order: EFAULT reading `new`, ESRCH,
/// EINVAL (resource, soft above hard), EPERM, EFAULT writing `old`.
pub fn prlimit64(pid: i32, resource: u32, new: u32, old: u32) -> SysResult {
    let new = if new != 0 {
        let [cur, max]: [u64; 2] = with_process(|p| uaccess::read(&mut p.mem, new))?;
        Some(Rlimit { cur, max })
    } else {
        None
    };
    if pid < 0 {
        return Err(Errno::ESRCH);
    }
    let me = current_pid();
    let target = if pid == 0 { me } else { pid as Pid };
    let before = if target == me {
        let before = own_limit(resource)?;
        if let Some(r) = new {
            with_process(|p| set_own(p, resource, r))?;
        }
        before
    } else {
        let mut s = SCHED.lock();
        let t = s.tasks.get_mut(&target).filter(|t| t.pid != IDLE_PID).ok_or(Errno::ESRCH)?;
        let p = t.process.as_mut().ok_or(Errno::ESRCH)?;
        let before = p.limits.get(resource).ok_or(Errno::EINVAL)?;
        if let Some(r) = new {
            // The other process is not running (one CPU): its tables may be changed.
            set_own(p, resource, r)?;
        }
        before
    };
    if old != 0 {
        with_process(|p| uaccess::write(&mut p.mem, old, &[before.cur, before.max]))?;
    }
    Ok(0)
}

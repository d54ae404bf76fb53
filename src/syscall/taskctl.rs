//! prctl (172) — the task name (PR_SET_NAME, PR_GET_NAME) — and
//! sched_getaffinity (242): what C libraries and `ps`-like tools ask about
//! a task at start-up; the nice value (getpriority 96, setpriority 97,
//! nice 34) and personality (136).

use super::abi::{Errno, SysResult};
use super::uaccess::{copy_out, strncpy_from_user};
use crate::task::process::{IDLE_PID, Pid};
use crate::task::sched::{SCHED, with_process};

const PR_SET_NAME: u32 = 15;
const PR_GET_NAME: u32 = 16;
/// Linux's TASK_COMM_LEN: a name is at most 15 bytes and a NUL.
pub const COMM_LEN: usize = 16;

/// prctl(option, arg2, ...): the name options; any other is EINVAL.
pub fn prctl(option: u32, arg2: u32) -> SysResult {
    match option {
        PR_SET_NAME => {
            let name = with_process(|p| strncpy_from_user(&mut p.mem, arg2, COMM_LEN - 1))?;
            SCHED.lock().current_task().name = alloc::string::String::from_utf8_lossy(&name).into_owned();
            Ok(0)
        }
        PR_GET_NAME => {
            let mut comm = [0u8; COMM_LEN];
            {
                let mut s = SCHED.lock();
                let name = s.current_task().name.as_bytes();
                let n = name.len().min(COMM_LEN - 1);
                comm[..n].copy_from_slice(&name[..n]);
            }
            with_process(|p| copy_out(&mut p.mem, arg2, &comm))?;
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

/// The bytes of a CPU mask here (one CPU; Linux's cpumask_size() for a
/// 32-CPU i386 kernel).
const CPUMASK_BYTES: u32 = 4;

/// sched_getaffinity(pid, len, mask): CPU 0 only. Linux's order: EINVAL
/// for a length too short or not a multiple of a long, ESRCH for no such
/// task, EFAULT for the mask; returns the bytes written.
pub fn sched_getaffinity(pid: i32, len: u32, mask: u32) -> SysResult {
    if len.saturating_mul(8) < 1 || !len.is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    if pid < 0 {
        return Err(Errno::ESRCH);
    }
    let exists = pid == 0 || SCHED.lock().tasks.get(&(pid as Pid)).is_some_and(|t| t.pid != IDLE_PID);
    if !exists {
        return Err(Errno::ESRCH);
    }
    let n = len.min(CPUMASK_BYTES);
    let bits = 1u32.to_le_bytes();
    with_process(|p| copy_out(&mut p.mem, mask, &bits[..n as usize]))?;
    Ok(n)
}

const PRIO_PROCESS: u32 = 0;
const PRIO_PGRP: u32 = 1;
const PRIO_USER: u32 = 2;
const MIN_NICE: i32 = -20;
const MAX_NICE: i32 = 19;

/// The tasks getpriority/setpriority(which, who) name, as Linux picks
/// them: a task by tid (0: the caller), every task of a process group (0:
/// the caller's), every task of a user (0: the caller's; everyone here is
/// root, uid 0). EINVAL for another `which`.
fn prio_targets(s: &mut crate::task::sched::Sched, which: u32, who: u32) -> Result<alloc::vec::Vec<Pid>, Errno> {
    let me = s.current;
    let my_pgid = crate::task::jobctl::current_pgid(s);
    let picked = |pid: Pid, t: &crate::task::process::Task| {
        pid != IDLE_PID
            && match which {
                PRIO_PROCESS => pid == if who == 0 { me } else { who },
                PRIO_PGRP => t.pgid == if who == 0 { my_pgid } else { who },
                _ => who == 0,
            }
    };
    match which {
        PRIO_PROCESS | PRIO_PGRP | PRIO_USER => {
            Ok(s.tasks.iter().filter(|(p, t)| picked(**p, t)).map(|(p, _)| *p).collect())
        }
        _ => Err(Errno::EINVAL),
    }
}

/// getpriority(which, who): 20 - the lowest nice among the targets (the
/// kernel's 1..40 form; C libraries turn it back); ESRCH for none.
pub fn getpriority(which: u32, who: u32) -> SysResult {
    let mut s = SCHED.lock();
    let targets = prio_targets(&mut s, which, who)?;
    let best = targets.iter().filter_map(|p| s.tasks.get(p)).map(|t| 20 - i32::from(t.nice)).max();
    best.map(|v| v as u32).ok_or(Errno::ESRCH)
}

/// setpriority(which, who, niceval): niceval clamped to -20..19 for every
/// target (root may lower it); ESRCH for none.
pub fn setpriority(which: u32, who: u32, niceval: i32) -> SysResult {
    let mut s = SCHED.lock();
    let targets = prio_targets(&mut s, which, who)?;
    if targets.is_empty() {
        return Err(Errno::ESRCH);
    }
    let nice = niceval.clamp(MIN_NICE, MAX_NICE) as i8;
    for p in targets {
        if let Some(t) = s.tasks.get_mut(&p) {
            t.nice = nice;
        }
    }
    Ok(0)
}

/// nice(inc): the caller's nice value moved by inc (clamped to ±40),
/// kept within -20..19.
pub fn nice(inc: i32) -> SysResult {
    let mut s = SCHED.lock();
    let t = s.current_task();
    let inc = inc.clamp(-40, 40);
    t.nice = (i32::from(t.nice) + inc).clamp(MIN_NICE, MAX_NICE) as i8;
    Ok(0)
}

/// personality(persona): the old persona; 0xffffffff only asks. Any value
/// is taken, as Linux's set_personality takes it.
pub fn personality(persona: u32) -> SysResult {
    let mut s = SCHED.lock();
    let t = s.current_task();
    let old = t.personality;
    if persona != u32::MAX {
        t.personality = persona;
    }
    Ok(old)
}

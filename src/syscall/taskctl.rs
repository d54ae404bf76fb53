//! prctl (172) — the task name (PR_SET_NAME, PR_GET_NAME) — and
//! sched_getaffinity (242): what C libraries and `ps`-like tools ask about
//! a task at start-up.

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

//! futex(uaddr, op, val, timeout | val2, uaddr2, val3) and futex_time64:
//! the operation decoded and its arguments checked in Linux's order
//! (sys_futex, do_futex); the waiting and waking are `task::futex`'s.

use super::abi::{Errno, SysResult};
use super::timespec::{self, TimeAbi};
use crate::task::futex;
use crate::task::sched::with_process;

const WAIT: u32 = 0;
const WAKE: u32 = 1;
const REQUEUE: u32 = 3;
const CMP_REQUEUE: u32 = 4;
const WAKE_OP: u32 = 5;
const LOCK_PI: u32 = 6;
const WAIT_BITSET: u32 = 9;
const WAKE_BITSET: u32 = 10;
const WAIT_REQUEUE_PI: u32 = 11;
const LOCK_PI2: u32 = 13;
const PRIVATE_FLAG: u32 = 128;
const CLOCK_REALTIME: u32 = 256;

/// The calls whose fourth argument is a timeout (futex_cmd_has_timeout).
fn has_timeout(cmd: u32) -> bool {
    matches!(cmd, WAIT | LOCK_PI | LOCK_PI2 | WAIT_BITSET | WAIT_REQUEUE_PI)
}

pub fn futex(uaddr: u32, op: u32, val: u32, timeout: u32, uaddr2: u32, val3: u32, abi: TimeAbi) -> SysResult {
    let cmd = op & !(PRIVATE_FLAG | CLOCK_REALTIME);
    let private = op & PRIVATE_FLAG != 0;
    let realtime = op & CLOCK_REALTIME != 0;
    // The timeout is read and checked first (EFAULT, EINVAL): FUTEX_WAIT's
    // is relative, the others' absolute on CLOCK_MONOTONIC (or
    // CLOCK_REALTIME with the flag); all become a monotonic deadline.
    let deadline = if timeout != 0 && has_timeout(cmd) {
        let t = with_process(|p| timespec::read(&mut p.mem, timeout, abi))?;
        let now = crate::time::monotonic_ns();
        Some(match cmd {
            WAIT => now.saturating_add(t),
            _ if realtime => now.saturating_add(t.saturating_sub(crate::time::realtime_ns())),
            _ => t,
        })
    } else {
        None
    };
    if realtime && !matches!(cmd, WAIT_BITSET | WAIT_REQUEUE_PI | LOCK_PI2) {
        return Err(Errno::ENOSYS);
    }
    let count = |v: u32| -> Result<u32, Errno> { if (v as i32) < 0 { Err(Errno::EINVAL) } else { Ok(v) } };
    match cmd {
        WAIT => futex::wait(uaddr, private, val, deadline, !0),
        WAIT_BITSET if val3 == 0 => Err(Errno::EINVAL),
        WAIT_BITSET => futex::wait(uaddr, private, val, deadline, val3),
        WAKE => futex::wake(uaddr, private, val, !0),
        WAKE_BITSET if val3 == 0 => Err(Errno::EINVAL),
        WAKE_BITSET => futex::wake(uaddr, private, val, val3),
        REQUEUE | CMP_REQUEUE => {
            let (n_wake, n_requeue) = (count(val)?, count(timeout)?);
            let expect = (cmd == CMP_REQUEUE).then_some(val3);
            futex::requeue(uaddr, uaddr2, private, n_wake, n_requeue, expect)
        }
        WAKE_OP => futex::wake_op(uaddr, uaddr2, private, val, timeout, val3),
        // Priority inheritance (LOCK_PI, UNLOCK_PI, TRYLOCK_PI, the
        // requeue-PI pair, LOCK_PI2) is not implemented, nor is FUTEX_FD.
        _ => Err(Errno::ENOSYS),
    }
}

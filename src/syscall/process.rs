//! exit, fork, execve, waitpid/wait4, kill, getppid, sched_yield, nanosleep.

use super::abi::{Errno, SysResult, WAIT_VALID_OPTIONS};
use super::uaccess::{copy_in, copy_out, read_cstr, read_str_array, write_u32};
use crate::arch::x86::trap::TrapFrame;
use crate::fs::PATH_MAX;
use crate::task::exec::ARG_MAX;
use crate::task::lifecycle;
use crate::task::process::ExitStatus;
use crate::task::sched::{self, SCHED, with_process};

pub fn exit(code: u32) -> SysResult {
    lifecycle::exit_current(ExitStatus::Exited(code as u8))
}

pub fn fork(frame: &TrapFrame) -> SysResult {
    lifecycle::fork(frame)
}

pub fn execve(frame: &mut TrapFrame, path: u32, argv: u32, envp: u32) -> SysResult {
    let (path, argv, envp) = with_process(|p| -> Result<_, Errno> {
        let path = read_cstr(&mut p.mem, path, PATH_MAX, Errno::ENAMETOOLONG)?;
        let argv = read_str_array(&mut p.mem, argv, ARG_MAX)?;
        let envp = read_str_array(&mut p.mem, envp, ARG_MAX)?;
        Ok((path, argv, envp))
    })?;
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    lifecycle::execve(frame, &path, argv, envp)
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
                copy_out(&mut p.mem, rusage, &[0u8; 72])?;
            }
            Ok(())
        })?;
    }
    Ok(child)
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

/// nanosleep(req, rem): EINVAL for a negative or unnormalised request;
/// EINTR (with the time left in `rem`) if a signal ends it early.
pub fn nanosleep(req: u32, rem: u32) -> SysResult {
    let mut ts = [0u8; 8];
    with_process(|p| copy_in(&mut p.mem, req, &mut ts))?;
    let sec = i32::from_le_bytes([ts[0], ts[1], ts[2], ts[3]]);
    let nsec = i32::from_le_bytes([ts[4], ts[5], ts[6], ts[7]]);
    if sec < 0 || !(0..1_000_000_000).contains(&nsec) {
        return Err(Errno::EINVAL);
    }
    let deadline = crate::time::monotonic_ns() + sec as u64 * 1_000_000_000 + nsec as u64;
    while crate::time::monotonic_ns() < deadline {
        if lifecycle::signal_pending() {
            if rem != 0 {
                let left = deadline.saturating_sub(crate::time::monotonic_ns());
                let mut out = [0u8; 8];
                out[..4].copy_from_slice(&((left / 1_000_000_000) as u32).to_le_bytes());
                out[4..].copy_from_slice(&((left % 1_000_000_000) as u32).to_le_bytes());
                with_process(|p| copy_out(&mut p.mem, rem, &out))?;
            }
            return Err(Errno::EINTR);
        }
        sched::sleep_until(deadline);
    }
    Ok(0)
}

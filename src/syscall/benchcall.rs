//! 1003 `mg_limits(op, arg0, arg1)`: what `make bench` needs to time the
//! bare mechanisms (`arch::x86::benchgate`, `mm::benchwindow`). Exists only
//! when the kernel command line has `bench`; otherwise ENOSYS, as Linux
//! answers it, so bench behaves the same on both kernels.

use super::abi::{Errno, SysResult};
use super::uaccess::copy_out;
use crate::arch::x86::benchgate;
use crate::mm::benchwindow::{self, WindowError};
use crate::task::sched::with_process;
use memguard_abi::{LimitsOp, MgLimits};

pub fn limits(op: u32, arg0: u32, arg1: u32) -> SysResult {
    if !benchgate::enabled() {
        return Err(Errno::ENOSYS);
    }
    match LimitsOp::from_u32(op).ok_or(Errno::EINVAL)? {
        LimitsOp::Measure => measure(arg0, arg1),
        LimitsOp::Arm => with_process(|p| benchwindow::arm(&mut p.mem, arg0, arg1)).map(|()| 0).map_err(errno),
        LimitsOp::Disarm => with_process(|p| benchwindow::disarm(&mut p.mem)).map_err(errno),
    }
}

fn measure(buf: u32, size: u32) -> SysResult {
    let l = benchgate::measure();
    let rec = MgLimits {
        rep_stosd_4k: l.rep_stosd_4k,
        rep_movsd_4k: l.rep_movsd_4k,
        cr3_reload: l.cr3_reload,
        window_max_pages: benchgate::WINDOW_MAX_PAGES,
    };
    let bytes = rec.as_bytes();
    let n = bytes.len().min(size as usize);
    with_process(|p| copy_out(&mut p.mem, buf, &bytes[..n]))?;
    Ok(n as u32)
}

fn errno(e: WindowError) -> Errno {
    match e {
        WindowError::BadRange | WindowError::NotArmed => Errno::EINVAL,
        WindowError::NotPlainPage => Errno::EFAULT,
        WindowError::Busy => Errno::EBUSY,
    }
}

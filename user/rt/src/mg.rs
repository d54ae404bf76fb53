//! memguard's own system calls (numbers 1000..=1002). Linux answers them
//! with ENOSYS, which is how a program learns it is not on memguard.
use alloc::vec::Vec;

use crate::arch::nr;
use crate::arch::syscall::{syscall3, syscall5};
use crate::errno::{Errno, check};
use crate::process::Pid;

pub use memguard_abi::{MgStats, MgTranslation, View};

/// Whose counters `mg_stats` reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StatsOf {
    Me,
    Process(Pid),
    /// System-wide totals; the only form that fills the last three fields.
    System,
}

impl StatsOf {
    fn pid(self) -> Pid {
        match self {
            StatsOf::Me => 0,
            StatsOf::Process(pid) => pid,
            StatsOf::System => -1,
        }
    }
}

pub fn mg_stats(of: StatsOf) -> Result<MgStats, Errno> {
    let mut s = MgStats::default();
    let size = core::mem::size_of::<MgStats>();
    // SAFETY: `s` is valid and writable for `size` bytes.
    let r = unsafe { syscall3(nr::MG_STATS, of.pid() as usize, &mut s as *mut _ as usize, size) };
    check(r)?;
    Ok(s)
}

/// `mg_stats` into a caller-provided buffer: a test that counts faults
/// exactly pre-touches `out`, so the kernel's copy cannot fault.
pub fn mg_stats_into(of: StatsOf, out: &mut MgStats) -> Result<(), Errno> {
    let size = core::mem::size_of::<MgStats>();
    // SAFETY: `out` is valid and writable for `size` bytes.
    check(unsafe { syscall3(nr::MG_STATS, of.pid() as usize, out as *mut _ as usize, size) }).map(drop)
}

/// True when running on memguard (its system calls exist).
pub fn available() -> bool {
    mg_stats(StatsOf::Me) != Err(Errno::ENOSYS)
}

/// Formats report `view` into `buf`; returns the bytes written.
pub fn mg_view(view: View, arg0: u32, arg1: u32, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is valid and writable for `buf.len()` bytes.
    let r = unsafe {
        syscall5(nr::MG_VIEW, view as usize, arg0 as usize, arg1 as usize, buf.as_mut_ptr() as usize, buf.len())
    };
    check(r)
}

/// The whole report: retries with a larger buffer while the kernel fills it.
pub fn mg_view_all(view: View, arg0: u32, arg1: u32) -> Result<Vec<u8>, Errno> {
    let mut len = 16 * 1024;
    loop {
        let mut buf = alloc::vec![0u8; len];
        let n = mg_view(view, arg0, arg1, &mut buf)?;
        if n < len || len >= 1024 * 1024 {
            buf.truncate(n);
            return Ok(buf);
        }
        len *= 4;
    }
}

/// Translates `vaddr` in process `pid` (0 = the caller).
pub fn mg_translate(pid: Pid, vaddr: usize) -> Result<MgTranslation, Errno> {
    let mut t = MgTranslation::default();
    // SAFETY: `t` is valid and writable.
    let r = unsafe { syscall3(nr::MG_TRANSLATE, pid as usize, vaddr, &mut t as *mut _ as usize) };
    check(r)?;
    Ok(t)
}

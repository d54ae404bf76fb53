//! Time values across the user boundary: the two timespec layouts of the
//! i386 ABI (the original calls' 32-bit seconds, and the *_time64 calls'
//! 64-bit `__kernel_timespec`) and timeval, as typed structures.

use super::abi::Errno;
use super::uaccess;
use crate::mm::user::UserMemory;
use memguard_abi::linux;

const NS_PER_SEC: u64 = 1_000_000_000;

/// Which timespec a call takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimeAbi {
    /// `struct timespec` with a 32-bit `time_t` (clock_gettime, nanosleep).
    Time32,
    /// `struct __kernel_timespec` (clock_gettime64 and the other *_time64 calls).
    Time64,
}

/// Writes `ns` nanoseconds at `addr` as the call's timespec.
pub fn write(mem: &mut UserMemory, addr: u32, ns: u64, abi: TimeAbi) -> Result<(), Errno> {
    let (sec, nsec) = (ns / NS_PER_SEC, ns % NS_PER_SEC);
    match abi {
        TimeAbi::Time32 => uaccess::write(mem, addr, &linux::timespec { tv_sec: sec as i32, tv_nsec: nsec as i32 }),
        TimeAbi::Time64 => {
            uaccess::write(mem, addr, &linux::__kernel_timespec { tv_sec: sec as i64, tv_nsec: nsec as i64 })
        }
    }
}

/// Reads a timespec as nanoseconds; EINVAL for a negative or unnormalised
/// one, as Linux's timespec64_valid.
pub fn read(mem: &mut UserMemory, addr: u32, abi: TimeAbi) -> Result<u64, Errno> {
    let (sec, nsec) = match abi {
        TimeAbi::Time32 => {
            let t: linux::timespec = uaccess::read(mem, addr)?;
            (i64::from(t.tv_sec), i64::from(t.tv_nsec))
        }
        TimeAbi::Time64 => {
            let t: linux::__kernel_timespec = uaccess::read(mem, addr)?;
            // A 32-bit kernel keeps tv_nsec in a long: the high half of
            // the 64-bit field is dropped, as Linux i386 drops it.
            (t.tv_sec, i64::from(t.tv_nsec as i32))
        }
    };
    if sec < 0 || !(0..NS_PER_SEC as i64).contains(&nsec) {
        return Err(Errno::EINVAL);
    }
    Ok((sec as u64).saturating_mul(NS_PER_SEC).saturating_add(nsec as u64))
}

/// `ns` as a timeval (microseconds).
pub fn timeval(ns: u64) -> linux::timeval {
    linux::timeval { tv_sec: (ns / NS_PER_SEC) as i32, tv_usec: ((ns % NS_PER_SEC) / 1000) as i32 }
}

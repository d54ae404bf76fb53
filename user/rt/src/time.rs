//! Time system calls with the i386 32-bit `time_t` structures.
use core::mem::{offset_of, size_of};

use memguard_abi::linux;

use crate::arch::nr;
use crate::arch::syscall::syscall2;
use crate::errno::{Errno, check};

/// `struct timespec` with a 32-bit `time_t` (the i386 ABI of calls 162/265).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Timespec {
    pub sec: i32,
    pub nsec: i32,
}

/// `struct timeval` with a 32-bit `time_t` (call 78).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Timeval {
    pub sec: i32,
    pub usec: i32,
}

// Field for field Linux's `struct timespec` and `struct timeval` (the ABI
// crate's), with shorter names and the traits Rust code wants.
const _: () = assert!(size_of::<Timespec>() == size_of::<linux::timespec>());
const _: () = assert!(offset_of!(Timespec, nsec) == offset_of!(linux::timespec, tv_nsec));
const _: () = assert!(size_of::<Timeval>() == size_of::<linux::timeval>());
const _: () = assert!(offset_of!(Timeval, usec) == offset_of!(linux::timeval, tv_usec));

/// clock_gettime's clock ids.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Clock {
    Realtime = linux::CLOCK_REALTIME,
    Monotonic = linux::CLOCK_MONOTONIC,
}

impl Timespec {
    pub fn from_ms(ms: u32) -> Timespec {
        Timespec { sec: (ms / 1000) as i32, nsec: ((ms % 1000) * 1_000_000) as i32 }
    }

    /// The whole value in nanoseconds.
    pub fn as_ns(&self) -> i64 {
        self.sec as i64 * 1_000_000_000 + self.nsec as i64
    }
}

/// Sleeps for `t`. On EINTR the remaining time is not slept.
pub fn nanosleep(t: &Timespec) -> Result<(), Errno> {
    // SAFETY: `t` is readable; the remainder pointer is NULL (allowed).
    check(unsafe { syscall2(nr::NANOSLEEP, t as *const Timespec as usize, 0) }).map(drop)
}

pub fn sleep_ms(ms: u32) -> Result<(), Errno> {
    nanosleep(&Timespec::from_ms(ms))
}

pub fn clock_gettime(clock: Clock) -> Result<Timespec, Errno> {
    let mut t = Timespec::default();
    // SAFETY: `t` is a valid, writable timespec.
    check(unsafe { syscall2(nr::CLOCK_GETTIME, clock as usize, &mut t as *mut _ as usize) })?;
    Ok(t)
}

/// Nanoseconds on the monotonic clock, 0 if the kernel has none.
pub fn monotonic_ns() -> i64 {
    clock_gettime(Clock::Monotonic).map(|t| t.as_ns()).unwrap_or(0)
}

/// The wall-clock time (the timezone argument is NULL).
pub fn gettimeofday() -> Result<Timeval, Errno> {
    let mut t = Timeval::default();
    // SAFETY: `t` is a valid, writable timeval; tz NULL is allowed.
    check(unsafe { syscall2(nr::GETTIMEOFDAY, &mut t as *mut _ as usize, 0) })?;
    Ok(t)
}

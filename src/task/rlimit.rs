//! Resource limits (getrlimit, ugetrlimit, setrlimit, prlimit64), as Linux
//! keeps them: sixteen (soft, hard) pairs per process, inherited by fork and
//! kept across exec, with Linux's starting values and its rules for
//! changing them. Pure; the system calls are in `syscall/rlimit.rs`.
//!
//! Acted on: RLIMIT_NOFILE (descriptor numbers), RLIMIT_STACK (how far the
//! stack may grow), RLIMIT_AS and RLIMIT_DATA (mmap, mremap, brk and stack
//! growth, through `memory()` and `mm::limits`). The others are kept and
//! reported; like Linux for root, nothing refuses a fork for RLIMIT_NPROC.

use crate::mm::limits::MemLimits;

/// Linux's RLIM64_INFINITY.
pub const INFINITY: u64 = u64::MAX;
pub const RLIMIT_DATA: usize = 2;
pub const RLIMIT_STACK: usize = 3;
pub const RLIMIT_NOFILE: usize = 7;
pub const RLIMIT_AS: usize = 9;
/// How many resources there are (RLIM_NLIMITS).
pub const COUNT: usize = 16;
/// Linux's fs.nr_open: the highest RLIMIT_NOFILE may go (EPERM above).
pub const NR_OPEN: u64 = 1 << 20;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Rlimit {
    pub cur: u64,
    pub max: u64,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Limits(pub [Rlimit; COUNT]);

/// Why a limit may not be set.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LimitError {
    /// No such resource, or soft above hard (EINVAL).
    Invalid,
    /// Above what the kernel allows at all (EPERM).
    NotPermitted,
}

impl Limits {
    /// Linux's starting limits (init_task's, as a program sees them):
    /// `threads` is the system's threads-max, of which NPROC and
    /// SIGPENDING get half.
    pub const fn initial(threads: u64) -> Self {
        const INF: Rlimit = Rlimit { cur: INFINITY, max: INFINITY };
        let half = Rlimit { cur: threads / 2, max: threads / 2 };
        Limits([
            INF,                                    // CPU
            INF,                                    // FSIZE
            INF,                                    // DATA
            Rlimit { cur: 8 << 20, max: INFINITY }, // STACK
            Rlimit { cur: 0, max: INFINITY },       // CORE
            INF,                                    // RSS
            half,                                   // NPROC
            Rlimit { cur: 1024, max: 4096 },        // NOFILE
            Rlimit { cur: 8 << 20, max: 8 << 20 },  // MEMLOCK
            INF,                                    // AS
            INF,                                    // LOCKS
            half,                                   // SIGPENDING
            Rlimit { cur: 819_200, max: 819_200 },  // MSGQUEUE
            Rlimit { cur: 0, max: 0 },              // NICE
            Rlimit { cur: 0, max: 0 },              // RTPRIO
            INF,                                    // RTTIME
        ])
    }

    pub fn get(&self, resource: u32) -> Option<Rlimit> {
        self.0.get(resource as usize).copied()
    }

    /// Sets one limit by Linux's rules (everyone here may raise a hard
    /// limit, as root may).
    pub fn set(&mut self, resource: u32, new: Rlimit) -> Result<(), LimitError> {
        let slot = self.0.get_mut(resource as usize).ok_or(LimitError::Invalid)?;
        if new.cur > new.max {
            return Err(LimitError::Invalid);
        }
        if resource as usize == RLIMIT_NOFILE && new.max > NR_OPEN {
            return Err(LimitError::NotPermitted);
        }
        *slot = new;
        Ok(())
    }

    /// What the memory map needs of these limits (RLIMIT_AS, RLIMIT_DATA).
    pub fn memory(&self) -> MemLimits {
        let data = self.0[RLIMIT_DATA];
        MemLimits { address_space: self.0[RLIMIT_AS].cur, data: data.cur, data_max: data.max }
    }
}

/// A limit as `ugetrlimit` reports it: 32-bit, infinity (and anything past
/// 32 bits) as RLIM_INFINITY (0xFFFFFFFF).
pub const fn to_u32(v: u64) -> u32 {
    if v > u32::MAX as u64 { u32::MAX } else { v as u32 }
}

/// As the old `getrlimit` (76) reports it: capped at 0x7FFFFFFF.
pub const fn to_old(v: u64) -> u32 {
    if v > 0x7FFF_FFFF { 0x7FFF_FFFF } else { v as u32 }
}

/// A 32-bit limit `setrlimit` was given: RLIM_INFINITY means infinity.
pub const fn from_u32(v: u32) -> u64 {
    if v == u32::MAX { INFINITY } else { v as u64 }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn linux_starting_values() {
        let l = Limits::initial(1766);
        assert_eq!(l.get(RLIMIT_STACK as u32), Some(Rlimit { cur: 8 << 20, max: INFINITY }));
        assert_eq!(l.get(RLIMIT_NOFILE as u32), Some(Rlimit { cur: 1024, max: 4096 }));
        assert_eq!(l.get(6).map(|r| r.cur), Some(883), "NPROC: half of threads-max");
        assert_eq!(l.get(16), None);
    }

    #[test]
    fn setting_follows_linux_rules() {
        let mut l = Limits::initial(100);
        assert_eq!(l.set(7, Rlimit { cur: 100, max: 50 }), Err(LimitError::Invalid), "soft above hard");
        assert_eq!(l.set(7, Rlimit { cur: 2_000_000, max: 2_000_000 }), Err(LimitError::NotPermitted));
        assert_eq!(l.set(16, Rlimit { cur: 0, max: 0 }), Err(LimitError::Invalid));
        assert_eq!(l.set(7, Rlimit { cur: 64, max: 1 << 20 }), Ok(()), "up to nr_open");
        assert_eq!(l.get(7), Some(Rlimit { cur: 64, max: 1 << 20 }));
        assert_eq!(l.set(9, Rlimit { cur: INFINITY, max: INFINITY }), Ok(()));
    }

    #[test]
    fn the_memory_limits() {
        let mut l = Limits::initial(100);
        assert_eq!(l.memory(), MemLimits::NONE);
        l.set(RLIMIT_AS as u32, Rlimit { cur: 1 << 26, max: INFINITY }).unwrap();
        l.set(RLIMIT_DATA as u32, Rlimit { cur: 0, max: 1 << 20 }).unwrap();
        assert_eq!(l.memory(), MemLimits { address_space: 1 << 26, data: 0, data_max: 1 << 20 });
    }

    #[test]
    fn the_32_bit_forms() {
        assert_eq!((to_u32(INFINITY), to_u32(8 << 20), to_u32(1 << 40)), (u32::MAX, 8 << 20, u32::MAX));
        assert_eq!((to_old(INFINITY), to_old(8 << 20)), (0x7FFF_FFFF, 8 << 20));
        assert_eq!((from_u32(u32::MAX), from_u32(64)), (INFINITY, 64));
    }
}

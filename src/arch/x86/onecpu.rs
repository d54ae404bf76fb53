//! Shared words on a machine with one CPU that runs kernel code with
//! interrupts off (the kernel's rule: see `task::sched`). Nothing can come
//! between a load and the store after it, so a counter or a flag needs no
//! locked read-modify-write. The locked forms (`lock inc`, `xchg`, `lock
//! cmpxchg`) are what `fetch_add` and `swap` compile to, and under QEMU's
//! TCG each costs as much as dozens of plain instructions (measured: a
//! `swap` instead of a load and a store added 40 cycles to getpid).
//! The words stay atomics so that reading them needs no `unsafe`.

use core::sync::atomic::{AtomicBool, AtomicU32, Ordering::Relaxed};

/// `c += n` (wrapping, as `fetch_add`).
#[inline(always)]
pub fn add(c: &AtomicU32, n: u32) {
    c.store(c.load(Relaxed).wrapping_add(n), Relaxed);
}

/// `c -= n` (wrapping, as `fetch_sub`).
#[inline(always)]
pub fn sub(c: &AtomicU32, n: u32) {
    c.store(c.load(Relaxed).wrapping_sub(n), Relaxed);
}

/// Clears `flag`, saying whether it was set.
#[inline(always)]
pub fn take(flag: &AtomicBool) -> bool {
    flag.load(Relaxed) && {
        flag.store(false, Relaxed);
        true
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn counters_wrap_and_flags_clear() {
        let c = AtomicU32::new(u32::MAX);
        add(&c, 2);
        assert_eq!(c.load(Relaxed), 1);
        sub(&c, 3);
        assert_eq!(c.load(Relaxed), u32::MAX - 1);
        let f = AtomicBool::new(true);
        assert!(take(&f));
        assert!(!take(&f));
        assert!(!f.load(Relaxed));
    }
}

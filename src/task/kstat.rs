//! The kernel's counters behind /proc/stat and /proc/loadavg: interrupts
//! by IRQ line, context switches, forks, and the 1/5/15-minute load
//! averages sampled from the run queue every 5 seconds of timer ticks, as
//! Linux's calc_global_load does (`fs::procacct::calc_load`).

use crate::fs::procacct::{EXP, LOAD_FREQ_TICKS, calc_load};
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Interrupts taken per IRQ line of the two 8259s.
static IRQS: [AtomicU64; 16] = [const { AtomicU64::new(0) }; 16];
static CONTEXT_SWITCHES: AtomicU64 = AtomicU64::new(0);
static FORKS: AtomicU32 = AtomicU32::new(0);
/// avenrun (FSHIFT fixed point) and the tick of the next sample.
static LOAD: spin::Mutex<([u32; 3], u64)> = spin::Mutex::new(([0; 3], LOAD_FREQ_TICKS));

/// A hardware interrupt on `irq` (from the switchboard).
pub fn on_irq(irq: u8) {
    if let Some(c) = IRQS.get(usize::from(irq)) {
        c.fetch_add(1, Ordering::Relaxed);
    }
}

/// The scheduler switched tasks.
pub fn on_switch() {
    CONTEXT_SWITCHES.fetch_add(1, Ordering::Relaxed);
}

/// A task was created (fork, vfork or clone: Linux's total_forks).
pub fn on_fork() {
    FORKS.fetch_add(1, Ordering::Relaxed);
}

/// Every timer tick: once per LOAD_FREQ, the load averages take a sample
/// of `active()`, the tasks running or waiting to run.
pub fn on_tick(tick: u64, active: impl FnOnce() -> u32) {
    let mut load = LOAD.lock();
    if tick < load.1 {
        return;
    }
    load.1 = tick + LOAD_FREQ_TICKS;
    let active = active();
    for (avg, exp) in load.0.iter_mut().zip(EXP) {
        *avg = calc_load(*avg, exp, active);
    }
}

pub fn avenrun() -> [u32; 3] {
    LOAD.lock().0
}

pub fn irq_counts() -> [u64; 16] {
    core::array::from_fn(|i| IRQS[i].load(Ordering::Relaxed))
}

pub fn context_switches() -> u64 {
    CONTEXT_SWITCHES.load(Ordering::Relaxed)
}

pub fn forks() -> u32 {
    FORKS.load(Ordering::Relaxed)
}

//! The 8254 programmable interval timer, channel 0, as the system tick.
//!
//! The PIT counts down from a divisor at 1.193182 MHz; with divisor 1193 it
//! interrupts 1000.15 times a second (`HZ`). The tick count is the kernel's
//! coarse monotonic clock; the TSC, calibrated against it at boot, gives the
//! fine one (`time`).

use super::instructions::outb;
use core::sync::atomic::{AtomicU64, Ordering};

pub const PIT_FREQUENCY_HZ: u32 = 1_193_182;
pub const HZ: u32 = 1000;
const DIVISOR: u16 = ((PIT_FREQUENCY_HZ + HZ / 2) / HZ) as u16;

static TICKS: AtomicU64 = AtomicU64::new(0);

/// Channel 0, lobyte/hibyte access, mode 2 (rate generator).
pub fn init() {
    // SAFETY: 0x43 is the PIT mode register and 0x40 channel 0's data port.
    unsafe {
        outb(0x43, 0x34);
        outb(0x40, (DIVISOR & 0xFF) as u8);
        outb(0x40, (DIVISOR >> 8) as u8);
    }
}

/// Ticks since `init`.
pub fn ticks() -> u64 {
    TICKS.load(Ordering::Relaxed)
}

/// Nanoseconds per tick (the real period of the programmed divisor).
pub const fn tick_ns() -> u64 {
    DIVISOR as u64 * 1_000_000_000 / PIT_FREQUENCY_HZ as u64
}

/// Counts one timer interrupt.
pub fn tick() {
    TICKS.fetch_add(1, Ordering::Relaxed);
}

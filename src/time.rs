//! Clocks: monotonic time from the TSC (calibrated against the PIT at boot),
//! and wall-clock time from the CMOS real-time clock read once at boot.
//! The date arithmetic is pure and host-tested.

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
pub const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A CMOS BCD byte as a number.
pub const fn from_bcd(b: u8) -> u32 {
    (b >> 4) as u32 * 10 + (b & 0xF) as u32
}

#[cfg(target_os = "none")]
mod clock {
    use super::{days_from_civil, from_bcd};
    use crate::arch::x86::instructions::{inb, outb, rdtsc, wait_for_interrupt};
    use crate::arch::x86::pit;
    use core::sync::atomic::{AtomicU64, Ordering};

    static TSC_AT_BOOT: AtomicU64 = AtomicU64::new(0);
    /// TSC ticks per millisecond × 1024, for integer scaling.
    static TSC_PER_MS_X1024: AtomicU64 = AtomicU64::new(0);
    static WALL_AT_BOOT_NS: AtomicU64 = AtomicU64::new(0);

    /// Calibrates the TSC over 20 timer ticks (interrupts on for the wait
    /// only) and reads the wall clock.
    pub fn init() {
        let wait_ticks = 20;
        let t0 = pit::ticks();
        while pit::ticks() == t0 {
            wait_for_interrupt();
        }
        let (start_tick, start_tsc) = (pit::ticks(), rdtsc());
        while pit::ticks() < start_tick + wait_ticks {
            wait_for_interrupt();
        }
        let elapsed_tsc = rdtsc() - start_tsc;
        let elapsed_ns = wait_ticks * pit::tick_ns();
        TSC_PER_MS_X1024.store((elapsed_tsc * 1024 * 1_000_000 / elapsed_ns).max(1), Ordering::Relaxed);
        TSC_AT_BOOT.store(start_tsc - start_tick * pit::tick_ns() * elapsed_tsc / elapsed_ns, Ordering::Relaxed);
        WALL_AT_BOOT_NS.store(read_rtc_unix_seconds() * 1_000_000_000 - monotonic_ns(), Ordering::Relaxed);
        log::info!("TSC: {} kHz", TSC_PER_MS_X1024.load(Ordering::Relaxed) / 1024);
    }

    /// Nanoseconds since boot.
    pub fn monotonic_ns() -> u64 {
        let per_ms = TSC_PER_MS_X1024.load(Ordering::Relaxed);
        if per_ms == 0 {
            return pit::ticks() * pit::tick_ns();
        }
        let d = rdtsc().saturating_sub(TSC_AT_BOOT.load(Ordering::Relaxed));
        // d / (per_ms/1024) ms = d * 1024 * 1e6 / per_ms ns, split to avoid overflow.
        let ms = d * 1024 / per_ms;
        let rem = d * 1024 % per_ms;
        ms * 1_000_000 + rem * 1_000_000 / per_ms
    }

    /// Nanoseconds since the Unix epoch.
    pub fn realtime_ns() -> u64 {
        WALL_AT_BOOT_NS.load(Ordering::Relaxed) + monotonic_ns()
    }

    fn cmos(reg: u8) -> u8 {
        // SAFETY: 0x70/0x71 are the CMOS index/data ports; bit 7 of the index
        // keeps NMIs disabled as it was.
        unsafe {
            outb(0x70, reg | 0x80);
            inb(0x71)
        }
    }

    fn read_rtc_unix_seconds() -> u64 {
        // Wait out an update in progress, then read twice until stable.
        let read = || {
            while cmos(0x0A) & 0x80 != 0 {}
            [cmos(0x00), cmos(0x02), cmos(0x04), cmos(0x07), cmos(0x08), cmos(0x09), cmos(0x32)]
        };
        let mut r = read();
        loop {
            let again = read();
            if again == r {
                break;
            }
            r = again;
        }
        let status_b = cmos(0x0B);
        let bcd = status_b & 0x04 == 0;
        let conv = |v: u8| if bcd { from_bcd(v) } else { u32::from(v) };
        let pm = r[2] & 0x80 != 0;
        let mut hour = conv(r[2] & 0x7F);
        if status_b & 0x02 == 0 && pm {
            hour = (hour % 12) + 12;
        }
        let century = if r[6] != 0 { conv(r[6]) } else { 20 };
        let year = century as i64 * 100 + conv(r[5]) as i64;
        let days = days_from_civil(year, conv(r[4]), conv(r[3]));
        (days * 86_400) as u64 + u64::from(hour) * 3600 + u64::from(conv(r[1])) * 60 + u64::from(conv(r[0]))
    }
}

#[cfg(target_os = "none")]
pub use clock::{init, monotonic_ns, realtime_ns};

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2026, 11, 22), 20_779);
    }

    #[test]
    fn bcd() {
        assert_eq!(from_bcd(0x59), 59);
        assert_eq!(from_bcd(0x00), 0);
    }
}

#[cfg(all(test, target_os = "none"))]
mod kernel_tests {
    #[test_case]
    fn the_monotonic_clock_moves_forward() {
        let a = super::monotonic_ns();
        let t = crate::arch::x86::pit::ticks();
        while crate::arch::x86::pit::ticks() < t + 2 {
            crate::arch::x86::instructions::wait_for_interrupt();
        }
        let b = super::monotonic_ns();
        // Only the direction is checked: tests never assert timings (QEMU
        // may deliver timer interrupts in bursts).
        assert!(b > a, "the clock moved forward across two ticks");
        assert!(super::realtime_ns() > 1_600_000_000 * 1_000_000_000, "the RTC says after 2020");
    }
}

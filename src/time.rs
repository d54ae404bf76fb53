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

/// Seconds since the Unix epoch for what the RTC registers say, in either of
/// the chip's encodings (BCD or binary, 12- or 24-hour).
pub fn rtc_unix_seconds(r: &crate::arch::x86::cmos::RtcRegisters) -> u64 {
    let bcd = r.status_b & 0x04 == 0;
    let conv = |v: u8| if bcd { from_bcd(v) } else { u32::from(v) };
    let pm = r.hours & 0x80 != 0;
    let mut hour = conv(r.hours & 0x7F);
    if r.status_b & 0x02 == 0 && pm {
        hour = (hour % 12) + 12;
    }
    let century = if r.century != 0 { conv(r.century) } else { 20 };
    let year = century as i64 * 100 + conv(r.year) as i64;
    let days = days_from_civil(year, conv(r.month), conv(r.day));
    (days * 86_400) as u64 + u64::from(hour) * 3600 + u64::from(conv(r.minutes)) * 60 + u64::from(conv(r.seconds))
}

#[cfg(target_os = "none")]
mod clock {
    use crate::arch::x86::cmos;
    use crate::arch::x86::instructions::{rdtsc, wait_for_interrupt};
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
        WALL_AT_BOOT_NS
            .store(super::rtc_unix_seconds(&cmos::read_rtc()) * 1_000_000_000 - monotonic_ns(), Ordering::Relaxed);
        log::info!("TSC: {} kHz", TSC_PER_MS_X1024.load(Ordering::Relaxed) / 1024);
    }

    /// Nanoseconds since boot.
    pub fn monotonic_ns() -> u64 {
        let per_ms = TSC_PER_MS_X1024.load(Ordering::Relaxed);
        if per_ms == 0 {
            return pit::ticks() * pit::tick_ns();
        }
        ticks_to_ns(rdtsc().saturating_sub(TSC_AT_BOOT.load(Ordering::Relaxed)), per_ms)
    }

    /// `d` TSC ticks in nanoseconds, at `per_ms` ticks per ms × 1024.
    fn ticks_to_ns(d: u64, per_ms: u64) -> u64 {
        // d / (per_ms/1024) ms = d * 1024 * 1e6 / per_ms ns, split to avoid overflow.
        let ms = d * 1024 / per_ms;
        let rem = d * 1024 % per_ms;
        ms * 1_000_000 + rem * 1_000_000 / per_ms
    }

    /// The clock CPU time is kept in: raw TSC ticks. A task switch reads
    /// it twice per switch, where `monotonic_ns` would cost three 64-bit
    /// divisions each; `cpu_ticks_to_ns` converts when someone asks.
    pub fn cpu_ticks() -> u64 {
        rdtsc()
    }

    /// A span of `cpu_ticks` in nanoseconds (0 before calibration).
    pub fn cpu_ticks_to_ns(d: u64) -> u64 {
        match TSC_PER_MS_X1024.load(Ordering::Relaxed) {
            0 => 0,
            per_ms => ticks_to_ns(d, per_ms),
        }
    }

    /// The TSC's frequency in kHz, as calibrated at boot (0 before).
    pub fn tsc_khz() -> u64 {
        TSC_PER_MS_X1024.load(Ordering::Relaxed) / 1024
    }

    /// Nanoseconds since the Unix epoch.
    pub fn realtime_ns() -> u64 {
        WALL_AT_BOOT_NS.load(Ordering::Relaxed) + monotonic_ns()
    }
}

#[cfg(target_os = "none")]
pub use clock::{cpu_ticks, cpu_ticks_to_ns, init, monotonic_ns, realtime_ns, tsc_khz};

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

    #[test]
    fn rtc_encodings() {
        use crate::arch::x86::cmos::RtcRegisters;
        // 2026-11-22 13:45:30, as QEMU's default (BCD, 24-hour) and in binary 12-hour mode.
        let bcd = RtcRegisters {
            seconds: 0x30,
            minutes: 0x45,
            hours: 0x13,
            day: 0x22,
            month: 0x11,
            year: 0x26,
            century: 0x20,
            status_b: 0x02,
        };
        let want = 20_779 * 86_400 + 13 * 3600 + 45 * 60 + 30;
        assert_eq!(rtc_unix_seconds(&bcd), want);
        let binary_pm = RtcRegisters {
            seconds: 30,
            minutes: 45,
            hours: 0x80 | 1,
            day: 22,
            month: 11,
            year: 26,
            century: 0,
            status_b: 0x04,
        };
        assert_eq!(rtc_unix_seconds(&binary_pm), want);
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

//! The CMOS real-time clock (MC146818, ports 0x70/0x71): a snapshot of its
//! date and time registers. What the numbers mean (BCD or binary, 12- or
//! 24-hour) is decided by `time`, from the status byte read here too.
//! The register layout is pure; reading it needs the kernel target.

/// The RTC's registers as the chip holds them.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RtcRegisters {
    pub seconds: u8,
    pub minutes: u8,
    /// Bit 7 is PM in 12-hour mode.
    pub hours: u8,
    pub day: u8,
    pub month: u8,
    pub year: u8,
    /// 0 when the chip has no century register.
    pub century: u8,
    /// Status register B: bit 2 = binary (not BCD), bit 1 = 24-hour.
    pub status_b: u8,
}

#[cfg(target_os = "none")]
fn read(reg: u8) -> u8 {
    use super::instructions::{inb, outb};
    // SAFETY: 0x70/0x71 are the CMOS index/data ports and this is their only
    // driver; bit 7 of the index keeps NMIs disabled as it was.
    unsafe {
        outb(0x70, reg | 0x80);
        inb(0x71)
    }
}

#[cfg(target_os = "none")]
/// Reads the clock twice, outside an update, until two reads agree (the
/// chip may tick between two register reads).
pub fn read_rtc() -> RtcRegisters {
    let once = || {
        while read(0x0A) & 0x80 != 0 {}
        RtcRegisters {
            seconds: read(0x00),
            minutes: read(0x02),
            hours: read(0x04),
            day: read(0x07),
            month: read(0x08),
            year: read(0x09),
            century: read(0x32),
            status_b: read(0x0B),
        }
    };
    let mut r = once();
    loop {
        let again = once();
        if again == r {
            return r;
        }
        r = again;
    }
}

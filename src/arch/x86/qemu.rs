//! Leaving the machine: QEMU's isa-debug-exit device (port 0xF4), with ACPI
//! power-off as the fallback when the device is absent.
//!
//! A write of v to port 0xF4 makes QEMU exit with status (v << 1) | 1, so
//! these codes become 33, 35 and 37, which the runner (tools/qemu-run.sh)
//! maps back to words. A plain QEMU exit of 0 is never success.

use crate::arch::x86::instructions::{halt_forever, outl, outw};

const DEBUG_EXIT_PORT: u16 = 0xF4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ExitCode {
    /// Tests passed, or init exited with status 0, or a clean power-off.
    Success = 0x10,
    /// A test failed, or init exited non-zero or was killed.
    Failure = 0x11,
    /// The kernel panicked.
    Panic = 0x12,
}

/// Ends the run with `code`; never returns.
pub fn exit(code: ExitCode) -> ! {
    // SAFETY: port 0xF4 is QEMU's debug-exit device when present and unused
    // otherwise; writing it has no other effect.
    unsafe { outl(DEBUG_EXIT_PORT, code as u32) };
    power_off()
}

/// ACPI power-off as QEMU's PIIX4 (port 0x604) and older machines (0xB004)
/// implement it, then halt if neither worked.
pub fn power_off() -> ! {
    // SAFETY: both ports are the PM1a control registers of QEMU's chipsets;
    // SLP_TYPa=5 | SLP_EN (0x2000) requests soft-off and nothing else.
    unsafe {
        outw(0x604, 0x2000);
        outw(0xB004, 0x2000);
    }
    halt_forever()
}

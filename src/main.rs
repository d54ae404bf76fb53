//! The kernel binary: the boot sequence, then the first user process.
#![no_std]
#![no_main]

use kernel::qemu::{ExitCode, exit};

/// Called by `_start` (boot/entry.S) on the boot stack, paging on.
#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    kernel::init::init(magic, info_phys);
    exit(ExitCode::Success)
}

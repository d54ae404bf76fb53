//! Helpers shared by the test kernels.
#![allow(dead_code)]

use kernel::arch::x86::qemu::{ExitCode, exit};
use kernel::bootinfo::multiboot::BootInfo;
use kernel::kprintln;

/// Boots the kernel library and returns the boot information.
pub fn boot(magic: u32, info_phys: u32) -> &'static BootInfo {
    kernel::init::init(magic, info_phys)
}

/// Ends a test kernel: success if `ok`, else a failure with `why`.
pub fn finish(ok: bool, why: &str) -> ! {
    if ok {
        kprintln!("test passed");
        exit(ExitCode::Success)
    }
    kprintln!("test FAILED: {why}");
    exit(ExitCode::Failure)
}

//! The kernel library: the module tree and the in-kernel test harness.
//!
//! Crate-wide assumptions, stated once:
//! - one CPU; kernel code runs with interrupts disabled except where it waits
//!   (`arch::x86::instructions::wait_for_interrupt`), so a `spin::Mutex` is
//!   never contended by an interrupt handler on the same CPU;
//! - modules that are pure logic compile for the host too and carry `#[test]`s;
//!   modules that touch hardware compile only for the kernel target
//!   (`target_os = "none"`).
#![cfg_attr(any(not(test), target_os = "none"), no_std)]
#![cfg_attr(all(test, target_os = "none"), no_main)]
#![cfg_attr(all(test, target_os = "none"), feature(custom_test_frameworks))]
#![cfg_attr(all(test, target_os = "none"), test_runner(crate::testing::run_tests))]
#![cfg_attr(all(test, target_os = "none"), reexport_test_harness_main = "test_main")]

extern crate alloc;

/// Declares modules that exist only on the kernel target: they touch
/// hardware, so the host unit tests do not build them.
macro_rules! kernel_only {
    ($($vis:vis mod $name:ident;)*) => {
        $(#[cfg(target_os = "none")] $vis mod $name;)*
    };
}

pub mod arch;
pub mod bootinfo;
pub mod fs;
pub mod mm;
pub mod syscall;
pub mod task;
pub mod time;

// Declared directly: it exports macros (kprint!), which a macro-declared
// module may not.
#[cfg(target_os = "none")]
pub mod console;

kernel_only! {
    pub mod init;
    pub mod panic;
    pub mod qemu;
    pub mod symbols;
    pub mod testing;
}

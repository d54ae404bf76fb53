//! The in-kernel test harness: `#[test_case]` functions in the library run
//! inside QEMU, print `name ... ok` each, and exit through isa-debug-exit.

use crate::arch::x86::qemu::{ExitCode, exit};
use crate::kprintln;

/// Anything the harness can run and name.
pub trait Testable {
    fn run(&self);
}

impl<T: Fn()> Testable for T {
    fn run(&self) {
        crate::kprint!("test {} ... ", core::any::type_name::<T>());
        self();
        kprintln!("ok");
    }
}

/// Runs every test; a failing test panics, which exits with the panic code.
pub fn run_tests(tests: &[&dyn Testable]) {
    kprintln!("running {} in-kernel tests", tests.len());
    for t in tests {
        t.run();
    }
    kprintln!("{} passed, 0 failed", tests.len());
    exit(ExitCode::Success);
}

/// The entry of the library's own test kernel.
#[cfg(test)]
#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info: u32) -> ! {
    crate::init::init(magic, info);
    crate::test_main();
    exit(ExitCode::Success)
}

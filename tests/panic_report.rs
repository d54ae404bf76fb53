//! A kernel panic prints the message, the location and a symbolised
//! backtrace, and QEMU exits with the panic status.
//! expect-exit: panic
//! expect-output: ^KERNEL PANIC: deliberate panic 42
//! expect-output: ^  at tests/panic_report.rs:
//! expect-output: #[0-9]+ +0xc0[0-9a-f]+ .*panic_report::level_two
#![no_std]
#![no_main]

#[inline(never)]
fn level_two(n: u32) {
    if n == 42 {
        panic!("deliberate panic {n}");
    }
}

#[inline(never)]
fn level_one(n: u32) {
    level_two(n + 1);
    core::hint::black_box(n);
}

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    kernel::init::init(magic, info_phys);
    level_one(core::hint::black_box(41));
    kernel::arch::x86::qemu::exit(kernel::arch::x86::qemu::ExitCode::Success)
}

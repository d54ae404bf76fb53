//! The panic handler: report on fd 2, exit with status 101 (as Rust's std does).
use core::panic::PanicInfo;

use crate::process::exit_group;
use crate::start::args;

/// The exit status of a panicking program.
pub const PANIC_EXIT: i32 = 101;

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    let name = args().map_or("?", |a| a.program());
    crate::eprintln!("{name}: {info}");
    exit_group(PANIC_EXIT)
}

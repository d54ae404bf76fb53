//! The kernel console: every line goes to COM1 and to the VGA text screen.
//!
//! Serial is the console of record (tests read it); VGA is for the person
//! watching the QEMU window. `kprint!` writes to both; the `log` crate's
//! levels are rendered by `logger`. What user programs read and write goes
//! through the terminal (`tty`): its line discipline (`ldisc`, pure) and
//! its output processing.

pub mod ldisc;
#[cfg(target_os = "none")]
pub mod logger;
#[cfg(target_os = "none")]
pub mod serial;
#[cfg(target_os = "none")]
pub mod tty;
#[cfg(target_os = "none")]
pub mod vga;

#[cfg(target_os = "none")]
pub use kernel::*;

#[cfg(target_os = "none")]
mod kernel {
    use super::{logger, serial, tty, vga};
    use core::fmt::{self, Write};

    /// Both consoles as a `fmt::Write`; `\n` becomes `\r\n` on serial (a raw
    /// terminal needs it).
    pub struct Console;

    impl Write for Console {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            serial::write_bytes(s.as_bytes());
            vga::write_str(s);
            Ok(())
        }
    }

    /// Prints formatted text on both consoles. Used through `kprint!`.
    pub fn print_fmt(args: fmt::Arguments) {
        let _ = Console.write_fmt(args);
    }

    /// Writes a user program's bytes (`write(1, ...)`) to the terminal,
    /// with the output processing its termios asks for.
    pub fn write_bytes(bytes: &[u8]) {
        tty::output(bytes);
    }

    /// Brings up both consoles. Safe to call more than once.
    pub fn init() {
        serial::init();
        vga::clear();
        logger::init();
    }
}

#[macro_export]
macro_rules! kprint {
    ($($arg:tt)*) => ($crate::console::print_fmt(format_args!($($arg)*)));
}

#[macro_export]
macro_rules! kprintln {
    () => ($crate::kprint!("\n"));
    ($($arg:tt)*) => ($crate::console::print_fmt(format_args!("{}\n", format_args!($($arg)*))));
}

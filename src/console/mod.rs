//! The kernel console: every line goes to COM1 and to the VGA text screen.
//!
//! Serial is the console of record (tests read it); VGA is for the person
//! watching the QEMU window. `kprint!` writes to both; the `log` crate's
//! levels are rendered by `logger`. What user programs read and write goes
//! through the terminal (`tty`): its line discipline (`ldisc`, pure) and
//! its output processing.

pub mod kmsg;
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
    use super::kmsg::Kmsg;
    use super::{logger, serial, tty, vga};
    use core::fmt::{self, Write};
    use core::sync::atomic::{AtomicUsize, Ordering};

    /// Both consoles as a `fmt::Write`; `\n` becomes `\r\n` on serial (a raw
    /// terminal needs it). Every byte also goes into the message log.
    pub struct Console;

    impl Write for Console {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            serial::write_bytes(s.as_bytes());
            vga::write_str(s);
            // A line printed by an interrupt while the log is being written
            // or read reaches the consoles but not the log (one CPU: waiting
            // for the lock would never end).
            if let Some(mut k) = KMSG.try_lock() {
                k.push(s.as_bytes(), clock_ns());
            }
            Ok(())
        }
    }

    /// The kernel's message log (`dmesg`: syslog(2)).
    static KMSG: spin::Mutex<Kmsg> = spin::Mutex::new(Kmsg::new());

    /// The clock the log's time stamps come from (nanoseconds since boot),
    /// given by the time layer once it runs; 0 before that.
    static CLOCK: AtomicUsize = AtomicUsize::new(0);

    pub fn set_log_clock(clock: fn() -> u64) {
        CLOCK.store(clock as usize, Ordering::Relaxed);
    }

    fn clock_ns() -> u64 {
        match CLOCK.load(Ordering::Relaxed) {
            0 => 0,
            // SAFETY: only set_log_clock stores here, and it stores a `fn() -> u64`.
            f => unsafe { core::mem::transmute::<usize, fn() -> u64>(f)() },
        }
    }

    /// Runs `f` on the message log (interrupts that print meanwhile are
    /// left out of it, not waited for). Never print from `f`.
    pub fn with_kmsg<R>(f: impl FnOnce(&mut Kmsg) -> R) -> R {
        f(&mut KMSG.lock())
    }

    /// `f` on the log if nobody holds it (for the printing paths).
    pub fn try_with_kmsg(f: impl FnOnce(&mut Kmsg)) {
        if let Some(mut k) = KMSG.try_lock() {
            f(&mut k);
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

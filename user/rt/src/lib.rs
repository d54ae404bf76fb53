//! `rt`: the runtime every memguard user program links against.
//!
//! The programs are static i386 ELF executables that speak the Linux
//! `int 0x80` system-call ABI, so one binary runs on Linux and on memguard.
//!
//! Crate-wide assumptions, stated once:
//! - a process has one thread and installs no signal handlers, so nothing
//!   interrupts Rust code in a way that could re-enter the allocator or a
//!   `spin::Mutex` (each is therefore never contended);
//! - the kernel preserves every register but `eax` across `int 0x80`, as Linux
//!   does, and returns `-errno` (-4095..=-1) in `eax` on failure.
#![no_std]

extern crate alloc;

pub mod arch;
pub mod child;
pub mod errno;
pub mod fs;
pub mod heap;
pub mod io;
pub mod line;
pub mod mem;
pub mod mg;
pub mod panic;
pub mod parse;
pub mod process;
pub mod signal;
pub mod start;
pub mod system;
pub mod time;
pub mod tty;
pub mod wait;

pub use errno::Errno;
pub use signal::Signal;
pub use start::Args;
pub use wait::ExitStatus;

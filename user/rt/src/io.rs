//! Console output: `print!`/`println!` to fd 1, `eprint!`/`eprintln!` to fd 2.
//!
//! Each macro call formats into a small stack buffer and hands the kernel one
//! `write` per 256 bytes, so a short line arrives in one piece even when a
//! parent and a child print at the same time. Nothing here allocates.
use core::fmt;

use crate::errno::Errno;
use crate::fs::{self, Fd};

/// Writes all of `bytes`, retrying after short writes and EINTR.
pub fn write_all(fd: Fd, mut bytes: &[u8]) -> Result<(), Errno> {
    while !bytes.is_empty() {
        match fs::write(fd, bytes) {
            Ok(0) => return Err(Errno::EIO),
            Ok(n) => bytes = &bytes[n..],
            Err(Errno::EINTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// A `fmt::Write` sink that batches output for one descriptor.
pub struct FdWriter {
    fd: Fd,
    len: usize,
    buf: [u8; 256],
}

impl FdWriter {
    pub fn new(fd: Fd) -> FdWriter {
        FdWriter { fd, len: 0, buf: [0; 256] }
    }

    /// Sends what is buffered. Errors are dropped: there is nowhere to report
    /// a failure to write to the console.
    pub fn flush(&mut self) {
        let _ = write_all(self.fd, &self.buf[..self.len]);
        self.len = 0;
    }
}

impl fmt::Write for FdWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for chunk in s.as_bytes().chunks(self.buf.len()) {
            if self.len + chunk.len() > self.buf.len() {
                self.flush();
            }
            self.buf[self.len..self.len + chunk.len()].copy_from_slice(chunk);
            self.len += chunk.len();
        }
        Ok(())
    }
}

impl Drop for FdWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

#[doc(hidden)]
pub fn print_to(fd: Fd, args: fmt::Arguments) {
    let mut w = FdWriter::new(fd);
    let _ = fmt::Write::write_fmt(&mut w, args);
}

#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => { $crate::io::print_to($crate::fs::STDOUT, format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! println {
    () => { $crate::print!("\n") };
    ($($arg:tt)*) => {
        $crate::io::print_to($crate::fs::STDOUT, format_args!("{}\n", format_args!($($arg)*)))
    };
}

#[macro_export]
macro_rules! eprint {
    ($($arg:tt)*) => { $crate::io::print_to($crate::fs::STDERR, format_args!($($arg)*)) };
}

#[macro_export]
macro_rules! eprintln {
    () => { $crate::eprint!("\n") };
    ($($arg:tt)*) => {
        $crate::io::print_to($crate::fs::STDERR, format_args!("{}\n", format_args!($($arg)*)))
    };
}

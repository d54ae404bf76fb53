//! Linux i386 error numbers (include/uapi/asm-generic/errno-base.h, errno.h).
//!
//! `Errno` is a newtype, not an enum: the kernel may answer with a number this
//! table does not know, and that number must survive to be printed.
use core::fmt;

use crate::arch::syscall::Raw;

/// An error number returned by a system call as `-errno`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Errno(u16);

macro_rules! errnos {
    ($($name:ident = $n:expr, $text:expr;)*) => {
        impl Errno {
            $(pub const $name: Errno = Errno($n);)*

            /// The C macro name ("ENOENT"), or `None` for a number not listed.
            pub fn name(self) -> Option<&'static str> {
                match self.0 { $($n => Some(stringify!($name)),)* _ => None }
            }

            /// The strerror text ("No such file or directory").
            pub fn text(self) -> &'static str {
                match self.0 { $($n => $text,)* _ => "Unknown error" }
            }
        }
    };
}

errnos! {
    EPERM = 1, "Operation not permitted";
    ENOENT = 2, "No such file or directory";
    ESRCH = 3, "No such process";
    EINTR = 4, "Interrupted system call";
    EIO = 5, "Input/output error";
    ENXIO = 6, "No such device or address";
    E2BIG = 7, "Argument list too long";
    ENOEXEC = 8, "Exec format error";
    EBADF = 9, "Bad file descriptor";
    ECHILD = 10, "No child processes";
    EAGAIN = 11, "Resource temporarily unavailable";
    ENOMEM = 12, "Cannot allocate memory";
    EACCES = 13, "Permission denied";
    EFAULT = 14, "Bad address";
    EBUSY = 16, "Device or resource busy";
    EEXIST = 17, "File exists";
    ENODEV = 19, "No such device";
    ENOTDIR = 20, "Not a directory";
    EISDIR = 21, "Is a directory";
    EINVAL = 22, "Invalid argument";
    ENFILE = 23, "Too many open files in system";
    EMFILE = 24, "Too many open files";
    ENOTTY = 25, "Inappropriate ioctl for device";
    ETXTBSY = 26, "Text file busy";
    EFBIG = 27, "File too large";
    ENOSPC = 28, "No space left on device";
    ESPIPE = 29, "Illegal seek";
    EROFS = 30, "Read-only file system";
    EPIPE = 32, "Broken pipe";
    ERANGE = 34, "Numerical result out of range";
    EDEADLK = 35, "Resource deadlock avoided";
    ENAMETOOLONG = 36, "File name too long";
    ENOSYS = 38, "Function not implemented";
    ENOTEMPTY = 39, "Directory not empty";
    ELOOP = 40, "Too many levels of symbolic links";
    EOVERFLOW = 75, "Value too large for defined data type";
}

impl Errno {
    /// The number itself (positive).
    pub fn number(self) -> u16 {
        self.0
    }
}

/// Splits a raw `eax` into a value or an error: Linux returns `-errno` in
/// `-4095..=-1`, and anything else (even a "negative" address) is a value.
pub fn check(raw: Raw) -> Result<usize, Errno> {
    if (-4095..0).contains(&raw) {
        Err(Errno(-raw as u16))
    } else {
        Ok(raw as usize)
    }
}

/// Prints "ENOENT"; an unlisted number prints as "errno 123".
impl fmt::Debug for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "errno {}", self.0),
        }
    }
}

/// Prints "ENOENT (No such file or directory)".
impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({})", self, self.text())
    }
}

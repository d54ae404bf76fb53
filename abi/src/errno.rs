//! Linux error numbers (include/uapi/asm-generic/errno-base.h, errno.h) and
//! how a system call returns them: `-errno` in EAX, so a result in
//! `-4095..=-1` (above `u32::MAX - 4095` unsigned) is an error and anything
//! else, even an address above 2 GiB, is a value.
//!
//! `Errno` is a newtype, not an enum: a kernel may answer with a number this
//! table does not name, and that number must survive to be printed.
use core::fmt;

use linux_raw_sys::errno as linux;

/// An error number, 1..=[`Errno::MAX`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Errno(u16);

/// A system call's outcome before it is folded into EAX.
pub type SysResult = Result<u32, Errno>;

/// Declares the named errors: each constant's value comes from Linux's
/// headers (`linux_raw_sys::errno`), the text is glibc's `strerror`.
macro_rules! errnos {
    ($($name:ident: $text:expr;)*) => {
        impl Errno {
            $(pub const $name: Errno = Errno(linux::$name as u16);)*

            /// The C macro name ("ENOENT"), or `None` for a number Linux
            /// does not define. Aliases give their main name (EAGAIN, not
            /// EWOULDBLOCK).
            pub const fn name(self) -> Option<&'static str> {
                match self.0 as u32 { $(linux::$name => Some(stringify!($name)),)* _ => None }
            }

            /// The `strerror` text ("No such file or directory").
            pub const fn text(self) -> &'static str {
                match self.0 as u32 { $(linux::$name => $text,)* _ => "Unknown error" }
            }

            /// Every named error, in numeric order (for tables and tests).
            pub const ALL: &'static [Errno] = &[$(Errno::$name),*];
        }
    };
}

errnos! {
    EPERM: "Operation not permitted";
    ENOENT: "No such file or directory";
    ESRCH: "No such process";
    EINTR: "Interrupted system call";
    EIO: "Input/output error";
    ENXIO: "No such device or address";
    E2BIG: "Argument list too long";
    ENOEXEC: "Exec format error";
    EBADF: "Bad file descriptor";
    ECHILD: "No child processes";
    EAGAIN: "Resource temporarily unavailable";
    ENOMEM: "Cannot allocate memory";
    EACCES: "Permission denied";
    EFAULT: "Bad address";
    ENOTBLK: "Block device required";
    EBUSY: "Device or resource busy";
    EEXIST: "File exists";
    EXDEV: "Invalid cross-device link";
    ENODEV: "No such device";
    ENOTDIR: "Not a directory";
    EISDIR: "Is a directory";
    EINVAL: "Invalid argument";
    ENFILE: "Too many open files in system";
    EMFILE: "Too many open files";
    ENOTTY: "Inappropriate ioctl for device";
    ETXTBSY: "Text file busy";
    EFBIG: "File too large";
    ENOSPC: "No space left on device";
    ESPIPE: "Illegal seek";
    EROFS: "Read-only file system";
    EMLINK: "Too many links";
    EPIPE: "Broken pipe";
    EDOM: "Numerical argument out of domain";
    ERANGE: "Numerical result out of range";
    EDEADLK: "Resource deadlock avoided";
    ENAMETOOLONG: "File name too long";
    ENOLCK: "No locks available";
    ENOSYS: "Function not implemented";
    ENOTEMPTY: "Directory not empty";
    ELOOP: "Too many levels of symbolic links";
    ENOMSG: "No message of desired type";
    EIDRM: "Identifier removed";
    ECHRNG: "Channel number out of range";
    EL2NSYNC: "Level 2 not synchronized";
    EL3HLT: "Level 3 halted";
    EL3RST: "Level 3 reset";
    ELNRNG: "Link number out of range";
    EUNATCH: "Protocol driver not attached";
    ENOCSI: "No CSI structure available";
    EL2HLT: "Level 2 halted";
    EBADE: "Invalid exchange";
    EBADR: "Invalid request descriptor";
    EXFULL: "Exchange full";
    ENOANO: "No anode";
    EBADRQC: "Invalid request code";
    EBADSLT: "Invalid slot";
    EBFONT: "Bad font file format";
    ENOSTR: "Device not a stream";
    ENODATA: "No data available";
    ETIME: "Timer expired";
    ENOSR: "Out of streams resources";
    ENONET: "Machine is not on the network";
    ENOPKG: "Package not installed";
    EREMOTE: "Object is remote";
    ENOLINK: "Link has been severed";
    EADV: "Advertise error";
    ESRMNT: "Srmount error";
    ECOMM: "Communication error on send";
    EPROTO: "Protocol error";
    EMULTIHOP: "Multihop attempted";
    EDOTDOT: "RFS specific error";
    EBADMSG: "Bad message";
    EOVERFLOW: "Value too large for defined data type";
    ENOTUNIQ: "Name not unique on network";
    EBADFD: "File descriptor in bad state";
    EREMCHG: "Remote address changed";
    ELIBACC: "Can not access a needed shared library";
    ELIBBAD: "Accessing a corrupted shared library";
    ELIBSCN: ".lib section in a.out corrupted";
    ELIBMAX: "Attempting to link in too many shared libraries";
    ELIBEXEC: "Cannot exec a shared library directly";
    EILSEQ: "Invalid or incomplete multibyte or wide character";
    ERESTART: "Interrupted system call should be restarted";
    ESTRPIPE: "Streams pipe error";
    EUSERS: "Too many users";
    ENOTSOCK: "Socket operation on non-socket";
    EDESTADDRREQ: "Destination address required";
    EMSGSIZE: "Message too long";
    EPROTOTYPE: "Protocol wrong type for socket";
    ENOPROTOOPT: "Protocol not available";
    EPROTONOSUPPORT: "Protocol not supported";
    ESOCKTNOSUPPORT: "Socket type not supported";
    EOPNOTSUPP: "Operation not supported";
    EPFNOSUPPORT: "Protocol family not supported";
    EAFNOSUPPORT: "Address family not supported by protocol";
    EADDRINUSE: "Address already in use";
    EADDRNOTAVAIL: "Cannot assign requested address";
    ENETDOWN: "Network is down";
    ENETUNREACH: "Network is unreachable";
    ENETRESET: "Network dropped connection on reset";
    ECONNABORTED: "Software caused connection abort";
    ECONNRESET: "Connection reset by peer";
    ENOBUFS: "No buffer space available";
    EISCONN: "Transport endpoint is already connected";
    ENOTCONN: "Transport endpoint is not connected";
    ESHUTDOWN: "Cannot send after transport endpoint shutdown";
    ETOOMANYREFS: "Too many references: cannot splice";
    ETIMEDOUT: "Connection timed out";
    ECONNREFUSED: "Connection refused";
    EHOSTDOWN: "Host is down";
    EHOSTUNREACH: "No route to host";
    EALREADY: "Operation already in progress";
    EINPROGRESS: "Operation now in progress";
    ESTALE: "Stale file handle";
    EUCLEAN: "Structure needs cleaning";
    ENOTNAM: "Not a XENIX named type file";
    ENAVAIL: "No XENIX semaphores available";
    EISNAM: "Is a named type file";
    EREMOTEIO: "Remote I/O error";
    EDQUOT: "Disk quota exceeded";
    ENOMEDIUM: "No medium found";
    EMEDIUMTYPE: "Wrong medium type";
    ECANCELED: "Operation canceled";
    ENOKEY: "Required key not available";
    EKEYEXPIRED: "Key has expired";
    EKEYREVOKED: "Key has been revoked";
    EKEYREJECTED: "Key was rejected by service";
    EOWNERDEAD: "Owner died";
    ENOTRECOVERABLE: "State not recoverable";
    ERFKILL: "Operation not possible due to RF-kill";
    EHWPOISON: "Memory page has hardware error";
}

impl Errno {
    /// Same number as EAGAIN.
    pub const EWOULDBLOCK: Errno = Errno(linux::EWOULDBLOCK as u16);
    /// Same number as EDEADLK.
    pub const EDEADLOCK: Errno = Errno(linux::EDEADLOCK as u16);
    /// C libraries' name for EOPNOTSUPP (Linux's uapi has no ENOTSUP).
    pub const ENOTSUP: Errno = Errno::EOPNOTSUPP;

    /// The highest number a system call can return as `-errno`
    /// (include/linux/err.h MAX_ERRNO; not in the uapi headers).
    pub const MAX: u16 = 4095;

    /// The kernel-internal "restart this call" codes (include/linux/errno.h,
    /// not uapi): a blocking call interrupted by a signal returns one, and
    /// the way back to ring 3 turns it into EINTR or a restart. A program
    /// never sees them.
    pub const ERESTARTSYS: Errno = Errno(512);
    pub const ERESTARTNOINTR: Errno = Errno(513);
    pub const ERESTARTNOHAND: Errno = Errno(514);
    pub const ERESTART_RESTARTBLOCK: Errno = Errno(516);

    /// The error with number `n`, if `n` is in 1..=[`Errno::MAX`].
    pub const fn from_raw(n: u16) -> Option<Errno> {
        if n >= 1 && n <= Errno::MAX { Some(Errno(n)) } else { None }
    }

    /// The number itself (positive).
    pub const fn raw(self) -> u16 {
        self.0
    }

    /// The value EAX carries back to user space: `-errno`, as unsigned.
    pub const fn to_eax(self) -> u32 {
        (self.0 as u32).wrapping_neg()
    }
}

/// Folds a system call's outcome into EAX: the value, or `-errno`.
pub const fn encode(r: SysResult) -> u32 {
    match r {
        Ok(v) => v,
        Err(e) => e.to_eax(),
    }
}

/// Splits a raw EAX into a value or an error, as C libraries do: only
/// `-4095..=-1` is an error.
pub const fn decode(eax: u32) -> SysResult {
    if eax > u32::MAX - Errno::MAX as u32 { Err(Errno(eax.wrapping_neg() as u16)) } else { Ok(eax) }
}

/// Prints "ENOENT"; an unnamed number prints as "errno 1234".
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

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;

    use super::*;

    #[test]
    fn values_are_linux_i386() {
        let table = [
            (Errno::EPERM, 1),
            (Errno::ENOENT, 2),
            (Errno::EINTR, 4),
            (Errno::EAGAIN, 11),
            (Errno::ENOMEM, 12),
            (Errno::EFAULT, 14),
            (Errno::EBUSY, 16),
            (Errno::EXDEV, 18),
            (Errno::EINVAL, 22),
            (Errno::ENOSPC, 28),
            (Errno::EPIPE, 32),
            (Errno::ENOSYS, 38),
            (Errno::ENOTEMPTY, 39),
            (Errno::ELOOP, 40),
            (Errno::EOVERFLOW, 75),
            (Errno::EOPNOTSUPP, 95),
            (Errno::ETIMEDOUT, 110),
            (Errno::EOWNERDEAD, 130),
            (Errno::EHWPOISON, 133),
        ];
        for (e, n) in table {
            assert_eq!(e.raw(), n, "{e:?}");
        }
        assert_eq!(Errno::EWOULDBLOCK, Errno::EAGAIN);
        assert_eq!(Errno::EDEADLOCK, Errno::EDEADLK);
        assert_eq!(Errno::ENOTSUP, Errno::EOPNOTSUPP);
    }

    #[test]
    fn every_name_round_trips_and_has_a_text() {
        assert_eq!(Errno::ALL.len(), 131, "1..=133 without 41 and 58, which Linux leaves unused");
        for w in Errno::ALL.windows(2) {
            assert!(w[0] < w[1], "list out of order or duplicated at {:?}", w[1]);
        }
        for &e in Errno::ALL {
            assert_eq!(Errno::from_raw(e.raw()), Some(e));
            let name = e.name().expect("named");
            assert!(name.starts_with('E') && format!("{e:?}") == name);
            assert_ne!(e.text(), "Unknown error", "{name}");
        }
        assert_eq!(Errno::EAGAIN.name(), Some("EAGAIN"), "an alias prints its main name");
    }

    #[test]
    fn unnamed_numbers_survive() {
        let e = Errno::from_raw(41).unwrap();
        assert_eq!((e.name(), e.text()), (None, "Unknown error"));
        assert_eq!(format!("{e:?}"), "errno 41");
        assert_eq!(format!("{}", Errno::from_raw(1000).unwrap()), "errno 1000 (Unknown error)");
        assert_eq!(format!("{}", Errno::ENOENT), "ENOENT (No such file or directory)");
        assert_eq!(Errno::from_raw(0), None);
        assert_eq!(Errno::from_raw(4096), None);
    }

    #[test]
    fn eax_carries_minus_errno() {
        assert_eq!(encode(Err(Errno::ENOSYS)) as i32, -38);
        assert_eq!(encode(Err(Errno::EFAULT)) as i32, -14);
        assert_eq!(encode(Ok(0xBFFF_F000)), 0xBFFF_F000);
        assert_eq!(Errno::EPERM.to_eax(), u32::MAX);
        for r in [Ok(0), Ok(0x8000_0000), Ok(u32::MAX - 4095), Err(Errno::EPERM), Err(Errno::EHWPOISON)] {
            assert_eq!(decode(encode(r)), r);
        }
        assert_eq!(decode(u32::MAX - 4094), Err(Errno::from_raw(4095).unwrap()), "-4095 is the last error");
        assert_eq!(decode(u32::MAX - 4095), Ok(u32::MAX - 4095), "-4096 is a value (an address)");
    }
}

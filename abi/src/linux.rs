//! Linux's own i386 definitions, by their Linux names: the structures the
//! kernel copies to and from user space (`stat64`, `termios`, `sigaction`,
//! `siginfo`, `user_desc`, ...) and the flags and constants of each call
//! (`O_CREAT`, `MAP_FIXED`, `WNOHANG`, `TCGETS`, `AT_PAGESZ`, ...).
//!
//! Everything here is `linux-raw-sys` (bindgen output of the uapi headers):
//! all of its `general`, `ioctl` and `auxvec` modules, and the structures of
//! `system`. Nothing is retyped. Copy these typed structures to user space,
//! never byte offsets; the asserts below pin the i386 sizes a C program
//! built with `gcc -m32` against the same headers sees.
//!
//! Integer constants are `u32` as bindgen emits them (a few, like
//! `AT_FDCWD`, are `i32`); the struct types use C's i386 widths.
pub use linux_raw_sys::auxvec::*;
pub use linux_raw_sys::general::*;
pub use linux_raw_sys::ioctl::*;
pub use linux_raw_sys::system::{__NEW_UTS_LEN, SI_LOAD_SHIFT, new_utsname, old_utsname, oldold_utsname, sysinfo};

use core::mem::size_of;

/// struct tms (include/uapi/linux/times.h), which `times` fills in;
/// linux-raw-sys does not generate that header, so this is its one
/// hand-written Linux structure.
#[repr(C)]
#[derive(Debug, Copy, Clone, Default)]
pub struct tms {
    pub tms_utime: __kernel_clock_t,
    pub tms_stime: __kernel_clock_t,
    pub tms_cutime: __kernel_clock_t,
    pub tms_cstime: __kernel_clock_t,
}

// The i386 sizes, as `sizeof` reports them for gcc -m32 and Linux's headers.
const _: () = assert!(size_of::<stat>() == 64);
const _: () = assert!(size_of::<stat64>() == 96);
const _: () = assert!(size_of::<statx>() == 256);
// struct termios of asm-generic/termbits.h (TCGETS): 4 flag words, c_line,
// 19 control characters. termios2 (TCGETS2) adds the two speeds.
const _: () = assert!(size_of::<termios>() == 36);
const _: () = assert!(size_of::<termios2>() == 44);
const _: () = assert!(size_of::<winsize>() == 8);
const _: () = assert!(size_of::<user_desc>() == 16);
// The 32-bit time_t structures of the original calls; the *_time64 calls
// take __kernel_timespec.
const _: () = assert!(size_of::<timespec>() == 8);
const _: () = assert!(size_of::<timeval>() == 8);
const _: () = assert!(size_of::<timezone>() == 8);
const _: () = assert!(size_of::<itimerval>() == 16);
const _: () = assert!(size_of::<itimerspec>() == 16);
const _: () = assert!(size_of::<__kernel_timespec>() == 16);
const _: () = assert!(size_of::<rusage>() == 72);
const _: () = assert!(size_of::<tms>() == 16);
const _: () = assert!(size_of::<rlimit>() == 8);
const _: () = assert!(size_of::<rlimit64>() == 16);
const _: () = assert!(size_of::<sysinfo>() == 64);
const _: () = assert!(size_of::<new_utsname>() == 390);
const _: () = assert!(size_of::<old_utsname>() == 325);
// Signals: the old 32-bit sigset_t and struct sigaction (sigaction(67)),
// and what rt_sigaction(174) reads: handler, flags, restorer, 64-bit mask.
const _: () = assert!(size_of::<sigset_t>() == 4);
const _: () = assert!(size_of::<sigaction>() == 16);
const _: () = assert!(size_of::<kernel_sigset_t>() == 8);
const _: () = assert!(size_of::<kernel_sigaction>() == 20);
const _: () = assert!(size_of::<siginfo>() == 128);
const _: () = assert!(size_of::<stack_t>() == 12);
const _: () = assert!(size_of::<iovec>() == 8);
const _: () = assert!(size_of::<pollfd>() == 8);
const _: () = assert!(size_of::<robust_list_head>() == 12);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_linux_i386() {
        let table: [(u32, u32, &str); 16] = [
            (O_CREAT, 0o100, "O_CREAT"),
            (O_NONBLOCK, 0o4000, "O_NONBLOCK"),
            (O_DIRECTORY, 0o200000, "O_DIRECTORY"),
            (O_CLOEXEC, 0o2000000, "O_CLOEXEC"),
            (MAP_SHARED, 1, "MAP_SHARED"),
            (MAP_PRIVATE, 2, "MAP_PRIVATE"),
            (MAP_FIXED, 0x10, "MAP_FIXED"),
            (MAP_ANONYMOUS, 0x20, "MAP_ANONYMOUS"),
            (MAP_FIXED_NOREPLACE, 0x10_0000, "MAP_FIXED_NOREPLACE"),
            (PROT_EXEC, 4, "PROT_EXEC"),
            (WCONTINUED, 8, "WCONTINUED"),
            (SEEK_END, 2, "SEEK_END"),
            (TCGETS, 0x5401, "TCGETS"),
            (TIOCGWINSZ, 0x5413, "TIOCGWINSZ"),
            (AT_PAGESZ, 6, "AT_PAGESZ"),
            (LINUX_REBOOT_CMD_POWER_OFF, 0x4321_FEDC, "LINUX_REBOOT_CMD_POWER_OFF"),
        ];
        for (got, want, name) in table {
            assert_eq!(got, want, "{name}");
        }
        assert_eq!(AT_FDCWD, -100);
    }

    #[test]
    fn struct_fields_sit_where_i386_puts_them() {
        // Spot checks of offsets a C program reads directly.
        assert_eq!(core::mem::offset_of!(stat64, st_size), 44);
        assert_eq!(core::mem::offset_of!(stat64, st_ino), 88);
        assert_eq!(core::mem::offset_of!(termios, c_oflag), 4);
        assert_eq!(core::mem::offset_of!(sysinfo, mem_unit), 52);
        assert_eq!(core::mem::offset_of!(kernel_sigaction, sa_mask), 12);
    }
}

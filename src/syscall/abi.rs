//! The Linux i386 system-call ABI as this kernel speaks it: `int 0x80`, the
//! number in EAX, arguments in EBX, ECX, EDX, ESI, EDI, EBP, and the result
//! in EAX — a value, or -errno (-4095..-1). Numbers and errno values are
//! Linux's (arch/x86/entry/syscalls/syscall_32.tbl, asm-generic/errno*.h).
//! Project system calls live above Linux's range, at 1000 and up. Pure.

/// An errno value, as Linux numbers it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Errno {
    EPERM = 1,
    ENOENT = 2,
    ESRCH = 3,
    EINTR = 4,
    EIO = 5,
    ENXIO = 6,
    E2BIG = 7,
    ENOEXEC = 8,
    EBADF = 9,
    ECHILD = 10,
    EAGAIN = 11,
    ENOMEM = 12,
    EACCES = 13,
    EFAULT = 14,
    EEXIST = 17,
    ENODEV = 19,
    ENOTDIR = 20,
    EISDIR = 21,
    EINVAL = 22,
    EMFILE = 24,
    ENOTTY = 25,
    ESPIPE = 29,
    EROFS = 30,
    EPIPE = 32,
    ERANGE = 34,
    ENAMETOOLONG = 36,
    ENOSYS = 38,
    EOVERFLOW = 75,
    EOPNOTSUPP = 95,
}

pub type SysResult = Result<u32, Errno>;

/// The value EAX carries back to user space.
pub fn encode(r: SysResult) -> u32 {
    match r {
        Ok(v) => v,
        Err(e) => (e as u32).wrapping_neg(),
    }
}

/// System-call numbers and the `waitpid` status encoding are shared with
/// the user programs (`memguard-abi`).
pub use memguard_abi::{nr, wstatus};

pub const WNOHANG: u32 = 1;
pub const WUNTRACED: u32 = 2;
pub const WCONTINUED: u32 = 8;
/// Linux also accepts __WNOTHREAD, __WALL and __WCLONE.
pub const WAIT_VALID_OPTIONS: u32 = WNOHANG | WUNTRACED | WCONTINUED | 0x2000_0000 | 0x4000_0000 | 0x8000_0000;

pub const MAP_SHARED: u32 = 0x01;
pub const MAP_PRIVATE: u32 = 0x02;
pub const MAP_SHARED_VALIDATE: u32 = 0x03;
pub const MAP_TYPE: u32 = 0x0F;
pub const MAP_FIXED: u32 = 0x10;
pub const MAP_ANONYMOUS: u32 = 0x20;
pub const MAP_FIXED_NOREPLACE: u32 = 0x10_0000;

pub const O_ACCMODE: u32 = 3;
pub const O_RDONLY: u32 = 0;
pub const O_CREAT: u32 = 0o100;
pub const O_EXCL: u32 = 0o200;
pub const O_TRUNC: u32 = 0o1000;
pub const O_NONBLOCK: u32 = 0o4000;
pub const O_DIRECTORY: u32 = 0o200000;
pub const O_CLOEXEC: u32 = 0o2000000;

pub const SEEK_SET: u32 = 0;
pub const SEEK_CUR: u32 = 1;
pub const SEEK_END: u32 = 2;

pub const LINUX_REBOOT_MAGIC1: u32 = 0xFEE1_DEAD;
pub const LINUX_REBOOT_MAGIC2: [u32; 4] = [672_274_793, 85_072_278, 369_367_448, 537_993_216];
pub const LINUX_REBOOT_CMD_RESTART: u32 = 0x0123_4567;
pub const LINUX_REBOOT_CMD_HALT: u32 = 0xCDEF_0123;
pub const LINUX_REBOOT_CMD_POWER_OFF: u32 = 0x4321_FEDC;
pub const LINUX_REBOOT_CMD_CAD_ON: u32 = 0x89AB_CDEF;
pub const LINUX_REBOOT_CMD_CAD_OFF: u32 = 0;

/// The highest errno Linux returns through EAX: values above -4096 as
/// unsigned are errors (the rule user space uses to tell them apart).
pub const MAX_ERRNO: u32 = 4095;

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn errors_are_negative_errno() {
        assert_eq!(encode(Err(Errno::ENOSYS)) as i32, -38);
        assert_eq!(encode(Err(Errno::EFAULT)) as i32, -14);
        assert_eq!(encode(Ok(0xBFFF_F000)), 0xBFFF_F000);
        assert!(encode(Err(Errno::EPERM)) > u32::MAX - MAX_ERRNO);
    }

    #[test]
    fn wait_status_words() {
        assert_eq!(wstatus::exited(42), 0x2A00);
        assert_eq!(wstatus::exited(256 + 3), 0x0300, "only the low 8 bits survive");
        assert_eq!(wstatus::signaled(11), 11);
    }
}

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
    ERANGE = 34,
    ENAMETOOLONG = 36,
    ENOSYS = 38,
}

pub type SysResult = Result<u32, Errno>;

/// The value EAX carries back to user space.
pub fn encode(r: SysResult) -> u32 {
    match r {
        Ok(v) => v,
        Err(e) => (e as u32).wrapping_neg(),
    }
}

/// Linux i386 system-call numbers this kernel implements, by name.
pub mod nr {
    pub const EXIT: u32 = 1;
    pub const FORK: u32 = 2;
    pub const READ: u32 = 3;
    pub const WRITE: u32 = 4;
    pub const OPEN: u32 = 5;
    pub const CLOSE: u32 = 6;
    pub const WAITPID: u32 = 7;
    pub const EXECVE: u32 = 11;
    pub const TIME: u32 = 13;
    pub const LSEEK: u32 = 19;
    pub const GETPID: u32 = 20;
    pub const GETUID: u32 = 24;
    pub const KILL: u32 = 37;
    pub const DUP: u32 = 41;
    pub const BRK: u32 = 45;
    pub const GETGID: u32 = 47;
    pub const GETEUID: u32 = 49;
    pub const GETEGID: u32 = 50;
    pub const IOCTL: u32 = 54;
    pub const DUP2: u32 = 63;
    pub const GETPPID: u32 = 64;
    pub const GETTIMEOFDAY: u32 = 78;
    pub const REBOOT: u32 = 88;
    pub const MMAP: u32 = 90;
    pub const MUNMAP: u32 = 91;
    pub const WAIT4: u32 = 114;
    pub const SYSINFO: u32 = 116;
    pub const UNAME: u32 = 122;
    pub const MPROTECT: u32 = 125;
    pub const LLSEEK: u32 = 140;
    pub const READV: u32 = 145;
    pub const WRITEV: u32 = 146;
    pub const SCHED_YIELD: u32 = 158;
    pub const NANOSLEEP: u32 = 162;
    pub const MMAP2: u32 = 192;
    pub const GETUID32: u32 = 199;
    pub const GETGID32: u32 = 200;
    pub const GETEUID32: u32 = 201;
    pub const GETEGID32: u32 = 202;
    pub const GETTID: u32 = 224;
    pub const EXIT_GROUP: u32 = 252;
    pub const CLOCK_GETTIME: u32 = 265;
    pub const CLOCK_GETTIME64: u32 = 403;

    /// Project calls (not Linux): fault counters, text views, page walks.
    pub const MG_STATS: u32 = 1000;
    pub const MG_VIEW: u32 = 1001;
    pub const MG_TRANSLATE: u32 = 1002;
}

/// Linux `waitpid` status words (see wait(2)'s W* macros).
pub mod wstatus {
    /// Exited normally with `code` (WIFEXITED, WEXITSTATUS).
    pub const fn exited(code: u32) -> u32 {
        (code & 0xFF) << 8
    }
    /// Killed by signal `sig` (WIFSIGNALED, WTERMSIG); no core dump, as with
    /// Linux's default core-size limit of 0.
    pub const fn signaled(sig: u8) -> u32 {
        sig as u32 & 0x7F
    }
}

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
pub const O_TRUNC: u32 = 0o1000;
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

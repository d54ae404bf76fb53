//! System-call numbers: Linux i386's (arch/x86/entry/syscalls/syscall_32.tbl,
//! through `linux_raw_sys::general::__NR_*`), then memguard's own at 1000
//! and up, which Linux answers with `-ENOSYS`.
//!
//! The constant names are Linux's in capitals, except where Linux's own
//! name starts with an underscore or says `_time64`: `LLSEEK` (`_llseek`),
//! `NEWSELECT` (`_newselect`), `CLOCK_GETRES64` (`clock_getres_time64`),
//! `CLOCK_NANOSLEEP64` (`clock_nanosleep_time64`) and the like.
use linux_raw_sys::general as linux;

/// Declares the Linux calls: `NAME = __NR_linux_name`.
macro_rules! linux_calls {
    ($($name:ident = $linux:ident,)*) => {
        $(pub const $name: u32 = linux::$linux;)*

        /// Linux's name for a call number ("mmap2", "_llseek"), for logs;
        /// `None` for a number not listed here (memguard's own included).
        pub fn name(nr: u32) -> Option<&'static str> {
            match nr {
                $(linux::$linux => stringify!($linux).strip_prefix("__NR_"),)*
                _ => None,
            }
        }
    };
}

linux_calls! {
    // Processes and threads.
    RESTART_SYSCALL = __NR_restart_syscall,
    EXIT = __NR_exit,
    EXIT_GROUP = __NR_exit_group,
    FORK = __NR_fork,
    VFORK = __NR_vfork,
    CLONE = __NR_clone,
    CLONE3 = __NR_clone3,
    EXECVE = __NR_execve,
    EXECVEAT = __NR_execveat,
    WAITPID = __NR_waitpid,
    WAIT4 = __NR_wait4,
    WAITID = __NR_waitid,
    GETPID = __NR_getpid,
    GETPPID = __NR_getppid,
    GETTID = __NR_gettid,
    SET_TID_ADDRESS = __NR_set_tid_address,
    SET_THREAD_AREA = __NR_set_thread_area,
    GET_THREAD_AREA = __NR_get_thread_area,
    SET_ROBUST_LIST = __NR_set_robust_list,
    GET_ROBUST_LIST = __NR_get_robust_list,
    FUTEX = __NR_futex,
    FUTEX_TIME64 = __NR_futex_time64,
    SCHED_YIELD = __NR_sched_yield,
    SCHED_GETAFFINITY = __NR_sched_getaffinity,
    SCHED_SETAFFINITY = __NR_sched_setaffinity,
    GETPRIORITY = __NR_getpriority,
    NICE = __NR_nice,
    SETPRIORITY = __NR_setpriority,
    PRCTL = __NR_prctl,
    ARCH_PRCTL = __NR_arch_prctl,
    PERSONALITY = __NR_personality,
    PTRACE = __NR_ptrace,
    RSEQ = __NR_rseq,
    MEMBARRIER = __NR_membarrier,
    // Process groups and sessions.
    GETPGRP = __NR_getpgrp,
    GETPGID = __NR_getpgid,
    SETPGID = __NR_setpgid,
    GETSID = __NR_getsid,
    SETSID = __NR_setsid,
    // Signals.
    KILL = __NR_kill,
    TKILL = __NR_tkill,
    TGKILL = __NR_tgkill,
    SIGNAL = __NR_signal,
    SIGACTION = __NR_sigaction,
    SIGPROCMASK = __NR_sigprocmask,
    SIGPENDING = __NR_sigpending,
    SIGSUSPEND = __NR_sigsuspend,
    SIGRETURN = __NR_sigreturn,
    RT_SIGACTION = __NR_rt_sigaction,
    RT_SIGPROCMASK = __NR_rt_sigprocmask,
    RT_SIGPENDING = __NR_rt_sigpending,
    RT_SIGSUSPEND = __NR_rt_sigsuspend,
    RT_SIGTIMEDWAIT = __NR_rt_sigtimedwait,
    RT_SIGTIMEDWAIT_TIME64 = __NR_rt_sigtimedwait_time64,
    RT_SIGQUEUEINFO = __NR_rt_sigqueueinfo,
    RT_SIGRETURN = __NR_rt_sigreturn,
    SIGALTSTACK = __NR_sigaltstack,
    PAUSE = __NR_pause,
    ALARM = __NR_alarm,
    SETITIMER = __NR_setitimer,
    GETITIMER = __NR_getitimer,
    // Identity and limits.
    GETUID = __NR_getuid,
    GETGID = __NR_getgid,
    GETEUID = __NR_geteuid,
    GETEGID = __NR_getegid,
    GETUID32 = __NR_getuid32,
    GETGID32 = __NR_getgid32,
    GETEUID32 = __NR_geteuid32,
    GETEGID32 = __NR_getegid32,
    SETUID = __NR_setuid,
    SETGID = __NR_setgid,
    SETUID32 = __NR_setuid32,
    SETGID32 = __NR_setgid32,
    GETRESUID32 = __NR_getresuid32,
    GETRESGID32 = __NR_getresgid32,
    GETGROUPS32 = __NR_getgroups32,
    GETGROUPS = __NR_getgroups,
    UMASK = __NR_umask,
    GETRLIMIT = __NR_getrlimit,
    UGETRLIMIT = __NR_ugetrlimit,
    SETRLIMIT = __NR_setrlimit,
    PRLIMIT64 = __NR_prlimit64,
    GETRUSAGE = __NR_getrusage,
    TIMES = __NR_times,
    // Memory.
    BRK = __NR_brk,
    MMAP = __NR_mmap,
    MMAP2 = __NR_mmap2,
    MUNMAP = __NR_munmap,
    MPROTECT = __NR_mprotect,
    MREMAP = __NR_mremap,
    MADVISE = __NR_madvise,
    MSYNC = __NR_msync,
    MINCORE = __NR_mincore,
    MLOCK = __NR_mlock,
    MUNLOCK = __NR_munlock,
    // Files and descriptors.
    READ = __NR_read,
    WRITE = __NR_write,
    READV = __NR_readv,
    WRITEV = __NR_writev,
    PREAD64 = __NR_pread64,
    PWRITE64 = __NR_pwrite64,
    OPEN = __NR_open,
    OPENAT = __NR_openat,
    CREAT = __NR_creat,
    CLOSE = __NR_close,
    CLOSE_RANGE = __NR_close_range,
    LSEEK = __NR_lseek,
    LLSEEK = __NR__llseek,
    DUP = __NR_dup,
    DUP2 = __NR_dup2,
    DUP3 = __NR_dup3,
    PIPE = __NR_pipe,
    PIPE2 = __NR_pipe2,
    IOCTL = __NR_ioctl,
    FCNTL = __NR_fcntl,
    FCNTL64 = __NR_fcntl64,
    FLOCK = __NR_flock,
    FSYNC = __NR_fsync,
    FDATASYNC = __NR_fdatasync,
    SYNC = __NR_sync,
    FALLOCATE = __NR_fallocate,
    SYSLOG = __NR_syslog,
    SYNCFS = __NR_syncfs,
    TRUNCATE64 = __NR_truncate64,
    FTRUNCATE = __NR_ftruncate,
    FTRUNCATE64 = __NR_ftruncate64,
    SENDFILE = __NR_sendfile,
    SENDFILE64 = __NR_sendfile64,
    POLL = __NR_poll,
    PPOLL = __NR_ppoll,
    PPOLL_TIME64 = __NR_ppoll_time64,
    SELECT = __NR_select,
    NEWSELECT = __NR__newselect,
    PSELECT6 = __NR_pselect6,
    PSELECT6_TIME64 = __NR_pselect6_time64,
    // File names and metadata.
    ACCESS = __NR_access,
    FACCESSAT = __NR_faccessat,
    FACCESSAT2 = __NR_faccessat2,
    STAT = __NR_stat,
    LSTAT = __NR_lstat,
    FSTAT = __NR_fstat,
    STAT64 = __NR_stat64,
    LSTAT64 = __NR_lstat64,
    FSTAT64 = __NR_fstat64,
    FSTATAT64 = __NR_fstatat64,
    STATX = __NR_statx,
    STATFS64 = __NR_statfs64,
    FSTATFS64 = __NR_fstatfs64,
    GETDENTS = __NR_getdents,
    GETDENTS64 = __NR_getdents64,
    GETCWD = __NR_getcwd,
    CHDIR = __NR_chdir,
    FCHDIR = __NR_fchdir,
    MKDIR = __NR_mkdir,
    MKDIRAT = __NR_mkdirat,
    RMDIR = __NR_rmdir,
    UNLINK = __NR_unlink,
    UNLINKAT = __NR_unlinkat,
    RENAME = __NR_rename,
    RENAMEAT = __NR_renameat,
    RENAMEAT2 = __NR_renameat2,
    LINK = __NR_link,
    LINKAT = __NR_linkat,
    SYMLINK = __NR_symlink,
    SYMLINKAT = __NR_symlinkat,
    READLINK = __NR_readlink,
    READLINKAT = __NR_readlinkat,
    CHMOD = __NR_chmod,
    FCHMOD = __NR_fchmod,
    FCHMODAT = __NR_fchmodat,
    CHOWN32 = __NR_chown32,
    FCHOWN32 = __NR_fchown32,
    LCHOWN32 = __NR_lchown32,
    FCHOWNAT = __NR_fchownat,
    UTIMENSAT = __NR_utimensat,
    UTIMENSAT_TIME64 = __NR_utimensat_time64,
    MKNOD = __NR_mknod,
    MOUNT = __NR_mount,
    UMOUNT2 = __NR_umount2,
    UMOUNT = __NR_umount,
    SWAPON = __NR_swapon,
    SWAPOFF = __NR_swapoff,
    // Time.
    TIME = __NR_time,
    GETTIMEOFDAY = __NR_gettimeofday,
    NANOSLEEP = __NR_nanosleep,
    CLOCK_GETTIME = __NR_clock_gettime,
    CLOCK_GETRES = __NR_clock_getres,
    CLOCK_NANOSLEEP = __NR_clock_nanosleep,
    CLOCK_GETTIME64 = __NR_clock_gettime64,
    CLOCK_GETRES64 = __NR_clock_getres_time64,
    CLOCK_NANOSLEEP64 = __NR_clock_nanosleep_time64,
    // The system.
    UNAME = __NR_uname,
    OLDUNAME = __NR_olduname,
    OLDOLDUNAME = __NR_oldolduname,
    SYSINFO = __NR_sysinfo,
    REBOOT = __NR_reboot,
    GETRANDOM = __NR_getrandom,
    IOPERM = __NR_ioperm,
    IOPL = __NR_iopl,
    MODIFY_LDT = __NR_modify_ldt,
    // 16-bit-id ownership calls and the rest of the file family.
    CHOWN = __NR_chown,
    LCHOWN = __NR_lchown,
    FCHOWN = __NR_fchown,
    MKNODAT = __NR_mknodat,
    TRUNCATE = __NR_truncate,
    STATFS = __NR_statfs,
    FSTATFS = __NR_fstatfs,
}

/// memguard: fault and memory counters of a process or the system
/// (`MgStats`): `mg_stats(pid, buf, size)`, pid 0 = caller, -1 = system.
pub const MG_STATS: u32 = 1000;
/// memguard: a text report (`View`): `mg_view(view, arg0, arg1, buf, len)`,
/// truncated to `len`, returns the bytes written.
pub const MG_VIEW: u32 = 1001;
/// memguard: one address walked through a process's page tables
/// (`MgTranslation`): `mg_translate(pid, vaddr, out)`.
pub const MG_TRANSLATE: u32 = 1002;
/// memguard, only with `bench` on the kernel command line (else ENOSYS):
/// the bare mechanisms' cost (`LimitsOp`, `MgLimits`):
/// `mg_limits(op, arg0, arg1)`.
pub const MG_LIMITS: u32 = 1003;

/// memguard's own calls sit above every Linux number.
const _: () = assert!(MG_STATS > linux::__NR_file_setattr);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_linux_i386() {
        let table = [
            (EXIT, 1, "exit"),
            (FORK, 2, "fork"),
            (WRITE, 4, "write"),
            (EXECVE, 11, "execve"),
            (GETPID, 20, "getpid"),
            (BRK, 45, "brk"),
            (MMAP, 90, "mmap"),
            (SIGRETURN, 119, "sigreturn"),
            (LLSEEK, 140, "_llseek"),
            (NEWSELECT, 142, "_newselect"),
            (RT_SIGRETURN, 173, "rt_sigreturn"),
            (RT_SIGACTION, 174, "rt_sigaction"),
            (MMAP2, 192, "mmap2"),
            (FSTAT64, 197, "fstat64"),
            (FUTEX, 240, "futex"),
            (SET_THREAD_AREA, 243, "set_thread_area"),
            (EXIT_GROUP, 252, "exit_group"),
            (TGKILL, 270, "tgkill"),
            (OPENAT, 295, "openat"),
            (PRLIMIT64, 340, "prlimit64"),
            (STATX, 383, "statx"),
            (CLOCK_GETTIME64, 403, "clock_gettime64"),
            (CLOCK_NANOSLEEP64, 407, "clock_nanosleep_time64"),
        ];
        for (nr, want, linux_name) in table {
            assert_eq!(nr, want, "{linux_name}");
            assert_eq!(name(nr), Some(linux_name));
        }
        assert_eq!(name(MG_STATS), None);
        assert_eq!(name(17), None, "17 (break) is not listed");
    }
}

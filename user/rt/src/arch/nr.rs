//! Linux i386 system-call numbers (arch/x86/entry/syscalls/syscall_32.tbl),
//! plus memguard's own calls, which Linux answers with `-ENOSYS`.
pub const EXIT: u32 = 1;
pub const FORK: u32 = 2;
pub const READ: u32 = 3;
pub const WRITE: u32 = 4;
pub const OPEN: u32 = 5;
pub const CLOSE: u32 = 6;
pub const WAITPID: u32 = 7;
pub const UNLINK: u32 = 10;
pub const EXECVE: u32 = 11;
pub const LSEEK: u32 = 19;
pub const GETPID: u32 = 20;
pub const KILL: u32 = 37;
pub const DUP: u32 = 41;
pub const BRK: u32 = 45;
pub const DUP2: u32 = 63;
pub const GETPPID: u32 = 64;
pub const GETTIMEOFDAY: u32 = 78;
pub const REBOOT: u32 = 88;
pub const MUNMAP: u32 = 91;
pub const WAIT4: u32 = 114;
pub const SYSINFO: u32 = 116;
pub const UNAME: u32 = 122;
pub const MPROTECT: u32 = 125;
pub const SCHED_YIELD: u32 = 158;
pub const NANOSLEEP: u32 = 162;
pub const MMAP2: u32 = 192;
pub const EXIT_GROUP: u32 = 252;
pub const CLOCK_GETTIME: u32 = 265;

/// memguard: per-process or system-wide memory counters (`mg::MgStats`).
pub const MG_STATS: u32 = 1000;
/// memguard: a text report of a kernel structure (`mg::View`).
pub const MG_VIEW: u32 = 1001;
/// memguard: walk a process's page tables for one address (`mg::MgTranslation`).
pub const MG_TRANSLATE: u32 = 1002;

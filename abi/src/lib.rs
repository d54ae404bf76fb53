//! The system-call ABI shared by the memguard kernel and its user programs:
//! Linux i386 system-call numbers, the `waitpid` status encoding, and the
//! project's own calls (1000 and up) with the structures they exchange. One
//! definition, used by both sides, so they cannot drift apart.
#![no_std]

/// Linux i386 system-call numbers (arch/x86/entry/syscalls/syscall_32.tbl),
/// then memguard's own, which Linux answers with `-ENOSYS`.
pub mod nr {
    pub const RESTART_SYSCALL: u32 = 0;
    pub const EXIT: u32 = 1;
    pub const FORK: u32 = 2;
    pub const READ: u32 = 3;
    pub const WRITE: u32 = 4;
    pub const OPEN: u32 = 5;
    pub const CLOSE: u32 = 6;
    pub const WAITPID: u32 = 7;
    pub const UNLINK: u32 = 10;
    pub const EXECVE: u32 = 11;
    pub const CHDIR: u32 = 12;
    pub const TIME: u32 = 13;
    pub const LSEEK: u32 = 19;
    pub const GETPID: u32 = 20;
    pub const GETUID: u32 = 24;
    pub const ACCESS: u32 = 33;
    pub const KILL: u32 = 37;
    pub const TIMES: u32 = 43;
    pub const DUP: u32 = 41;
    pub const PIPE: u32 = 42;
    pub const BRK: u32 = 45;
    pub const GETGID: u32 = 47;
    pub const GETEUID: u32 = 49;
    pub const GETEGID: u32 = 50;
    pub const IOCTL: u32 = 54;
    pub const FCNTL: u32 = 55;
    pub const UMASK: u32 = 60;
    pub const DUP2: u32 = 63;
    pub const GETPPID: u32 = 64;
    pub const GETPGRP: u32 = 65;
    pub const GETRUSAGE: u32 = 77;
    pub const GETTIMEOFDAY: u32 = 78;
    pub const REBOOT: u32 = 88;
    pub const MMAP: u32 = 90;
    pub const MUNMAP: u32 = 91;
    pub const WAIT4: u32 = 114;
    pub const CLONE: u32 = 120;
    pub const SYSINFO: u32 = 116;
    pub const UNAME: u32 = 122;
    pub const MPROTECT: u32 = 125;
    pub const GETPGID: u32 = 132;
    pub const LLSEEK: u32 = 140;
    pub const READV: u32 = 145;
    pub const GETSID: u32 = 147;
    pub const WRITEV: u32 = 146;
    pub const SCHED_YIELD: u32 = 158;
    pub const NANOSLEEP: u32 = 162;
    pub const GETCWD: u32 = 183;
    pub const VFORK: u32 = 190;
    pub const MMAP2: u32 = 192;
    pub const STAT64: u32 = 195;
    pub const LSTAT64: u32 = 196;
    pub const FSTAT64: u32 = 197;
    pub const GETUID32: u32 = 199;
    pub const FCNTL64: u32 = 221;
    pub const GETGID32: u32 = 200;
    pub const GETEUID32: u32 = 201;
    pub const GETEGID32: u32 = 202;
    pub const GETTID: u32 = 224;
    pub const EXIT_GROUP: u32 = 252;
    pub const SET_TID_ADDRESS: u32 = 258;
    pub const CLOCK_GETTIME: u32 = 265;
    pub const CLOCK_GETRES: u32 = 266;
    pub const CLOCK_NANOSLEEP: u32 = 267;
    pub const FACCESSAT: u32 = 307;
    pub const PIPE2: u32 = 331;
    pub const GETRANDOM: u32 = 355;
    pub const EXECVEAT: u32 = 358;
    pub const CLOCK_GETTIME64: u32 = 403;
    pub const CLOCK_GETRES64: u32 = 406;
    pub const CLOCK_NANOSLEEP64: u32 = 407;

    /// memguard: fault and memory counters of a process or the system
    /// (`MgStats`): `mg_stats(pid, buf, size)`, pid 0 = caller, -1 = system.
    pub const MG_STATS: u32 = 1000;
    /// memguard: a text report (`View`): `mg_view(view, arg0, arg1, buf, len)`,
    /// truncated to `len`, returns the bytes written.
    pub const MG_VIEW: u32 = 1001;
    /// memguard: one address walked through a process's page tables
    /// (`MgTranslation`): `mg_translate(pid, vaddr, out)`.
    pub const MG_TRANSLATE: u32 = 1002;
}

/// Linux `waitpid` status words (wait(2)'s W* macros).
pub mod wstatus {
    /// Exited normally with `code` (WIFEXITED, WEXITSTATUS).
    pub const fn exited(code: u32) -> u32 {
        (code & 0xFF) << 8
    }
    /// Killed by signal `sig` (WIFSIGNALED, WTERMSIG), no core dump (as
    /// with Linux's default core-size limit of 0).
    pub const fn signaled(sig: u8) -> u32 {
        sig as u32 & 0x7F
    }
}

/// Memory counters of one process, or of the whole system (`mg_stats`).
/// The kernel copies at most `size_of::<MgStats>()` bytes; new fields only
/// ever go at the end.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct MgStats {
    /// Page faults taken from ring 3.
    pub page_faults: u32,
    /// Faults answered with a freshly zeroed frame.
    pub demand_zero: u32,
    /// Read faults answered by mapping the shared zero frame read-only.
    pub zero_page_maps: u32,
    /// Copy-on-write faults that copied the frame (a private copy of a
    /// shared or file page).
    pub cow_copies: u32,
    /// Copy-on-write faults where the frame was no longer shared, so it was
    /// just made writable.
    pub cow_reuses: u32,
    /// Faults that grew the stack region.
    pub stack_growths: u32,
    /// File pages mapped straight from a module's frames (or copied where
    /// they mix file bytes with .bss).
    pub file_maps: u32,
    /// Tasks killed by a fault.
    pub kills: u32,
    /// Present user pages (the zero frame not counted).
    pub resident_pages: u32,
    /// Page-table frames (page directory included).
    pub page_tables: u32,
    /// System-wide only (pid -1): frames the allocator manages.
    pub total_frames: u32,
    /// System-wide only: free frames.
    pub free_frames: u32,
    /// System-wide only: live processes (zombies included).
    pub processes: u32,
}

const _: () = assert!(core::mem::size_of::<MgStats>() == 13 * 4);

impl MgStats {
    /// The bytes of the structure, as the kernel copies them out.
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: a repr(C) struct of u32s has no padding, so every byte is
        // initialised, and the slice borrows `self`.
        unsafe { core::slice::from_raw_parts(self as *const Self as *const u8, core::mem::size_of::<Self>()) }
    }
}

/// One address run through a process's page tables (`mg_translate`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct MgTranslation {
    /// The page-directory entry covering the address.
    pub pde: u32,
    /// The page-table entry, 0 if there is no page table.
    pub pte: u32,
    /// Frame address | page offset; meaningful only when `present` is 1.
    pub phys: u32,
    /// 1 when the address is mapped to a frame.
    pub present: u32,
}

const _: () = assert!(core::mem::size_of::<MgTranslation>() == 16);

impl MgTranslation {
    /// The frame address (page offset dropped), if mapped.
    pub fn frame(&self) -> Option<u32> {
        (self.present != 0).then_some(self.phys & !0xfff)
    }

    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: as for MgStats: four u32s, no padding, borrowed from self.
        unsafe { core::slice::from_raw_parts(self as *const Self as *const u8, core::mem::size_of::<Self>()) }
    }
}

/// The text reports `mg_view` produces.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum View {
    Gdt = 0,
    Idt = 1,
    Tss = 2,
    /// The process list.
    Ps = 3,
    /// A process's regions: arg0 = pid.
    Vmmap = 4,
    /// The page-directory and page-table entries for arg1 in process arg0.
    Pte = 5,
    /// Free and used memory.
    Free = 6,
    /// Page-fault counters, system-wide.
    Pfstat = 7,
    /// The files (boot modules), one path per line.
    Files = 8,
}

impl View {
    pub const fn from_u32(v: u32) -> Option<View> {
        Some(match v {
            0 => View::Gdt,
            1 => View::Idt,
            2 => View::Tss,
            3 => View::Ps,
            4 => View::Vmmap,
            5 => View::Pte,
            6 => View::Free,
            7 => View::Pfstat,
            8 => View::Files,
            _ => return None,
        })
    }
}

//! The text of /proc files, byte for byte as Linux 6.1 i386 prints them, so
//! that busybox ps/top/free, procps, glibc and musl parse them unchanged.
//! Pure (host-tested): each function takes a plain-data snapshot that the
//! caller fills from kernel state and returns the file's contents.
//!
//! The reference is Debian bookworm's `686` kernel (6.1, non-PAE, SMP,
//! HIGHMEM, ZSWAP, MEMORY_FAILURE, TRANSPARENT_HUGEPAGE, no CMA), the one
//! `bench/linux-run.sh` boots; the tests hold outputs captured from it. Its
//! sources: fs/proc/{array,task_mmu,meminfo,stat,uptime,loadavg}.c,
//! arch/x86/kernel/cpu/proc.c, fs/proc_namespace.c, fs/filesystems.c,
//! mm/swapfile.c, lib/vsprintf.c (`%*pb`, `%*pbl`) and fs/seq_file.c.
//!
//! Units are in the field names (`_kb`, `_pages`, `_ticks`, `_ns`); a value
//! without one is a count or an address. Widths follow i386: `unsigned long`
//! is 32 bits, so addresses are `u32` and maps pads to 48 columns, not 72.
//! Clock ticks are USER_HZ (100 per second): see [`ns_to_clock_t`].

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// `write!` into a String: formatting into memory cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = write!($out, $($arg)*);
    }};
}

/// Ticks per second in every user-visible clock_t (`times`, /proc).
pub const USER_HZ: u64 = 100;

/// Linux's nsec_to_clock_t: whole USER_HZ ticks in `ns`, rounded down.
pub fn ns_to_clock_t(ns: u64) -> u64 {
    ns / (1_000_000_000 / USER_HZ)
}

/// Appends `s` with every byte from `esc` written as a backslash and three
/// octal digits (`' '` → `\040`): Linux's mangle_path and seq_escape.
fn push_escaped(out: &mut String, s: &str, esc: &str) {
    for c in s.chars() {
        if esc.contains(c) {
            put!(out, "\\{:03o}", c as u32);
        } else {
            out.push(c);
        }
    }
}

// ---------------------------------------------------------------------------
// /proc/<pid>/maps and smaps
// ---------------------------------------------------------------------------

bitflags::bitflags! {
    /// Linux's vm_flags (include/linux/mm.h), the bits smaps names in
    /// `VmFlags:`. 0x800, 0x80000 (VM_LOCKONFAULT) and 0x8000000 (soft-dirty,
    /// 64-bit only) have no name on i386: Linux prints `??` for them.
    #[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
    pub struct VmFlags: u32 {
        const READ = 1 << 0;
        const WRITE = 1 << 1;
        const EXEC = 1 << 2;
        /// MAP_SHARED and writable: changes reach the file.
        const SHARED = 1 << 3;
        const MAYREAD = 1 << 4;
        const MAYWRITE = 1 << 5;
        const MAYEXEC = 1 << 6;
        /// MAP_SHARED: maps prints `s`, else `p`.
        const MAYSHARE = 1 << 7;
        const GROWSDOWN = 1 << 8;
        const UFFD_MISSING = 1 << 9;
        const PFNMAP = 1 << 10;
        const UFFD_WP = 1 << 12;
        const LOCKED = 1 << 13;
        const IO = 1 << 14;
        const SEQ_READ = 1 << 15;
        const RAND_READ = 1 << 16;
        const DONTCOPY = 1 << 17;
        const DONTEXPAND = 1 << 18;
        const LOCKONFAULT = 1 << 19;
        /// Counted against the commit limit (private writable memory).
        const ACCOUNT = 1 << 20;
        const NORESERVE = 1 << 21;
        const HUGETLB = 1 << 22;
        const SYNC = 1 << 23;
        /// VM_ARCH_1, which x86 uses as VM_PAT.
        const ARCH_1 = 1 << 24;
        const WIPEONFORK = 1 << 25;
        const DONTDUMP = 1 << 26;
        const MIXEDMAP = 1 << 28;
        const HUGEPAGE = 1 << 29;
        const NOHUGEPAGE = 1 << 30;
        const MERGEABLE = 1 << 31;
    }
}

/// smaps' two-letter name of each vm_flags bit on i386, by bit number.
const VM_FLAG_NAMES: [&str; 32] = [
    "rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "um", "pf", "??", "uw", "lo", "io", "sr", "rr", "dc", "de",
    "??", "ac", "nr", "ht", "sf", "ar", "wf", "dd", "??", "mm", "hg", "nh", "mg",
];

/// What maps prints after the padding: the file, a special name, or nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MapName<'a> {
    /// Anonymous memory that is neither heap nor stack: no name.
    None,
    /// A file mapping. `deleted` appends Linux's ` (deleted)` (a shared
    /// anonymous mapping is the deleted file `/dev/zero` on Linux).
    File {
        path: &'a str,
        deleted: bool,
    },
    /// Anonymous memory overlapping [start_brk, brk].
    Heap,
    /// The region containing the initial stack pointer (mm->start_stack).
    Stack,
    Vdso,
    Vvar,
    /// prctl(PR_SET_VMA_ANON_NAME): `[anon:NAME]`.
    AnonNamed(&'a str),
}

/// One region as maps shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MapsEntry<'a> {
    pub start: u32,
    pub end: u32,
    pub flags: VmFlags,
    /// Byte offset into the file (vm_pgoff << 12); 0 for anonymous memory.
    pub offset: u64,
    pub dev_major: u32,
    pub dev_minor: u32,
    pub inode: u32,
    pub name: MapName<'a>,
}

/// The column where maps pads a name to (show_vma_header_prefix's
/// `25 + sizeof(void *) * 6 - 1`), before the one separating space.
const MAPS_NAME_PAD: usize = 25 + 4 * 6 - 1;

/// Appends one maps line, as Linux's show_map_vma does: the header always
/// ends in a space; a name is padded with spaces to column 48 (when the
/// header is shorter), then one more space, then the name. A line without a
/// name keeps the header's trailing space.
pub fn push_maps_line(out: &mut String, e: &MapsEntry) {
    let line_start = out.len();
    let f = e.flags;
    let bit = |flag, c| if f.contains(flag) { c } else { '-' };
    put!(out, "{:08x}-{:08x} ", e.start, e.end);
    out.push(bit(VmFlags::READ, 'r'));
    out.push(bit(VmFlags::WRITE, 'w'));
    out.push(bit(VmFlags::EXEC, 'x'));
    out.push(if f.contains(VmFlags::MAYSHARE) { 's' } else { 'p' });
    put!(out, " {:08x} {:02x}:{:02x} {} ", e.offset, e.dev_major, e.dev_minor, e.inode);
    let pad = |out: &mut String| {
        while out.len() - line_start < MAPS_NAME_PAD {
            out.push(' ');
        }
        out.push(' ');
    };
    if e.name != MapName::None {
        pad(out);
    }
    match e.name {
        MapName::None => {}
        MapName::File { path, deleted } => {
            push_escaped(out, path, "\n");
            if deleted {
                out.push_str(" (deleted)");
            }
        }
        MapName::Heap => out.push_str("[heap]"),
        MapName::Stack => out.push_str("[stack]"),
        MapName::Vdso => out.push_str("[vdso]"),
        MapName::Vvar => out.push_str("[vvar]"),
        MapName::AnonNamed(name) => put!(out, "[anon:{}]", name),
    }
    out.push('\n');
}

/// /proc/<pid>/maps: one line per region, in address order.
pub fn maps(regions: &[MapsEntry]) -> String {
    let mut out = String::new();
    for e in regions {
        push_maps_line(&mut out, e);
    }
    out
}

/// What smaps counts in one region, all in kB (Linux shifts its byte
/// counts right by 10; Pss and SwapPss are the caller's fair shares).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct SmapsUsage {
    pub rss_kb: u32,
    pub pss_kb: u32,
    pub pss_dirty_kb: u32,
    pub shared_clean_kb: u32,
    pub shared_dirty_kb: u32,
    pub private_clean_kb: u32,
    pub private_dirty_kb: u32,
    pub referenced_kb: u32,
    pub anonymous_kb: u32,
    pub lazy_free_kb: u32,
    pub anon_huge_pages_kb: u32,
    pub shmem_pmd_mapped_kb: u32,
    pub file_pmd_mapped_kb: u32,
    pub shared_hugetlb_kb: u32,
    pub private_hugetlb_kb: u32,
    pub swap_kb: u32,
    pub swap_pss_kb: u32,
    pub locked_kb: u32,
}

/// One region as smaps shows it. Pages are 4 KiB (KernelPageSize and
/// MMUPageSize are 4 kB: no huge pages).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SmapsEntry<'a> {
    pub map: MapsEntry<'a>,
    pub usage: SmapsUsage,
    /// Whether a transparent huge page could back it (0 on our kernel).
    pub thp_eligible: bool,
}

/// /proc/<pid>/smaps: for each region its maps line, then Linux 6.1's
/// fields in its order, each number right-aligned in 8 columns (7 after the
/// one-longer `Private_Hugetlb:` label), then the VmFlags mnemonics, each
/// followed by a space.
pub fn smaps(regions: &[SmapsEntry]) -> String {
    let mut out = String::new();
    for r in regions {
        push_maps_line(&mut out, &r.map);
        let u = &r.usage;
        let size_kb = r.map.end.saturating_sub(r.map.start) >> 10;
        let rows = [
            ("Size:           ", size_kb),
            ("KernelPageSize: ", 4),
            ("MMUPageSize:    ", 4),
            ("Rss:            ", u.rss_kb),
            ("Pss:            ", u.pss_kb),
            ("Pss_Dirty:      ", u.pss_dirty_kb),
            ("Shared_Clean:   ", u.shared_clean_kb),
            ("Shared_Dirty:   ", u.shared_dirty_kb),
            ("Private_Clean:  ", u.private_clean_kb),
            ("Private_Dirty:  ", u.private_dirty_kb),
            ("Referenced:     ", u.referenced_kb),
            ("Anonymous:      ", u.anonymous_kb),
            ("LazyFree:       ", u.lazy_free_kb),
            ("AnonHugePages:  ", u.anon_huge_pages_kb),
            ("ShmemPmdMapped: ", u.shmem_pmd_mapped_kb),
            ("FilePmdMapped:  ", u.file_pmd_mapped_kb),
            ("Shared_Hugetlb: ", u.shared_hugetlb_kb),
            ("Private_Hugetlb: ", u.private_hugetlb_kb),
            ("Swap:           ", u.swap_kb),
            ("SwapPss:        ", u.swap_pss_kb),
            ("Locked:         ", u.locked_kb),
        ];
        for (label, kb) in rows {
            // Every label is 16 wide but Private_Hugetlb's: 24 columns in all.
            put!(out, "{}{:>w$} kB\n", label, kb, w = 24 - label.len());
        }
        put!(out, "THPeligible:    {}\n", r.thp_eligible as u32);
        out.push_str("VmFlags: ");
        for (i, name) in VM_FLAG_NAMES.iter().enumerate() {
            if r.map.flags.bits() & (1 << i) != 0 {
                out.push_str(name);
                out.push(' ');
            }
        }
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------
// /proc/<pid>/pagemap
// ---------------------------------------------------------------------------

/// Where one virtual page is, as pagemap reports it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PageLocation {
    NotPresent,
    /// In memory, in physical frame `pfn`.
    Present {
        pfn: u32,
    },
    /// In swap area `swap_type` (0–31) at page `offset` (50 bits).
    Swapped {
        swap_type: u8,
        offset: u64,
    },
}

/// One 64-bit pagemap entry (Documentation/admin-guide/mm/pagemap.rst):
///
/// ```text
///  63  62  61  60..58 57  56  55  54 ............................... 0
/// [P ][S ][F ][ 0    ][U ][X ][SD][ PFN, or swap offset<<5 | swap type ]
/// ```
/// P present, S swapped, F file page or shared anonymous, U userfaultfd
/// write-protected, X mapped exactly once, SD soft-dirty.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct PagemapEntry {
    pub location: PageLocation,
    /// Not a private anonymous page: page cache or shmem (bit 61).
    pub file_or_shared: bool,
    /// The page's map count is 1 (bit 56).
    pub exclusive: bool,
    pub soft_dirty: bool,
    pub uffd_wp: bool,
}

const PM_PFRAME_MASK: u64 = (1 << 55) - 1;
const PM_SOFT_DIRTY: u64 = 1 << 55;
const PM_MMAP_EXCLUSIVE: u64 = 1 << 56;
const PM_UFFD_WP: u64 = 1 << 57;
const PM_FILE: u64 = 1 << 61;
const PM_SWAP: u64 = 1 << 62;
const PM_PRESENT: u64 = 1 << 63;
/// Swap types take the low 5 bits of the frame field (MAX_SWAPFILES_SHIFT).
const SWAP_TYPE_BITS: u32 = 5;

impl PagemapEntry {
    /// The entry as Linux's pte_to_pagemap_entry builds it. The frame field
    /// (PFN or swap location) is shown only to a reader with CAP_SYS_ADMIN
    /// (`show_pfn`); others see 0 there and the flag bits alone.
    pub fn encode(&self, show_pfn: bool) -> u64 {
        let (frame, mut bits) = match self.location {
            PageLocation::NotPresent => (0, 0),
            PageLocation::Present { pfn } => (pfn as u64, PM_PRESENT),
            PageLocation::Swapped { swap_type, offset } => {
                (swap_type as u64 & 0x1f | offset << SWAP_TYPE_BITS, PM_SWAP)
            }
        };
        for (on, bit) in [
            (self.file_or_shared, PM_FILE),
            (self.exclusive, PM_MMAP_EXCLUSIVE),
            (self.soft_dirty, PM_SOFT_DIRTY),
            (self.uffd_wp, PM_UFFD_WP),
        ] {
            if on {
                bits |= bit;
            }
        }
        if show_pfn { (frame & PM_PFRAME_MASK) | bits } else { bits }
    }

    /// The inverse of `encode(true)`, for tests and debugging tools.
    pub fn decode(raw: u64) -> PagemapEntry {
        let frame = raw & PM_PFRAME_MASK;
        let location = if raw & PM_PRESENT != 0 {
            PageLocation::Present { pfn: frame as u32 }
        } else if raw & PM_SWAP != 0 {
            PageLocation::Swapped { swap_type: (frame & 0x1f) as u8, offset: frame >> SWAP_TYPE_BITS }
        } else {
            PageLocation::NotPresent
        };
        PagemapEntry {
            location,
            file_or_shared: raw & PM_FILE != 0,
            exclusive: raw & PM_MMAP_EXCLUSIVE != 0,
            soft_dirty: raw & PM_SOFT_DIRTY != 0,
            uffd_wp: raw & PM_UFFD_WP != 0,
        }
    }
}

// ---------------------------------------------------------------------------
// /proc/<pid>/stat, statm, status, cmdline, comm
// ---------------------------------------------------------------------------

/// A task's state as /proc reports it (task_state_array).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaskState {
    Running,
    Sleeping,
    DiskSleep,
    Stopped,
    TracingStop,
    Dead,
    Zombie,
    Parked,
    Idle,
}

impl TaskState {
    /// status's `State:` text; stat prints its first letter.
    pub fn label(self) -> &'static str {
        match self {
            TaskState::Running => "R (running)",
            TaskState::Sleeping => "S (sleeping)",
            TaskState::DiskSleep => "D (disk sleep)",
            TaskState::Stopped => "T (stopped)",
            TaskState::TracingStop => "t (tracing stop)",
            TaskState::Dead => "X (dead)",
            TaskState::Zombie => "Z (zombie)",
            TaskState::Parked => "P (parked)",
            TaskState::Idle => "I (idle)",
        }
    }

    pub fn letter(self) -> char {
        self.label().as_bytes()[0] as char
    }
}

/// The address-space part of stat; `None` for a task without one (a zombie,
/// a kernel thread), which Linux prints as zeros.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct StatMm {
    /// Total mapped bytes (total_vm pages × 4096).
    pub vsize: u32,
    pub rss_pages: u32,
    pub start_code: u32,
    pub end_code: u32,
    pub start_stack: u32,
    pub start_data: u32,
    pub end_data: u32,
    pub start_brk: u32,
    pub arg_start: u32,
    pub arg_end: u32,
    pub env_start: u32,
    pub env_end: u32,
}

/// Everything /proc/<pid>/stat prints, fields 1–52 of proc(5) in order
/// (the mm ones gathered in `mm`; fields 21, 36 and 37 are always 0).
/// Signal sets have signal n at bit n−1.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TaskStat<'a> {
    pub pid: u32,
    pub comm: &'a str,
    pub state: TaskState,
    pub ppid: i32,
    pub pgrp: i32,
    pub session: i32,
    /// The controlling terminal's device number (new_encode_dev), 0 if none.
    pub tty_nr: i32,
    /// The terminal's foreground process group, −1 if none.
    pub tpgid: i32,
    /// Linux's PF_* task flags (PF_RANDOMIZE 0x400000, PF_EXITING 0x4 …).
    pub flags: u32,
    pub minflt: u32,
    pub cminflt: u32,
    pub majflt: u32,
    pub cmajflt: u32,
    pub utime_ticks: u64,
    pub stime_ticks: u64,
    pub cutime_ticks: i64,
    pub cstime_ticks: i64,
    /// task_prio: 20 + nice for a normal task.
    pub priority: i32,
    pub nice: i32,
    pub num_threads: i32,
    pub start_time_ticks: u64,
    pub mm: Option<StatMm>,
    /// RLIMIT_RSS's soft limit (u32::MAX is RLIM_INFINITY).
    pub rsslim: u32,
    /// Saved user esp/eip: Linux shows them only for a dying task.
    pub kstk_esp: u32,
    pub kstk_eip: u32,
    pub pending: u64,
    pub blocked: u64,
    pub ignored: u64,
    pub caught: u64,
    /// Whether the task is blocked in the kernel (prints 1, else 0).
    pub wchan: bool,
    pub exit_signal: i32,
    pub processor: i32,
    pub rt_priority: u32,
    pub policy: u32,
    pub delayacct_blkio_ticks: u64,
    pub guest_time_ticks: u64,
    pub cguest_time_ticks: i64,
    /// The wait status: `code << 8` for an exit, the signal for a stop.
    pub exit_code: i32,
}

/// /proc/<pid>/stat: one line of 52 space-separated fields, the name in
/// parentheses unescaped (a reader finds it by the last `)`).
pub fn stat(t: &TaskStat) -> String {
    let mut o = String::new();
    let m = t.mm.unwrap_or_default();
    // Linux's stat shows only the first word of each signal set, less bit 31.
    let sig = |set: u64| set as u32 & 0x7fff_ffff;
    put!(o, "{} ({}) {} {} {} {} {} {}", t.pid, t.comm, t.state.letter(), t.ppid, t.pgrp, t.session, t.tty_nr, t.tpgid);
    put!(o, " {} {} {} {} {}", t.flags, t.minflt, t.cminflt, t.majflt, t.cmajflt);
    put!(o, " {} {} {} {}", t.utime_ticks, t.stime_ticks, t.cutime_ticks, t.cstime_ticks);
    put!(o, " {} {} {} 0 {}", t.priority, t.nice, t.num_threads, t.start_time_ticks);
    put!(o, " {} {} {} {} {}", m.vsize, m.rss_pages, t.rsslim, m.start_code, m.end_code);
    put!(o, " {} {} {}", m.start_stack, t.kstk_esp, t.kstk_eip);
    put!(o, " {} {} {} {}", sig(t.pending), sig(t.blocked), sig(t.ignored), sig(t.caught));
    put!(o, " {} 0 0 {} {} {} {}", t.wchan as u32, t.exit_signal, t.processor, t.rt_priority, t.policy);
    put!(o, " {} {} {}", t.delayacct_blkio_ticks, t.guest_time_ticks, t.cguest_time_ticks);
    put!(o, " {} {} {} {} {}", m.start_data, m.end_data, m.start_brk, m.arg_start, m.arg_end);
    put!(o, " {} {} {}\n", m.env_start, m.env_end, t.exit_code);
    o
}

/// statm's page counts (task_statm).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Statm {
    /// total_vm: every mapped page.
    pub size: u32,
    /// Resident pages: anonymous + file + shmem.
    pub resident: u32,
    /// Resident file and shmem pages.
    pub shared: u32,
    /// Pages of the executable's text (end_code − start_code, page-rounded).
    pub text: u32,
    /// data_vm + stack_vm: private writable and stack pages.
    pub data: u32,
}

/// /proc/<pid>/statm: `size resident shared text 0 data 0`; all zeros
/// without an address space.
pub fn statm(s: Option<&Statm>) -> String {
    let s = s.copied().unwrap_or_default();
    let mut o = String::new();
    put!(o, "{} {} {} {} 0 {} 0\n", s.size, s.resident, s.shared, s.text, s.data);
    o
}

/// The address-space part of status, in kB; `None` leaves out the Vm*
/// lines, CoreDumping and THP_enabled, as Linux does for a zombie.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct StatusMm {
    pub vm_peak_kb: u32,
    pub vm_size_kb: u32,
    pub vm_lck_kb: u32,
    pub vm_pin_kb: u32,
    pub vm_hwm_kb: u32,
    pub vm_rss_kb: u32,
    pub rss_anon_kb: u32,
    pub rss_file_kb: u32,
    pub rss_shmem_kb: u32,
    pub vm_data_kb: u32,
    pub vm_stk_kb: u32,
    pub vm_exe_kb: u32,
    pub vm_lib_kb: u32,
    pub vm_pte_kb: u32,
    pub vm_swap_kb: u32,
    pub hugetlb_kb: u32,
    pub core_dumping: bool,
    pub thp_enabled: bool,
}

/// Everything /proc/<pid>/status prints. No PID namespaces: each NS* line
/// has the one value. Signal sets have signal n at bit n−1; capability sets
/// are the 64-bit kernel_cap_t.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TaskStatus<'a> {
    pub name: &'a str,
    /// None when the task has no fs_struct (a zombie): no `Umask:` line.
    pub umask: Option<u32>,
    pub state: TaskState,
    pub tgid: u32,
    pub ngid: u32,
    pub pid: u32,
    pub ppid: u32,
    pub tracer_pid: u32,
    /// Real, effective, saved, filesystem.
    pub uid: [u32; 4],
    pub gid: [u32; 4],
    /// The file table's size (max_fds): 0 once the table is gone.
    pub fd_size: u32,
    pub groups: &'a [u32],
    pub pgid: u32,
    pub sid: u32,
    pub mm: Option<StatusMm>,
    pub threads: u32,
    /// Queued signals of the task's user, and RLIMIT_SIGPENDING.
    pub sigq: (u32, u32),
    pub sig_pnd: u64,
    pub shd_pnd: u64,
    pub sig_blk: u64,
    pub sig_ign: u64,
    pub sig_cgt: u64,
    pub cap_inh: u64,
    pub cap_prm: u64,
    pub cap_eff: u64,
    pub cap_bnd: u64,
    pub cap_amb: u64,
    pub no_new_privs: bool,
    pub seccomp: u32,
    pub seccomp_filters: u32,
    /// Linux's words: "vulnerable", "not vulnerable", "thread mitigated" …
    pub speculation_store_bypass: &'a str,
    /// "always enabled", "not affected", "conditional enabled" …
    pub speculation_indirect_branch: &'a str,
    pub cpus_allowed: u64,
    /// Possible CPUs (nr_cpu_ids): the width of the Cpus_allowed mask.
    pub nr_cpu_ids: u32,
    pub mems_allowed: u64,
    pub nr_node_ids: u32,
    pub voluntary_ctxt_switches: u64,
    pub nonvoluntary_ctxt_switches: u64,
}

/// Appends a bitmap of `nr_bits` (bits past 64 read as 0) as `%*pb` does: hex in 32-bit
/// chunks, high chunk first, separated by commas; the first chunk only as
/// wide as its bits need.
fn push_bitmap(out: &mut String, bits: u64, nr_bits: u32) {
    let mut chunk = nr_bits % 32;
    if chunk == 0 {
        chunk = 32;
    }
    let mut low = nr_bits.div_ceil(32) * 32;
    while low >= 32 {
        low -= 32;
        let val = bits.checked_shr(low).unwrap_or(0) & ((1u64 << chunk) - 1);
        if low + 32 < nr_bits.div_ceil(32) * 32 {
            out.push(',');
        }
        put!(out, "{:0w$x}", val, w = chunk.div_ceil(4) as usize);
        chunk = 32;
    }
}

/// Appends a bitmap as `%*pbl` does: ranges of set bits, `0-3,5`.
fn push_bitmap_list(out: &mut String, bits: u64, nr_bits: u32) {
    let set = |i: u32| i < nr_bits && i < 64 && bits >> i & 1 != 0;
    let mut i = 0;
    let mut first = true;
    while i < nr_bits {
        if !set(i) {
            i += 1;
            continue;
        }
        let lo = i;
        while set(i + 1) {
            i += 1;
        }
        if !first {
            out.push(',');
        }
        first = false;
        if lo == i {
            put!(out, "{}", lo)
        } else {
            put!(out, "{}-{}", lo, i)
        }
        i += 1;
    }
}

/// /proc/<pid>/status in Linux 6.1's order. The name escapes `\n` and `\`
/// as `\n` and `\\`; `Groups:` keeps Linux's trailing space.
pub fn status(t: &TaskStatus) -> String {
    let mut o = String::from("Name:\t");
    for c in t.name.chars() {
        match c {
            '\n' => o.push_str("\\n"),
            '\\' => o.push_str("\\\\"),
            c => o.push(c),
        }
    }
    o.push('\n');
    if let Some(umask) = t.umask {
        put!(o, "Umask:\t{:04o}\n", umask);
    }
    put!(o, "State:\t{}\nTgid:\t{}\nNgid:\t{}\nPid:\t{}\n", t.state.label(), t.tgid, t.ngid, t.pid);
    put!(o, "PPid:\t{}\nTracerPid:\t{}\n", t.ppid, t.tracer_pid);
    let [u0, u1, u2, u3] = t.uid;
    let [g0, g1, g2, g3] = t.gid;
    put!(o, "Uid:\t{u0}\t{u1}\t{u2}\t{u3}\nGid:\t{g0}\t{g1}\t{g2}\t{g3}\n");
    put!(o, "FDSize:\t{}\nGroups:\t", t.fd_size);
    for (i, g) in t.groups.iter().enumerate() {
        put!(o, "{}{}", if i == 0 { "" } else { " " }, g);
    }
    put!(o, " \nNStgid:\t{}\nNSpid:\t{}\nNSpgid:\t{}\nNSsid:\t{}\n", t.tgid, t.pid, t.pgid, t.sid);
    if let Some(m) = &t.mm {
        push_status_mm(&mut o, m);
    }
    put!(o, "Threads:\t{}\nSigQ:\t{}/{}\n", t.threads, t.sigq.0, t.sigq.1);
    for (label, set) in [
        ("SigPnd", t.sig_pnd),
        ("ShdPnd", t.shd_pnd),
        ("SigBlk", t.sig_blk),
        ("SigIgn", t.sig_ign),
        ("SigCgt", t.sig_cgt),
    ] {
        put!(o, "{}:\t{:016x}\n", label, set);
    }
    for (label, set) in [
        ("CapInh", t.cap_inh),
        ("CapPrm", t.cap_prm),
        ("CapEff", t.cap_eff),
        ("CapBnd", t.cap_bnd),
        ("CapAmb", t.cap_amb),
    ] {
        put!(o, "{}:\t{:016x}\n", label, set);
    }
    put!(
        o,
        "NoNewPrivs:\t{}\nSeccomp:\t{}\nSeccomp_filters:\t{}\n",
        t.no_new_privs as u32,
        t.seccomp,
        t.seccomp_filters
    );
    put!(o, "Speculation_Store_Bypass:\t{}\n", t.speculation_store_bypass);
    put!(o, "SpeculationIndirectBranch:\t{}\n", t.speculation_indirect_branch);
    for (label, bits, nr) in [("Cpus", t.cpus_allowed, t.nr_cpu_ids), ("Mems", t.mems_allowed, t.nr_node_ids)] {
        put!(o, "{}_allowed:\t", label);
        push_bitmap(&mut o, bits, nr);
        put!(o, "\n{}_allowed_list:\t", label);
        push_bitmap_list(&mut o, bits, nr);
        o.push('\n');
    }
    put!(o, "voluntary_ctxt_switches:\t{}\n", t.voluntary_ctxt_switches);
    put!(o, "nonvoluntary_ctxt_switches:\t{}\n", t.nonvoluntary_ctxt_switches);
    o
}

/// status's task_mem lines (`VmPeak:\t%8lu kB`), CoreDumping, THP_enabled.
fn push_status_mm(o: &mut String, m: &StatusMm) {
    for (label, kb) in [
        ("VmPeak", m.vm_peak_kb),
        ("VmSize", m.vm_size_kb),
        ("VmLck", m.vm_lck_kb),
        ("VmPin", m.vm_pin_kb),
        ("VmHWM", m.vm_hwm_kb),
        ("VmRSS", m.vm_rss_kb),
        ("RssAnon", m.rss_anon_kb),
        ("RssFile", m.rss_file_kb),
        ("RssShmem", m.rss_shmem_kb),
        ("VmData", m.vm_data_kb),
        ("VmStk", m.vm_stk_kb),
        ("VmExe", m.vm_exe_kb),
        ("VmLib", m.vm_lib_kb),
        ("VmPTE", m.vm_pte_kb),
        ("VmSwap", m.vm_swap_kb),
        ("HugetlbPages", m.hugetlb_kb),
    ] {
        put!(o, "{}:\t{:>8} kB\n", label, kb);
    }
    put!(o, "CoreDumping:\t{}\nTHP_enabled:\t{}\n", m.core_dumping as u32, m.thp_enabled as u32);
}

/// /proc/<pid>/cmdline: each argument followed by a NUL (the bytes of the
/// argument area). Bytes, not a String: arguments need not be UTF-8.
pub fn cmdline(args: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::new();
    for a in args {
        out.extend_from_slice(a);
        out.push(0);
    }
    out
}

/// /proc/<pid>/comm: the name and a newline.
pub fn comm(name: &str) -> String {
    let mut o = String::from(name);
    o.push('\n');
    o
}

// ---------------------------------------------------------------------------
// /proc/meminfo
// ---------------------------------------------------------------------------

/// Every value /proc/meminfo prints on Debian's 686 kernel, in kB except
/// the HugePages_ counts. Total/free low memory are derived (Linux's
/// LowTotal = MemTotal − HighTotal).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct MemInfo {
    pub mem_total_kb: u32,
    pub mem_free_kb: u32,
    pub mem_available_kb: u32,
    pub buffers_kb: u32,
    pub cached_kb: u32,
    pub swap_cached_kb: u32,
    pub active_anon_kb: u32,
    pub inactive_anon_kb: u32,
    pub active_file_kb: u32,
    pub inactive_file_kb: u32,
    pub unevictable_kb: u32,
    pub mlocked_kb: u32,
    pub high_total_kb: u32,
    pub high_free_kb: u32,
    pub swap_total_kb: u32,
    pub swap_free_kb: u32,
    pub zswap_kb: u32,
    pub zswapped_kb: u32,
    pub dirty_kb: u32,
    pub writeback_kb: u32,
    pub anon_pages_kb: u32,
    pub mapped_kb: u32,
    pub shmem_kb: u32,
    pub kreclaimable_kb: u32,
    pub sreclaimable_kb: u32,
    pub sunreclaim_kb: u32,
    pub kernel_stack_kb: u32,
    pub page_tables_kb: u32,
    pub sec_page_tables_kb: u32,
    pub bounce_kb: u32,
    pub writeback_tmp_kb: u32,
    pub commit_limit_kb: u32,
    pub committed_as_kb: u32,
    pub vmalloc_total_kb: u32,
    pub vmalloc_used_kb: u32,
    pub percpu_kb: u32,
    pub hardware_corrupted_kb: u32,
    pub anon_huge_pages_kb: u32,
    pub shmem_huge_pages_kb: u32,
    pub shmem_pmd_mapped_kb: u32,
    pub file_huge_pages_kb: u32,
    pub file_pmd_mapped_kb: u32,
    pub huge_pages_total: u32,
    pub huge_pages_free: u32,
    pub huge_pages_rsvd: u32,
    pub huge_pages_surp: u32,
    /// 4096 on non-PAE i386.
    pub hugepage_size_kb: u32,
    pub hugetlb_kb: u32,
    /// The kernel's direct map, in 4 KiB and in 4 MiB pages.
    pub direct_map_4k_kb: u32,
    pub direct_map_4m_kb: u32,
}

/// /proc/meminfo: each value right-aligned so that it ends in column 24,
/// then ` kB` (the HugePages_ counts have no unit).
pub fn meminfo(m: &MemInfo) -> String {
    let kb = [
        ("MemTotal", m.mem_total_kb),
        ("MemFree", m.mem_free_kb),
        ("MemAvailable", m.mem_available_kb),
        ("Buffers", m.buffers_kb),
        ("Cached", m.cached_kb),
        ("SwapCached", m.swap_cached_kb),
        ("Active", m.active_anon_kb + m.active_file_kb),
        ("Inactive", m.inactive_anon_kb + m.inactive_file_kb),
        ("Active(anon)", m.active_anon_kb),
        ("Inactive(anon)", m.inactive_anon_kb),
        ("Active(file)", m.active_file_kb),
        ("Inactive(file)", m.inactive_file_kb),
        ("Unevictable", m.unevictable_kb),
        ("Mlocked", m.mlocked_kb),
        ("HighTotal", m.high_total_kb),
        ("HighFree", m.high_free_kb),
        ("LowTotal", m.mem_total_kb.saturating_sub(m.high_total_kb)),
        ("LowFree", m.mem_free_kb.saturating_sub(m.high_free_kb)),
        ("SwapTotal", m.swap_total_kb),
        ("SwapFree", m.swap_free_kb),
        ("Zswap", m.zswap_kb),
        ("Zswapped", m.zswapped_kb),
        ("Dirty", m.dirty_kb),
        ("Writeback", m.writeback_kb),
        ("AnonPages", m.anon_pages_kb),
        ("Mapped", m.mapped_kb),
        ("Shmem", m.shmem_kb),
        ("KReclaimable", m.kreclaimable_kb),
        ("Slab", m.sreclaimable_kb + m.sunreclaim_kb),
        ("SReclaimable", m.sreclaimable_kb),
        ("SUnreclaim", m.sunreclaim_kb),
        ("KernelStack", m.kernel_stack_kb),
        ("PageTables", m.page_tables_kb),
        ("SecPageTables", m.sec_page_tables_kb),
        ("NFS_Unstable", 0),
        ("Bounce", m.bounce_kb),
        ("WritebackTmp", m.writeback_tmp_kb),
        ("CommitLimit", m.commit_limit_kb),
        ("Committed_AS", m.committed_as_kb),
        ("VmallocTotal", m.vmalloc_total_kb),
        ("VmallocUsed", m.vmalloc_used_kb),
        ("VmallocChunk", 0),
        ("Percpu", m.percpu_kb),
        ("HardwareCorrupted", m.hardware_corrupted_kb),
        ("AnonHugePages", m.anon_huge_pages_kb),
        ("ShmemHugePages", m.shmem_huge_pages_kb),
        ("ShmemPmdMapped", m.shmem_pmd_mapped_kb),
        ("FileHugePages", m.file_huge_pages_kb),
        ("FilePmdMapped", m.file_pmd_mapped_kb),
    ];
    let mut o = String::new();
    for (label, val) in kb {
        // HardwareCorrupted, the one label too long for 16 columns, has
        // its own format in Linux: one space and a 5-wide number.
        if label == "HardwareCorrupted" {
            put!(o, "{}: {:>5} kB\n", label, val);
        } else {
            push_label(&mut o, label, 16);
            put!(o, "{:>8} kB\n", val);
        }
    }
    for (label, val) in [
        ("HugePages_Total", m.huge_pages_total),
        ("HugePages_Free", m.huge_pages_free),
        ("HugePages_Rsvd", m.huge_pages_rsvd),
        ("HugePages_Surp", m.huge_pages_surp),
    ] {
        push_label(&mut o, label, 19);
        put!(o, "{:>5}\n", val);
    }
    for (label, val) in [
        ("Hugepagesize", m.hugepage_size_kb),
        ("Hugetlb", m.hugetlb_kb),
        ("DirectMap4k", m.direct_map_4k_kb),
        ("DirectMap4M", m.direct_map_4m_kb),
    ] {
        push_label(&mut o, label, 16);
        put!(o, "{:>8} kB\n", val);
    }
    o
}

/// Appends `label:` padded with spaces to `width` columns.
fn push_label(o: &mut String, label: &str, width: usize) {
    let start = o.len();
    o.push_str(label);
    o.push(':');
    while o.len() - start < width {
        o.push(' ');
    }
}

// ---------------------------------------------------------------------------
// /proc/stat, uptime, loadavg
// ---------------------------------------------------------------------------

/// CPU time by kind, in USER_HZ ticks: one `cpu` line of /proc/stat.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct CpuTimes {
    pub user: u64,
    pub nice: u64,
    pub system: u64,
    pub idle: u64,
    pub iowait: u64,
    pub irq: u64,
    pub softirq: u64,
    pub steal: u64,
    pub guest: u64,
    pub guest_nice: u64,
}

/// Linux's softirq kinds, in /proc/stat's order: HI, TIMER, NET_TX, NET_RX,
/// BLOCK, IRQ_POLL, TASKLET, SCHED, HRTIMER, RCU.
pub const NR_SOFTIRQS: usize = 10;

/// What /proc/stat prints.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct KernelStat<'a> {
    /// The sum over all CPUs (`cpu  ` line).
    pub total: CpuTimes,
    /// One per online CPU, `cpu0` first.
    pub cpus: &'a [CpuTimes],
    /// All interrupts, including those that have no IRQ number (Linux adds
    /// the local APIC's and other arch counts, so this may exceed the sum).
    pub intr_total: u64,
    /// Per IRQ number, for all nr_irqs of them (256 on a 1-CPU i386 Linux).
    pub irqs: &'a [u64],
    pub ctxt: u64,
    /// Boot time, seconds since the epoch.
    pub btime: u64,
    /// Forks since boot.
    pub processes: u32,
    pub procs_running: u32,
    pub procs_blocked: u32,
    pub softirqs: [u32; NR_SOFTIRQS],
}

fn push_cpu_times(o: &mut String, label: &str, c: &CpuTimes) {
    put!(o, "{} {} {} {} {} {} {}", label, c.user, c.nice, c.system, c.idle, c.iowait, c.irq);
    put!(o, " {} {} {} {}\n", c.softirq, c.steal, c.guest, c.guest_nice);
}

/// /proc/stat (show_stat): `cpu ` with two spaces, each CPU, `intr` with
/// every IRQ's count, ctxt, btime, processes, procs_running,
/// procs_blocked, `softirq` with the total first.
pub fn kernel_stat(s: &KernelStat) -> String {
    let mut o = String::new();
    push_cpu_times(&mut o, "cpu ", &s.total);
    for (i, c) in s.cpus.iter().enumerate() {
        push_cpu_times(&mut o, &alloc::format!("cpu{i}"), c);
    }
    put!(o, "intr {}", s.intr_total);
    for n in s.irqs {
        put!(o, " {}", n);
    }
    put!(o, "\nctxt {}\nbtime {}\nprocesses {}\n", s.ctxt, s.btime, s.processes);
    put!(o, "procs_running {}\nprocs_blocked {}\n", s.procs_running, s.procs_blocked);
    let sum: u64 = s.softirqs.iter().map(|&n| n as u64).sum();
    put!(o, "softirq {}", sum);
    for n in s.softirqs {
        put!(o, " {}", n);
    }
    o.push('\n');
    o
}

/// /proc/uptime: seconds since boot and idle seconds summed over CPUs,
/// each truncated to hundredths (`%lu.%02lu`).
pub fn uptime(uptime_ns: u64, idle_ns: u64) -> String {
    let mut o = String::new();
    let secs = |ns: u64| (ns / 1_000_000_000, ns % 1_000_000_000 / 10_000_000);
    let ((us, uc), (is, ic)) = (secs(uptime_ns), secs(idle_ns));
    put!(o, "{}.{:02} {}.{:02}\n", us, uc, is, ic);
    o
}

/// Bits of fraction in Linux's load averages (FSHIFT): 1.0 is 2048.
pub const FSHIFT: u32 = 11;

/// What /proc/loadavg prints.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct LoadAvg {
    /// The 1, 5 and 15 minute averages as Linux keeps them (avenrun),
    /// fixed point with FSHIFT fraction bits.
    pub avenrun: [u32; 3],
    /// Runnable tasks now.
    pub running: u32,
    /// All tasks (threads).
    pub threads: u32,
    /// The most recently allocated PID.
    pub last_pid: u32,
}

/// /proc/loadavg: `%lu.%02lu` three times (rounded to the nearest
/// hundredth, as get_avenrun's FIXED_1/200 offset does), `running/threads`
/// and the last PID.
pub fn loadavg(l: &LoadAvg) -> String {
    let mut o = String::new();
    for a in l.avenrun {
        let v = a.wrapping_add((1 << FSHIFT) / 200);
        put!(o, "{}.{:02} ", v >> FSHIFT, ((v & ((1 << FSHIFT) - 1)) * 100) >> FSHIFT);
    }
    put!(o, "{}/{} {}\n", l.running, l.threads, l.last_pid);
    o
}

// ---------------------------------------------------------------------------
// /proc/cpuinfo
// ---------------------------------------------------------------------------

/// Linux's names for CPUID leaf 1 EDX bits (cpufeatures.h word 0), by bit;
/// "" for bits Linux does not name.
pub const CPUID1_EDX_FLAGS: [&str; 32] = [
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "", "sep", "mtrr", "pge", "mca", "cmov",
    "pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
];

/// Linux's names for CPUID leaf 1 ECX bits (cpufeatures.h word 4), by bit.
pub const CPUID1_ECX_FLAGS: [&str; 32] = [
    "pni",
    "pclmulqdq",
    "dtes64",
    "monitor",
    "ds_cpl",
    "vmx",
    "smx",
    "est",
    "tm2",
    "ssse3",
    "cid",
    "sdbg",
    "fma",
    "cx16",
    "xtpr",
    "pdcm",
    "",
    "pcid",
    "dca",
    "sse4_1",
    "sse4_2",
    "x2apic",
    "movbe",
    "popcnt",
    "tsc_deadline_timer",
    "aes",
    "xsave",
    "",
    "avx",
    "f16c",
    "rdrand",
    "hypervisor",
];

/// The named flags among `bits`, low bit first, from one of the tables
/// above. Linux lists word 0 (EDX), then AMD's and its own synthetic flags
/// (`nx`, `constant_tsc`, `cpuid` …), then word 4 (ECX).
pub fn cpuid_flag_names(bits: u32, table: &'static [&'static str; 32]) -> impl Iterator<Item = &'static str> {
    (0..32).filter(move |i| bits >> i & 1 != 0 && !table[*i].is_empty()).map(move |i| table[i])
}

/// One processor's block of /proc/cpuinfo (show_cpuinfo, 32-bit, SMP).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CpuInfo<'a> {
    pub processor: u32,
    /// "GenuineIntel"; empty prints "unknown".
    pub vendor_id: &'a str,
    pub family: u32,
    pub model: u32,
    /// The brand string; empty prints "unknown".
    pub model_name: &'a str,
    /// None when the CPU has no CPUID (prints "unknown").
    pub stepping: Option<u32>,
    /// 0 leaves the line out.
    pub microcode: u32,
    /// None without a TSC, which leaves the `cpu MHz` line out.
    pub khz: Option<u32>,
    /// 0 leaves the line out.
    pub cache_size_kb: u32,
    pub physical_id: u32,
    pub siblings: u32,
    pub core_id: u32,
    pub cpu_cores: u32,
    pub apicid: u32,
    pub initial_apicid: u32,
    pub fdiv_bug: bool,
    pub f00f_bug: bool,
    pub coma_bug: bool,
    pub fpu: bool,
    pub cpuid_level: i32,
    pub flags: &'a [&'a str],
    /// Linux's names of the CPU's known bugs ("spectre_v1" …).
    pub bugs: &'a [&'a str],
    /// BogoMIPS × 100 (Linux: loops_per_jiffy × HZ / 5000).
    pub bogomips_centi: u32,
    pub clflush_size: u32,
    pub cache_alignment: u32,
    pub phys_bits: u32,
    pub virt_bits: u32,
    /// Names of the set bits of CPUID 0x80000007 EDX, Linux's x86_power_flags.
    pub power_management: &'a [&'a str],
}

/// /proc/cpuinfo: one block per CPU, each `name\t: value` with the tabs
/// Linux's format strings have, ending in an empty line.
pub fn cpuinfo(cpus: &[CpuInfo]) -> String {
    let mut o = String::new();
    let yes = |b: bool| if b { "yes" } else { "no" };
    for c in cpus {
        put!(
            o,
            "processor\t: {}\nvendor_id\t: {}\n",
            c.processor,
            if c.vendor_id.is_empty() { "unknown" } else { c.vendor_id }
        );
        put!(o, "cpu family\t: {}\nmodel\t\t: {}\n", c.family, c.model);
        put!(o, "model name\t: {}\n", if c.model_name.is_empty() { "unknown" } else { c.model_name });
        match c.stepping {
            Some(s) => put!(o, "stepping\t: {}\n", s),
            None => o.push_str("stepping\t: unknown\n"),
        }
        if c.microcode != 0 {
            put!(o, "microcode\t: {:#x}\n", c.microcode);
        }
        if let Some(khz) = c.khz {
            put!(o, "cpu MHz\t\t: {}.{:03}\n", khz / 1000, khz % 1000);
        }
        if c.cache_size_kb != 0 {
            put!(o, "cache size\t: {} KB\n", c.cache_size_kb);
        }
        put!(o, "physical id\t: {}\nsiblings\t: {}\n", c.physical_id, c.siblings);
        put!(o, "core id\t\t: {}\ncpu cores\t: {}\n", c.core_id, c.cpu_cores);
        put!(o, "apicid\t\t: {}\ninitial apicid\t: {}\n", c.apicid, c.initial_apicid);
        put!(o, "fdiv_bug\t: {}\nf00f_bug\t: {}\n", yes(c.fdiv_bug), yes(c.f00f_bug));
        put!(o, "coma_bug\t: {}\nfpu\t\t: {}\n", yes(c.coma_bug), yes(c.fpu));
        put!(o, "fpu_exception\t: {}\ncpuid level\t: {}\nwp\t\t: yes\n", yes(c.fpu), c.cpuid_level);
        o.push_str("flags\t\t:");
        c.flags.iter().for_each(|f| put!(o, " {}", f));
        o.push_str("\nbugs\t\t:");
        c.bugs.iter().for_each(|b| put!(o, " {}", b));
        put!(o, "\nbogomips\t: {}.{:02}\n", c.bogomips_centi / 100, c.bogomips_centi % 100);
        put!(o, "clflush size\t: {}\ncache_alignment\t: {}\n", c.clflush_size, c.cache_alignment);
        put!(o, "address sizes\t: {} bits physical, {} bits virtual\n", c.phys_bits, c.virt_bits);
        o.push_str("power management:");
        c.power_management.iter().for_each(|p| put!(o, " {}", p));
        o.push_str("\n\n");
    }
    o
}

// ---------------------------------------------------------------------------
// /proc/mounts, filesystems, swaps
// ---------------------------------------------------------------------------

bitflags::bitflags! {
    /// The options /proc/mounts spells out after `rw`/`ro`, in its order:
    /// the superblock's (sync … lazytime), then the mount's (nosuid …).
    #[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
    pub struct MountFlags: u32 {
        const SYNC = 1 << 0;
        const DIRSYNC = 1 << 1;
        const MAND = 1 << 2;
        const LAZYTIME = 1 << 3;
        const NOSUID = 1 << 4;
        const NODEV = 1 << 5;
        const NOEXEC = 1 << 6;
        const NOATIME = 1 << 7;
        const NODIRATIME = 1 << 8;
        const RELATIME = 1 << 9;
        const NOSYMFOLLOW = 1 << 10;
    }
}

const MOUNT_FLAG_NAMES: [&str; 11] = [
    "sync",
    "dirsync",
    "mand",
    "lazytime",
    "nosuid",
    "nodev",
    "noexec",
    "noatime",
    "nodiratime",
    "relatime",
    "nosymfollow",
];

/// One mount as /proc/mounts shows it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct MountEntry<'a> {
    /// The source given to mount(2) ("proc", "tmpfs", "/dev/sda1").
    pub device: &'a str,
    pub mount_point: &'a str,
    pub fs_type: &'a str,
    pub read_only: bool,
    pub flags: MountFlags,
    /// The filesystem's own options, already formatted (`size=1024k`),
    /// printed in order after the generic ones.
    pub fs_options: &'a [&'a str],
}

/// /proc/mounts (and /proc/self/mounts): fstab lines, `dev dir type opts 0 0`,
/// with space, tab, newline, backslash (and `#` in device and type) as
/// octal escapes.
pub fn mounts(entries: &[MountEntry]) -> String {
    let mut o = String::new();
    for m in entries {
        push_escaped(&mut o, m.device, " \t\n\\#");
        o.push(' ');
        push_escaped(&mut o, m.mount_point, " \t\n\\");
        o.push(' ');
        push_escaped(&mut o, m.fs_type, " \t\n\\#");
        o.push_str(if m.read_only { " ro" } else { " rw" });
        for (i, name) in MOUNT_FLAG_NAMES.iter().enumerate() {
            if m.flags.bits() & (1 << i) != 0 {
                put!(o, ",{}", name);
            }
        }
        m.fs_options.iter().for_each(|opt| put!(o, ",{}", opt));
        o.push_str(" 0 0\n");
    }
    o
}

/// One registered filesystem type.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FilesystemType<'a> {
    pub name: &'a str,
    /// FS_REQUIRES_DEV: needs a block device (ext4); else `nodev` (proc).
    pub requires_dev: bool,
}

/// /proc/filesystems: `nodev\tproc`, or `\text4` for a block filesystem,
/// in registration order.
pub fn filesystems(types: &[FilesystemType]) -> String {
    let mut o = String::new();
    for t in types {
        put!(o, "{}\t{}\n", if t.requires_dev { "" } else { "nodev" }, t.name);
    }
    o
}

/// One active swap area.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SwapArea<'a> {
    pub path: &'a str,
    /// A block device ("partition") rather than a regular file ("file").
    pub partition: bool,
    pub size_kb: u32,
    pub used_kb: u32,
    pub priority: i32,
}

/// /proc/swaps: the header, then swap_show's line per area (the path
/// padded to 40 columns, Type, Size, Used, Priority joined by tabs).
pub fn swaps(areas: &[SwapArea]) -> String {
    let mut o = String::from("Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    for a in areas {
        let start = o.len();
        push_escaped(&mut o, a.path, " \t\n\\");
        let len = o.len() - start;
        let pad = if len < 40 { 40 - len } else { 1 };
        put!(o, "{:>pad$}{}\t{}\t", " ", if a.partition { "partition" } else { "file\t" }, a.size_kb);
        let tab = |kb: u32| if kb < 10_000_000 { "\t" } else { "" };
        put!(o, "{}{}\t{}{}\n", tab(a.size_kb), a.used_kb, tab(a.used_kb), a.priority);
    }
    o
}

// Expected texts are Linux 6.1.176 (Debian 686) output, captured by a static
// i386 program under bench/linux-run.sh; the snapshots hold the values that
// kernel had. "1 CPU" runs used the defaults (128 MiB, QEMU's CPU), "2 CPU"
// ones CPU=coreduo SMP=2 MEM=1G.
#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    const R: VmFlags = VmFlags::READ;
    const W: VmFlags = VmFlags::WRITE;
    const X: VmFlags = VmFlags::EXEC;
    /// What mmap gives every private mapping: may read, write, execute.
    const MAY: VmFlags = VmFlags::MAYREAD.union(VmFlags::MAYWRITE).union(VmFlags::MAYEXEC);
    const SHARED: VmFlags = VmFlags::SHARED.union(VmFlags::MAYSHARE);
    const AC: VmFlags = VmFlags::ACCOUNT;

    fn region(start: u32, end: u32, flags: VmFlags, name: MapName) -> MapsEntry {
        MapsEntry { start, end, flags, offset: 0, dev_major: 0, dev_minor: 0, inode: 0, name }
    }

    fn prog(start: u32, end: u32, flags: VmFlags, offset: u64) -> MapsEntry<'static> {
        let name = MapName::File { path: "/prog", deleted: false };
        MapsEntry { start, end, flags, offset, dev_major: 0, dev_minor: 2, inode: 7, name }
    }

    /// The 1-CPU run's /proc/self/maps, region by region.
    fn sample_maps() -> Vec<MapsEntry<'static>> {
        let tmp = MapName::File { path: "/tmp/file", deleted: false };
        let zero = MapName::File { path: "/dev/zero", deleted: true };
        vec![
            prog(0x08048000, 0x08049000, R | MAY, 0),
            prog(0x08049000, 0x080b9000, R | X | MAY, 0x1000),
            prog(0x080b9000, 0x080ec000, R | MAY, 0x71000),
            prog(0x080ec000, 0x080ef000, R | MAY | AC, 0xa3000),
            prog(0x080ef000, 0x080f1000, R | W | MAY | AC, 0xa6000),
            region(0x080f1000, 0x080f4000, R | W | MAY | AC, MapName::None),
            region(0x09940000, 0x09962000, R | W | MAY | AC, MapName::Heap),
            MapsEntry { dev_minor: 0x14, inode: 2, ..region(0xb7f2d000, 0xb7f2f000, R | W | MAY | SHARED, tmp) },
            region(0xb7f2f000, 0xb7f60000, R | W | MAY | AC, MapName::None),
            region(0xb7f60000, 0xb7f61000, MAY, MapName::None),
            MapsEntry { dev_minor: 1, inode: 2, ..region(0xb7f61000, 0xb7f63000, R | W | MAY | SHARED, zero) },
            region(0xb7f63000, 0xb7f64000, R | W | MAY | VmFlags::LOCKED | AC, MapName::None),
            region(0xb7f64000, 0xb7f67000, R | W | MAY | AC, MapName::None),
            prog(0xb7f67000, 0xb7f69000, R | MAY, 0),
            region(
                0xb7f69000,
                0xb7f6d000,
                R | VmFlags::MAYREAD | VmFlags::PFNMAP | VmFlags::IO | VmFlags::DONTEXPAND | VmFlags::DONTDUMP,
                MapName::Vvar,
            ),
            region(0xb7f6d000, 0xb7f6f000, R | X | MAY | VmFlags::DONTEXPAND, MapName::Vdso),
            region(0xbfa0b000, 0xbfa2c000, R | W | MAY | VmFlags::GROWSDOWN | AC, MapName::Stack),
        ]
    }

    #[test]
    fn maps_matches_linux() {
        let expected = concat!(
            "08048000-08049000 r--p 00000000 00:02 7          /prog\n",
            "08049000-080b9000 r-xp 00001000 00:02 7          /prog\n",
            "080b9000-080ec000 r--p 00071000 00:02 7          /prog\n",
            "080ec000-080ef000 r--p 000a3000 00:02 7          /prog\n",
            "080ef000-080f1000 rw-p 000a6000 00:02 7          /prog\n",
            "080f1000-080f4000 rw-p 00000000 00:00 0 \n",
            "09940000-09962000 rw-p 00000000 00:00 0          [heap]\n",
            "b7f2d000-b7f2f000 rw-s 00000000 00:14 2          /tmp/file\n",
            "b7f2f000-b7f60000 rw-p 00000000 00:00 0 \n",
            "b7f60000-b7f61000 ---p 00000000 00:00 0 \n",
            "b7f61000-b7f63000 rw-s 00000000 00:01 2          /dev/zero (deleted)\n",
            "b7f63000-b7f64000 rw-p 00000000 00:00 0 \n",
            "b7f64000-b7f67000 rw-p 00000000 00:00 0 \n",
            "b7f67000-b7f69000 r--p 00000000 00:02 7          /prog\n",
            "b7f69000-b7f6d000 r--p 00000000 00:00 0          [vvar]\n",
            "b7f6d000-b7f6f000 r-xp 00000000 00:00 0          [vdso]\n",
            "bfa0b000-bfa2c000 rw-p 00000000 00:00 0          [stack]\n",
        );
        assert_eq!(maps(&sample_maps()), expected);
    }

    #[test]
    fn maps_of_odd_files_matches_linux() {
        // From the edge-case run: a deleted tmpfs file named "a b\nc", and a
        // shared mapping 4 GiB into a file (9 hex digits: one less padding).
        let odd = MapName::File { path: "/tmp/a b\nc", deleted: true };
        let big = MapName::File { path: "/tmp/big", deleted: false };
        let regions = [
            region(0x087aa000, 0x087cb000, R | W | MAY | AC, MapName::Heap),
            MapsEntry { dev_minor: 0x13, inode: 3, ..region(0xb7fda000, 0xb7fdb000, R | MAY, odd) },
            MapsEntry {
                offset: 0x1_0000_0000,
                dev_minor: 0x13,
                inode: 2,
                ..region(0xb7fdb000, 0xb7fdc000, R | VmFlags::MAYREAD | VmFlags::MAYSHARE, big)
            },
        ];
        let expected = concat!(
            "087aa000-087cb000 rw-p 00000000 00:00 0          [heap]\n",
            "b7fda000-b7fdb000 r--p 00000000 00:13 3          /tmp/a b\\012c (deleted)\n",
            "b7fdb000-b7fdc000 r--s 100000000 00:13 2         /tmp/big\n",
        );
        assert_eq!(maps(&regions), expected);
    }

    #[test]
    fn maps_header_past_column_48_gets_one_space_only() {
        // No capture: Linux's seq_pad adds no padding to a header this long.
        let long = MapsEntry { offset: 0x1_0000_0000, dev_major: 0x103, inode: 4_000_000_000, ..prog(0, 0x1000, R, 0) };
        let expected = "00000000-00001000 r--p 100000000 103:02 4000000000  /prog\n";
        assert_eq!(maps(&[long]), expected);
        // Upstream's prctl(PR_SET_VMA_ANON_NAME) names (Debian 6.1 lacks them).
        let named = region(0x1000, 0x2000, R | W, MapName::AnonNamed("jit"));
        let expected = alloc::format!("{:<48} [anon:jit]\n", "00001000-00002000 rw-p 00000000 00:00 0 ");
        assert_eq!(maps(&[named]), expected);
    }

    #[test]
    fn smaps_matches_linux() {
        let m = sample_maps();
        let shared_file = SmapsUsage {
            rss_kb: 4,
            pss_kb: 2,
            pss_dirty_kb: 2,
            shared_dirty_kb: 4,
            referenced_kb: 4,
            ..Default::default()
        };
        let anon = |kb| SmapsUsage {
            rss_kb: kb,
            pss_kb: kb,
            pss_dirty_kb: kb,
            private_dirty_kb: kb,
            referenced_kb: kb,
            anonymous_kb: kb,
            ..Default::default()
        };
        let locked = SmapsUsage { locked_kb: 4, ..anon(4) };
        let entries = [
            SmapsEntry { map: m[0], usage: shared_file, thp_eligible: false },
            SmapsEntry { map: m[11], usage: locked, thp_eligible: false },
            SmapsEntry { map: m[16], usage: anon(20), thp_eligible: false },
        ];
        let block = |head: &str, size: &str, usage: [&str; 4], locked: &str, flags: &str| {
            let [rss, pss_dirty, shared_dirty, private_dirty] = usage;
            let anon = if head.contains("/prog") { "       0" } else { rss };
            alloc::format!(
                "{head}\nSize:           {size} kB\nKernelPageSize:        4 kB\nMMUPageSize:           4 kB\n\
                 Rss:            {rss} kB\nPss:            {pss} kB\nPss_Dirty:      {pss_dirty} kB\n\
                 Shared_Clean:          0 kB\nShared_Dirty:   {shared_dirty} kB\nPrivate_Clean:         0 kB\n\
                 Private_Dirty:  {private_dirty} kB\nReferenced:     {rss} kB\nAnonymous:      {anon} kB\n\
                 LazyFree:              0 kB\nAnonHugePages:         0 kB\nShmemPmdMapped:        0 kB\n\
                 FilePmdMapped:         0 kB\nShared_Hugetlb:        0 kB\nPrivate_Hugetlb:       0 kB\n\
                 Swap:                  0 kB\nSwapPss:               0 kB\nLocked:         {locked} kB\n\
                 THPeligible:    0\nVmFlags: {flags}\n",
                pss = pss_dirty,
            )
        };
        let expected = [
            block(
                "08048000-08049000 r--p 00000000 00:02 7          /prog",
                "       4",
                ["       4", "       2", "       4", "       0"],
                "       0",
                "rd mr mw me ",
            ),
            block(
                "b7f63000-b7f64000 rw-p 00000000 00:00 0 ",
                "       4",
                ["       4", "       4", "       0", "       4"],
                "       4",
                "rd wr mr mw me lo ac ",
            ),
            block(
                "bfa0b000-bfa2c000 rw-p 00000000 00:00 0          [stack]",
                "     132",
                ["      20", "      20", "       0", "      20"],
                "       0",
                "rd wr mr mw me gd ac ",
            ),
        ]
        .concat();
        assert_eq!(smaps(&entries), expected);
    }

    #[test]
    fn smaps_names_every_vm_flag_linux_names_on_i386() {
        let all = SmapsEntry {
            map: region(0, 0x1000, VmFlags::all(), MapName::None),
            usage: Default::default(),
            thp_eligible: true,
        };
        let text = smaps(&[all]);
        assert!(text.contains("THPeligible:    1\n"));
        let flags =
            "VmFlags: rd wr ex sh mr mw me ms gd um pf uw lo io sr rr dc de ?? ac nr ht sf ar wf dd mm hg nh mg \n";
        assert!(text.ends_with(flags), "{text}");
        // The vvar and vdso regions of the capture.
        let m = sample_maps();
        let vvar = smaps(&[SmapsEntry { map: m[14], usage: Default::default(), thp_eligible: false }]);
        assert!(vvar.ends_with("VmFlags: rd mr pf io de dd \n"));
        let vdso = smaps(&[SmapsEntry { map: m[15], usage: Default::default(), thp_eligible: false }]);
        assert!(vdso.ends_with("VmFlags: rd ex mr mw me de \n"));
    }

    /// /proc/78/stat of the capture: the dumping program itself, running.
    fn stat_self() -> TaskStat<'static> {
        TaskStat {
            pid: 78,
            comm: "prog",
            state: TaskState::Running,
            ppid: 1,
            pgrp: 0,
            session: 0,
            tty_nr: 0,
            tpgid: -1,
            flags: 0x400100,
            minflt: 36,
            cminflt: 0,
            majflt: 0,
            cmajflt: 0,
            utime_ticks: 0,
            stime_ticks: 4,
            cutime_ticks: 0,
            cstime_ticks: 0,
            priority: 20,
            nice: 0,
            num_threads: 1,
            start_time_ticks: 111,
            mm: Some(StatMm {
                vsize: 1249280,
                rss_pages: 1,
                start_code: 134516736,
                end_code: 134974260,
                start_stack: 3215109200,
                start_data: 135187436,
                end_data: 135201496,
                start_brk: 160694272,
                arg_start: 3215114213,
                arg_end: 3215114230,
                env_start: 3215114230,
                env_end: 3215114230,
            }),
            rsslim: u32::MAX,
            kstk_esp: 0,
            kstk_eip: 0,
            pending: 1 << 0,
            blocked: 1 << 0 | 1 << 35,
            ignored: 1 << 9 | 1 << 11,
            caught: 0,
            wchan: false,
            exit_signal: 17,
            processor: 0,
            rt_priority: 0,
            policy: 0,
            delayacct_blkio_ticks: 0,
            guest_time_ticks: 0,
            cguest_time_ticks: 0,
            exit_code: 0,
        }
    }

    #[test]
    fn stat_matches_linux_for_running_stopped_and_zombie_tasks() {
        let running = stat_self();
        assert_eq!(
            stat(&running),
            "78 (prog) R 1 0 0 0 -1 4194560 36 0 0 0 0 4 0 0 20 0 1 0 111 1249280 1 4294967295 134516736 \
             134974260 3215109200 0 0 1 1 2560 0 0 0 0 17 0 0 0 0 0 0 135187436 135201496 160694272 3215114213 \
             3215114230 3215114230 3215114230 0\n"
        );
        // Its child, stopped by SIGSTOP: the stop signal is the exit code.
        let stopped = TaskStat {
            pid: 80,
            state: TaskState::Stopped,
            ppid: 78,
            flags: 0x400040,
            minflt: 7,
            stime_ticks: 0,
            start_time_ticks: 121,
            mm: Some(StatMm { rss_pages: 17, ..running.mm.unwrap() }),
            pending: 0,
            wchan: true,
            exit_code: 19,
            ..running
        };
        assert_eq!(
            stat(&stopped),
            "80 (prog) T 78 0 0 0 -1 4194368 7 0 0 0 0 0 0 0 20 0 1 0 121 1249280 17 4294967295 134516736 \
             134974260 3215109200 0 0 0 1 2560 0 1 0 0 17 0 0 0 0 0 0 135187436 135201496 160694272 3215114213 \
             3215114230 3215114230 3215114230 19\n"
        );
        // A child that called _exit(7): no address space, so zeros.
        let zombie =
            TaskStat { pid: 79, state: TaskState::Zombie, flags: 0x40804c, mm: None, exit_code: 7 << 8, ..stopped };
        assert_eq!(
            stat(&zombie),
            "79 (prog) Z 78 0 0 0 -1 4227148 7 0 0 0 0 0 0 0 20 0 1 0 121 0 0 4294967295 0 0 0 0 0 0 1 2560 0 1 0 \
             0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 1792\n"
        );
    }

    #[test]
    fn stat_of_init_sleeping() {
        let init = TaskStat {
            pid: 1,
            comm: "init",
            state: TaskState::Sleeping,
            ppid: 0,
            minflt: 7,
            stime_ticks: 58,
            start_time_ticks: 30,
            mm: Some(StatMm {
                vsize: 245760,
                rss_pages: 1,
                start_code: 134516736,
                end_code: 134518689,
                start_stack: 3215557728,
                start_data: 134525600,
                end_data: 134525600,
                start_brk: 163799040,
                arg_start: 3215564758,
                arg_end: 3215564772,
                env_start: 3215564772,
                env_end: 3215564790,
            }),
            pending: 0,
            blocked: 0,
            ignored: 0,
            wchan: true,
            ..stat_self()
        };
        assert_eq!(
            stat(&init),
            "1 (init) S 0 0 0 0 -1 4194560 7 0 0 0 0 58 0 0 20 0 1 0 30 245760 1 4294967295 134516736 134518689 \
             3215557728 0 0 0 0 0 0 1 0 0 17 0 0 0 0 0 0 134525600 134525600 163799040 3215564758 3215564772 \
             3215564772 3215564790 0\n"
        );
    }

    #[test]
    fn statm_matches_linux() {
        let s = Statm { size: 305, resident: 1, shared: 0, text: 112, data: 125 };
        assert_eq!(statm(Some(&s)), "305 1 0 112 0 125 0\n");
        assert_eq!(statm(None), "0 0 0 0 0 0 0\n");
    }

    fn status_self() -> TaskStatus<'static> {
        TaskStatus {
            name: "prog",
            umask: Some(0o022),
            state: TaskState::Running,
            tgid: 78,
            ngid: 0,
            pid: 78,
            ppid: 1,
            tracer_pid: 0,
            uid: [0; 4],
            gid: [0; 4],
            fd_size: 32,
            groups: &[],
            pgid: 0,
            sid: 0,
            mm: Some(StatusMm {
                vm_peak_kb: 1220,
                vm_size_kb: 1220,
                vm_lck_kb: 4,
                vm_pin_kb: 0,
                vm_hwm_kb: 4,
                vm_rss_kb: 4,
                rss_anon_kb: 4,
                rss_file_kb: 0,
                rss_shmem_kb: 0,
                vm_data_kb: 368,
                vm_stk_kb: 132,
                vm_exe_kb: 448,
                vm_lib_kb: 8,
                vm_pte_kb: 16,
                vm_swap_kb: 0,
                hugetlb_kb: 0,
                core_dumping: false,
                thp_enabled: true,
            }),
            threads: 1,
            sigq: (1, 877),
            sig_pnd: 1 << 0,
            shd_pnd: 0,
            sig_blk: 1 << 0 | 1 << 35,
            sig_ign: 1 << 9 | 1 << 11,
            sig_cgt: 0,
            cap_inh: 0,
            cap_prm: (1 << 41) - 1,
            cap_eff: (1 << 41) - 1,
            cap_bnd: (1 << 41) - 1,
            cap_amb: 0,
            no_new_privs: false,
            seccomp: 0,
            seccomp_filters: 0,
            speculation_store_bypass: "vulnerable",
            speculation_indirect_branch: "always enabled",
            cpus_allowed: 1,
            nr_cpu_ids: 1,
            mems_allowed: 1,
            nr_node_ids: 1,
            voluntary_ctxt_switches: 0,
            nonvoluntary_ctxt_switches: 9,
        }
    }

    #[test]
    fn status_matches_linux() {
        let expected = concat!(
            "Name:\tprog\n",
            "Umask:\t0022\n",
            "State:\tR (running)\n",
            "Tgid:\t78\n",
            "Ngid:\t0\n",
            "Pid:\t78\n",
            "PPid:\t1\n",
            "TracerPid:\t0\n",
            "Uid:\t0\t0\t0\t0\n",
            "Gid:\t0\t0\t0\t0\n",
            "FDSize:\t32\n",
            "Groups:\t \n",
            "NStgid:\t78\n",
            "NSpid:\t78\n",
            "NSpgid:\t0\n",
            "NSsid:\t0\n",
            "VmPeak:\t    1220 kB\n",
            "VmSize:\t    1220 kB\n",
            "VmLck:\t       4 kB\n",
            "VmPin:\t       0 kB\n",
            "VmHWM:\t       4 kB\n",
            "VmRSS:\t       4 kB\n",
            "RssAnon:\t       4 kB\n",
            "RssFile:\t       0 kB\n",
            "RssShmem:\t       0 kB\n",
            "VmData:\t     368 kB\n",
            "VmStk:\t     132 kB\n",
            "VmExe:\t     448 kB\n",
            "VmLib:\t       8 kB\n",
            "VmPTE:\t      16 kB\n",
            "VmSwap:\t       0 kB\n",
            "HugetlbPages:\t       0 kB\n",
            "CoreDumping:\t0\n",
            "THP_enabled:\t1\n",
            "Threads:\t1\n",
            "SigQ:\t1/877\n",
            "SigPnd:\t0000000000000001\n",
            "ShdPnd:\t0000000000000000\n",
            "SigBlk:\t0000000800000001\n",
            "SigIgn:\t0000000000000a00\n",
            "SigCgt:\t0000000000000000\n",
            "CapInh:\t0000000000000000\n",
            "CapPrm:\t000001ffffffffff\n",
            "CapEff:\t000001ffffffffff\n",
            "CapBnd:\t000001ffffffffff\n",
            "CapAmb:\t0000000000000000\n",
            "NoNewPrivs:\t0\n",
            "Seccomp:\t0\n",
            "Seccomp_filters:\t0\n",
            "Speculation_Store_Bypass:\tvulnerable\n",
            "SpeculationIndirectBranch:\talways enabled\n",
            "Cpus_allowed:\t1\n",
            "Cpus_allowed_list:\t0\n",
            "Mems_allowed:\t1\n",
            "Mems_allowed_list:\t0\n",
            "voluntary_ctxt_switches:\t0\n",
            "nonvoluntary_ctxt_switches:\t9\n",
        );
        assert_eq!(status(&status_self()), expected);
    }

    #[test]
    fn status_of_a_zombie_has_no_umask_and_no_memory_lines() {
        let zombie = TaskStatus {
            umask: None,
            state: TaskState::Zombie,
            tgid: 79,
            pid: 79,
            ppid: 78,
            fd_size: 0,
            mm: None,
            sig_pnd: 0,
            voluntary_ctxt_switches: 1,
            nonvoluntary_ctxt_switches: 0,
            ..status_self()
        };
        let expected = concat!(
            "Name:\tprog\n",
            "State:\tZ (zombie)\n",
            "Tgid:\t79\n",
            "Ngid:\t0\n",
            "Pid:\t79\n",
            "PPid:\t78\n",
            "TracerPid:\t0\n",
            "Uid:\t0\t0\t0\t0\n",
            "Gid:\t0\t0\t0\t0\n",
            "FDSize:\t0\n",
            "Groups:\t \n",
            "NStgid:\t79\n",
            "NSpid:\t79\n",
            "NSpgid:\t0\n",
            "NSsid:\t0\n",
            "Threads:\t1\n",
            "SigQ:\t1/877\n",
            "SigPnd:\t0000000000000000\n",
            "ShdPnd:\t0000000000000000\n",
            "SigBlk:\t0000000800000001\n",
            "SigIgn:\t0000000000000a00\n",
            "SigCgt:\t0000000000000000\n",
            "CapInh:\t0000000000000000\n",
            "CapPrm:\t000001ffffffffff\n",
            "CapEff:\t000001ffffffffff\n",
            "CapBnd:\t000001ffffffffff\n",
            "CapAmb:\t0000000000000000\n",
            "NoNewPrivs:\t0\n",
            "Seccomp:\t0\n",
            "Seccomp_filters:\t0\n",
            "Speculation_Store_Bypass:\tvulnerable\n",
            "SpeculationIndirectBranch:\talways enabled\n",
            "Cpus_allowed:\t1\n",
            "Cpus_allowed_list:\t0\n",
            "Mems_allowed:\t1\n",
            "Mems_allowed_list:\t0\n",
            "voluntary_ctxt_switches:\t1\n",
            "nonvoluntary_ctxt_switches:\t0\n",
        );
        assert_eq!(status(&zombie), expected);
    }

    #[test]
    fn status_and_stat_of_an_odd_name_and_ids_match_linux() {
        // From the edge-case run: prctl(PR_SET_NAME, "a b)c\\d\ne"), umask 0,
        // setgroups(4 24 27), setresgid(100, 101, 102), setresuid(1000, 1001, 1002).
        let name = "a b)c\\d\ne";
        let t = TaskStatus {
            name,
            umask: Some(0),
            uid: [1000, 1001, 1002, 1001],
            gid: [100, 101, 102, 101],
            groups: &[4, 24, 27],
            ..status_self()
        };
        let text = status(&t);
        let expected = concat!(
            "Name:\ta b)c\\\\d\\ne\n",
            "Umask:\t0000\n",
            "State:\tR (running)\n",
            "Tgid:\t78\n",
            "Ngid:\t0\n",
            "Pid:\t78\n",
            "PPid:\t1\n",
            "TracerPid:\t0\n",
            "Uid:\t1000\t1001\t1002\t1001\n",
            "Gid:\t100\t101\t102\t101\n",
            "FDSize:\t32\n",
            "Groups:\t4 24 27 \n",
        );
        assert!(text.starts_with(expected), "{text}");
        // stat and comm print the name as it is.
        let st = stat(&TaskStat { comm: name, ..stat_self() });
        assert!(st.starts_with("78 (a b)c\\d\ne) R 1 0 0 0 -1 "), "{st}");
        assert_eq!(comm(name), "a b)c\\d\ne\n");
    }

    #[test]
    fn status_lists_cpus_as_linux_does() {
        // The 2-CPU run: Cpus_allowed 3, list 0-1.
        let two = status(&TaskStatus { cpus_allowed: 3, nr_cpu_ids: 2, ..status_self() });
        assert!(two.contains("\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n"));
        let four = status(&TaskStatus { cpus_allowed: 0b1011, nr_cpu_ids: 4, ..status_self() });
        assert!(four.contains("\nCpus_allowed:\tb\nCpus_allowed_list:\t0-1,3\n"));
    }

    #[test]
    fn bitmaps_print_in_32_bit_chunks_like_pb() {
        let pb = |bits, nr| {
            let mut s = String::new();
            push_bitmap(&mut s, bits, nr);
            s.push(' ');
            push_bitmap_list(&mut s, bits, nr);
            s
        };
        assert_eq!(pb(1, 1), "1 0");
        assert_eq!(pb(0, 8), "00 ");
        assert_eq!(pb(0xff, 32), "000000ff 0-7");
        assert_eq!(pb(1 << 32 | 5, 40), "01,00000005 0,2,32");
        assert_eq!(pb(u64::MAX, 64), "ffffffff,ffffffff 0-63");
    }

    #[test]
    fn cmdline_and_comm_match_linux() {
        let args: [&[u8]; 3] = [b"dump", b"foo", b"bar baz"];
        assert_eq!(cmdline(&args), b"dump\0foo\0bar baz\0");
        assert_eq!(cmdline(&[]), b"");
        assert_eq!(comm("prog"), "prog\n");
    }

    #[test]
    fn pagemap_entries_match_linux() {
        let page = |pfn, file_or_shared, exclusive| PagemapEntry {
            location: PageLocation::Present { pfn },
            file_or_shared,
            exclusive,
            soft_dirty: false,
            uffd_wp: false,
        };
        let absent = PagemapEntry { location: PageLocation::NotPresent, ..page(0, false, false) };
        let captured = [
            (page(0x1e6e, true, false), 0xa000_0000_0000_1e6e), // /prog, mapped twice
            (page(0x1e5b, false, true), 0x8100_0000_0000_1e5b), // private anonymous
            (absent, 0),                                        // never touched
            (page(0x1e59, true, true), 0xa100_0000_0000_1e59),  // shared anonymous
            (page(0x1e57, true, true), 0xa100_0000_0000_1e57),  // tmpfs file
        ];
        for (entry, raw) in captured {
            assert_eq!(entry.encode(true), raw, "{entry:?}");
            assert_eq!(PagemapEntry::decode(raw), entry);
        }
        // Without CAP_SYS_ADMIN the frame reads as 0, the flags stay.
        assert_eq!(page(0x1e5b, false, true).encode(false), 0x8100_0000_0000_0000);
        let swapped = PagemapEntry {
            location: PageLocation::Swapped { swap_type: 3, offset: 0x12345 },
            soft_dirty: true,
            uffd_wp: true,
            ..absent
        };
        assert_eq!(swapped.encode(true), 1 << 62 | 1 << 57 | 1 << 55 | 0x12345 << 5 | 3);
        assert_eq!(PagemapEntry::decode(swapped.encode(true)), swapped);
    }

    #[test]
    fn meminfo_matches_linux_with_high_memory() {
        // The 2-CPU, 1 GiB run: 148 MiB of it above the direct map.
        let m = MemInfo {
            mem_total_kb: 1021768,
            mem_free_kb: 1005404,
            mem_available_kb: 993636,
            cached_kb: 748,
            inactive_anon_kb: 748,
            high_total_kb: 151432,
            high_free_kb: 150000,
            mapped_kb: 612,
            shmem_kb: 748,
            kreclaimable_kb: 5836,
            sreclaimable_kb: 5836,
            sunreclaim_kb: 3428,
            kernel_stack_kb: 408,
            page_tables_kb: 4,
            commit_limit_kb: 510884,
            committed_as_kb: 1484,
            vmalloc_total_kb: 122880,
            vmalloc_used_kb: 532,
            percpu_kb: 264,
            hugepage_size_kb: 4096,
            direct_map_4k_kb: 12280,
            direct_map_4m_kb: 884736,
            ..Default::default()
        };
        let expected = concat!(
            "MemTotal:        1021768 kB\n",
            "MemFree:         1005404 kB\n",
            "MemAvailable:     993636 kB\n",
            "Buffers:               0 kB\n",
            "Cached:              748 kB\n",
            "SwapCached:            0 kB\n",
            "Active:                0 kB\n",
            "Inactive:            748 kB\n",
            "Active(anon):          0 kB\n",
            "Inactive(anon):      748 kB\n",
            "Active(file):          0 kB\n",
            "Inactive(file):        0 kB\n",
            "Unevictable:           0 kB\n",
            "Mlocked:               0 kB\n",
            "HighTotal:        151432 kB\n",
            "HighFree:         150000 kB\n",
            "LowTotal:         870336 kB\n",
            "LowFree:          855404 kB\n",
            "SwapTotal:             0 kB\n",
            "SwapFree:              0 kB\n",
            "Zswap:                 0 kB\n",
            "Zswapped:              0 kB\n",
            "Dirty:                 0 kB\n",
            "Writeback:             0 kB\n",
            "AnonPages:             0 kB\n",
            "Mapped:              612 kB\n",
            "Shmem:               748 kB\n",
            "KReclaimable:       5836 kB\n",
            "Slab:               9264 kB\n",
            "SReclaimable:       5836 kB\n",
            "SUnreclaim:         3428 kB\n",
            "KernelStack:         408 kB\n",
            "PageTables:            4 kB\n",
            "SecPageTables:         0 kB\n",
            "NFS_Unstable:          0 kB\n",
            "Bounce:                0 kB\n",
            "WritebackTmp:          0 kB\n",
            "CommitLimit:      510884 kB\n",
            "Committed_AS:       1484 kB\n",
            "VmallocTotal:     122880 kB\n",
            "VmallocUsed:         532 kB\n",
            "VmallocChunk:          0 kB\n",
            "Percpu:              264 kB\n",
            "HardwareCorrupted:     0 kB\n",
            "AnonHugePages:         0 kB\n",
            "ShmemHugePages:        0 kB\n",
            "ShmemPmdMapped:        0 kB\n",
            "FileHugePages:         0 kB\n",
            "FilePmdMapped:         0 kB\n",
            "HugePages_Total:       0\n",
            "HugePages_Free:        0\n",
            "HugePages_Rsvd:        0\n",
            "HugePages_Surp:        0\n",
            "Hugepagesize:       4096 kB\n",
            "Hugetlb:               0 kB\n",
            "DirectMap4k:       12280 kB\n",
            "DirectMap4M:      884736 kB\n",
        );
        assert_eq!(meminfo(&m), expected);
    }

    #[test]
    fn meminfo_keeps_a_space_before_wide_numbers() {
        let m = MemInfo { mem_total_kb: 123_456_789, hardware_corrupted_kb: 1_234_567, ..Default::default() };
        let text = meminfo(&m);
        assert!(text.starts_with("MemTotal:       123456789 kB\n"));
        assert!(text.contains("\nHardwareCorrupted: 1234567 kB\n"));
    }

    /// `intr TOTAL` and then nr_irqs counts, all zero after IRQ 12.
    fn intr_line(total: u64, first: &[u64], nr_irqs: usize) -> (String, Vec<u64>) {
        let mut irqs = first.to_vec();
        irqs.resize(nr_irqs, 0);
        let mut line = alloc::format!("intr {total}");
        irqs.iter().for_each(|n| line.push_str(&alloc::format!(" {n}")));
        (line, irqs)
    }

    #[test]
    fn kernel_stat_matches_linux() {
        let first = [71, 9, 0, 0, 1284, 0, 0, 0, 1, 0, 0, 0, 3];
        let (intr, irqs) = intr_line(1561, &first, 256);
        let cpu0 = CpuTimes { system: 87, idle: 16, ..Default::default() };
        let s = KernelStat {
            total: cpu0,
            cpus: &[cpu0],
            intr_total: 1561,
            irqs: &irqs,
            ctxt: 792,
            btime: 1796005091,
            processes: 78,
            procs_running: 1,
            procs_blocked: 0,
            softirqs: [0, 50, 0, 0, 0, 0, 1, 0, 0, 86],
        };
        let expected = alloc::format!(
            "cpu  0 0 87 16 0 0 0 0 0 0\ncpu0 0 0 87 16 0 0 0 0 0 0\n{intr}\nctxt 792\nbtime 1796005091\n\
             processes 78\nprocs_running 1\nprocs_blocked 0\nsoftirq 137 0 50 0 0 0 0 1 0 0 86\n"
        );
        assert_eq!(kernel_stat(&s), expected);
        // The 2-CPU run: one line per CPU, 440 IRQs.
        let (intr, irqs) = intr_line(1376, &[48, 9, 0, 0, 644, 0, 0, 0, 1, 0, 0, 0, 3], 440);
        let cpu0 = CpuTimes { user: 1, system: 48, idle: 39, ..Default::default() };
        let cpu1 = CpuTimes { system: 45, idle: 24, ..Default::default() };
        let total = CpuTimes { user: 1, system: 94, idle: 63, ..Default::default() };
        let s = KernelStat {
            total,
            cpus: &[cpu0, cpu1],
            intr_total: 1376,
            irqs: &irqs,
            ctxt: 1038,
            btime: 1796005261,
            processes: 85,
            softirqs: [0, 54, 0, 0, 0, 0, 1, 183, 0, 135],
            ..s
        };
        let expected = alloc::format!(
            "cpu  1 0 94 63 0 0 0 0 0 0\ncpu0 1 0 48 39 0 0 0 0 0 0\ncpu1 0 0 45 24 0 0 0 0 0 0\n{intr}\n\
             ctxt 1038\nbtime 1796005261\nprocesses 85\nprocs_running 1\nprocs_blocked 0\n\
             softirq 373 0 54 0 0 0 0 1 183 0 135\n"
        );
        assert_eq!(kernel_stat(&s), expected);
    }

    #[test]
    fn uptime_and_loadavg_match_linux() {
        assert_eq!(uptime(1_209_999_999, 160_000_000), "1.20 0.16\n");
        assert_eq!(uptime(86_400_050_000_000, 5_000_000), "86400.05 0.00\n");
        assert_eq!(ns_to_clock_t(1_209_999_999), 120);
        let idle = LoadAvg { avenrun: [0; 3], running: 1, threads: 46, last_pid: 78 };
        assert_eq!(loadavg(&idle), "0.00 0.00 0.00 1/46 78\n");
        // 1.0, 0.5 and 2.999 in FSHIFT fixed point; the last rounds up.
        let busy = LoadAvg { avenrun: [2048, 1024, 6142], ..idle };
        assert_eq!(loadavg(&busy), "1.00 0.50 3.00 1/46 78\n");
    }

    /// The 1-CPU run's processor: QEMU's default CPU model under TCG.
    fn qemu_cpu() -> CpuInfo<'static> {
        CpuInfo {
            processor: 0,
            vendor_id: "GenuineIntel",
            family: 6,
            model: 6,
            model_name: "QEMU Virtual CPU version 2.5+",
            stepping: Some(3),
            microcode: 1,
            khz: Some(2_596_133),
            cache_size_kb: 16384,
            physical_id: 0,
            siblings: 1,
            core_id: 0,
            cpu_cores: 1,
            apicid: 0,
            initial_apicid: 0,
            fdiv_bug: false,
            f00f_bug: false,
            coma_bug: false,
            fpu: true,
            cpuid_level: 4,
            flags: &[],
            bugs: &[
                "cpu_meltdown",
                "spectre_v1",
                "spectre_v2",
                "spec_store_bypass",
                "l1tf",
                "mds",
                "swapgs",
                "itlb_multihit",
                "mmio_unknown",
                "bhi",
                "its",
            ],
            bogomips_centi: 519226,
            clflush_size: 32,
            cache_alignment: 32,
            phys_bits: 36,
            virt_bits: 32,
            power_management: &[],
        }
    }

    #[test]
    fn cpuinfo_matches_linux() {
        // Its CPUID leaf 1, named through the tables, with Linux's own
        // "cpuid" flag between the EDX and ECX words.
        let edx: u32 = 0x0780_abfd;
        let ecx: u32 = 1 << 0 | 1 << 31;
        let mut flags: Vec<&str> = cpuid_flag_names(edx, &CPUID1_EDX_FLAGS).collect();
        flags.push("cpuid");
        flags.extend(cpuid_flag_names(ecx, &CPUID1_ECX_FLAGS));
        let expected = concat!(
            "processor\t: 0\n",
            "vendor_id\t: GenuineIntel\n",
            "cpu family\t: 6\n",
            "model\t\t: 6\n",
            "model name\t: QEMU Virtual CPU version 2.5+\n",
            "stepping\t: 3\n",
            "microcode\t: 0x1\n",
            "cpu MHz\t\t: 2596.133\n",
            "cache size\t: 16384 KB\n",
            "physical id\t: 0\n",
            "siblings\t: 1\n",
            "core id\t\t: 0\n",
            "cpu cores\t: 1\n",
            "apicid\t\t: 0\n",
            "initial apicid\t: 0\n",
            "fdiv_bug\t: no\n",
            "f00f_bug\t: no\n",
            "coma_bug\t: no\n",
            "fpu\t\t: yes\n",
            "fpu_exception\t: yes\n",
            "cpuid level\t: 4\n",
            "wp\t\t: yes\n",
            "flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep pge cmov mmx fxsr sse sse2 cpuid pni hypervisor\n",
            "bugs\t\t: cpu_meltdown spectre_v1 spectre_v2 spec_store_bypass l1tf mds swapgs itlb_multihit mmio_unknown bhi its\n",
            "bogomips\t: 5192.26\n",
            "clflush size\t: 32\n",
            "cache_alignment\t: 32\n",
            "address sizes\t: 36 bits physical, 32 bits virtual\n",
            "power management:\n",
            "\n",
        );
        assert_eq!(cpuinfo(&[CpuInfo { flags: &flags, ..qemu_cpu() }]), expected);
    }

    #[test]
    fn cpuinfo_of_two_cores_matches_linux() {
        let flags = [
            "fpu",
            "de",
            "pse",
            "tsc",
            "msr",
            "pae",
            "mce",
            "cx8",
            "apic",
            "sep",
            "mtrr",
            "pge",
            "mca",
            "cmov",
            "clflush",
            "acpi",
            "mmx",
            "fxsr",
            "sse",
            "sse2",
            "ht",
            "nx",
            "constant_tsc",
            "cpuid",
            "pni",
            "monitor",
            "hypervisor",
        ];
        let bugs =
            ["cpu_meltdown", "spectre_v1", "spectre_v2", "l1tf", "mds", "swapgs", "itlb_multihit", "mmio_unknown"];
        let bugs = [&bugs[..], &["bhi", "its"]].concat();
        let core0 = CpuInfo {
            model: 14,
            model_name: "Genuine Intel(R) CPU           T2600  @ 2.16GHz",
            stepping: Some(8),
            khz: Some(2_596_120),
            siblings: 2,
            cpu_cores: 2,
            cpuid_level: 10,
            flags: &flags,
            bugs: &bugs,
            bogomips_centi: 519224,
            clflush_size: 64,
            cache_alignment: 64,
            phys_bits: 32,
            virt_bits: 0,
            ..qemu_cpu()
        };
        let core1 = CpuInfo { processor: 1, core_id: 1, apicid: 1, initial_apicid: 1, ..core0 };
        let expected = concat!(
            "processor\t: 0\n",
            "vendor_id\t: GenuineIntel\n",
            "cpu family\t: 6\n",
            "model\t\t: 14\n",
            "model name\t: Genuine Intel(R) CPU           T2600  @ 2.16GHz\n",
            "stepping\t: 8\n",
            "microcode\t: 0x1\n",
            "cpu MHz\t\t: 2596.120\n",
            "cache size\t: 16384 KB\n",
            "physical id\t: 0\n",
            "siblings\t: 2\n",
            "core id\t\t: 0\n",
            "cpu cores\t: 2\n",
            "apicid\t\t: 0\n",
            "initial apicid\t: 0\n",
            "fdiv_bug\t: no\n",
            "f00f_bug\t: no\n",
            "coma_bug\t: no\n",
            "fpu\t\t: yes\n",
            "fpu_exception\t: yes\n",
            "cpuid level\t: 10\n",
            "wp\t\t: yes\n",
            "flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov clflush acpi mmx fxsr sse sse2 ht nx constant_tsc cpuid pni monitor hypervisor\n",
            "bugs\t\t: cpu_meltdown spectre_v1 spectre_v2 l1tf mds swapgs itlb_multihit mmio_unknown bhi its\n",
            "bogomips\t: 5192.24\n",
            "clflush size\t: 64\n",
            "cache_alignment\t: 64\n",
            "address sizes\t: 32 bits physical, 0 bits virtual\n",
            "power management:\n",
            "\n",
            "processor\t: 1\n",
            "vendor_id\t: GenuineIntel\n",
            "cpu family\t: 6\n",
            "model\t\t: 14\n",
            "model name\t: Genuine Intel(R) CPU           T2600  @ 2.16GHz\n",
            "stepping\t: 8\n",
            "microcode\t: 0x1\n",
            "cpu MHz\t\t: 2596.120\n",
            "cache size\t: 16384 KB\n",
            "physical id\t: 0\n",
            "siblings\t: 2\n",
            "core id\t\t: 1\n",
            "cpu cores\t: 2\n",
            "apicid\t\t: 1\n",
            "initial apicid\t: 1\n",
            "fdiv_bug\t: no\n",
            "f00f_bug\t: no\n",
            "coma_bug\t: no\n",
            "fpu\t\t: yes\n",
            "fpu_exception\t: yes\n",
            "cpuid level\t: 10\n",
            "wp\t\t: yes\n",
            "flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov clflush acpi mmx fxsr sse sse2 ht nx constant_tsc cpuid pni monitor hypervisor\n",
            "bugs\t\t: cpu_meltdown spectre_v1 spectre_v2 l1tf mds swapgs itlb_multihit mmio_unknown bhi its\n",
            "bogomips\t: 5192.24\n",
            "clflush size\t: 64\n",
            "cache_alignment\t: 64\n",
            "address sizes\t: 32 bits physical, 0 bits virtual\n",
            "power management:\n",
            "\n",
        );
        assert_eq!(cpuinfo(&[core0, core1]), expected);
    }

    #[test]
    fn cpuinfo_leaves_out_what_the_cpu_lacks() {
        let bare = CpuInfo { vendor_id: "", model_name: "", stepping: None, microcode: 0, khz: None, ..qemu_cpu() };
        let text = cpuinfo(&[CpuInfo { cache_size_kb: 0, power_management: &["ts", "ttp"], ..bare }]);
        assert!(text.contains("vendor_id\t: unknown\n"));
        assert!(text.contains("model name\t: unknown\nstepping\t: unknown\nphysical id\t: 0\n"));
        assert!(text.ends_with("power management: ts ttp\n\n"));
    }

    #[test]
    fn mounts_match_linux() {
        let pseudo = MountFlags::NOSUID | MountFlags::NODEV | MountFlags::NOEXEC | MountFlags::RELATIME;
        let entries = [
            MountEntry {
                device: "rootfs",
                mount_point: "/",
                fs_type: "rootfs",
                read_only: false,
                flags: MountFlags::empty(),
                fs_options: &["size=56180k", "nr_inodes=14045"],
            },
            MountEntry {
                device: "proc",
                mount_point: "/proc",
                fs_type: "proc",
                flags: pseudo,
                fs_options: &[],
                ..entries0()
            },
            MountEntry {
                device: "sysfs",
                mount_point: "/sys",
                fs_type: "sysfs",
                flags: pseudo,
                fs_options: &[],
                ..entries0()
            },
            MountEntry {
                device: "tmpfs",
                mount_point: "/tmp",
                fs_type: "tmpfs",
                flags: MountFlags::NOSUID | MountFlags::NODEV | MountFlags::RELATIME,
                fs_options: &["size=1024k"],
                ..entries0()
            },
        ];
        let expected = concat!(
            "rootfs / rootfs rw,size=56180k,nr_inodes=14045 0 0\n",
            "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n",
            "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n",
            "tmpfs /tmp tmpfs rw,nosuid,nodev,relatime,size=1024k 0 0\n",
        );
        assert_eq!(mounts(&entries), expected);
        // From the edge-case run: mount("my#dev", "/mnt a", "tmpfs", MS_RDONLY | MS_NOATIME).
        let odd = MountEntry {
            device: "my#dev",
            mount_point: "/mnt a",
            fs_type: "tmpfs",
            read_only: true,
            flags: MountFlags::NOATIME,
            ..entries0()
        };
        assert_eq!(mounts(&[odd]), "my\\043dev /mnt\\040a tmpfs ro,noatime 0 0\n");
    }

    fn entries0() -> MountEntry<'static> {
        MountEntry {
            device: "rootfs",
            mount_point: "/",
            fs_type: "rootfs",
            read_only: false,
            flags: MountFlags::empty(),
            fs_options: &[],
        }
    }

    #[test]
    fn filesystems_match_linux() {
        let names = [
            "sysfs",
            "tmpfs",
            "bdev",
            "proc",
            "cgroup",
            "cgroup2",
            "cpuset",
            "devtmpfs",
            "debugfs",
            "tracefs",
            "securityfs",
            "sockfs",
            "bpf",
            "pipefs",
            "ramfs",
            "hugetlbfs",
            "devpts",
            "mqueue",
            "pstore",
        ];
        let types: Vec<FilesystemType> =
            names.iter().map(|&name| FilesystemType { name, requires_dev: false }).collect();
        let expected = concat!(
            "nodev\tsysfs\n",
            "nodev\ttmpfs\n",
            "nodev\tbdev\n",
            "nodev\tproc\n",
            "nodev\tcgroup\n",
            "nodev\tcgroup2\n",
            "nodev\tcpuset\n",
            "nodev\tdevtmpfs\n",
            "nodev\tdebugfs\n",
            "nodev\ttracefs\n",
            "nodev\tsecurityfs\n",
            "nodev\tsockfs\n",
            "nodev\tbpf\n",
            "nodev\tpipefs\n",
            "nodev\tramfs\n",
            "nodev\thugetlbfs\n",
            "nodev\tdevpts\n",
            "nodev\tmqueue\n",
            "nodev\tpstore\n",
        );
        assert_eq!(filesystems(&types), expected);
        assert_eq!(filesystems(&[FilesystemType { name: "ext4", requires_dev: true }]), "\text4\n");
    }

    #[test]
    fn swaps_match_linux() {
        let expected_header = "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n";
        assert_eq!(swaps(&[]), expected_header);
        // Areas as swap_show lays them out (no capture: the oracle has no swap).
        let part = SwapArea { path: "/dev/sda2", partition: true, size_kb: 2097148, used_kb: 0, priority: -2 };
        let file = SwapArea { path: "/swap file", partition: false, size_kb: 12_000_000, used_kb: 512, priority: 5 };
        let text = swaps(&[part, file]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1], "/dev/sda2                               partition\t2097148\t\t0\t\t-2");
        assert_eq!(lines[2], "/swap\\040file                           file\t\t12000000\t512\t\t5");
    }
}

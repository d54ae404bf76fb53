//! The files of /proc/<pid> (and /proc/<pid>/task/<tid>), made when read
//! from the task record and the page tables: stat, statm, status, comm,
//! cmdline, environ, maps, smaps and pagemap, in Linux's formats
//! (`fs::procfmt`) with Linux's counting (`fs::procacct`).
//!
//! Reading another process's memory (cmdline, environ) and page tables
//! holds the task table's lock: that process is not running meanwhile
//! (one CPU, and this task is in the kernel), as `sched` requires.

use super::process::{Pid, Task, TaskState};
use super::sched::{SCHED, Sched};
use crate::fs::procacct::{self, PageFacts};
use crate::fs::procfmt::{self, MapName, MapsEntry, SmapsEntry, StatMm, StatusMm, TaskStat, TaskStatus, VmFlags};
use crate::mm::addr::VirtAddr;
use crate::mm::frame::Refs;
use crate::mm::kmap::FrameWindow;
use crate::mm::pte::{PageTableEntry, PteFlags};
use crate::mm::user::UserMemory;
use crate::mm::vma::{Backing, Prot, Purpose, Region};
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

/// RLIMIT_SIGPENDING, the second number of status's SigQ.
const RLIMIT_SIGPENDING: u32 = 11;

/// The per-task files, by the number in their generated-file key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PidFile {
    Comm = 1,
    Stat,
    Statm,
    Status,
    Cmdline,
    Environ,
    Maps,
    Smaps,
    Pagemap,
}

impl PidFile {
    pub const ALL: [(&'static str, PidFile); 9] = [
        ("comm", PidFile::Comm),
        ("stat", PidFile::Stat),
        ("statm", PidFile::Statm),
        ("status", PidFile::Status),
        ("cmdline", PidFile::Cmdline),
        ("environ", PidFile::Environ),
        ("maps", PidFile::Maps),
        ("smaps", PidFile::Smaps),
        ("pagemap", PidFile::Pagemap),
    ];

    pub fn from_number(n: u8) -> Option<PidFile> {
        Self::ALL.iter().map(|e| e.1).find(|f| *f as u8 == n)
    }
}

/// Pages below TASK_SIZE (0xC0000000): pagemap holds one entry for each.
pub const USER_PAGES: u64 = 0xC_0000;

/// The bytes of file `f` of task `tid` now (empty if the task is gone).
pub fn generate(tid: Pid, f: PidFile) -> Vec<u8> {
    let s = SCHED.lock();
    let Some(t) = s.tasks.get(&tid) else { return Vec::new() };
    let mem = t.process.as_ref().map(|p| &*p.mem);
    match f {
        PidFile::Comm => procfmt::comm(&t.name).into_bytes(),
        PidFile::Stat => procfmt::stat(&stat_of(&s, t)).into_bytes(),
        PidFile::Statm => procfmt::statm(mem.map(statm_of).as_ref()).into_bytes(),
        PidFile::Status => status(&s, t).into_bytes(),
        PidFile::Cmdline => mem.map_or_else(Vec::new, |m| {
            let a = m.args;
            let args = read_memory(m, a.arg_start, a.arg_end.saturating_sub(a.arg_start));
            let title = read_memory(m, a.arg_start, 4096 - a.arg_start % 4096);
            procacct::cmdline_of(&args, &title)
        }),
        PidFile::Environ => mem.map_or_else(Vec::new, |m| {
            read_memory(m, m.args.env_start, m.args.env_end.saturating_sub(m.args.env_start))
        }),
        PidFile::Maps => mem.map_or_else(String::new, maps).into_bytes(),
        PidFile::Smaps => mem.map_or_else(String::new, |m| smaps(&s, m)).into_bytes(),
        PidFile::Pagemap => Vec::new(),
    }
}

/// pagemap: 8 bytes per virtual page from byte `offset` (a multiple of 8;
/// otherwise nothing is read, where Linux says EINVAL).
pub fn pagemap(tid: Pid, offset: u64, buf: &mut [u8]) -> usize {
    if !offset.is_multiple_of(8) {
        return 0;
    }
    let s = SCHED.lock();
    let Some(mem) = s.tasks.get(&tid).and_then(|t| t.process.as_ref()).map(|p| &*p.mem) else { return 0 };
    let first = offset / 8;
    let count = (buf.len() as u64 / 8).min(USER_PAGES.saturating_sub(first));
    let file_maps = file_map_counts(&s);
    for i in 0..count {
        let va = ((first + i) * 4096) as u32;
        let entry = mem.space.entry(VirtAddr::new(va));
        let page = entry.filter(|e| e.is_present()).map(|e| {
            let region = mem.map.find(va);
            facts(region, e, &file_maps)
        });
        let mut pm = procacct::pagemap_entry(page);
        // A page on swap: bit 62, type 0 (the one area), offset the slot.
        if let Some(slot) = entry.and_then(|e| e.swap_slot()) {
            pm.location = procfmt::PageLocation::Swapped { swap_type: 0, offset: u64::from(slot) };
        }
        let raw = pm.encode(true);
        buf[(i * 8) as usize..(i * 8 + 8) as usize].copy_from_slice(&raw.to_le_bytes());
    }
    (count * 8) as usize
}

/// Copies `len` bytes at `va` out of `mem` (not necessarily the loaded
/// address space); pages not present read as zeros.
fn read_memory(mem: &UserMemory, va: u32, len: u32) -> Vec<u8> {
    let mut out = alloc::vec![0u8; len.min(crate::task::exec::ARG_MAX as u32) as usize];
    let mut done = 0usize;
    while done < out.len() {
        let at = va.wrapping_add(done as u32);
        let in_page = (at % 4096) as usize;
        let chunk = (4096 - in_page).min(out.len() - done);
        if let Some(e) = mem.space.entry(VirtAddr::new(at & !0xfff)).filter(|e| e.is_present()) {
            let mut w = FrameWindow::new(e.frame());
            out[done..done + chunk].copy_from_slice(&w.bytes()[in_page..in_page + chunk]);
        }
        done += chunk;
    }
    out
}

/// How many page-table entries of all processes map each module frame
/// (module frames carry no reference count).
fn file_map_counts(s: &Sched) -> BTreeMap<u32, u32> {
    let mut counts = BTreeMap::new();
    let mut seen = Vec::new();
    for t in s.tasks.values() {
        let Some(p) = t.process.as_ref() else { continue };
        let pd = p.mem.space.directory_frame().number();
        if seen.contains(&pd) {
            continue;
        }
        seen.push(pd);
        p.mem.space.for_each_entry(|_, e| {
            if e.is_present() && e.flags().contains(PteFlags::FILE) {
                *counts.entry(e.frame().number()).or_insert(0) += 1;
            }
        });
    }
    counts
}

/// What smaps and pagemap need to know of a present entry in `region`.
fn facts(region: Option<&Region>, e: PageTableEntry, file_maps: &BTreeMap<u32, u32>) -> PageFacts {
    let flags = e.flags();
    let shared_object = matches!(region.map(|r| &r.backing), Some(Backing::Shared { .. }));
    let file_page = flags.contains(PteFlags::FILE);
    let mapcount = if file_page {
        file_maps.get(&e.frame().number()).copied().unwrap_or(1)
    } else {
        match crate::mm::phys::refs(e.frame()) {
            // A shared object holds a reference of its own on each frame.
            Refs::Counted(n) if shared_object => n.saturating_sub(1),
            Refs::Counted(n) => n,
            Refs::Uncounted => 1,
        }
    };
    PageFacts {
        pfn: e.frame().number(),
        accessed: flags.contains(PteFlags::ACCESSED),
        dirty: flags.contains(PteFlags::DIRTY),
        zero: flags.contains(PteFlags::ZERO),
        anon: !file_page && !shared_object,
        mapcount: mapcount.max(1),
    }
}

/// Linux's vm_flags for a region: what it allows now and may allow,
/// shared or not, the stack's grows-down, and VM_ACCOUNT for private
/// writable memory.
pub fn vm_flags(r: &Region) -> VmFlags {
    let mut f = VmFlags::MAYREAD | VmFlags::MAYEXEC;
    f.set(VmFlags::READ, r.prot.contains(Prot::READ));
    f.set(VmFlags::WRITE, r.prot.contains(Prot::WRITE));
    f.set(VmFlags::EXEC, r.prot.contains(Prot::EXEC));
    match &r.backing {
        Backing::Shared { .. } => f |= VmFlags::SHARED | VmFlags::MAYSHARE | VmFlags::MAYWRITE,
        // A read-only file shared: never writable.
        Backing::File { shared: true, .. } => f |= VmFlags::MAYSHARE,
        // A file shared through a descriptor open for writing may be
        // written; through a read-only one it never may (Linux clears
        // VM_SHARED and VM_MAYWRITE then).
        Backing::Cache { shared: true, may_write: true, .. } => {
            f |= VmFlags::SHARED | VmFlags::MAYSHARE | VmFlags::MAYWRITE
        }
        Backing::Cache { shared: true, may_write: false, .. } => f |= VmFlags::MAYSHARE,
        _ => {
            f |= VmFlags::MAYWRITE;
            f.set(VmFlags::ACCOUNT, r.prot.contains(Prot::WRITE));
        }
    }
    if r.purpose == Purpose::Stack {
        f |= VmFlags::GROWSDOWN | VmFlags::ACCOUNT;
    }
    f
}

/// A region's maps line; a page-cache file's name is put in `name_buf`.
fn maps_entry<'a>(r: &Region, name_buf: &'a mut String) -> MapsEntry<'a> {
    if let Backing::Cache { file, .. } = &r.backing {
        *name_buf = file.name();
    }
    let (offset, name) = match &r.backing {
        Backing::Shared { first_page, .. } => {
            (u64::from(*first_page) * 4096, MapName::File { path: "/dev/zero", deleted: true })
        }
        Backing::File { module, .. } => {
            (0, MapName::File { path: crate::fs::module_name(usize::from(*module)), deleted: false })
        }
        Backing::Cache { first_page, .. } => {
            (u64::from(*first_page) * 4096, MapName::File { path: name_buf.as_str(), deleted: false })
        }
        Backing::Anonymous => (
            0,
            match r.purpose {
                Purpose::Heap => MapName::Heap,
                Purpose::Stack => MapName::Stack,
                _ => MapName::None,
            },
        ),
    };
    let (start, end) = (r.start.as_u32(), r.end.as_u32());
    MapsEntry { start, end, flags: vm_flags(r), offset, dev_major: 0, dev_minor: 0, inode: 0, name }
}

fn maps(mem: &UserMemory) -> String {
    let mut out = String::new();
    for r in mem.map.iter() {
        procfmt::push_maps_line(&mut out, &maps_entry(r, &mut String::new()));
    }
    out
}

/// The present entries of `mem`, in address order.
fn present_entries(mem: &UserMemory) -> Vec<(u32, PageTableEntry)> {
    let mut v = Vec::new();
    mem.space.for_each_entry(|va, e| {
        if e.is_present() {
            v.push((va.as_u32(), e));
        }
    });
    v
}

fn smaps(s: &Sched, mem: &UserMemory) -> String {
    let file_maps = file_map_counts(s);
    let entries = present_entries(mem);
    let mut names: Vec<String> = mem.map.iter().map(|_| String::new()).collect();
    let regions: Vec<SmapsEntry> = mem
        .map
        .iter()
        .zip(names.iter_mut())
        .map(|(r, name)| {
            let from = entries.partition_point(|(va, _)| *va < r.start.as_u32());
            let to = entries.partition_point(|(va, _)| *va < r.end.as_u32());
            let pages = entries[from..to].iter().map(|&(_, e)| facts(Some(r), e, &file_maps));
            SmapsEntry { map: maps_entry(r, name), usage: procacct::smaps_usage(pages), thp_eligible: false }
        })
        .collect();
    procfmt::smaps(&regions)
}

fn statm_of(mem: &UserMemory) -> procfmt::Statm {
    let m = status_mm(mem);
    procfmt::Statm {
        size: m.vm_size_kb / 4,
        resident: m.vm_rss_kb / 4,
        shared: (m.rss_file_kb + m.rss_shmem_kb) / 4,
        text: m.vm_exe_kb / 4,
        data: (m.vm_data_kb + m.vm_stk_kb) / 4,
    }
}

/// status's memory lines, counted from the regions and the entries. No
/// high-water marks are kept: VmPeak and VmHWM are the current sizes.
fn status_mm(mem: &UserMemory) -> StatusMm {
    let kb = |pages: u32| pages * 4;
    let (mut size, mut data, mut stack, mut exe, mut exec) = (0, 0, 0, 0, 0);
    for r in mem.map.iter() {
        let pages = r.len() / 4096;
        let f = vm_flags(r);
        size += pages;
        if f & (VmFlags::WRITE | VmFlags::SHARED | VmFlags::GROWSDOWN) == VmFlags::WRITE {
            data += pages;
        }
        if f.contains(VmFlags::GROWSDOWN) {
            stack += pages;
        } else if f.contains(VmFlags::EXEC) && !f.contains(VmFlags::WRITE) {
            exec += pages;
            if r.purpose == Purpose::Program {
                exe += pages;
            }
        }
    }
    let (mut anon, mut file, mut shmem) = (0, 0, 0);
    for (va, e) in present_entries(mem) {
        let flags = e.flags();
        if flags.contains(PteFlags::ZERO) {
            continue;
        }
        match mem.map.find(va).map(|r| &r.backing) {
            Some(Backing::Shared { .. }) => shmem += 1,
            _ if flags.contains(PteFlags::FILE) => file += 1,
            _ => anon += 1,
        }
    }
    let rss = anon + file + shmem;
    StatusMm {
        vm_peak_kb: kb(size),
        vm_size_kb: kb(size),
        vm_hwm_kb: kb(rss),
        vm_rss_kb: kb(rss),
        rss_anon_kb: kb(anon),
        rss_file_kb: kb(file),
        rss_shmem_kb: kb(shmem),
        vm_data_kb: kb(data),
        vm_stk_kb: kb(stack),
        vm_exe_kb: kb(exe),
        vm_lib_kb: kb(exec - exe),
        vm_pte_kb: kb(mem.space.table_count()),
        vm_swap_kb: kb(mem.swapped_pages()),
        thp_enabled: true,
        ..Default::default()
    }
}

fn proc_state(t: &Task) -> procfmt::TaskState {
    match t.state {
        TaskState::Running | TaskState::Runnable => procfmt::TaskState::Running,
        TaskState::Sleeping(crate::task::process::Wait::Disk) => procfmt::TaskState::DiskSleep,
        TaskState::Sleeping(_) => procfmt::TaskState::Sleeping,
        TaskState::Stopped => procfmt::TaskState::Stopped,
        TaskState::Zombie(_) => procfmt::TaskState::Zombie,
    }
}

/// The parent's process id (a thread's parent is its group's).
fn ppid_of(s: &Sched, t: &Task) -> u32 {
    s.tasks.get(&t.ppid).map_or(t.ppid, |p| p.tgid)
}

/// The ignored and caught signal sets of the task's handlers.
fn ign_cgt(t: &Task) -> (u64, u64) {
    let h = t.handlers.lock();
    let (mut ign, mut cgt) = (0u64, 0u64);
    for n in 1..=u32::from(memguard_abi::Signal::MAX) {
        let Some(sig) = memguard_abi::Signal::from_raw(n) else { continue };
        match h.get(sig).handler {
            super::signal::state::SIG_IGN => ign |= sig.mask_bit(),
            super::signal::state::SIG_DFL => {}
            _ => cgt |= sig.mask_bit(),
        }
    }
    (ign, cgt)
}

fn stat_of<'a>(s: &Sched, t: &'a Task) -> TaskStat<'a> {
    let ticks = procfmt::ns_to_clock_t;
    let mem = t.process.as_ref().map(|p| &*p.mem);
    let threads = s.tasks.values().filter(|x| x.tgid == t.tgid && !x.detached).count() as i32;
    let (ignored, caught) = ign_cgt(t);
    TaskStat {
        pid: t.pid,
        comm: &t.name,
        state: proc_state(t),
        ppid: ppid_of(s, t) as i32,
        pgrp: t.pgid as i32,
        session: t.sid as i32,
        // The console, 5:1, in Linux's encoding (major << 8 | minor).
        tty_nr: if t.ctty { 5 << 8 | 1 } else { 0 },
        tpgid: if t.ctty { crate::console::tty::with(|tty| tty.pgrp.map_or(-1, |g| g as i32)) } else { -1 },
        // PF_KTHREAD for a kernel thread, PF_RANDOMIZE for a user task.
        flags: if t.kthread { 0x0020_0000 } else { 0x0040_0000 },
        minflt: mem.map_or(0, |m| m.stats.page_faults),
        cminflt: 0,
        majflt: 0,
        cmajflt: 0,
        utime_ticks: ticks(t.cpu_ns(false)),
        stime_ticks: 0,
        cutime_ticks: ticks(t.children_cpu_ns) as i64,
        cstime_ticks: 0,
        priority: 20 + i32::from(t.nice),
        nice: i32::from(t.nice),
        num_threads: threads,
        start_time_ticks: 0,
        mm: mem.map(|m| StatMm {
            vsize: m.map.iter().map(|r| r.len()).sum(),
            rss_pages: m.resident_pages(),
            start_brk: m.brk_start,
            arg_start: m.args.arg_start,
            arg_end: m.args.arg_end,
            env_start: m.args.env_start,
            env_end: m.args.env_end,
            ..Default::default()
        }),
        rsslim: u32::MAX,
        kstk_esp: 0,
        kstk_eip: 0,
        pending: t.sig.pending.set().0,
        blocked: t.sig.blocked.0,
        ignored,
        caught,
        wchan: matches!(t.state, TaskState::Sleeping(_)),
        exit_signal: i32::from(t.exit_signal),
        processor: 0,
        rt_priority: 0,
        policy: 0,
        delayacct_blkio_ticks: 0,
        guest_time_ticks: 0,
        cguest_time_ticks: 0,
        exit_code: match t.state {
            TaskState::Zombie(st) => st.wait_status() as i32,
            _ => 0,
        },
    }
}

/// The highest open descriptor of a table.
pub fn highest_fd(files: &crate::fs::FdTable) -> Option<u32> {
    let (mut left, mut fd, mut top) = (files.open_count(), 0u32, None);
    while left > 0 && (fd as usize) < crate::fs::MAX_FDS {
        if files.get(fd).is_ok() {
            left -= 1;
            top = Some(fd);
        }
        fd += 1;
    }
    top
}

fn status(s: &Sched, t: &Task) -> String {
    let leader: &Task = s.tasks.get(&t.tgid).map_or(t, |b| b);
    let p = t.process.as_ref();
    let (ign, cgt) = ign_cgt(t);
    let threads = s.tasks.values().filter(|x| x.tgid == t.tgid && !x.detached).count() as u32;
    let sigpending = p.and_then(|p| p.limits.get(RLIMIT_SIGPENDING)).map_or(0, |l| l.cur as u32);
    let queued = t.sig.pending.set().0.count_ones() + leader.sig.shared.set().0.count_ones();
    let all_caps = (1u64 << 41) - 1;
    let status = TaskStatus {
        name: &t.name,
        umask: p.map(|p| p.fs.umask),
        state: proc_state(t),
        tgid: t.tgid,
        ngid: 0,
        pid: t.pid,
        ppid: ppid_of(s, t),
        tracer_pid: 0,
        uid: [0; 4],
        gid: [0; 4],
        fd_size: p.map_or(0, |p| procacct::fd_size(highest_fd(&p.files))),
        groups: &[],
        pgid: 0,
        sid: 0,
        mm: p.map(|p| status_mm(&p.mem)),
        threads,
        sigq: (queued, sigpending),
        sig_pnd: t.sig.pending.set().0,
        shd_pnd: leader.sig.shared.set().0,
        sig_blk: t.sig.blocked.0,
        sig_ign: ign,
        sig_cgt: cgt,
        cap_inh: 0,
        cap_prm: all_caps,
        cap_eff: all_caps,
        cap_bnd: all_caps,
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
        nonvoluntary_ctxt_switches: 0,
    };
    procfmt::status(&status)
}

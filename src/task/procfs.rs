//! What /proc holds, described for `fs::root::refresh_proc`: `self`, a
//! directory per process with `comm`, `stat`, `statm`, `maps`, `exe` and
//! `cwd`, and the system files `meminfo`, `uptime`, `loadavg`, `mounts`
//! and `filesystems`, in Linux's formats (`fs::procfmt`).

use super::process::{Task, TaskState};
use super::sched::SCHED;
use crate::fs::procfmt::{self, MapName, MapsEntry, StatMm, TaskStat, VmFlags};
use crate::fs::root::{ProcEntry, ProcKind};
use crate::mm::vma::{Backing, Prot, Purpose};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

fn file(path: String, text: String) -> ProcEntry {
    ProcEntry { path, kind: ProcKind::File(text.into_bytes()) }
}

/// The whole of /proc now.
pub fn entries() -> Vec<ProcEntry> {
    let mut v = Vec::new();
    let s = SCHED.lock();
    let me = s.tasks.get(&s.current).map_or(1, |t| t.tgid);
    v.push(ProcEntry { path: String::from("self"), kind: ProcKind::Link(format!("{me}")) });
    for t in s.tasks.values().filter(|t| t.pid != 0 && t.is_leader() && !t.detached) {
        process_entries(&s, t, &mut v);
    }
    drop(s);
    system_entries(&mut v);
    v
}

fn process_entries(s: &super::sched::Sched, t: &Task, v: &mut Vec<ProcEntry>) {
    let pid = t.pid;
    v.push(ProcEntry { path: format!("{pid}"), kind: ProcKind::Dir });
    v.push(file(format!("{pid}/comm"), procfmt::comm(&t.name)));
    let threads = s.tasks.values().filter(|x| x.tgid == t.tgid && !x.detached).count() as i32;
    v.push(file(format!("{pid}/stat"), procfmt::stat(&stat_of(s, t, threads))));
    if let Some(exe) = t.exe.and_then(crate::fs::root::path_of_file) {
        v.push(ProcEntry { path: format!("{pid}/exe"), kind: ProcKind::Link(exe) });
    }
    let Some(p) = t.process.as_ref() else {
        v.push(file(format!("{pid}/statm"), procfmt::statm(None)));
        return;
    };
    if let Ok(cwd) = crate::fs::root::path_of(p.fs.cwd) {
        v.push(ProcEntry { path: format!("{pid}/cwd"), kind: ProcKind::Link(cwd) });
    }
    let pages = p.mem.map.iter().map(|r| r.len() / 4096).sum::<u32>();
    let statm = procfmt::Statm { size: pages, resident: p.mem.resident_pages(), ..Default::default() };
    v.push(file(format!("{pid}/statm"), procfmt::statm(Some(&statm))));
    let mut maps = String::new();
    for r in p.mem.map.iter() {
        let mut flags = VmFlags::empty();
        flags.set(VmFlags::READ, r.prot.contains(Prot::READ));
        flags.set(VmFlags::WRITE, r.prot.contains(Prot::WRITE));
        flags.set(VmFlags::EXEC, r.prot.contains(Prot::EXEC));
        let cache_name = match &r.backing {
            Backing::Cache { file, .. } => file.name(),
            _ => String::new(),
        };
        let (shared, offset, name) = match &r.backing {
            Backing::Shared { first_page, .. } => {
                (true, u64::from(*first_page) * 4096, MapName::File { path: "/dev/zero", deleted: true })
            }
            Backing::File { module, shared, .. } => {
                (*shared, 0, MapName::File { path: crate::fs::module_name(usize::from(*module)), deleted: false })
            }
            Backing::Cache { shared, first_page, .. } => {
                (*shared, u64::from(*first_page) * 4096, MapName::File { path: &cache_name, deleted: false })
            }
            Backing::Anonymous => (
                false,
                0,
                match r.purpose {
                    Purpose::Heap => MapName::Heap,
                    Purpose::Stack => MapName::Stack,
                    _ => MapName::None,
                },
            ),
        };
        flags.set(VmFlags::MAYSHARE, shared);
        let e = MapsEntry {
            start: r.start.as_u32(),
            end: r.end.as_u32(),
            flags,
            offset,
            dev_major: 0,
            dev_minor: 0,
            inode: 0,
            name,
        };
        procfmt::push_maps_line(&mut maps, &e);
    }
    v.push(file(format!("{pid}/maps"), maps));
}

/// /proc/<pid>/stat's fields from the task record.
fn stat_of<'a>(s: &super::sched::Sched, t: &'a Task, threads: i32) -> TaskStat<'a> {
    let state = match t.state {
        TaskState::Running | TaskState::Runnable => procfmt::TaskState::Running,
        TaskState::Sleeping(_) => procfmt::TaskState::Sleeping,
        TaskState::Stopped => procfmt::TaskState::Stopped,
        TaskState::Zombie(_) => procfmt::TaskState::Zombie,
    };
    let ticks = |ns: u64| procfmt::ns_to_clock_t(ns);
    let mm = t.process.as_ref().map(|p| StatMm {
        vsize: p.mem.map.iter().map(|r| r.len()).sum(),
        rss_pages: p.mem.resident_pages(),
        start_brk: p.mem.brk_start,
        ..Default::default()
    });
    let ppid = s.tasks.get(&t.ppid).map_or(t.ppid, |p| p.tgid) as i32;
    TaskStat {
        pid: t.pid,
        comm: &t.name,
        state,
        ppid,
        pgrp: 0,
        session: 0,
        tty_nr: 0,
        tpgid: -1,
        flags: 0x0040_0000,
        minflt: t.process.as_ref().map_or(0, |p| p.mem.stats.page_faults),
        cminflt: 0,
        majflt: 0,
        cmajflt: 0,
        utime_ticks: ticks(t.cpu_ns),
        stime_ticks: 0,
        cutime_ticks: ticks(t.children_cpu_ns) as i64,
        cstime_ticks: 0,
        priority: 20,
        nice: 0,
        num_threads: threads,
        start_time_ticks: 0,
        mm,
        rsslim: u32::MAX,
        kstk_esp: 0,
        kstk_eip: 0,
        pending: t.sig.pending.set().0,
        blocked: t.sig.blocked.0,
        ignored: 0,
        caught: 0,
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

fn system_entries(v: &mut Vec<ProcEntry>) {
    let mem = crate::mm::phys::stats();
    let kb = |frames: u32| frames * 4;
    let info = procfmt::MemInfo {
        mem_total_kb: kb(mem.total),
        mem_free_kb: kb(mem.free),
        mem_available_kb: kb(mem.free),
        ..Default::default()
    };
    v.push(file(String::from("meminfo"), procfmt::meminfo(&info)));
    let up = crate::time::monotonic_ns();
    v.push(file(String::from("uptime"), procfmt::uptime(up, up)));
    let mounts = [
        procfmt::MountEntry {
            device: "rootfs",
            mount_point: "/",
            fs_type: "rootfs",
            read_only: false,
            flags: procfmt::MountFlags::empty(),
            fs_options: &[],
        },
        procfmt::MountEntry {
            device: "proc",
            mount_point: "/proc",
            fs_type: "proc",
            read_only: false,
            flags: procfmt::MountFlags::NOSUID
                | procfmt::MountFlags::NODEV
                | procfmt::MountFlags::NOEXEC
                | procfmt::MountFlags::RELATIME,
            fs_options: &[],
        },
    ];
    v.push(file(String::from("mounts"), procfmt::mounts(&mounts)));
    let types = [
        procfmt::FilesystemType { name: "rootfs", requires_dev: false },
        procfmt::FilesystemType { name: "tmpfs", requires_dev: false },
        procfmt::FilesystemType { name: "proc", requires_dev: false },
    ];
    v.push(file(String::from("filesystems"), procfmt::filesystems(&types)));
}

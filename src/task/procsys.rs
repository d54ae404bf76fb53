//! /proc's system-wide files, made when read: meminfo, uptime, loadavg,
//! stat, cpuinfo (from CPUID), mounts (from the mount table), version,
//! filesystems and the few /proc/sys values this kernel has.

use super::kstat;
use super::sched::SCHED;
use crate::arch::x86::cpu::cpuid;
use crate::fs::mounts::{self, FsKind};
use crate::fs::procfmt::{self, CpuInfo, CpuTimes, KernelStat, LoadAvg, MountEntry, MountFlags};
use alloc::string::String;
use alloc::vec::Vec;

/// The system files, by the number in their generated-file key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SysFile {
    Meminfo = 1,
    Uptime,
    Loadavg,
    Stat,
    Cpuinfo,
    Mounts,
    Swaps,
}

impl SysFile {
    pub const ALL: [(&'static str, SysFile); 6] = [
        ("meminfo", SysFile::Meminfo),
        ("uptime", SysFile::Uptime),
        ("loadavg", SysFile::Loadavg),
        ("stat", SysFile::Stat),
        ("cpuinfo", SysFile::Cpuinfo),
        ("swaps", SysFile::Swaps),
    ];

    pub fn from_number(n: u8) -> Option<SysFile> {
        [Self::ALL.map(|e| e.1).as_slice(), &[SysFile::Mounts]].concat().into_iter().find(|f| *f as u8 == n)
    }
}

pub fn generate(f: SysFile) -> String {
    match f {
        SysFile::Meminfo => meminfo(),
        SysFile::Uptime => {
            let up = crate::time::monotonic_ns();
            let s = SCHED.lock();
            let idle = s.tasks.get(&super::process::IDLE_PID).map_or(0, |t| t.cpu_ns(s.current == t.pid));
            procfmt::uptime(up, idle)
        }
        SysFile::Loadavg => {
            let s = SCHED.lock();
            let l = LoadAvg {
                avenrun: kstat::avenrun(),
                running: s.runnable(),
                threads: s.tasks.len() as u32 - 1,
                last_pid: s.last_pid(),
            };
            procfmt::loadavg(&l)
        }
        SysFile::Stat => stat(),
        SysFile::Cpuinfo => cpuinfo(),
        SysFile::Mounts => mounts(),
        SysFile::Swaps => swaps(),
    }
}

fn meminfo() -> String {
    let mem = crate::mm::phys::stats();
    let (high_total, high_free) = crate::mm::phys::high_memory();
    let kb = |frames: u32| frames * 4;
    let (swap_total, swap_free) = crate::mm::swap::area::totals();
    let info = procfmt::MemInfo {
        mem_total_kb: kb(mem.total),
        mem_free_kb: kb(mem.free),
        mem_available_kb: kb(mem.free),
        high_total_kb: kb(high_total),
        high_free_kb: kb(high_free),
        page_tables_kb: kb(crate::mm::paging::page_table_frames()),
        commit_limit_kb: kb(mem.total / 2),
        hugepage_size_kb: 4096,
        swap_total_kb: kb(swap_total),
        swap_free_kb: kb(swap_free),
        swap_cached_kb: kb(crate::mm::swap::area::cached_count()),
        ..Default::default()
    };
    procfmt::meminfo(&info)
}

/// /proc/swaps: the active area, as a partition (/dev/vda is a disk).
fn swaps() -> String {
    let area = crate::mm::swap::area::with(|a| (a.path.clone(), a.slots.total(), a.slots.used(), a.priority));
    let areas: Vec<procfmt::SwapArea> = area
        .iter()
        .map(|(path, total, used, priority)| procfmt::SwapArea {
            path,
            partition: true,
            size_kb: total * 4,
            used_kb: used * 4,
            priority: *priority,
        })
        .collect();
    procfmt::swaps(&areas)
}

/// /proc/stat. Time is not split between user and kernel mode here: all
/// the time the idle task did not have counts as user time.
fn stat() -> String {
    let s = SCHED.lock();
    let ticks = procfmt::ns_to_clock_t;
    let up = crate::time::monotonic_ns();
    let idle_ns = s.tasks.get(&super::process::IDLE_PID).map_or(0, |t| t.cpu_ns(s.current == t.pid));
    let cpu = CpuTimes { user: ticks(up.saturating_sub(idle_ns)), idle: ticks(idle_ns), ..Default::default() };
    let mut irqs = alloc::vec![0u64; 256];
    irqs[..16].copy_from_slice(&kstat::irq_counts());
    let running = s.runnable();
    drop(s);
    let boot_secs = (crate::time::realtime_ns().saturating_sub(up)) / 1_000_000_000;
    let k = KernelStat {
        total: cpu,
        cpus: &[cpu],
        intr_total: irqs.iter().sum(),
        irqs: &irqs,
        ctxt: kstat::context_switches(),
        btime: boot_secs,
        processes: kstat::forks(),
        procs_running: running,
        procs_blocked: 0,
        softirqs: [0; procfmt::NR_SOFTIRQS],
    };
    procfmt::kernel_stat(&k)
}

/// A string of CPUID registers' bytes, NULs dropped and trimmed.
fn cpuid_text(words: &[u32]) -> String {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).filter(|&b| b != 0).collect();
    String::from(core::str::from_utf8(&bytes).unwrap_or("").trim())
}

/// The largest cache's size in KB from CPUID leaf 4 (Intel's
/// deterministic cache parameters), or leaf 0x80000006's L2.
fn cache_kb(max_leaf: u32, max_ext: u32) -> u32 {
    if max_leaf >= 4 {
        let mut best = 0;
        for sub in 0..8 {
            let [a, b, c, _] = cpuid(4, sub);
            if a & 0x1f == 0 {
                break;
            }
            let size = ((b >> 22) + 1) * ((b >> 12 & 0x3ff) + 1) * ((b & 0xfff) + 1) * (c + 1);
            best = best.max(size / 1024);
        }
        return best;
    }
    if max_ext >= 0x8000_0006 { cpuid(0x8000_0006, 0)[2] >> 16 } else { 0 }
}

fn cpuinfo() -> String {
    let [max_leaf, vb, vc, vd] = cpuid(0, 0);
    let vendor = cpuid_text(&[vb, vd, vc]);
    let [sig, misc, ecx, edx] = cpuid(1, 0);
    let max_ext = cpuid(0x8000_0000, 0)[0];
    let base_family = sig >> 8 & 0xf;
    let family = if base_family == 0xf { base_family + (sig >> 20 & 0xff) } else { base_family };
    let mut model = sig >> 4 & 0xf;
    if family >= 6 {
        model |= (sig >> 16 & 0xf) << 4;
    }
    let name = if max_ext >= 0x8000_0004 {
        let w: Vec<u32> = (0x8000_0002..=0x8000_0004).flat_map(|l| cpuid(l, 0)).collect();
        cpuid_text(&w)
    } else {
        String::new()
    };
    let (phys_bits, virt_bits) = if max_ext >= 0x8000_0008 {
        let a = cpuid(0x8000_0008, 0)[0];
        (a & 0xff, a >> 8 & 0xff)
    } else if edx & (1 << 6 | 1 << 17) != 0 {
        (36, 32)
    } else {
        (32, 32)
    };
    let mut flags: Vec<&str> = procfmt::cpuid_flag_names(edx, &procfmt::CPUID1_EDX_FLAGS).collect();
    flags.push("cpuid");
    flags.extend(procfmt::cpuid_flag_names(ecx, &procfmt::CPUID1_ECX_FLAGS));
    let khz = crate::time::tsc_khz() as u32;
    let clflush = (misc >> 8 & 0xff) * 8;
    let apicid = misc >> 24;
    let cpu = CpuInfo {
        processor: 0,
        vendor_id: &vendor,
        family,
        model,
        model_name: &name,
        stepping: Some(sig & 0xf),
        microcode: crate::arch::x86::cpu::microcode_revision(),
        khz: (edx & 1 << 4 != 0).then_some(khz),
        cache_size_kb: cache_kb(max_leaf, max_ext),
        physical_id: 0,
        siblings: 1,
        core_id: 0,
        cpu_cores: 1,
        apicid,
        initial_apicid: apicid,
        fdiv_bug: false,
        f00f_bug: false,
        coma_bug: false,
        fpu: edx & 1 != 0,
        cpuid_level: max_leaf as i32,
        flags: &flags,
        bugs: &[],
        bogomips_centi: khz / 5,
        clflush_size: clflush,
        cache_alignment: clflush,
        phys_bits,
        virt_bits,
        power_management: &[],
    };
    procfmt::cpuinfo(&[cpu])
}

/// /proc/mounts (and /proc/<pid>/mounts): the mount table.
pub fn mounts() -> String {
    let list = crate::fs::root::mount_list();
    let names: Vec<(MountFlags, bool)> = list.iter().map(|(m, _)| mount_flags(m.flags)).collect();
    let entries: Vec<MountEntry> = list
        .iter()
        .zip(&names)
        .map(|((m, path), &(flags, read_only))| MountEntry {
            device: &m.source,
            mount_point: path,
            fs_type: m.kind.name(),
            read_only,
            flags,
            fs_options: &[],
        })
        .collect();
    let mut out = String::new();
    // Each line with the mount's own options (mode=...), which borrow
    // from the table: formatted one by one.
    for (e, (m, _)) in entries.iter().zip(&list) {
        let opts: Vec<&str> = m.options.iter().map(String::as_str).collect();
        out.push_str(&procfmt::mounts(&[MountEntry { fs_options: &opts, ..*e }]));
    }
    out
}

/// mount(2)'s MS_* flags as /proc/mounts names them, and read-only.
fn mount_flags(ms: u32) -> (MountFlags, bool) {
    let mut f = MountFlags::empty();
    for (bit, flag) in [
        (mounts::MS_SYNCHRONOUS, MountFlags::SYNC),
        (mounts::MS_DIRSYNC, MountFlags::DIRSYNC),
        (mounts::MS_LAZYTIME, MountFlags::LAZYTIME),
        (mounts::MS_NOSUID, MountFlags::NOSUID),
        (mounts::MS_NODEV, MountFlags::NODEV),
        (mounts::MS_NOEXEC, MountFlags::NOEXEC),
        (mounts::MS_NOATIME, MountFlags::NOATIME),
        (mounts::MS_NODIRATIME, MountFlags::NODIRATIME),
        (mounts::MS_RELATIME, MountFlags::RELATIME),
    ] {
        if ms & bit != 0 {
            f |= flag;
        }
    }
    (f, ms & mounts::MS_RDONLY != 0)
}

/// The fixed files: (path below /proc, contents).
pub fn fixed_files() -> Vec<(&'static str, String)> {
    let types = [
        procfmt::FilesystemType { name: FsKind::Rootfs.name(), requires_dev: false },
        procfmt::FilesystemType { name: FsKind::Tmpfs.name(), requires_dev: false },
        procfmt::FilesystemType { name: FsKind::Devtmpfs.name(), requires_dev: false },
        procfmt::FilesystemType { name: FsKind::Proc.name(), requires_dev: false },
    ];
    let version = alloc::format!(
        "memguard version {} (memguard@memguard) (rustc) #1 memguard teaching kernel\n",
        env!("CARGO_PKG_VERSION")
    );
    alloc::vec![
        ("filesystems", procfmt::filesystems(&types)),
        ("version", version),
        ("sys/kernel/pid_max", alloc::format!("{}\n", super::sched::PID_MAX)),
        ("sys/kernel/threads-max", alloc::format!("{}\n", super::lifecycle::threads_max())),
        ("sys/kernel/ostype", String::from("memguard\n")),
        ("sys/kernel/osrelease", alloc::format!("{}\n", env!("CARGO_PKG_VERSION"))),
        // Heuristic overcommit (mode 0), as mmap and brk decide.
        ("sys/vm/overcommit_memory", String::from("0\n")),
    ]
}

//! uname, sysinfo, time, gettimeofday, clock_gettime, reboot.

use super::abi::*;
use super::timespec::{self, TimeAbi};
use super::uaccess::{self, Plain};
use crate::task::sched::{SCHED, with_process};
use crate::time::{monotonic_ns, realtime_ns};
use memguard_abi::linux;

fn out<T: Plain>(addr: u32, v: &T) -> Result<(), Errno> {
    with_process(|p| uaccess::write(&mut p.mem, addr, v))
}

/// A C string into a fixed `char` array, NUL-padded (and cut to fit).
fn set_field(field: &mut [core::ffi::c_char], text: &str) {
    let room = field.len() - 1;
    for (d, &b) in field.iter_mut().zip(text.as_bytes().iter().take(room)) {
        *d = b as core::ffi::c_char;
    }
}

/// uname(buf): struct new_utsname.
pub fn uname(buf: u32) -> SysResult {
    let mut u = linux::new_utsname::zeroed();
    set_field(&mut u.sysname, "memguard");
    set_field(&mut u.nodename, "memguard");
    set_field(&mut u.release, env!("CARGO_PKG_VERSION"));
    set_field(&mut u.version, "#1 memguard teaching kernel");
    set_field(&mut u.machine, "i686");
    set_field(&mut u.domainname, "(none)");
    out(buf, &u).map(|_| 0)
}

/// sysinfo(buf), in bytes (mem_unit 1) since all RAM here is below 4 GiB.
pub fn sysinfo(buf: u32) -> SysResult {
    let f = crate::mm::phys::stats();
    // totalhigh and freehigh: memory above the direct map.
    let (th, fh) = crate::mm::phys::high_memory();
    let mut si = linux::sysinfo::zeroed();
    si.uptime = (monotonic_ns() / 1_000_000_000) as i32;
    si.totalram = f.total.saturating_mul(4096);
    si.freeram = f.free.saturating_mul(4096);
    si.procs = crate::task::lifecycle::task_count().min(u32::from(u16::MAX)) as u16;
    let (swap_total, swap_free) = crate::mm::swap::area::totals();
    si.totalswap = swap_total.saturating_mul(4096);
    si.freeswap = swap_free.saturating_mul(4096);
    si.totalhigh = th.saturating_mul(4096);
    si.freehigh = fh.saturating_mul(4096);
    si.mem_unit = 1;
    out(buf, &si).map(|_| 0)
}

pub fn time(t: u32) -> SysResult {
    let now = (realtime_ns() / 1_000_000_000) as u32;
    if t != 0 {
        out(t, &now)?;
    }
    Ok(now)
}

pub fn gettimeofday(tv: u32, tz: u32) -> SysResult {
    if tv != 0 {
        out(tv, &timespec::timeval(realtime_ns()))?;
    }
    if tz != 0 {
        out(tz, &linux::timezone::zeroed())?;
    }
    Ok(0)
}

/// A clock's reading in nanoseconds. Clock ids are Linux's: 0–11 except
/// 10, and negative ids for the CPU-time clock of a process or thread
/// (`~pid << 3 | type`, with pid 0 meaning the caller).
pub fn clock_ns(clock: i32) -> Result<u64, Errno> {
    Ok(match clock {
        0 | 5 | 8 | 11 => realtime_ns(),     // REALTIME, _COARSE, _ALARM, TAI
        1 | 4 | 6 | 7 | 9 => monotonic_ns(), // MONOTONIC, _RAW, _COARSE, BOOTTIME, _ALARM
        2 | 3 => cpu_ns(0)?,                 // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID
        c if c < 0 && c & 3 != 3 => cpu_ns(!(c >> 3) as u32)?,
        _ => return Err(Errno::EINVAL),
    })
}

/// CPU time a task has used (its threads are itself); pid 0 is the caller.
fn cpu_ns(pid: u32) -> Result<u64, Errno> {
    let mut s = SCHED.lock();
    let me = s.current;
    let pid = if pid == 0 { me } else { pid };
    let t = s.tasks.get_mut(&pid).filter(|t| t.pid != 0).ok_or(Errno::EINVAL)?;
    Ok(t.cpu_ns(pid == me))
}

/// clock_gettime and clock_gettime64.
pub fn clock_gettime(clock: u32, ts: u32, abi: TimeAbi) -> SysResult {
    let ns = clock_ns(clock as i32)?;
    with_process(|p| timespec::write(&mut p.mem, ts, ns, abi)).map(|_| 0)
}

/// clock_getres: 1 ns for the fine clocks, one timer tick for the coarse
/// ones. A NULL result pointer only validates the clock.
pub fn clock_getres(clock: u32, res: u32, abi: TimeAbi) -> SysResult {
    clock_ns(clock as i32)?;
    let ns = if matches!(clock, 5 | 6) { crate::arch::x86::pit::tick_ns() } else { 1 };
    if res != 0 {
        with_process(|p| timespec::write(&mut p.mem, res, ns, abi))?;
    }
    Ok(0)
}

/// reboot(magic1, magic2, cmd): power-off and halt end the run cleanly;
/// restart does too (QEMU runs with -no-reboot).
pub fn reboot(magic1: u32, magic2: u32, cmd: u32) -> SysResult {
    if magic1 != LINUX_REBOOT_MAGIC1 || !LINUX_REBOOT_MAGIC2.contains(&magic2) {
        return Err(Errno::EINVAL);
    }
    match cmd {
        LINUX_REBOOT_CMD_POWER_OFF | LINUX_REBOOT_CMD_HALT | LINUX_REBOOT_CMD_RESTART => {
            crate::kprintln!(
                "reboot: {}",
                if cmd == LINUX_REBOOT_CMD_RESTART { "restart requested; powering off" } else { "power off" }
            );
            crate::arch::x86::qemu::exit(crate::arch::x86::qemu::ExitCode::Success)
        }
        LINUX_REBOOT_CMD_CAD_ON | LINUX_REBOOT_CMD_CAD_OFF => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

/// Clock ticks (USER_HZ, 100 a second), as times() and rusage count.
const NS_PER_TICK: u64 = 10_000_000;

/// times(buf): CPU times of the caller and its reaped children in ticks;
/// returns ticks since boot.
pub fn times(buf: u32) -> SysResult {
    if buf != 0 {
        let (own, children) = cpu_and_children();
        let t = linux::tms {
            tms_utime: (own / NS_PER_TICK) as i32,
            tms_cutime: (children / NS_PER_TICK) as i32,
            ..Default::default()
        };
        out(buf, &t)?;
    }
    Ok((monotonic_ns() / NS_PER_TICK) as u32)
}

fn cpu_and_children() -> (u64, u64) {
    let mut s = SCHED.lock();
    let t = s.current_task();
    (t.cpu_ns(true), t.children_cpu_ns)
}

/// getrusage(who, buf): RUSAGE_SELF (0), RUSAGE_THREAD (1), RUSAGE_CHILDREN
/// (-1); user time, maximum resident size and page faults: major ones
/// read a page back from swap, the rest are minor. 72 bytes.
pub fn getrusage(who: i32, buf: u32) -> SysResult {
    let (own, children) = cpu_and_children();
    let (ns, rss_kib, faults, major) = match who {
        0 | 1 => {
            let st = with_process(|p| p.mem.stats_now());
            (own, st.resident_pages * 4, st.page_faults - st.major_faults.min(st.page_faults), st.major_faults)
        }
        -1 => (children, 0, 0, 0),
        _ => return Err(Errno::EINVAL),
    };
    let mut ru = linux::rusage::zeroed();
    let tv = timespec::timeval(ns);
    (ru.ru_utime.tv_sec, ru.ru_utime.tv_usec) = (tv.tv_sec, tv.tv_usec);
    ru.ru_maxrss = rss_kib as i32;
    ru.ru_minflt = faults as i32;
    ru.ru_majflt = major as i32;
    out(buf, &ru).map(|_| 0)
}

/// getrandom(buf, len, flags): xorshift bytes seeded from the TSC — fine
/// for a teaching kernel, not for cryptography. EINVAL for unknown flags.
pub fn getrandom(buf: u32, len: u32, flags: u32) -> SysResult {
    const KNOWN: u32 = 1 | 2 | 4; // GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE
    if flags & !KNOWN != 0 || flags & 6 == 6 {
        return Err(Errno::EINVAL);
    }
    let len = len.min(0x01FF_FFFF);
    let mut x = crate::arch::x86::instructions::rdtsc() | 1;
    let mut done = 0u32;
    let mut chunk = [0u8; 256];
    while done < len {
        let n = (len - done).min(256) as usize;
        for b in chunk[..n].iter_mut() {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            *b = (x >> 24) as u8;
        }
        with_process(|p| uaccess::copy_out(&mut p.mem, buf + done, &chunk[..n]))?;
        done += n as u32;
    }
    Ok(len)
}

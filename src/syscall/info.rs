//! uname, sysinfo, time, gettimeofday, clock_gettime, reboot.

use super::abi::*;
use super::uaccess::copy_out;
use crate::task::sched::{SCHED, with_process};
use crate::time::{monotonic_ns, realtime_ns};

fn out(addr: u32, bytes: &[u8]) -> Result<(), Errno> {
    with_process(|p| copy_out(&mut p.mem, addr, bytes))
}

/// struct new_utsname: six 65-byte fields.
pub fn uname(buf: u32) -> SysResult {
    let fields = ["memguard", "memguard", env!("CARGO_PKG_VERSION"), "#1 memguard teaching kernel", "i686", "(none)"];
    let mut u = [0u8; 6 * 65];
    for (i, f) in fields.iter().enumerate() {
        u[i * 65..i * 65 + f.len()].copy_from_slice(f.as_bytes());
    }
    out(buf, &u).map(|_| 0)
}

/// struct sysinfo (i386, 64 bytes), in bytes (mem_unit 1) since all RAM
/// here is below 4 GiB.
pub fn sysinfo(buf: u32) -> SysResult {
    let f = crate::mm::phys::stats();
    let procs = crate::task::lifecycle::task_count();
    let words: [u32; 10] = [
        (monotonic_ns() / 1_000_000_000) as u32,
        0,
        0,
        0,
        f.total.saturating_mul(4096),
        f.free.saturating_mul(4096),
        0,
        0,
        0,
        0,
    ];
    let mut s = [0u8; 64];
    for (i, w) in words.iter().enumerate() {
        s[i * 4..i * 4 + 4].copy_from_slice(&w.to_le_bytes());
    }
    s[40..42].copy_from_slice(&(procs.min(u32::from(u16::MAX)) as u16).to_le_bytes());
    // totalhigh and freehigh: memory above the direct map.
    let (th, fh) = crate::mm::phys::high_memory();
    s[44..48].copy_from_slice(&th.saturating_mul(4096).to_le_bytes());
    s[48..52].copy_from_slice(&fh.saturating_mul(4096).to_le_bytes());
    s[52..56].copy_from_slice(&1u32.to_le_bytes());
    out(buf, &s).map(|_| 0)
}

pub fn time(t: u32) -> SysResult {
    let now = (realtime_ns() / 1_000_000_000) as u32;
    if t != 0 {
        out(t, &now.to_le_bytes())?;
    }
    Ok(now)
}

pub fn gettimeofday(tv: u32, tz: u32) -> SysResult {
    let ns = realtime_ns();
    if tv != 0 {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&((ns / 1_000_000_000) as u32).to_le_bytes());
        b[4..].copy_from_slice(&(((ns % 1_000_000_000) / 1000) as u32).to_le_bytes());
        out(tv, &b)?;
    }
    if tz != 0 {
        out(tz, &[0u8; 8])?;
    }
    Ok(0)
}

/// A clock's reading in nanoseconds. Clock ids are Linux's: 0–11 except
/// 10, and negative ids for the CPU-time clock of a process or thread
/// (`~pid << 3 | type`, with pid 0 meaning the caller).
pub fn clock_ns(clock: i32) -> Result<u64, Errno> {
    Ok(match clock {
        0 | 5 | 8 | 11 => realtime_ns(),    // REALTIME, _COARSE, _ALARM, TAI
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
    let running = if pid == me { monotonic_ns().saturating_sub(t.ran_since_ns) } else { 0 };
    Ok(t.cpu_ns + running)
}

/// A timespec: 32-bit (sec, nsec) or, for the *64 calls, 64-bit.
fn timespec_bytes(ns: u64, wide: bool) -> alloc::vec::Vec<u8> {
    let (sec, nsec) = (ns / 1_000_000_000, ns % 1_000_000_000);
    if wide {
        [sec.to_le_bytes(), nsec.to_le_bytes()].concat()
    } else {
        [(sec as u32).to_le_bytes(), (nsec as u32).to_le_bytes()].concat()
    }
}

/// clock_gettime and clock_gettime64.
pub fn clock_gettime(clock: u32, ts: u32, wide: bool) -> SysResult {
    let ns = clock_ns(clock as i32)?;
    out(ts, &timespec_bytes(ns, wide)).map(|_| 0)
}

/// clock_getres: 1 ns for the fine clocks, one timer tick for the coarse
/// ones. A NULL result pointer only validates the clock.
pub fn clock_getres(clock: u32, res: u32, wide: bool) -> SysResult {
    clock_ns(clock as i32)?;
    let ns = if matches!(clock, 5 | 6) { crate::arch::x86::pit::tick_ns() } else { 1 };
    if res != 0 {
        out(res, &timespec_bytes(ns, wide))?;
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
            crate::kprintln!("reboot: {}", if cmd == LINUX_REBOOT_CMD_RESTART { "restart requested; powering off" } else { "power off" });
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
        let words = [(own / NS_PER_TICK) as u32, 0, (children / NS_PER_TICK) as u32, 0];
        out(buf, &words.iter().flat_map(|w| w.to_le_bytes()).collect::<alloc::vec::Vec<u8>>())?;
    }
    Ok((monotonic_ns() / NS_PER_TICK) as u32)
}

fn cpu_and_children() -> (u64, u64) {
    let mut s = SCHED.lock();
    let t = s.current_task();
    (t.cpu_ns + monotonic_ns().saturating_sub(t.ran_since_ns), t.children_cpu_ns)
}

/// getrusage(who, buf): RUSAGE_SELF (0), RUSAGE_THREAD (1), RUSAGE_CHILDREN
/// (-1); user time, maximum resident size and page faults (minor: nothing
/// here ever waits for a disk). 72 bytes.
pub fn getrusage(who: i32, buf: u32) -> SysResult {
    let (own, children) = cpu_and_children();
    let (ns, rss_kib, faults) = match who {
        0 | 1 => {
            let st = with_process(|p| p.mem.stats_now());
            (own, st.resident_pages * 4, st.page_faults)
        }
        -1 => (children, 0, 0),
        _ => return Err(Errno::EINVAL),
    };
    let mut words = [0u32; 18];
    words[0] = (ns / 1_000_000_000) as u32;
    words[1] = ((ns % 1_000_000_000) / 1000) as u32;
    words[4] = rss_kib; // ru_maxrss
    words[8] = faults; // ru_minflt
    out(buf, &words.iter().flat_map(|w| w.to_le_bytes()).collect::<alloc::vec::Vec<u8>>()).map(|_| 0)
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
        out(buf + done, &chunk[..n])?;
        done += n as u32;
    }
    Ok(len)
}

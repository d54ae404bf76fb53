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

/// clock_gettime and clock_gettime64 (64-bit seconds and nanoseconds).
pub fn clock_gettime(clock: u32, ts: u32, wide: bool) -> SysResult {
    let ns = match clock {
        0 | 5 | 8 | 11 => realtime_ns(),    // REALTIME, _COARSE, _ALARM, TAI
        1 | 4 | 6 | 7 | 9 => monotonic_ns(), // MONOTONIC, _RAW, _COARSE, BOOTTIME, _ALARM
        2 | 3 => {
            // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID
            let mut s = SCHED.lock();
            let t = s.current_task();
            t.cpu_ns + monotonic_ns().saturating_sub(t.ran_since_ns)
        }
        _ => return Err(Errno::EINVAL),
    };
    let (sec, nsec) = (ns / 1_000_000_000, ns % 1_000_000_000);
    if wide {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&sec.to_le_bytes());
        b[8..].copy_from_slice(&nsec.to_le_bytes());
        out(ts, &b)?;
    } else {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&(sec as u32).to_le_bytes());
        b[4..].copy_from_slice(&(nsec as u32).to_le_bytes());
        out(ts, &b)?;
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
            crate::qemu::exit(crate::qemu::ExitCode::Success)
        }
        LINUX_REBOOT_CMD_CAD_ON | LINUX_REBOOT_CMD_CAD_OFF => Ok(0),
        _ => Err(Errno::EINVAL),
    }
}

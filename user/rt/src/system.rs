//! Whole-system calls: uname, sysinfo, reboot. The structures are Linux's
//! own (`memguard_abi::linux`), as the kernel fills them in.
use core::ffi::c_char;

use memguard_abi::linux;

use crate::arch::nr;
use crate::arch::syscall::{syscall1, syscall4};
use crate::errno::{Errno, check};

/// `struct new_utsname`: six NUL-terminated 65-byte fields (uname).
pub type Utsname = linux::new_utsname;

/// One utsname field up to its NUL, or "?" if it is not UTF-8.
pub fn field(f: &[c_char; 65]) -> &str {
    // SAFETY: c_char and u8 have the same size and alignment, and the
    // slice borrows `f` for its lifetime.
    let bytes = unsafe { &*(f as *const [c_char; 65] as *const [u8; 65]) };
    let len = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    core::str::from_utf8(&bytes[..len]).unwrap_or("?")
}

pub fn uname() -> Result<Utsname, Errno> {
    let mut u = Utsname {
        sysname: [0; 65],
        nodename: [0; 65],
        release: [0; 65],
        version: [0; 65],
        machine: [0; 65],
        domainname: [0; 65],
    };
    // SAFETY: `u` is a valid, writable utsname.
    check(unsafe { syscall1(nr::UNAME, &mut u as *mut Utsname as usize) })?;
    Ok(u)
}

/// `struct sysinfo` (64 bytes on i386): memory sizes are in `mem_unit` bytes.
pub type Sysinfo = linux::sysinfo;

fn unit(s: &Sysinfo) -> u64 {
    s.mem_unit.max(1) as u64
}

/// Total usable RAM in bytes.
pub fn total_bytes(s: &Sysinfo) -> u64 {
    s.totalram as u64 * unit(s)
}

/// Free RAM in bytes.
pub fn free_bytes(s: &Sysinfo) -> u64 {
    s.freeram as u64 * unit(s)
}

pub fn sysinfo() -> Result<Sysinfo, Errno> {
    let mut s = Sysinfo {
        uptime: 0,
        loads: [0; 3],
        totalram: 0,
        freeram: 0,
        sharedram: 0,
        bufferram: 0,
        totalswap: 0,
        freeswap: 0,
        procs: 0,
        pad: 0,
        totalhigh: 0,
        freehigh: 0,
        mem_unit: 0,
        _f: [0; 8],
    };
    // SAFETY: `s` is a valid, writable sysinfo.
    check(unsafe { syscall1(nr::SYSINFO, &mut s as *mut Sysinfo as usize) })?;
    Ok(s)
}

/// reboot's `cmd` argument (LINUX_REBOOT_CMD_*).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum RebootCmd {
    Restart = linux::LINUX_REBOOT_CMD_RESTART,
    Halt = linux::LINUX_REBOOT_CMD_HALT,
    PowerOff = linux::LINUX_REBOOT_CMD_POWER_OFF,
}

/// Restarts, halts or powers off the machine. Returns only on failure.
/// On success every process stops at once: callers that may run on a host
/// Linux as root must check which kernel they are on first.
pub fn reboot(cmd: RebootCmd) -> Errno {
    let (magic1, magic2) = (linux::LINUX_REBOOT_MAGIC1 as usize, linux::LINUX_REBOOT_MAGIC2 as usize);
    // SAFETY: no pointer arguments.
    let r = unsafe { syscall4(nr::REBOOT, magic1, magic2, cmd as usize, 0) };
    check(r).err().unwrap_or(Errno::EINVAL)
}

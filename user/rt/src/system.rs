//! Whole-system calls: uname, sysinfo, reboot.
use crate::arch::nr;
use crate::arch::syscall::{syscall1, syscall4};
use crate::errno::{Errno, check};

/// `struct new_utsname`: six NUL-terminated 65-byte fields (call 122).
#[repr(C)]
pub struct Utsname {
    pub sysname: [u8; 65],
    pub nodename: [u8; 65],
    pub release: [u8; 65],
    pub version: [u8; 65],
    pub machine: [u8; 65],
    pub domainname: [u8; 65],
}

const _: () = assert!(core::mem::size_of::<Utsname>() == 390);

/// One utsname field up to its NUL, or "?" if it is not UTF-8.
pub fn field(f: &[u8; 65]) -> &str {
    let len = f.iter().position(|&b| b == 0).unwrap_or(f.len());
    core::str::from_utf8(&f[..len]).unwrap_or("?")
}

pub fn uname() -> Result<Utsname, Errno> {
    let mut u = Utsname {
        sysname: [0; 65], nodename: [0; 65], release: [0; 65],
        version: [0; 65], machine: [0; 65], domainname: [0; 65],
    };
    // SAFETY: `u` is a valid, writable utsname.
    check(unsafe { syscall1(nr::UNAME, &mut u as *mut Utsname as usize) })?;
    Ok(u)
}

/// `struct sysinfo` for i386 (64 bytes): memory sizes are in `mem_unit` bytes.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug)]
pub struct Sysinfo {
    pub uptime: i32,
    pub loads: [u32; 3],
    pub totalram: u32,
    pub freeram: u32,
    pub sharedram: u32,
    pub bufferram: u32,
    pub totalswap: u32,
    pub freeswap: u32,
    pub procs: u16,
    pub pad: u16,
    pub totalhigh: u32,
    pub freehigh: u32,
    pub mem_unit: u32,
    pub reserved: [u8; 8],
}

const _: () = assert!(core::mem::size_of::<Sysinfo>() == 64);

impl Sysinfo {
    fn unit(&self) -> u64 {
        self.mem_unit.max(1) as u64
    }

    pub fn total_bytes(&self) -> u64 {
        self.totalram as u64 * self.unit()
    }

    pub fn free_bytes(&self) -> u64 {
        self.freeram as u64 * self.unit()
    }
}

pub fn sysinfo() -> Result<Sysinfo, Errno> {
    let mut s = Sysinfo::default();
    // SAFETY: `s` is a valid, writable sysinfo.
    check(unsafe { syscall1(nr::SYSINFO, &mut s as *mut Sysinfo as usize) })?;
    Ok(s)
}

/// reboot's `cmd` argument (LINUX_REBOOT_CMD_*).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum RebootCmd {
    Restart = 0x0123_4567,
    Halt = 0xCDEF_0123,
    PowerOff = 0x4321_FEDC,
}

const REBOOT_MAGIC1: usize = 0xfee1_dead;
const REBOOT_MAGIC2: usize = 672_274_793;

/// Restarts, halts or powers off the machine. Returns only on failure.
/// On success every process stops at once: callers that may run on a host
/// Linux as root must check which kernel they are on first.
pub fn reboot(cmd: RebootCmd) -> Errno {
    // SAFETY: no pointer arguments.
    let r = unsafe { syscall4(nr::REBOOT, REBOOT_MAGIC1, REBOOT_MAGIC2, cmd as usize, 0) };
    check(r).err().unwrap_or(Errno::EINVAL)
}

//! Helpers for the demo programs: each prints what it tries and what
//! happened, and exits 0 only if the kernel behaved as expected.
use alloc::ffi::CString;
use alloc::vec::Vec;

use rt::mg::{self, StatsOf};
use rt::system::{self, sysinfo};

/// The demo's exit status: 0 when every check held.
pub fn verdict(ok: bool) -> i32 {
    if ok {
        rt::println!("result: as expected");
        0
    } else {
        rt::println!("result: UNEXPECTED");
        1
    }
}

/// Prints why a memguard-only demo has nothing to show here; exit status 0.
pub fn not_on_memguard(what: &str) -> i32 {
    rt::println!("{what}: needs memguard's mg_* system calls; not available on this kernel (ENOSYS)");
    0
}

/// Free memory in bytes and where the figure comes from: memguard's exact
/// free-frame count when available, else sysinfo's (which on Linux moves
/// with everything else running).
pub fn free_bytes() -> (u64, &'static str) {
    match mg::mg_stats(StatsOf::System) {
        Ok(s) => (s.free_frames as u64 * 4096, "mg_stats"),
        Err(_) => (sysinfo().map_or(0, |s| system::free_bytes(&s)), "sysinfo"),
    }
}

/// The path of program `name`: `$BINDIR/name`, BINDIR defaulting to /bin
/// (the same rule as `sh` and `init`).
pub fn program_path(args: &rt::Args, name: &str) -> CString {
    let mut path: Vec<u8> = args.env_var("BINDIR").unwrap_or(b"/bin").to_vec();
    path.push(b'/');
    path.extend_from_slice(name.as_bytes());
    CString::new(path).unwrap_or_default()
}

/// Where an address maps, as `mg_translate` reports it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Frame {
    Mapped(u32),
    NotMapped,
    /// No answer: not memguard, or no such process.
    Unknown,
}

impl Frame {
    pub fn is_mapped(self) -> bool {
        matches!(self, Frame::Mapped(_))
    }

    /// True when both are mapped to the same frame.
    pub fn same_as(self, other: Frame) -> bool {
        self.is_mapped() && self == other
    }
}

impl core::fmt::Display for Frame {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Frame::Mapped(frame) => write!(f, "frame {frame:#010x}"),
            Frame::NotMapped => f.write_str("not mapped"),
            Frame::Unknown => f.write_str("frame unknown"),
        }
    }
}

/// The frame `vaddr` maps to in process `pid` (0 = me).
pub fn frame_of(pid: rt::process::Pid, vaddr: usize) -> Frame {
    match mg::mg_translate(pid, vaddr) {
        Ok(t) => t.frame().map_or(Frame::NotMapped, Frame::Mapped),
        Err(_) => Frame::Unknown,
    }
}

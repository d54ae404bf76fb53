//! Decoding the status word `waitpid`/`wait4` store (Linux/glibc encoding):
//!
//! ```text
//!   exited:    (code << 8) | 0          WIFEXITED,   WEXITSTATUS
//!   signaled:  signal | 0x80 if core    WIFSIGNALED, WTERMSIG
//!   stopped:   (signal << 8) | 0x7f     WIFSTOPPED
//!   continued: 0xffff
//! ```
use core::fmt;

use crate::signal::Signal;

/// `waitpid` option: return 0 instead of blocking when no child has ended.
pub const WNOHANG: u32 = 1;

pub fn wifexited(status: i32) -> bool {
    status & 0x7f == 0
}

pub fn wexitstatus(status: i32) -> i32 {
    (status >> 8) & 0xff
}

pub fn wifsignaled(status: i32) -> bool {
    let low = status & 0x7f;
    low != 0 && low != 0x7f
}

pub fn wtermsig(status: i32) -> i32 {
    status & 0x7f
}

pub fn wifstopped(status: i32) -> bool {
    status & 0xff == 0x7f
}

/// How a child ended (or changed state), decoded from its status word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExitStatus {
    Exited(u8),
    Signaled(Signal),
    Stopped(Signal),
    /// A word no rule above matches (including SIGCONT's 0xffff).
    Other(i32),
}

impl ExitStatus {
    pub fn from_raw(status: i32) -> ExitStatus {
        let sig = |n: i32| Signal::from_number(n as u32);
        if wifexited(status) {
            ExitStatus::Exited(wexitstatus(status) as u8)
        } else if let (true, Some(s)) = (wifsignaled(status), sig(wtermsig(status))) {
            ExitStatus::Signaled(s)
        } else if let (true, Some(s)) = (wifstopped(status), sig((status >> 8) & 0xff)) {
            ExitStatus::Stopped(s)
        } else {
            ExitStatus::Other(status)
        }
    }

    pub fn success(self) -> bool {
        self == ExitStatus::Exited(0)
    }
}

/// Prints "exit 3", "killed by SIGSEGV", "stopped by SIGSTOP" or "status 0xffff".
impl fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExitStatus::Exited(code) => write!(f, "exit {code}"),
            ExitStatus::Signaled(sig) => write!(f, "killed by {sig}"),
            ExitStatus::Stopped(sig) => write!(f, "stopped by {sig}"),
            ExitStatus::Other(raw) => write!(f, "status {raw:#x}"),
        }
    }
}

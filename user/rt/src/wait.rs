//! Decoding the status word `waitpid`/`wait4` store, with the C macro names
//! (the encoding itself is described and decoded in `memguard_abi::wstatus`,
//! which the kernel uses to build it).
use core::fmt;

use memguard_abi::wstatus;

use crate::signal::Signal;

/// `waitpid` option: return 0 instead of blocking when no child has ended.
pub use memguard_abi::linux::WNOHANG;
/// `waitpid` option: report a child that stopped, too.
pub use memguard_abi::linux::WUNTRACED;

pub fn wifexited(status: i32) -> bool {
    wstatus::exit_code(status as u32).is_some()
}

pub fn wexitstatus(status: i32) -> i32 {
    (status >> 8) & 0xff
}

pub fn wifsignaled(status: i32) -> bool {
    wstatus::term_signal(status as u32).is_some()
}

pub fn wtermsig(status: i32) -> i32 {
    status & 0x7f
}

pub fn wifstopped(status: i32) -> bool {
    wstatus::stop_signal(status as u32).is_some()
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
        let word = status as u32;
        let sig = |n: u8| Signal::from_raw(n.into());
        if let Some(code) = wstatus::exit_code(word) {
            ExitStatus::Exited(code)
        } else if let Some(s) = wstatus::term_signal(word).and_then(sig) {
            ExitStatus::Signaled(s)
        } else if let Some(s) = wstatus::stop_signal(word).and_then(sig) {
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

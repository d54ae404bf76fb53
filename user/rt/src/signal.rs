//! Linux i386 signal numbers (arch/x86/include/uapi/asm/signal.h).
//!
//! A newtype like `Errno`: a child can die by a signal this table lacks.
use core::fmt;

/// A signal number, 1..=64.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signal(u8);

macro_rules! signals {
    ($($name:ident = $n:expr;)*) => {
        impl Signal {
            $(pub const $name: Signal = Signal($n);)*

            /// The C macro name ("SIGSEGV"), or `None` for an unlisted number.
            pub fn name(self) -> Option<&'static str> {
                match self.0 { $($n => Some(stringify!($name)),)* _ => None }
            }

            /// Parses "SIGKILL", "KILL" or "9" (the forms `kill` accepts).
            pub fn parse(s: &str) -> Option<Signal> {
                let bare = s.strip_prefix("SIG").unwrap_or(s);
                $(if bare == &stringify!($name)[3..] { return Some(Signal($n)); })*
                match s.parse::<u8>() {
                    Ok(n @ 1..=64) => Some(Signal(n)),
                    _ => None,
                }
            }
        }
    };
}

signals! {
    SIGHUP = 1; SIGINT = 2; SIGQUIT = 3; SIGILL = 4; SIGTRAP = 5; SIGABRT = 6;
    SIGBUS = 7; SIGFPE = 8; SIGKILL = 9; SIGUSR1 = 10; SIGSEGV = 11; SIGUSR2 = 12;
    SIGPIPE = 13; SIGALRM = 14; SIGTERM = 15; SIGSTKFLT = 16; SIGCHLD = 17;
    SIGCONT = 18; SIGSTOP = 19; SIGTSTP = 20; SIGTTIN = 21; SIGTTOU = 22;
    SIGURG = 23; SIGXCPU = 24; SIGXFSZ = 25; SIGVTALRM = 26; SIGPROF = 27;
    SIGWINCH = 28; SIGIO = 29; SIGPWR = 30; SIGSYS = 31;
}

impl Signal {
    /// A signal from its number; `None` outside 1..=64.
    pub fn from_number(n: u32) -> Option<Signal> {
        match n {
            1..=64 => Some(Signal(n as u8)),
            _ => None,
        }
    }

    pub fn number(self) -> u32 {
        self.0 as u32
    }
}

/// Prints "SIGSEGV"; an unlisted number prints as "signal 40".
impl fmt::Display for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "signal {}", self.0),
        }
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

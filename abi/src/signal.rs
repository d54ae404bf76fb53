//! Linux i386 signal numbers (arch/x86/include/uapi/asm/signal.h) and what
//! each does to a process that has no handler for it (signal(7)).
//!
//! `Signal` is a newtype like `Errno`: 1..=64 are all valid, and a process
//! can die by a real-time signal that has no name here.
use core::fmt;

use linux_raw_sys::general as linux;

/// A signal number, 1..=[`Signal::MAX`].
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Signal(u8);

/// What a signal does to a process that neither handles nor ignores it
/// (the "Action" column of signal(7)).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DefaultAction {
    /// The process ends, killed by the signal (Term).
    Terminate,
    /// The process ends and dumps core (Core): the wait status gets the
    /// 0x80 bit only if a core file was written.
    CoreDump,
    /// Nothing happens (Ign).
    Ignore,
    /// The process stops until SIGCONT (Stop).
    Stop,
    /// A stopped process runs again; otherwise nothing (Cont).
    Continue,
}

/// Declares the named signals with their default actions; each value comes
/// from Linux's headers (`linux_raw_sys::general`).
macro_rules! signals {
    ($($name:ident: $action:ident;)*) => {
        impl Signal {
            $(pub const $name: Signal = Signal(linux::$name as u8);)*

            /// The C macro name ("SIGSEGV"), or `None` for a real-time
            /// signal. Aliases give their main name (SIGABRT, not SIGIOT).
            pub const fn name(self) -> Option<&'static str> {
                match self.0 as u32 { $(linux::$name => Some(stringify!($name)),)* _ => None }
            }

            /// Parses "SIGKILL", "KILL" or "9" (the forms `kill` accepts).
            pub fn parse(s: &str) -> Option<Signal> {
                let bare = s.strip_prefix("SIG").unwrap_or(s);
                $(if bare == &stringify!($name)[3..] { return Some(Signal::$name); })*
                s.parse::<u32>().ok().and_then(Signal::from_raw)
            }

            /// What the signal does by default, without a handler.
            pub const fn default_action(self) -> DefaultAction {
                match self.0 as u32 {
                    $(linux::$name => DefaultAction::$action,)*
                    // Real-time signals terminate.
                    _ => DefaultAction::Terminate,
                }
            }

            /// Every named signal, in numeric order.
            pub const ALL: &'static [Signal] = &[$(Signal::$name),*];
        }
    };
}

signals! {
    SIGHUP: Terminate;
    SIGINT: Terminate;
    SIGQUIT: CoreDump;
    SIGILL: CoreDump;
    SIGTRAP: CoreDump;
    SIGABRT: CoreDump;
    SIGBUS: CoreDump;
    SIGFPE: CoreDump;
    SIGKILL: Terminate;
    SIGUSR1: Terminate;
    SIGSEGV: CoreDump;
    SIGUSR2: Terminate;
    SIGPIPE: Terminate;
    SIGALRM: Terminate;
    SIGTERM: Terminate;
    SIGSTKFLT: Terminate;
    SIGCHLD: Ignore;
    SIGCONT: Continue;
    SIGSTOP: Stop;
    SIGTSTP: Stop;
    SIGTTIN: Stop;
    SIGTTOU: Stop;
    SIGURG: Ignore;
    SIGXCPU: CoreDump;
    SIGXFSZ: CoreDump;
    SIGVTALRM: Terminate;
    SIGPROF: Terminate;
    SIGWINCH: Ignore;
    SIGIO: Terminate;
    SIGPWR: Terminate;
    SIGSYS: CoreDump;
}

impl Signal {
    /// Same number as SIGABRT.
    pub const SIGIOT: Signal = Signal(linux::SIGIOT as u8);
    /// Same number as SIGIO.
    pub const SIGPOLL: Signal = Signal(linux::SIGPOLL as u8);

    /// The highest signal number (`_NSIG`; real-time signals included).
    pub const MAX: u8 = linux::_NSIG as u8;
    /// The first real-time signal as the kernel numbers them (C libraries
    /// keep the first two or three for themselves).
    pub const RTMIN: u8 = linux::SIGRTMIN as u8;

    /// The signal with number `n`, if `n` is in 1..=[`Signal::MAX`]. (0 is
    /// not a signal: `kill(pid, 0)` only checks that `pid` exists.)
    pub const fn from_raw(n: u32) -> Option<Signal> {
        if n >= 1 && n <= Signal::MAX as u32 { Some(Signal(n as u8)) } else { None }
    }

    /// The number itself.
    pub const fn raw(self) -> u8 {
        self.0
    }

    /// Whether this is a real-time signal (queued, no name, terminates).
    pub const fn is_realtime(self) -> bool {
        self.0 >= Signal::RTMIN
    }

    /// Whether a process may handle, ignore or block the signal: all but
    /// SIGKILL and SIGSTOP (rt_sigaction on those is EINVAL).
    pub const fn can_be_handled(self) -> bool {
        self.0 != Signal::SIGKILL.0 && self.0 != Signal::SIGSTOP.0
    }

    /// The signal's bit in a `sigset_t` (bit n-1; the 64-bit set of the
    /// rt_sig* calls, whose low word is the old 32-bit set).
    pub const fn mask_bit(self) -> u64 {
        1 << (self.0 - 1)
    }
}

/// Prints "SIGSEGV"; a real-time signal prints as "signal 40".
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

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;

    use super::*;
    use DefaultAction::*;

    #[test]
    fn values_are_linux_i386() {
        let table = [
            (Signal::SIGHUP, 1),
            (Signal::SIGINT, 2),
            (Signal::SIGILL, 4),
            (Signal::SIGTRAP, 5),
            (Signal::SIGABRT, 6),
            (Signal::SIGBUS, 7),
            (Signal::SIGFPE, 8),
            (Signal::SIGKILL, 9),
            (Signal::SIGSEGV, 11),
            (Signal::SIGPIPE, 13),
            (Signal::SIGTERM, 15),
            (Signal::SIGCHLD, 17),
            (Signal::SIGCONT, 18),
            (Signal::SIGSTOP, 19),
            (Signal::SIGTSTP, 20),
            (Signal::SIGWINCH, 28),
            (Signal::SIGSYS, 31),
        ];
        for (s, n) in table {
            assert_eq!(s.raw(), n, "{s}");
        }
        assert_eq!((Signal::MAX, Signal::RTMIN), (64, 32));
        assert_eq!(Signal::SIGIOT, Signal::SIGABRT);
        assert_eq!(Signal::SIGPOLL, Signal::SIGIO);
        assert_eq!(Signal::ALL.len(), 31);
    }

    #[test]
    fn names_round_trip() {
        for &s in Signal::ALL {
            let name = s.name().unwrap();
            assert_eq!(Signal::parse(name), Some(s));
            assert_eq!(Signal::parse(&name[3..]), Some(s));
            assert_eq!(Signal::parse(&format!("{}", s.raw())), Some(s));
            assert_eq!(format!("{s}"), name);
            assert_eq!(format!("{s:?}"), name);
        }
        assert_eq!(Signal::parse("40").map(|s| format!("{s}")).as_deref(), Some("signal 40"));
        for bad in ["0", "65", "-9", "SIGFOO", "", "SIG"] {
            assert_eq!(Signal::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn range_is_1_to_64() {
        assert_eq!(Signal::from_raw(0), None);
        assert_eq!(Signal::from_raw(1), Some(Signal::SIGHUP));
        assert!(Signal::from_raw(64).unwrap().is_realtime());
        assert!(!Signal::SIGSYS.is_realtime());
        assert_eq!(Signal::from_raw(65), None);
        assert_eq!(Signal::SIGHUP.mask_bit(), 1);
        assert_eq!(Signal::from_raw(64).unwrap().mask_bit(), 1 << 63);
    }

    #[test]
    fn default_actions_follow_signal_7() {
        let table = [
            (Signal::SIGHUP, Terminate),
            (Signal::SIGKILL, Terminate),
            (Signal::SIGPIPE, Terminate),
            (Signal::SIGTERM, Terminate),
            (Signal::SIGQUIT, CoreDump),
            (Signal::SIGSEGV, CoreDump),
            (Signal::SIGBUS, CoreDump),
            (Signal::SIGSYS, CoreDump),
            (Signal::SIGCHLD, Ignore),
            (Signal::SIGURG, Ignore),
            (Signal::SIGWINCH, Ignore),
            (Signal::SIGSTOP, Stop),
            (Signal::SIGTSTP, Stop),
            (Signal::SIGTTOU, Stop),
            (Signal::SIGCONT, Continue),
            (Signal::from_raw(33).unwrap(), Terminate),
            (Signal::from_raw(64).unwrap(), Terminate),
        ];
        for (s, action) in table {
            assert_eq!(s.default_action(), action, "{s}");
        }
        let unhandleable: std::vec::Vec<_> = Signal::ALL.iter().filter(|s| !s.can_be_handled()).collect();
        assert_eq!(unhandleable, [&Signal::SIGKILL, &Signal::SIGSTOP]);
    }
}

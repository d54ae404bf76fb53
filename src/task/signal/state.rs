//! A task's signal state, as Linux keeps it: the handlers (shared by the
//! threads of a process), the blocked mask, and the queues of pending
//! signals with their `siginfo`. Pure: which signal is delivered next, what
//! a disposition means, what survives exec.

use alloc::vec::Vec;
use memguard_abi::linux::{
    SA_EXPOSE_TAGBITS, SA_NOCLDSTOP, SA_NOCLDWAIT, SA_NODEFER, SA_ONSTACK, SA_RESETHAND, SA_RESTART, SA_RESTORER,
    SA_SIGINFO,
};
use memguard_abi::{DefaultAction, SigInfo, SigSet, Signal};

/// `sa_handler` values that are not addresses.
pub const SIG_DFL: u32 = 0;
pub const SIG_IGN: u32 = 1;

/// The flags Linux keeps in a sigaction (it stores whatever the caller
/// passes, and reports it back; these are the ones it acts on).
pub const KNOWN_FLAGS: u32 = SA_NOCLDSTOP
    | SA_NOCLDWAIT
    | SA_SIGINFO
    | SA_ONSTACK
    | SA_RESTART
    | SA_NODEFER
    | SA_RESETHAND
    | SA_RESTORER
    | SA_EXPOSE_TAGBITS;

/// One signal's disposition (`struct sigaction`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Action {
    pub handler: u32,
    pub flags: u32,
    pub restorer: u32,
    pub mask: SigSet,
}

/// What a pending signal will do when it is taken.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Disposition {
    /// Run the user's handler.
    Handler,
    /// Nothing (SIG_IGN, or a default action of Ignore / Continue).
    Ignore,
    /// Stop the process (the default of the stop signals).
    Stop,
    /// End the process (Terminate or CoreDump).
    Kill,
}

impl Action {
    pub const DEFAULT: Action = Action { handler: SIG_DFL, flags: 0, restorer: 0, mask: SigSet::EMPTY };

    pub fn disposition(&self, sig: Signal) -> Disposition {
        match self.handler {
            SIG_IGN => Disposition::Ignore,
            SIG_DFL => match sig.default_action() {
                DefaultAction::Terminate | DefaultAction::CoreDump => Disposition::Kill,
                DefaultAction::Stop => Disposition::Stop,
                DefaultAction::Ignore | DefaultAction::Continue => Disposition::Ignore,
            },
            _ => Disposition::Handler,
        }
    }

    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag != 0
    }
}

/// The dispositions of all 64 signals. Shared between the threads of a
/// process (CLONE_SIGHAND); copied by fork.
#[derive(Clone)]
pub struct Handlers([Action; Signal::MAX as usize]);

impl Default for Handlers {
    fn default() -> Self {
        Handlers([Action::DEFAULT; Signal::MAX as usize])
    }
}

impl Handlers {
    pub fn get(&self, sig: Signal) -> Action {
        self.0[sig.raw() as usize - 1]
    }
    pub fn set(&mut self, sig: Signal, a: Action) {
        self.0[sig.raw() as usize - 1] = a;
    }
    /// What exec keeps: ignored signals stay ignored, handled ones return
    /// to their default (the handler's code is gone); flags are cleared.
    pub fn reset_for_exec(&mut self) {
        for a in self.0.iter_mut() {
            *a = if a.handler == SIG_IGN { Action { handler: SIG_IGN, ..Action::DEFAULT } } else { Action::DEFAULT };
        }
    }
    /// Whether `sig`, sent now, would be thrown away at once: ignored and
    /// not blocked (Linux's sig_ignored; a blocked one is queued, since the
    /// disposition may change before it is unblocked).
    pub fn discards(&self, sig: Signal, blocked: SigSet) -> bool {
        !blocked.contains(sig) && self.get(sig).disposition(sig) == Disposition::Ignore
    }
}

/// Signals pending for a task (or for its whole process): a bit per
/// signal, and the `siginfo` of each queued instance. A standard signal is
/// pending at most once (a second is merged); real-time signals queue.
#[derive(Default)]
pub struct Pending {
    set: SigSet,
    queue: Vec<SigInfo>,
}

/// The signals the CPU raises for the instruction itself, taken before any
/// other so that the handler sees the fault that just happened (Linux's
/// SYNCHRONOUS_MASK).
pub const SYNCHRONOUS: SigSet = SigSet(
    Signal::SIGSEGV.mask_bit()
        | Signal::SIGBUS.mask_bit()
        | Signal::SIGILL.mask_bit()
        | Signal::SIGTRAP.mask_bit()
        | Signal::SIGFPE.mask_bit()
        | Signal::SIGSYS.mask_bit(),
);

impl Pending {
    pub fn set(&self) -> SigSet {
        self.set
    }

    /// Queues one instance. Returns false if a standard signal was already
    /// pending (merged, as Linux does). If the queue cannot grow, the
    /// signal is still pending, with a kernel siginfo (Linux's "info lost").
    pub fn add(&mut self, info: SigInfo) -> bool {
        let Some(sig) = info.signal() else { return false };
        if self.set.contains(sig) && !sig.is_realtime() {
            return false;
        }
        self.set = self.set.with(sig);
        if self.queue.try_reserve(1).is_ok() {
            self.queue.push(info);
        }
        true
    }

    /// The next signal to take among those not in `blocked`: a synchronous
    /// one first, then the lowest number.
    pub fn next(&self, blocked: SigSet) -> Option<Signal> {
        let ready = self.set.minus(blocked);
        SigSet(ready.0 & SYNCHRONOUS.0).lowest().or_else(|| ready.lowest())
    }

    /// Takes the oldest instance of `sig`.
    pub fn take(&mut self, sig: Signal) -> SigInfo {
        let info = match self.queue.iter().position(|i| i.signo == sig.raw() as i32) {
            Some(at) => self.queue.remove(at),
            None => SigInfo::from_kernel(sig),
        };
        if !self.queue.iter().any(|i| i.signo == sig.raw() as i32) {
            self.set = self.set.without(sig);
        }
        info
    }

    /// Drops every instance of the signals in `which`.
    pub fn discard(&mut self, which: SigSet) {
        self.set = self.set.minus(which);
        self.queue.retain(|i| i.signal().is_some_and(|s| !which.contains(s)));
        if self.set.is_empty() {
            self.queue = Vec::new();
        }
    }
}

/// The stop signals, which SIGCONT cancels (and which cancel SIGCONT).
pub const STOP_SIGNALS: SigSet = SigSet(
    Signal::SIGSTOP.mask_bit() | Signal::SIGTSTP.mask_bit() | Signal::SIGTTIN.mask_bit() | Signal::SIGTTOU.mask_bit(),
);

/// The mask while a handler for `sig` runs: the old mask, the action's
/// mask, and `sig` itself unless SA_NODEFER.
pub fn mask_for_handler(old: SigSet, sig: Signal, a: &Action) -> SigSet {
    let m = old.union(a.mask);
    (if a.has(SA_NODEFER) { m } else { m.with(sig) }).blockable()
}

/// `sigaltstack` state. `size == 0` means disabled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AltStack {
    pub sp: u32,
    pub size: u32,
    /// The flags as the program set them (SS_DISABLE when there is none),
    /// which a handler's uc_stack reports; SS_AUTODISARM among them clears
    /// the stack while a handler runs on it.
    pub flags: u32,
}

impl Default for AltStack {
    fn default() -> Self {
        AltStack { sp: 0, size: 0, flags: memguard_abi::linux::SS_DISABLE }
    }
}

impl AltStack {
    pub fn autodisarm(&self) -> bool {
        self.flags & memguard_abi::linux::SS_AUTODISARM != 0
    }

    /// Whether `esp` is on this stack (Linux's on_sig_stack: the stack
    /// grows down from sp + size, so sp itself is outside and the top in).
    pub fn contains(&self, esp: u32) -> bool {
        self.size != 0 && esp > self.sp && esp - self.sp <= self.size
    }
}

/// How a system call interrupted by a signal ends, from its internal
/// return value (Linux's -ERESTART* codes, never seen by a program) and
/// whether a handler is being run (and with SA_RESTART).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Restart {
    /// Return EINTR.
    Interrupted,
    /// Run the same call again (EIP back over `int 0x80`, EAX = number).
    Again,
    /// Run restart_syscall, which resumes with the state the call saved.
    Block,
}

pub const ERESTARTSYS: i32 = 512;
pub const ERESTARTNOINTR: i32 = 513;
pub const ERESTARTNOHAND: i32 = 514;
pub const ERESTART_RESTARTBLOCK: i32 = 516;

/// `errno` is the call's result negated; `handler` is `Some(sa_flags)` when
/// a handler will run. `None` if the result is not a restart code.
pub fn restart(errno: i32, handler: Option<u32>) -> Option<Restart> {
    let code = match errno {
        ERESTARTSYS | ERESTARTNOINTR | ERESTARTNOHAND | ERESTART_RESTARTBLOCK => errno,
        _ => return None,
    };
    Some(match (handler, code) {
        (None, ERESTART_RESTARTBLOCK) => Restart::Block,
        (None, _) => Restart::Again,
        (Some(_), ERESTARTNOINTR) => Restart::Again,
        (Some(f), ERESTARTSYS) if f & SA_RESTART != 0 => Restart::Again,
        (Some(_), _) => Restart::Interrupted,
    })
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn sig(n: u32) -> Signal {
        Signal::from_raw(n).unwrap()
    }

    #[test]
    fn standard_signals_merge_and_realtime_ones_queue() {
        let mut p = Pending::default();
        assert!(p.add(SigInfo::from_process(Signal::SIGUSR1, 0, 5, 0)));
        assert!(!p.add(SigInfo::from_process(Signal::SIGUSR1, 0, 6, 0)));
        assert!(p.add(SigInfo::from_process(sig(40), 0, 1, 0)));
        assert!(p.add(SigInfo::from_process(sig(40), 0, 2, 0)));
        assert_eq!(p.next(SigSet::EMPTY), Some(Signal::SIGUSR1));
        assert_eq!(p.take(Signal::SIGUSR1).fields[0], 5);
        assert_eq!(p.next(SigSet::EMPTY), Some(sig(40)));
        assert_eq!(p.take(sig(40)).fields[0], 1);
        assert_eq!(p.next(SigSet::EMPTY), Some(sig(40)));
        assert_eq!(p.take(sig(40)).fields[0], 2);
        assert_eq!(p.next(SigSet::EMPTY), None);
    }

    #[test]
    fn faults_come_first_and_blocked_signals_wait() {
        let mut p = Pending::default();
        p.add(SigInfo::from_process(Signal::SIGHUP, 0, 0, 0));
        p.add(SigInfo::fault(Signal::SIGSEGV, 1, 0));
        assert_eq!(p.next(SigSet::EMPTY), Some(Signal::SIGSEGV));
        assert_eq!(p.next(SigSet::of(Signal::SIGSEGV)), Some(Signal::SIGHUP));
        assert_eq!(p.next(SigSet::of(Signal::SIGSEGV).with(Signal::SIGHUP)), None);
        p.discard(SigSet::of(Signal::SIGHUP));
        assert_eq!(p.set(), SigSet::of(Signal::SIGSEGV));
    }

    #[test]
    fn dispositions_follow_the_default_actions() {
        let d = Action::DEFAULT;
        assert_eq!(d.disposition(Signal::SIGTERM), Disposition::Kill);
        assert_eq!(d.disposition(Signal::SIGSEGV), Disposition::Kill);
        assert_eq!(d.disposition(Signal::SIGCHLD), Disposition::Ignore);
        assert_eq!(d.disposition(Signal::SIGCONT), Disposition::Ignore);
        assert_eq!(d.disposition(Signal::SIGTSTP), Disposition::Stop);
        let ign = Action { handler: SIG_IGN, ..d };
        assert_eq!(ign.disposition(Signal::SIGTERM), Disposition::Ignore);
        let h = Action { handler: 0x0804_9000, ..d };
        assert_eq!(h.disposition(Signal::SIGTERM), Disposition::Handler);
    }

    #[test]
    fn exec_keeps_only_ignored() {
        let mut h = Handlers::default();
        h.set(Signal::SIGINT, Action { handler: SIG_IGN, flags: SA_RESTART, ..Action::DEFAULT });
        h.set(Signal::SIGTERM, Action { handler: 0x0804_9000, ..Action::DEFAULT });
        h.reset_for_exec();
        assert_eq!(h.get(Signal::SIGINT), Action { handler: SIG_IGN, ..Action::DEFAULT });
        assert_eq!(h.get(Signal::SIGTERM), Action::DEFAULT);
        assert!(h.discards(Signal::SIGINT, SigSet::EMPTY));
        assert!(!h.discards(Signal::SIGINT, SigSet::of(Signal::SIGINT)));
        assert!(h.discards(Signal::SIGCHLD, SigSet::EMPTY));
        assert!(!h.discards(Signal::SIGTERM, SigSet::EMPTY));
    }

    #[test]
    fn handler_masks() {
        let a = Action { handler: 0x1000, mask: SigSet::of(Signal::SIGINT).with(Signal::SIGKILL), ..Action::DEFAULT };
        let m = mask_for_handler(SigSet::of(Signal::SIGHUP), Signal::SIGUSR1, &a);
        assert_eq!(m, SigSet::of(Signal::SIGHUP).with(Signal::SIGINT).with(Signal::SIGUSR1));
        let nodefer = Action { flags: SA_NODEFER, ..a };
        assert!(!mask_for_handler(SigSet::EMPTY, Signal::SIGUSR1, &nodefer).contains(Signal::SIGUSR1));
    }

    #[test]
    fn restart_rules_are_linuxs() {
        use Restart::*;
        assert_eq!(restart(4, None), None);
        assert_eq!(restart(ERESTARTSYS, None), Some(Again));
        assert_eq!(restart(ERESTART_RESTARTBLOCK, None), Some(Block));
        assert_eq!(restart(ERESTARTSYS, Some(0)), Some(Interrupted));
        assert_eq!(restart(ERESTARTSYS, Some(SA_RESTART)), Some(Again));
        assert_eq!(restart(ERESTARTNOHAND, Some(SA_RESTART)), Some(Interrupted));
        assert_eq!(restart(ERESTARTNOINTR, Some(0)), Some(Again));
        assert_eq!(restart(ERESTART_RESTARTBLOCK, Some(SA_RESTART)), Some(Interrupted));
    }

    #[test]
    fn altstack_bounds() {
        let s = AltStack { sp: 0x1000, size: 0x1000, flags: 0 };
        assert!(!s.contains(0x1000));
        assert!(s.contains(0x1001));
        assert!(s.contains(0x2000));
        assert!(!s.contains(0x2001));
        assert!(!AltStack::default().contains(0x10));
    }
}

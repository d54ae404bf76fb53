//! Job control on the task table: process groups and sessions (the rules
//! are `pgrp`'s), the console as a controlling terminal, the signals its
//! keys send, and what a background process meets when it touches it.
//!
//! Every task record of a process carries the process's pgid, sid and
//! controlling-terminal flag: they are changed for all its threads at once.
//! Lock order: SCHED, then the terminal (`console::tty::with`).

use super::deliver::{self, Target};
use super::groups::{View, own_group_orphaned, proc_of};
use super::pgrp::{self, Pid, Proc, Processes};
use super::process::{Task, Wait};
use super::sched::{SCHED, Sched};
use super::signal::state::SIG_IGN;
use crate::console::tty;
use memguard_abi::{Errno, SigInfo, Signal};

fn me(s: &mut Sched) -> Proc {
    let tgid = s.current_task().tgid;
    let leader = &s.tasks[&tgid];
    proc_of(s, leader)
}

/// Sets pgid, sid and the terminal flag in every task of process `tgid`.
fn update(s: &mut Sched, tgid: Pid, f: impl Fn(&mut Task)) {
    let mut next = 0;
    while let Some(pid) = s.tasks.range(next..).find(|(_, t)| t.tgid == tgid).map(|(&p, _)| p) {
        f(s.tasks.get_mut(&pid).expect("task"));
        next = pid + 1;
    }
}

/// A new task's group, session and terminal: its creator's.
pub fn inherit(child: &mut Task, parent: &Task) {
    child.pgid = parent.pgid;
    child.sid = parent.sid;
    child.ctty = parent.ctty;
}

/// Process 1 starts in group 0 and session 0 (as Linux's init), with the
/// console as its controlling terminal and its group in the foreground.
pub fn init_started(t: &mut Task) {
    t.execd = true;
    t.ctty = true;
    tty::with(|tty| {
        tty.session = Some(t.sid);
        tty.pgrp = Some(t.pgid);
    });
}

/// execve ran: the parent may no longer move the process (EACCES).
pub fn execd(s: &mut Sched) {
    let tgid = s.current_task().tgid;
    update(s, tgid, |t| t.execd = true);
}

pub fn setpgid(pid: i32, pgid: i32) -> Result<u32, Errno> {
    let mut s = SCHED.lock();
    let me = me(&mut s);
    let m = pgrp::setpgid(&View(&s), &me, pid, pgid)?;
    update(&mut s, m.pid, |t| t.pgid = m.pgid);
    Ok(0)
}

/// setsid: a new session and group, without a controlling terminal.
pub fn setsid() -> Result<u32, Errno> {
    let mut s = SCHED.lock();
    let me = me(&mut s);
    let sid = pgrp::setsid(&View(&s), &me)?;
    update(&mut s, me.pid, |t| {
        t.sid = sid;
        t.pgid = sid;
        t.ctty = false;
    });
    Ok(sid)
}

pub fn getpgid(pid: i32) -> Result<u32, Errno> {
    let mut s = SCHED.lock();
    let me = me(&mut s);
    pgrp::lookup(&View(&s), &me, pid).map(|p| p.pgid)
}

pub fn getsid(pid: i32) -> Result<u32, Errno> {
    let mut s = SCHED.lock();
    let me = me(&mut s);
    pgrp::lookup(&View(&s), &me, pid).map(|p| p.sid)
}

/// The caller's process group.
pub fn current_pgid(s: &mut Sched) -> Pid {
    s.current_task().pgid
}

/// Sends `sig` from the kernel to every process of group `pgid`.
fn kill_pgrp(s: &mut Sched, pgid: Pid, sig: Signal) {
    let mut next = 0;
    while let Some(pid) = s
        .tasks
        .range(next..)
        .find(|(p, t)| t.is_leader() && t.pgid == pgid && **p != super::process::IDLE_PID)
        .map(|(&p, _)| p)
    {
        deliver::send(s, Target::Process(pid), SigInfo::from_kernel(sig));
        next = pid + 1;
    }
}

/// Input arrived: the line discipline takes it, the signal keys typed go
/// to the foreground group, and console readers look again — only if a
/// byte did arrive: readers call this before each look, and waking each
/// other for nothing would keep two of them switching inside the kernel
/// forever (with interrupts off, so the clock would stop too).
pub fn console_input() {
    let tty::Pumped { typed, pgrp, bytes } = tty::pump();
    if bytes == 0 {
        return;
    }
    let mut s = SCHED.lock();
    if let Some(pg) = pgrp {
        for (on, sig) in
            [(typed.interrupt, Signal::SIGINT), (typed.quit, Signal::SIGQUIT), (typed.suspend, Signal::SIGTSTP)]
        {
            if on {
                kill_pgrp(&mut s, pg, sig);
            }
        }
    }
    s.wake_all(Wait::ConsoleInput);
}

/// Whether the current process has the console as its controlling terminal.
pub fn has_ctty() -> bool {
    SCHED.lock().current_task().ctty
}

/// Linux's tty_check_change: a process of a background group that uses
/// its controlling terminal (reads; changes settings; writes with TOSTOP)
/// gets `sig` (SIGTTIN or SIGTTOU) sent to its group and the call is
/// restarted once it runs again (ERESTARTSYS); EIO if its group is
/// orphaned, or for SIGTTIN ignored or blocked (an ignored SIGTTOU lets
/// the call go on).
pub fn check_background(sig: Signal) -> Result<(), Errno> {
    let mut s = SCHED.lock();
    let t = s.current_task();
    if !t.ctty {
        return Ok(());
    }
    let (mine, tgid) = (t.pgid, t.tgid);
    let ignored = t.sig.blocked.contains(sig) || t.handlers.lock().get(sig).handler == SIG_IGN;
    let Some(fg) = tty::with(|tty| tty.pgrp) else { return Ok(()) };
    if fg == mine {
        return Ok(());
    }
    if ignored {
        return if sig == Signal::SIGTTIN { Err(Errno::EIO) } else { Ok(()) };
    }
    if own_group_orphaned(&s, tgid) {
        return Err(Errno::EIO);
    }
    kill_pgrp(&mut s, mine, sig);
    Err(Errno::ERESTARTSYS)
}

/// Clears the controlling terminal of every process of session `sid`.
fn clear_session(s: &mut Sched, sid: Pid) {
    for t in s.tasks.values_mut().filter(|t| t.sid == sid) {
        t.ctty = false;
    }
}

/// TIOCSCTTY: a session leader without a terminal makes the console its
/// controlling terminal (0 at once if it already is its session's). One
/// that another session holds is EPERM, unless `steal` (arg 1; root may).
pub fn acquire(steal: bool) -> Result<u32, Errno> {
    let mut s = SCHED.lock();
    let me = me(&mut s);
    let held = tty::with(|tty| tty.session);
    if me.session_leader() && held == Some(me.sid) {
        return Ok(0);
    }
    if !me.session_leader() || s.current_task().ctty {
        return Err(Errno::EPERM);
    }
    if let Some(old) = held {
        if !steal {
            return Err(Errno::EPERM);
        }
        clear_session(&mut s, old);
    }
    update(&mut s, me.pid, |t| t.ctty = true);
    tty::with(|tty| {
        tty.session = Some(me.sid);
        tty.pgrp = Some(me.pgid);
    });
    Ok(0)
}

/// TIOCNOTTY: ENOTTY unless the console is the caller's terminal. A
/// session leader gives it up for the whole session (its foreground group
/// gets SIGHUP and SIGCONT); anyone else only for itself.
pub fn release() -> Result<u32, Errno> {
    let mut s = SCHED.lock();
    if !s.current_task().ctty {
        return Err(Errno::ENOTTY);
    }
    let me = me(&mut s);
    if me.session_leader() {
        disassociate(&mut s, me.sid, true);
    }
    update(&mut s, me.pid, |t| t.ctty = false);
    Ok(0)
}

/// Session `sid` loses the console: its foreground group gets SIGHUP (and
/// SIGCONT when the leader gave it up rather than exited), and nobody in
/// the session has a controlling terminal any more.
fn disassociate(s: &mut Sched, sid: Pid, cont: bool) {
    let (session, fg) = tty::with(|tty| (tty.session, tty.pgrp));
    if session != Some(sid) {
        return;
    }
    if let Some(pg) = fg {
        kill_pgrp(s, pg, Signal::SIGHUP);
        if cont {
            kill_pgrp(s, pg, Signal::SIGCONT);
        }
    }
    clear_session(s, sid);
    tty::with(|tty| {
        tty.session = None;
        tty.pgrp = None;
    });
}

/// TIOCGPGRP: the foreground group (0 if none); ENOTTY unless the console
/// is the caller's controlling terminal.
pub fn foreground() -> Result<u32, Errno> {
    if !has_ctty() {
        return Err(Errno::ENOTTY);
    }
    Ok(tty::with(|tty| tty.pgrp.unwrap_or(0)))
}

/// TIOCGSID: the session the console controls; ENOTTY unless it is the
/// caller's controlling terminal.
pub fn session() -> Result<u32, Errno> {
    if !has_ctty() {
        return Err(Errno::ENOTTY);
    }
    tty::with(|tty| tty.session).ok_or(Errno::ENOTTY)
}

/// TIOCSPGRP after its background check and reading `pgid`: EINVAL for a
/// negative id; ENOTTY unless the console is the caller's terminal and
/// its session's; ESRCH for no such group (or process); EPERM for one of
/// another session.
pub fn set_foreground(pgid: i32) -> Result<u32, Errno> {
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    let mut s = SCHED.lock();
    let me = me(&mut s);
    let session = tty::with(|tty| tty.session);
    if !s.current_task().ctty || session != Some(me.sid) {
        return Err(Errno::ENOTTY);
    }
    let pgid = pgid as Pid;
    let view = View(&s);
    // Linux's session_of_pgrp: a group's session, else that of the process
    // with the id; id 0 names nothing.
    let sid = match view.group_session(pgid) {
        Some(sid) if pgid != 0 => Some(sid),
        _ => pgrp::lookup(&view, &me, pgid as i32).ok().filter(|_| pgid != 0).map(|p| p.sid),
    };
    match sid {
        None => Err(Errno::ESRCH),
        Some(sid) if sid != me.sid => Err(Errno::EPERM),
        Some(_) => {
            tty::with(|tty| tty.pgrp = Some(pgid));
            Ok(0)
        }
    }
}

/// TIOCSWINSZ changed the size: the foreground group hears of it.
pub fn window_changed() {
    let mut s = SCHED.lock();
    if let Some(pg) = tty::with(|tty| tty.pgrp) {
        kill_pgrp(&mut s, pg, Signal::SIGWINCH);
    }
}

/// The last task of process `tgid` (the current one) is ending, after its
/// children went to `heir`: if it led its session, the session loses the
/// console; if its own group or a child's becomes orphaned with a stopped
/// member, that group gets SIGHUP and SIGCONT (Linux's exit_notify).
pub fn process_exiting(s: &mut Sched, tgid: Pid) {
    let Some(me) = s.tasks.get(&tgid).map(|t| proc_of(s, t)) else { return };
    if me.session_leader() {
        disassociate(s, me.sid, false);
    }
    if let Some(parent) = View(s).find(me.parent).map(|(p, _)| p) {
        hangup_if_orphaned(s, me.pgid, &parent, me.sid, Some(me.pid));
    }
}

/// A child of the exiting process `father` was handed to init: its group
/// may have lost its last tie to the session.
pub fn child_reparented(s: &mut Sched, child: Pid, father: &Proc) {
    let Some((c, _)) = View(s).find(child) else { return };
    hangup_if_orphaned(s, c.pgid, father, c.sid, None);
}

/// Linux's kill_orphaned_pgrp: group `pgid` (of session `sid`) whose tie
/// `parent` (in another group of the session) goes away.
fn hangup_if_orphaned(s: &mut Sched, pgid: Pid, parent: &Proc, sid: Pid, ignore: Option<Pid>) {
    let view = View(s);
    if parent.pgid != pgid && parent.sid == sid && pgrp::orphaned(&view, pgid, ignore) && pgrp::has_stopped(&view, pgid)
    {
        kill_pgrp(s, pgid, Signal::SIGHUP);
        kill_pgrp(s, pgid, Signal::SIGCONT);
    }
}

/// The exiting process as the rules see it (for `child_reparented`).
pub fn proc_record(s: &Sched, tgid: Pid) -> Option<Proc> {
    s.tasks.get(&tgid).map(|t| proc_of(s, t))
}

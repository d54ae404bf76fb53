//! Process groups and sessions: Linux's rules for setpgid, setsid,
//! getpgid and getsid, which processes kill(0 / -pgid) and waitpid(0 /
//! -pgid) select, and when a process group is orphaned. Pure: the
//! decisions read a table of processes through `Processes`; `jobctl`
//! applies them to the task table.
//!
//! A session is a set of process groups; its id is the pid of the process
//! that made it with setsid (its leader, pid == sid). Process 1 starts in
//! session 0 and group 0, as Linux's init does (it inherits them from the
//! kernel's own task).

use memguard_abi::Errno;

pub type Pid = u32;

/// What the rules need to know of a process (a thread group).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct Proc {
    /// Its pid (the thread-group id).
    pub pid: Pid,
    /// Its parent's pid (thread-group id), 0 for process 1.
    pub parent: Pid,
    pub pgid: Pid,
    pub sid: Pid,
    /// It has called execve since fork (setpgid on it is EACCES).
    pub execd: bool,
    /// It has ended (a zombie, not yet reaped).
    pub zombie: bool,
    /// It is stopped (job control).
    pub stopped: bool,
}

impl Proc {
    /// Whether it leads its session (made it with setsid).
    pub fn session_leader(&self) -> bool {
        self.pid == self.sid
    }
}

/// The process table, as the rules see it.
pub trait Processes {
    /// Calls `f` for every process, zombies included.
    fn each(&self, f: &mut dyn FnMut(&Proc));
    /// The task with id `id` (a thread's id too): its process, and
    /// whether `id` is the process itself rather than one of its threads.
    fn find(&self, id: Pid) -> Option<(Proc, bool)>;

    /// The session of process group `pgid`, if any process is in it.
    fn group_session(&self, pgid: Pid) -> Option<Pid> {
        let mut sid = None;
        self.each(&mut |p| {
            if p.pgid == pgid && sid.is_none() {
                sid = Some(p.sid);
            }
        });
        sid
    }
}

/// What setpgid will do: move process `pid` into group `pgid`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Move {
    pub pid: Pid,
    pub pgid: Pid,
}

/// setpgid(pid, pgid) by process `me`, checked in Linux's order: EINVAL
/// for a negative group; ESRCH for no such task; EINVAL for a thread;
/// for a child of the caller EPERM if it is in another session and
/// EACCES if it has exec'd; ESRCH for anyone else but the caller; EPERM
/// for a session leader; EPERM if the group does not exist in the
/// caller's session (unless it is the process's own id).
pub fn setpgid(t: &dyn Processes, me: &Proc, pid: i32, pgid: i32) -> Result<Move, Errno> {
    let pid = if pid == 0 { me.pid as i32 } else { pid };
    let pgid = if pgid == 0 { pid } else { pgid };
    if pgid < 0 {
        return Err(Errno::EINVAL);
    }
    let (p, is_process) = find(t, pid).ok_or(Errno::ESRCH)?;
    if !is_process {
        return Err(Errno::EINVAL);
    }
    if p.parent == me.pid {
        if p.sid != me.sid {
            return Err(Errno::EPERM);
        }
        if p.execd {
            return Err(Errno::EACCES);
        }
    } else if p.pid != me.pid {
        return Err(Errno::ESRCH);
    }
    if p.session_leader() {
        return Err(Errno::EPERM);
    }
    let pgid = pgid as Pid;
    if pgid != p.pid && t.group_session(pgid) != Some(me.sid) {
        return Err(Errno::EPERM);
    }
    Ok(Move { pid: p.pid, pgid })
}

/// setsid() by `me`: EPERM for a session leader, or when a process group
/// with the caller's id exists (the caller leads a group); otherwise the
/// new session's id (= pid = pgid).
pub fn setsid(t: &dyn Processes, me: &Proc) -> Result<Pid, Errno> {
    if me.session_leader() || t.group_session(me.pid).is_some() {
        return Err(Errno::EPERM);
    }
    Ok(me.pid)
}

/// getpgid/getsid's target: the caller for 0, else the task `pid` (a
/// thread answers for its process); ESRCH if none.
pub fn lookup(t: &dyn Processes, me: &Proc, pid: i32) -> Result<Proc, Errno> {
    if pid == 0 {
        return Ok(*me);
    }
    find(t, pid).map(|(p, _)| p).ok_or(Errno::ESRCH)
}

fn find(t: &dyn Processes, pid: i32) -> Option<(Proc, bool)> {
    if pid <= 0 { None } else { t.find(pid as Pid) }
}

/// Which children a waitpid/wait4 `pid` argument selects.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Select {
    Any,
    Process(Pid),
    Group(Pid),
}

impl Select {
    /// -1: any child; 0: the caller's group (`my_pgid`, taken at the
    /// call); < -1: group -pid; > 0: that child.
    pub fn of_wait(pid: i32, my_pgid: Pid) -> Select {
        match pid {
            -1 => Select::Any,
            0 => Select::Group(my_pgid),
            p if p > 0 => Select::Process(p as Pid),
            p => Select::Group(p.unsigned_abs()),
        }
    }

    pub fn matches(self, p: &Proc) -> bool {
        match self {
            Select::Any => true,
            Select::Process(pid) => p.pid == pid,
            Select::Group(g) => p.pgid == g,
        }
    }
}

/// Whether group `pgid` is (or, with `ignore` gone, would be) orphaned:
/// no member has a parent in another group of the same session. Members
/// that are zombies or children of process 1 do not count (Linux's
/// will_become_orphaned_pgrp).
pub fn orphaned(t: &dyn Processes, pgid: Pid, ignore: Option<Pid>) -> bool {
    let mut tied = false;
    t.each(&mut |p| {
        if tied || p.pgid != pgid || Some(p.pid) == ignore || p.zombie || p.parent == 1 {
            return;
        }
        if let Some((parent, _)) = t.find(p.parent) {
            tied = parent.pgid != pgid && parent.sid == p.sid;
        }
    });
    !tied
}

/// Whether a process of group `pgid` is stopped.
pub fn has_stopped(t: &dyn Processes, pgid: Pid) -> bool {
    let mut any = false;
    t.each(&mut |p| any |= p.pgid == pgid && p.stopped && !p.zombie);
    any
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use std::vec::Vec;

    struct Table(Vec<Proc>);

    impl Processes for Table {
        fn each(&self, f: &mut dyn FnMut(&Proc)) {
            self.0.iter().for_each(f);
        }
        fn find(&self, id: Pid) -> Option<(Proc, bool)> {
            // Ids 1000+ are threads of process id - 1000.
            if id >= 1000 {
                return self.0.iter().find(|p| p.pid == id - 1000).map(|p| (*p, false));
            }
            self.0.iter().find(|p| p.pid == id).map(|p| (*p, true))
        }
    }

    fn p(pid: Pid, parent: Pid, pgid: Pid, sid: Pid) -> Proc {
        Proc { pid, parent, pgid, sid, ..Proc::default() }
    }

    /// init (1, group 0, session 0); a shell 2 in its own group; its
    /// children 3 (exec'd, group 3) and 4 (not exec'd, shell's group);
    /// 5 leads its own session; 6 is 5's child.
    fn table() -> Table {
        let mut t =
            Table(vec![p(1, 0, 0, 0), p(2, 1, 2, 0), p(3, 2, 3, 0), p(4, 2, 2, 0), p(5, 1, 5, 5), p(6, 5, 5, 5)]);
        t.0[0].execd = true;
        t.0[2].execd = true;
        t
    }

    fn me(t: &Table, pid: Pid) -> Proc {
        t.find(pid).unwrap().0
    }

    #[test]
    fn setpgid_rules_in_linux_order() {
        let t = table();
        let sh = me(&t, 2);
        let ok = |pid, pgid| Ok(Move { pid, pgid });
        assert_eq!(setpgid(&t, &sh, 0, 0), ok(2, 2), "already its own group: allowed, no change");
        assert_eq!(setpgid(&t, &sh, 4, 0), ok(4, 4), "a new group for a child");
        assert_eq!(setpgid(&t, &sh, 4, 2), ok(4, 2), "into the caller's group");
        assert_eq!(setpgid(&t, &sh, 0, -1), Err(Errno::EINVAL));
        assert_eq!(setpgid(&t, &sh, -1, 0), Err(Errno::EINVAL), "pgid = pid < 0 checked first");
        assert_eq!(setpgid(&t, &sh, -1, 5), Err(Errno::ESRCH));
        assert_eq!(setpgid(&t, &sh, 99, 0), Err(Errno::ESRCH));
        assert_eq!(setpgid(&t, &sh, 1004, 0), Err(Errno::EINVAL), "a thread");
        assert_eq!(setpgid(&t, &sh, 3, 0), Err(Errno::EACCES), "the child has exec'd");
        assert_eq!(setpgid(&t, &sh, 1, 0), Err(Errno::ESRCH), "not a child");
        assert_eq!(setpgid(&t, &sh, 4, 99), Err(Errno::EPERM), "no such group");
        assert_eq!(setpgid(&t, &sh, 4, 5), Err(Errno::EPERM), "a group of another session");
        let leader = me(&t, 5);
        assert_eq!(setpgid(&t, &leader, 0, 0), Err(Errno::EPERM), "a session leader");
        assert_eq!(setpgid(&t, &leader, 6, 0), ok(6, 6));
        let init = me(&t, 1);
        assert_eq!(setpgid(&t, &init, 5, 0), Err(Errno::EPERM), "a child in another session");
        assert_eq!(setpgid(&t, &init, 0, 0), ok(1, 1), "process 1 is no session leader");
    }

    #[test]
    fn setsid_needs_a_non_leader() {
        let t = table();
        assert_eq!(setsid(&t, &me(&t, 2)), Err(Errno::EPERM), "leads group 2");
        assert_eq!(setsid(&t, &me(&t, 5)), Err(Errno::EPERM), "leads a session");
        assert_eq!(setsid(&t, &me(&t, 4)), Ok(4));
        assert_eq!(setsid(&t, &me(&t, 1)), Ok(1), "init in group 0 may make session 1");
    }

    #[test]
    fn lookups() {
        let t = table();
        let sh = me(&t, 2);
        assert_eq!(lookup(&t, &sh, 0).map(|p| p.pgid), Ok(2));
        assert_eq!(lookup(&t, &sh, 6).map(|p| p.sid), Ok(5));
        assert_eq!(lookup(&t, &sh, 1006).map(|p| p.pgid), Ok(5), "a thread answers for its process");
        assert_eq!(lookup(&t, &sh, -2), Err(Errno::ESRCH));
        assert_eq!(lookup(&t, &sh, 77), Err(Errno::ESRCH));
    }

    #[test]
    fn wait_selection() {
        let t = table();
        let child = me(&t, 4);
        assert!(Select::of_wait(-1, 7).matches(&child));
        assert!(Select::of_wait(0, 2).matches(&child));
        assert!(!Select::of_wait(0, 3).matches(&child));
        assert!(Select::of_wait(-2, 0).matches(&child));
        assert!(Select::of_wait(4, 0).matches(&child));
        assert!(!Select::of_wait(-4, 0).matches(&child));
    }

    #[test]
    fn orphaned_groups() {
        let mut t = table();
        // Group 3's member has its parent (2) in group 2 of the same session.
        assert!(!orphaned(&t, 3, None));
        assert!(orphaned(&t, 3, Some(3)), "once 3 is gone nobody ties it");
        // Group 2: the shell's parent is init (does not count); 4's parent
        // is in the same group.
        assert!(orphaned(&t, 2, None));
        // Group 5: 5 is init's child, 6's parent is in the group.
        assert!(orphaned(&t, 5, None));
        // A parent in another session does not tie a group.
        t.0.push(p(7, 5, 7, 0));
        assert!(orphaned(&t, 7, None));
        // A zombie does not tie its group.
        t.0[2].zombie = true;
        assert!(orphaned(&t, 3, None));
        assert!(!has_stopped(&t, 3));
        t.0[3].stopped = true;
        assert!(has_stopped(&t, 2));
    }
}

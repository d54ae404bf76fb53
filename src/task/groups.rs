//! The task table seen as processes in groups and sessions, for the rules
//! of `pgrp`: processes are the thread-group leaders, zombies included.

use super::pgrp::{self, Pid, Proc, Processes};
use super::process::{IDLE_PID, Task, TaskState};
use super::sched::Sched;

/// The task table as `pgrp` sees it: processes are thread-group leaders.
pub struct View<'a>(pub &'a Sched);

pub fn proc_of(s: &Sched, t: &Task) -> Proc {
    let parent = s.tasks.get(&t.ppid).map_or(0, |p| p.tgid);
    // (A leader that ended before its threads counts as ended too.)
    let zombie = matches!(t.state, TaskState::Zombie(_));
    Proc {
        pid: t.tgid,
        parent,
        pgid: t.pgid,
        sid: t.sid,
        execd: t.execd,
        zombie,
        stopped: t.state == TaskState::Stopped,
    }
}

impl Processes for View<'_> {
    fn each(&self, f: &mut dyn FnMut(&Proc)) {
        for t in self.0.tasks.values().filter(|t| t.is_leader() && t.pid != IDLE_PID) {
            f(&proc_of(self.0, t));
        }
    }

    fn find(&self, id: Pid) -> Option<(Proc, bool)> {
        let t = self.0.tasks.get(&id).filter(|t| id != IDLE_PID && !t.detached)?;
        let leader = self.0.tasks.get(&t.tgid)?;
        Some((proc_of(self.0, leader), t.is_leader()))
    }
}

/// Whether the process group of process `tgid` is orphaned (a stop signal
/// by default action is then discarded).
pub fn own_group_orphaned(s: &Sched, tgid: Pid) -> bool {
    s.tasks.get(&tgid).is_none_or(|t| pgrp::orphaned(&View(s), t.pgid, None))
}

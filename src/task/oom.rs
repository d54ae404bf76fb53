//! Out of memory: what the kernel does when a user page cannot be had.
//!
//! As Linux's OOM killer does: first give tasks that are already dying
//! (a SIGKILL is pending) the CPU, so they exit and free what they hold;
//! only if none is dying, kill the task that holds the most memory — its
//! resident pages, page tables, kernel stack and the data in pipes it
//! holds an end of —
//! and never init while another task holds more. The choice is `choose`,
//! pure and host-tested; the rest runs on the kernel target.

/// A process id (`process::Pid`, which the host tests do not build).
type Pid = u32;

/// One task as the OOM killer weighs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Candidate {
    pub pid: Pid,
    /// Pages the task holds: resident user pages, page tables, kernel
    /// stack, data waiting in pipes it holds an end of.
    pub pages: u32,
    pub is_init: bool,
}

/// The task to kill: the one holding the most pages; on a tie the
/// highest pid (the newest, as Linux prefers children to parents); init
/// only when it holds strictly more than every other task.
pub fn choose(candidates: &[Candidate]) -> Option<Pid> {
    let best_other = candidates.iter().filter(|c| !c.is_init).max_by_key(|c| (c.pages, c.pid));
    let init = candidates.iter().find(|c| c.is_init);
    match (best_other, init) {
        (Some(o), Some(i)) if i.pages > o.pages => Some(i.pid),
        (Some(o), _) => Some(o.pid),
        (None, Some(i)) => Some(i.pid),
        (None, None) => None,
    }
}

#[cfg(target_os = "none")]
pub use kernel::{Outcome, out_of_memory, wait_for_dying};

#[cfg(target_os = "none")]
mod kernel {
    use super::{Candidate, choose};
    use crate::kprintln;
    use crate::task::process::{INIT_PID, Task, TaskState};
    use crate::task::sched::{self, SCHED};
    use memguard_abi::Signal;

    /// How many times the OOM path lets the dying run before it gives up
    /// on them (each yield is a full round of the run queue).
    const PATIENCE: u32 = 10_000;

    /// What the task that ran out of memory does next.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Outcome {
        /// Memory was (or is being) freed: try the allocation again.
        Retry,
        /// This task is the one to die.
        KillCurrent,
    }

    fn dying(t: &Task) -> bool {
        t.fatal.is_some() && !matches!(t.state, TaskState::Zombie(_))
    }

    /// Lets every other dying task run until it has exited. True if there
    /// was any (so freed memory may be waiting).
    pub fn wait_for_dying() -> bool {
        let mut waited = false;
        for _ in 0..PATIENCE {
            let any = {
                let s = SCHED.lock();
                let me = s.current;
                s.tasks.values().any(|t| t.pid != me && dying(t))
            };
            if !any {
                break;
            }
            waited = true;
            sched::yield_now();
        }
        waited
    }

    /// The current task could not get a page.
    pub fn out_of_memory() -> Outcome {
        if wait_for_dying() {
            return Outcome::Retry;
        }
        let (me, victim, pages, name) = {
            let mut s = SCHED.lock();
            let me = s.current;
            let candidates: alloc::vec::Vec<Candidate> = s
                .tasks
                .values()
                .filter(|t| !t.kthread && !matches!(t.state, TaskState::Zombie(_)))
                .map(|t| Candidate { pid: t.pid, pages: weight(t), is_init: t.pid == INIT_PID })
                .collect();
            let Some(victim) = choose(&candidates) else { return Outcome::KillCurrent };
            let pages = candidates.iter().find(|c| c.pid == victim).map_or(0, |c| c.pages);
            let name = s.tasks[&victim].name.clone();
            if victim != me {
                let info = memguard_abi::SigInfo::from_kernel(Signal::SIGKILL);
                crate::task::deliver::send(&mut s, crate::task::deliver::Target::Process(victim), info);
            }
            (me, victim, pages, name)
        };
        kprintln!("Out of memory: killed process {victim} ({name}), {} KiB", pages * 4);
        if victim == me {
            return Outcome::KillCurrent;
        }
        wait_for_dying();
        Outcome::Retry
    }

    /// The pages a task holds (see the module doc).
    fn weight(t: &Task) -> u32 {
        let stack = t.kstack.as_ref().map_or(0, |_| crate::mm::kstack::STACK_PAGES);
        let Some(p) = t.process.as_ref() else { return stack };
        let pipes = p.files.pipe_bytes_held() / 4096;
        // Its pages on swap count too: killing it frees them.
        p.mem.resident_pages() + p.mem.swapped_pages() + p.mem.space.table_count() + 1 + stack + pipes as u32
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn c(pid: Pid, pages: u32) -> Candidate {
        Candidate { pid, pages, is_init: pid == 1 }
    }

    #[test]
    fn the_task_holding_the_most_dies() {
        assert_eq!(choose(&[c(1, 10), c(5, 300), c(7, 20)]), Some(5));
        assert_eq!(choose(&[c(1, 10), c(5, 20), c(7, 20)]), Some(7), "a tie goes to the newest");
    }

    #[test]
    fn init_only_when_it_holds_strictly_the_most() {
        assert_eq!(choose(&[c(1, 500), c(5, 500)]), Some(5), "not init on a tie");
        assert_eq!(choose(&[c(1, 501), c(5, 500)]), Some(1));
        assert_eq!(choose(&[c(1, 3)]), Some(1), "init alone");
        assert_eq!(choose(&[]), None);
    }
}

//! Processes: the ELF checks (pure), and on the kernel target the task
//! table, the scheduler, exec, fork, exit — and the functions the trap layer
//! calls for anything a user task does.

pub mod elf;
pub mod oom;
pub mod rlimit;
pub mod signal;

#[cfg(target_os = "none")]
pub mod exec;
#[cfg(target_os = "none")]
pub mod lifecycle;
#[cfg(target_os = "none")]
pub mod process;
#[cfg(target_os = "none")]
pub mod report;
#[cfg(target_os = "none")]
pub mod sched;

#[cfg(target_os = "none")]
pub use hooks::*;

#[cfg(target_os = "none")]
mod hooks {
    use super::lifecycle::exit_current;
    use super::process::ExitStatus;
    use super::sched::{self, SCHED, with_process};
    use crate::arch::x86::exception::{Exception, PfError};
    use crate::arch::x86::trap::TrapFrame;
    use crate::mm::fault::decide::KillReason;
    use crate::mm::stats_global;
    use crate::task::process::Wait;

    /// A CPU exception in ring 3 other than a resolvable page fault: kill
    /// the task with the signal Linux would send.
    pub fn on_user_exception(frame: &mut TrapFrame, exc: Exception) {
        let sig = super::signal::signal_for(exc);
        {
            let (pid, name) = current_name();
            super::report::exception_kill(pid, &name, frame, exc, sig);
        }
        die_of_fault(sig);
    }

    /// A page fault in ring 3: resolve it, or kill the task with a report.
    /// Out of memory, the OOM killer decides: this task dies only if it
    /// holds the most; otherwise the fault is simply taken again once
    /// memory was freed.
    pub fn on_user_page_fault(frame: &mut TrapFrame, cr2: u32, err: PfError) {
        stats_global::page_fault();
        let failed = with_process(|p| {
            p.mem.stats.page_faults += 1;
            p.mem.fault(cr2, err).err()
        });
        let Some(why) = failed else { return };
        if why == KillReason::OutOfMemory && super::oom::out_of_memory() == super::oom::Outcome::Retry {
            return;
        }
        {
            let (pid, name) = current_name();
            with_process(|p| super::report::page_fault_kill(pid, &name, &p.mem, frame, cr2, err, why));
        }
        die_of_fault(why.signal());
    }

    /// Ends the current task for a fault. Nothing the caller owns may be
    /// alive here: `exit_current` never returns, so it would never be
    /// dropped (a leak per killed task).
    fn die_of_fault(sig: memguard_abi::Signal) -> ! {
        stats_global::kill();
        SCHED.lock().current_task().kills_by_fault += 1;
        with_process(|p| p.mem.stats.kills += 1);
        exit_current(ExitStatus::Killed(sig))
    }

    fn current_name() -> (u32, alloc::string::String) {
        let mut s = SCHED.lock();
        let t = s.current_task();
        (t.pid, t.name.clone())
    }

    /// Last stop before `iret` to ring 3: act on a fatal signal or a
    /// SIGSTOP, and give the CPU away if the slice is over.
    pub fn on_return_to_user(_frame: &mut TrapFrame) {
        loop {
            let (pending, stop) = {
                let mut s = SCHED.lock();
                let t = s.current_task();
                (t.pending, t.stop_requested)
            };
            if let Some(sig) = pending {
                exit_current(ExitStatus::Killed(sig));
            }
            if stop {
                super::lifecycle::stop_if_requested();
                continue;
            }
            if !sched::need_resched() {
                return;
            }
            sched::yield_now();
        }
    }

    pub fn on_console_input() {
        SCHED.lock().wake_all(Wait::ConsoleInput);
    }

    /// A pipe lost an end: its sleepers must look again.
    pub fn on_pipe_closed() {
        SCHED.lock().wake_all(Wait::Pipe);
    }
}

//! Processes: the ELF checks (pure), and on the kernel target the task
//! table, the scheduler, exec, fork, exit — and the functions the trap layer
//! calls for anything a user task does.

pub mod elf;

kernel_only! {
    pub mod exec;
    pub mod lifecycle;
    pub mod process;
    pub mod report;
    pub mod sched;
}

#[cfg(target_os = "none")]
pub use hooks::*;

#[cfg(target_os = "none")]
mod hooks {
    use super::lifecycle::exit_current;
    use super::process::ExitStatus;
    use super::sched::{self, SCHED, with_process};
    use crate::arch::x86::exception::{Exception, PfError};
    use crate::arch::x86::trap::TrapFrame;
    use crate::mm::stats_global;
    use crate::task::process::Wait;

    core::arch::global_asm!(include_str!("switch.S"), options(att_syntax));

    /// A CPU exception in ring 3 other than a resolvable page fault: kill
    /// the task with the signal Linux would send.
    pub fn on_user_exception(frame: &mut TrapFrame, exc: Exception, _cr2: u32) {
        let sig = exc.user_signal();
        let (pid, name) = current_name();
        super::report::exception_kill(pid, &name, frame, exc, sig);
        count_kill();
        exit_current(ExitStatus::Killed(sig));
    }

    /// A page fault in ring 3: resolve it, or kill the task with a report.
    pub fn on_user_page_fault(frame: &mut TrapFrame, cr2: u32, err: PfError) -> bool {
        stats_global::page_fault();
        let (pid, name) = current_name();
        let killed = with_process(|p| {
            p.mem.stats.page_faults += 1;
            match p.mem.fault(cr2, err) {
                Ok(()) => None,
                Err(why) => {
                    super::report::page_fault_kill(pid, &name, &p.mem, frame, cr2, err, why);
                    Some(why.signal())
                }
            }
        });
        match killed {
            None => true,
            Some(sig) => {
                count_kill();
                exit_current(ExitStatus::Killed(sig));
            }
        }
    }

    fn count_kill() {
        stats_global::kill();
        SCHED.lock().current_task().kills_by_fault += 1;
        with_process(|p| p.mem.stats.kills += 1);
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

    pub fn on_timer_tick(_frame: &mut TrapFrame) {
        sched::on_timer_tick();
    }

    pub fn on_console_input() {
        SCHED.lock().wake_all(Wait::ConsoleInput);
    }
}

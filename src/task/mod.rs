//! Processes: the ELF checks (pure), and on the kernel target the task
//! table, the scheduler, exec, fork, exit — and the functions the trap layer
//! calls for anything a user task does.

pub mod clone;
#[cfg(target_os = "none")]
pub mod deliver;
pub mod elf;
#[cfg(target_os = "none")]
pub mod fork;
#[cfg(target_os = "none")]
pub mod futex;
#[cfg(target_os = "none")]
pub mod groups;
#[cfg(target_os = "none")]
pub mod jobctl;
pub mod oom;
pub mod pgrp;
pub mod rlimit;
pub mod signal;
pub mod wakeop;

#[cfg(target_os = "none")]
pub mod exec;
#[cfg(target_os = "none")]
pub mod filemap;
pub mod kstat;
#[cfg(target_os = "none")]
pub mod kthread;
#[cfg(target_os = "none")]
pub mod lifecycle;
#[cfg(target_os = "none")]
pub mod process;
#[cfg(target_os = "none")]
pub mod procfs;
#[cfg(target_os = "none")]
pub mod procpid;
#[cfg(target_os = "none")]
pub mod procsys;
#[cfg(target_os = "none")]
pub mod report;
#[cfg(target_os = "none")]
pub mod sched;
#[cfg(target_os = "none")]
pub mod swapd;

#[cfg(target_os = "none")]
pub use hooks::*;

#[cfg(target_os = "none")]
mod hooks {
    use super::deliver;
    use super::process;
    use super::process::ExitStatus;
    use super::sched::{self, SCHED, with_process};
    use super::signal::signal_for;
    use super::signal::state::{Action, Disposition, Restart, SYNCHRONOUS, restart};
    use crate::arch::x86::exception::{Exception, PfError};
    use crate::arch::x86::trap::TrapFrame;
    use crate::mm::fault::decide::KillReason;
    use crate::mm::stats_global;
    use crate::task::process::Wait;
    use memguard_abi::{Errno, SigInfo, Signal};

    /// A CPU exception in ring 3 other than a resolvable page fault: the
    /// signal Linux sends for it, taken by the program's handler if it has
    /// one; otherwise the task is reported and killed.
    pub fn on_user_exception(frame: &mut TrapFrame, exc: Exception) {
        let mut info = super::signal::siginfo_for(exc, frame.eip);
        if matches!(exc, Exception::X87FloatingPoint | Exception::SimdFloatingPoint) {
            let simd = exc == Exception::SimdFloatingPoint;
            let unmasked = with_process(|p| {
                p.fpu.save();
                p.fpu.unmasked_exceptions(simd)
            });
            info.code = super::signal::fpe_code(unmasked) as i32;
        }
        record_trap(frame.vector, frame.error_code, None);
        if deliver::force(&mut SCHED.lock(), info) {
            return;
        }
        {
            let (pid, name) = current_name();
            super::report::exception_kill(pid, &name, frame, exc, signal_for(exc));
        }
        die_of_fault(signal_for(exc));
    }

    /// #NM from ring 3: the task's FPU state goes into the FPU (saving the
    /// state of the task that had it), and the instruction runs again.
    pub fn on_fpu_unavailable() {
        with_process(|p| p.fpu.restore());
    }

    /// A page fault in ring 3: resolve it, or `fault_failed` says what
    /// follows. Inlined into the trap path with the resolution itself.
    #[inline(always)]
    pub fn on_user_page_fault(frame: &mut TrapFrame, cr2: u32, err: PfError) {
        stats_global::page_fault();
        let failed = if crate::mm::swap::area::is_on() {
            fault_with_swap(cr2, err)
        } else {
            // No swap: no page can be on it, nothing to reclaim, and the
            // fault path stays short.
            with_process(
                #[inline(always)]
                |p| {
                    p.mem.stats.page_faults += 1;
                    p.mem.fault_with(cr2, err, None).err()
                },
            )
        };
        if let Some(why) = failed {
            fault_failed(frame, cr2, err, why);
        }
    }

    /// The fault, while swap is on. A page on swap that no frame or I/O
    /// buffer holds is read (with its read-ahead window) into swap's
    /// buffers while other tasks run, holding a reference to its slot so
    /// that it cannot be reused meanwhile; the fault then copies it from
    /// there if the entry still names the slot (the task may have unmapped
    /// it, or another thread brought it back).
    #[inline(never)]
    fn fault_with_swap(cr2: u32, err: PfError) -> Option<KillReason> {
        super::swapd::before_allocation();
        let pending = with_process(|p| super::swapd::pending_slot(&p.mem, cr2));
        let read = pending.map(|slot| {
            crate::mm::swap::area::dup(slot);
            (slot, crate::mm::swap::area::read_sleeping(slot))
        });
        let failed = with_process(|p| {
            p.mem.stats.page_faults += 1;
            let waited = read.filter(|r| r.1).map(|(slot, _)| slot);
            p.mem.fault_waited(cr2, err, waited).err()
        });
        if let Some((slot, _)) = read {
            crate::mm::swap::area::put(slot);
        }
        failed
    }

    /// A fault the memory layer could not resolve, for `why`. Out of
    /// memory, the OOM killer decides: this task dies only if it holds the
    /// most; otherwise the fault is simply taken again once memory was
    /// freed. Else SIGSEGV or SIGBUS goes to the task, whose handler may
    /// take it; without one it is reported and killed.
    #[inline(never)]
    fn fault_failed(frame: &mut TrapFrame, cr2: u32, err: PfError, why: KillReason) {
        if why == KillReason::OutOfMemory {
            // Swap first; the OOM killer only when nothing could go out.
            if super::swapd::reclaim(super::swapd::FAULT_BATCH) > 0 {
                return;
            }
            if super::oom::out_of_memory() == super::oom::Outcome::Retry {
                return;
            }
        } else {
            record_trap(frame.vector, err.bits(), Some(cr2));
            if deliver::force(&mut SCHED.lock(), SigInfo::fault(why.signal(), why.si_code(), cr2)) {
                return;
            }
        }
        {
            let (pid, name) = current_name();
            with_process(|p| super::report::page_fault_kill(pid, &name, &p.mem, frame, cr2, err, why));
        }
        die_of_fault(why.signal());
    }

    /// Remembers the trap for the sigcontext (trapno, err, cr2).
    fn record_trap(vector: u32, err: u32, cr2: Option<u32>) {
        let mut s = SCHED.lock();
        let t = &mut s.current_task().sig.last_trap;
        t.trapno = vector;
        t.err = err;
        if let Some(a) = cr2 {
            t.cr2 = a;
        }
    }

    /// Ends the current task for a fault. Nothing the caller owns may be
    /// alive here: `exit_current` never returns, so it would never be
    /// dropped (a leak per killed task).
    fn die_of_fault(sig: memguard_abi::Signal) -> ! {
        stats_global::kill();
        SCHED.lock().current_task().kills_by_fault += 1;
        with_process(|p| p.mem.stats.kills += 1);
        super::lifecycle::exit_group(ExitStatus::Killed(sig))
    }

    fn current_name() -> (u32, alloc::string::String) {
        let mut s = SCHED.lock();
        let t = s.current_task();
        (t.pid, t.name.clone())
    }

    /// Last stop before `iret` to ring 3: a fatal signal ends the task, a
    /// SIGSTOP stops it, the end of a slice gives the CPU away, and every
    /// pending signal the task does not block is taken: ignored, its
    /// default action, or a handler frame on the user stack. A system
    /// call a signal interrupted ends in EINTR or is restarted here.
    #[inline(always)]
    pub fn on_return_to_user(frame: &mut TrapFrame) {
        if !nothing_to_do(frame) {
            work_before_return(frame);
        }
    }

    /// `on_return_to_user` after a page fault: no system call to restart.
    #[inline(always)]
    pub fn on_return_from_fault(frame: &mut TrapFrame) {
        if !quiet_return(frame) {
            work_before_return(frame);
        }
    }

    /// `on_return_to_user` when there is something to do.
    #[inline(never)]
    fn work_before_return(frame: &mut TrapFrame) {
        loop {
            let (fatal, stop) = {
                let mut s = SCHED.lock();
                let t = s.current_task();
                (t.fatal, t.stop_requested)
            };
            if let Some(sig) = fatal {
                super::lifecycle::exit_group(ExitStatus::Killed(sig));
            }
            if stop {
                super::lifecycle::stop_if_requested();
                continue;
            }
            if sched::need_resched() {
                sched::yield_now();
                continue;
            }
            let next = deliver::dequeue(&mut SCHED.lock());
            let Some((sig, info, action)) = next else {
                restart_call(frame, None);
                {
                    let mut s = SCHED.lock();
                    if let Some(m) = s.current_task().sig.saved_mask.take() {
                        // A signal it unblocks is taken on the next return.
                        deliver::set_mask(&mut s, m);
                    }
                }
                if resumable(frame) {
                    return;
                }
                // A CS or SS ring 3 may not use (a sigreturn frame's) must
                // never reach `iret`: that fault would be the kernel's.
                {
                    let mut s = SCHED.lock();
                    let t = s.current_task();
                    t.fatal = Some(Signal::SIGSEGV);
                    t.notify();
                }
                continue;
            };
            let init = SCHED.lock().current_task().tgid == process::INIT_PID;
            match action.disposition(sig) {
                Disposition::Ignore => {}
                // Process 1 lets default actions pass (it took these while
                // it blocked them), all but the faults forced on it.
                Disposition::Kill | Disposition::Stop if init && !SYNCHRONOUS.contains(sig) => {}
                Disposition::Stop => {
                    let mut s = SCHED.lock();
                    let tgid = s.current_task().tgid;
                    let _ = deliver::request_stop(&mut s, tgid, sig);
                }
                Disposition::Kill => {
                    let mut s = SCHED.lock();
                    let t = s.current_task();
                    t.fatal = Some(sig);
                    t.notify();
                }
                Disposition::Handler => run_handler(frame, sig, &info, &action),
            }
        }
    }

    /// The common case: no end of slice, no call to restart, the user's
    /// own CS and SS, and nothing changed in the task's signal state since
    /// the last full look (`Task::return_work`). Then the loop above would
    /// do nothing. Otherwise the flag is cleared here, as the full look
    /// begins: whatever changes from now on sets it again.
    #[inline(always)]
    fn nothing_to_do(frame: &TrapFrame) -> bool {
        restart(frame.eax.wrapping_neg() as i32, None).is_none() && quiet_return(frame)
    }

    /// `nothing_to_do` but the system call's restart.
    #[inline(always)]
    fn quiet_return(frame: &TrapFrame) -> bool {
        use crate::arch::x86::gdt::{USER_CODE, USER_DATA};
        frame.cs == u32::from(USER_CODE.raw())
            && frame.user_ss == u32::from(USER_DATA.raw())
            && !sched::need_resched()
            && !sched::take_return_work()
    }

    /// Points the task at its handler for `sig`; if the frame cannot be
    /// written, the task dies of SIGSEGV (as on Linux).
    fn run_handler(frame: &mut TrapFrame, sig: Signal, info: &SigInfo, action: &Action) {
        restart_call(frame, Some(action.flags));
        let old = {
            let mut s = SCHED.lock();
            let t = s.current_task();
            t.sig.saved_mask.take().unwrap_or(t.sig.blocked)
        };
        if deliver::setup_frame(frame, sig, info, action, old).is_err() {
            // Linux's force_sigsegv: SIGSEGV follows, which a handler on an
            // alternate stack may still take; if SIGSEGV itself could not
            // be delivered, its handler is reset so that the next one kills.
            let mut s = SCHED.lock();
            if sig == Signal::SIGSEGV {
                let t = s.current_task();
                let a = t.handlers.lock().get(sig);
                t.handlers.lock().set(sig, Action { handler: super::signal::state::SIG_DFL, ..a });
            }
            deliver::force(&mut s, SigInfo::from_kernel(Signal::SIGSEGV));
        }
    }

    /// Whether `iret` can take `frame` back to ring 3: its CS and SS are
    /// the user segments (the usual case) or other ones ring 3 may use.
    fn resumable(frame: &TrapFrame) -> bool {
        use crate::arch::x86::descriptor::SegmentUse;
        use crate::arch::x86::gdt::{USER_CODE, USER_DATA};
        let (cs, ss) = (frame.cs as u16, frame.user_ss as u16);
        (cs == USER_CODE.raw() || deliver::usable(cs, SegmentUse::Code))
            && (ss == USER_DATA.raw() || deliver::usable(ss, SegmentUse::Stack))
    }

    /// A system call that a signal interrupted (its result is one of the
    /// -ERESTART* codes) is restarted or ends with EINTR, by Linux's rules.
    fn restart_call(frame: &mut TrapFrame, handler: Option<u32>) {
        if frame.vector != crate::arch::x86::idt::SYSCALL_VECTOR || frame.error_code == deliver::NO_SYSCALL {
            return;
        }
        let Some(how) = restart(frame.eax.wrapping_neg() as i32, handler) else { return };
        match how {
            Restart::Interrupted => frame.eax = Errno::EINTR.to_eax(),
            Restart::Again => {
                frame.eax = frame.error_code;
                frame.eip -= 2;
            }
            Restart::Block => {
                frame.eax = memguard_abi::nr::RESTART_SYSCALL;
                frame.eip -= 2;
            }
        }
    }

    /// COM1 input arrived: it goes through the console's line discipline
    /// (signals for the foreground group), and readers look again.
    pub fn on_console_input() {
        super::jobctl::console_input();
    }

    /// A pipe lost an end: its sleepers must look again.
    pub fn on_pipe_closed() {
        SCHED.lock().wake_all(Wait::Pipe);
    }
}

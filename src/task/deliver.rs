//! Sending and taking signals: queueing with Linux's side effects (SIGCONT
//! and the stop signals cancel each other, SIGKILL and fatal signals end
//! the process at once), choosing the next one on the way back to ring 3,
//! writing the handler's frame on the user stack and taking it back in
//! sigreturn.

use super::process::{INIT_PID, JobChange, Pid, TaskState};
use super::sched::{SCHED, Sched, schedule, with_process};
use super::signal::frame::{self, BadFrame};
use super::signal::state::{Action, Disposition, STOP_SIGNALS, mask_for_handler};
use crate::arch::x86::descriptor::{SegmentSelector, SegmentUse, Table};
use crate::arch::x86::exception::Access;
use crate::arch::x86::fpu::FpuState;
use crate::arch::x86::gdt::{self, USER_CODE, USER_DATA};
use crate::arch::x86::trap::TrapFrame;
use crate::mm::usercopy;
use memguard_abi::linux::{SA_ONSTACK, SA_RESETHAND, SA_RESTORER, SA_SIGINFO, SS_DISABLE, SS_ONSTACK};
use memguard_abi::sigframe::{
    FPSTATE_FSAVE_ONLY, FPSTATE_FXSAVE_OFFSET, FPSTATE_MAGIC_OFFSET, FPSTATE_SIZE, RETCODE, RT_RETCODE, RtSigframe,
    Sigcontext, Sigframe, StackT, Ucontext,
};
use memguard_abi::{SigInfo, SigSet, Signal};

/// Who a signal is for: one thread (tkill, faults) or the process it
/// belongs to (kill), where any thread that does not block it may take it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    Thread(Pid),
    Process(Pid),
}

/// The tasks of `pid`'s thread group, by tid, without allocating.
fn each_in_group(s: &mut Sched, tgid: Pid, mut f: impl FnMut(&mut Sched, Pid)) {
    let mut next = 0;
    while let Some(pid) = s.tasks.range(next..).find(|(_, t)| t.tgid == tgid).map(|(&p, _)| p) {
        f(s, pid);
        next = pid + 1;
    }
}

fn alive(s: &Sched, pid: Pid) -> bool {
    s.tasks.get(&pid).is_some_and(|t| !matches!(t.state, TaskState::Zombie(_)))
}

/// Queues `info` for `target` with Linux's side effects, and wakes a
/// sleeper that will act on it. Never allocates when the signal is one
/// that kills, so a fork bomb can be killed with memory gone.
pub fn send(s: &mut Sched, target: Target, info: SigInfo) {
    let (Target::Thread(pid) | Target::Process(pid)) = target;
    let Some(sig) = info.signal() else { return };
    let Some(tgid) = s.tasks.get(&pid).map(|t| t.tgid) else { return };
    // A kernel thread ignores every signal, SIGKILL too (Linux's kthreadd
    // sets them all to SIG_IGN): the sender succeeds, nothing happens.
    if s.tasks.get(&pid).is_some_and(|t| t.kthread) {
        return;
    }
    // The task that takes a process signal: the one named if it lives,
    // else any live thread of its group.
    let taker = match target {
        Target::Thread(_) if alive(s, pid) => pid,
        Target::Thread(_) => return,
        Target::Process(_) if alive(s, pid) => pid,
        Target::Process(_) => {
            match s.tasks.values().find(|t| t.tgid == tgid && !matches!(t.state, TaskState::Zombie(_))) {
                Some(t) => t.pid,
                None => return,
            }
        }
    };
    // SIGCONT and the stop signals cancel each other's pending instances
    // (Linux's prepare_signal); SIGCONT resumes a stopped process even if
    // it is blocked or ignored.
    if STOP_SIGNALS.contains(sig) || sig == Signal::SIGCONT {
        let cancel = if sig == Signal::SIGCONT { STOP_SIGNALS } else { SigSet::of(Signal::SIGCONT) };
        each_in_group(s, tgid, |s, p| {
            let t = s.tasks.get_mut(&p).expect("thread");
            t.sig.pending.discard(cancel);
            t.sig.shared.discard(cancel);
        });
    }
    if sig == Signal::SIGCONT {
        let mut resumed = false;
        each_in_group(s, tgid, |s, p| {
            let t = s.tasks.get_mut(&p).expect("thread");
            t.stop_requested = false;
            if t.state == TaskState::Stopped {
                resumed = true;
                t.unreported = Some(JobChange::Continued);
                s.resume(p);
            }
        });
        if resumed {
            if let Some(l) = s.tasks.get_mut(&tgid) {
                l.unreported = Some(JobChange::Continued);
            }
            s.notify_parent(tgid);
            child_changed(s, tgid, memguard_abi::linux::CLD_CONTINUED, Signal::SIGCONT.raw().into());
        }
    }
    let t = s.tasks.get_mut(&taker).expect("taker");
    let action = t.handlers.lock().get(sig);
    let blocked = t.sig.blocked.contains(sig);
    // Process 1 gets only the signals it handles or blocks (Linux's
    // SIGNAL_UNKILLABLE init): nothing sent can end it.
    if tgid == INIT_PID && action.handler == super::signal::state::SIG_DFL && !blocked {
        return;
    }
    if sig == Signal::SIGKILL {
        kill_group(s, tgid, sig);
        return;
    }
    // Ignored now and not blocked: gone at once (a blocked one waits, as
    // the disposition may change before it is unblocked).
    if !blocked && action.disposition(sig) == Disposition::Ignore {
        return;
    }
    match action.disposition(sig) {
        // A fatal signal nobody blocks ends the process at once (Linux's
        // complete_signal): no queue entry needed.
        Disposition::Kill if !blocked => return kill_group(s, tgid, sig),
        // The stop happens on the way out: wake the taker below.
        Disposition::Stop if !blocked => {
            if !request_stop(s, tgid, sig) {
                return;
            }
        }
        _ => {
            // The taker looks at its signals on the way out (and below, for
            // a process signal it blocks, a thread that does not): Linux's
            // complete_signal. A signal merged into a pending one makes
            // that a look for nothing, which costs only time.
            t.notify();
            let queued = match target {
                Target::Thread(_) => t.sig.pending.add(info),
                Target::Process(_) => s.tasks.get_mut(&tgid).is_some_and(|l| l.sig.shared.add(info)),
            };
            if !queued {
                return;
            }
        }
    }
    // Wake a thread that will act on it: the taker, or for a process
    // signal it blocks, another thread that does not.
    let wakee = match target {
        Target::Process(_) if blocked => s
            .tasks
            .values()
            .find(|t| t.tgid == tgid && !t.sig.blocked.contains(sig) && !matches!(t.state, TaskState::Zombie(_)))
            .map(|t| t.pid),
        _ if blocked => None,
        _ => Some(taker),
    };
    if let Some(w) = wakee {
        if w != taker
            && let Some(t) = s.tasks.get_mut(&w)
        {
            t.notify();
        }
        s.wake(w);
    }
}

/// A stop signal taken by its default action: every task of process
/// `tgid` stops before it next returns to ring 3. SIGTSTP, SIGTTIN and
/// SIGTTOU are discarded instead when the process group is orphaned (no
/// one in the session could continue it), as Linux's get_signal does.
/// Returns whether the stop was asked for.
pub fn request_stop(s: &mut Sched, tgid: Pid, sig: Signal) -> bool {
    if sig != Signal::SIGSTOP && super::groups::own_group_orphaned(s, tgid) {
        return false;
    }
    each_in_group(s, tgid, |s, p| {
        let t = s.tasks.get_mut(&p).expect("thread");
        t.stop_requested = true;
        t.stop_signal = sig;
        t.notify();
    });
    true
}

/// A fatal signal for the whole group: every task of it dies of `sig`.
fn kill_group(s: &mut Sched, tgid: Pid, sig: Signal) {
    if let Some(l) = s.tasks.get_mut(&tgid) {
        l.group_exit.get_or_insert(crate::task::process::ExitStatus::Killed(sig));
    }
    each_in_group(s, tgid, |s, p| {
        let t = s.tasks.get_mut(&p).expect("thread");
        if matches!(t.state, TaskState::Zombie(_)) {
            return;
        }
        t.fatal.get_or_insert(sig);
        t.notify();
        // SIGKILL ends a stop; other signals wait for SIGCONT.
        if sig == Signal::SIGKILL {
            s.resume(p);
        }
        s.wake(p);
    });
}

/// Tells `pid`'s parent that the child stopped, continued or ended:
/// SIGCHLD (or the child's exit signal) with its siginfo, unless the
/// parent asked not to hear of stops (SA_NOCLDSTOP).
pub fn child_changed(s: &mut Sched, pid: Pid, code: u32, status: u32) {
    let Some(t) = s.tasks.get(&pid) else { return };
    let (ppid, exit_signal) = (t.ppid, t.exit_signal);
    let exited = code != memguard_abi::linux::CLD_STOPPED && code != memguard_abi::linux::CLD_CONTINUED;
    let sig = if exited { Signal::from_raw(exit_signal.into()) } else { Some(Signal::SIGCHLD) };
    let (Some(sig), Some(parent)) = (sig, s.tasks.get(&ppid)) else { return };
    if !exited && parent.handlers.lock().get(Signal::SIGCHLD).has(memguard_abi::linux::SA_NOCLDSTOP) {
        return;
    }
    let info = SigInfo { signo: sig.raw().into(), ..SigInfo::child(code, pid, status, 0, 0) };
    send(s, Target::Process(ppid), info);
}

/// Whether the current task has a signal to act on: a fatal one, or one
/// it does not block (sleeps end early for these, with EINTR or a restart).
pub fn pending(s: &mut Sched) -> bool {
    let t = s.current_task();
    let blocked = t.sig.blocked;
    let mine = t.fatal.is_some() || t.sig.pending.next(blocked).is_some();
    mine || group_pending(s).next(blocked).is_some()
}

/// Makes `mask` the current task's mask (Linux's __set_current_blocked).
/// If that lets a pending signal through, its next return to ring 3 takes
/// it (`Task::return_work`). A signal pending for the whole process that
/// it now blocks goes to the other threads that do not block it: they are
/// notified and woken, as `send` would have chosen one of them
/// (retarget_shared_pending).
pub fn set_mask(s: &mut Sched, mask: SigSet) {
    let t = s.current_task();
    let newly_blocked = mask.minus(t.sig.blocked);
    let (me, tgid) = (t.pid, t.tgid);
    t.sig.blocked = mask;
    if pending(s) {
        s.current_task().notify();
    }
    let mut left = SigSet(group_pending(s).set().0 & newly_blocked.0);
    if left.is_empty() {
        return;
    }
    each_in_group(s, tgid, |s, p| {
        let t = s.tasks.get_mut(&p).expect("thread");
        let takes = left.minus(t.sig.blocked);
        if p == me || takes.is_empty() || matches!(t.state, TaskState::Zombie(_)) {
            return;
        }
        left = left.minus(takes);
        t.notify();
        s.wake(p);
    });
}

/// Saves the current mask for a call that waits with `mask` in force
/// (sigsuspend, ppoll, pselect): the way back to ring 3 puts the saved one
/// back, after a handler's frame has recorded it.
pub fn set_temporary_mask(s: &mut Sched, mask: SigSet) {
    let t = s.current_task();
    t.sig.saved_mask = Some(t.sig.blocked);
    // The return must restore the saved mask: it looks in full.
    t.notify();
    set_mask(s, mask);
}

/// The signals pending for the current task's whole process, kept in its
/// group leader's record (which lives as long as any task of the group).
pub fn group_pending(s: &mut Sched) -> &mut super::signal::state::Pending {
    let tgid = s.current_task().tgid;
    &mut s.tasks.get_mut(&tgid).expect("the leader outlives its group").sig.shared
}

/// Takes the next signal the current task does not block: its number,
/// siginfo and the action in force. A handler installed with SA_RESETHAND
/// is reset here, as it is used.
pub fn dequeue(s: &mut Sched) -> Option<(Signal, SigInfo, Action)> {
    let t = s.current_task();
    let blocked = t.sig.blocked;
    let (sig, info) = if let Some(sig) = t.sig.pending.next(blocked) {
        (sig, t.sig.pending.take(sig))
    } else {
        let shared = group_pending(s);
        let sig = shared.next(blocked)?;
        (sig, shared.take(sig))
    };
    let t = s.current_task();
    let mut h = t.handlers.lock();
    let action = h.get(sig);
    if action.disposition(sig) == Disposition::Handler && action.has(SA_RESETHAND) {
        // Only the handler: flags and mask stay, as on Linux.
        h.set(sig, Action { handler: super::signal::state::SIG_DFL, ..action });
    }
    Some((sig, info, action))
}

/// A fault the current task caused, sent so that it cannot be ignored or
/// blocked away: if it is, the handler is reset to the default and the
/// signal unblocked (Linux's force_sig_info), which kills. Returns whether
/// a handler will take it (if not, the caller reports and kills).
pub fn force(s: &mut Sched, info: SigInfo) -> bool {
    let Some(sig) = info.signal() else { return false };
    let t = s.current_task();
    {
        let mut h = t.handlers.lock();
        let a = h.get(sig);
        if a.handler == super::signal::state::SIG_IGN || t.sig.blocked.contains(sig) {
            h.set(sig, Action::DEFAULT);
            t.sig.blocked = t.sig.blocked.without(sig);
        }
    }
    let handled = t.handlers.lock().get(sig).disposition(sig) == Disposition::Handler;
    // A fault is not merged with an earlier, unrelated instance.
    t.sig.pending.discard(SigSet::of(sig));
    t.sig.pending.add(info);
    t.notify();
    handled
}

/// The frame could not be written: the stack is bad or full.
#[derive(Debug)]
pub struct Unwritable;

/// Runs `action`'s handler for `sig` next: writes the frame (sigframe or,
/// with SA_SIGINFO, rt_sigframe) and the FPU state on the user stack and
/// points the registers at the handler. `old_mask` is what sigreturn
/// restores.
pub fn setup_frame(
    frame: &mut TrapFrame,
    sig: Signal,
    info: &SigInfo,
    action: &Action,
    old_mask: SigSet,
) -> Result<(), Unwritable> {
    let (alt, last) = {
        let mut s = SCHED.lock();
        let t = s.current_task();
        (t.sig.altstack, t.sig.last_trap)
    };
    let esp = frame.user_esp;
    let switch = action.has(SA_ONSTACK) && alt.size != 0 && !alt.contains(esp);
    let top = if switch { alt.sp.wrapping_add(alt.size) } else { esp };
    let rt = action.has(SA_SIGINFO);
    let size = if rt { size_of::<RtSigframe>() } else { size_of::<Sigframe>() } as u32;
    let (at, fpstate) = frame::layout(top, size).ok_or(Unwritable)?;
    // On (or entering) the alternate stack, a frame that would not fit in
    // it is refused rather than written below it (Linux's get_sigframe).
    if (switch || alt.contains(esp)) && !alt.contains(at) {
        return Err(Unwritable);
    }
    let sc = Sigcontext {
        gs: frame.gs,
        fs: frame.fs,
        es: frame.es,
        ds: frame.ds,
        edi: frame.edi,
        esi: frame.esi,
        ebp: frame.ebp,
        esp,
        ebx: frame.ebx,
        edx: frame.edx,
        ecx: frame.ecx,
        eax: frame.eax,
        trapno: last.trapno,
        err: last.err,
        eip: frame.eip,
        cs: frame.cs,
        eflags: frame.eflags,
        esp_at_signal: esp,
        ss: frame.user_ss,
        fpstate,
        oldmask: old_mask.words()[0],
        cr2: last.cr2,
    };
    // uc_stack holds the stack as the program set it (Linux's
    // __save_altstack), which sigreturn puts back.
    let stack_flags = alt.flags;
    let restorer = action.has(SA_RESTORER).then_some(action.restorer);
    // One walk of the page tables for the frame and the FPU state above it
    // (`layout` puts them together), then plain copies.
    let end = fpstate + FPSTATE_SIZE as u32;
    with_process(|p| -> Result<(), Unwritable> {
        if !FpuState::is_fxsave() {
            p.fpu.save();
        }
        let fpu = &p.fpu;
        usercopy::with_accessible(&mut p.mem, at, end - at, Access::Write, |user| {
            if user.len() < (end - at) as usize {
                return Err(Unwritable);
            }
            write_fpstate(user, fpstate, (fpstate - at) as usize, fpu);
            if rt {
                let f = RtSigframe {
                    pretcode: restorer.unwrap_or(at + core::mem::offset_of!(RtSigframe, retcode) as u32),
                    sig: sig.raw().into(),
                    pinfo: at + core::mem::offset_of!(RtSigframe, info) as u32,
                    puc: at + core::mem::offset_of!(RtSigframe, uc) as u32,
                    info: *info,
                    uc: Ucontext {
                        flags: 0,
                        link: 0,
                        stack: StackT { sp: alt.sp, flags: stack_flags as i32, size: alt.size },
                        mcontext: sc,
                        sigmask: old_mask.words(),
                    },
                    retcode: RT_RETCODE,
                };
                user.write(0, usercopy::bytes_of(&f));
            } else {
                let f = Sigframe {
                    pretcode: restorer.unwrap_or(at + core::mem::offset_of!(Sigframe, retcode) as u32),
                    sig: sig.raw().into(),
                    sc,
                    fpstate_unused: [0; FPSTATE_SIZE / 4],
                    extramask: old_mask.words()[1],
                    retcode: RETCODE,
                };
                user.write(0, usercopy::bytes_of(&f));
            }
            Ok(())
        })
        .map_err(|_| Unwritable)??;
        // The handler starts with a clean FPU, as on Linux.
        p.fpu.reset();
        Ok(())
    })?;
    frame.user_esp = at;
    frame.eip = action.handler;
    frame.eax = sig.raw().into();
    let (edx, ecx) = if rt {
        (at + core::mem::offset_of!(RtSigframe, info) as u32, at + core::mem::offset_of!(RtSigframe, uc) as u32)
    } else {
        (0, 0)
    };
    frame.edx = edx;
    frame.ecx = ecx;
    frame.cs = USER_CODE.raw().into();
    frame.ds = USER_DATA.raw().into();
    frame.es = USER_DATA.raw().into();
    frame.user_ss = USER_DATA.raw().into();
    // DF, TF and RF cleared (Linux's handle_signal).
    frame.eflags &= !(frame::DF | frame::TF | frame::RF);
    let mut s = SCHED.lock();
    // The mask the task has now, which is sigsuspend's or ppoll's while
    // theirs is in force (the frame keeps the one to go back to).
    let handler_mask = mask_for_handler(s.current_task().sig.blocked, sig, action);
    set_mask(&mut s, handler_mask);
    let t = s.current_task();
    if switch && alt.autodisarm() {
        t.sig.altstack = Default::default();
    }
    Ok(())
}

/// Writes `_fpstate_32` as Linux does at offset `at` of `user` (user
/// address `addr`): the FSAVE header, then (with FXSR) the FXSAVE image
/// with magic 0, saved straight into the frame; without FXSR the FNSAVE
/// image (already saved in `fpu`) and magic 0xffff.
fn write_fpstate(user: &mut usercopy::UserBytes, addr: u32, at: usize, fpu: &FpuState) {
    if FpuState::is_fxsave() {
        let fx = at + FPSTATE_FXSAVE_OFFSET;
        assert!(fx + 512 <= user.len(), "fpstate past the accessible bytes");
        // SAFETY: [addr + 112, +512) lies in `user`'s bytes (checked just
        // above), which `with_accessible` made present and writable with
        // interrupts off; `frame::layout` aligned it to 64 bytes; it is
        // user memory, apart from the kernel's buffer.
        unsafe { fpu.save_to((addr as usize + FPSTATE_FXSAVE_OFFSET) as *mut u8) };
        let mut head = [0u8; frame::FSAVE_HEADER_SOURCE];
        user.read(fx, &mut head);
        user.write(at, &frame::fsave_header(&head));
        // The software-available tail of FXSAVE (bytes 464..) stays zero:
        // no extended-state magic follows.
        user.write(fx + 464, &[0; 48]);
    } else {
        let fx = fpu.bytes();
        let mut b = [0u8; FPSTATE_SIZE];
        b[..108].copy_from_slice(&fx[..108]);
        b[FPSTATE_MAGIC_OFFSET..FPSTATE_MAGIC_OFFSET + 2].copy_from_slice(&FPSTATE_FSAVE_ONLY.to_le_bytes());
        user.write(at, &b);
    }
}

/// Whether ring 3 may load `sel` for `usage` with the current GDT (whose
/// TLS entries are this task's).
pub fn usable(sel: u16, usage: SegmentUse) -> bool {
    let sel = SegmentSelector::from_raw(sel);
    sel.table() == Table::Gdt
        && sel.index() != 0
        && gdt::entry(sel.index() as usize).is_some_and(|d| d.usable_from_ring3(usage))
}

/// sigreturn (`rt`: rt_sigreturn): takes back the frame the handler's
/// `ret` left ESP just above, restores the mask, the registers (checked:
/// see `frame::sanitize`), the FPU state and, for rt, the alternate stack.
/// Returns the restored EAX.
pub fn sigreturn(frame: &mut TrapFrame, rt: bool) -> Result<u32, BadFrame> {
    let (sc, mask, stack) = with_process(|p| {
        if rt {
            // As Linux: the whole frame must lie in user space (access_ok),
            // but only the ucontext in it is read.
            let at = frame.user_esp.wrapping_sub(4);
            usercopy::user_range(at, size_of::<RtSigframe>() as u32).map_err(|_| BadFrame::Unreadable)?;
            let uc_at = at.wrapping_add(core::mem::offset_of!(RtSigframe, uc) as u32);
            let uc: Ucontext = usercopy::read(&mut p.mem, uc_at).map_err(|_| BadFrame::Unreadable)?;
            Ok((uc.mcontext, SigSet::from_words(uc.sigmask), Some(uc.stack)))
        } else {
            // The restorer popped the signal number too: ESP is 8 above.
            let at = frame.user_esp.wrapping_sub(8);
            let f: Sigframe = usercopy::read(&mut p.mem, at).map_err(|_| BadFrame::Unreadable)?;
            Ok((f.sc, SigSet::from_words([f.sc.oldmask, f.extramask]), None))
        }
    })?;
    set_mask(&mut SCHED.lock(), mask.blockable());
    let (r, bad) = match frame::sanitize(&sc, frame.eflags, usable) {
        Ok(r) => (r, false),
        // Restored all the same, for the SIGILL frame to show; the caller
        // makes sure the task never returns to ring 3 with them.
        Err(BadFrame::Selector) => (frame::sanitize(&sc, frame.eflags, |_, _| true).expect("all usable"), true),
        Err(e) => return Err(e),
    };
    if sc.fpstate != 0 {
        with_process(|p| {
            let at = sc.fpstate.wrapping_add(if FpuState::is_fxsave() { FPSTATE_FXSAVE_OFFSET as u32 } else { 0 });
            // Into the task's buffer, not the registers: the task takes
            // them back at its first FPU instruction (#NM), so a task that
            // does no floating point never owns them, and switches to and
            // from it write no CR0 (loading the image straight into the
            // registers measured slower: futex_pingpong 29k against 13k).
            let mem = &mut p.mem;
            p.fpu.load_user(|image| usercopy::copy_in(mem, at, image).map_err(|_| BadFrame::Unreadable))
        })?;
    } else {
        with_process(|p| p.fpu.reset());
    }
    if let Some(st) = stack {
        // As Linux's restore_altstack: only a bad pointer fails the frame;
        // a refused change (EPERM on the stack, ENOMEM) is ignored.
        // With the restored ESP, as Linux's restore_altstack runs after
        // restore_sigcontext.
        let _ = set_altstack(&mut SCHED.lock(), r.esp, st);
    }
    frame.gs = r.gs;
    frame.fs = r.fs;
    frame.es = r.es;
    frame.ds = r.ds;
    frame.edi = r.edi;
    frame.esi = r.esi;
    frame.ebp = r.ebp;
    frame.user_esp = r.esp;
    frame.ebx = r.ebx;
    frame.edx = r.edx;
    frame.ecx = r.ecx;
    frame.eip = r.eip;
    frame.cs = r.cs;
    frame.eflags = r.eflags;
    frame.user_ss = r.ss;
    // Not a system call any more: no restart on the way out.
    frame.error_code = NO_SYSCALL;
    if bad {
        frame.eax = r.eax;
        return Err(BadFrame::Selector);
    }
    Ok(r.eax)
}

/// `frame.error_code` of an `int 0x80` trap holds the call number (Linux's
/// orig_eax); this value says there is no call to restart.
pub const NO_SYSCALL: u32 = u32::MAX;

/// Why sigaltstack refuses a new stack.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AltStackError {
    /// The task runs on the current alternate stack (EPERM).
    OnStack,
    /// Flags other than SS_DISABLE / SS_ONSTACK / SS_AUTODISARM (EINVAL).
    Flags,
    /// Smaller than MINSIGSTKSZ (ENOMEM).
    TooSmall,
}

/// sigaltstack's change, as Linux's do_sigaltstack checks it; `esp` is the
/// task's user stack pointer.
pub fn set_altstack(s: &mut Sched, esp: u32, st: StackT) -> Result<(), AltStackError> {
    use memguard_abi::linux::{MINSIGSTKSZ, SS_AUTODISARM};
    let t = s.current_task();
    if t.sig.altstack.contains(esp) {
        return Err(AltStackError::OnStack);
    }
    let flags = st.flags as u32;
    let mode = flags & !SS_AUTODISARM;
    if mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK {
        return Err(AltStackError::Flags);
    }
    t.sig.altstack = if mode == SS_DISABLE {
        super::signal::state::AltStack { sp: 0, size: 0, flags }
    } else if st.size < MINSIGSTKSZ {
        return Err(AltStackError::TooSmall);
    } else {
        super::signal::state::AltStack { sp: st.sp, size: st.size, flags }
    };
    Ok(())
}

/// The alternate stack as sigaltstack reports it for a task at `esp`.
pub fn altstack_of(s: &mut Sched, esp: u32) -> StackT {
    use memguard_abi::linux::SS_AUTODISARM;
    let a = s.current_task().sig.altstack;
    let mut flags = if a.contains(esp) {
        SS_ONSTACK
    } else if a.size == 0 {
        SS_DISABLE
    } else {
        0
    };
    flags |= a.flags & SS_AUTODISARM;
    StackT { sp: a.sp, flags: flags as i32, size: a.size }
}

/// The timer interrupt's part: SIGALRM for every real timer that expired,
/// re-armed by its interval.
pub fn expire_real_timers(s: &mut Sched, now: u64) {
    while let Some((at, pid)) = s.due_alarm(now) {
        s.disarm_alarm(at, pid);
        let every = s.tasks.get(&pid).and_then(|t| t.sig.real_timer).map_or(0, |(_, e)| e);
        let next = (every > 0).then(|| (at + every.max(1), every));
        if let Some(t) = s.tasks.get_mut(&pid) {
            t.sig.real_timer = next;
        }
        if let Some((n, _)) = next {
            s.arm_alarm(n, pid);
        }
        send(s, Target::Process(pid), SigInfo::from_kernel(Signal::SIGALRM));
    }
}

/// Stops the current task if a stop signal asked it to: the parent hears of it,
/// and this returns when SIGCONT or SIGKILL lets the task run again.
pub fn stop_if_requested() {
    {
        let mut s = SCHED.lock();
        let me = s.current;
        let t = s.current_task();
        if !t.stop_requested || t.fatal == Some(Signal::SIGKILL) {
            return;
        }
        t.stop_requested = false;
        t.state = TaskState::Stopped;
        let sig = t.stop_signal;
        t.unreported = Some(JobChange::Stopped(sig));
        child_changed(&mut s, me, memguard_abi::linux::CLD_STOPPED, sig.raw().into());
        s.notify_parent(me);
    }
    schedule();
}

/// Whether the current task has a signal to act on (sleepers check it
/// when woken and end their call with EINTR or a restart).
pub fn signal_pending() -> bool {
    pending(&mut SCHED.lock())
}

/// For a sleeper that was woken: stops here first if SIGSTOP asked (the
/// call then goes on after SIGCONT, as Linux restarts it), then says
/// whether a signal ends the call.
pub fn interrupted() -> bool {
    stop_if_requested();
    signal_pending()
}

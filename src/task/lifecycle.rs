//! Birth and death: the first process, fork, execve, exit, waitpid, kill.

use super::deliver::{self, Target};
use super::exec;
use super::process::{ExitStatus, INIT_PID, JobChange, Pid, Process, SignalState, Task, TaskState, Wait};
use super::rlimit::Limits;
use super::sched::{self, SCHED, schedule, with_process};
use super::signal::state::{Disposition, Handlers};
use crate::arch::x86::context::{prepare_first_switch, user_frame_of};
use crate::arch::x86::descriptor::SegmentDescriptor;
use crate::arch::x86::fpu::FpuState;
use crate::arch::x86::tls::TLS_ENTRIES;
use crate::arch::x86::trap::TrapFrame;
use crate::fs::{self, FdTable};
use crate::kprintln;
use crate::mm::kstack::KernelStack;
use crate::mm::paging::{kernel_directory, load_cr3};
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use memguard_abi::linux::{
    CLD_DUMPED, CLD_EXITED, CLD_KILLED, CLD_STOPPED, SA_NOCLDWAIT, SI_USER, WCONTINUED, WNOHANG, WUNTRACED,
};
use memguard_abi::{DefaultAction, Errno, SigInfo, Signal};
use spin::Mutex;

/// The last path component, as the process's name.
pub fn base_name(path: &str) -> String {
    String::from(path.rsplit('/').find(|p| !p.is_empty()).unwrap_or(path))
}

/// Starts `path` as process 1 with argv [path, extra...]. Fails if the file
/// is missing or not a program this kernel can run.
pub fn spawn_init(path: &str, extra: &[&str]) -> Result<(), Errno> {
    let node = fs::lookup(path)?;
    let fs::Node::Module(index) = node else { return Err(Errno::EACCES) };
    let argv: Vec<String> = core::iter::once(path).chain(extra.iter().copied()).map(String::from).collect();
    // What Linux gives init.
    let envp = [String::from("HOME=/"), String::from("TERM=linux")];
    let image = exec::load(index, path, &argv, &envp)?;
    let kstack = KernelStack::new().map_err(|_| Errno::ENOMEM)?;
    let frame = TrapFrame::new_user(image.entry, image.stack_pointer);
    // SAFETY: the stack was just made and no task runs on it yet.
    let saved_esp = unsafe { prepare_first_switch(kstack.top(), &frame) };
    let process = Box::new(Process {
        mem: image.mem,
        files: FdTable::with_console(),
        fpu: FpuState::initial(),
        cwd: String::from("/"),
        umask: 0o022,
        limits: Limits::initial(threads_max() as u64),
    });
    let mut s = SCHED.lock();
    let pid = s.alloc_pid().ok_or(Errno::EAGAIN)?;
    assert_eq!(pid, INIT_PID, "init must be the first process");
    s.tasks.insert(pid, Box::new(new_task(pid, 0, base_name(path), kstack, saved_esp, process)));
    s.enqueue(pid);
    Ok(())
}

fn new_task(pid: Pid, ppid: Pid, name: String, kstack: KernelStack, saved_esp: u32, process: Box<Process>) -> Task {
    Task {
        pid,
        ppid,
        exit_signal: Signal::SIGCHLD.raw(),
        name,
        state: TaskState::Runnable,
        fatal: None,
        detached: false,
        handlers: Arc::new(Mutex::new(Handlers::default())),
        sig: SignalState::default(),
        stop_requested: false,
        unreported: None,
        kstack: Some(kstack),
        saved_esp,
        process: Some(process),
        cpu_ns: 0,
        ran_since_ns: 0,
        children_cpu_ns: 0,
        kills_by_fault: 0,
        tls: [SegmentDescriptor::NULL; TLS_ENTRIES],
    }
}

/// Linux's threads-max: one task per 16 frames of memory (8 KiB kernel
/// stacks, 1/8 of RAM); past it fork is EAGAIN.
pub fn threads_max() -> u32 {
    (crate::mm::phys::stats().total / 16).max(64)
}

/// Frames that must be free for a fork to start.
const FORK_HEADROOM: u32 = 128;

/// fork(): a copy of the current task whose fork returns 0, whose death
/// sends its parent `exit_signal` (SIGCHLD, or clone's choice). EAGAIN when
/// no pid or kernel stack is left, ENOMEM when frames run out; nothing is
/// left half-made either way.
pub fn fork_with(parent_frame: &TrapFrame, exit_signal: u8) -> Result<Pid, Errno> {
    // Leave the parent room to copy the pages it writes next (its stack at
    // least, now copy-on-write): refuse a fork rather than have the parent
    // killed for memory a moment later.
    if crate::mm::phys::user_frames_available() < FORK_HEADROOM {
        return Err(Errno::ENOMEM);
    }
    if SCHED.lock().tasks.len() > threads_max() as usize {
        return Err(Errno::EAGAIN);
    }
    let kstack = KernelStack::new().map_err(|_| Errno::EAGAIN)?;
    let process = with_process(|p| -> Result<Box<Process>, Errno> {
        let mem = p.mem.fork().map_err(|_| Errno::ENOMEM)?;
        let mut fpu = p.fpu.clone();
        fpu.save();
        Ok(Box::new(Process { mem, files: p.files.clone(), fpu, cwd: p.cwd.clone(), umask: p.umask, limits: p.limits }))
    })?;
    let mut child_frame = *parent_frame;
    child_frame.eax = 0;
    // SAFETY: the stack was just made and no task runs on it yet.
    let saved_esp = unsafe { prepare_first_switch(kstack.top(), &child_frame) };
    let mut s = SCHED.lock();
    let pid = s.alloc_pid().ok_or(Errno::EAGAIN)?;
    let parent = s.current_task();
    let (ppid, name, tls) = (parent.pid, parent.name.clone(), parent.tls);
    // The child gets a copy of the handlers, the mask and the alternate
    // stack; nothing pending.
    let handlers = parent.handlers.lock().clone();
    let (blocked, altstack) = (parent.sig.blocked, parent.sig.altstack);
    let mut child = new_task(pid, ppid, name, kstack, saved_esp, process);
    child.exit_signal = exit_signal;
    *child.handlers.lock() = handlers;
    child.sig.blocked = blocked;
    child.sig.altstack = altstack;
    // The child's segment registers (in its frame) may name these entries.
    child.tls = tls;
    s.tasks.insert(pid, Box::new(child));
    s.enqueue(pid);
    Ok(pid)
}

/// execve(): replaces the current program. On failure the old one runs on
/// with the error; on success `frame` starts the new one.
pub fn execve(frame: &mut TrapFrame, path: &str, argv: Vec<String>, envp: Vec<String>) -> Result<u32, Errno> {
    let node = fs::lookup(path)?;
    let index = match node {
        fs::Node::Module(i) => i,
        fs::Node::Directory => return Err(Errno::EACCES),
        _ => return Err(Errno::EACCES),
    };
    let image = exec::load(index, path, &argv, &envp)?;
    let name = base_name(argv.first().map_or(path, |a| a.as_str()));
    let old = with_process(|p| {
        p.files.close_on_exec();
        p.fpu = FpuState::initial();
        p.fpu.restore();
        image.mem.space.activate();
        let mut mem = image.mem;
        mem.map.stack_limit = stack_limit(&p.limits);
        core::mem::replace(&mut p.mem, mem)
    });
    // The old address space is no longer loaded; dropping it frees it all.
    drop(old);
    {
        // A new program starts with no TLS entries (Linux's flush_thread)
        // and null FS/GS (`new_user`).
        let mut s = SCHED.lock();
        let t = s.current_task();
        t.name = name;
        t.tls = [SegmentDescriptor::NULL; TLS_ENTRIES];
        // Handlers point into the old program: back to the default (ignored
        // signals stay ignored); the mask and pending signals stay.
        let mut h = t.handlers.lock().clone();
        h.reset_for_exec();
        t.handlers = Arc::new(Mutex::new(h));
        t.sig.altstack = Default::default();
        crate::arch::x86::gdt::load_tls(&t.tls);
    }
    *frame = TrapFrame::new_user(image.entry, image.stack_pointer);
    Ok(0)
}

/// How far the stack may grow under the process's RLIMIT_STACK.
pub fn stack_limit(limits: &Limits) -> u32 {
    limits.0[super::rlimit::RLIMIT_STACK].cur.min(u64::from(crate::mm::layout::USER_END)) as u32
}

/// Ends the current task with `status`. Never returns, so nothing the
/// caller owns (a `String`, a `Vec`) is ever dropped: callers drop
/// everything before calling it.
pub fn exit_current(status: ExitStatus) -> ! {
    let process = SCHED.lock().current_task().process.take();
    // SAFETY: the kernel directory maps the whole kernel half, which is all
    // this code touches from here on.
    unsafe { load_cr3(kernel_directory()) };
    drop(process);
    let pid = {
        let mut s = SCHED.lock();
        let me = s.current;
        s.current_task().state = TaskState::Zombie(status);
        if let Some((at, _)) = s.current_task().sig.real_timer.take() {
            s.disarm_alarm(at, me);
        }
        let mut orphaned_zombie = false;
        for t in s.tasks.values_mut().filter(|t| t.ppid == me) {
            reparent_to_init(t);
            orphaned_zombie |= matches!(t.state, TaskState::Zombie(_));
        }
        let (code, value) = match status {
            ExitStatus::Exited(c) => (CLD_EXITED, u32::from(c)),
            ExitStatus::Killed(sig) if sig.default_action() == DefaultAction::CoreDump => {
                (CLD_DUMPED, sig.raw().into())
            }
            ExitStatus::Killed(sig) => (CLD_KILLED, sig.raw().into()),
        };
        deliver::child_changed(&mut s, me, code, value);
        // A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never reaps:
        // the child goes away by itself, as on Linux.
        let (ppid, exit_signal) = (s.current_task().ppid, s.current_task().exit_signal);
        if exit_signal == Signal::SIGCHLD.raw()
            && let Some(parent) = s.tasks.get(&ppid)
        {
            let a = parent.handlers.lock().get(Signal::SIGCHLD);
            if a.handler == super::signal::state::SIG_IGN || a.has(SA_NOCLDWAIT) {
                s.current_task().detached = true;
                s.detached += 1;
            }
        }
        s.notify_parent(me);
        if orphaned_zombie {
            s.wake(INIT_PID);
        }
        me
    };
    if pid == INIT_PID {
        init_ended(status);
    }
    schedule();
    unreachable!("a dead task was scheduled again");
}

/// Hands an orphan to init. Its exit signal becomes SIGCHLD, as Linux's
/// reparent_leader does ("we don't want people slaying init"): a clone
/// child's odd exit signal would otherwise leave a zombie that init's
/// waitpid (without __WALL) never sees.
fn reparent_to_init(t: &mut Task) {
    t.ppid = INIT_PID;
    t.exit_signal = Signal::SIGCHLD.raw();
}

/// Process 1 is gone: say how, and end the run (success only for exit 0).
fn init_ended(status: ExitStatus) -> ! {
    kprintln!("init (pid 1) {status}; powering off");
    let ok = status == ExitStatus::Exited(0);
    crate::arch::x86::qemu::exit(if ok {
        crate::arch::x86::qemu::ExitCode::Success
    } else {
        crate::arch::x86::qemu::ExitCode::Failure
    })
}

/// Which children a waitpid argument selects. All processes share one
/// process group (there is no setpgid), numbered 1.
fn selects(pid_arg: i32, child: Pid) -> bool {
    match pid_arg {
        -1 | 0 => true,
        p if p > 0 => child == p as Pid,
        p => -p == INIT_PID as i32,
    }
}

/// __WCLONE: wait only for children whose exit signal is not SIGCHLD.
const WCLONE: u32 = 0x8000_0000;
const WALL: u32 = 0x4000_0000;

/// What waitpid found for one child.
enum Found {
    Zombie(Pid),
    Change(Pid, JobChange),
}

/// The first child of the current task that `pid_arg` and `options`
/// select and that has something to report; `Err(ECHILD)` if none is
/// selected at all.
fn find_child(s: &mut super::sched::Sched, pid_arg: i32, options: u32) -> Result<Option<Found>, Errno> {
    let me = s.current;
    // Linux: a child that does not signal SIGCHLD at exit is a "clone
    // child", waited for only with __WCLONE (or __WALL).
    let eligible =
        |t: &Task| options & WALL != 0 || (t.exit_signal != Signal::SIGCHLD.raw()) == (options & WCLONE != 0);
    let mut any = false;
    let mut found = None;
    for t in s
        .tasks
        .values()
        .filter(|t| t.ppid == me && t.pid != me && !t.detached && selects(pid_arg, t.pid) && eligible(t))
    {
        any = true;
        found = match (t.state, t.unreported) {
            (TaskState::Zombie(_), _) => Some(Found::Zombie(t.pid)),
            (_, Some(c @ JobChange::Stopped(_))) if options & WUNTRACED != 0 => Some(Found::Change(t.pid, c)),
            (_, Some(c @ JobChange::Continued)) if options & WCONTINUED != 0 => Some(Found::Change(t.pid, c)),
            _ => continue,
        };
        break;
    }
    if !any {
        return Err(Errno::ECHILD);
    }
    if let Some(Found::Change(pid, _)) = found {
        s.tasks.get_mut(&pid).expect("child").unreported = None;
    }
    Ok(found)
}

/// waitpid()/wait4(): (pid, status word), or (0, 0) for WNOHANG with
/// nothing to report. A zombie is reaped here; with WUNTRACED a stopped
/// child is reported once, with WCONTINUED a continued one.
pub fn wait(pid_arg: i32, options: u32) -> Result<(Pid, u32), Errno> {
    if pid_arg == i32::MIN {
        return Err(Errno::ESRCH);
    }
    loop {
        let found = {
            let mut s = SCHED.lock();
            match find_child(&mut s, pid_arg, options)? {
                Some(f) => Some(f),
                None if options & WNOHANG != 0 => return Ok((0, 0)),
                None if deliver::pending(&mut s) => return Err(Errno::ERESTARTSYS),
                None if s.current_task().stop_requested => None,
                None => {
                    s.current_task().state = TaskState::Sleeping(Wait::Child);
                    None
                }
            }
        };
        match found {
            Some(Found::Zombie(pid)) => return Ok(reap(pid)),
            Some(Found::Change(pid, change)) => return Ok((pid, change.wait_status())),
            None if SCHED.lock().current_task().stop_requested => stop_if_requested(),
            None => schedule(),
        }
    }
}

/// Removes a zombie child: its CPU time joins the parent's children's, and
/// its task record and kernel stack are freed. Returns (pid, status word).
fn reap(pid: Pid) -> (Pid, u32) {
    let t = {
        let mut s = SCHED.lock();
        let t = s.tasks.remove(&pid).expect("zombie");
        s.current_task().children_cpu_ns += t.cpu_ns + t.children_cpu_ns;
        t
    };
    let TaskState::Zombie(status) = t.state else { unreachable!("reaped a live task") };
    (pid, status.wait_status())
}

/// Process 1 gets only the signals it has a handler for (Linux's
/// SIGNAL_UNKILLABLE init): kill from a program cannot end it.
fn init_ignores(t: &Task, sig: Signal) -> bool {
    t.pid == INIT_PID && t.handlers.lock().get(sig).disposition(sig) != Disposition::Handler
}

/// kill(): the target must exist (ESRCH) before the signal is checked
/// (EINVAL), as on Linux. `sig` 0 only checks.
pub fn kill(pid_arg: i32, sig: u32) -> Result<(), Errno> {
    if pid_arg == i32::MIN {
        return Err(Errno::ESRCH);
    }
    let mut s = SCHED.lock();
    let me = s.current;
    let selected = |t: &Task| {
        t.pid != super::process::IDLE_PID
            && match pid_arg {
                p if p > 0 => t.pid == p as Pid,
                -1 => t.pid != INIT_PID && t.pid != me,
                _ => pid_arg == 0 || -pid_arg == INIT_PID as i32,
            }
    };
    // kill(-1) always finds someone on Linux (its kernel threads count).
    if !s.tasks.values().any(|t| selected(t)) && pid_arg != -1 {
        return Err(Errno::ESRCH);
    }
    if sig > u32::from(Signal::MAX) {
        return Err(Errno::EINVAL);
    }
    // Signal 0 only checks that the target exists.
    let Some(sig) = Signal::from_raw(sig) else { return Ok(()) };
    // Walk the table by pid without collecting (no allocation: this must
    // work when memory is gone, e.g. to kill a fork bomb).
    let mut next = 0;
    while let Some(pid) = s.tasks.range(next..).find(|(_, t)| selected(t)).map(|(&p, _)| p) {
        if !init_ignores(&s.tasks[&pid], sig) {
            deliver::send(&mut s, Target::Process(pid), SigInfo::from_process(sig, SI_USER as i32, me, 0));
        }
        next = pid + 1;
    }
    Ok(())
}

/// tkill/tgkill: `sig` for one thread, with SI_TKILL. `tgid` (tgkill) must
/// be the thread's process.
pub fn tkill(tgid: Option<Pid>, tid: Pid, sig: u32) -> Result<(), Errno> {
    let mut s = SCHED.lock();
    let me = s.current;
    let found = s.tasks.get(&tid).filter(|t| tid != super::process::IDLE_PID && tgid.is_none_or(|g| g == t.pid));
    let Some(t) = found else { return Err(Errno::ESRCH) };
    if sig > u32::from(Signal::MAX) {
        return Err(Errno::EINVAL);
    }
    let Some(sig) = Signal::from_raw(sig) else { return Ok(()) };
    if !init_ignores(t, sig) {
        let info = SigInfo::from_process(sig, memguard_abi::linux::SI_TKILL, me, 0);
        deliver::send(&mut s, Target::Thread(tid), info);
    }
    Ok(())
}

/// Stops the current task if SIGSTOP asked it to: the parent hears of it,
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
        t.unreported = Some(JobChange::Stopped(Signal::SIGSTOP));
        deliver::child_changed(&mut s, me, CLD_STOPPED, Signal::SIGSTOP.raw().into());
        s.notify_parent(me);
    }
    schedule();
}

/// Whether the current task has a signal to act on (sleepers check it
/// when woken and end their call with EINTR or a restart).
pub fn signal_pending() -> bool {
    deliver::pending(&mut SCHED.lock())
}

/// Sends `sig` to the current thread (SIGPIPE from a broken pipe): it
/// acts on it on the way back to ring 3.
pub fn raise(sig: Signal) {
    let mut s = SCHED.lock();
    let me = s.current;
    if !init_ignores(&s.tasks[&me], sig) {
        deliver::send(&mut s, Target::Thread(me), SigInfo::from_process(sig, SI_USER as i32, me, 0));
    }
}

/// For a sleeper that was woken: stops here first if SIGSTOP asked (the
/// call then goes on after SIGCONT, as Linux restarts it), then says
/// whether a signal ends the call.
pub fn interrupted() -> bool {
    stop_if_requested();
    signal_pending()
}

/// The current task's kernel stack top, where its user trap frame is.
pub fn current_user_frame() -> *mut TrapFrame {
    let mut s = SCHED.lock();
    user_frame_of(s.current_task().kstack.as_ref().expect("user task has a stack").top())
}

/// Number of tasks (for sysinfo): every task but idle, zombies included.
pub fn task_count() -> u32 {
    SCHED.lock().tasks.len() as u32 - 1
}

pub use sched::current_pid;

/// What a process costs the kernel, in words: page directory and tables,
/// kernel stack, and the task and process records (heap).
pub fn overhead_of(pid: Pid) -> String {
    let s = SCHED.lock();
    let Some(t) = s.tasks.get(&pid) else { return String::from("no such process") };
    let tables = t.process.as_ref().map_or(0, |p| p.mem.space.table_count()) + 1;
    let records = core::mem::size_of::<Task>() + core::mem::size_of::<Process>();
    let bytes = tables * 4096 + crate::mm::kstack::STACK_SIZE + records as u32;
    alloc::format!(
        "{} KiB = {} page-table frames (directory included) + {} KiB kernel stack + {} bytes of task records",
        bytes.div_ceil(1024),
        tables,
        crate::mm::kstack::STACK_SIZE / 1024,
        records
    )
}

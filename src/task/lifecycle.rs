//! Birth and death: the first process, fork, execve, exit, waitpid, kill.

use super::deliver::{self, Target};
pub use super::deliver::{interrupted, signal_pending, stop_if_requested};
use super::exec;
use super::pgrp::Select;
use super::process::{ExitStatus, FsContext, INIT_PID, JobChange, Pid, Process, Shared, Task, TaskState, Wait};
use super::rlimit::Limits;
use super::sched::{self, SCHED, schedule, with_process};
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
use memguard_abi::linux::{CLD_DUMPED, CLD_EXITED, CLD_KILLED, SA_NOCLDWAIT, SI_USER, WCONTINUED, WNOHANG, WUNTRACED};
use memguard_abi::{DefaultAction, Errno, SigInfo, Signal};
use spin::Mutex;

/// The last path component, as the process's name.
pub fn base_name(path: &str) -> String {
    String::from(path.rsplit('/').find(|p| !p.is_empty()).unwrap_or(path))
}

/// Starts `path` as process 1 with argv [path, extra...]. Fails if the file
/// is missing or not a program this kernel can run.
pub fn spawn_init(path: &str, extra: &[&str]) -> Result<(), Errno> {
    let argv: Vec<String> = core::iter::once(path).chain(extra.iter().copied()).map(String::from).collect();
    let (source, path, argv, exe) = program(path, argv)?;
    let path = path.as_str();
    // What Linux gives init.
    let envp = [String::from("HOME=/"), String::from("TERM=linux")];
    let image = exec::load(&source, path, &argv, &envp)?;
    let kstack = KernelStack::new().map_err(|_| Errno::ENOMEM)?;
    let frame = TrapFrame::new_user(image.entry, image.stack_pointer);
    // SAFETY: the stack was just made and no task runs on it yet.
    let saved_esp = unsafe { prepare_first_switch(kstack.top(), &frame) };
    let process = Box::new(Process {
        mem: Shared::new(image.mem),
        files: Shared::new(FdTable::with_console()),
        fs: Shared::new(FsContext::new(crate::fs::tmpfs::ROOT, 0o022)),
        limits: Shared::new(Limits::initial(threads_max() as u64)),
        fpu: FpuState::initial(),
    });
    let mut s = SCHED.lock();
    let pid = s.alloc_pid().ok_or(Errno::EAGAIN)?;
    assert_eq!(pid, INIT_PID, "init must be the first process");
    let mut task = new_task(pid, 0, base_name(path), kstack, saved_esp, process);
    task.exe = Some(exe);
    super::jobctl::init_started(&mut task);
    s.tasks.insert(pid, Box::new(task));
    s.enqueue(pid);
    Ok(())
}

pub fn new_task(pid: Pid, ppid: Pid, name: String, kstack: KernelStack, saved_esp: u32, process: Box<Process>) -> Task {
    Task::fresh(pid, ppid, name, Some(kstack), saved_esp, Some(process))
}

/// How many `#!` interpreters may stand between a file and the program
/// that finally runs (Linux's limit of nested binfmt handlers).
const MAX_INTERPRETERS: usize = 4;

/// What exec runs for `path` and `argv`: the file itself if it is an ELF
/// program, or for a `#!` script its interpreter with the script's path
/// inserted (as binfmt_script does: interpreter, its one optional
/// argument, the script's path, then argv[1..]). EACCES for something not
/// a regular file or without an execute bit, ENOEXEC for neither ELF nor
/// script (the ELF checks come later).
fn program(path: &str, mut argv: Vec<String>) -> Result<(exec::Source, String, Vec<String>, fs::tmpfs::Ino), Errno> {
    let mut path = String::from(path);
    // Relative names start at the working directory (the kernel's own
    // start of init has none yet: the root).
    let cwd = SCHED.lock().current_task().process.as_ref().map_or(fs::tmpfs::ROOT, |p| p.fs.cwd);
    for _ in 0..=MAX_INTERPRETERS {
        let node = fs::root::node_of(fs::root::resolve(cwd, &path)?)?;
        let fs::Node::Inode(ino) = node else { return Err(Errno::EACCES) };
        let (mode, size) = fs::root::with_tree(|t| t.get(ino).map(|n| (n.mode, n.size()))).ok_or(Errno::ENOENT)?;
        if mode & fs::tmpfs::S_IFMT != fs::tmpfs::S_IFREG || mode & 0o111 == 0 {
            return Err(Errno::EACCES);
        }
        // A file open for writing cannot run (Linux's deny_write_access).
        if fs::root::with_tree(|t| t.get(ino).is_some_and(|n| n.writers > 0)) {
            return Err(Errno::ETXTBSY);
        }
        let source = match fs::module_of(node) {
            Some(i) => exec::Source::Module(i),
            None => {
                let mut bytes = alloc::vec![0u8; size as usize];
                let n = fs::root::read(ino, 0, &mut bytes);
                bytes.truncate(n);
                exec::Source::File { ino, bytes }
            }
        };
        let head = source.bytes().unwrap_or(&[]);
        let Some(interp) = super::elf::shebang(head) else { return Ok((source, path, argv, ino)) };
        let (interp, arg) = interp?;
        let mut new = alloc::vec![String::from(interp)];
        if let Some(a) = arg {
            new.push(String::from(a));
        }
        new.push(path.clone());
        new.extend(argv.into_iter().skip(1));
        argv = new;
        path = String::from(interp);
    }
    Err(Errno::ELOOP)
}

/// Whether a live task runs the file `ino` (writing it is ETXTBSY).
pub fn running(ino: fs::tmpfs::Ino) -> bool {
    SCHED.lock().tasks.values().any(|t| t.exe == Some(ino) && !matches!(t.state, TaskState::Zombie(_)))
}

/// Linux's threads-max: one task per 16 frames of memory (8 KiB kernel
/// stacks, 1/8 of RAM); past it fork is EAGAIN.
pub fn threads_max() -> u32 {
    (crate::mm::phys::stats().total / 16).max(64)
}

/// execve(): replaces the current program. On failure the old one runs on
/// with the error; on success `frame` starts the new one.
pub fn execve(frame: &mut TrapFrame, path: &str, argv: Vec<String>, envp: Vec<String>) -> Result<u32, Errno> {
    // The new name is the last component of the path execve was given (the
    // script's, not its interpreter's), as Linux's bprm->filename, cut to
    // TASK_COMM_LEN - 1 bytes.
    let mut name = base_name(path);
    let mut end = name.len().min(15);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name.truncate(end);
    let (source, path, argv, exe) = program(path, argv)?;
    let image = exec::load(&source, &path, &argv, &envp)?;
    end_other_threads();
    release_memory();
    let old = with_process(|p| {
        // The descriptor table becomes this process's own, then loses its
        // close-on-exec entries; the memory is the new program's alone.
        if p.files.users() > 1 {
            p.files = Shared::new((*p.files).clone());
        }
        p.files.close_on_exec();
        p.fpu.reset();
        image.mem.space.activate();
        let mut mem = image.mem;
        mem.map.stack_limit = stack_limit(&p.limits);
        mem.map.limits = p.limits.memory();
        core::mem::replace(&mut p.mem, Shared::new(mem))
    });
    // The old address space is no longer loaded; dropping it frees it all
    // (or leaves it to the vfork parent or threads that share it).
    drop(old);
    release_vfork_parent(&mut SCHED.lock());
    {
        // A new program starts with no TLS entries (Linux's flush_thread)
        // and null FS/GS (`new_user`).
        let mut s = SCHED.lock();
        let t = s.current_task();
        t.name = name;
        // An i386 ELF runs as PER_LINUX; the flag bits stay (SET_PERSONALITY).
        t.personality &= !0xff;
        t.exe = Some(exe);
        t.tls = [SegmentDescriptor::NULL; TLS_ENTRIES];
        // Handlers point into the old program: back to the default (ignored
        // signals stay ignored); the mask and pending signals stay.
        let mut h = t.handlers.lock().clone();
        h.reset_for_exec();
        t.handlers = Arc::new(Mutex::new(h));
        t.sig.altstack = Default::default();
        crate::arch::x86::gdt::load_tls(&t.tls);
        super::jobctl::execd(&mut s);
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
/// everything before calling it. The last task of a thread group to go
/// ends the process: its parent hears of it then.
pub fn exit_current(status: ExitStatus) -> ! {
    release_memory();
    release_vfork_parent(&mut SCHED.lock());
    let process = sched::take_current_process(&mut SCHED.lock());
    // SAFETY: the kernel directory maps the whole kernel half, which is all
    // this code touches from here on.
    unsafe { load_cr3(kernel_directory()) };
    drop(process);
    let (tgid, group_over, status) = {
        let mut s = SCHED.lock();
        let me = s.current;
        let tgid = s.current_task().tgid;
        s.current_task().state = TaskState::Zombie(status);
        let group_over = !group_alive(&s, tgid);
        let status = s.tasks.get(&tgid).and_then(|l| l.group_exit).unwrap_or(status);
        if !s.current_task().is_leader() {
            // A thread is nobody's child: it goes away by itself.
            s.current_task().detached = true;
            s.detached += 1;
        }
        let heir = s.tasks.values().find(|t| t.tgid == tgid && t.pid != me && !matches!(t.state, TaskState::Zombie(_)));
        let heir = heir.map_or(INIT_PID, |t| t.pid);
        let father = super::jobctl::proc_record(&s, tgid);
        let mut orphaned_zombie = false;
        let mut next = 0;
        while let Some(pid) = s.tasks.range(next..).find(|(_, t)| t.ppid == me && t.pid != me).map(|(&p, _)| p) {
            let t = s.tasks.get_mut(&pid).expect("child");
            if heir == INIT_PID {
                reparent_to_init(t);
            } else {
                t.ppid = heir;
            }
            orphaned_zombie |= matches!(t.state, TaskState::Zombie(_));
            if let Some(father) = father.filter(|_| group_over && t.is_leader()) {
                super::jobctl::child_reparented(&mut s, pid, &father);
            }
            next = pid + 1;
        }
        if group_over {
            super::jobctl::process_exiting(&mut s, tgid);
            process_ended(&mut s, tgid, status);
        }
        if orphaned_zombie {
            s.wake(INIT_PID);
        }
        (tgid, group_over, status)
    };
    if tgid == INIT_PID && group_over {
        init_ended(status);
    }
    schedule();
    unreachable!("a dead task was scheduled again");
}

/// Whether a task of group `tgid` other than the current one still runs.
fn group_alive(s: &super::sched::Sched, tgid: Pid) -> bool {
    group_alive_besides(s, tgid, s.current)
}

/// The last task of group `tgid` is gone: the leader's zombie takes the
/// group's status, its timer stops and its parent is told (SIGCHLD), or
/// it reaps itself if the parent ignores SIGCHLD.
fn process_ended(s: &mut super::sched::Sched, tgid: Pid, status: ExitStatus) {
    let Some(leader) = s.tasks.get_mut(&tgid) else { return };
    leader.state = TaskState::Zombie(status);
    if let Some((at, _)) = leader.sig.real_timer.take() {
        s.disarm_alarm(at, tgid);
    }
    let (code, value) = match status {
        ExitStatus::Exited(c) => (CLD_EXITED, u32::from(c)),
        ExitStatus::Killed(sig) if sig.default_action() == DefaultAction::CoreDump => (CLD_DUMPED, sig.raw().into()),
        ExitStatus::Killed(sig) => (CLD_KILLED, sig.raw().into()),
    };
    deliver::child_changed(s, tgid, code, value);
    // A parent that ignores SIGCHLD (or set SA_NOCLDWAIT) never reaps: the
    // child goes away by itself, as on Linux.
    let (ppid, exit_signal) = (s.tasks[&tgid].ppid, s.tasks[&tgid].exit_signal);
    if exit_signal == Signal::SIGCHLD.raw()
        && let Some(parent) = s.tasks.get(&ppid)
    {
        let a = parent.handlers.lock().get(Signal::SIGCHLD);
        if a.handler == super::signal::state::SIG_IGN || a.has(SA_NOCLDWAIT) {
            s.tasks.get_mut(&tgid).expect("leader").detached = true;
            s.detached += 1;
        }
    }
    s.notify_parent(tgid);
}

/// exit_group(), or a fatal signal: every task of the group ends with
/// `status`, this one now.
pub fn exit_group(status: ExitStatus) -> ! {
    {
        let mut s = SCHED.lock();
        kill_group(&mut s, status);
    }
    exit_current(status)
}

/// Marks the current group as ending with `status` and gets its other
/// tasks moving toward their exit.
fn kill_group(s: &mut super::sched::Sched, status: ExitStatus) {
    let (me, tgid) = (s.current, s.current_task().tgid);
    if let Some(l) = s.tasks.get_mut(&tgid) {
        l.group_exit.get_or_insert(status);
    }
    let mut next = 0;
    while let Some(pid) = s.tasks.range(next..).find(|(_, t)| t.tgid == tgid).map(|(&p, _)| p) {
        if pid != me {
            let t = s.tasks.get_mut(&pid).expect("thread");
            t.fatal.get_or_insert(Signal::SIGKILL);
            t.notify();
            s.resume(pid);
            s.wake(pid);
        }
        next = pid + 1;
    }
}

/// execve in a thread group: the other threads end first (Linux's
/// de_thread), so the new program starts alone.
fn end_other_threads() {
    loop {
        {
            let mut s = SCHED.lock();
            let (me, tgid) = (s.current, s.current_task().tgid);
            if !group_alive(&s, tgid) {
                return;
            }
            let mut next = 0;
            while let Some(pid) = s.tasks.range(next..).find(|(_, t)| t.tgid == tgid).map(|(&p, _)| p) {
                if pid != me {
                    let t = s.tasks.get_mut(&pid).expect("thread");
                    t.fatal.get_or_insert(Signal::SIGKILL);
                    t.notify();
                    s.wake(pid);
                }
                next = pid + 1;
            }
        }
        sched::yield_now();
    }
}

/// What a task gives back of its memory when it exits or execs (Linux's
/// mm_release): the robust futexes it holds are marked as their owner
/// died, and its clear_child_tid word is zeroed and woken if others share
/// the memory (a joining thread waits on it).
fn release_memory() {
    let (tid, robust, clear) = {
        let mut s = SCHED.lock();
        let t = s.current_task();
        (t.pid, core::mem::take(&mut t.robust_list), core::mem::take(&mut t.clear_child_tid))
    };
    if SCHED.lock().current_task().process.is_none() {
        return;
    }
    if robust != 0 {
        super::futex::exit_robust_list(tid, robust);
    }
    if clear != 0 && with_process(|p| p.mem.users()) > 1 {
        let zeroed = with_process(|p| crate::mm::usercopy::write(&mut p.mem, clear, &0u32)).is_ok();
        if zeroed {
            let _ = super::futex::wake(clear, false, 1, !0);
        }
    }
}

/// A vfork child is done with its parent's memory: the parent goes on.
fn release_vfork_parent(s: &mut super::sched::Sched) {
    if let Some(parent) = s.current_task().vfork_parent.take() {
        s.wake(parent);
    }
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

/// Whether waitpid's selection takes child process `t`.
fn selects(which: Select, t: &Task) -> bool {
    match which {
        Select::Any => true,
        Select::Process(pid) => t.pid == pid,
        Select::Group(g) => t.pgid == g,
    }
}

/// __WCLONE: wait only for children whose exit signal is not SIGCHLD.
const WCLONE: u32 = 0x8000_0000;
const WALL: u32 = 0x4000_0000;
/// __WNOTHREAD: only this thread's own children.
const WNOTHREAD: u32 = 0x2000_0000;

/// Whether a task of group `tgid` other than `but` is still alive.
fn group_alive_besides(s: &super::sched::Sched, tgid: Pid, but: Pid) -> bool {
    s.tasks.values().any(|t| t.tgid == tgid && t.pid != but && !matches!(t.state, TaskState::Zombie(_)))
}

/// What waitpid found for one child.
enum Found {
    Zombie(Pid),
    Change(Pid, JobChange),
}

/// The first child of the current task that `pid_arg` and `options`
/// select and that has something to report; `Err(ECHILD)` if none is
/// selected at all. `exited`: whether exited children are wanted
/// (WEXITED; waitpid always wants them); `nowait`: a reported stop or
/// continue stays reportable (WNOWAIT).
fn find_child_as(
    s: &mut super::sched::Sched,
    which: Select,
    options: u32,
    exited: bool,
    nowait: bool,
) -> Result<Option<Found>, Errno> {
    let me = s.current;
    let my_tgid = s.current_task().tgid;
    // The children of any thread of the group, unless __WNOTHREAD.
    let ours = |t: &Task| {
        t.ppid == me || (options & WNOTHREAD == 0 && s.tasks.get(&t.ppid).is_some_and(|p| p.tgid == my_tgid))
    };
    // Linux: a child that does not signal SIGCHLD at exit is a "clone
    // child", waited for only with __WCLONE (or __WALL).
    let eligible =
        |t: &Task| options & WALL != 0 || (t.exit_signal != Signal::SIGCHLD.raw()) == (options & WCLONE != 0);
    let mut any = false;
    let mut found = None;
    for t in s
        .tasks
        .values()
        .filter(|t| t.is_leader() && t.tgid != my_tgid && !t.detached && selects(which, t) && eligible(t))
        .filter(|t| ours(t))
    {
        // A zombie waitid does not ask for (no WEXITED) is not there at
        // all: ECHILD if nothing else is (Linux's wait_task_zombie returns
        // before notask_error is cleared).
        if matches!(t.state, TaskState::Zombie(_)) && !exited && !group_alive_besides(s, t.tgid, t.pid) {
            continue;
        }
        any = true;
        found = match (t.state, t.unreported) {
            // A leader that exited while its threads run is not done yet.
            (TaskState::Zombie(_), _) if group_alive_besides(s, t.tgid, t.pid) => continue,
            (TaskState::Zombie(_), _) if exited => Some(Found::Zombie(t.pid)),
            (_, Some(c @ JobChange::Stopped(_))) if options & WUNTRACED != 0 => Some(Found::Change(t.pid, c)),
            (_, Some(c @ JobChange::Continued)) if options & WCONTINUED != 0 => Some(Found::Change(t.pid, c)),
            _ => continue,
        };
        break;
    }
    if !any {
        return Err(Errno::ECHILD);
    }
    if let Some(Found::Change(pid, _)) = found
        && !nowait
    {
        s.tasks.get_mut(&pid).expect("child").unreported = None;
    }
    Ok(found)
}

/// What waitid reports of a child.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WaitReport {
    Exited(ExitStatus),
    Stopped(Signal),
    Continued,
}

/// waitid(): the first child `which` selects with something `options`
/// asks for (WEXITED, WSTOPPED, WCONTINUED), reaped unless WNOWAIT;
/// `None` for WNOHANG with nothing to report. ECHILD when nothing is
/// selected at all; a signal ends the wait (ERESTARTSYS).
pub fn waitid(which: Select, options: u32) -> Result<Option<(Pid, WaitReport)>, Errno> {
    const WEXITED: u32 = 4;
    const WNOWAIT: u32 = 0x0100_0000;
    let (exited, nowait) = (options & WEXITED != 0, options & WNOWAIT != 0);
    loop {
        let found = {
            let mut s = SCHED.lock();
            match find_child_as(&mut s, which, options, exited, nowait)? {
                Some(Found::Zombie(pid)) if nowait => {
                    let TaskState::Zombie(status) = s.tasks[&pid].state else { unreachable!("a zombie") };
                    return Ok(Some((pid, WaitReport::Exited(status))));
                }
                Some(f) => Some(f),
                None if options & WNOHANG != 0 => return Ok(None),
                None if deliver::pending(&mut s) => return Err(Errno::ERESTARTSYS),
                None if s.current_task().stop_requested => None,
                None => {
                    s.current_task().state = TaskState::Sleeping(Wait::Child);
                    None
                }
            }
        };
        match found {
            Some(Found::Zombie(pid)) => return Ok(Some((pid, WaitReport::Exited(reap_status(pid))))),
            Some(Found::Change(pid, JobChange::Stopped(sig))) => return Ok(Some((pid, WaitReport::Stopped(sig)))),
            Some(Found::Change(pid, JobChange::Continued)) => return Ok(Some((pid, WaitReport::Continued))),
            None if SCHED.lock().current_task().stop_requested => stop_if_requested(),
            None => schedule(),
        }
    }
}

/// waitpid()/wait4(): (pid, status word), or (0, 0) for WNOHANG with
/// nothing to report. A zombie is reaped here; with WUNTRACED a stopped
/// child is reported once, with WCONTINUED a continued one.
pub fn wait(pid_arg: i32, options: u32) -> Result<(Pid, u32), Errno> {
    const WEXITED: u32 = 4;
    if pid_arg == i32::MIN {
        return Err(Errno::ESRCH);
    }
    // waitpid(0): the caller's group when it called.
    let which = Select::of_wait(pid_arg, super::jobctl::current_pgid(&mut SCHED.lock()));
    // waitid's wait, which waitpid always asks for exited children.
    Ok(match waitid(which, options | WEXITED)? {
        None => (0, 0),
        Some((pid, WaitReport::Exited(status))) => (pid, status.wait_status()),
        Some((pid, WaitReport::Stopped(sig))) => (pid, JobChange::Stopped(sig).wait_status()),
        Some((pid, WaitReport::Continued)) => (pid, JobChange::Continued.wait_status()),
    })
}

/// Removes a zombie child: its CPU time joins the parent's children's, and
/// its task record and kernel stack are freed. Returns its exit status.
fn reap_status(pid: Pid) -> ExitStatus {
    let t = {
        let mut s = SCHED.lock();
        let t = s.tasks.remove(&pid).expect("zombie");
        s.current_task().children_cpu_ns += t.cpu_ns(false) + t.children_cpu_ns;
        t
    };
    let TaskState::Zombie(status) = t.state else { unreachable!("reaped a live task") };
    status
}

/// kill(): the target must exist (ESRCH) before the signal is checked
/// (EINVAL), as on Linux. `sig` 0 only checks.
pub fn kill(pid_arg: i32, sig: u32) -> Result<(), Errno> {
    if pid_arg == i32::MIN {
        return Err(Errno::ESRCH);
    }
    let mut s = SCHED.lock();
    let (my_tgid, my_pgid) = (s.current_task().tgid, s.current_task().pgid);
    let selected = |t: &Task| {
        t.pid != super::process::IDLE_PID
            && match pid_arg {
                p if p > 0 => t.pid == p as Pid,
                // Groups are signalled once, through their leaders.
                -1 => t.is_leader() && t.pid != INIT_PID && t.tgid != my_tgid,
                0 => t.is_leader() && t.pgid == my_pgid,
                p => t.is_leader() && t.pgid == p.unsigned_abs(),
            }
    };
    // One process named: found by its pid, not by a walk of the table.
    if pid_arg > 0 {
        let pid = pid_arg as Pid;
        if !s.tasks.get(&pid).is_some_and(|t| selected(t)) {
            return Err(Errno::ESRCH);
        }
        if sig > u32::from(Signal::MAX) {
            return Err(Errno::EINVAL);
        }
        if let Some(sig) = Signal::from_raw(sig) {
            deliver::send(&mut s, Target::Process(pid), SigInfo::from_process(sig, SI_USER as i32, my_tgid, 0));
        }
        return Ok(());
    }
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
        deliver::send(&mut s, Target::Process(pid), SigInfo::from_process(sig, SI_USER as i32, my_tgid, 0));
        next = pid + 1;
    }
    Ok(())
}

/// tkill/tgkill: `sig` for one thread, with SI_TKILL. `tgid` (tgkill) must
/// be the thread's process.
pub fn tkill(tgid: Option<Pid>, tid: Pid, sig: u32) -> Result<(), Errno> {
    let mut s = SCHED.lock();
    let me = s.current;
    let found = s.tasks.get(&tid).filter(|t| {
        tid != super::process::IDLE_PID
            && tgid.is_none_or(|g| g == t.tgid)
            && !(t.detached || (!t.is_leader() && matches!(t.state, TaskState::Zombie(_))))
    });
    let Some(t) = found else { return Err(Errno::ESRCH) };
    if sig > u32::from(Signal::MAX) {
        return Err(Errno::EINVAL);
    }
    let Some(sig) = Signal::from_raw(sig) else { return Ok(()) };
    let _ = t;
    let info = SigInfo::from_process(sig, memguard_abi::linux::SI_TKILL, s.tasks[&me].tgid, 0);
    deliver::send(&mut s, Target::Thread(tid), info);
    Ok(())
}

/// Sends `sig` to the current thread (SIGPIPE from a broken pipe): it
/// acts on it on the way back to ring 3.
pub fn raise(sig: Signal) {
    let mut s = SCHED.lock();
    let me = s.current;
    let tgid = s.tasks[&me].tgid;
    deliver::send(&mut s, Target::Thread(me), SigInfo::from_process(sig, SI_USER as i32, tgid, 0));
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

//! What a task is: its scheduling state (touched by others: the parent, the
//! scheduler, kill) and its process resources (touched only by itself).

use super::rlimit::Limits;
use super::signal::state::{AltStack, Handlers, Pending};
use crate::arch::x86::descriptor::SegmentDescriptor;
use crate::arch::x86::fpu::FpuState;
use crate::arch::x86::tls::TLS_ENTRIES;
use crate::fs::FdTable;
use crate::mm::kstack::KernelStack;
use crate::mm::user::UserMemory;
use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use core::sync::atomic::{AtomicBool, Ordering};
use memguard_abi::{SigSet, Signal, wstatus};
use spin::Mutex;

pub type Pid = u32;

/// The idle task: the boot thread, which runs when nothing else can.
pub const IDLE_PID: Pid = 0;
pub const INIT_PID: Pid = 1;

/// Why a task sleeps.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Wait {
    /// In waitpid, for a child to change state.
    Child,
    /// In read on the console, for input.
    ConsoleInput,
    /// In nanosleep, until its deadline.
    Timer,
    /// In read or write on a pipe, for data, room or a closed end.
    Pipe,
    /// In pause, sigsuspend or sigtimedwait, for a signal.
    Signal,
    /// In FUTEX_WAIT, for a FUTEX_WAKE.
    Futex,
    /// In vfork, for the child to exec or exit.
    Vfork,
    /// For the disk to finish a request (uninterruptible: Linux's D).
    Disk,
    /// In poll or select, for any of its descriptors to change (pipe
    /// activity, console input), its timeout, or a signal.
    Poll,
    /// A kernel thread with nothing to do, until its work wakes it by pid
    /// (kswapd: free memory fell below the low watermark).
    Work,
}

impl Wait {
    /// Whether waking the sleepers of this kind wakes the pollers too: the
    /// events a descriptor's readiness can change on.
    pub fn wakes_pollers(self) -> bool {
        matches!(self, Wait::Pipe | Wait::ConsoleInput)
    }
}

/// What a blocking call left for restart_syscall to resume with, when a
/// signal without a handler (or a stop) interrupted it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RestartBlock {
    /// nanosleep / clock_nanosleep: the deadline on the monotonic clock,
    /// where to write the time left, and in which timespec form.
    Sleep { deadline: u64, rem: u32, time64: bool },
    /// FUTEX_WAIT with a timeout: the word, the value expected, the
    /// deadline (monotonic ns), the bitset and whether it is private.
    Futex { uaddr: u32, val: u32, deadline: u64, bitset: u32, private: bool },
    /// poll: the array, its length and the deadline (monotonic ns; `None`
    /// for no timeout, `Some(0)` for a zero one).
    Poll { ufds: u32, nfds: u32, deadline: Option<u64> },
}

/// The trap that last interrupted the task in ring 3, for the
/// sigcontext's trapno, err and cr2.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct LastTrap {
    pub trapno: u32,
    pub err: u32,
    pub cr2: u32,
}

/// A thread's own signal state.
#[derive(Default)]
pub struct SignalState {
    pub blocked: SigSet,
    /// Signals sent to this thread (tkill, tgkill, faults).
    pub pending: Pending,
    /// Signals sent to the process, taken by whichever thread can: kept
    /// in the thread-group leader's record.
    pub shared: Pending,
    pub altstack: AltStack,
    /// The mask to restore once a handler frame is written or, without a
    /// handler, on the way out (rt_sigsuspend's temporary mask).
    pub saved_mask: Option<SigSet>,
    pub restart: Option<RestartBlock>,
    pub last_trap: LastTrap,
    /// ITIMER_REAL (and alarm): next expiry on the monotonic clock and the
    /// reload interval, in ns; kept in the leader's record.
    pub real_timer: Option<(u64, u64)>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ExitStatus {
    Exited(u8),
    Killed(Signal),
}

impl ExitStatus {
    /// The `waitpid` status word.
    pub fn wait_status(self) -> u32 {
        match self {
            ExitStatus::Exited(code) => wstatus::exited(u32::from(code)),
            ExitStatus::Killed(sig) => wstatus::signaled(sig.raw()),
        }
    }
}

impl core::fmt::Display for ExitStatus {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        match self {
            ExitStatus::Exited(c) => write!(f, "exited with status {c}"),
            ExitStatus::Killed(s) => write!(f, "killed by {} (signal {})", s, s.raw()),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TaskState {
    Runnable,
    Running,
    Sleeping(Wait),
    /// Stopped by SIGSTOP until SIGCONT (or SIGKILL).
    Stopped,
    Zombie(ExitStatus),
}

/// A job-control change the parent's waitpid has yet to see.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum JobChange {
    /// Reported with WUNTRACED as `sig << 8 | 0x7f`.
    Stopped(Signal),
    /// Reported with WCONTINUED as `0xffff`.
    Continued,
}

impl JobChange {
    pub fn wait_status(self) -> u32 {
        match self {
            JobChange::Stopped(sig) => wstatus::stopped(sig.raw()),
            JobChange::Continued => wstatus::CONTINUED,
        }
    }
}

impl TaskState {
    pub fn letter(self) -> char {
        match self {
            TaskState::Runnable => 'R',
            TaskState::Running => 'R',
            TaskState::Sleeping(Wait::Disk) => 'D',
            TaskState::Sleeping(_) => 'S',
            TaskState::Stopped => 'T',
            TaskState::Zombie(_) => 'Z',
        }
    }
}

/// A resource that clone may share between tasks (CLONE_VM, CLONE_FILES,
/// CLONE_FS, CLONE_THREAD) or copy (fork).
///
/// It hands out `&mut T` to whichever task holds it, which is sound
/// because of two rules of this kernel: one CPU, and a task in the kernel
/// runs until it sleeps (interrupts are off); and nobody sleeps while
/// holding a reference from `with_process` (`sched::switch_to` asserts
/// it). So two tasks sharing a resource never hold a reference to it at
/// the same time.
pub struct Shared<T>(Arc<SharedCell<T>>);

pub struct SharedCell<T>(core::cell::UnsafeCell<T>);

// SAFETY: one CPU and the rule above: at most one task touches the value at
// a time, so moving the handle between tasks cannot race.
unsafe impl<T> Send for SharedCell<T> {}
// SAFETY: as above.
unsafe impl<T> Sync for SharedCell<T> {}

impl<T> Shared<T> {
    pub fn new(v: T) -> Self {
        Shared(Arc::new(SharedCell(core::cell::UnsafeCell::new(v))))
    }
    /// Another handle on the same value (clone's sharing flags).
    pub fn share(&self) -> Self {
        Shared(self.0.clone())
    }
    /// How many tasks hold it (Linux's mm_users, for CLONE_CHILD_CLEARTID).
    pub fn users(&self) -> usize {
        Arc::strong_count(&self.0)
    }
    /// Whether both handles are on the same value.
    pub fn same(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> core::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: see the type's rule: no other task holds a reference now.
        unsafe { &*self.0.0.get() }
    }
}

impl<T> core::ops::DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` excludes this task's own
        // other references through the same handle.
        unsafe { &mut *self.0.0.get() }
    }
}

/// The file-system context CLONE_FS shares. The working directory is held
/// like an open file: removed, it lives on (empty) while someone is in it.
pub struct FsContext {
    /// The working directory's inode (the root to start with).
    pub cwd: crate::fs::tmpfs::Ino,
    /// The file-creation mask (umask), inherited across fork and exec.
    pub umask: u32,
}

impl FsContext {
    pub fn new(cwd: crate::fs::tmpfs::Ino, umask: u32) -> Self {
        crate::fs::root::hold(cwd);
        FsContext { cwd, umask }
    }

    /// Moves to directory `ino`.
    pub fn set_cwd(&mut self, ino: crate::fs::tmpfs::Ino) {
        crate::fs::root::hold(ino);
        crate::fs::root::unhold(core::mem::replace(&mut self.cwd, ino));
    }
}

impl Clone for FsContext {
    fn clone(&self) -> Self {
        FsContext::new(self.cwd, self.umask)
    }
}

impl Drop for FsContext {
    fn drop(&mut self) {
        crate::fs::root::unhold(self.cwd);
    }
}

/// The resources a running program owns; the FPU state is this task's
/// own, the rest may be shared with other tasks.
pub struct Process {
    pub mem: Shared<UserMemory>,
    pub files: Shared<FdTable>,
    pub fs: Shared<FsContext>,
    /// Resource limits: one set per thread group, inherited by fork and exec.
    pub limits: Shared<Limits>,
    pub fpu: FpuState,
}

pub struct Task {
    /// The task's own id (gettid; Linux calls it the pid).
    pub pid: Pid,
    /// Its thread group's id (getpid): the pid of the group's first task,
    /// the leader, whose record holds what the group shares.
    pub tgid: Pid,
    /// The task that created it (a thread's parent is its group's parent).
    pub ppid: Pid,
    /// set_tid_address / CLONE_CHILD_CLEARTID: zeroed and woken (futex) at
    /// exit when the memory is shared.
    pub clear_child_tid: u32,
    /// set_robust_list's head (0: none), walked at exit.
    pub robust_list: u32,
    /// The file the task runs (its inode), for /proc/<pid>/exe and
    /// ETXTBSY.
    pub exe: Option<crate::fs::tmpfs::Ino>,
    /// CLONE_VFORK: the task sleeping until this one execs or exits.
    pub vfork_parent: Option<Pid>,
    /// On a leader: how the whole group ends (exit_group, a fatal signal),
    /// whichever thread is last.
    pub group_exit: Option<ExitStatus>,
    /// The signal this task's death sends its parent: SIGCHLD, or what
    /// clone asked for (which makes it a "clone child" for waitpid).
    pub exit_signal: u8,
    /// The program name (argv[0]'s last component), for reports and `ps`.
    pub name: String,
    pub state: TaskState,
    /// The signal the task is dying of: it ends before it next returns to
    /// ring 3, and every sleep it is in is cut short.
    pub fatal: Option<Signal>,
    /// Handlers (shared by the threads of a process), mask, queues.
    pub handlers: Arc<Mutex<Handlers>>,
    pub sig: SignalState,
    /// A stop signal arrived: stop before the next return to ring 3.
    pub stop_requested: bool,
    /// The way back to ring 3 must look at the signal state in full
    /// (Linux's TIF_SIGPENDING): set by every change that can give
    /// `on_return_to_user` work (a signal queued for the task or its
    /// process, a change of its mask, sigsuspend's saved mask, a stop or a
    /// fatal signal), cleared when that look begins. While it is clear the
    /// return checks this one flag, and reads it with no lock through
    /// `sched::current_task_ptr`, hence the atomic. `notify` sets it.
    pub return_work: AtomicBool,
    /// Which one (SIGSTOP, or SIGTSTP/SIGTTIN/SIGTTOU by default action),
    /// for the parent's waitpid.
    pub stop_signal: Signal,
    /// The nice value, -20..=19 (nice, setpriority). Kept, reported (ps,
    /// /proc stat) and inherited; the round-robin scheduler does not weigh it.
    pub nice: i8,
    /// personality(2)'s persona word (PER_LINUX, 0, with its flag bits).
    pub personality: u32,
    /// Process group and session (the same in every thread's record).
    pub pgid: Pid,
    pub sid: Pid,
    /// The console is the process's controlling terminal.
    pub ctty: bool,
    /// execve ran since fork (Linux's PF_FORKNOEXEC cleared): the parent's
    /// setpgid on it is EACCES.
    pub execd: bool,
    /// A zombie nobody will wait for (its parent ignores SIGCHLD or set
    /// SA_NOCLDWAIT): the scheduler frees it once it is off its stack.
    pub detached: bool,
    /// A stop or continue that waitpid has not reported yet.
    pub unreported: Option<JobChange>,
    /// `None` only for the idle task, which runs on the boot stack.
    pub kstack: Option<KernelStack>,
    /// The kernel stack pointer saved by the last switch away.
    pub saved_esp: u32,
    /// `None` for the idle task and once the task has exited.
    pub process: Option<Box<Process>>,
    /// CPU time in `time::cpu_ticks` (TSC ticks), and the clock when it
    /// was last switched in; `cpu_ns` converts.
    pub cpu_ticks: u64,
    pub ran_since_ticks: u64,
    /// CPU time of reaped children (and theirs), for times and getrusage.
    pub children_cpu_ns: u64,
    pub kills_by_fault: u32,
    /// The task's TLS entries (GDT 6–8, set_thread_area), loaded into the
    /// GDT whenever it runs.
    pub tls: [SegmentDescriptor; TLS_ENTRIES],
    /// A kernel thread (the idle task too): it runs only kernel code, on
    /// the kernel's page directory, has no process, and ignores every
    /// signal (Linux's PF_KTHREAD).
    pub kthread: bool,
}

impl Task {
    pub fn is_leader(&self) -> bool {
        self.pid == self.tgid
    }

    /// The task's signal state changed: its next return to ring 3 looks
    /// at it in full (`return_work`).
    pub fn notify(&mut self) {
        self.return_work.store(true, Ordering::Relaxed);
    }

    /// Nanoseconds of CPU time up to the last switch away; `running`: the
    /// task is the current one, and the time since it was switched in
    /// counts too.
    pub fn cpu_ns(&self, running: bool) -> u64 {
        let now = if running { crate::time::cpu_ticks().saturating_sub(self.ran_since_ticks) } else { 0 };
        crate::time::cpu_ticks_to_ns(self.cpu_ticks + now)
    }

    /// The record of a kernel thread `pid` (ppid `ppid`) called `name`,
    /// runnable, on `kstack` (none for the idle task: the boot stack)
    /// whose first switch resumes at `saved_esp`. No process group or
    /// session (0, as Linux's), every signal ignored.
    pub fn kernel(pid: Pid, ppid: Pid, name: &str, kstack: Option<KernelStack>, saved_esp: u32) -> Task {
        let mut handlers = Handlers::default();
        for n in 1..=u32::from(Signal::MAX) {
            if let Some(sig) = Signal::from_raw(n) {
                let a = handlers.get(sig);
                handlers.set(sig, super::signal::state::Action { handler: super::signal::state::SIG_IGN, ..a });
            }
        }
        Task {
            exit_signal: 0,
            handlers: Arc::new(Mutex::new(handlers)),
            execd: true,
            kthread: true,
            ..Task::fresh(pid, ppid, String::from(name), kstack, saved_esp, None)
        }
    }

    /// A new task's record, runnable, on `kstack` (none for the idle task:
    /// the boot stack) whose first switch resumes at `saved_esp`: its own
    /// thread group, default signal handlers, SIGCHLD to its parent at exit.
    pub fn fresh(
        pid: Pid,
        ppid: Pid,
        name: String,
        kstack: Option<KernelStack>,
        saved_esp: u32,
        process: Option<Box<Process>>,
    ) -> Task {
        Task {
            pid,
            ppid,
            exit_signal: Signal::SIGCHLD.raw(),
            name,
            state: TaskState::Runnable,
            fatal: None,
            detached: false,
            tgid: pid,
            clear_child_tid: 0,
            robust_list: 0,
            exe: None,
            vfork_parent: None,
            group_exit: None,
            handlers: Arc::new(Mutex::new(Handlers::default())),
            sig: SignalState::default(),
            stop_requested: false,
            return_work: AtomicBool::new(true),
            stop_signal: Signal::SIGSTOP,
            nice: 0,
            personality: 0,
            pgid: 0,
            sid: 0,
            ctty: false,
            execd: false,
            unreported: None,
            kstack,
            saved_esp,
            process,
            cpu_ticks: 0,
            ran_since_ticks: 0,
            children_cpu_ns: 0,
            kills_by_fault: 0,
            tls: [SegmentDescriptor::NULL; TLS_ENTRIES],
            kthread: false,
        }
    }

    /// The page directory's physical address, for `ps`.
    pub fn directory(&self) -> u32 {
        self.process.as_ref().map_or(crate::mm::paging::kernel_directory().start().as_u32(), |p| {
            p.mem.space.directory_frame().start().as_u32()
        })
    }
}

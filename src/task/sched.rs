//! The task table and the scheduler: round-robin over runnable tasks, a
//! 10 ms slice, preemption when a slice ends on the way back to ring 3, and
//! the idle task (the boot thread) when nothing can run.
//!
//! Rules: the kernel runs with interrupts off, so the table lock is never
//! contended by an interrupt; it is never held across a switch. A task's
//! `Process` is touched only by the task itself (`with_process`), or by
//! others only while it is not running (debug views).

use super::process::{IDLE_PID, Pid, Process, Task, TaskState, Wait};
use crate::arch::x86::context;
use crate::arch::x86::instructions::wait_for_interrupt;
use crate::arch::x86::{fpu, gdt, onecpu, tss};
use crate::mm::paging::activate_kernel;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet, VecDeque};
use core::ptr::NonNull;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, Ordering};
use spin::Mutex;

/// Run-queue slots kept when it empties.
const QUEUE_KEEP: usize = 64;
/// Timer ticks in a time slice.
const SLICE_TICKS: u32 = 10;
/// Linux's pid_max default on 32-bit.
pub const PID_MAX: Pid = 32768;

pub struct Sched {
    pub tasks: BTreeMap<Pid, Box<Task>>,
    queue: VecDeque<Pid>,
    pub current: Pid,
    last_pid: Pid,
    /// Sleepers with a deadline: (monotonic ns, pid).
    timers: BTreeSet<(u64, Pid)>,
    slice_left: u32,
    /// Zombies marked `detached` and not yet freed.
    pub detached: u32,
    /// Processes with ITIMER_REAL armed: (expiry, pid), monotonic ns.
    alarms: BTreeSet<(u64, Pid)>,
    /// The record of `current`, so that the paths every system call takes
    /// need no search of `tasks` (`set_current` keeps the two in step).
    running: Option<NonNull<Task>>,
}

// SAFETY: `running` points into a `Box<Task>` that `tasks` owns; the
// pointer moves with the table and is only used under the table's lock.
unsafe impl Send for Sched {}

pub static SCHED: Mutex<Sched> = Mutex::new(Sched {
    tasks: BTreeMap::new(),
    queue: VecDeque::new(),
    current: IDLE_PID,
    last_pid: 0,
    timers: BTreeSet::new(),
    slice_left: SLICE_TICKS,
    detached: 0,
    alarms: BTreeSet::new(),
    running: None,
});

impl Sched {
    pub fn current_task(&mut self) -> &mut Task {
        let t = self.running.expect("current task exists");
        debug_assert_eq!(self.tasks.get(&self.current).map(|b| &**b as *const Task), Some(t.as_ptr() as *const _));
        // SAFETY: `running` points at the boxed record of `current`, which
        // stays in `tasks` while it is current (a task is freed only once
        // another runs: `free_detached`, reaping by the parent). `&mut
        // self` makes this the only reference into the table, as a
        // `tasks.get_mut` would.
        unsafe { &mut *t.as_ptr() }
    }

    /// Makes `pid` (which must be in the table) the current task.
    fn set_current(&mut self, pid: Pid) {
        let t = self.tasks.get_mut(&pid).expect("the next task exists");
        CURRENT_TGID.store(t.tgid, Ordering::Relaxed);
        let process = t.process.as_mut().map_or(core::ptr::null_mut(), |p| &mut **p as *mut Process);
        CURRENT_PROCESS.store(process, Ordering::Relaxed);
        CURRENT_TASK.store(&mut **t, Ordering::Relaxed);
        self.running = Some(NonNull::from(&mut **t));
        self.current = pid;
    }

    /// A free pid, Linux style: the next after the last one, wrapping.
    pub fn alloc_pid(&mut self) -> Option<Pid> {
        for _ in 0..PID_MAX {
            self.last_pid = if self.last_pid + 1 >= PID_MAX { 2 } else { self.last_pid + 1 };
            if !self.tasks.contains_key(&self.last_pid) {
                super::kstat::on_fork();
                return Some(self.last_pid);
            }
        }
        None
    }

    /// Tasks running or ready to run, the idle task not counted (the
    /// load average's sample, /proc/stat's procs_running).
    pub fn runnable(&self) -> u32 {
        let busy = |t: &Task| t.pid != IDLE_PID && matches!(t.state, TaskState::Running | TaskState::Runnable);
        self.tasks.values().filter(|t| busy(t)).count() as u32
    }

    /// The pid handed out last (/proc/loadavg's last field).
    pub fn last_pid(&self) -> Pid {
        self.last_pid
    }

    /// Makes a sleeping task runnable.
    pub fn wake(&mut self, pid: Pid) {
        if let Some(t) = self.tasks.get_mut(&pid)
            && let TaskState::Sleeping(w) = t.state
        {
            t.state = TaskState::Runnable;
            self.queue.push_back(pid);
            if w == Wait::Timer || w == Wait::Poll {
                self.timers.retain(|&(_, p)| p != pid);
            }
        }
    }

    /// Wakes every task sleeping for `why`, and the pollers if `why` is
    /// something a descriptor's readiness changes on.
    pub fn wake_all(&mut self, why: Wait) {
        let polls = why.wakes_pollers();
        let wakes = |t: &Task| match t.state {
            TaskState::Sleeping(w) => w == why || (polls && w == Wait::Poll),
            _ => false,
        };
        // By pid, without collecting: no allocation on this path.
        let mut next = 0;
        while let Some(pid) = self.tasks.range(next..).find(|(_, t)| wakes(t)).map(|(&p, _)| p) {
            self.wake(pid);
            next = pid + 1;
        }
    }

    /// The next task in line. An emptied queue gives back the room a burst
    /// of runnable tasks made it grow to (a fork bomb's), so the kernel heap
    /// returns to its size once the burst is over.
    fn next_in_line(&mut self) -> Option<Pid> {
        let next = self.queue.pop_front();
        if self.queue.is_empty() && self.queue.capacity() > QUEUE_KEEP {
            self.queue.shrink_to(QUEUE_KEEP);
        }
        next
    }

    pub fn enqueue(&mut self, pid: Pid) {
        self.queue.push_back(pid);
    }

    /// Lets a stopped task run again.
    pub fn resume(&mut self, pid: Pid) {
        if let Some(t) = self.tasks.get_mut(&pid)
            && t.state == TaskState::Stopped
        {
            t.state = TaskState::Runnable;
            self.queue.push_back(pid);
        }
    }

    pub fn arm_alarm(&mut self, at: u64, pid: Pid) {
        self.alarms.insert((at, pid));
    }

    /// Removes an armed timer. An emptied set lets go of its node, so the
    /// heap returns to its size once no timer is armed.
    pub fn disarm_alarm(&mut self, at: u64, pid: Pid) {
        self.alarms.remove(&(at, pid));
        if self.alarms.is_empty() {
            self.alarms = BTreeSet::new();
        }
    }

    /// The earliest armed timer, if it is due at `now`.
    pub fn due_alarm(&self, now: u64) -> Option<(u64, Pid)> {
        self.alarms.first().copied().filter(|&(at, _)| at <= now)
    }

    /// Wakes `pid`'s parent if it waits for a child to change state: any
    /// thread of the parent's group may be the one waiting.
    pub fn notify_parent(&mut self, pid: Pid) {
        let Some(ppid) = self.tasks.get(&pid).map(|t| t.ppid) else { return };
        let Some(group) = self.tasks.get(&ppid).map(|p| p.tgid) else { return };
        let mut next = 0;
        while let Some(p) = self
            .tasks
            .range(next..)
            .find(|(_, t)| t.tgid == group && t.state == TaskState::Sleeping(Wait::Child))
            .map(|(&p, _)| p)
        {
            self.wake(p);
            next = p + 1;
        }
    }
}

/// Creates the idle task for the boot thread. Called once before the first
/// switch.
pub fn init() {
    let mut idle = Task::kernel(IDLE_PID, IDLE_PID, "idle", None, 0);
    idle.state = TaskState::Running;
    let mut s = SCHED.lock();
    // The room the run queue keeps from now on (see `next_in_line`).
    s.queue.reserve_exact(QUEUE_KEEP);
    s.tasks.insert(IDLE_PID, Box::new(idle));
    s.set_current(IDLE_PID);
    crate::fs::set_pipe_waker(super::on_pipe_closed);
    crate::dev::blk::set_waiters(wait_for_disk, || SCHED.lock().wake_all(Wait::Disk));
}

/// The block driver's wait: sleep until its interrupt wakes disk waiters.
/// The idle task never sleeps; it halts until the interrupt instead.
fn wait_for_disk() {
    // Swap I/O that must not let the page change under it halts instead,
    // as does any wait inside `with_process` (a switch there is a bug).
    if current_pid() == IDLE_PID
        || crate::mm::swap::area::io_must_not_sleep()
        || IN_PROCESS.load(Ordering::Relaxed) != 0
    {
        wait_for_interrupt();
    } else {
        sleep(Wait::Disk);
    }
}

/// The current task's thread group, kept by `set_current` (a task's tgid
/// never changes): getpid without the table's lock.
static CURRENT_TGID: AtomicU32 = AtomicU32::new(0);

pub fn current_tgid() -> Pid {
    CURRENT_TGID.load(Ordering::Relaxed)
}

pub fn current_pid() -> Pid {
    SCHED.lock().current
}

/// Runs `f` on the current task's process.
///
/// Panics if the current task has none (the idle task, or one that exited):
/// only code running on behalf of a user task may call this.
#[inline(always)]
pub fn with_process<R>(f: impl FnOnce(&mut Process) -> R) -> R {
    let ptr = CURRENT_PROCESS.load(Ordering::Relaxed);
    assert!(!ptr.is_null(), "no process for this task");
    onecpu::add(&IN_PROCESS, 1);
    // SAFETY: `CURRENT_PROCESS` is the current task's boxed process (kept
    // by `set_current` and `take_current_process`), and the Box lives until
    // the task exits. Only the task itself (running now, on one CPU) uses
    // its process mutably, and no table lock is held, so `f` may use the
    // scheduler. What it shares with other tasks (`process::Shared`) is
    // safe because `f` cannot switch away: `switch_to` checks IN_PROCESS.
    let r = f(unsafe { &mut *ptr });
    onecpu::sub(&IN_PROCESS, 1);
    r
}

/// The current task's process (null for the idle task and kernel
/// threads), kept by `set_current`: the fault path and every system call
/// reach it with no lock and no search of the table.
static CURRENT_PROCESS: AtomicPtr<Process> = AtomicPtr::new(core::ptr::null_mut());

/// The current task's record, as `Sched::running`, for the one field the
/// way back to ring 3 reads without the table's lock.
static CURRENT_TASK: AtomicPtr<Task> = AtomicPtr::new(core::ptr::null_mut());

/// Takes the current task's process away (it is exiting): `with_process`
/// must not reach it any more.
pub fn take_current_process(s: &mut Sched) -> Option<Box<Process>> {
    CURRENT_PROCESS.store(core::ptr::null_mut(), Ordering::Relaxed);
    s.current_task().process.take()
}

/// Clears the current task's `return_work`, saying whether it was set:
/// the quiet return's one question, asked without the table's lock.
pub fn take_return_work() -> bool {
    let t = CURRENT_TASK.load(Ordering::Relaxed);
    // SAFETY: a user task is current whenever this runs (on the way back
    // to ring 3), and its box lives while it is current; the field is
    // atomic, and only a shared reference to it is made.
    onecpu::take(unsafe { &*core::ptr::addr_of!((*t).return_work) })
}

/// How many `with_process` calls are running: a switch inside one would
/// let another task reach the same shared resources.
static IN_PROCESS: AtomicU32 = AtomicU32::new(0);

/// Switches from the current task to `next`. The current task's state must
/// already say what it is (runnable, sleeping, zombie).
fn switch_to(next: Pid) {
    assert_eq!(IN_PROCESS.load(Ordering::Relaxed), 0, "task switch inside with_process");
    let now = crate::time::cpu_ticks();
    let (from, to) = {
        let mut s = SCHED.lock();
        let prev = s.current;
        if prev == next {
            s.current_task().state = TaskState::Running;
            return;
        }
        let cur = s.current_task();
        cur.cpu_ticks += now.saturating_sub(cur.ran_since_ticks);
        let from = &mut cur.saved_esp as *mut u32;
        super::kstat::on_switch();
        s.set_current(next);
        s.slice_left = SLICE_TICKS;
        NEED_RESCHED.store(false, Ordering::Relaxed);
        let t = s.current_task();
        t.state = TaskState::Running;
        t.ran_since_ticks = now;
        if let Some(k) = &t.kstack {
            tss::set_kernel_stack(k.top());
        }
        gdt::load_tls(&t.tls);
        match &t.process {
            Some(p) => {
                // Threads of one process share the directory: no reload
                // (and no TLB flush) between them.
                if !p.mem.space.is_current() {
                    p.mem.space.activate();
                }
                fpu::switch_to(Some(&p.fpu));
            }
            None => {
                activate_kernel();
                fpu::switch_to(None);
            }
        }
        (from, t.saved_esp)
    };
    // SAFETY: `from` points into a boxed task that outlives this switch (a
    // zombie's box lives until its parent reaps it, after this call), and
    // `to` is a stack pointer saved by a switch or laid out by
    // prepare_first_switch.
    unsafe { context::switch(from, to) };
    free_detached();
}

/// Frees the detached zombies, now that none of them but the current
/// task (freed after a later switch) is on a CPU.
fn free_detached() {
    loop {
        let gone = {
            let mut s = SCHED.lock();
            if s.detached == 0 {
                return;
            }
            let me = s.current;
            let Some(pid) = s.tasks.iter().find(|(p, t)| t.detached && **p != me).map(|(p, _)| *p) else { return };
            s.detached -= 1;
            s.tasks.remove(&pid)
        };
        // Dropped without the lock: the kernel stack and records go back.
        drop(gone);
    }
}

/// Gives up the CPU because the current task cannot run (it is sleeping or
/// dead): runs the next runnable task, or idle.
pub fn schedule() {
    // Tasks that wake each other inside the kernel never return to user
    // mode, where the clock interrupt would reach them: take it here.
    crate::arch::x86::instructions::interrupt_window();
    let next = SCHED.lock().next_in_line().unwrap_or(IDLE_PID);
    switch_to(next);
}

/// Lets every other runnable task run first.
pub fn yield_now() {
    let next = {
        let mut s = SCHED.lock();
        let Some(next) = s.next_in_line() else {
            NEED_RESCHED.store(false, Ordering::Relaxed);
            s.slice_left = SLICE_TICKS;
            return;
        };
        let cur = s.current;
        if cur != IDLE_PID {
            s.current_task().state = TaskState::Runnable;
            s.queue.push_back(cur);
        }
        next
    };
    switch_to(next);
}

/// Sleeps until woken for `why` (or by a signal).
pub fn sleep(why: Wait) {
    SCHED.lock().current_task().state = TaskState::Sleeping(why);
    schedule();
}

/// Sleeps until `deadline_ns` on the monotonic clock (or a signal).
pub fn sleep_until(deadline_ns: u64) {
    {
        let mut s = SCHED.lock();
        let pid = s.current;
        s.timers.insert((deadline_ns, pid));
        s.current_task().state = TaskState::Sleeping(Wait::Timer);
    }
    schedule();
}

/// Sleeps until woken for `why` (or by a signal), or until `deadline_ns`
/// on the monotonic clock if there is one (poll and select).
pub fn sleep_until_woken(why: Wait, deadline_ns: Option<u64>) {
    {
        let mut s = SCHED.lock();
        let pid = s.current;
        if let Some(d) = deadline_ns {
            s.timers.insert((d, pid));
        }
        s.current_task().state = TaskState::Sleeping(why);
    }
    schedule();
}

/// The timer interrupt: wakes sleepers whose time has come and ends the
/// running task's slice.
pub fn on_timer_tick() {
    let now = crate::time::monotonic_ns();
    let mut s = SCHED.lock();
    while let Some(&(deadline, pid)) = s.timers.first() {
        if deadline > now {
            break;
        }
        s.timers.pop_first();
        s.wake(pid);
    }
    super::kstat::on_tick(crate::arch::x86::pit::ticks(), || s.runnable());
    if s.current != IDLE_PID {
        s.slice_left = s.slice_left.saturating_sub(1);
        if s.slice_left == 0 {
            NEED_RESCHED.store(true, Ordering::Relaxed);
        }
    }
}

/// The running task's slice is over: it gives the CPU away on its way
/// back to ring 3. One CPU, so one flag, read with no lock there.
static NEED_RESCHED: AtomicBool = AtomicBool::new(false);

pub fn need_resched() -> bool {
    NEED_RESCHED.load(Ordering::Relaxed)
}

/// The boot thread's last job: run tasks, and halt when none can run.
pub fn run_idle() -> ! {
    loop {
        let next = SCHED.lock().next_in_line();
        match next {
            Some(pid) => switch_to(pid),
            None => wait_for_interrupt(),
        }
    }
}

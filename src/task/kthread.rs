//! Kernel threads: tasks that run only kernel code, each on a kernel stack
//! of its own and the kernel's page directory, scheduled like any task.
//! As on Linux, `kthreadd` (pid 2, parent 0) is the parent of the others
//! and they show in `ps` and /proc with an empty command line; they ignore
//! every signal (SIGKILL too), belong to no process group or session, and
//! never exit. Process 1 takes pid 1 first, so its children start at 4.
//!
//! A kernel thread runs until it sleeps or yields: nothing preempts the
//! kernel, so a long loop looks at `sched::need_resched` between steps.

use super::process::{Pid, Task, Wait};
use super::sched::{self, SCHED};
use crate::arch::x86::context::prepare_kernel_entry;
use crate::mm::kstack::KernelStack;
use alloc::boxed::Box;
use memguard_abi::Errno;

/// Linux's kthreadd: the parent of every kernel thread.
pub const KTHREADD_PID: Pid = 2;

/// Starts kernel thread `name` at `entry`, a child of `ppid`. EAGAIN when
/// no pid or kernel stack is left.
fn spawn_with_parent(ppid: Pid, name: &str, entry: extern "C" fn() -> !) -> Result<Pid, Errno> {
    let kstack = KernelStack::new().map_err(|_| Errno::EAGAIN)?;
    // SAFETY: the stack was just made, nothing runs on it yet, and its top
    // is page-aligned.
    let saved_esp = unsafe { prepare_kernel_entry(kstack.top(), entry) };
    let mut s = SCHED.lock();
    let pid = s.alloc_pid().ok_or(Errno::EAGAIN)?;
    s.tasks.insert(pid, Box::new(Task::kernel(pid, ppid, name, Some(kstack), saved_esp)));
    s.enqueue(pid);
    Ok(pid)
}

/// Starts kthreadd; called once, right after process 1 took pid 1.
pub fn start_kthreadd() -> Result<(), Errno> {
    let pid = spawn_with_parent(0, "kthreadd", kthreadd)?;
    assert_eq!(pid, KTHREADD_PID, "kthreadd must follow init");
    Ok(())
}

/// Starts kernel thread `name` at `entry`, as a child of kthreadd.
pub fn spawn(name: &str, entry: extern "C" fn() -> !) -> Result<Pid, Errno> {
    spawn_with_parent(KTHREADD_PID, name, entry)
}

/// kthreadd's life: this kernel makes its threads directly (`spawn`), so
/// it only stands as their parent, asleep.
extern "C" fn kthreadd() -> ! {
    loop {
        sched::sleep(Wait::Work);
    }
}

/// Wakes kernel thread `pid` if it sleeps waiting for work (not if it
/// waits for anything else: the disk, a deadline).
pub fn wake(pid: Pid) {
    let mut s = SCHED.lock();
    if s.tasks.get(&pid).is_some_and(|t| t.kthread && t.state == super::process::TaskState::Sleeping(Wait::Work)) {
        s.wake(pid);
    }
}

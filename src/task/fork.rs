//! fork, vfork and clone: a new task that copies or shares what clone's
//! flags say (memory, descriptors, working directory, handlers, thread
//! group), with Linux's tid words and TLS, and vfork's wait.

use super::clone::CSIGNAL;
use super::lifecycle::{new_task, threads_max};
use super::process::{Pid, Process, Shared, Task, TaskState, Wait};
use super::sched::{self, SCHED, with_process};
use crate::arch::x86::context::prepare_first_switch;
use crate::arch::x86::descriptor::SegmentDescriptor;
use crate::arch::x86::trap::TrapFrame;
use crate::mm::kstack::KernelStack;
use crate::mm::usercopy;
use alloc::boxed::Box;
use alloc::sync::Arc;
use memguard_abi::Errno;
use memguard_abi::linux::{
    CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_FILES, CLONE_FS, CLONE_PARENT, CLONE_PARENT_SETTID, CLONE_SIGHAND,
    CLONE_THREAD, CLONE_VFORK, CLONE_VM,
};
use spin::Mutex;

/// Frames that must be free for a fork to start.
const FORK_HEADROOM: u32 = 128;

/// Whether `FORK_HEADROOM` frames are free, after swapping pages out for
/// the shortfall if there are not (as an allocation would: kswapd may not
/// have caught up with the parent's last writes).
fn make_headroom() -> bool {
    let free = crate::mm::phys::user_frames_available();
    if free < FORK_HEADROOM {
        super::swapd::reclaim(FORK_HEADROOM - free);
    }
    crate::mm::phys::user_frames_available() >= FORK_HEADROOM
}

/// What clone was asked for, checked (`clone::check`) and decoded.
#[derive(Clone, Copy, Debug)]
pub struct CloneArgs {
    pub flags: u32,
    /// The child's stack pointer (0: the parent's).
    pub stack: u32,
    pub parent_tid: u32,
    pub child_tid: u32,
    /// CLONE_SETTLS: the TLS slot and descriptor the child starts with.
    pub tls: Option<(usize, SegmentDescriptor)>,
}

impl CloneArgs {
    /// Plain fork: a copy of everything, SIGCHLD at exit.
    pub const FORK: CloneArgs = CloneArgs {
        flags: memguard_abi::Signal::SIGCHLD.raw() as u32,
        stack: 0,
        parent_tid: 0,
        child_tid: 0,
        tls: None,
    };

    fn has(&self, f: u32) -> bool {
        self.flags & f != 0
    }
}

/// Creates the task clone describes and returns its tid. EAGAIN when no
/// pid or kernel stack is left, ENOMEM when frames run out; nothing is
/// left half-made either way. With CLONE_VFORK this returns only once the
/// child has exec'd or exited.
pub fn clone(parent_frame: &TrapFrame, args: CloneArgs) -> Result<Pid, Errno> {
    // Leave a forking parent room to copy the pages it writes next (its
    // stack at least, now copy-on-write): refuse a fork rather than have
    // the parent killed for memory a moment later.
    if !args.has(CLONE_VM) && !make_headroom() {
        return Err(Errno::ENOMEM);
    }
    if SCHED.lock().tasks.len() > threads_max() as usize {
        return Err(Errno::EAGAIN);
    }
    let kstack = KernelStack::new().map_err(|_| Errno::EAGAIN)?;
    let process = with_process(|p| -> Result<Box<Process>, Errno> {
        let mem =
            if args.has(CLONE_VM) { p.mem.share() } else { Shared::new(p.mem.fork().map_err(|_| Errno::ENOMEM)?) };
        let mut fpu = p.fpu.clone();
        fpu.save();
        Ok(Box::new(Process {
            mem,
            files: if args.has(CLONE_FILES) { p.files.share() } else { Shared::new((*p.files).clone()) },
            fs: if args.has(CLONE_FS) { p.fs.share() } else { Shared::new((*p.fs).clone()) },
            limits: if args.has(CLONE_THREAD) { p.limits.share() } else { Shared::new(*p.limits) },
            fpu,
        }))
    })?;
    let mut child_frame = *parent_frame;
    child_frame.eax = 0;
    if args.stack != 0 {
        child_frame.user_esp = args.stack;
    }
    // SAFETY: the stack was just made and no task runs on it yet.
    let saved_esp = unsafe { prepare_first_switch(kstack.top(), &child_frame) };
    let mut s = SCHED.lock();
    let tid = s.alloc_pid().ok_or(Errno::EAGAIN)?;
    let child = child_task(s.current_task(), tid, &args, kstack, saved_esp, process);
    let me = s.current;
    s.tasks.insert(tid, Box::new(child));
    drop(s);
    write_tids(tid, &args);
    let mut s = SCHED.lock();
    s.enqueue(tid);
    drop(s);
    if args.has(CLONE_VFORK) {
        wait_for_vfork_child(me, tid);
    }
    Ok(tid)
}

/// The child's record: ids, what it shares with `parent`, its signal state.
fn child_task(
    parent: &mut Task,
    tid: Pid,
    args: &CloneArgs,
    kstack: KernelStack,
    saved_esp: u32,
    process: Box<Process>,
) -> Task {
    let thread = args.has(CLONE_THREAD);
    let ppid = if thread || args.has(CLONE_PARENT) { parent.ppid } else { parent.pid };
    let mut child = new_task(tid, ppid, parent.name.clone(), kstack, saved_esp, process);
    if thread {
        child.tgid = parent.tgid;
        // A thread's end is no one's business but its group's.
        child.exit_signal = 0;
    } else {
        child.exit_signal = (args.flags & CSIGNAL) as u8;
    }
    child.handlers = if args.has(CLONE_SIGHAND) {
        Arc::clone(&parent.handlers)
    } else {
        Arc::new(Mutex::new(parent.handlers.lock().clone()))
    };
    child.sig.blocked = parent.sig.blocked;
    child.exe = parent.exe;
    (child.nice, child.personality) = (parent.nice, parent.personality);
    super::jobctl::inherit(&mut child, parent);
    // A new stack of its own (CLONE_VM without vfork) leaves the
    // alternate stack behind, as Linux does.
    if args.flags & (CLONE_VM | CLONE_VFORK) != CLONE_VM {
        child.sig.altstack = parent.sig.altstack;
    }
    // The child's segment registers (in its frame) may name these entries.
    child.tls = parent.tls;
    if let Some((slot, d)) = args.tls {
        child.tls[slot] = d;
    }
    if args.has(CLONE_CHILD_CLEARTID) {
        child.clear_child_tid = args.child_tid;
    }
    if args.has(CLONE_VFORK) {
        child.vfork_parent = Some(parent.pid);
    }
    child
}

/// CLONE_PARENT_SETTID writes the tid in the parent's memory, and
/// CLONE_CHILD_SETTID in the child's (the same memory with CLONE_VM).
/// Like Linux, a bad address is not an error of clone's.
fn write_tids(tid: Pid, args: &CloneArgs) {
    with_process(|p| {
        if args.has(CLONE_PARENT_SETTID) {
            let _ = usercopy::write(&mut p.mem, args.parent_tid, &tid);
        }
        if args.has(CLONE_CHILD_SETTID) && args.has(CLONE_VM) {
            let _ = usercopy::write(&mut p.mem, args.child_tid, &tid);
        }
    });
    if args.has(CLONE_CHILD_SETTID) && !args.has(CLONE_VM) {
        let mut s = SCHED.lock();
        if let Some(p) = s.tasks.get_mut(&tid).and_then(|t| t.process.as_mut()) {
            // In the child's own memory, as Linux's schedule_tail writes it:
            // only where the child's regions allow (a bad address is ignored).
            let _ = usercopy::copy_out_to(&mut p.mem, args.child_tid, &tid.to_le_bytes());
        }
    }
}

/// vfork: the parent sleeps until the child has exec'd or exited (only a
/// fatal signal ends the wait, as Linux's killable wait).
fn wait_for_vfork_child(me: Pid, child: Pid) {
    loop {
        {
            let mut s = SCHED.lock();
            let waiting = s
                .tasks
                .get(&child)
                .is_some_and(|t| t.vfork_parent == Some(me) && !matches!(t.state, TaskState::Zombie(_)));
            if !waiting || s.current_task().fatal.is_some() {
                return;
            }
            s.current_task().state = TaskState::Sleeping(Wait::Vfork);
        }
        sched::schedule();
    }
}

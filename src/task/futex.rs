//! Futexes: tasks sleeping on a 32-bit word of user memory until another
//! wakes them (FUTEX_WAIT/WAKE and friends), and the robust-list walk at
//! exit. The queue is one list in arrival order; a waiter is named by its
//! key: the address within its address space for private futexes and
//! private memory, or the page of the shared object for MAP_SHARED memory,
//! so that two processes sharing a page meet on the same key.

use super::process::{Pid, RestartBlock, Wait};
use super::sched::{self, SCHED, with_process};
use super::wakeop::WakeOp;
use crate::mm::usercopy;
use crate::mm::vma::Backing;
use alloc::collections::VecDeque;
use memguard_abi::Errno;
use spin::Mutex;

/// Where a futex lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key {
    /// FUTEX_PRIVATE_FLAG: an address in one address space (named by its
    /// page directory's frame).
    Private { mm: u32, addr: u32 },
    /// A shared futex in private memory: the same, but never equal to a
    /// private key (Linux marks them apart too).
    Process { mm: u32, addr: u32 },
    /// A shared futex in a shared object: the object, the page in it and
    /// the offset in the page.
    Object { object: usize, page: u32, offset: u32 },
    /// A shared futex in a shared mapping of a tmpfs file: the file (its
    /// inode), the page in it and the offset in the page.
    File { ino: u32, page: u32, offset: u32 },
}

struct Waiter {
    key: Key,
    tid: Pid,
    bitset: u32,
}

/// The waiters, oldest first.
static QUEUE: Mutex<VecDeque<Waiter>> = Mutex::new(VecDeque::new());

/// The key of the word at `uaddr`: EINVAL if it is not 4-byte aligned,
/// EFAULT if it is not user memory (or, for a shared futex, not mapped).
pub fn key_of(uaddr: u32, private: bool) -> Result<Key, Errno> {
    if !uaddr.is_multiple_of(4) {
        return Err(Errno::EINVAL);
    }
    usercopy::user_range(uaddr, 4)?;
    with_process(|p| {
        let mm = p.mem.space.directory_frame().start().as_u32();
        if private {
            return Ok(Key::Private { mm, addr: uaddr });
        }
        let Some(r) = p.mem.map.find(uaddr) else { return Err(Errno::EFAULT) };
        let page = (uaddr - r.start.as_u32()) / 4096;
        Ok(match &r.backing {
            Backing::Shared { pages, first_page } => Key::Object {
                object: alloc::sync::Arc::as_ptr(pages) as usize,
                page: first_page + page,
                offset: uaddr % 4096,
            },
            Backing::File { module, file_start, shared: true, .. } => Key::Object {
                object: usize::from(*module),
                page: (file_start + page * 4096) / 4096,
                offset: uaddr % 4096,
            },
            Backing::Cache { file, first_page, shared: true, .. } => {
                Key::File { ino: file.id(), page: first_page + page, offset: uaddr % 4096 }
            }
            _ => Key::Process { mm, addr: uaddr },
        })
    })
}

fn read_word(uaddr: u32) -> Result<u32, Errno> {
    with_process(|p| usercopy::read::<u32>(&mut p.mem, uaddr))
}

/// FUTEX_WAIT(_BITSET): sleeps while the word at `uaddr` holds `val`,
/// until a wake whose bitset meets `bitset`, the deadline (monotonic ns:
/// ETIMEDOUT) or a signal. EAGAIN at once if the word differs.
pub fn wait(uaddr: u32, private: bool, val: u32, deadline: Option<u64>, bitset: u32) -> Result<u32, Errno> {
    let key = key_of(uaddr, private)?;
    // One CPU and no preemption in the kernel: nothing can change the
    // word or wake between this read and joining the queue.
    if read_word(uaddr)? != val {
        return Err(Errno::EAGAIN);
    }
    let me = sched::current_pid();
    QUEUE.lock().push_back(Waiter { key, tid: me, bitset });
    loop {
        if !QUEUE.lock().iter().any(|w| w.tid == me) {
            return Ok(0);
        }
        let expired = deadline.is_some_and(|d| crate::time::monotonic_ns() >= d);
        if expired || super::deliver::interrupted() {
            leave(me);
            if expired {
                return Err(Errno::ETIMEDOUT);
            }
            let Some(deadline) = deadline else { return Err(Errno::ERESTARTSYS) };
            SCHED.lock().current_task().sig.restart =
                Some(RestartBlock::Futex { uaddr, val, deadline, bitset, private });
            return Err(Errno::ERESTART_RESTARTBLOCK);
        }
        match deadline {
            Some(d) => sched::sleep_until(d),
            None => sched::sleep(Wait::Futex),
        }
    }
}

/// Waiters the queue keeps room for when empty: a wait then a wake, the
/// usual pair, allocate nothing.
const QUEUE_KEEP: usize = 8;

/// An emptied queue gives back the room a crowd of waiters made it grow
/// to, so the heap returns to its size when idle.
fn give_back_room(q: &mut VecDeque<Waiter>) {
    if q.is_empty() && q.capacity() > QUEUE_KEEP {
        q.shrink_to(QUEUE_KEEP);
    }
}

/// Takes `tid` off the queue (it stopped waiting by itself).
fn leave(tid: Pid) {
    let mut q = QUEUE.lock();
    q.retain(|w| w.tid != tid);
    give_back_room(&mut q);
}

/// Wakes up to `n` waiters on `key` whose bitset meets `bitset`; returns
/// how many.
fn wake_key(key: Key, n: u32, bitset: u32) -> u32 {
    let mut q = QUEUE.lock();
    let mut woken = 0;
    let mut i = 0;
    while i < q.len() && woken < n {
        if q[i].key == key && q[i].bitset & bitset != 0 {
            let w = q.remove(i).expect("index checked");
            SCHED.lock().wake(w.tid);
            woken += 1;
        } else {
            i += 1;
        }
    }
    give_back_room(&mut q);
    woken
}

/// FUTEX_WAKE(_BITSET): up to `n` waiters, at least one (Linux counts
/// so: 0 and negative counts wake one).
pub fn wake(uaddr: u32, private: bool, n: u32, bitset: u32) -> Result<u32, Errno> {
    let key = key_of(uaddr, private)?;
    Ok(wake_key(key, (n as i32).max(1) as u32, bitset))
}

/// FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes `n_wake` waiters on `uaddr`
/// and moves up to `n_requeue` more to `uaddr2`; with `expect`, only if
/// the word still holds it (else EAGAIN). Returns woken + moved.
pub fn requeue(
    uaddr: u32,
    uaddr2: u32,
    private: bool,
    n_wake: u32,
    n_requeue: u32,
    expect: Option<u32>,
) -> Result<u32, Errno> {
    let (k1, k2) = (key_of(uaddr, private)?, key_of(uaddr2, private)?);
    if let Some(v) = expect
        && read_word(uaddr)? != v
    {
        return Err(Errno::EAGAIN);
    }
    let woken = wake_key(k1, n_wake, !0);
    let mut moved = 0;
    for w in QUEUE.lock().iter_mut().filter(|w| w.key == k1) {
        if moved == n_requeue {
            break;
        }
        w.key = k2;
        moved += 1;
    }
    Ok(woken + moved)
}

/// FUTEX_WAKE_OP: applies `op` to the word at `uaddr2`, wakes `n` on
/// `uaddr`, and `n2` on `uaddr2` if the old value passes `op`'s test.
pub fn wake_op(uaddr: u32, uaddr2: u32, private: bool, n: u32, n2: u32, op: u32) -> Result<u32, Errno> {
    let (k1, k2) = (key_of(uaddr, private)?, key_of(uaddr2, private)?);
    let decoded = WakeOp::decode(op).ok_or(Errno::ENOSYS)?;
    let old = with_process(|p| -> Result<u32, Errno> {
        let old: u32 = usercopy::read(&mut p.mem, uaddr2)?;
        usercopy::write(&mut p.mem, uaddr2, &decoded.apply(old))?;
        Ok(old)
    })?;
    let pass = decoded.test(old).ok_or(Errno::ENOSYS)?;
    let at_least_one = |n: u32| (n as i32).max(1) as u32;
    let mut woken = wake_key(k1, at_least_one(n), !0);
    if pass {
        woken += wake_key(k2, at_least_one(n2), !0);
    }
    Ok(woken)
}

/// FUTEX_OWNER_DIED and FUTEX_WAITERS, and the owner's tid below them.
const OWNER_DIED: u32 = 0x4000_0000;
const WAITERS: u32 = 0x8000_0000;
const TID_MASK: u32 = 0x3FFF_FFFF;
/// Linux's ROBUST_LIST_LIMIT: a list this long is taken to be a loop.
const ROBUST_LIST_LIMIT: u32 = 2048;

/// At exit, the robust futexes `tid` still holds (the list at `head`:
/// next, futex_offset, list_op_pending) are marked OWNER_DIED and a waiter
/// is woken, so that the next locker learns the owner died. A bad list
/// just ends the walk.
pub fn exit_robust_list(tid: Pid, head: u32) {
    let read = |a: u32| with_process(|p| usercopy::read::<u32>(&mut p.mem, a)).ok();
    let (Some(mut entry), Some(offset), Some(pending)) = (read(head), read(head + 4), read(head + 8)) else {
        return;
    };
    let mut seen = 0;
    while entry != head && seen < ROBUST_LIST_LIMIT {
        let Some(next) = read(entry & !1) else { return };
        if entry != pending {
            owner_died((entry & !1).wrapping_add(offset), tid, false);
        }
        entry = next;
        seen += 1;
    }
    if pending != 0 {
        owner_died((pending & !1).wrapping_add(offset), tid, true);
    }
}

/// Linux's handle_futex_death for the word at `uaddr`.
fn owner_died(uaddr: u32, tid: Pid, pending: bool) {
    let Some(word) = with_process(|p| usercopy::read::<u32>(&mut p.mem, uaddr)).ok() else { return };
    // A lock being taken when the owner died, still free: wake a waiter
    // that may be racing for it.
    if pending && word == 0 {
        let _ = wake(uaddr, false, 1, !0);
        return;
    }
    if word & TID_MASK != tid {
        return;
    }
    let new = (word & WAITERS) | OWNER_DIED;
    if with_process(|p| usercopy::write(&mut p.mem, uaddr, &new)).is_ok() && word & WAITERS != 0 {
        let _ = wake(uaddr, false, 1, !0);
    }
}

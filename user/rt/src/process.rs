//! Process system calls: fork, exec, wait, exit, signals, identity.
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::{CStr, c_char};

use crate::arch::nr;
use crate::arch::syscall::{syscall0, syscall1, syscall2, syscall3, syscall4};
use crate::errno::{Errno, check};
use crate::signal::Signal;
use crate::wait::ExitStatus;

/// A process id.
pub type Pid = i32;

/// Which side of a `fork` we are on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Fork {
    Child,
    Parent(Pid),
}

/// Ends this process (`exit`, number 1). In a single-threaded process it is
/// the same as [`exit_group`].
pub fn exit(code: i32) -> ! {
    // SAFETY: exit takes no pointer and does not return.
    unsafe { syscall1(nr::EXIT, code as usize) };
    unreachable_exit()
}

/// Ends every thread of this process (`exit_group`, number 252).
pub fn exit_group(code: i32) -> ! {
    // SAFETY: exit_group takes no pointer and does not return.
    unsafe { syscall1(nr::EXIT_GROUP, code as usize) };
    unreachable_exit()
}

/// Reached only if the kernel returned from exit: trap so it shows.
fn unreachable_exit() -> ! {
    loop {
        crate::arch::insn::ud2();
    }
}

/// Duplicates this process. Both return: the child sees `Fork::Child`.
pub fn fork() -> Result<Fork, Errno> {
    // SAFETY: fork copies the address space; Rust state stays consistent in
    // both processes because there is one thread.
    let pid = check(unsafe { syscall0(nr::FORK) })?;
    Ok(if pid == 0 { Fork::Child } else { Fork::Parent(pid as Pid) })
}

pub fn getpid() -> Pid {
    // SAFETY: no arguments, no effect.
    unsafe { syscall0(nr::GETPID) as Pid }
}

pub fn getppid() -> Pid {
    // SAFETY: no arguments, no effect.
    unsafe { syscall0(nr::GETPPID) as Pid }
}

/// Waits for a child (`pid` > 0: that one; -1: any) to end. Returns the
/// child's pid (0 with `WNOHANG` when none has ended) and its status word.
pub fn waitpid(pid: Pid, options: u32) -> Result<(Pid, i32), Errno> {
    let mut status = 0i32;
    // SAFETY: `status` is a valid, writable i32 for the whole call.
    let got = unsafe { waitpid_into(pid, &mut status, options) }?;
    Ok((got, status))
}

/// Waits for child `pid` to end and decodes how it did.
pub fn wait_exit(pid: Pid) -> Result<ExitStatus, Errno> {
    waitpid(pid, 0).map(|(_, status)| ExitStatus::from_raw(status))
}

/// `waitpid` with a caller-chosen status pointer (tests pass bad ones).
///
/// # Safety
/// `status` must be NULL, or point to 4 bytes that Rust does not rely on.
pub unsafe fn waitpid_into(pid: Pid, status: *mut i32, options: u32) -> Result<Pid, Errno> {
    // SAFETY: the caller vouches for `status`.
    let r = unsafe { syscall3(nr::WAITPID, pid as usize, status as usize, options as usize) };
    check(r).map(|p| p as Pid)
}

/// `wait4(pid, &status, options, NULL)`: waitpid without the resource usage.
pub fn wait4(pid: Pid, options: u32) -> Result<(Pid, i32), Errno> {
    let mut status = 0i32;
    // SAFETY: `status` is valid and writable; rusage NULL is allowed.
    let r = unsafe { syscall4(nr::WAIT4, pid as usize, &mut status as *mut i32 as usize, options as usize, 0) };
    check(r).map(|p| (p as Pid, status))
}

/// Sends `sig` to process `pid`.
pub fn kill(pid: Pid, sig: Signal) -> Result<(), Errno> {
    // SAFETY: no pointer arguments.
    check(unsafe { syscall2(nr::KILL, pid as usize, sig.raw() as usize) }).map(drop)
}

pub fn sched_yield() {
    // SAFETY: no arguments; it cannot fail on Linux.
    unsafe { syscall0(nr::SCHED_YIELD) };
}

/// A NULL-terminated array of C strings, the form `execve` wants for argv
/// and envp. Owns its strings.
pub struct CStrArray {
    _strings: Vec<CString>,
    ptrs: Vec<*const c_char>,
}

impl CStrArray {
    /// Copies `items`; fails with `EINVAL` if one contains a NUL byte.
    pub fn new<'a>(items: impl IntoIterator<Item = &'a [u8]>) -> Result<CStrArray, Errno> {
        let strings =
            items.into_iter().map(|s| CString::new(s).map_err(|_| Errno::EINVAL)).collect::<Result<Vec<_>, _>>()?;
        let mut ptrs: Vec<*const c_char> = strings.iter().map(|s| s.as_ptr()).collect();
        ptrs.push(core::ptr::null());
        Ok(CStrArray { _strings: strings, ptrs })
    }

    pub fn as_ptr(&self) -> *const *const c_char {
        self.ptrs.as_ptr()
    }
}

/// Replaces this program with `path`. Returns only on failure.
pub fn execve(path: &CStr, argv: &CStrArray, envp: &CStrArray) -> Errno {
    // SAFETY: all three are valid NUL-terminated strings/arrays owned by the
    // caller for the duration of the call.
    unsafe { execve_raw(path.as_ptr(), argv.as_ptr(), envp.as_ptr()) }
}

/// `execve` with raw pointers (tests pass bad ones).
///
/// # Safety
/// The kernel only reads through the pointers and answers EFAULT for an
/// unmapped one, but a mapped `path` must be NUL-terminated and mapped
/// arrays NULL-terminated, or the kernel reads memory the caller did not mean.
pub unsafe fn execve_raw(path: *const c_char, argv: *const *const c_char, envp: *const *const c_char) -> Errno {
    // SAFETY: the kernel validates the pointers; see the contract above.
    let r = unsafe { syscall3(nr::EXECVE, path as usize, argv as usize, envp as usize) };
    match check(r) {
        Err(e) => e,
        // A successful execve does not return; a kernel that says "0" is broken.
        Ok(_) => Errno::EINVAL,
    }
}

//! Terminals and job control: termios (tcgetattr/tcsetattr), the
//! foreground process group (tcgetpgrp/tcsetpgrp), process groups
//! (setpgid/getpgrp) and ignoring the job-control signals, as a shell
//! needs them.
use memguard_abi::linux::{self, TCGETS, TCSETS, TIOCGPGRP, TIOCSPGRP, termios};
use memguard_abi::sigframe::KernelSigaction;

use crate::arch::nr;
use crate::arch::syscall::{syscall0, syscall2, syscall3, syscall4};
use crate::errno::{Errno, check};
use crate::fs::Fd;
use crate::process::Pid;
use crate::signal::Signal;

/// The terminal's settings (ENOTTY if `fd` is not a terminal).
pub fn tcgetattr(fd: Fd) -> Result<termios, Errno> {
    // SAFETY: termios is plain integers; an all-zero value is valid.
    let mut t: termios = unsafe { core::mem::zeroed() };
    // SAFETY: TCGETS writes one termios into `t`, which lives through the call.
    check(unsafe { syscall3(nr::IOCTL, fd as usize, TCGETS as usize, &mut t as *mut termios as usize) })?;
    Ok(t)
}

/// New settings, at once (TCSANOW).
pub fn tcsetattr(fd: Fd, t: &termios) -> Result<(), Errno> {
    // SAFETY: TCSETS only reads one termios from `t`.
    check(unsafe { syscall3(nr::IOCTL, fd as usize, TCSETS as usize, t as *const termios as usize) }).map(|_| ())
}

/// `t` in raw mode for a line editor: no line buffering, echo or signal
/// keys; a read returns each byte as it comes (VMIN 1, VTIME 0).
pub fn raw(mut t: termios) -> termios {
    t.c_lflag &= !(linux::ICANON | linux::ECHO | linux::ISIG | linux::IEXTEN);
    t.c_cc[linux::VMIN as usize] = 1;
    t.c_cc[linux::VTIME as usize] = 0;
    t
}

/// The terminal's foreground process group.
pub fn tcgetpgrp(fd: Fd) -> Result<Pid, Errno> {
    let mut pg: Pid = 0;
    // SAFETY: TIOCGPGRP writes one pid_t into `pg`.
    check(unsafe { syscall3(nr::IOCTL, fd as usize, TIOCGPGRP as usize, &mut pg as *mut Pid as usize) })?;
    Ok(pg)
}

/// Makes `pgrp` the terminal's foreground group.
pub fn tcsetpgrp(fd: Fd, pgrp: Pid) -> Result<(), Errno> {
    // SAFETY: TIOCSPGRP reads one pid_t from `pgrp`.
    check(unsafe { syscall3(nr::IOCTL, fd as usize, TIOCSPGRP as usize, &pgrp as *const Pid as usize) }).map(|_| ())
}

/// Moves process `pid` (0: the caller) into group `pgid` (0: its own).
pub fn setpgid(pid: Pid, pgid: Pid) -> Result<(), Errno> {
    // SAFETY: no pointers.
    check(unsafe { syscall2(nr::SETPGID, pid as usize, pgid as usize) }).map(|_| ())
}

/// The caller's process group.
pub fn getpgrp() -> Pid {
    // SAFETY: no arguments, no effect.
    unsafe { syscall0(nr::GETPGRP) as Pid }
}

/// Sets `sig`'s disposition to SIG_IGN (`ignore`) or SIG_DFL; no handler
/// is ever installed, so nothing interrupts Rust code.
pub fn set_ignored(sig: Signal, ignore: bool) -> Result<(), Errno> {
    let act = KernelSigaction { handler: u32::from(ignore), flags: 0, restorer: 0, mask: [0; 2] };
    // SAFETY: rt_sigaction reads one KernelSigaction (the kernel's layout,
    // 8-byte mask) and writes nothing (old action NULL).
    check(unsafe { syscall4(nr::RT_SIGACTION, sig.raw() as usize, &act as *const KernelSigaction as usize, 0, 8) })
        .map(|_| ())
}

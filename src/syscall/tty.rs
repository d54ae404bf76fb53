//! The console's terminal calls: its ioctls (settings, job control, window
//! size, queues), reads through the line discipline with VMIN/VTIME, and
//! the job-control checks of reads, writes and opening /dev/tty.

use super::abi::{Errno, SysResult};
use super::uaccess::{self, Plain};
use crate::console::ldisc::Take;
use crate::console::tty;
use crate::fs::OpenFile;
use crate::task::jobctl;
use crate::task::lifecycle::interrupted;
use crate::task::process::Wait;
use crate::task::sched::{self, with_process};
use core::sync::atomic::Ordering;
use memguard_abi::Signal;
use memguard_abi::linux::{
    self, ICANON, TCFLSH, TCGETS, TCGETS2, TCSBRK, TCSBRKP, TCSETS, TCSETS2, TCSETSF, TCSETSF2, TCSETSW, TCSETSW2,
    TCXONC, TIOCGETD, TIOCGPGRP, TIOCGSID, TIOCGWINSZ, TIOCINQ, TIOCNOTTY, TIOCOUTQ, TIOCSCTTY, TIOCSPGRP, TIOCSWINSZ,
    TOSTOP, VMIN, VTIME,
};

/// The console's line speed, which termios2 reports (after the 36 bytes
/// of a termios).
const BAUD: u32 = 115_200;

/// An ioctl on the console; None for a request a terminal does not know
/// (the caller answers the generic ones, or ENOTTY).
pub fn ioctl(request: u32, arg: u32) -> Option<SysResult> {
    Some(match request {
        TCGETS => out(arg, &tty::termios()),
        TCGETS2 => out(arg, &tty::termios()).and_then(|_| out(arg.wrapping_add(36), &[BAUD, BAUD])),
        TCSETS | TCSETSW | TCSETSF => set_termios(arg, request == TCSETSF, false),
        TCSETS2 | TCSETSW2 | TCSETSF2 => set_termios(arg, request == TCSETSF2, true),
        TIOCGWINSZ => out(arg, &tty::with(|t| t.winsize)),
        TIOCSWINSZ => set_winsize(arg),
        TIOCINQ => out(arg, &(tty::with(|t| t.ldisc.inq()) as u32)),
        // Output leaves at once: nothing is ever queued.
        TIOCOUTQ => out(arg, &0u32),
        TIOCGETD => out(arg, &0u32),
        TCFLSH => flush(arg),
        TCXONC => background_ok().and(if arg <= 3 { Ok(0) } else { Err(Errno::EINVAL) }),
        TCSBRK | TCSBRKP => background_ok().map(|_| 0),
        TIOCSCTTY => jobctl::acquire(arg == 1),
        TIOCNOTTY => jobctl::release(),
        TIOCGPGRP => jobctl::foreground().and_then(|pg| out(arg, &pg)),
        TIOCSPGRP => set_pgrp(arg),
        TIOCGSID => jobctl::session().and_then(|sid| out(arg, &sid)),
        _ => return None,
    })
}

fn out<T: Plain>(addr: u32, v: &T) -> SysResult {
    with_process(|p| uaccess::write(&mut p.mem, addr, v)).map(|_| 0)
}

/// A change of settings from the background: SIGTTOU first (Linux's
/// tty_check_change).
fn background_ok() -> Result<(), Errno> {
    jobctl::check_background(Signal::SIGTTOU)
}

/// TCSETS*: the background check, then the new settings (EFAULT if they
/// cannot be read); TCSETSF drops the input first. Output is never
/// queued, so TCSETSW has nothing to wait for.
fn set_termios(arg: u32, flush: bool, two: bool) -> SysResult {
    background_ok()?;
    // termios2 is termios followed by the two speeds, which are ignored.
    let t = with_process(|p| -> Result<linux::termios, Errno> {
        if two {
            uaccess::read::<[u32; 2]>(&mut p.mem, arg.wrapping_add(36))?;
        }
        uaccess::read::<linux::termios>(&mut p.mem, arg)
    })?;
    tty::set_termios(t, flush);
    Ok(0)
}

fn set_winsize(arg: u32) -> SysResult {
    let w = with_process(|p| uaccess::read::<linux::winsize>(&mut p.mem, arg))?;
    let changed = tty::with(|t| {
        let old = t.winsize;
        t.winsize = w;
        (old.ws_row, old.ws_col, old.ws_xpixel, old.ws_ypixel) != (w.ws_row, w.ws_col, w.ws_xpixel, w.ws_ypixel)
    });
    if changed {
        jobctl::window_changed();
    }
    Ok(0)
}

/// TCFLSH: TCIFLUSH (0) and TCIOFLUSH (2) drop the input; TCOFLUSH (1)
/// has no output to drop; anything else is EINVAL.
fn flush(arg: u32) -> SysResult {
    background_ok()?;
    match arg {
        0 | 2 => tty::with(|t| t.ldisc.flush_input()),
        1 => {}
        _ => return Err(Errno::EINVAL),
    }
    Ok(0)
}

/// TIOCSPGRP: the background check (EIO answers ENOTTY here), the group
/// from user memory, then the rules of `jobctl::set_foreground`.
fn set_pgrp(arg: u32) -> SysResult {
    match background_ok() {
        Err(Errno::EIO) => return Err(Errno::ENOTTY),
        r => r?,
    }
    let pgid = with_process(|p| uaccess::read::<u32>(&mut p.mem, arg))?;
    jobctl::set_foreground(pgid as i32)
}

/// A write on the console: with TOSTOP a background process gets SIGTTOU.
pub fn may_write() -> Result<(), Errno> {
    if tty::termios().c_lflag & TOSTOP != 0 {
        return background_ok();
    }
    Ok(())
}

/// Opening /dev/tty (device `rdev`) needs a controlling terminal (ENXIO).
pub fn may_open(rdev: u32) -> Result<(), Errno> {
    if rdev == crate::fs::root::DEV_TTY && !jobctl::has_ctty() {
        return Err(Errno::ENXIO);
    }
    Ok(())
}

/// Nanoseconds in VTIME's tenth of a second.
const DECISECOND_NS: u64 = 100_000_000;

/// How long a sleeper with a deadline waits before it looks at the
/// terminal again (only a timed raw read has one).
const POLL_NS: u64 = 10_000_000;

/// Reads the console, as Linux's n_tty_read: a background process meets
/// SIGTTIN first. Canonical mode returns one line (or 0 at VEOF); raw
/// mode returns once min(VMIN, len) bytes are in, with VTIME as the
/// time-out between bytes (VMIN > 0) or for the whole read (VMIN 0).
/// O_NONBLOCK: EAGAIN rather than wait (what was read, if anything).
pub fn read(f: &OpenFile, data: &mut [u8]) -> Result<usize, Errno> {
    jobctl::check_background(Signal::SIGTTIN)?;
    let t = tty::termios();
    let canonical = t.c_lflag & ICANON != 0;
    let (vmin, vtime) = (usize::from(t.c_cc[VMIN as usize]), u64::from(t.c_cc[VTIME as usize]) * DECISECOND_NS);
    let now = crate::time::monotonic_ns();
    // (bytes that end the read, its deadline, the time allowed between bytes)
    let (minimum, mut deadline, between) = match (canonical, vmin) {
        (true, _) => (0, None, 0),
        (false, 0) => (1, Some(now + vtime), 0),
        (false, m) => (m.min(data.len()), None, vtime),
    };
    let mut got = 0;
    loop {
        jobctl::console_input();
        match tty::take(&mut data[got..]) {
            Take::EndOfFile => return Ok(got),
            Take::Data(n) => {
                got += n;
                jobctl::console_input();
                if canonical || got >= minimum {
                    return Ok(got);
                }
                if between > 0 {
                    deadline = Some(crate::time::monotonic_ns() + between);
                }
                continue;
            }
            Take::Nothing => {}
        }
        let now = crate::time::monotonic_ns();
        if deadline.is_some_and(|d| now >= d) {
            return Ok(got);
        }
        if f.nonblock.load(Ordering::Relaxed) {
            return if got > 0 { Ok(got) } else { Err(Errno::EAGAIN) };
        }
        if interrupted() {
            return if got > 0 { Ok(got) } else { Err(Errno::ERESTARTSYS) };
        }
        match deadline {
            Some(d) => sched::sleep_until(d.min(now + POLL_NS)),
            None => sched::sleep(Wait::ConsoleInput),
        }
    }
}

//! Descriptor control: ioctl, fcntl, and making pipes.

use super::abi::{Errno, O_CLOEXEC, O_NONBLOCK, SysResult};
use super::file::file;
use super::uaccess::{self, Plain};
use crate::fs::{self, Fd, Node, OpenFile};
use crate::task::sched::with_process;
use core::sync::atomic::Ordering;
use memguard_abi::linux::{FIOCLEX, FIONBIO, FIONCLEX, FIONREAD};

/// ioctl: the console answers as a terminal (`tty::ioctl`); FIONREAD,
/// FIONBIO and FIO(N)CLEX work on any descriptor; everything else is
/// ENOTTY.
pub fn ioctl(fd: u32, request: u32, arg: u32) -> SysResult {
    let f = file(fd)?;
    if f.node == Node::Console
        && let Some(r) = super::tty::ioctl(request, arg)
    {
        return r;
    }
    match request {
        // A disk's own ioctls (syscall/blkdev.rs); FIONREAD is ENOTTY on it.
        _ if f.node == Node::Block && !matches!(request, FIONBIO | FIOCLEX | FIONCLEX) => {
            super::blkdev::ioctl(request, arg)
        }
        FIONREAD => {
            let n = match f.node {
                // A FIFO: what its pipe holds.
                Node::Inode(ino) if let Some(id) = fs::pipe::fifo_of(ino) => fs::pipe::available(id) as u32,
                Node::Inode(_) => fs::size(f.node).saturating_sub(*f.offset.lock()) as u32,
                Node::PipeRead(id) => fs::pipe::available(id) as u32,
                _ => 0,
            };
            out(arg, &n)
        }
        FIONBIO => Ok(0),
        FIOCLEX | FIONCLEX => with_process(|p| p.files.set_cloexec(fd, request == FIOCLEX)).map(|_| 0),
        _ => Err(Errno::ENOTTY),
    }
}

fn out<T: Plain>(addr: u32, v: &T) -> SysResult {
    with_process(|p| uaccess::write(&mut p.mem, addr, v)).map(|_| 0)
}

/// pipe(fds) and pipe2(fds, flags): [read end, write end]. Flags are
/// O_CLOEXEC and O_NONBLOCK; anything else is EINVAL. If the result cannot
/// be stored, both descriptors are closed again (EFAULT).
pub fn pipe2(fds: u32, flags: u32) -> SysResult {
    if flags & !(O_CLOEXEC | O_NONBLOCK) != 0 {
        return Err(Errno::EINVAL);
    }
    let id = fs::pipe::create();
    let (r, w) = (OpenFile::new(Node::PipeRead(id), true, false), OpenFile::new(Node::PipeWrite(id), false, true));
    for end in [&r, &w] {
        end.nonblock.store(flags & O_NONBLOCK != 0, Ordering::Relaxed);
    }
    let cloexec = flags & O_CLOEXEC != 0;
    with_process(|p| {
        let rfd = p.files.install(Fd { file: r, cloexec })?;
        let wfd = match p.files.install(Fd { file: w, cloexec }) {
            Ok(fd) => fd,
            Err(e) => {
                let _ = p.files.close(rfd);
                return Err(e);
            }
        };
        if let Err(e) = uaccess::write(&mut p.mem, fds, &[rfd, wfd]) {
            let _ = p.files.close(rfd);
            let _ = p.files.close(wfd);
            return Err(e);
        }
        Ok(0)
    })
}

const F_DUPFD: u32 = 0;
const F_GETFD: u32 = 1;
const F_SETFD: u32 = 2;
const F_GETFL: u32 = 3;
const O_APPEND: u32 = 0o2000;
/// i386's O_LARGEFILE (glibc's open64 sets it).
const O_LARGEFILE: u32 = 0o100_000;
const F_SETFL: u32 = 4;
const F_DUPFD_CLOEXEC: u32 = 1030;
const FD_CLOEXEC: u32 = 1;

/// fcntl/fcntl64: duplicating, the close-on-exec flag, and the status
/// flags (access mode; O_NONBLOCK is the one that can change).
pub fn fcntl(fd: u32, cmd: u32, arg: u32) -> SysResult {
    let f = file(fd)?;
    match cmd {
        F_DUPFD | F_DUPFD_CLOEXEC => {
            with_process(|p| p.files.install_from(arg, Fd { file: f.clone(), cloexec: cmd == F_DUPFD_CLOEXEC }))
        }
        F_GETFD => with_process(|p| p.files.cloexec(fd)).map(|c| if c { FD_CLOEXEC } else { 0 }),
        F_SETFD => with_process(|p| p.files.set_cloexec(fd, arg & FD_CLOEXEC != 0)).map(|_| 0),
        F_GETFL => {
            let mode = match (f.readable, f.writable) {
                (true, true) => 2,
                (false, true) => 1,
                _ => 0,
            };
            let flag = |on: bool, bit: u32| if on { bit } else { 0 };
            Ok(mode
                | flag(f.nonblock.load(Ordering::Relaxed), O_NONBLOCK)
                | flag(f.append.load(Ordering::Relaxed), O_APPEND)
                | flag(f.largefile.load(Ordering::Relaxed), O_LARGEFILE))
        }
        F_SETFL => {
            f.nonblock.store(arg & O_NONBLOCK != 0, Ordering::Relaxed);
            f.append.store(arg & O_APPEND != 0, Ordering::Relaxed);
            Ok(0)
        }
        _ => Err(Errno::EINVAL),
    }
}

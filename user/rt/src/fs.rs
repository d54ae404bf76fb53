//! File-descriptor system calls: read, write, open, close, dup, lseek.
use core::ffi::CStr;

use bitflags::bitflags;
use memguard_abi::linux;

use crate::arch::nr;
use crate::arch::syscall::{syscall1, syscall2, syscall3};
use crate::errno::{Errno, check};

/// A file descriptor.
pub type Fd = i32;
pub const STDIN: Fd = 0;
pub const STDOUT: Fd = 1;
pub const STDERR: Fd = 2;

/// The access mode, the two low bits of open's flags (O_ACCMODE). An enum,
/// not a flag: O_RDONLY is 0, so "contains(O_RDONLY)" would always be true.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Access {
    ReadOnly = linux::O_RDONLY,
    WriteOnly = linux::O_WRONLY,
    ReadWrite = linux::O_RDWR,
}

bitflags! {
    /// open's single-bit flags (Linux's O_* values).
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct OpenFlags: u32 {
        const CREAT = linux::O_CREAT;
        const EXCL = linux::O_EXCL;
        const TRUNC = linux::O_TRUNC;
        const APPEND = linux::O_APPEND;
        const DIRECTORY = linux::O_DIRECTORY;
        const CLOEXEC = linux::O_CLOEXEC;
    }
}

/// lseek's `whence`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Whence {
    Set = linux::SEEK_SET,
    Cur = linux::SEEK_CUR,
    End = linux::SEEK_END,
}

pub fn read(fd: Fd, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is valid and writable for `buf.len()` bytes.
    unsafe { read_raw(fd, buf.as_mut_ptr(), buf.len()) }
}

/// `read` into a caller-chosen address (tests pass bad ones).
///
/// # Safety
/// Whatever is mapped writable in `buf..buf+len` must not be memory Rust
/// relies on; unmapped parts are answered with EFAULT.
pub unsafe fn read_raw(fd: Fd, buf: *mut u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: the caller vouches for the destination.
    check(unsafe { syscall3(nr::READ, fd as usize, buf as usize, len) })
}

/// One `write` call; may write less than `buf.len()` (see `io::write_all`).
pub fn write(fd: Fd, buf: &[u8]) -> Result<usize, Errno> {
    // SAFETY: the kernel only reads `buf`, which is valid for its length.
    unsafe { write_raw(fd, buf.as_ptr(), buf.len()) }
}

/// `write` from a caller-chosen address (tests pass bad ones).
///
/// # Safety
/// None for this process's memory: the kernel only reads from `buf` and
/// answers EFAULT for unmapped parts. Marked unsafe because a wrong pointer
/// is almost always a bug that should be visible at the call site.
pub unsafe fn write_raw(fd: Fd, buf: *const u8, len: usize) -> Result<usize, Errno> {
    // SAFETY: the kernel reads at most `len` bytes and checks the range.
    check(unsafe { syscall3(nr::WRITE, fd as usize, buf as usize, len) })
}

/// Opens `path`; `mode` is used only with `CREAT`.
pub fn open(path: &CStr, access: Access, flags: OpenFlags, mode: u32) -> Result<Fd, Errno> {
    let bits = access as u32 | flags.bits();
    // SAFETY: `path` is a valid NUL-terminated string.
    let r = unsafe { syscall3(nr::OPEN, path.as_ptr() as usize, bits as usize, mode as usize) };
    check(r).map(|fd| fd as Fd)
}

pub fn close(fd: Fd) -> Result<(), Errno> {
    // SAFETY: no pointer arguments.
    check(unsafe { syscall1(nr::CLOSE, fd as usize) }).map(drop)
}

/// Removes the name `path` (Linux; memguard's files are read-only boot modules).
pub fn unlink(path: &CStr) -> Result<(), Errno> {
    // SAFETY: `path` is a valid NUL-terminated string.
    check(unsafe { syscall1(nr::UNLINK, path.as_ptr() as usize) }).map(drop)
}

/// A new descriptor for the same open file, the lowest free number.
pub fn dup(fd: Fd) -> Result<Fd, Errno> {
    // SAFETY: no pointer arguments.
    check(unsafe { syscall1(nr::DUP, fd as usize) }).map(|fd| fd as Fd)
}

/// Makes `new` refer to the file `old` refers to, closing `new` first.
pub fn dup2(old: Fd, new: Fd) -> Result<Fd, Errno> {
    // SAFETY: no pointer arguments.
    check(unsafe { syscall2(nr::DUP2, old as usize, new as usize) }).map(|fd| fd as Fd)
}

/// Moves the file offset; returns the new offset (32-bit `lseek`, not `_llseek`).
pub fn lseek(fd: Fd, offset: i32, whence: Whence) -> Result<u32, Errno> {
    // SAFETY: no pointer arguments.
    let r = unsafe { syscall3(nr::LSEEK, fd as usize, offset as usize, whence as usize) };
    check(r).map(|off| off as u32)
}

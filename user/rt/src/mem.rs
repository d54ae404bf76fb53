//! Address-space system calls: brk, mmap2, munmap, mprotect.
use bitflags::bitflags;
use memguard_abi::linux;

use crate::arch::nr;
use crate::arch::syscall::{syscall1, syscall2, syscall3, syscall6};
use crate::errno::{Errno, check};
use crate::fs::Fd;

pub const PAGE_SIZE: usize = 4096;

bitflags! {
    /// Page protection (PROT_*). The empty set is PROT_NONE.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct Prot: u32 {
        const READ = linux::PROT_READ;
        const WRITE = linux::PROT_WRITE;
        const EXEC = linux::PROT_EXEC;
    }
}

/// Whether writes are seen by other processes mapping the same memory:
/// the two-bit MAP_TYPE field of mmap's flags, hence an enum.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum Sharing {
    Shared = linux::MAP_SHARED,
    Private = linux::MAP_PRIVATE,
}

bitflags! {
    /// mmap's single-bit flags.
    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub struct MapFlags: u32 {
        /// Place the mapping exactly at `addr`, replacing what was there.
        const FIXED = linux::MAP_FIXED;
        /// Not backed by a file: reads as zeros (`fd` must be -1).
        const ANONYMOUS = linux::MAP_ANONYMOUS;
    }
}

/// Rounds `n` up to a multiple of the page size.
pub const fn page_round_up(n: usize) -> usize {
    (n + PAGE_SIZE - 1) & !(PAGE_SIZE - 1)
}

/// The current program break (`brk(0)`).
pub fn current_brk() -> usize {
    // SAFETY: brk(0) only queries; Linux answers with the current break.
    unsafe { syscall1(nr::BRK, 0) as usize }
}

/// Moves the program break to `addr`; ENOMEM if the kernel refused (brk
/// returns the unchanged break then, not an error number).
///
/// # Safety
/// When shrinking, nothing Rust still uses may live above `addr`.
pub unsafe fn set_brk(addr: usize) -> Result<usize, Errno> {
    // SAFETY: the caller vouches for the memory given up.
    let now = unsafe { syscall1(nr::BRK, addr) } as usize;
    if now == addr { Ok(now) } else { Err(Errno::ENOMEM) }
}

/// `mmap2`: maps `len` bytes; `page_offset` counts 4 KiB pages into the file.
///
/// # Safety
/// With `MapFlags::FIXED`, whatever was mapped at `addr..addr+len` is
/// replaced, so it must not be memory Rust still uses.
pub unsafe fn mmap2(
    addr: usize,
    len: usize,
    prot: Prot,
    sharing: Sharing,
    flags: MapFlags,
    fd: Fd,
    page_offset: usize,
) -> Result<*mut u8, Errno> {
    let f = sharing as u32 | flags.bits();
    // SAFETY: the caller vouches for FIXED; otherwise the kernel picks a
    // free range and existing memory is untouched.
    let r = unsafe { syscall6(nr::MMAP2, addr, len, prot.bits() as usize, f as usize, fd as usize, page_offset) };
    check(r).map(|a| a as *mut u8)
}

/// A fresh anonymous mapping placed by the kernel.
pub fn mmap_anon(len: usize, prot: Prot, sharing: Sharing) -> Result<*mut u8, Errno> {
    // SAFETY: without FIXED the kernel never replaces an existing mapping.
    unsafe { mmap2(0, len, prot, sharing, MapFlags::ANONYMOUS, -1, 0) }
}

/// Removes the mappings in `addr..addr+len`.
///
/// # Safety
/// Nothing Rust still uses may live in the range.
pub unsafe fn munmap(addr: usize, len: usize) -> Result<(), Errno> {
    // SAFETY: the caller vouches for the range.
    check(unsafe { syscall2(nr::MUNMAP, addr, len) }).map(drop)
}

/// Changes the protection of `addr..addr+len`.
///
/// # Safety
/// Rust code must not later access the range in a way `prot` forbids,
/// unless that fault is the point (then only in a disposable process).
pub unsafe fn mprotect(addr: usize, len: usize, prot: Prot) -> Result<(), Errno> {
    // SAFETY: the caller vouches for later accesses.
    check(unsafe { syscall3(nr::MPROTECT, addr, len, prot.bits() as usize) }).map(drop)
}

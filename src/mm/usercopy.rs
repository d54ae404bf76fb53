//! Copying between the kernel and the current task's user memory. Every
//! page is first made accessible the way a user access would be (faulting
//! in demand-zero pages, copying copy-on-write ones) or refused with EFAULT,
//! so the copy itself never faults and never writes through a shared frame.
//! Here in mm, below the task layer, so that signal delivery can write its
//! frames as system calls write their results.

use super::addr::{PAGE_SIZE, UserRange, VirtAddr};
use super::user::{MemError, UserMemory};
use crate::arch::x86::exception::Access;
use alloc::string::String;
use alloc::vec::Vec;
use core::mem::size_of;
use memguard_abi::Errno;

/// `[addr, addr + len)` as a user range, or EFAULT (Linux's access_ok).
pub fn user_range(addr: u32, len: u32) -> Result<UserRange, Errno> {
    UserRange::new(addr, len).ok_or(Errno::EFAULT)
}

/// The errno Linux gives for each reason mm refuses a memory change.
impl From<MemError> for Errno {
    fn from(e: MemError) -> Errno {
        match e {
            MemError::Invalid => Errno::EINVAL,
            MemError::OutOfMemory | MemError::Unmapped => Errno::ENOMEM,
            MemError::Exists => Errno::EEXIST,
            MemError::Denied => Errno::EACCES,
            MemError::BadAddress => Errno::EFAULT,
        }
    }
}

/// Copies `dst.len()` bytes from user address `src`.
pub fn copy_in(mem: &mut UserMemory, src: u32, dst: &mut [u8]) -> Result<(), Errno> {
    mem.ensure(user_range(src, dst.len() as u32)?, Access::Read)?;
    debug_assert!(mem.space.is_current());
    // SAFETY: `ensure` made [src, src+len) present and user-readable in the
    // loaded address space; interrupts are off, so nothing unmaps it before
    // the copy; the kernel buffer cannot overlap user memory.
    unsafe { core::ptr::copy_nonoverlapping(src as *const u8, dst.as_mut_ptr(), dst.len()) };
    Ok(())
}

/// Copies `src` to user address `dst`.
pub fn copy_out(mem: &mut UserMemory, dst: u32, src: &[u8]) -> Result<(), Errno> {
    mem.ensure(user_range(dst, src.len() as u32)?, Access::Write)?;
    debug_assert!(mem.space.is_current());
    // SAFETY: `ensure` made the range present and writable in the loaded
    // address space (copy-on-write pages were copied first), and it stays
    // so with interrupts off.
    unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), dst as *mut u8, src.len()) };
    Ok(())
}

/// User memory made accessible (`ensure`d) for one access, lent to a
/// closure by `with_accessible`: the copies through it need no second
/// page-table walk, and no buffer in between (a file's page goes straight
/// to or from the user's).
pub struct UserBytes {
    addr: u32,
    len: u32,
}

impl UserBytes {
    /// How many bytes from the start are accessible.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Copies `dst.len()` bytes from offset `at` into `dst`.
    pub fn read(&self, at: usize, dst: &mut [u8]) {
        assert!(at + dst.len() <= self.len(), "user read past the accessible bytes");
        // SAFETY: [addr, addr + len) was made present and user-readable in the
        // loaded address space by `with_accessible`, which holds the
        // UserMemory borrowed (nothing remaps it) while this lives, with
        // interrupts off (no other task runs). `dst` is kernel memory, so the
        // two address ranges are apart (the user's page may be the very
        // frame `dst` is a window onto: write() from a mapping of the same
        // file; that is no overlap of addresses).
        unsafe { core::ptr::copy_nonoverlapping((self.addr as usize + at) as *const u8, dst.as_mut_ptr(), dst.len()) };
    }

    /// Copies `src` to offset `at`.
    pub fn write(&mut self, at: usize, src: &[u8]) {
        assert!(at + src.len() <= self.len(), "user write past the accessible bytes");
        // SAFETY: as in `read`, the range was made present and writable
        // (copy-on-write pages copied first) and stays so while this lives.
        unsafe { core::ptr::copy_nonoverlapping(src.as_ptr(), (self.addr as usize + at) as *mut u8, src.len()) };
    }
}

/// Runs `f` on the accessible prefix of `[addr, addr + len)` for `access`
/// (pages faulted in as for a user access, stopping at the first that
/// cannot be, as `accessible_prefix`); EFAULT if the range lies outside
/// user memory. `f` may not sleep: the task keeps the CPU, so the pages
/// stay as they are.
pub fn with_accessible<R>(
    mem: &mut UserMemory,
    addr: u32,
    len: u32,
    access: Access,
    f: impl FnOnce(&mut UserBytes) -> R,
) -> Result<R, Errno> {
    user_range(addr, len)?;
    let ok = accessible_prefix(mem, addr, len, access);
    debug_assert!(mem.space.is_current());
    Ok(f(&mut UserBytes { addr, len: ok }))
}

/// Copies `src` to user address `dst` of `mem`, an address space that need
/// not be the loaded one (a new child's): the range must be user memory
/// its regions allow writing (EFAULT otherwise, as for copy_out), pages
/// are faulted in (copy-on-write copied) in `mem`, and the bytes go in
/// through each frame's kernel window.
pub fn copy_out_to(mem: &mut UserMemory, dst: u32, src: &[u8]) -> Result<(), Errno> {
    mem.ensure(user_range(dst, src.len() as u32)?, Access::Write)?;
    let mut done = 0usize;
    while done < src.len() {
        let addr = dst + done as u32;
        let page = super::addr::VirtAddr::new(addr & !(super::addr::PAGE_SIZE - 1));
        let e = mem.space.entry(page).filter(|e| e.is_present()).ok_or(Errno::EFAULT)?;
        let off = (addr % super::addr::PAGE_SIZE) as usize;
        let n = (super::addr::PAGE_SIZE as usize - off).min(src.len() - done);
        super::kmap::FrameWindow::new(e.frame()).bytes()[off..off + n].copy_from_slice(&src[done..done + n]);
        // Written past the entry's Dirty bit: the frame no longer matches
        // a swap slot it was paired with.
        super::swap::area::uncache(e.frame());
        done += n;
    }
    Ok(())
}

/// A structure of the Linux ABI that crosses the user boundary byte for
/// byte: `stat64`, `termios`, `timespec`, ... (from `memguard_abi::linux`).
///
/// # Safety
/// Only for `repr(C)` types made of integers and arrays of integers with no
/// padding bytes between or after the fields: then every byte of a value is
/// initialised (so it may be copied out) and every byte pattern is a valid
/// value (so one may be copied in).
pub unsafe trait Plain: Copy {
    /// The all-zero value, as Linux clears a structure before filling it.
    fn zeroed() -> Self {
        // SAFETY: by the trait's contract every bit pattern is a value.
        unsafe { core::mem::zeroed() }
    }
}

macro_rules! plain {
    ($($t:ty = $size:expr),* $(,)?) => {
        $(
            // SAFETY: integers (and arrays of them) only; the size equals the
            // sum of the fields', asserted here, so there is no padding.
            unsafe impl Plain for $t {}
            const _: () = assert!(core::mem::size_of::<$t>() == $size);
        )*
    };
}

use memguard_abi::{linux, sigframe};
plain! {
    u32 = 4, u64 = 8, [u32; 2] = 8, [u64; 2] = 16, [u32; 6] = 24,
    linux::stat64 = 96, linux::termios = 36, linux::winsize = 8,
    linux::timespec = 8, linux::__kernel_timespec = 16, linux::timeval = 8, linux::timezone = 8,
    linux::rusage = 72, linux::tms = 16, linux::sysinfo = 64, linux::new_utsname = 390, linux::iovec = 8,
    linux::user_desc = 16, linux::itimerval = 16, linux::statx = 256, linux::statfs64 = 84, linux::stat = 64, linux::statfs = 64,
    sigframe::KernelSigaction = 20, sigframe::OldSigaction = 16, sigframe::StackT = 12, sigframe::SigInfo = 128,
    sigframe::Sigcontext = 88, sigframe::Ucontext = 116, sigframe::RtSigframe = 268, sigframe::Sigframe = 732, [u32; 156] = 624,
}

/// The bytes of `v`, as they cross the user boundary.
pub fn bytes_of<T: Plain>(v: &T) -> &[u8] {
    // SAFETY: `T: Plain` has no padding, so all its bytes are initialised;
    // the slice borrows `v`.
    unsafe { core::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) }
}

/// Copies a `T` out of user memory at `addr`.
pub fn read<T: Plain>(mem: &mut UserMemory, addr: u32) -> Result<T, Errno> {
    let mut v = T::zeroed();
    // SAFETY: `T: Plain`, so any bytes form a valid `T`; the slice covers
    // exactly `v` and lives no longer than this statement.
    let bytes = unsafe { core::slice::from_raw_parts_mut(&mut v as *mut T as *mut u8, size_of::<T>()) };
    copy_in(mem, addr, bytes)?;
    Ok(v)
}

/// Copies `n` consecutive `T`s out of user memory at `addr`.
pub fn read_array<T: Plain>(mem: &mut UserMemory, addr: u32, n: usize) -> Result<Vec<T>, Errno> {
    let mut v = alloc::vec![T::zeroed(); n];
    // SAFETY: as in `read`, for the vector's `n` initialised elements.
    let bytes = unsafe { core::slice::from_raw_parts_mut(v.as_mut_ptr() as *mut u8, n * size_of::<T>()) };
    copy_in(mem, addr, bytes)?;
    Ok(v)
}

/// Copies `v` to user memory at `addr`.
pub fn write<T: Plain>(mem: &mut UserMemory, addr: u32, v: &T) -> Result<(), Errno> {
    // SAFETY: `T: Plain` has no padding, so all its bytes are initialised.
    let bytes = unsafe { core::slice::from_raw_parts(v as *const T as *const u8, size_of::<T>()) };
    copy_out(mem, addr, bytes)
}

pub fn read_u32(mem: &mut UserMemory, addr: u32) -> Result<u32, Errno> {
    read(mem, addr)
}

pub fn write_u32(mem: &mut UserMemory, addr: u32, v: u32) -> Result<(), Errno> {
    write(mem, addr, &v)
}

/// A NUL-terminated string of at most `max` bytes (NUL included):
/// ENAMETOOLONG past that, EFAULT if it runs into unmapped memory.
pub fn read_cstr(mem: &mut UserMemory, addr: u32, max: usize, too_long: Errno) -> Result<String, Errno> {
    let bytes = strncpy_from_user(mem, addr, max)?;
    if bytes.len() >= max {
        return Err(too_long);
    }
    // Valid UTF-8 (nearly always) keeps its buffer: no second copy.
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// The bytes of the string at `addr` before its NUL, at most `max` of them
/// (Linux's strncpy_from_user): EFAULT only if a byte it needs cannot be
/// read.
pub fn strncpy_from_user(mem: &mut UserMemory, addr: u32, max: usize) -> Result<Vec<u8>, Errno> {
    let mut bytes = Vec::new();
    let mut at = addr;
    let mut buf = [0u8; 64];
    while bytes.len() < max {
        // Small steps that never cross a page: the next page may not exist,
        // and most strings are short.
        let chunk = ((PAGE_SIZE - VirtAddr::new(at).page_offset()) as usize).min(buf.len()).min(max - bytes.len());
        let buf = &mut buf[..chunk];
        copy_in(mem, at, buf)?;
        if let Some(nul) = buf.iter().position(|&b| b == 0) {
            bytes.extend_from_slice(&buf[..nul]);
            return Ok(bytes);
        }
        bytes.extend_from_slice(buf);
        at = at.checked_add(chunk as u32).ok_or(Errno::EFAULT)?;
    }
    Ok(bytes)
}

/// How many bytes from `addr` the task can access for `access`, up to
/// `len`: pages are faulted in as for a user access, and the count stops at
/// the first page that cannot be (Linux's partial-copy semantics).
pub fn accessible_prefix(mem: &mut UserMemory, addr: u32, len: u32, access: Access) -> u32 {
    // Nearly always all of it: one pass over the range, then page by page
    // only to find where it stops.
    if UserRange::new(addr, len).is_some_and(|r| mem.ensure(r, access).is_ok()) {
        return len;
    }
    let mut done = 0u32;
    while done < len {
        let at = addr.wrapping_add(done);
        let chunk = (PAGE_SIZE - VirtAddr::new(at).page_offset()).min(len - done);
        let Some(range) = UserRange::new(at, chunk) else { break };
        if mem.ensure(range, access).is_err() {
            break;
        }
        done += chunk;
    }
    done
}

//! Copying between the kernel and the current task's user memory. Every
//! page is first made accessible the way a user access would be (faulting
//! in demand-zero pages, copying copy-on-write ones) or refused with EFAULT,
//! so the copy itself never faults and never writes through a shared frame.

use super::abi::Errno;
use super::usercheck::user_range;
use crate::arch::x86::exception::Access;
use crate::mm::addr::{PAGE_SIZE, UserRange, VirtAddr};
use crate::mm::user::UserMemory;
use alloc::string::String;
use alloc::vec::Vec;

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

pub fn read_u32(mem: &mut UserMemory, addr: u32) -> Result<u32, Errno> {
    let mut b = [0u8; 4];
    copy_in(mem, addr, &mut b)?;
    Ok(u32::from_le_bytes(b))
}

pub fn write_u32(mem: &mut UserMemory, addr: u32, v: u32) -> Result<(), Errno> {
    copy_out(mem, addr, &v.to_le_bytes())
}

/// A NUL-terminated string of at most `max` bytes (NUL included):
/// ENAMETOOLONG past that, EFAULT if it runs into unmapped memory.
pub fn read_cstr(mem: &mut UserMemory, addr: u32, max: usize, too_long: Errno) -> Result<String, Errno> {
    let mut bytes = Vec::new();
    let mut at = addr;
    let mut buf = [0u8; 64];
    loop {
        // Small steps that never cross a page: the next page may not exist,
        // and most strings are short.
        let chunk = ((PAGE_SIZE - VirtAddr::new(at).page_offset()) as usize).min(buf.len());
        let buf = &mut buf[..chunk];
        copy_in(mem, at, buf)?;
        if let Some(nul) = buf.iter().position(|&b| b == 0) {
            bytes.extend_from_slice(&buf[..nul]);
            break;
        }
        bytes.extend_from_slice(buf);
        if bytes.len() >= max {
            return Err(too_long);
        }
        at = at.checked_add(chunk as u32).ok_or(Errno::EFAULT)?;
    }
    if bytes.len() >= max {
        return Err(too_long);
    }
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A NULL-terminated array of string pointers (argv, envp). A NULL array
/// pointer is an empty list, as Linux allows.
pub fn read_str_array(mem: &mut UserMemory, addr: u32, total_max: usize) -> Result<Vec<String>, Errno> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    let mut total = 0usize;
    for i in 0u32.. {
        let p = read_u32(mem, addr.checked_add(i * 4).ok_or(Errno::EFAULT)?)?;
        if p == 0 {
            break;
        }
        let s = read_cstr(mem, p, super::super::task::exec::MAX_ARG_STRLEN, Errno::E2BIG)?;
        total += s.len() + 1 + 4;
        if total > total_max {
            return Err(Errno::E2BIG);
        }
        out.push(s);
    }
    Ok(out)
}

/// How many bytes from `addr` the task can access for `access`, up to
/// `len`: pages are faulted in as for a user access, and the count stops at
/// the first page that cannot be (Linux's partial-copy semantics).
pub fn accessible_prefix(mem: &mut UserMemory, addr: u32, len: u32, access: Access) -> u32 {
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

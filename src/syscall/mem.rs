//! brk, mmap2, old mmap, munmap, mprotect: argument checks as Linux makes
//! them, then `UserMemory` does the work.

use super::abi::{Errno, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE, SysResult};
use super::uaccess::copy_in;
use crate::fs::{self, Node};
use crate::mm::addr::PAGE_SIZE;
use crate::mm::user::new_shared;
use crate::mm::vma::{Backing, PastEof, Prot};
use crate::task::sched::with_process;

pub fn brk(addr: u32) -> SysResult {
    Ok(with_process(|p| p.mem.set_brk(addr)))
}

fn prot_of(bits: u32) -> Result<Prot, Errno> {
    Prot::from_bits(bits).ok_or(Errno::EINVAL)
}

/// mmap2(addr, len, prot, flags, fd, pgoff): the offset is in pages.
pub fn mmap2(addr: u32, len: u32, prot: u32, flags: u32, fd: i32, pgoff: u32) -> SysResult {
    let prot = prot_of(prot)?;
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let shared = match flags & MAP_TYPE {
        MAP_SHARED | MAP_SHARED_VALIDATE => true,
        MAP_PRIVATE => false,
        _ => return Err(Errno::EINVAL),
    };
    let backing = if flags & MAP_ANONYMOUS != 0 {
        if shared { Backing::Shared { pages: new_shared(), first_page: 0 } } else { Backing::Anonymous }
    } else {
        file_backing(fd, pgoff, prot, shared)?
    };
    let fixed = flags & MAP_FIXED != 0;
    let noreplace = flags & MAP_FIXED_NOREPLACE != 0;
    with_process(|p| p.mem.mmap(addr, len, prot, backing, fixed, noreplace))
}

/// A private mapping of a module file (a shared one is the same thing for
/// a file nobody can write). Pages past the end of the file are SIGBUS.
fn file_backing(fd: i32, pgoff: u32, prot: Prot, shared: bool) -> Result<Backing, Errno> {
    let f = with_process(|p| p.files.get(fd as u32).cloned())?;
    if !f.readable {
        return Err(Errno::EACCES);
    }
    let Node::Module(index) = f.node else { return Err(Errno::ENODEV) };
    if shared && prot.writable() {
        return Err(Errno::EACCES);
    }
    let m = crate::init::boot_info().modules()[index];
    let offset = pgoff.checked_mul(PAGE_SIZE).ok_or(Errno::EINVAL)?;
    let file_bytes = (fs::size(f.node) as u32).saturating_sub(offset);
    Ok(Backing::File { module: index as u16, file_start: m.start + offset, file_bytes, past_eof: PastEof::Bus })
}

/// The old mmap (90): one pointer to six arguments, offset in bytes.
pub fn old_mmap(args: u32) -> SysResult {
    let mut raw = [0u8; 24];
    with_process(|p| copy_in(&mut p.mem, args, &mut raw))?;
    let w = |i: usize| u32::from_le_bytes([raw[i * 4], raw[i * 4 + 1], raw[i * 4 + 2], raw[i * 4 + 3]]);
    if w(5) % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    mmap2(w(0), w(1), w(2), w(3), w(4) as i32, w(5) / PAGE_SIZE)
}

pub fn munmap(addr: u32, len: u32) -> SysResult {
    with_process(|p| p.mem.munmap(addr, len)).map(|_| 0)
}

pub fn mprotect(addr: u32, len: u32, prot: u32) -> SysResult {
    let prot = prot_of(prot)?;
    with_process(|p| p.mem.mprotect(addr, len, prot)).map(|_| 0)
}

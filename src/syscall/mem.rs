//! brk, mmap2, old mmap, munmap, mprotect, mremap, msync: argument checks as
//! Linux makes them, then `UserMemory` does the work. The calls that map
//! more memory first hand the memory map the process's RLIMIT_AS and
//! RLIMIT_DATA.

use super::abi::{
    Errno, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE, MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE,
    SysResult,
};
use super::uaccess;
use crate::fs::tmpfs::{Ino, S_IFREG};
use crate::fs::{self, Node, OpenFile};
use crate::mm::addr::PAGE_SIZE;
use crate::mm::cache::Extent;
use crate::mm::remap::Remap;
use crate::mm::user::{Placement, ProtectExtent, UserMemory, commit_fits, new_shared};
use crate::mm::vma::{Backing, PastEof, Prot};
use crate::task::sched::with_process;

/// Runs `f` on the process's memory under its current limits (the map
/// keeps a copy for what grows without a call: the stack).
fn with_limited_memory<T>(f: impl FnOnce(&mut UserMemory) -> T) -> T {
    with_process(|p| {
        p.mem.map.limits = p.limits.memory();
        f(&mut p.mem)
    })
}

pub fn brk(addr: u32) -> SysResult {
    Ok(with_limited_memory(|mem| mem.set_brk(addr)))
}

const MAP_NORESERVE: u32 = 0x4000;
const MAP_HUGETLB: u32 = 0x4_0000;
/// The flags Linux knows without MAP_SHARED_VALIDATE's strictness
/// (LEGACY_MAP_MASK), plus MAP_FIXED_NOREPLACE.
const KNOWN_FLAGS: u32 = 0x1_FFFF | MAP_HUGETLB | MAP_FIXED_NOREPLACE;
const PROT_SEM: u32 = 0x8;
const PROT_GROWSDOWN: u32 = 0x0100_0000;
const PROT_GROWSUP: u32 = 0x0200_0000;

/// mmap2(addr, len, prot, flags, fd, pgoff): the offset is in pages.
/// Checks in Linux's order; unknown PROT bits are ignored, as Linux does.
pub fn mmap2(addr: u32, len: u32, prot: u32, flags: u32, fd: i32, pgoff: u32) -> SysResult {
    let prot = Prot::from_bits_truncate(prot);
    let anonymous = flags & MAP_ANONYMOUS != 0;
    // A file mapping looks its descriptor up before anything else.
    let file = if anonymous { None } else { Some(with_process(|p| p.files.get(fd as u32).cloned())?) };
    if len == 0 {
        return Err(Errno::EINVAL);
    }
    let shared = match flags & MAP_TYPE {
        MAP_SHARED => true,
        MAP_PRIVATE => false,
        MAP_SHARED_VALIDATE if !anonymous => {
            if flags & !KNOWN_FLAGS != 0 {
                return Err(Errno::EOPNOTSUPP);
            }
            true
        }
        _ => return Err(Errno::EINVAL),
    };
    let pages = crate::mm::addr::page_round_up(len).ok_or(Errno::ENOMEM)? / PAGE_SIZE;
    if pgoff.checked_add(pages).is_none() {
        return Err(Errno::EOVERFLOW);
    }
    let backing = match file {
        None if flags & MAP_HUGETLB != 0 => return Err(Errno::ENOMEM),
        None if shared => Backing::Shared { pages: new_shared(pages), first_page: 0 },
        None => Backing::Anonymous,
        Some(_) if flags & MAP_HUGETLB != 0 => return Err(Errno::EINVAL),
        Some(f) => file_backing(&f, pgoff, pages, prot, shared)?,
    };
    // A shared file mapping commits no memory (its pages are the file's).
    let commits = !matches!(backing, Backing::Cache { shared: true, .. });
    if commits && prot.writable() && flags & MAP_NORESERVE == 0 && !commit_fits(pages * PAGE_SIZE) {
        return Err(Errno::ENOMEM);
    }
    // NOREPLACE wins over a MAP_FIXED beside it, as on Linux.
    let at = if flags & MAP_FIXED_NOREPLACE != 0 {
        Placement::FixedNoReplace(addr)
    } else if flags & MAP_FIXED != 0 {
        Placement::Fixed(addr)
    } else {
        Placement::Hint(addr)
    };
    let noreserve = flags & MAP_NORESERVE != 0;
    Ok(with_limited_memory(|mem| mem.mmap(at, len, prot, backing, noreserve))?)
}

/// mremap(old_address, old_size, new_size, flags, new_address): every
/// check and case as Linux 6.1 (`mm::remap`).
pub fn mremap(addr: u32, old_len: u32, new_len: u32, flags: u32, new_addr: u32) -> SysResult {
    Ok(with_limited_memory(|mem| mem.mremap(Remap { addr, old_len, new_len, flags, new_addr }))?)
}

/// What backs a mapping of open file `f`, with Linux's checks in its
/// order (do_mmap): a shared writable mapping needs a descriptor open for
/// writing, any mapping one open for reading (EACCES); what has no mmap
/// (the console, pipes, /dev/null, directories) is ENODEV. /dev/zero maps
/// anonymous memory, private or shared (a new object, as shmem_zero_setup
/// makes, the offset kept: pages past the object are SIGBUS).
fn file_backing(f: &OpenFile, pgoff: u32, pages: u32, prot: Prot, shared: bool) -> Result<Backing, Errno> {
    if shared && prot.writable() && !f.writable {
        return Err(Errno::EACCES);
    }
    if !f.readable {
        return Err(Errno::EACCES);
    }
    match f.node {
        Node::Zero if shared => Ok(Backing::Shared { pages: new_shared(pages), first_page: pgoff }),
        Node::Zero => Ok(Backing::Anonymous),
        Node::Inode(ino) => inode_backing(ino, f.writable, pgoff, shared),
        _ => Err(Errno::ENODEV),
    }
}

/// A mapping of a regular file. A boot module maps from its own frames
/// (private copy-on-write, or shared read-only: it is never written);
/// any other file, and a module shared through a descriptor that may
/// write it (it becomes an ordinary file first), from the page cache.
/// Pages past the end of the file are SIGBUS, as on Linux.
fn inode_backing(ino: Ino, fd_writable: bool, pgoff: u32, shared: bool) -> Result<Backing, Errno> {
    if !fs::root::with_tree(|t| t.get(ino).is_some_and(|n| n.kind() == S_IFREG)) {
        return Err(Errno::ENODEV);
    }
    let may_write = shared && fd_writable;
    if let Some(index) = fs::module_of(Node::Inode(ino)) {
        if !may_write {
            return Ok(module_backing(index, ino, pgoff, shared));
        }
        fs::root::make_writable(ino).map_err(|_| Errno::ENOMEM)?;
    }
    let file = fs::mapped::handle(ino, may_write);
    Ok(Backing::Cache { file, first_page: pgoff, extent: Extent::Live, shared, may_write })
}

/// A mapping of boot module `index` (file `ino`) from its own frames.
fn module_backing(index: usize, ino: Ino, pgoff: u32, shared: bool) -> Backing {
    let m = crate::bootinfo::get().modules()[index];
    let offset = u64::from(pgoff) * u64::from(PAGE_SIZE);
    let size = fs::size(Node::Inode(ino));
    let file_bytes = size.saturating_sub(offset) as u32;
    // Past the end too, so that mappings of one file at running offsets
    // are alike (they merge, as on Linux); those bytes are never read.
    let file_start = m.start.wrapping_add(offset as u32);
    Backing::File { module: index as u16, file_start, file_bytes, past_eof: PastEof::Bus, shared }
}

/// The old mmap (90): one pointer to `struct mmap_arg_struct`, six longs
/// (addr, len, prot, flags, fd, offset in bytes).
pub fn old_mmap(args: u32) -> SysResult {
    let [addr, len, prot, flags, fd, offset]: [u32; 6] = with_process(|p| uaccess::read(&mut p.mem, args))?;
    if offset % PAGE_SIZE != 0 {
        return Err(Errno::EINVAL);
    }
    mmap2(addr, len, prot, flags, fd as i32, offset / PAGE_SIZE)
}

pub fn munmap(addr: u32, len: u32) -> SysResult {
    with_process(|p| p.mem.munmap(addr, len))?;
    Ok(0)
}

/// mprotect: PROT_SEM is accepted; PROT_GROWSDOWN extends the change to
/// the stack region's start; any other unknown bit is EINVAL.
pub fn mprotect(addr: u32, len: u32, prot: u32) -> SysResult {
    let grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
    if grows == PROT_GROWSDOWN | PROT_GROWSUP {
        return Err(Errno::EINVAL);
    }
    let bits = prot & !grows;
    if addr.is_multiple_of(PAGE_SIZE) && len != 0 && bits & !(0x7 | PROT_SEM) != 0 {
        return Err(Errno::EINVAL);
    }
    if grows == PROT_GROWSUP && len != 0 && addr.is_multiple_of(PAGE_SIZE) {
        // No region here grows up.
        return Err(Errno::EINVAL);
    }
    let prot = Prot::from_bits_truncate(bits);
    let extent = if grows == PROT_GROWSDOWN { ProtectExtent::DownToStackStart } else { ProtectExtent::Exact };
    with_limited_memory(|mem| mem.mprotect(addr, len, prot, extent))?;
    Ok(0)
}

const MADV_DONTNEED: u32 = 4;
const MADV_FREE: u32 = 8;
const MADV_DONTNEED_LOCKED: u32 = 24;

/// The advice values Linux i386 accepts (madvise_behavior_valid, for a
/// kernel without memory-failure injection): 0–4 and 8–24.
fn advice_valid(advice: u32) -> bool {
    matches!(advice, 0..=4 | 8..=24)
}

/// madvise(addr, len, advice): MADV_DONTNEED, MADV_DONTNEED_LOCKED and
/// MADV_FREE drop the range's pages (MADV_FREE at once, which Linux may
/// also do); the other advice is a hint that changes nothing here, but the
/// range must be mapped all the same (ENOMEM). Linux's order of checks.
pub fn madvise(addr: u32, len: u32, advice: u32) -> SysResult {
    if !advice_valid(advice) || !addr.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    let len = match crate::mm::addr::page_round_up(len) {
        Some(0) if len != 0 => return Err(Errno::EINVAL),
        Some(l) => l,
        None => return Err(Errno::EINVAL),
    };
    let end = addr.checked_add(len).ok_or(Errno::EINVAL)?;
    if end == addr {
        return Ok(0);
    }
    // MADV_REMOVE needs a shared file mapping (shmem); there is none here.
    if advice == 9 {
        return Err(Errno::EINVAL);
    }
    let drop = matches!(advice, MADV_DONTNEED | MADV_FREE | MADV_DONTNEED_LOCKED);
    with_process(|p| p.mem.advise(addr, end, drop))?;
    Ok(0)
}

/// mincore(addr, len, vec): one byte per page, 1 when it is in memory
/// (`mm::mincore`). Linux's order: EINVAL for an unaligned start, ENOMEM
/// for a range past user space, EFAULT for the vector, then ENOMEM at the
/// first page no region holds (the bytes before it written).
pub fn mincore(addr: u32, len: u32, vec: u32) -> SysResult {
    if !addr.is_multiple_of(PAGE_SIZE) {
        return Err(Errno::EINVAL);
    }
    if u64::from(addr) + u64::from(len) > u64::from(crate::mm::layout::USER_END) {
        return Err(Errno::ENOMEM);
    }
    let pages = len.div_ceil(PAGE_SIZE);
    uaccess::user_range(vec, pages)?;
    // A page of answers at a time, as Linux does: the kernel never holds
    // more than 4 KiB for it, however long the range.
    const CHUNK: u32 = PAGE_SIZE;
    with_process(|p| {
        let mut done = 0;
        while done < pages {
            let n = (pages - done).min(CHUNK);
            let (bytes, gap) = crate::mm::mincore::residency(&p.mem, addr + done * PAGE_SIZE, n);
            uaccess::copy_out(&mut p.mem, vec + done, &bytes)?;
            if let Some(crate::mm::mincore::Gap::Unmapped) = gap {
                return Err(Errno::ENOMEM);
            }
            done += n;
        }
        Ok(0)
    })
}

/// msync(addr, len, flags): Linux's checks (`mm::edit::msync`); memory is
/// the storage, so there is nothing to write back.
pub fn msync(addr: u32, len: u32, flags: u32) -> SysResult {
    with_process(|p| crate::mm::edit::msync(&p.mem.map, addr, len, flags))?;
    Ok(0)
}

//! The page-fault decision: given what the CPU reported, what the process
//! may do at that address, and what the page table holds now, what to do.
//! A pure function, tested over every combination.
//!
//! | access | page table entry         | region allows   | action                 |
//! |--------|--------------------------|-----------------|------------------------|
//! | any    | —                        | no region       | kill: no mapping       |
//! | any    | —                        | PROT_NONE       | kill: no access        |
//! | write  | any                      | read-only       | kill: write to RO      |
//! | read   | not present, anonymous   | readable        | map the zero frame     |
//! | write  | not present, anonymous   | writable        | map a zeroed frame     |
//! | write  | the zero frame           | writable        | map a zeroed frame     |
//! | read   | not present, file page   | readable        | map the file's frame   |
//! | write  | not present, file page   | writable        | copy the file's page   |
//! | any    | not present, file hole   | readable        | as anonymous memory    |
//! | any    | not present, file + .bss | readable        | copy, zero the tail    |
//! | write  | read-only, shared region | writable        | make it writable       |
//! | write  | COW, 1 reference         | writable        | make it writable       |
//! | write  | COW or file, shared      | writable        | copy it                |
//! | any    | not present, shared anon | readable        | map the shared frame   |
//! | any    | not present, shared file | readable        | map the file's frame   |
//! | any    | past EOF, file mapping   | readable        | kill: SIGBUS           |
//! | any    | swap entry (on disk)     | allows access   | bring it back (major)  |
//! | any    | —, just below the stack  | (stack)         | grow the stack         |
//! | any    | allows the access        | —               | retry (already fixed)  |
//! | any    | reserved bit / kernel address from ring 3 | | kill                   |

use super::super::accounting::map_may_expand;
use super::super::vma::{Backing, FilePage, MemoryMap, Purpose, Region};
use crate::arch::x86::exception::{Access, PfError};
use crate::mm::addr::{PAGE_SIZE, UserAddr, VirtAddr};
use crate::mm::frame::Refs;
use crate::mm::layout::USER_END;
use crate::mm::pte::{PageTableEntry, PteFlags};
use core::fmt;

pub use crate::mm::layout::STACK_LIMIT;
/// Stack growth must leave this much free below the stack (Linux's
/// stack_guard_gap: 256 pages).
pub const STACK_GUARD_GAP: u32 = 256 * PAGE_SIZE;

/// What the fault handler does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FaultAction {
    /// The entry already allows the access (fixed meanwhile): just retry.
    Retry,
    /// Read of an untouched anonymous page: map the shared zero frame
    /// read-only. Allocates nothing.
    MapZeroPage,
    /// Write to an untouched anonymous page, or to the zero frame: map a
    /// freshly zeroed frame writable.
    MapZeroed,
    /// Read of a page wholly inside a file: map the module's own frame,
    /// read-only (copy-on-write if the region is writable).
    MapFile {
        phys: u32,
    },
    /// Write to an untouched page wholly inside a file: copy the module's
    /// page into a new frame, writable.
    CopyFile {
        phys: u32,
    },
    /// A page that mixes file bytes with .bss (or the end of a file): copy
    /// `bytes` from the module and zero the rest.
    CopyFilePartial {
        phys: u32,
        bytes: u32,
    },
    /// Write to a copy-on-write page whose frame others share: copy it.
    CopyOnWrite,
    /// Write to a copy-on-write page this process alone holds: just make it
    /// writable again.
    MakeWritable,
    /// Untouched page of shared anonymous memory: map the object's frame
    /// (allocating a zeroed one on first touch anywhere).
    MapShared {
        page: u32,
    },
    /// Untouched page of a shared mapping of a page-cache file: map the
    /// file's own frame (a hole first gets a page in the file), writable
    /// if the region is, so `read`, `write` and every mapping see it.
    MapCachePage {
        page: u32,
    },
    /// The entry names a swap slot: bring the page back from the swap
    /// device (a major fault, unless the swap cache still holds it).
    SwapIn {
        slot: u32,
    },
    /// Access just below the stack, within its limit: extend the stack
    /// region down to the page, then handle it as anonymous memory.
    GrowStack {
        new_start: UserAddr,
    },
    Kill(KillReason),
}

/// Why a task is killed, in words for the report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum KillReason {
    /// No region covers the address.
    NoMapping,
    /// Ring 3 touched the kernel half.
    KernelAddress,
    /// Write to a page the region does not allow writing.
    WriteToReadOnly,
    /// Any access to a PROT_NONE region.
    NoAccess,
    /// The CPU found a reserved bit set in a paging entry.
    ReservedBit,
    /// Below the stack, but past the 8 MiB limit or into the guard gap.
    StackOverflow,
    /// Below the stack, but growing it would pass RLIMIT_AS.
    AddressSpaceLimit,
    /// Past the end of a mapped file (SIGBUS).
    PastEndOfFile,
    /// No frame was free to resolve it.
    OutOfMemory,
}

impl KillReason {
    /// SIGBUS for an access past the end of a file, else SIGSEGV (SIGKILL
    /// for out of memory, as Linux's OOM killer does).
    pub fn signal(self) -> memguard_abi::Signal {
        use memguard_abi::Signal;
        match self {
            KillReason::PastEndOfFile => Signal::SIGBUS,
            KillReason::OutOfMemory => Signal::SIGKILL,
            _ => Signal::SIGSEGV,
        }
    }
}

impl KillReason {
    /// The siginfo code Linux gives the fault: SEGV_MAPERR where no region
    /// covers the address, SEGV_ACCERR where one forbids the access,
    /// BUS_ADRERR past the end of a file.
    pub fn si_code(self) -> u32 {
        use memguard_abi::linux::{BUS_ADRERR, SEGV_ACCERR, SEGV_MAPERR};
        match self {
            KillReason::NoMapping
            | KillReason::StackOverflow
            | KillReason::AddressSpaceLimit
            | KillReason::KernelAddress => SEGV_MAPERR,
            KillReason::PastEndOfFile => BUS_ADRERR,
            _ => SEGV_ACCERR,
        }
    }
}

impl fmt::Display for KillReason {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(match self {
            KillReason::NoMapping => "access to unmapped address",
            KillReason::KernelAddress => "user access to kernel address",
            KillReason::WriteToReadOnly => "write to read-only page",
            KillReason::NoAccess => "access to PROT_NONE page",
            KillReason::ReservedBit => "reserved bit set in page table entry",
            KillReason::StackOverflow => "stack overflow (past the 8 MiB stack limit)",
            KillReason::AddressSpaceLimit => "stack growth past the address-space limit (RLIMIT_AS)",
            KillReason::PastEndOfFile => "access past the end of a mapped file",
            KillReason::OutOfMemory => "out of memory",
        })
    }
}

/// The page-table side of the question.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EntryState {
    pub entry: PageTableEntry,
    /// The entry maps the shared zero frame.
    pub zero_frame: bool,
    /// References to the entry's frame.
    pub refs: Refs,
}

impl EntryState {
    pub const NONE: EntryState = EntryState { entry: PageTableEntry::EMPTY, zero_frame: false, refs: Refs::Counted(0) };
}

/// The faulting address as a user address, or `None` for the kernel half:
/// from ring 3 that is a protection fault on a supervisor page, and the
/// kernel never resolves faults in its own half for a process.
fn in_user_half(addr: VirtAddr) -> Option<UserAddr> {
    UserAddr::new(addr.as_u32()).filter(|&a| a < USER_END)
}

/// Decides what to do about a fault at `addr`.
pub fn decide(err: PfError, addr: VirtAddr, map: &MemoryMap, state: EntryState) -> FaultAction {
    decide_found(err, addr, map, map.find(addr.as_u32()), state)
}

/// `decide`, with the region holding `addr` (`map.find(addr)`) already
/// looked up by the caller, which needs it too.
#[inline(always)]
pub fn decide_found(
    err: PfError,
    addr: VirtAddr,
    map: &MemoryMap,
    region: Option<&Region>,
    state: EntryState,
) -> FaultAction {
    if err.contains(PfError::RSVD) {
        return FaultAction::Kill(KillReason::ReservedBit);
    }
    let Some(addr) = in_user_half(addr) else { return FaultAction::Kill(KillReason::KernelAddress) };
    match region {
        Some(r) => decide_in_region(err.access(), addr, r, state),
        None => stack_growth(addr, map),
    }
}

#[inline(always)]
fn decide_in_region(access: Access, addr: UserAddr, region: &Region, state: EntryState) -> FaultAction {
    let write = access == Access::Write;
    if !region.prot.readable() {
        return FaultAction::Kill(KillReason::NoAccess);
    }
    if write && !region.prot.writable() {
        return FaultAction::Kill(KillReason::WriteToReadOnly);
    }
    let e = state.entry;
    if e.is_present() {
        let flags = e.flags();
        if !write || flags.contains(PteFlags::WRITABLE) {
            return FaultAction::Retry;
        }
        // A write to a present read-only page of a writable region. Pages
        // of a shared mapping are written in place, never copied.
        if region.is_shared() {
            return FaultAction::MakeWritable;
        }
        if state.zero_frame {
            return FaultAction::MapZeroed;
        }
        if flags.contains(PteFlags::FILE) || state.refs.shared() {
            return FaultAction::CopyOnWrite;
        }
        return FaultAction::MakeWritable;
    }
    if let Some(slot) = e.swap_slot() {
        return FaultAction::SwapIn { slot };
    }
    match &region.backing {
        Backing::Shared { pages, first_page } => {
            let page = first_page + (addr.page_floor() - region.start) / PAGE_SIZE;
            // mremap can make a mapping longer than its object.
            if page >= pages.size {
                return FaultAction::Kill(KillReason::PastEndOfFile);
            }
            FaultAction::MapShared { page }
        }
        Backing::Cache { shared: true, .. } => match region.file_page(addr.as_u32()) {
            FilePage::PastEof => FaultAction::Kill(KillReason::PastEndOfFile),
            _ => FaultAction::MapCachePage { page: region.file_index(addr.as_u32()).unwrap_or(0) },
        },
        Backing::Anonymous => {
            if write {
                FaultAction::MapZeroed
            } else {
                FaultAction::MapZeroPage
            }
        }
        Backing::File { .. } | Backing::Cache { .. } => match region.file_page(addr.as_u32()) {
            FilePage::Full { phys } if write => FaultAction::CopyFile { phys },
            FilePage::Full { phys } => FaultAction::MapFile { phys },
            FilePage::Partial { phys, bytes } => FaultAction::CopyFilePartial { phys, bytes },
            FilePage::Zero | FilePage::Hole | FilePage::NotFile if write => FaultAction::MapZeroed,
            FilePage::Zero | FilePage::Hole | FilePage::NotFile => FaultAction::MapZeroPage,
            FilePage::PastEof => FaultAction::Kill(KillReason::PastEndOfFile),
        },
    }
}

/// An address in no region: the stack may grow down to it.
fn stack_growth(addr: UserAddr, map: &MemoryMap) -> FaultAction {
    let Some(stack) = map.next_above(addr.as_u32()).filter(|r| r.purpose == Purpose::Stack) else {
        return FaultAction::Kill(KillReason::NoMapping);
    };
    let new_start = addr.page_floor();
    // RLIMIT_STACK, which the process may have changed.
    let limit = map.stack_limit;
    let lowest = USER_END.saturating_sub(limit).max(stack.end.as_u32().saturating_sub(limit));
    if new_start < lowest {
        // Far below the stack is an ordinary wild access; just below its
        // limit is an overflow.
        let near = new_start >= lowest.saturating_sub(STACK_GUARD_GAP);
        return FaultAction::Kill(if near { KillReason::StackOverflow } else { KillReason::NoMapping });
    }
    if let Some(below) = map.prev_below(addr.as_u32())
        && new_start < below.end.as_u32().saturating_add(STACK_GUARD_GAP)
    {
        return FaultAction::Kill(KillReason::StackOverflow);
    }
    // RLIMIT_AS counts the stack too (Linux's acct_stack_growth).
    if !map_may_expand(map, false, (stack.start - new_start) / PAGE_SIZE) {
        return FaultAction::Kill(KillReason::AddressSpaceLimit);
    }
    FaultAction::GrowStack { new_start }
}

/// After `GrowStack`, the fault is decided again inside the grown stack.
pub fn decide_after_growth(err: PfError, addr: VirtAddr, map: &MemoryMap) -> FaultAction {
    let Some(addr) = in_user_half(addr) else { return FaultAction::Kill(KillReason::KernelAddress) };
    match map.find(addr.as_u32()) {
        Some(r) => decide_in_region(err.access(), addr, r, EntryState::NONE),
        None => FaultAction::Kill(KillReason::NoMapping),
    }
}

/// Whether a present entry already allows `access` (the executor's and the
/// user-copy path's fast check).
pub fn entry_allows(e: PageTableEntry, access: Access) -> bool {
    e.is_present()
        && e.flags().contains(PteFlags::USER)
        && (access == Access::Read || e.flags().contains(PteFlags::WRITABLE))
}

#[cfg(all(test, not(target_os = "none")))]
#[path = "decide_tests.rs"]
mod tests;

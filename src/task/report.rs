//! The one-line kill report, stable so tests can match it:
//!
//! ```text
//! [pid 7 segv] killed by SIGSEGV: write to read-only page at 0x08049000 (err=P|W|U) eip=0x0804812a
//! [pid 9 priv] killed by SIGSEGV: general protection fault (#GP, error 0x72: IDT vector 0xe) eip=0x08048123
//! ```
//! followed by indented detail lines (the region, the page-table entries,
//! a hint) that are for people, not for matching.

use crate::arch::x86::exception::{Exception, PfError, SelectorError};
use crate::arch::x86::trap::TrapFrame;
use crate::kprintln;
use crate::mm::addr::VirtAddr;
use crate::mm::fault::decide::KillReason;
use crate::mm::user::UserMemory;
use memguard_abi::Signal;

/// Reports a task killed by a page fault.
pub fn page_fault_kill(
    pid: u32,
    name: &str,
    mem: &UserMemory,
    frame: &TrapFrame,
    addr: u32,
    err: PfError,
    why: KillReason,
) {
    kprintln!(
        "[pid {pid} {name}] killed by {}: {why} at {addr:#010x} (err={err}) eip={:#010x}",
        why.signal(),
        frame.eip
    );
    match mem.map.find(addr) {
        Some(r) => kprintln!("    region: {}", crate::fs::region_line(r)),
        None => {
            let none = || alloc::string::String::from("none");
            let below = mem.map.prev_below(addr).map_or_else(none, crate::fs::region_line);
            let above = mem.map.next_above(addr).map_or_else(none, crate::fs::region_line);
            kprintln!("    no region contains {addr:#010x}");
            kprintln!("    region below: {below}");
            kprintln!("    region above: {above}");
        }
    }
    if addr < crate::mm::layout::USER_END {
        let w = mem.space.walk(VirtAddr::new(addr));
        let pte = w.pte.map_or(alloc::string::String::from("(no page table)"), |e| {
            alloc::format!("{:#010x} {}", e.raw(), e.flags())
        });
        kprintln!("    PDE {:#010x} {}  PTE {pte}", w.pde.raw(), w.pde.flags());
    }
    if let Some(hint) = hint(addr, why, frame) {
        kprintln!("    hint: {hint}");
    }
}

fn hint(addr: u32, why: KillReason, frame: &TrapFrame) -> Option<&'static str> {
    match why {
        KillReason::NoMapping if addr == frame.eip => Some("jump or call to an unmapped address"),
        KillReason::NoMapping if addr < 0x1000 => Some("NULL pointer dereference"),
        KillReason::NoMapping if addr < 0x1_0000 => Some("small address: a NULL pointer plus an offset?"),
        KillReason::KernelAddress => Some("the kernel half (0xC0000000 and up) is supervisor-only"),
        KillReason::WriteToReadOnly => Some("program text and read-only data cannot be written"),
        KillReason::StackOverflow => Some("unbounded recursion?"),
        _ => None,
    }
}

/// Reports a task killed by any other exception.
pub fn exception_kill(pid: u32, name: &str, frame: &TrapFrame, exc: Exception, sig: Signal) {
    let detail = match exc {
        Exception::GeneralProtection
        | Exception::SegmentNotPresent
        | Exception::StackSegmentFault
        | Exception::InvalidTss => {
            alloc::format!(", error {:#x}: {}", frame.error_code, SelectorError(frame.error_code))
        }
        _ => alloc::string::String::new(),
    };
    kprintln!(
        "[pid {pid} {name}] killed by {sig}: {} ({}{detail}) eip={:#010x}",
        exc.name(),
        exc.mnemonic(),
        frame.eip
    );
    if exc == Exception::GeneralProtection {
        let why = if frame.error_code & 2 != 0 {
            "int N through a gate ring 3 may not use"
        } else {
            "a privileged instruction (cli, hlt, in/out, mov to CRn...) or a bad selector"
        };
        kprintln!("    hint: {why}");
    }
}

//! The interrupt descriptor table: 256 gates, every one present.
//!
//! All gates are interrupt gates (IF cleared on entry: the kernel runs with
//! interrupts off) with DPL 0, so `int N` from ring 3 raises #GP — except:
//! - 0x80, the system-call gate, DPL 3;
//! - 3 (`int3`) and 4 (`into`), DPL 3 as on Linux, so a user breakpoint is
//!   SIGTRAP rather than SIGSEGV;
//! - 8, #DF, a task gate to the double-fault TSS (see `tss`).

use super::descriptor::{GateDescriptor, GateKind, Ring};
use super::gdt::{DOUBLE_FAULT_TSS, KERNEL_CODE};
use core::cell::UnsafeCell;
use core::fmt::{self, Write};

pub const SYSCALL_VECTOR: u32 = 0x80;
const STUB_SIZE: u32 = 16;

unsafe extern "C" {
    static trap_vector_stubs: u8;
    static trap_stub_page_fault: u8;
    static trap_stub_syscall: u8;
}

struct Idt(UnsafeCell<[GateDescriptor; 256]>);
// SAFETY: written by `init` before `lidt`, then only by `set_gate` at boot
// (interrupts off, one CPU); read-only afterwards.
unsafe impl Sync for Idt {}

static IDT: Idt = Idt(UnsafeCell::new([GateDescriptor::MISSING; 256]));

/// Where the stubs are: the table of all 256, and the two hot vectors'
/// own (beside `trap_common`, see trap.S).
#[derive(Clone, Copy)]
struct Stubs {
    table: u32,
    page_fault: u32,
    syscall: u32,
}

/// The gate the kernel installs for `vector`.
fn gate_for(vector: u32, stubs: Stubs) -> GateDescriptor {
    let offset = match vector {
        super::exception::Exception::PAGE_FAULT_VECTOR => stubs.page_fault,
        SYSCALL_VECTOR => stubs.syscall,
        _ => stubs.table + vector * STUB_SIZE,
    };
    match vector {
        8 => GateDescriptor::task(DOUBLE_FAULT_TSS),
        3 | 4 | SYSCALL_VECTOR => GateDescriptor::new(GateKind::Interrupt32, KERNEL_CODE, offset, Ring::Ring3),
        _ => GateDescriptor::new(GateKind::Interrupt32, KERNEL_CODE, offset, Ring::Ring0),
    }
}

/// Fills and loads the IDT. Called once, after the GDT, interrupts off.
pub fn init() {
    let stubs = Stubs {
        table: (&raw const trap_vector_stubs) as u32,
        page_fault: (&raw const trap_stub_page_fault) as u32,
        syscall: (&raw const trap_stub_syscall) as u32,
    };
    // SAFETY: one CPU, interrupts off, and the CPU does not read the table
    // until lidt below.
    let table = unsafe { &mut *IDT.0.get() };
    for (v, gate) in table.iter_mut().enumerate() {
        *gate = gate_for(v as u32, stubs);
    }
    let ptr = x86::dtables::DescriptorTablePointer::new_from_slice(&table[..]);
    // SAFETY: every gate points at a stub in trap.S (or the #DF TSS) that
    // saves state and calls trap_dispatch; the table lives forever.
    unsafe { x86::dtables::lidt(&ptr) };
}

/// Replaces one gate after `init` (the bench-only gates of `benchgate`).
/// Call at boot with interrupts off and the new handler ready.
pub fn set_gate(vector: u8, g: GateDescriptor) {
    // SAFETY: one CPU with interrupts off, and no exception can arise from
    // this store, so no gate is being delivered while its 8 bytes change.
    unsafe { (*IDT.0.get())[vector as usize] = g };
}

pub fn gate(vector: u8) -> GateDescriptor {
    // SAFETY: read-only after init.
    unsafe { (*IDT.0.get())[vector as usize] }
}

/// The gates that are not plain DPL-0 interrupt gates, then a summary.
pub fn dump(w: &mut impl Write) -> fmt::Result {
    writeln!(w, "IDT: 256 gates")?;
    for v in 0..=255u8 {
        let g = gate(v);
        let name = super::exception::Exception::from_vector(u32::from(v)).map(|e| e.mnemonic());
        let irq = super::pic::irq_of_vector(u32::from(v));
        if v < 32 || irq.is_some() || g.dpl() != Ring::Ring0 || g.kind() != Some(GateKind::Interrupt32) {
            let what = match (name, irq) {
                (Some(n), _) => n,
                (None, Some(_)) => "IRQ",
                _ if u32::from(v) == SYSCALL_VECTOR => "syscall",
                _ => "",
            };
            write!(w, "  {v:#04x} {what:<8} {g}")?;
            match irq {
                Some(i) => writeln!(w, "  (IRQ {i})")?,
                None => writeln!(w)?,
            }
        }
    }
    writeln!(w, "  other vectors: DPL-0 interrupt gates (int N from ring 3 -> #GP)")
}

#[cfg(all(test, target_os = "none"))]
mod kernel_tests {
    use super::*;

    #[test_case]
    fn only_three_gates_are_open_to_ring_3() {
        let open: alloc::vec::Vec<u8> = (0..=255u8).filter(|&v| gate(v).dpl() == Ring::Ring3).collect();
        assert_eq!(open, alloc::vec![3, 4, 0x80]);
        assert_eq!(gate(8).kind(), Some(GateKind::Task));
        assert!((0..=255u8).all(|v| gate(v).present()));
    }

    #[test_case]
    fn int3_returns() {
        crate::arch::x86::instructions::breakpoint();
    }
}

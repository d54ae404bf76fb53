//! The two task-state segments (SDM Vol. 3A §7.2.1).
//!
//! The main TSS is only used for ESP0/SS0: the stack the CPU switches to when
//! ring 3 enters the kernel. It must always be the running task's kernel
//! stack, so the scheduler calls `set_kernel_stack` on every switch.
//!
//! The double-fault TSS is a real task: #DF goes through a task gate, so the
//! CPU loads a known-good stack and CR3 even when the kernel stack has
//! overflowed into its guard page (an interrupt gate would push onto the
//! broken stack and triple-fault the machine).

use super::gdt::{KERNEL_CODE, KERNEL_DATA};
use core::cell::UnsafeCell;
use core::fmt::{self, Write};

/// The 32-bit TSS layout; 104 bytes, every field 32 bits wide.
#[derive(Clone, Copy, Default, Debug)]
#[repr(C)]
pub struct TaskStateSegment {
    pub prev_task_link: u32,
    pub esp0: u32,
    pub ss0: u32,
    pub esp1: u32,
    pub ss1: u32,
    pub esp2: u32,
    pub ss2: u32,
    pub cr3: u32,
    pub eip: u32,
    pub eflags: u32,
    pub eax: u32,
    pub ecx: u32,
    pub edx: u32,
    pub ebx: u32,
    pub esp: u32,
    pub ebp: u32,
    pub esi: u32,
    pub edi: u32,
    pub es: u32,
    pub cs: u32,
    pub ss: u32,
    pub ds: u32,
    pub fs: u32,
    pub gs: u32,
    pub ldt: u32,
    /// Bits 16–31: the I/O map base. Past the limit = no I/O bitmap, so
    /// every port access from ring 3 faults (IOPL is 0).
    pub trap_iomap: u32,
}

const _: () = assert!(core::mem::size_of::<TaskStateSegment>() == 104);
const TSS_LIMIT: u32 = 103;
const NO_IO_BITMAP: u32 = 104 << 16;

struct Tss(UnsafeCell<TaskStateSegment>);
// SAFETY: one CPU; the kernel writes fields with interrupts off and the CPU
// reads or writes them only during privilege changes and task switches.
unsafe impl Sync for Tss {}

static MAIN: Tss = Tss(UnsafeCell::new(zeroed()));
static DOUBLE_FAULT: Tss = Tss(UnsafeCell::new(zeroed()));

const fn zeroed() -> TaskStateSegment {
    TaskStateSegment {
        prev_task_link: 0,
        esp0: 0,
        ss0: 0,
        esp1: 0,
        ss1: 0,
        esp2: 0,
        ss2: 0,
        cr3: 0,
        eip: 0,
        eflags: 0,
        eax: 0,
        ecx: 0,
        edx: 0,
        ebx: 0,
        esp: 0,
        ebp: 0,
        esi: 0,
        edi: 0,
        es: 0,
        cs: 0,
        ss: 0,
        ds: 0,
        fs: 0,
        gs: 0,
        ldt: 0,
        trap_iomap: NO_IO_BITMAP,
    }
}

/// The #DF task's own stack: only the CPU writes it, when it switches to
/// that task, so the kernel needs nothing but its address.
#[repr(C, align(16))]
struct DoubleFaultStack(UnsafeCell<[u8; 16384]>);
// SAFETY: the kernel never reads or writes the bytes; only the CPU does,
// in the #DF task, which runs once and never returns.
unsafe impl Sync for DoubleFaultStack {}
static DOUBLE_FAULT_STACK: DoubleFaultStack = DoubleFaultStack(UnsafeCell::new([0; 16384]));

unsafe extern "C" {
    fn double_fault_task_entry();
}

/// Base and limit of both TSSs, for their GDT descriptors; fills in the
/// double-fault task with the kernel's CR3 (`cr3`), stack and entry point.
pub fn init(cr3: u32, boot_stack_top: u32) -> ((u32, u32), (u32, u32)) {
    let stack_top = DOUBLE_FAULT_STACK.0.get() as u32 + core::mem::size_of::<DoubleFaultStack>() as u32;
    // SAFETY: called once before the GDT refers to either TSS; one CPU.
    unsafe {
        let main = &mut *MAIN.0.get();
        main.ss0 = u32::from(KERNEL_DATA.raw());
        main.esp0 = boot_stack_top;
        let df = &mut *DOUBLE_FAULT.0.get();
        df.cr3 = cr3;
        df.eip = double_fault_task_entry as *const () as u32;
        df.esp = stack_top;
        df.ebp = 0;
        df.eflags = 0x2; // reserved bit 1; IF off
        df.cs = u32::from(KERNEL_CODE.raw());
        for seg in [&mut df.ss, &mut df.ds, &mut df.es, &mut df.fs, &mut df.gs] {
            *seg = u32::from(KERNEL_DATA.raw());
        }
    }
    ((MAIN.0.get() as u32, TSS_LIMIT), (DOUBLE_FAULT.0.get() as u32, TSS_LIMIT))
}

/// Points ESP0 at the top of the kernel stack the next ring-3 entry must use.
pub fn set_kernel_stack(top: u32) {
    // SAFETY: a 32-bit store with interrupts off; the CPU reads ESP0 only on
    // a ring change, which cannot happen in the middle of this store.
    unsafe { (*MAIN.0.get()).esp0 = top };
}

pub fn kernel_stack() -> u32 {
    // SAFETY: a 32-bit read of a field only the kernel writes.
    unsafe { (*MAIN.0.get()).esp0 }
}

/// The main TSS as the CPU last wrote it. After a double fault this holds the
/// state of the task that faulted (the task switch saved it there).
pub fn main_snapshot() -> TaskStateSegment {
    // SAFETY: a plain copy; nothing else writes the TSS while we read it.
    unsafe { *MAIN.0.get() }
}

/// Updates the double-fault task's CR3 (once the kernel's own page directory
/// replaces the boot one).
pub fn set_double_fault_cr3(cr3: u32) {
    // SAFETY: the double-fault task is not running (or we would not be).
    unsafe { (*DOUBLE_FAULT.0.get()).cr3 = cr3 };
}

pub fn dump(w: &mut impl Write) -> fmt::Result {
    let t = main_snapshot();
    writeln!(w, "TSS (main) at {:#010x}, 104 bytes", MAIN.0.get() as u32)?;
    writeln!(w, "  ss0:esp0 = {:#06x}:{:#010x}   (the stack ring 3 enters the kernel on)", t.ss0, t.esp0)?;
    writeln!(w, "  I/O map base = {} (no bitmap: every port faults in ring 3)", t.trap_iomap >> 16)?;
    // SAFETY: a plain copy of a structure only this module writes.
    let d = unsafe { *DOUBLE_FAULT.0.get() };
    writeln!(w, "TSS (#DF task) at {:#010x}", DOUBLE_FAULT.0.get() as u32)?;
    writeln!(
        w,
        "  cs:eip = {:#06x}:{:#010x}  ss:esp = {:#06x}:{:#010x}  cr3 = {:#010x}",
        d.cs, d.eip, d.ss, d.esp, d.cr3
    )
}

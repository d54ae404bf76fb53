//! The global descriptor table: flat ring-0 and ring-3 segments, two TSSs,
//! and the running task's three TLS entries (`tls`).
//!
//! Segmentation is switched off in all but name (every segment is base 0,
//! limit 4 GiB); what it still decides is the privilege level: CS's RPL is
//! the CPL, and the TSS says which stack the CPU switches to on entry from
//! ring 3. Paging does the protecting.

use super::descriptor::{Ring, SegmentDescriptor, SegmentSelector, Table};
use super::tls::{TLS_ENTRIES, TLS_FIRST};
use core::cell::UnsafeCell;
use core::fmt::{self, Write};
use core::sync::atomic::{AtomicBool, Ordering};

// The indices are Linux i386's (arch/x86/include/asm/segment.h), so a
// program sees the same selectors here as there: CS = 0x73, DS = 0x7b.
pub const KERNEL_CODE: SegmentSelector = SegmentSelector::new(12, Table::Gdt, Ring::Ring0);
pub const KERNEL_DATA: SegmentSelector = SegmentSelector::new(13, Table::Gdt, Ring::Ring0);
pub const USER_CODE: SegmentSelector = SegmentSelector::new(14, Table::Gdt, Ring::Ring3);
pub const USER_DATA: SegmentSelector = SegmentSelector::new(15, Table::Gdt, Ring::Ring3);
/// The TSS every ring-3 → ring-0 transition reads ESP0/SS0 from.
pub const MAIN_TSS: SegmentSelector = SegmentSelector::new(16, Table::Gdt, Ring::Ring0);
/// The TSS the #DF task gate switches to: its own stack and CR3.
pub const DOUBLE_FAULT_TSS: SegmentSelector = SegmentSelector::new(31, Table::Gdt, Ring::Ring0);

const ENTRIES: usize = 32;

// trap.S loads the kernel data selector as an immediate.
const _: () = assert!(KERNEL_DATA.raw() == 0x68);

/// The table itself. The CPU writes to it (accessed and busy bits), so it
/// lives in an `UnsafeCell` in writable memory.
struct Gdt(UnsafeCell<[SegmentDescriptor; ENTRIES]>);

// SAFETY: written by `init` (once, before anything reads it), by
// `load_tls` (one CPU, interrupts off, entries no kernel selector uses) and
// by the CPU itself; readers copy single entries.
unsafe impl Sync for Gdt {}

static GDT: Gdt = Gdt(UnsafeCell::new([SegmentDescriptor::NULL; ENTRIES]));

/// Fills the GDT, loads it, reloads every segment register and loads the
/// task register. Called once, early, with interrupts off.
pub fn init(main_tss: (u32, u32), double_fault_tss: (u32, u32)) {
    let mut table = [SegmentDescriptor::NULL; ENTRIES];
    table[KERNEL_CODE.index() as usize] = SegmentDescriptor::flat_code(Ring::Ring0);
    table[KERNEL_DATA.index() as usize] = SegmentDescriptor::flat_data(Ring::Ring0);
    table[USER_CODE.index() as usize] = SegmentDescriptor::flat_code(Ring::Ring3);
    table[USER_DATA.index() as usize] = SegmentDescriptor::flat_data(Ring::Ring3);
    table[MAIN_TSS.index() as usize] = SegmentDescriptor::tss(main_tss.0, main_tss.1);
    table[DOUBLE_FAULT_TSS.index() as usize] = SegmentDescriptor::tss(double_fault_tss.0, double_fault_tss.1);
    // SAFETY: one CPU, interrupts off, and no selector refers to the new
    // table until lgdt below.
    unsafe { *GDT.0.get() = table };
    let ptr = x86::dtables::DescriptorTablePointer::new_from_slice(
        // SAFETY: the table is initialised and lives forever.
        unsafe { &*GDT.0.get() },
    );
    // SAFETY: the table holds valid flat segments at the indices the
    // selectors name, so reloading CS/DS/ES/FS/GS/SS keeps every address the
    // same; the TSS descriptor points at a live, 'static TSS.
    unsafe {
        x86::dtables::lgdt(&ptr);
        x86::bits32::segmentation::load_cs(raw(KERNEL_CODE));
        x86::segmentation::load_ss(raw(KERNEL_DATA));
        x86::segmentation::load_ds(raw(KERNEL_DATA));
        x86::segmentation::load_es(raw(KERNEL_DATA));
        x86::segmentation::load_fs(raw(KERNEL_DATA));
        x86::segmentation::load_gs(raw(KERNEL_DATA));
        x86::task::load_tr(raw(MAIN_TSS));
    }
    // No LDT: LDTR holds the null selector, so every selector with TI set
    // is #GP. Left as the CPU or the boot loader had it, LDTR can describe
    // a table at linear address 0 (the reset value: base 0, limit 0xFFFF),
    // where the CPU would read descriptors out of user memory.
    // SAFETY: a null LDTR changes no memory and no loaded segment uses the
    // LDT (the kernel's and user's selectors all name the GDT).
    unsafe { x86::dtables::load_ldtr(x86::segmentation::SegmentSelector::from_raw(0)) };
}

fn raw(s: SegmentSelector) -> x86::segmentation::SegmentSelector {
    x86::segmentation::SegmentSelector::from_raw(s.raw())
}

/// Set when the TLS entries change: a segment register holding one of
/// their selectors keeps the old descriptor until it is loaded again, so
/// the way back to ring 3 (`trap_return` in trap.S, which clears it) then
/// reloads every data segment register instead of only those whose
/// selector differs.
#[unsafe(export_name = "segments_stale")]
static SEGMENTS_STALE: AtomicBool = AtomicBool::new(true);

/// Makes `tls` the TLS entries (6–8): called on every switch with the next
/// task's, and after set_thread_area. A selector already loaded keeps its
/// cached descriptor; the new one takes effect at the next segment load,
/// which the return to ring 3 makes if the entries changed.
pub fn load_tls(tls: &[SegmentDescriptor; TLS_ENTRIES]) {
    let first = TLS_FIRST as usize;
    // SAFETY: one CPU with interrupts off; no kernel selector refers to
    // entries 6–8, so nothing reads them until the next user segment load.
    let entries = unsafe { &mut (&mut *GDT.0.get())[first..first + TLS_ENTRIES] };
    if entries != tls {
        entries.copy_from_slice(tls);
        SEGMENTS_STALE.store(true, Ordering::Relaxed);
    }
}

/// One entry, as the CPU sees it now.
pub fn entry(index: usize) -> Option<SegmentDescriptor> {
    // SAFETY: a read of one 8-byte entry; the CPU only ever sets bits.
    (index < ENTRIES).then(|| unsafe { (*GDT.0.get())[index] })
}

/// The decoded table, one descriptor a line (like a debugger's `dg`); the
/// null entries are summarised.
pub fn dump(w: &mut impl Write) -> fmt::Result {
    let named = [
        (KERNEL_CODE, "kernel code"),
        (KERNEL_DATA, "kernel data"),
        (USER_CODE, "user code"),
        (USER_DATA, "user data"),
        (MAIN_TSS, "TSS"),
        (DOUBLE_FAULT_TSS, "#DF TSS"),
    ];
    writeln!(w, "GDT: {ENTRIES} entries, the unlisted ones null; TLS as the running task set it")?;
    for (sel, name) in named {
        let d = entry(sel.index() as usize).unwrap_or(SegmentDescriptor::NULL);
        writeln!(w, "  {:#06x} {:<12} {}", sel.raw(), name, d)?;
    }
    for i in 0..TLS_ENTRIES as u32 {
        let sel = SegmentSelector::new((TLS_FIRST + i) as u16, Table::Gdt, Ring::Ring3);
        let d = entry(sel.index() as usize).unwrap_or(SegmentDescriptor::NULL);
        writeln!(w, "  {:#06x} TLS {:<8} {}", sel.raw(), TLS_FIRST + i, d)?;
    }
    Ok(())
}

//! The global descriptor table: flat ring-0 and ring-3 segments and two TSSs.
//!
//! Segmentation is switched off in all but name (every segment is base 0,
//! limit 4 GiB); what it still decides is the privilege level: CS's RPL is
//! the CPL, and the TSS says which stack the CPU switches to on entry from
//! ring 3. Paging does the protecting.

use super::descriptor::{Ring, SegmentDescriptor, SegmentSelector, Table};
use core::cell::UnsafeCell;
use core::fmt::{self, Write};

pub const KERNEL_CODE: SegmentSelector = SegmentSelector::new(1, Table::Gdt, Ring::Ring0);
pub const KERNEL_DATA: SegmentSelector = SegmentSelector::new(2, Table::Gdt, Ring::Ring0);
pub const USER_CODE: SegmentSelector = SegmentSelector::new(3, Table::Gdt, Ring::Ring3);
pub const USER_DATA: SegmentSelector = SegmentSelector::new(4, Table::Gdt, Ring::Ring3);
/// The TSS every ring-3 → ring-0 transition reads ESP0/SS0 from.
pub const MAIN_TSS: SegmentSelector = SegmentSelector::new(5, Table::Gdt, Ring::Ring0);
/// The TSS the #DF task gate switches to: its own stack and CR3.
pub const DOUBLE_FAULT_TSS: SegmentSelector = SegmentSelector::new(6, Table::Gdt, Ring::Ring0);

const ENTRIES: usize = 7;

/// The table itself. The CPU writes to it (accessed and busy bits), so it
/// lives in an `UnsafeCell` in writable memory.
struct Gdt(UnsafeCell<[SegmentDescriptor; ENTRIES]>);

// SAFETY: written only by `init` (once, before anything reads it, one CPU)
// and by the CPU itself; readers copy single entries.
unsafe impl Sync for Gdt {}

static GDT: Gdt = Gdt(UnsafeCell::new([SegmentDescriptor::NULL; ENTRIES]));

/// Fills the GDT, loads it, reloads every segment register and loads the
/// task register. Called once, early, with interrupts off.
pub fn init(main_tss: (u32, u32), double_fault_tss: (u32, u32)) {
    let table = [
        SegmentDescriptor::NULL,
        SegmentDescriptor::flat_code(Ring::Ring0),
        SegmentDescriptor::flat_data(Ring::Ring0),
        SegmentDescriptor::flat_code(Ring::Ring3),
        SegmentDescriptor::flat_data(Ring::Ring3),
        SegmentDescriptor::tss(main_tss.0, main_tss.1),
        SegmentDescriptor::tss(double_fault_tss.0, double_fault_tss.1),
    ];
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
}

fn raw(s: SegmentSelector) -> x86::segmentation::SegmentSelector {
    x86::segmentation::SegmentSelector::from_raw(s.raw())
}

/// One entry, as the CPU sees it now.
pub fn entry(index: usize) -> Option<SegmentDescriptor> {
    // SAFETY: a read of one 8-byte entry; the CPU only ever sets bits.
    (index < ENTRIES).then(|| unsafe { (*GDT.0.get())[index] })
}

/// The decoded table, one descriptor a line (like a debugger's `dg`).
pub fn dump(w: &mut impl Write) -> fmt::Result {
    const NAMES: [&str; ENTRIES] = ["null", "kernel code", "kernel data", "user code", "user data", "TSS", "#DF TSS"];
    writeln!(w, "GDT: {ENTRIES} entries")?;
    for (i, name) in NAMES.iter().enumerate() {
        let d = entry(i).unwrap_or(SegmentDescriptor::NULL);
        writeln!(w, "  {:#06x} {:<12} {}", i * 8, name, d)?;
    }
    Ok(())
}

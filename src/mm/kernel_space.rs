//! The kernel's master page directory, built once at boot to replace the
//! boot directory of `boot/entry.S`:
//! - the kernel image (and the rest of its first 4 MiB) with 4 KiB pages, so
//!   text and rodata are read-only, data and bss writable, and the boot
//!   stack's guard page is not present;
//! - the rest of low memory with 4 MiB global pages;
//! - page tables for every PDE from the kernel-stack area to the temporary
//!   window, allocated now so every address space can share them.
//!
//! Everything is supervisor-only.

use super::addr::{ENTRIES_PER_TABLE, Frame, PAGE_SIZE, PhysAddr, VirtAddr};
use super::layout::{
    KERNEL_BASE, KERNEL_PT_AREA_END, KERNEL_PT_AREA_START, LOW_MEMORY_END, phys_to_virt, virt_to_phys,
};
use super::paging::{self, KERNEL_PDE_START};
use super::phys;
use super::pte::{PageDirectoryEntry, PageTableEntry, PteFlags};
use crate::symbol_addr;

const HUGE: u32 = 4 << 20;

/// Builds the master directory, turns on global pages and loads it.
pub fn init() {
    let pd = phys::alloc_low_zeroed().expect("no memory for the kernel page directory");
    let dir = phys_to_virt(pd.start().as_u32()) as *mut [PageDirectoryEntry; ENTRIES_PER_TABLE];
    let kernel_end = virt_to_phys(symbol_addr!(__kernel_end));
    let fine_end = kernel_end.div_ceil(HUGE) * HUGE;
    let rw_global = PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::GLOBAL;

    for phys in (0..LOW_MEMORY_END).step_by(HUGE as usize) {
        let pdi = KERNEL_PDE_START + (phys / HUGE) as usize;
        let pde = if phys < fine_end {
            PageDirectoryEntry::table(fine_table(phys), PteFlags::PRESENT | PteFlags::WRITABLE)
        } else {
            PageDirectoryEntry::huge(PhysAddr::new(phys), rw_global)
        };
        // SAFETY: pd is a fresh frame only this function knows of.
        unsafe { (*dir)[pdi] = pde };
    }
    for va in (KERNEL_PT_AREA_START..KERNEL_PT_AREA_END).step_by(HUGE as usize) {
        let pt = phys::alloc_low_zeroed().expect("no memory for kernel page tables");
        // SAFETY: as above.
        unsafe {
            (*dir)[VirtAddr::new(va).pd_index()] = PageDirectoryEntry::table(pt, PteFlags::PRESENT | PteFlags::WRITABLE)
        };
    }
    paging::set_kernel_directory(pd);
    crate::arch::x86::cpu::enable_global_pages();
    // SAFETY: the new directory maps everything the kernel touches at the
    // same addresses as the boot one (direct map, image, stack), so
    // execution continues.
    unsafe { paging::load_cr3(pd) };
    crate::arch::x86::tss::set_double_fault_cr3(pd.start().as_u32());
}

/// A page table for the 4 MiB at `base` with per-section protection.
fn fine_table(base: u32) -> Frame {
    let text = (virt_to_phys(symbol_addr!(__kernel_start)), virt_to_phys(symbol_addr!(__rodata_end)));
    let guard = virt_to_phys(symbol_addr!(boot_stack_guard));
    let pt = phys::alloc_low_zeroed().expect("no memory for kernel page tables");
    let table = phys_to_virt(pt.start().as_u32()) as *mut [PageTableEntry; ENTRIES_PER_TABLE];
    for i in 0..ENTRIES_PER_TABLE as u32 {
        let phys = base + i * PAGE_SIZE;
        let flags = if phys == 0 || phys == guard {
            // Page 0 stays unmapped so a kernel NULL-plus-KERNEL_BASE bug
            // faults; the guard page catches boot-stack overflow.
            continue;
        } else if (text.0..text.1).contains(&phys) {
            PteFlags::PRESENT | PteFlags::GLOBAL
        } else {
            PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::GLOBAL
        };
        // SAFETY: pt is a fresh frame only this function knows of.
        unsafe { (*table)[i as usize] = PageTableEntry::new(PhysAddr::new(phys).frame(), flags) };
    }
    pt
}

/// Whether `va` lies in the kernel image's read-only part (text, rodata).
pub fn is_kernel_text(va: u32) -> bool {
    (symbol_addr!(__kernel_start)..symbol_addr!(__rodata_end)).contains(&va) && va >= KERNEL_BASE
}

/// Bytes of page tables the kernel half uses (the directory included).
pub fn page_table_bytes() -> u32 {
    let fine = virt_to_phys(symbol_addr!(__kernel_end)).div_ceil(HUGE);
    (1 + fine + (KERNEL_PT_AREA_END - KERNEL_PT_AREA_START) / HUGE) * PAGE_SIZE
}

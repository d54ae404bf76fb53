//! Device registers in the kernel's address space: a PCI memory BAR is
//! physical address space the RAM map knows nothing of, so it gets pages of
//! its own in the MMIO window (`layout::MMIO_START..MMIO_END`), uncached
//! (PCD and PWT: a register read must reach the device every time), mapped
//! once and never unmapped (devices live as long as the kernel).

use super::addr::{Frame, PAGE_SIZE, PhysAddr, VirtAddr, page_round_down};
use super::layout::{MMIO_END, MMIO_START};
use super::pte::{PageTableEntry, PteFlags};
use spin::Mutex;

/// Why registers could not be mapped.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MmioError {
    /// At or above 4 GiB: 32-bit paging without PAE cannot reach it.
    AboveFourGiB,
    /// The window is full.
    NoRoom,
}

const MAX_MAPPINGS: usize = 32;

/// What is mapped: (first physical page, pages, virtual address).
struct Window {
    next: u32,
    maps: [(u32, u32, u32); MAX_MAPPINGS],
    n: usize,
}

static WINDOW: Mutex<Window> = Mutex::new(Window { next: MMIO_START, maps: [(0, 0, 0); MAX_MAPPINGS], n: 0 });

/// The kernel virtual address of physical `phys`, with `len` bytes from it
/// mapped uncached and writable. A range inside one mapped before reuses it.
pub fn map(phys: u64, len: u32) -> Result<u32, MmioError> {
    let end = phys.checked_add(u64::from(len.max(1))).filter(|&e| e <= 1 << 32).ok_or(MmioError::AboveFourGiB)?;
    let first = page_round_down(phys as u32);
    let pages = ((end - u64::from(first)).div_ceil(u64::from(PAGE_SIZE))) as u32;
    let mut w = WINDOW.lock();
    for &(p, n, va) in &w.maps[..w.n] {
        if first >= p && u64::from(first) + u64::from(pages * PAGE_SIZE) <= u64::from(p) + u64::from(n * PAGE_SIZE) {
            return Ok(va + (first - p) + (phys as u32 - first));
        }
    }
    if w.n == MAX_MAPPINGS || MMIO_END - w.next < pages * PAGE_SIZE {
        return Err(MmioError::NoRoom);
    }
    let va = w.next;
    for i in 0..pages {
        let frame = Frame::containing(PhysAddr::new(first + i * PAGE_SIZE));
        let flags = PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::CACHE_DISABLE | PteFlags::WRITE_THROUGH;
        super::paging::kernel_set_entry(VirtAddr::new(va + i * PAGE_SIZE), PageTableEntry::new(frame, flags));
    }
    w.next += pages * PAGE_SIZE;
    let n = w.n;
    w.maps[n] = (first, pages, va);
    w.n += 1;
    Ok(va + (phys as u32 - first))
}

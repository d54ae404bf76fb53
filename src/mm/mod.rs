//! Memory management: physical frames, page tables, address spaces, the
//! kernel heap and kernel stacks; regions and the page-fault decision.

pub mod accounting;
pub mod addr;
pub mod benchwindow;
pub mod bitmap;
pub mod cache;
pub mod edit;
pub mod fault;
pub mod frame;
pub mod heaptrace;
pub mod layout;
pub mod limits;
pub mod pte;
pub mod remap;
pub mod slab;
pub mod stats;
pub mod swap;
pub mod vma;

#[cfg(target_os = "none")]
mod edit_apply;
#[cfg(target_os = "none")]
pub mod heap;
#[cfg(target_os = "none")]
pub mod kernel_space;
#[cfg(target_os = "none")]
pub mod kmap;
#[cfg(target_os = "none")]
pub mod kstack;
#[cfg(target_os = "none")]
pub mod mincore;
#[cfg(target_os = "none")]
pub mod mmio;
#[cfg(target_os = "none")]
pub mod paging;
#[cfg(target_os = "none")]
pub mod phys;
#[cfg(target_os = "none")]
pub mod stats_global;
#[cfg(target_os = "none")]
pub mod swapout;
#[cfg(target_os = "none")]
pub mod user;
#[cfg(target_os = "none")]
pub mod usercopy;

#[cfg(target_os = "none")]
mod setup {
    use super::addr::{PAGE_SIZE, VirtAddr};
    use super::frame::Zone;
    use super::pte::{PageTableEntry, PteFlags};
    use crate::bootinfo::multiboot::BootInfo;

    /// Frames, then the kernel's own page tables, then the heap.
    pub fn init(info: &BootInfo) {
        super::phys::init(info);
        super::kernel_space::init();
        super::heap::init(heap_pages);
        super::fault::apply::zero_frame();
    }

    /// Maps `pages` fresh frames at `at` for the heap (all or nothing), or
    /// unmaps them and frees their frames.
    fn heap_pages(at: u32, pages: u32, map: bool) -> bool {
        let unmap = |n: u32| {
            for j in 0..n {
                let old = super::paging::kernel_set_entry(VirtAddr::new(at + j * PAGE_SIZE), PageTableEntry::EMPTY);
                let _ = super::phys::release(old.frame());
            }
        };
        if !map {
            unmap(pages);
            return true;
        }
        for i in 0..pages {
            let Ok(frame) = super::phys::alloc(Zone::Any) else {
                unmap(i);
                return false;
            };
            let va = VirtAddr::new(at + i * PAGE_SIZE);
            super::paging::kernel_set_entry(va, PageTableEntry::new(frame, PteFlags::PRESENT | PteFlags::WRITABLE));
        }
        true
    }
}

#[cfg(target_os = "none")]
pub use setup::init;

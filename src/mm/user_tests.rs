//! In-kernel tests of user memory: a fault resolved through mm and read
//! back through the page walk, with paging on.

use super::*;
use crate::mm::fault::apply::zero_frame;
use crate::mm::kmap::FrameWindow;
use crate::mm::vma::{Prot, Purpose, Region};

/// Map → fault → resolve → walk, with paging on: a region is added, the
/// faults a ring-3 read and write would take are resolved through the
/// same path, and the page tables then say what `decide` chose.
#[test_case]
fn faults_resolve_into_the_entries_the_walk_shows() {
    let before = phys::stats().free;
    {
        let mut mem = UserMemory::new().expect("address space");
        let base = 0x4000_0000;
        mem.map.insert(Region::anon(base..base + 2 * PAGE_SIZE, Prot::READ | Prot::WRITE, Purpose::Mmap)).unwrap();
        let (page0, page1) = (VirtAddr::new(base), VirtAddr::new(base + PAGE_SIZE));
        assert!(mem.space.walk(page0).pte.is_none(), "nothing is mapped before the first fault");

        // A read of an untouched anonymous page maps the shared zero frame, read-only.
        mem.fault(page1.as_u32() + 8, PfError::USER).expect("read fault resolves");
        let w = mem.space.walk(page1);
        let e = w.pte.expect("a page table now");
        assert!(e.is_present() && e.flags().contains(PteFlags::ZERO | PteFlags::USER));
        assert!(!e.flags().contains(PteFlags::WRITABLE));
        assert_eq!(e.frame(), zero_frame());

        // A write gets a private zeroed frame, writable, with one reference.
        mem.fault(page0.as_u32() + 4, PfError::USER | PfError::WRITE).expect("write fault resolves");
        let e = mem.space.walk(page0).pte.expect("page table");
        assert!(e.is_present() && e.flags().contains(PteFlags::USER | PteFlags::WRITABLE));
        assert_ne!(e.frame(), zero_frame());
        assert_eq!(phys::refs(e.frame()), crate::mm::frame::Refs::Counted(1));
        assert_eq!((mem.stats.demand_zero, mem.stats.zero_page_maps), (1, 1));

        // The CPU translates through the same entries: a store at the user
        // address lands in the frame the walk names.
        mem.space.activate();
        // SAFETY: page0 is mapped writable in the loaded address space,
        // and nothing else uses it.
        unsafe { (page0.as_u32() as *mut u32).add(1).write_volatile(0xC0FF_EE00) };
        crate::mm::paging::activate_kernel();
        let got = u32::from_le_bytes(FrameWindow::new(e.frame()).bytes()[4..8].try_into().unwrap());
        assert_eq!(got, 0xC0FF_EE00);
    }
    assert_eq!(phys::stats().free, before, "every frame came back");
}

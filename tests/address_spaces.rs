//! Address spaces: map/translate/unmap round trips, a remap is seen at once
//! (the paging layer flushed the TLB), high-memory frames are reachable, and
//! creating and destroying 1,000 address spaces with pages in them leaves the
//! free-frame count exactly where it was.
//! qemu: --mem 1G
#![no_std]
#![no_main]

mod common;
use kernel::kprintln;
use kernel::mm::addr::{PAGE_SIZE, VirtAddr};
use kernel::mm::frame::Zone;
use kernel::mm::kmap::FrameWindow;
use kernel::mm::paging::{AddressSpace, kernel_directory, load_cr3};
use kernel::mm::phys;
use kernel::mm::pte::PteFlags;

fn round_trip() {
    let mut s = AddressSpace::new().unwrap();
    let f = kernel::mm::kmap::alloc_zeroed(Zone::Any).unwrap();
    let va = VirtAddr::new(0x0804_8000);
    s.map(va, f, PteFlags::USER | PteFlags::WRITABLE).unwrap();
    assert_eq!(s.translate(VirtAddr::new(0x0804_8123)).unwrap().as_u32(), f.start().as_u32() + 0x123);
    assert!(s.translate(VirtAddr::new(0x0804_9000)).is_none());
    assert_eq!(s.table_count(), 1);
    assert!(s.unmap(va).is_some());
    assert!(s.translate(va).is_none());
    assert_eq!(s.table_count(), 1);
    assert_eq!(s.unmap_range(VirtAddr::new(0), VirtAddr::new(0xC000_0000)), 0);
    assert_eq!(s.table_count(), 0, "the empty page table was freed");
    // The kernel half is there, and the same, in every address space.
    assert_eq!(s.translate(VirtAddr::new(0xC010_0000)).unwrap().as_u32(), 0x10_0000);
    kprintln!("map/translate/unmap: ok");
}

fn remap_is_seen_at_once() {
    let mut s = AddressSpace::new().unwrap();
    let (a, b) = (phys::alloc(Zone::Any).unwrap(), phys::alloc(Zone::Any).unwrap());
    FrameWindow::new(a).bytes()[0] = 0xAA;
    FrameWindow::new(b).bytes()[0] = 0xBB;
    let va = VirtAddr::new(0x1000_0000);
    s.map(va, a, PteFlags::USER).unwrap();
    s.activate();
    let p = va.as_u32() as *const u8;
    // SAFETY: va maps frame a in the loaded space.
    assert_eq!(unsafe { p.read_volatile() }, 0xAA);
    let old = s.map(va, b, PteFlags::USER).unwrap();
    // SAFETY: va now maps frame b; a stale TLB entry would still show a.
    assert_eq!(unsafe { p.read_volatile() }, 0xBB, "stale TLB entry after remap");
    let _ = kernel::mm::paging::release_mapped(old);
    // SAFETY: the kernel directory has the same kernel half.
    unsafe { load_cr3(kernel_directory()) };
    drop(s);
    kprintln!("remap flushes the TLB: ok");
}

fn thousand_spaces() {
    let before = phys::stats().free;
    for i in 0..1000u32 {
        let mut s = AddressSpace::new().unwrap();
        for p in 0..8 {
            let f = kernel::mm::kmap::alloc_zeroed(Zone::Any).unwrap();
            s.map(VirtAddr::new(0x0800_0000 + (i % 64) * 0x40_0000 + p * PAGE_SIZE), f, PteFlags::USER).unwrap();
        }
        let f = phys::alloc(Zone::Any).unwrap();
        s.map(VirtAddr::new(0xBFFF_F000), f, PteFlags::USER | PteFlags::WRITABLE).unwrap();
    }
    let after = phys::stats().free;
    kprintln!("1000 address spaces: free frames {before} -> {after}");
    assert_eq!(before, after);
}

fn high_memory_is_reachable() {
    // With 1 GiB, Zone::Any hands out frames above the 512 MiB direct map.
    let f = phys::alloc(Zone::Any).unwrap();
    assert!(f.start().as_u32() >= kernel::mm::layout::LOW_MEMORY_END);
    let mut w = FrameWindow::new(f);
    w.bytes().fill(0x5A);
    assert!(w.bytes().iter().all(|&b| b == 0x5A));
    drop(w);
    kernel::mm::kmap::zero_frame(f);
    assert!(FrameWindow::new(f).bytes().iter().all(|&b| b == 0));
    let _ = phys::release(f);
    kprintln!("high memory through the temporary window: ok");
}

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    common::boot(magic, info_phys);
    round_trip();
    remap_is_seen_at_once();
    high_memory_is_reachable();
    thousand_spaces();
    common::finish(true, "")
}

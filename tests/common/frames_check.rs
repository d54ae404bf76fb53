// Included by frames_16m.rs and frames_3g.rs: the same check at two sizes.
// Every usable frame can be allocated exactly once, and their number is what
// the memory map promises minus what the kernel reserved for itself.

use kernel::bootinfo::for_each_usable_range;
use kernel::kprintln;
use kernel::mm::frame::Zone;
use kernel::mm::phys;

fn check_all_frames(info: &kernel::bootinfo::multiboot::BootInfo) -> ! {
    let mut usable_pages = 0u64;
    for_each_usable_range(info.regions(), |s, e| {
        usable_pages += (e / 4096).saturating_sub(s.div_ceil(4096));
    });
    let reserved = phys::reserved_usable_frames();
    // One bit per frame number: no frame may come back twice. Both vectors
    // are made before counting, since the heap grows by taking frames.
    let mut seen = alloc::vec![0u64; (usable_pages as usize / 64) + 16384];
    let mut got = alloc::vec::Vec::with_capacity(phys::stats().free as usize);
    let before = phys::stats();
    kprintln!("usable pages {usable_pages}, reserved by the kernel {reserved}, managed {}", before.total);
    let ok_total = u64::from(before.total) + u64::from(reserved) == usable_pages;
    let mut dup = false;
    while let Ok(f) = phys::alloc(Zone::Any) {
        let n = f.number() as usize;
        if n / 64 >= seen.len() || seen[n / 64] & 1 << (n % 64) != 0 {
            dup = true;
        } else {
            seen[n / 64] |= 1 << (n % 64);
        }
        got.push(f);
    }
    let count = got.len() as u32;
    for f in got.drain(..) {
        let _ = phys::release(f);
    }
    let after = phys::stats();
    kprintln!("allocated {count} frames (free before: {}), free after: {}", before.free, after.free);
    common::finish(
        ok_total && !dup && count == before.free && after.free == before.free,
        "frame accounting does not match the memory map",
    )
}

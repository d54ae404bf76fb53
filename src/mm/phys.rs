//! The kernel's one frame table (see `frame`), built from the multiboot2
//! memory map, and the helpers everyone else allocates through.
//!
//! Never handed out: the first MiB (BIOS data, VGA, option ROMs), the kernel
//! image, the boot information, every boot module, the frame table itself,
//! anything the memory map does not call usable, and anything at or above
//! 4 GiB (no PAE).

use super::addr::{Frame, PAGE_SIZE, PhysAddr, page_round_down, page_round_up};
use super::frame::{FrameStats, FrameTable, OutOfFrames, Refs, Release, Zone};
use super::layout::{LOW_MEMORY_END, phys_to_virt, virt_to_phys};
use crate::bootinfo::multiboot::BootInfo;
use crate::bootinfo::{for_each_usable_range, subtract_ranges};
use crate::symbol_addr;
use spin::Mutex;

static FRAMES: Mutex<Option<FrameTable<'static>>> = Mutex::new(None);

/// The first MiB, the kernel, the boot information, each module (the boot
/// information keeps at most `MAX_MODULES`) and the frame table: the list
/// cannot overflow, whatever the boot loader passed.
const MAX_HOLES: usize = crate::bootinfo::multiboot::MAX_MODULES + 4;

/// Builds the frame table. Panics (at boot, with a message) only if there is
/// no usable low memory for the table itself.
pub fn init(info: &BootInfo) {
    let mut holes = Holes { list: [(0, 0); MAX_HOLES], n: 0 };
    let mut hole = |s: u64, e: u64| holes.push(s, e);
    hole(0, 0x10_0000);
    hole(u64::from(virt_to_phys(symbol_addr!(__kernel_start))), u64::from(virt_to_phys(symbol_addr!(__kernel_end))));
    hole(u64::from(page_round_down(info.info_start)), u64::from(info.info_end));
    for m in info.modules() {
        hole(u64::from(page_round_down(m.start)), u64::from(m.end));
    }
    let mut top = 0u64;
    for_each_usable_range(info.regions(), |_, e| top = top.max(e));
    let frames = (top / u64::from(PAGE_SIZE)) as u32;
    let meta_bytes = u64::from(frames) * 4;

    // The table goes in the first usable low-memory gap big enough for it.
    let mut meta_at = None;
    for_each_usable_range(info.regions(), |s, e| {
        subtract_ranges(s, e.min(u64::from(LOW_MEMORY_END)), holes.as_slice(), |s, e| {
            let s = u64::from(page_round_up(s as u32).unwrap_or(u32::MAX));
            if meta_at.is_none() && e > s && e - s >= meta_bytes {
                meta_at = Some(s);
            }
        })
    });
    let meta_at = meta_at.expect("no low memory for the frame table") as u32;
    holes.push(u64::from(meta_at), u64::from(meta_at) + meta_bytes);

    // SAFETY: [meta_at, meta_at + meta_bytes) is usable RAM in low memory
    // that no boot data occupies, is direct-mapped, and from now on is a
    // hole that the table never hands out, so this is its only reference.
    let meta = unsafe { core::slice::from_raw_parts_mut(phys_to_virt(meta_at) as *mut u32, frames as usize) };
    let mut table = FrameTable::new(meta, PhysAddr::new(LOW_MEMORY_END).frame());
    for_each_usable_range(info.regions(), |s, e| {
        subtract_ranges(s, e, holes.as_slice(), |s, e| {
            let first = page_round_up(s as u32).unwrap_or(u32::MAX);
            let last = page_round_down(e.min(u64::from(u32::MAX)) as u32);
            if first < last {
                table.add_free(PhysAddr::new(first).frame(), PhysAddr::new(last).frame());
            }
        })
    });
    *FRAMES.lock() = Some(table);
    *RESERVED_USABLE.lock() = count_reserved(info, holes.as_mut_slice());
}

/// Usable frames inside the holes, counted from the holes themselves
/// (merged, since the boot information can share a page with a module),
/// independently of how the table was filled. Reorders `holes` (in page
/// units, merged in place: no second array on the 16 KiB boot stack).
fn count_reserved(info: &BootInfo, holes: &mut [(u64, u64)]) -> u32 {
    let page = u64::from(PAGE_SIZE);
    for h in holes.iter_mut() {
        *h = (h.0 / page, h.1.div_ceil(page));
    }
    holes.sort_unstable();
    let mut m = 0;
    for i in 0..holes.len() {
        let (s, e) = holes[i];
        if m > 0 && s <= holes[m - 1].1 {
            holes[m - 1].1 = holes[m - 1].1.max(e);
        } else {
            holes[m] = (s, e);
            m += 1;
        }
    }
    let merged = &holes[..m];
    let mut n = 0;
    for_each_usable_range(info.regions(), |s, e| {
        let (s, e) = (s.div_ceil(page), e / page);
        for &(hs, he) in merged {
            n += e.min(he).saturating_sub(s.max(hs));
        }
    });
    n as u32
}

/// Ranges the allocator must never hand out.
struct Holes {
    list: [(u64, u64); MAX_HOLES],
    n: usize,
}

impl Holes {
    fn push(&mut self, s: u64, e: u64) {
        assert!(self.n < MAX_HOLES, "too many reserved ranges");
        self.list[self.n] = (s, e);
        self.n += 1;
    }
    fn as_slice(&self) -> &[(u64, u64)] {
        &self.list[..self.n]
    }
    fn as_mut_slice(&mut self) -> &mut [(u64, u64)] {
        &mut self.list[..self.n]
    }
}

fn with<R>(f: impl FnOnce(&mut FrameTable<'static>) -> R) -> R {
    f(FRAMES.lock().as_mut().expect("frame allocator used before mm::phys::init"))
}

/// A frame with one reference; its old contents are still there.
pub fn alloc(zone: Zone) -> Result<Frame, OutOfFrames> {
    with(|t| t.alloc(zone))
}

/// A zero-filled low-memory frame with one reference (kernel page tables,
/// the zero frame).
pub fn alloc_low_zeroed() -> Result<Frame, OutOfFrames> {
    let f = alloc(Zone::Low)?;
    zero_low(f);
    Ok(f)
}

/// Zeroes a low-memory frame through the direct map. (A frame above it
/// needs a temporary mapping: `kmap::alloc_user_zeroed`.)
fn zero_low(f: Frame) {
    let phys = f.start().as_u32();
    assert!(phys < LOW_MEMORY_END, "zero_low of a high frame {f:?}");
    // SAFETY: the direct map covers low memory, and the frame was just
    // allocated, so nothing else uses its bytes.
    unsafe { core::ptr::write_bytes(phys_to_virt(phys) as *mut u8, 0, PAGE_SIZE as usize) };
}

/// Low-memory frames user memory may not take: the kernel's heap (task
/// records, memory maps, pipe buffers) still gets frames when programs have
/// used up everything else, so a program that exhausts memory is killed
/// instead of the kernel failing. 1 MiB plus 1/32 of memory: with at most
/// one process per 16 frames (see `lifecycle`), their records fit in it.
pub fn kernel_reserve() -> u32 {
    256 + stats().total / 32
}

/// A frame for user memory (pages, page tables, kernel stacks of new
/// processes): like `alloc`, but it fails before eating into the reserve.
pub fn alloc_user(zone: Zone) -> Result<Frame, OutOfFrames> {
    with(|t| {
        let s = t.stats();
        let reserve = 256 + s.total / 32;
        let from_low = zone == Zone::Low || s.free == s.free_low;
        if from_low && s.free_low <= reserve {
            return Err(OutOfFrames);
        }
        t.alloc(zone)
    })
}

/// Frames `alloc_user` can still hand out.
pub fn user_frames_available() -> u32 {
    with(|t| {
        let s = t.stats();
        (s.free - s.free_low) + s.free_low.saturating_sub(256 + s.total / 32)
    })
}

/// `alloc_user` from low memory, zero-filled (user page tables).
pub fn alloc_user_low_zeroed() -> Result<Frame, OutOfFrames> {
    let f = alloc_user(Zone::Low)?;
    zero_low(f);
    Ok(f)
}

pub fn add_ref(f: Frame) {
    with(|t| t.add_ref(f));
}

pub fn release(f: Frame) -> Release {
    with(|t| t.release(f))
}

pub fn refs(f: Frame) -> Refs {
    with(|t| t.refs(f))
}

pub fn stats() -> FrameStats {
    with(|t| t.stats())
}

/// Usable frames the kernel keeps for itself (image, modules, boot data, the
/// frame table): the memory map's usable frames minus the managed ones.
pub fn reserved_usable_frames() -> u32 {
    *RESERVED_USABLE.lock()
}

static RESERVED_USABLE: Mutex<u32> = Mutex::new(0);

/// Frames above the direct map: (managed, free).
pub fn high_memory() -> (u32, u32) {
    with(|t| t.high_stats())
}

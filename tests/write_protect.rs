//! CR0.WP: the kernel itself cannot write through a read-only mapping, and a
//! protection change takes effect at once (the paging layer flushes the TLB).
//!  1. kernel write to a read-only user page faults (P|W|S); the hook makes
//!     the page writable and the write completes;
//!  2. back to read-only: the next write faults again (no stale TLB entry);
//!  3. a write to the kernel's own .rodata faults.
//!
//! expect-output: ^fault 1 at 0x40000000 err=P\|W\|S
//! expect-output: ^fault 2 at 0x40000000 err=P\|W\|S
//! expect-output: ^fault 3 at 0xc0[0-9a-f]+ err=P\|W\|S \(kernel rodata\)
#![no_std]
#![no_main]

mod common;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::arch::x86::exception::{Exception, PfError};
use kernel::arch::x86::trap::TrapFrame;
use kernel::kprintln;
use kernel::mm::addr::VirtAddr;
use kernel::mm::frame::Zone;
use kernel::mm::paging::AddressSpace;
use kernel::mm::pte::PteFlags;
use kernel::trap::set_kernel_exception_hook;
use spin::Mutex;

const VA: u32 = 0x4000_0000;
static FAULTS: AtomicU32 = AtomicU32::new(0);
static SPACE: Mutex<Option<AddressSpace>> = Mutex::new(None);
static READ_ONLY: u32 = 7;

fn hook(_frame: &mut TrapFrame, exc: Exception, cr2: u32) -> bool {
    let n = FAULTS.fetch_add(1, Ordering::SeqCst) + 1;
    let err = PfError::from_bits_retain(_frame.error_code);
    if exc != Exception::PageFault {
        return false;
    }
    if n == 3 {
        kprintln!("fault 3 at {cr2:#010x} err={err} (kernel rodata)");
        common::finish(cr2 == &READ_ONLY as *const u32 as u32, "fault 3 at the wrong address");
    }
    kprintln!("fault {n} at {cr2:#010x} err={err}");
    // Resolve it the way copy-on-write will: make the page writable.
    let mut space = SPACE.lock();
    let s = space.as_mut().expect("address space");
    s.protect(VirtAddr::new(cr2 & !0xFFF), PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::USER)
}

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    common::boot(magic, info_phys);
    set_kernel_exception_hook(hook);
    let mut space = AddressSpace::new().expect("address space");
    let frame = kernel::mm::kmap::alloc_zeroed(Zone::Any).expect("frame");
    space.map(VirtAddr::new(VA), frame, PteFlags::USER).expect("map");
    space.activate();
    *SPACE.lock() = Some(space);
    let p = VA as *mut u32;
    // SAFETY: VA is mapped (read-only) in the loaded address space; the
    // write faults and the hook makes it writable.
    unsafe { p.write_volatile(1) };
    assert_eq!(FAULTS.load(Ordering::SeqCst), 1);
    // SAFETY: as above; now writable.
    assert_eq!(unsafe { p.read_volatile() }, 1);
    SPACE.lock().as_mut().unwrap().protect(VirtAddr::new(VA), PteFlags::USER);
    // SAFETY: as above; read-only again, so this faults once more.
    unsafe { p.write_volatile(2) };
    assert_eq!(FAULTS.load(Ordering::SeqCst), 2, "the protection change did not take effect");
    // SAFETY: a deliberate write to .rodata, which must fault.
    unsafe { (&READ_ONLY as *const u32 as *mut u32).write_volatile(8) };
    common::finish(false, "the write to .rodata did not fault")
}

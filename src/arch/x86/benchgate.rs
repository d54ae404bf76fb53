//! Bench-only gates: the cost of the bare mechanisms, with none of the
//! kernel's policy, for `make bench`'s `limit` column. Installed only when
//! the kernel command line has the word `bench` (`enable`); otherwise
//! nothing here runs and vector 0x81 stays a DPL-0 gate (`int 0x81` from
//! ring 3 is #GP, SIGSEGV, as on Linux).
//!
//! - vector 0x81, DPL 3: a stub that is one `iret` (`benchgate.S`);
//! - vector 14 (#PF): a fast path in front of the kernel's own entry. While
//!   a *window* is armed (one address space, pages [start, end)), a
//!   not-present fault from ring 3 in it writes the page's saved entry back
//!   into its empty PTE and `iret`s; every other fault jumps on to the gate
//!   that was there before, paying one compare and two jumps;
//! - `measure`: `rep stosd` and `rep movsd` over a kernel page, and a CR3
//!   reload, timed with the TSC inside the kernel.
//!
//! Arming (`mm::benchwindow`) takes present pages out of the page table and
//! keeps their entries here, so the kernel never sees a half-made entry: an
//! armed page's PTE is simply empty. Each saved entry holds its frame's
//! reference until the fast path moves it into the PTE and zeroes the slot,
//! so a frame is owned by exactly one of the two at any time. The window's owner is named by its page
//! directory (CR3), so another address space faulting at the same addresses
//! goes the normal way.

use super::descriptor::{GateDescriptor, GateKind, Ring};
use super::gdt::KERNEL_CODE;
use super::idt;
use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// The vector of the bare `iret` gate.
pub const IRET_VECTOR: u8 = 0x81;
/// The most pages one window holds (the saved entries are a static array).
pub const WINDOW_MAX_PAGES: u32 = 4096;
/// Where the kernel maps physical memory from 0 (`mm::layout::KERNEL_BASE`;
/// `mm::benchwindow` asserts the two agree) and how far the map reaches.
pub const DIRECT_MAP_BASE: u32 = 0xC000_0000;
pub const DIRECT_MAP_BYTES: u32 = 0x2000_0000;

static ENABLED: AtomicBool = AtomicBool::new(false);
/// The gate-14 handler that was installed before ours: where the fast path
/// sends every fault it does not take.
static PF_NEXT: AtomicU32 = AtomicU32::new(0);
/// The armed window: zero `WINDOW_END` means none. The stub reads them with
/// interrupts off; they are written only by `arm`/`disarm`, which run in
/// system calls (interrupts off too, one CPU), so the stub never sees a
/// window half-written.
static WINDOW_START: AtomicU32 = AtomicU32::new(0);
static WINDOW_END: AtomicU32 = AtomicU32::new(0);
static WINDOW_CR3: AtomicU32 = AtomicU32::new(0);
static SAVED: [AtomicU32; WINDOW_MAX_PAGES as usize] = [const { AtomicU32::new(0) }; WINDOW_MAX_PAGES as usize];

core::arch::global_asm!(
    include_str!("benchgate.S"),
    window_start = sym WINDOW_START,
    window_end = sym WINDOW_END,
    window_cr3 = sym WINDOW_CR3,
    saved = sym SAVED,
    pf_next = sym PF_NEXT,
    direct_map = const DIRECT_MAP_BASE,
    low_end = const DIRECT_MAP_BYTES,
    options(att_syntax)
);

unsafe extern "C" {
    static benchgate_iret: u8;
    static benchgate_page_fault: u8;
}

/// Installs the two gates. Called once at boot, after `idt::init`, with
/// interrupts off, when the command line asks for `bench`.
pub fn enable() {
    let pf = idt::gate(14);
    PF_NEXT.store(pf.offset(), Ordering::Relaxed);
    let iret = (&raw const benchgate_iret) as u32;
    let fast = (&raw const benchgate_page_fault) as u32;
    idt::set_gate(IRET_VECTOR, GateDescriptor::new(GateKind::Interrupt32, KERNEL_CODE, iret, Ring::Ring3));
    let kind = pf.kind().unwrap_or(GateKind::Interrupt32);
    idt::set_gate(14, GateDescriptor::new(kind, pf.selector(), fast, pf.dpl()));
    ENABLED.store(true, Ordering::Relaxed);
}

/// Whether the command line asked for the bench gates.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Whether a window (any address space's) is armed.
pub fn armed() -> bool {
    WINDOW_END.load(Ordering::Relaxed) != 0
}

/// An armed window, as `arm` was given it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Window {
    /// The page directory's physical address (CR3 without flags).
    pub cr3: u32,
    pub start: u32,
    pub pages: u32,
}

impl Window {
    /// The entry saved for page `i` (< pages) when the window was armed,
    /// or 0 if a fault has put it back into the page table since.
    pub fn saved(&self, i: u32) -> u32 {
        SAVED[i as usize].load(Ordering::Relaxed)
    }
}

/// Why a window cannot be armed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ArmError {
    /// One is armed already (any address space's).
    Busy,
    /// More pages than `WINDOW_MAX_PAGES`, none, or past the address space.
    TooLarge,
}

/// Arms a window over `entries.len()` pages from `start` in the address
/// space whose directory is at `cr3`; `entries` are present PTEs the caller
/// has just emptied, and holds the frame references they held until
/// `disarm` hands them back.
pub fn arm(cr3: u32, start: u32, entries: &[u32]) -> Result<(), ArmError> {
    if WINDOW_END.load(Ordering::Relaxed) != 0 {
        return Err(ArmError::Busy);
    }
    let pages = entries.len() as u32;
    let end = start.checked_add(pages.checked_mul(4096).ok_or(ArmError::TooLarge)?).ok_or(ArmError::TooLarge)?;
    if pages == 0 || pages > WINDOW_MAX_PAGES || end >= DIRECT_MAP_BASE {
        return Err(ArmError::TooLarge);
    }
    for (slot, &e) in SAVED.iter().zip(entries) {
        slot.store(e, Ordering::Relaxed);
    }
    WINDOW_START.store(start, Ordering::Relaxed);
    WINDOW_CR3.store(cr3, Ordering::Relaxed);
    // Last: a non-zero end is what turns the fast path on.
    WINDOW_END.store(end, Ordering::Release);
    Ok(())
}

/// Disarms the window if it belongs to the directory at `cr3`, returning
/// it; its saved entries stay readable until the next `arm`.
pub fn disarm(cr3: u32) -> Option<Window> {
    let end = WINDOW_END.load(Ordering::Relaxed);
    if end == 0 || WINDOW_CR3.load(Ordering::Relaxed) != cr3 {
        return None;
    }
    WINDOW_END.store(0, Ordering::Release);
    let start = WINDOW_START.load(Ordering::Relaxed);
    Some(Window { cr3, start, pages: (end - start) / 4096 })
}

/// The kernel-side limits, in TSC cycles per operation (medians).
#[derive(Clone, Copy, Default, Debug)]
pub struct Limits {
    pub rep_stosd_4k: u32,
    pub rep_movsd_4k: u32,
    pub cr3_reload: u32,
}

#[repr(C, align(4096))]
struct Scratch(UnsafeCell<[u32; 1024]>);
// SAFETY: only `measure` touches the two pages, and it runs in a system
// call: interrupts off, one CPU, so never twice at once.
unsafe impl Sync for Scratch {}

static SRC: Scratch = Scratch(UnsafeCell::new([0; 1024]));
static DST: Scratch = Scratch(UnsafeCell::new([0; 1024]));

const SAMPLES: usize = 15;
const ROUNDS: u32 = 16;

/// Times each mechanism `ROUNDS` times per sample and returns the median
/// sample's cost per operation. Call with interrupts off (a system call).
pub fn measure() -> Limits {
    let src = SRC.0.get() as u32;
    let dst = DST.0.get() as u32;
    Limits {
        rep_stosd_4k: median_per_op(|| {
            // SAFETY: DST is a 4 KiB static page only this function writes;
            // ECX = 1024 dwords stay inside it (DF is clear, as the ABI has it).
            unsafe {
                core::arch::asm!("rep stosd", inout("edi") dst => _, inout("ecx") 1024u32 => _, in("eax") 0u32,
                    options(nostack))
            }
        }),
        rep_movsd_4k: median_per_op(|| {
            // SAFETY: as above, reading the static SRC page, writing DST.
            // LLVM keeps ESI for itself, so it is saved on the stack around
            // the copy and restored before the block ends.
            unsafe {
                core::arch::asm!("push esi", "mov esi, {src}", "rep movsd", "pop esi", src = in(reg) src,
                    inout("edi") dst => _, inout("ecx") 1024u32 => _)
            }
        }),
        cr3_reload: median_per_op(|| {
            // SAFETY: writing CR3 back with the value it holds keeps the same
            // directory (the kernel stays mapped); it only flushes the
            // non-global TLB entries, which refill from the same tables.
            unsafe { core::arch::asm!("mov {t}, cr3", "mov cr3, {t}", t = out(reg) _, options(nostack)) }
        }),
    }
}

fn median_per_op(mut op: impl FnMut()) -> u32 {
    let mut samples = [0u64; SAMPLES];
    for s in samples.iter_mut() {
        let t0 = super::instructions::rdtsc();
        for _ in 0..ROUNDS {
            op();
        }
        *s = (super::instructions::rdtsc() - t0) / u64::from(ROUNDS);
    }
    samples.sort_unstable();
    samples[SAMPLES / 2].min(u64::from(u32::MAX)) as u32
}

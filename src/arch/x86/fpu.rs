//! x87/SSE register state, switched lazily. The kernel is built without
//! floating point, so the FPU registers only ever hold a user task's state:
//! that of the buffer `OWNER` names (whose own bytes may be older). A task
//! switch saves nothing; it sets CR0.TS unless the next task is the owner,
//! so the next task's first FPU instruction raises #NM, and `restore` then
//! saves the owner's registers and loads the task's (Linux's old lazy
//! switch). Most switches, between tasks that do no floating point, cost no
//! FXSAVE/FXRSTOR, which under TCG copy 512 bytes each. FXSAVE (512 bytes)
//! where the CPU has it (CPUID.FXSR), else FNSAVE (108 bytes) into the same
//! buffer.
//!
//! Invariant: CR0.TS is clear exactly when the running task's buffer is
//! `OWNER` (the `TS` flag mirrors the bit), so `save` and `restore` know
//! whose registers the FPU holds without asking the CPU.

use core::arch::asm;
use core::sync::atomic::{AtomicBool, AtomicPtr, Ordering};

/// An FXSAVE area (16-byte aligned, as FXSAVE requires), or the mark that
/// the state is the initial one: `reset` (every exec, every handler's
/// start) then costs no 512-byte copy, which a handler that does no
/// floating point would never read before sigreturn writes the buffer
/// again. `image()` is the state either way.
#[derive(Clone)]
#[repr(C, align(16))]
pub struct FpuState {
    image: [u8; 512],
    /// The state is INITIAL's; `image` is stale.
    initial: bool,
}

/// The initial image before `init` has recorded one.
static ZEROS: [u8; 512] = [0; 512];

static FXSR: AtomicBool = AtomicBool::new(false);
static INITIAL: spin::Once<FpuState> = spin::Once::new();
/// The buffer whose state the FPU registers hold (null: nobody's).
static OWNER: AtomicPtr<FpuState> = AtomicPtr::new(core::ptr::null_mut());
/// CR0.TS as last written.
static TS: AtomicBool = AtomicBool::new(false);

/// Enables the FPU for user tasks (CR0.EM clear, CR0.MP and CR0.NE set;
/// CR4.OSFXSR and OSXMMEXCPT with FXSR) and records the clean initial state.
pub fn init() {
    // CPUID.1:EDX bit 24 = FXSR.
    let fxsr = core::arch::x86::__cpuid(1).edx & (1 << 24) != 0;
    FXSR.store(fxsr, Ordering::Relaxed);
    // SAFETY: enabling the FPU changes no memory; the kernel itself never
    // executes FPU instructions apart from the save/restore below.
    unsafe {
        use x86::controlregs::{Cr0, Cr4, cr0, cr0_write, cr4, cr4_write};
        // CR0.NE: x87 errors raise #MF (SIGFPE) rather than the legacy
        // FERR# interrupt, which the PIC keeps masked.
        cr0_write(
            (cr0() | Cr0::CR0_MONITOR_COPROCESSOR | Cr0::CR0_NUMERIC_ERROR)
                - Cr0::CR0_EMULATE_COPROCESSOR
                - Cr0::CR0_TASK_SWITCHED,
        );
        if fxsr {
            cr4_write(cr4() | Cr4::CR4_ENABLE_SSE | Cr4::CR4_UNMASKED_SSE);
        }
        asm!("fninit", options(nomem, nostack));
    }
    let mut s = FpuState { image: [0; 512], initial: false };
    s.save();
    INITIAL.call_once(|| s);
}

impl FpuState {
    /// The state a new program starts with (after FNINIT; MXCSR default).
    pub fn initial() -> Self {
        FpuState { image: [0; 512], initial: true }
    }

    /// The state's image.
    fn image(&self) -> &[u8; 512] {
        match (self.initial, INITIAL.get()) {
            (false, _) => &self.image,
            (true, Some(i)) => &i.image,
            (true, None) => &ZEROS,
        }
    }

    /// The image, to change in place: the initial one is copied in first.
    fn image_mut(&mut self) -> &mut [u8; 512] {
        if self.initial {
            self.image = *self.image();
            self.initial = false;
        }
        &mut self.image
    }

    /// Whether the image is FXSAVE's (else FNSAVE's, in the first 108 bytes).
    pub fn is_fxsave() -> bool {
        FXSR.load(Ordering::Relaxed)
    }

    /// The floating-point exceptions that fired unmasked, from the saved
    /// image: x87 status & !control, or for SSE (`simd`) MXCSR's flags
    /// & !its masks (bits 7–12 mask bits 0–5).
    pub fn unmasked_exceptions(&self, simd: bool) -> u32 {
        let image = self.image();
        let w16 = |o: usize| u32::from(u16::from_le_bytes([image[o], image[o + 1]]));
        if simd {
            if !Self::is_fxsave() {
                return 0;
            }
            let mxcsr = u32::from_le_bytes(image[24..28].try_into().expect("4 bytes"));
            !(mxcsr >> 7) & mxcsr & 0x3F
        } else if Self::is_fxsave() {
            w16(2) & !w16(0) & 0x3F
        } else {
            // FNSAVE: control word at 0, status word at 4.
            w16(4) & !w16(0) & 0x3F
        }
    }

    /// The saved image, for a signal frame.
    pub fn bytes(&self) -> &[u8; 512] {
        self.image()
    }

    /// Takes a state a program hands back (sigreturn) as the running
    /// task's, loaded at its next FPU instruction (as `reset`): `fill`
    /// writes the image (FXSAVE's 512 bytes, or FNSAVE's 108), straight into
    /// this buffer. MXCSR bits the CPU reserves are cleared (FXRSTOR would
    /// fault on them, in the kernel), as Linux does with its mxcsr mask. On
    /// an error from `fill` nothing is loaded (this buffer may hold part of
    /// the image, and the caller resets it).
    pub fn load_user<E>(&mut self, fill: impl FnOnce(&mut [u8]) -> Result<(), E>) -> Result<(), E> {
        if Self::is_fxsave() {
            // All 512 bytes are written: no initial image to copy in first.
            self.initial = false;
            fill(&mut self.image[..])?;
            let mask = match INITIAL.get().map(|i| u32::from_le_bytes(i.image[28..32].try_into().expect("4 bytes"))) {
                Some(0) | None => 0xFFBF, // the default MXCSR_MASK (SDM Vol. 1 §11.6.6)
                Some(m) => m,
            };
            let mxcsr = u32::from_le_bytes(self.image[24..28].try_into().expect("4 bytes")) & mask;
            self.image[24..28].copy_from_slice(&mxcsr.to_le_bytes());
        } else {
            fill(&mut self.image_mut()[..108])?;
        }
        self.disown();
        Ok(())
    }

    /// Gives the running task (whose buffer this is) the initial state (a
    /// new program's, a signal handler's start), lazily: the buffer is
    /// marked initial (no copy) and the registers stop being its own, so the
    /// task's first FPU instruction raises #NM and loads it. A task that
    /// does no floating point then never owns the FPU, and switches to and
    /// from it leave CR0.TS alone (a CR0 write is costly under TCG).
    pub fn reset(&mut self) {
        self.initial = true;
        self.disown();
    }

    /// Makes this buffer, the running task's, hold its state alone: if the
    /// registers were its own they become nobody's and CR0.TS is set (the
    /// invariant: TS is clear exactly when the running task owns them).
    fn disown(&mut self) {
        let me = self as *mut FpuState;
        if OWNER.compare_exchange(me, core::ptr::null_mut(), Ordering::Relaxed, Ordering::Relaxed).is_ok() {
            TS.store(true, Ordering::Relaxed);
            set_cr0_ts();
        }
    }

    /// Saves the running task's FPU state here. If the FPU holds another
    /// task's registers (TS set), the running task's state is the one its
    /// buffer already has, which `self` is, or was cloned from.
    pub fn save(&mut self) {
        if TS.load(Ordering::Relaxed) {
            return;
        }
        self.save_registers();
    }

    fn save_registers(&mut self) {
        self.initial = false;
        let p = self.image.as_mut_ptr();
        // SAFETY: p is 16-byte aligned with 512 writable bytes, and TS is
        // clear (every caller checks), so FXSAVE cannot raise #NM.
        unsafe {
            if FXSR.load(Ordering::Relaxed) {
                asm!("fxsave [{}]", in(reg) p, options(nostack));
            } else {
                asm!("fnsave [{0}]", "frstor [{0}]", in(reg) p, options(nostack));
            }
        }
    }

    /// With FXSR: the running task's state (`self`) written as an FXSAVE
    /// image straight to `dst`, a signal frame: FXSAVE from the registers
    /// when they are the task's, else a copy of the buffer (which then is
    /// the state). No round trip through the buffer.
    ///
    /// # Safety
    /// `dst` is 16-byte aligned with 512 bytes writable now (user memory
    /// made present and writable, with interrupts off), apart from `self`.
    pub unsafe fn save_to(&self, dst: *mut u8) {
        if TS.load(Ordering::Relaxed) || !FXSR.load(Ordering::Relaxed) {
            // SAFETY: by the caller's contract; the buffer is 512 bytes.
            unsafe { core::ptr::copy_nonoverlapping(self.image().as_ptr(), dst, 512) };
            return;
        }
        // SAFETY: TS is clear, so FXSAVE cannot raise #NM, and the FPU holds
        // the running task's registers (the module invariant); `dst` is
        // aligned and writable (the caller's contract).
        unsafe { asm!("fxsave [{}]", in(reg) dst, options(nostack)) };
    }

    /// Loads this state into the FPU as the running task's, which `self`
    /// must be: the owner's registers are saved into its buffer first, and
    /// this buffer becomes the owner. Also #NM's answer.
    pub fn restore(&mut self) {
        self.take_registers();
        self.load();
    }

    /// Makes this buffer the owner of the FPU registers, saving the old
    /// owner's state into its buffer first.
    fn take_registers(&mut self) {
        if TS.swap(false, Ordering::Relaxed) {
            // SAFETY: clearing CR0.TS only lets FPU instructions run.
            unsafe { core::arch::asm!("clts", options(nomem, nostack)) };
        }
        let me = self as *mut FpuState;
        let owner = OWNER.swap(me, Ordering::Relaxed);
        if !owner.is_null() && owner != me {
            // SAFETY: a non-null OWNER is a live buffer: `Drop` clears it
            // before its buffer goes, and buffers in a process record do
            // not move. One CPU, so nothing else uses it now.
            unsafe { (*owner).save_registers() };
        }
    }

    /// Loads this image into the registers (which must be the owner's to
    /// change: `take_registers` first).
    fn load(&self) {
        let p = self.image().as_ptr();
        // SAFETY: p holds a state saved by `save` (or the initial one), so
        // the reserved MXCSR bits are clear and FXRSTOR cannot fault; TS is
        // clear (`take_registers`), so it cannot raise #NM.
        unsafe {
            if FXSR.load(Ordering::Relaxed) {
                asm!("fxrstor [{}]", in(reg) p, options(nostack));
            } else {
                asm!("frstor [{}]", in(reg) p, options(nostack));
            }
        }
    }
}

impl Drop for FpuState {
    fn drop(&mut self) {
        // The registers may stay as they are: nobody's now.
        let _ = OWNER.compare_exchange(self, core::ptr::null_mut(), Ordering::Relaxed, Ordering::Relaxed);
    }
}

/// The task switch's part: the FPU stays as it is, and CR0.TS is set unless
/// `next` (the next task's buffer; `None` for a task without a process)
/// owns the registers, so that its first FPU instruction raises #NM.
pub fn switch_to(next: Option<&FpuState>) {
    let owns = next.is_some_and(|n| core::ptr::eq(n, OWNER.load(Ordering::Relaxed)));
    if owns == !TS.load(Ordering::Relaxed) {
        return;
    }
    TS.store(!owns, Ordering::Relaxed);
    // SAFETY: CR0.TS only decides whether FPU instructions raise #NM; the
    // kernel executes none outside `save`/`restore`, which mind TS.
    unsafe {
        if owns {
            core::arch::asm!("clts", options(nomem, nostack));
        } else {
            set_cr0_ts();
        }
    }
}

/// Sets CR0.TS (the caller updates `TS`).
fn set_cr0_ts() {
    // SAFETY: CR0.TS only decides whether FPU instructions raise #NM; the
    // kernel executes none outside `save`/`restore`, which mind TS.
    unsafe {
        use x86::controlregs::{Cr0, cr0, cr0_write};
        cr0_write(cr0() | Cr0::CR0_TASK_SWITCHED);
    }
}

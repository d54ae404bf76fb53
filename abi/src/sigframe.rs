//! What a signal handler sees on its stack, as Linux i386 lays it out
//! (arch/x86/include/asm/sigframe.h, uapi/asm/sigcontext.h,
//! uapi/asm-generic/siginfo.h), and the sigaction records as the kernel
//! reads them.
//!
//! Hand-written, because linux-raw-sys does not generate `asm/sigcontext.h`
//! (so there is no `sigcontext`, `ucontext` or `_fpstate`), and its
//! `kernel_sigaction` and `stack_t` hold function and `void` pointers where
//! the kernel must see plain user addresses. Every size and the offsets a
//! C library relies on are asserted below against the values `gcc -m32`
//! gives for Linux's headers.
//!
//! ```text
//! rt_sigframe (SA_SIGINFO)            sigframe (without)
//!   +0   pretcode (the restorer)        +0   pretcode
//!   +4   sig                            +4   sig
//!   +8   pinfo  -> info                 +8   sigcontext (88)
//!   +12  puc    -> uc                   +96  _fpstate_32, unused (624)
//!   +16  siginfo (128)                  +720 extramask (signals 33..64)
//!   +144 ucontext (116)                 +724 retcode[8]
//!   +260 retcode[8]
//! then, higher on the stack and 64-byte aligned, the FPU state that
//! sigcontext.fpstate points to: 112 bytes of FSAVE header, then FXSAVE.
//! ```
use crate::Signal;
use core::mem::{offset_of, size_of};

/// A set of signals: bit n-1 for signal n (`kernel_sigset_t`, two words).
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct SigSet(pub u64);

impl SigSet {
    pub const EMPTY: SigSet = SigSet(0);
    /// SIGKILL and SIGSTOP, which no mask may hold.
    pub const UNBLOCKABLE: SigSet = SigSet(Signal::SIGKILL.mask_bit() | Signal::SIGSTOP.mask_bit());

    pub const fn of(sig: Signal) -> SigSet {
        SigSet(sig.mask_bit())
    }
    pub const fn from_words(w: [u32; 2]) -> SigSet {
        SigSet(w[0] as u64 | (w[1] as u64) << 32)
    }
    pub const fn words(self) -> [u32; 2] {
        [self.0 as u32, (self.0 >> 32) as u32]
    }
    pub const fn contains(self, sig: Signal) -> bool {
        self.0 & sig.mask_bit() != 0
    }
    pub const fn with(self, sig: Signal) -> SigSet {
        SigSet(self.0 | sig.mask_bit())
    }
    pub const fn without(self, sig: Signal) -> SigSet {
        SigSet(self.0 & !sig.mask_bit())
    }
    pub const fn union(self, o: SigSet) -> SigSet {
        SigSet(self.0 | o.0)
    }
    pub const fn minus(self, o: SigSet) -> SigSet {
        SigSet(self.0 & !o.0)
    }
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The set as a mask a task may hold: SIGKILL and SIGSTOP removed, as
    /// Linux silently drops them.
    pub const fn blockable(self) -> SigSet {
        self.minus(SigSet::UNBLOCKABLE)
    }
    /// The lowest-numbered signal in the set.
    pub fn lowest(self) -> Option<Signal> {
        if self.0 == 0 { None } else { Signal::from_raw(self.0.trailing_zeros() + 1) }
    }
}

/// What rt_sigaction(174) reads and writes: `struct sigaction` as the
/// kernel defines it (handler, flags, restorer, 64-bit mask).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct KernelSigaction {
    pub handler: u32,
    pub flags: u32,
    pub restorer: u32,
    pub mask: [u32; 2],
}

/// What sigaction(67) reads and writes: `struct old_sigaction`, with the
/// mask of signals 1..=32 before the flags.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct OldSigaction {
    pub handler: u32,
    pub mask: u32,
    pub flags: u32,
    pub restorer: u32,
}

/// `stack_t` (sigaltstack, and ucontext's uc_stack).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct StackT {
    pub sp: u32,
    pub flags: i32,
    pub size: u32,
}

/// `siginfo_t`: number, errno, code, then a union whose member the code
/// and signal select. Built through the constructors, which fill the member
/// Linux fills for that origin.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SigInfo {
    pub signo: i32,
    pub errno: i32,
    pub code: i32,
    pub fields: [u32; 29],
}

impl SigInfo {
    /// Sent by a process (kill: SI_USER; tkill/tgkill: SI_TKILL): the
    /// sender's pid and uid.
    pub const fn from_process(sig: Signal, code: i32, pid: u32, uid: u32) -> SigInfo {
        let mut f = [0; 29];
        f[0] = pid;
        f[1] = uid;
        SigInfo { signo: sig.raw() as i32, errno: 0, code, fields: f }
    }
    /// Raised by the kernel itself (SI_KERNEL): no sender.
    pub const fn from_kernel(sig: Signal) -> SigInfo {
        SigInfo { signo: sig.raw() as i32, errno: 0, code: crate::linux::SI_KERNEL as i32, fields: [0; 29] }
    }
    /// A fault: `code` is SEGV_MAPERR, FPE_INTDIV, ...; `addr` the
    /// faulting address (CR2) or instruction.
    pub const fn fault(sig: Signal, code: u32, addr: u32) -> SigInfo {
        let mut f = [0; 29];
        f[0] = addr;
        SigInfo { signo: sig.raw() as i32, errno: 0, code: code as i32, fields: f }
    }
    /// SIGCHLD: the child, its uid, how it changed (CLD_EXITED, ...), the
    /// status (exit code or signal) and its CPU times in clock ticks.
    pub const fn child(code: u32, pid: u32, status: u32, utime: u32, stime: u32) -> SigInfo {
        let mut f = [0; 29];
        f[0] = pid;
        f[2] = status;
        f[3] = utime;
        f[4] = stime;
        SigInfo { signo: Signal::SIGCHLD.raw() as i32, errno: 0, code: code as i32, fields: f }
    }
    pub fn signal(&self) -> Option<Signal> {
        Signal::from_raw(self.signo as u32)
    }
}

/// `struct sigcontext` (i386): the registers at the moment of the signal.
/// Segment registers occupy 32-bit slots whose upper halves are zero.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Sigcontext {
    pub gs: u32,
    pub fs: u32,
    pub es: u32,
    pub ds: u32,
    pub edi: u32,
    pub esi: u32,
    pub ebp: u32,
    pub esp: u32,
    pub ebx: u32,
    pub edx: u32,
    pub ecx: u32,
    pub eax: u32,
    pub trapno: u32,
    pub err: u32,
    pub eip: u32,
    pub cs: u32,
    pub eflags: u32,
    pub esp_at_signal: u32,
    pub ss: u32,
    /// The FPU state's address on the user stack (0: none saved).
    pub fpstate: u32,
    /// Signals 1..=32 of the mask to restore (the old sigframe).
    pub oldmask: u32,
    pub cr2: u32,
}

/// `struct ucontext` (i386 kernel view: an 8-byte sigset).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct Ucontext {
    pub flags: u32,
    pub link: u32,
    pub stack: StackT,
    pub mcontext: Sigcontext,
    pub sigmask: [u32; 2],
}

/// The frame of an SA_SIGINFO handler (`struct rt_sigframe`).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct RtSigframe {
    pub pretcode: u32,
    pub sig: u32,
    pub pinfo: u32,
    pub puc: u32,
    pub info: SigInfo,
    pub uc: Ucontext,
    pub retcode: [u8; 8],
}

/// Size of `struct _fpstate_32`: the FSAVE-format header, the status and
/// magic words, then the FXSAVE image.
pub const FPSTATE_SIZE: usize = 624;
/// Where the FXSAVE image starts in `_fpstate_32` (its `_fxsr_env`).
pub const FPSTATE_FXSAVE_OFFSET: usize = 112;
/// `_fpstate_32.magic`: 0 says an FXSAVE image follows the header,
/// 0xffff that only the FSAVE header is valid.
pub const FPSTATE_MAGIC_OFFSET: usize = 110;
pub const FPSTATE_STATUS_OFFSET: usize = 108;
pub const X86_FXSR_MAGIC: u16 = 0;
pub const FPSTATE_FSAVE_ONLY: u16 = 0xffff;

/// The frame of a handler without SA_SIGINFO (`struct sigframe`).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Sigframe {
    pub pretcode: u32,
    pub sig: u32,
    pub sc: Sigcontext,
    pub fpstate_unused: [u32; FPSTATE_SIZE / 4],
    /// Signals 33..=64 of the mask to restore.
    pub extramask: u32,
    pub retcode: [u8; 8],
}

/// `movl $__NR_rt_sigreturn, %eax; int $0x80`, the fallback restorer
/// Linux writes into an rt frame (never run when SA_RESTORER is set).
pub const RT_RETCODE: [u8; 8] = [0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0];
/// `popl %eax; movl $__NR_sigreturn, %eax; int $0x80`.
pub const RETCODE: [u8; 8] = [0x58, 0xb8, 119, 0, 0, 0, 0xcd, 0x80];

// The i386 sizes and offsets, as gcc -m32 sees Linux's definitions.
const _: () = assert!(size_of::<KernelSigaction>() == 20);
const _: () = assert!(size_of::<OldSigaction>() == 16);
const _: () = assert!(size_of::<StackT>() == 12);
const _: () = assert!(size_of::<SigInfo>() == 128);
const _: () = assert!(size_of::<Sigcontext>() == 88);
const _: () = assert!(size_of::<Ucontext>() == 116);
const _: () = assert!(size_of::<RtSigframe>() == 268);
const _: () = assert!(size_of::<Sigframe>() == 732);
const _: () = assert!(offset_of!(Sigcontext, eip) == 56);
const _: () = assert!(offset_of!(Sigcontext, fpstate) == 76);
const _: () = assert!(offset_of!(Ucontext, mcontext) == 20);
const _: () = assert!(offset_of!(Ucontext, sigmask) == 108);
const _: () = assert!(offset_of!(RtSigframe, info) == 16);
const _: () = assert!(offset_of!(RtSigframe, uc) == 144);
const _: () = assert!(offset_of!(Sigframe, extramask) == 720);
const _: () = assert!(size_of::<crate::linux::siginfo>() == size_of::<SigInfo>());
const _: () = assert!(size_of::<crate::linux::kernel_sigaction>() == size_of::<KernelSigaction>());
const _: () = assert!(size_of::<crate::linux::stack_t>() == size_of::<StackT>());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_hold_signals_as_linux_numbers_them() {
        let s = SigSet::EMPTY.with(Signal::SIGINT).with(Signal::from_raw(40).unwrap());
        assert_eq!(s.words(), [1 << 1, 1 << 7]);
        assert_eq!(SigSet::from_words(s.words()), s);
        assert_eq!(s.lowest(), Some(Signal::SIGINT));
        assert!(!SigSet(!0).blockable().contains(Signal::SIGKILL));
        assert!(!SigSet(!0).blockable().contains(Signal::SIGSTOP));
        assert!(SigSet(!0).blockable().contains(Signal::SIGTERM));
    }

    #[test]
    fn siginfo_members_sit_where_linux_puts_them() {
        // si_pid/si_addr at 12, si_uid at 16, si_status at 20.
        let i = SigInfo::from_process(Signal::SIGUSR1, 0, 7, 0);
        // SAFETY: SigInfo is 32 plain words (asserted above), no padding.
        let bytes: [u32; 32] = unsafe { core::mem::transmute(i) };
        assert_eq!((bytes[0], bytes[2], bytes[3]), (10, 0, 7));
        let c = SigInfo::child(crate::linux::CLD_EXITED, 9, 3, 0, 0);
        // SAFETY: as above.
        let bytes: [u32; 32] = unsafe { core::mem::transmute(c) };
        assert_eq!((bytes[0], bytes[2], bytes[3], bytes[5]), (17, 1, 9, 3));
    }
}

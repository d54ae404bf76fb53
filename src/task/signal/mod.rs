//! Which signal a CPU exception in ring 3 sends, as Linux i386 decides it
//! (arch/x86/kernel/traps.c). Page faults are decided by `mm::fault`. Pure.

pub mod frame;
pub mod state;

use crate::arch::x86::exception::Exception;
use memguard_abi::linux::{BUS_ADRALN, FPE_INTDIV, ILL_ILLOPN, SI_KERNEL, TRAP_TRACE};
use memguard_abi::{SigInfo, Signal};

/// The signal for a user-mode exception other than a page fault.
pub const fn signal_for(exc: Exception) -> Signal {
    match exc {
        Exception::DivideError | Exception::X87FloatingPoint | Exception::SimdFloatingPoint => Signal::SIGFPE,
        Exception::Debug | Exception::Breakpoint => Signal::SIGTRAP,
        Exception::InvalidOpcode => Signal::SIGILL,
        Exception::SegmentNotPresent | Exception::StackSegmentFault | Exception::AlignmentCheck => Signal::SIGBUS,
        _ => Signal::SIGSEGV,
    }
}

/// The siginfo Linux sends for a user-mode exception at `eip`: the code
/// and address its trap handlers give (do_trap / do_error_trap), SI_KERNEL
/// with no address for the exceptions that carry none.
pub fn siginfo_for(exc: Exception, eip: u32) -> SigInfo {
    let sig = signal_for(exc);
    match exc {
        Exception::DivideError => SigInfo::fault(sig, FPE_INTDIV, eip),
        // A single step (EFLAGS.TF): the next instruction's address.
        Exception::Debug => SigInfo::fault(sig, TRAP_TRACE, eip),
        Exception::InvalidOpcode => SigInfo::fault(sig, ILL_ILLOPN, eip),
        Exception::AlignmentCheck => SigInfo::fault(sig, BUS_ADRALN, 0),
        Exception::X87FloatingPoint | Exception::SimdFloatingPoint => SigInfo::fault(sig, 0, eip),
        _ => SigInfo { code: SI_KERNEL as i32, ..SigInfo::fault(sig, 0, 0) },
    }
}

/// The si_code of a floating-point exception (Linux's
/// fpu__exception_code): `unmasked` holds the exception bits that fired
/// and were not masked — x87: status & !control; SSE: MXCSR's flags
/// & !its masks. The first of invalid, divide, overflow, underflow or
/// denormal, precision wins; 0 if none (a spurious trap).
pub fn fpe_code(unmasked: u32) -> u32 {
    use memguard_abi::linux::{FPE_FLTDIV, FPE_FLTINV, FPE_FLTOVF, FPE_FLTRES, FPE_FLTUND};
    if unmasked & 0x001 != 0 {
        FPE_FLTINV
    } else if unmasked & 0x004 != 0 {
        FPE_FLTDIV
    } else if unmasked & 0x008 != 0 {
        FPE_FLTOVF
    } else if unmasked & 0x012 != 0 {
        FPE_FLTUND
    } else if unmasked & 0x020 != 0 {
        FPE_FLTRES
    } else {
        0
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn fpe_codes_follow_linux() {
        use memguard_abi::linux::{FPE_FLTDIV, FPE_FLTINV, FPE_FLTRES, FPE_FLTUND};
        assert_eq!(fpe_code(0x004), FPE_FLTDIV);
        assert_eq!(fpe_code(0x005), FPE_FLTINV, "invalid wins");
        assert_eq!(fpe_code(0x002), FPE_FLTUND, "denormal counts as underflow");
        assert_eq!(fpe_code(0x020), FPE_FLTRES);
        assert_eq!(fpe_code(0), 0);
    }

    #[test]
    fn user_signals_follow_linux() {
        assert_eq!(signal_for(Exception::DivideError), Signal::SIGFPE);
        assert_eq!(signal_for(Exception::X87FloatingPoint), Signal::SIGFPE);
        assert_eq!(signal_for(Exception::InvalidOpcode), Signal::SIGILL);
        assert_eq!(signal_for(Exception::Breakpoint), Signal::SIGTRAP);
        assert_eq!(signal_for(Exception::GeneralProtection), Signal::SIGSEGV);
        assert_eq!(signal_for(Exception::StackSegmentFault), Signal::SIGBUS);
        assert_eq!(signal_for(Exception::AlignmentCheck), Signal::SIGBUS);
    }
}

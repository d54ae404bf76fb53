//! Which signal a CPU exception in ring 3 sends, as Linux i386 decides it
//! (arch/x86/kernel/traps.c). Page faults are decided by `mm::fault`. Pure.

use crate::arch::x86::exception::Exception;
use memguard_abi::Signal;

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

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

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

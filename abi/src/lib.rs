//! The system-call ABI shared by the memguard kernel and its user programs,
//! defined once: Linux i386 system-call numbers ([`nr`]), error numbers
//! ([`Errno`]), signals ([`Signal`]), the `waitpid` status word
//! ([`wstatus`]) and the structures and flags user space exchanges with the
//! kernel ([`linux`]) — all taken from `linux-raw-sys`, Linux's own uapi
//! headers run through bindgen — plus memguard's own calls (1000 and up)
//! and the records they exchange ([`mg`]), which Linux does not have.
//!
//! C programs get the same definitions from `c/memguard.h`, which includes
//! Linux's uapi headers for the numbers and adds only the `int 0x80`
//! helpers and memguard's own calls; a host test keeps the two in step.
//!
//! Crate-wide assumption: the target is 32-bit x86 (the kernel's target,
//! the user programs' target, or i686 Linux for host tests), because
//! `linux-raw-sys` picks its definitions by `target_arch`.
#![no_std]

#[cfg(not(target_arch = "x86"))]
compile_error!(
    "memguard-abi describes the Linux i386 ABI: build it for a 32-bit x86 target (e.g. i686-unknown-linux-gnu)"
);

pub mod errno;
pub mod linux;
pub mod mg;
pub mod nr;
pub mod sigframe;
pub mod signal;
pub mod wstatus;

pub use errno::{Errno, SysResult, decode, encode};
pub use mg::{LimitsOp, MgLimits, MgStats, MgTranslation, View};
pub use sigframe::{SigInfo, SigSet};
pub use signal::{DefaultAction, Signal};

/// Linux's definitions as generated, for anything [`linux`] does not
/// re-export yet (add it there rather than reaching in from elsewhere).
pub use linux_raw_sys;

#[cfg(test)]
mod c_header_tests;

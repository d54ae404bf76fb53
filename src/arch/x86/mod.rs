//! 32-bit x86: descriptor tables, interrupts, the PIC and PIT, and the few
//! instructions the rest of the kernel may ask for.
//!
//! Encodings (descriptors, gates, error codes) are pure and host-tested; the
//! modules that load them into the CPU compile only for the kernel target.

#[cfg(target_os = "none")]
pub mod boot;
#[cfg(target_os = "none")]
pub mod instructions;

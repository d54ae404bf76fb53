//! System-call numbers: Linux i386's and memguard's own, from the ABI crate
//! the kernel uses too.
pub use memguard_abi::nr::*;

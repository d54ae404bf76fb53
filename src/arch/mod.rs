//! Architecture support. Only 32-bit x86 exists; `x86` is the only module
//! that may use `asm!`, port I/O or control registers.

pub mod x86;

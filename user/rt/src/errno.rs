//! Error numbers: [`Errno`] is the ABI crate's (values from Linux's headers,
//! names and `strerror` texts), shared with the kernel. This module adds
//! only the user side of the convention: turning a raw `eax` into a result.
pub use memguard_abi::Errno;

use crate::arch::syscall::Raw;

/// Splits a raw `eax` into a value or an error: Linux returns `-errno` in
/// `-4095..=-1`, and anything else (even a "negative" address) is a value.
pub fn check(raw: Raw) -> Result<usize, Errno> {
    memguard_abi::decode(raw as u32).map(|v| v as usize)
}

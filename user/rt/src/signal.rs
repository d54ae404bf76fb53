//! Signals: [`Signal`] is the ABI crate's (numbers from Linux's headers,
//! names, `parse`, default actions), shared with the kernel.
pub use memguard_abi::{DefaultAction, Signal};

//! PCI configuration space through configuration mechanism #1 (PCI Local
//! Bus Specification 3.0 §3.2.2.3.2): the address goes to port 0xCF8, the
//! double word at it is read or written through port 0xCFC.
//!
//! ```text
//!  31  30      24 23    16 15   11 10   8 7      2 1 0
//! ┌──┬──────────┬────────┬───────┬──────┬────────┬───┐
//! │E │ reserved │  bus   │device │ func │register│0 0│   E: enable
//! └──┴──────────┴────────┴───────┴──────┴────────┴───┘
//! ```
//! The address word is built by `dev::pci::ConfigAddress` (pure, tested);
//! this file only moves it through the ports. The pair of port accesses must
//! not be split by another configuration access: the kernel runs with
//! interrupts off and no interrupt handler touches configuration space.

use super::instructions::{inl, outl};

const CONFIG_ADDRESS: u16 = 0xCF8;
const CONFIG_DATA: u16 = 0xCFC;

/// The double word at configuration address `address` (enable bit set,
/// register 4-aligned). A function that is not there reads all ones.
pub fn config_read(address: u32) -> u32 {
    // SAFETY: 0xCF8/0xCFC belong to the host bridge, whose only user is
    // the PCI code; selecting a register and reading it has no side effect
    // on memory the kernel owns.
    unsafe {
        outl(CONFIG_ADDRESS, address);
        inl(CONFIG_DATA)
    }
}

/// Writes the double word at configuration address `address`.
///
/// # Safety
/// The register must be one whose new value cannot make the device touch
/// memory the kernel did not give it (a BAR over RAM, bus mastering before
/// the driver set up its rings).
pub unsafe fn config_write(address: u32, value: u32) {
    // SAFETY: as config_read; the effect of the value is the caller's
    // promise.
    unsafe {
        outl(CONFIG_ADDRESS, address);
        outl(CONFIG_DATA, value);
    }
}

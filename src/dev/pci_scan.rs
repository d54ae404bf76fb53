//! Walking the PCI buses through configuration mechanism #1: every
//! function's header, its BARs sized, bridges followed to the buses behind
//! them. Run once at boot, before any driver starts its device.

use super::pci::{Command, ConfigAddress, Function, Header, HeaderKind, REG_BAR0, REG_COMMAND, Size};
use crate::arch::x86::pci::{config_read, config_write};
use alloc::vec::Vec;
use core::fmt;
use virtio_drivers::transport::pci::bus::{ConfigurationAccess, DeviceFunction};

/// A function found on a bus, with the size of each BAR.
#[derive(Clone, Copy, Debug)]
pub struct Found {
    pub at: Function,
    pub header: Header,
    pub bar_sizes: [u64; 6],
}

pub fn read(f: Function, register: u8) -> u32 {
    config_read(ConfigAddress::new(f, register).bits())
}

/// # Safety
/// As `arch::x86::pci::config_write`.
pub unsafe fn write(f: Function, register: u8, value: u32) {
    // SAFETY: forwarded to the caller.
    unsafe { config_write(ConfigAddress::new(f, register).bits(), value) }
}

/// The command register.
pub fn command(f: Function) -> Command {
    Command::from_bits_retain(read(f, REG_COMMAND) as u16)
}

/// Sets the command register, leaving the status half alone (its bits are
/// write-one-to-clear, so zeros are written there).
///
/// # Safety
/// BUS_MASTER only once the driver owns what the device may reach.
pub unsafe fn set_command(f: Function, c: Command) {
    // SAFETY: forwarded to the caller.
    unsafe { write(f, REG_COMMAND, u32::from(c.bits())) }
}

fn header(f: Function) -> Option<Header> {
    let mut regs = [0u32; 16];
    regs[0] = read(f, 0);
    if regs[0] as u16 == super::pci::NO_VENDOR {
        return None;
    }
    for (i, r) in regs.iter_mut().enumerate().skip(1) {
        *r = read(f, (i * 4) as u8);
    }
    Header::decode(&regs)
}

/// Each BAR's size: all ones written, what sticks read back, the old value
/// restored, with decoding off meanwhile so the device answers no stray
/// address.
fn bar_sizes(f: Function, h: &Header) -> [u64; 6] {
    let mut sizes = [0; 6];
    if h.bars.iter().all(Option::is_none) {
        return sizes;
    }
    let cmd = command(f);
    // SAFETY: decoding off and the BARs restored below: the device answers
    // nothing while its BARs hold the probe pattern; no driver runs yet.
    unsafe { set_command(f, cmd - (Command::IO_SPACE | Command::MEMORY_SPACE)) };
    for (i, bar) in h.bars.iter().enumerate() {
        let Some(bar) = *bar else { continue };
        let reg = REG_BAR0 + 4 * i as u8;
        let (old_lo, old_hi) = (read(f, reg), if bar.takes_two() { read(f, reg + 4) } else { 0 });
        // SAFETY: as above.
        unsafe {
            write(f, reg, u32::MAX);
            if bar.takes_two() {
                write(f, reg + 4, u32::MAX);
            }
        }
        let (lo, hi) = (read(f, reg), if bar.takes_two() { read(f, reg + 4) } else { 0 });
        // SAFETY: as above: the old addresses go back.
        unsafe {
            write(f, reg, old_lo);
            if bar.takes_two() {
                write(f, reg + 4, old_hi);
            }
        }
        sizes[i] = bar.size_from_mask(lo, hi);
    }
    // SAFETY: the command register as the BIOS left it.
    unsafe { set_command(f, cmd) };
    sizes
}

/// Every function on bus `bus` and the buses behind its bridges.
fn scan_bus(bus: u8, out: &mut Vec<Found>, depth: u32) {
    for device in 0..32 {
        for function in 0..8 {
            let at = Function { bus, device, function };
            let Some(h) = header(at) else {
                if function == 0 {
                    break;
                }
                continue;
            };
            out.push(Found { at, header: h, bar_sizes: bar_sizes(at, &h) });
            if h.kind == HeaderKind::PciBridge && depth < 8 {
                let secondary = (read(at, 0x18) >> 8) as u8;
                if secondary > bus {
                    scan_bus(secondary, out, depth + 1);
                }
            }
            if function == 0 && !h.multifunction {
                break;
            }
        }
    }
}

/// Every PCI function in the machine, bus 0 first.
pub fn scan() -> Vec<Found> {
    let mut out = Vec::new();
    scan_bus(0, &mut out, 0);
    out
}

/// The boot report: one line per function, its BARs indented below.
pub fn report(w: &mut impl fmt::Write, found: &[Found]) -> fmt::Result {
    for d in found {
        let h = &d.header;
        write!(w, "pci {} [{:04x}:{:04x}] {}", d.at, h.vendor, h.device, h.class_name())?;
        match (h.interrupt.pin, h.interrupt.line) {
            (Some(pin), Some(line)) => write!(w, ", IRQ {line} (INT{})", (b'A' + pin - 1) as char)?,
            (Some(pin), None) => write!(w, ", INT{} not routed", (b'A' + pin - 1) as char)?,
            _ => {}
        }
        writeln!(w)?;
        for (i, bar) in h.bars.iter().enumerate() {
            if let Some(bar) = bar {
                writeln!(w, "    BAR{i} {bar} ({})", Size(d.bar_sizes[i]))?;
            }
        }
    }
    Ok(())
}

/// The crate's view of configuration space: the same ports.
pub struct PortCam;

fn function_of(df: DeviceFunction) -> Function {
    Function { bus: df.bus, device: df.device, function: df.function }
}

impl ConfigurationAccess for PortCam {
    fn read_word(&self, df: DeviceFunction, register: u8) -> u32 {
        read(function_of(df), register)
    }

    fn write_word(&mut self, df: DeviceFunction, register: u8, data: u32) {
        // SAFETY: the crate writes the registers of the virtio function the
        // block driver gave it (its BARs while sizing them, and back).
        unsafe { write(function_of(df), register, data) }
    }

    unsafe fn unsafe_clone(&self) -> Self {
        PortCam
    }
}

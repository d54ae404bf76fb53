//! The two cascaded 8259A PICs, remapped so IRQ 0–15 arrive as vectors
//! 32–47 (the BIOS default, 8–15, collides with CPU exceptions). Written by
//! hand: the pic8259 crate does not build for 32-bit x86.
//!
//! Only the IRQs with a driver are unmasked: 0 (PIT), 2 (cascade), 4 (COM1),
//! and a PCI device's line once its driver is ready (`unmask`).

use super::instructions::{inb, outb};
use core::sync::atomic::{AtomicU32, Ordering};

pub const IRQ_BASE: u32 = 32;
const MASTER_CMD: u16 = 0x20;
const MASTER_DATA: u16 = 0x21;
const SLAVE_CMD: u16 = 0xA0;
const SLAVE_DATA: u16 = 0xA1;
const EOI: u8 = 0x20;
const OCW3_READ_ISR: u8 = 0x0B;

pub const IRQ_TIMER: u8 = 0;
pub const IRQ_CASCADE: u8 = 2;
pub const IRQ_COM1: u8 = 4;

/// Spurious interrupts seen on IRQ 7 and IRQ 15 (not acknowledged).
pub static SPURIOUS: AtomicU32 = AtomicU32::new(0);

pub const fn is_irq_vector(v: u32) -> bool {
    v >= IRQ_BASE && v < IRQ_BASE + 16
}

pub const fn irq_of_vector(v: u32) -> Option<u8> {
    if is_irq_vector(v) { Some((v - IRQ_BASE) as u8) } else { None }
}

/// Port writes go to slow ISA hardware: give it time between ICWs.
fn io_wait() {
    // SAFETY: port 0x80 is the POST diagnostic port; writing it is harmless.
    unsafe { outb(0x80, 0) };
}

/// Remaps both PICs to IRQ_BASE and masks every IRQ without a driver.
pub fn init() {
    // SAFETY: the 8259 command/data ports; this is the PIC driver.
    unsafe {
        outb(MASTER_CMD, 0x11); // ICW1: edge triggered, cascade, ICW4 follows
        io_wait();
        outb(SLAVE_CMD, 0x11);
        io_wait();
        outb(MASTER_DATA, IRQ_BASE as u8); // ICW2: vector offsets
        io_wait();
        outb(SLAVE_DATA, IRQ_BASE as u8 + 8);
        io_wait();
        outb(MASTER_DATA, 1 << IRQ_CASCADE); // ICW3: slave on IRQ 2
        io_wait();
        outb(SLAVE_DATA, IRQ_CASCADE); // ICW3: slave identity
        io_wait();
        outb(MASTER_DATA, 0x01); // ICW4: 8086 mode
        io_wait();
        outb(SLAVE_DATA, 0x01);
        io_wait();
        outb(MASTER_DATA, !(1u8 << IRQ_TIMER | 1 << IRQ_CASCADE | 1 << IRQ_COM1));
        outb(SLAVE_DATA, 0xFF);
    }
}

/// Lets IRQ `irq` through (a driver is ready for it). PCI lines are
/// level-triggered (the BIOS set them so in the chipset's ELCR): the
/// driver must quiet its device before the handler returns.
pub fn unmask(irq: u8) {
    if irq >= 16 {
        return;
    }
    let (port, bit) = if irq < 8 { (MASTER_DATA, irq) } else { (SLAVE_DATA, irq - 8) };
    // SAFETY: reading and writing the PIC's mask (OCW1) only changes which
    // lines reach the CPU; the caller's driver handles this one.
    unsafe { outb(port, inb(port) & !(1 << bit)) };
}

/// In-service register of the PIC at `cmd`.
fn in_service(cmd: u16) -> u8 {
    // SAFETY: OCW3 selects the ISR for the next read; no other effect.
    unsafe {
        outb(cmd, OCW3_READ_ISR);
        inb(cmd)
    }
}

fn end_of_interrupt(irq: u8) {
    // SAFETY: EOI to the PIC(s) that delivered this IRQ.
    unsafe {
        if irq >= 8 {
            outb(SLAVE_CMD, EOI);
        }
        outb(MASTER_CMD, EOI);
    }
}

/// Acknowledges IRQ `irq` so the PIC can deliver the next one; false if it
/// was spurious. IRQ 7 and 15 may be spurious (the line dropped before the
/// CPU acknowledged it): then the ISR bit is clear, nothing is in service,
/// and only the cascade of a spurious IRQ 15 wants its EOI.
pub fn acknowledge(irq: u8) -> bool {
    if irq == 7 && in_service(MASTER_CMD) & 0x80 == 0 {
        SPURIOUS.fetch_add(1, Ordering::Relaxed);
        return false;
    }
    if irq == 15 && in_service(SLAVE_CMD) & 0x80 == 0 {
        SPURIOUS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the master did see IRQ 2 (the cascade) and wants its EOI.
        unsafe { outb(MASTER_CMD, EOI) };
        return false;
    }
    end_of_interrupt(irq);
    true
}

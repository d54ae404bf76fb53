//! Device drivers for what sits on the PCI bus: the bus walk (`pci`, pure
//! decoding; `pci_scan`), and the virtio block device behind /dev/vda
//! (`blk`, with the byte-range arithmetic of block-device files in
//! `blkio`, pure).
//!
//! Layer: above mm (DMA frames, register mappings) and arch (ports, the
//! PIC); below fs and task. A driver that must sleep or wake tasks does it
//! through callbacks the task layer registers (`blk::set_waiters`).

pub mod blkio;
pub mod pci;

#[cfg(target_os = "none")]
pub mod blk;
#[cfg(target_os = "none")]
pub mod pci_scan;
#[cfg(target_os = "none")]
mod virtio_hal;

/// Walks the PCI buses, reports what is there on `w`, and starts the
/// drivers for what it knows (the first virtio disk).
#[cfg(target_os = "none")]
pub fn init(w: &mut impl core::fmt::Write) {
    let found = pci_scan::scan();
    let _ = pci_scan::report(w, &found);
    blk::probe(&found);
}

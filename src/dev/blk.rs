//! The virtio block device (virtio 1.1 §5.2) behind /dev/vda, through the
//! virtio-drivers crate's modern PCI transport (QEMU's `-drive if=virtio`
//! is a transitional device: both interfaces; the crate speaks the modern
//! one, through BAR4).
//!
//! Requests complete by interrupt. A task takes one of `SLOTS` request
//! slots (each a header, a status byte and a one-page buffer in DMA
//! memory), queues the request and sleeps; the device's IRQ (its PCI
//! interrupt line, routed by the BIOS to the 8259) marks the slot done and
//! wakes the sleepers, so other tasks run meanwhile. A slot moves
//!
//! ```text
//!   Free ──take──▶ Held ──submit──▶ InFlight ──IRQ──▶ Done ──collect──▶ Held ──release──▶ Free
//! ```
//! and only its holder touches its buffer while Held. A device error
//! (status IOERR or UNSUPP) fails that one request, is logged as Linux logs
//! it, and becomes EIO for the caller; nothing here panics for the device.
//!
//! Waiting is uninterruptible, as Linux's D state: a signal's wake-up finds
//! the request still in flight and sleeps again, since the device still
//! owns the buffer. How a task sleeps and is woken comes from the task
//! layer (`set_waiters`); without it (a test kernel) the CPU halts until
//! the next interrupt.

use super::blkio::{self, Piece, SECTOR_SIZE};
use super::pci::{Command, Function};
use super::pci_scan::{self, Found, PortCam};
use super::virtio_hal::{KernelHal, buffer_frame};
use crate::arch::x86::instructions::wait_for_interrupt;
use spin::{Mutex, Once};
use virtio_drivers::device::blk::{BlkReq, BlkResp, VirtIOBlk};
use virtio_drivers::transport::pci::PciTransport;
use virtio_drivers::transport::pci::bus::{DeviceFunction, PciRoot};

/// Linux's virtblk registers a dynamic block major; Debian's 6.1 kernel
/// gives it 254 (the first free one from the top), and /dev/vda is minor 0
/// (16 minors per disk, for its partitions).
pub const VIRTBLK_MAJOR: u32 = 254;
/// Requests in flight at once: each takes 3 of the queue's 16 descriptors.
const SLOTS: usize = 5;
const VIRTIO_VENDOR: u16 = 0x1af4;
/// Device ids of a virtio block device: transitional, and modern (0x1040 + 2).
const VIRTIO_BLK_IDS: [u16; 2] = [0x1001, 0x1042];

/// Why a transfer failed; every one is EIO for the program.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum IoError {
    /// The device answered the request with an error status.
    Device,
    /// The request could not be queued.
    Queue,
    /// No disk.
    NoDevice,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    Read,
    Write,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum SlotState {
    Free,
    Held,
    /// `data`: the slot's own page, or the caller's DMA memory (`submit_dma`).
    InFlight {
        token: u16,
        op: Op,
        sector: u64,
        data: *mut u8,
        len: usize,
    },
    Done(Result<(), IoError>),
}

struct Slot {
    state: SlotState,
    /// One page of low memory: the request's data.
    data: *mut u8,
    req: *mut BlkReq,
    resp: *mut BlkResp,
}

/// What a disk is, readable without taking the driver's lock.
#[derive(Clone, Copy, Debug)]
pub struct DiskInfo {
    pub at: Function,
    pub irq: u8,
    /// Capacity in 512-byte sectors.
    pub sectors: u64,
    pub read_only: bool,
}

impl DiskInfo {
    pub fn bytes(&self) -> u64 {
        self.sectors * SECTOR_SIZE
    }
}

struct Disk {
    blk: VirtIOBlk<KernelHal, PciTransport>,
    irq: u8,
    slots: [Slot; SLOTS],
    interrupts: u64,
    errors: u64,
}

// SAFETY: the raw pointers name DMA frames owned by the driver for ever;
// the one CPU reaches them only through the DISK lock or as a slot's holder.
unsafe impl Send for Disk {}

static DISK: Mutex<Option<Disk>> = Mutex::new(None);
static INFO: Once<DiskInfo> = Once::new();
/// How a task waits for the disk, and how the waiters are woken.
struct Waiters {
    sleep: fn(),
    wake: fn(),
}
static WAITERS: Once<Waiters> = Once::new();

/// The task layer's sleep (until a `wake`) and wake-all for disk waiters.
pub fn set_waiters(sleep: fn(), wake: fn()) {
    WAITERS.call_once(|| Waiters { sleep, wake });
}

fn sleep() {
    match WAITERS.get() {
        Some(w) => (w.sleep)(),
        None => wait_for_interrupt(),
    }
}

fn wake() {
    if let Some(w) = WAITERS.get() {
        (w.wake)();
    }
}

/// The disk, if the driver found one.
pub fn info() -> Option<DiskInfo> {
    INFO.get().copied()
}

/// The device number of /dev/vda.
pub const fn vda_rdev() -> u32 {
    VIRTBLK_MAJOR << 8
}

/// Starts the first virtio block device among `found`, if any: maps its
/// registers, lets it master the bus, negotiates, sets up its queue and
/// unmasks its IRQ. A device that cannot be started is reported and left
/// alone: the kernel runs without a disk.
pub fn probe(found: &[Found]) {
    let Some(d) = found.iter().find(|d| d.header.vendor == VIRTIO_VENDOR && VIRTIO_BLK_IDS.contains(&d.header.device))
    else {
        return;
    };
    match start(d) {
        Ok(info) => {
            log::info!(
                "virtio_blk {}: [vda] {} 512-byte logical blocks ({} MiB){}, IRQ {}",
                info.at,
                info.sectors,
                info.bytes() >> 20,
                if info.read_only { ", read-only" } else { "" },
                info.irq
            );
            INFO.call_once(|| info);
        }
        Err(why) => log::error!("virtio_blk {}: not started: {why}", d.at),
    }
}

fn start(d: &Found) -> Result<DiskInfo, &'static str> {
    let irq = d.header.interrupt.line.filter(|_| d.header.interrupt.pin.is_some()).ok_or("no interrupt line")?;
    for (bar, size) in d.header.bars.iter().zip(d.bar_sizes) {
        if let Some(bar) = bar.filter(|b| b.is_memory()) {
            crate::mm::mmio::map(bar.address(), size as u32).map_err(|_| "a memory BAR cannot be mapped")?;
        }
    }
    let cmd = pci_scan::command(d.at) | Command::MEMORY_SPACE | Command::IO_SPACE | Command::BUS_MASTER;
    // SAFETY: the device does nothing by itself until the crate gives it
    // queues, which live in frames this driver owns.
    unsafe { pci_scan::set_command(d.at, cmd - Command::INTX_DISABLE) };
    let mut root = PciRoot::new(PortCam);
    let df = DeviceFunction { bus: d.at.bus, device: d.at.device, function: d.at.function };
    let transport = PciTransport::new::<KernelHal, _>(&mut root, df).map_err(|_| "not a modern virtio device")?;
    let mut blk = VirtIOBlk::<KernelHal, _>::new(transport).map_err(|_| "setup failed")?;
    blk.enable_interrupts();
    let (_, headers) = buffer_frame().ok_or("out of memory")?;
    let mut slots = [const {
        Slot {
            state: SlotState::Free,
            data: core::ptr::null_mut(),
            req: core::ptr::null_mut(),
            resp: core::ptr::null_mut(),
        }
    }; SLOTS];
    for (i, s) in slots.iter_mut().enumerate() {
        s.data = buffer_frame().ok_or("out of memory")?.1;
        // SAFETY: 32 bytes per slot in the headers frame (SLOTS * 32 <
        // 4096): the request header (16 bytes, 8-aligned) then the status.
        unsafe {
            s.req = headers.add(i * 32) as *mut BlkReq;
            s.resp = headers.add(i * 32 + 16) as *mut BlkResp;
            s.req.write(BlkReq::default());
            s.resp.write(BlkResp::default());
        }
    }
    let info = DiskInfo { at: d.at, irq, sectors: blk.capacity().min(u64::from(u32::MAX)), read_only: blk.readonly() };
    *DISK.lock() = Some(Disk { blk, irq, slots, interrupts: 0, errors: 0 });
    crate::arch::x86::pic::unmask(irq);
    Ok(info)
}

/// The device's IRQ: collects every finished request and wakes the
/// waiters. False if `irq` is not the disk's.
pub fn on_interrupt(irq: u8) -> bool {
    {
        let mut g = DISK.lock();
        let Some(d) = g.as_mut().filter(|d| d.irq == irq) else { return false };
        // Reading the ISR status lowers the (level-triggered) line.
        let _ = d.blk.ack_interrupt();
        d.interrupts += 1;
        d.collect();
    }
    wake();
    true
}

impl Disk {
    /// Moves every request the device has finished to Done.
    fn collect(&mut self) {
        while let Some(token) = self.blk.peek_used() {
            let Some(i) =
                self.slots.iter().position(|s| matches!(s.state, SlotState::InFlight { token: t, .. } if t == token))
            else {
                log::error!("virtio_blk: the device finished request {token}, which is not in flight");
                return;
            };
            let SlotState::InFlight { op, sector, data, len, .. } = self.slots[i].state else { return };
            let s = &self.slots[i];
            // SAFETY: the same buffers the request was queued with, owned
            // by this slot (or lent to it by `submit_dma`'s caller); the
            // device is done with them.
            let r = unsafe {
                let data = core::slice::from_raw_parts_mut(data, len);
                match op {
                    Op::Read => self.blk.complete_read_blocks(token, &*s.req, data, &mut *s.resp),
                    Op::Write => self.blk.complete_write_blocks(token, &*s.req, data, &mut *s.resp),
                }
            };
            let r = r.map_err(|_| IoError::Device);
            if r.is_err() {
                self.errors += 1;
                // As Linux's blk_print_req_error says it.
                log::error!(
                    "I/O error, dev vda, sector {sector} op {}:({}) flags 0x0 phys_seg 1 prio class 0",
                    if op == Op::Read { "0x0" } else { "0x1" },
                    if op == Op::Read { "READ" } else { "WRITE" }
                );
            }
            self.slots[i].state = SlotState::Done(r);
        }
    }

    /// Queues the held slot `i`'s request for `sectors` sectors at `sector`
    /// on its own page.
    fn submit(&mut self, i: usize, op: Op, sector: u64, sectors: u32) -> Result<(), IoError> {
        let data = self.slots[i].data;
        self.submit_on(i, op, sector, data, sectors as usize * SECTOR_SIZE as usize)
    }

    /// Queues the held slot `i`'s request for `len` bytes at `sector`, on
    /// `data`: the slot's page, or DMA memory lent by `submit_dma`'s caller.
    fn submit_on(&mut self, i: usize, op: Op, sector: u64, data: *mut u8, len: usize) -> Result<(), IoError> {
        let s = &mut self.slots[i];
        // SAFETY: the slot is held, so its header, status and buffer are
        // ours; from here until `collect` they belong to the device, and
        // nothing touches them (the holder waits for Done; `submit_dma`'s
        // caller promised the same for its memory).
        let token = unsafe {
            let data = core::slice::from_raw_parts_mut(data, len);
            match op {
                Op::Read => self.blk.read_blocks_nb(sector as usize, &mut *s.req, data, &mut *s.resp),
                Op::Write => self.blk.write_blocks_nb(sector as usize, &mut *s.req, data, &mut *s.resp),
            }
        };
        let token = token.map_err(|_| IoError::Queue)?;
        s.state = SlotState::InFlight { token, op, sector, data, len };
        Ok(())
    }
}

/// Queues a transfer of `len` bytes (whole sectors) between `buf` and the
/// disk at byte `offset`, without waiting: swap's batches and read-ahead
/// windows. `buf` must be direct-mapped, physically contiguous memory
/// that nothing touches until `poll_dma` reports the request done (a
/// write's may be read). Returns the request's id, or `None` if no request
/// slot is free (or there is no disk, or the queue refused it).
pub fn submit_dma(write: bool, offset: u64, buf: *mut u8, len: usize) -> Option<u32> {
    let mut g = DISK.lock();
    let d = g.as_mut()?;
    let i = d.slots.iter().position(|s| s.state == SlotState::Free)?;
    d.slots[i].state = SlotState::Held;
    let op = if write { Op::Write } else { Op::Read };
    match d.submit_on(i, op, offset / SECTOR_SIZE, buf, len) {
        Ok(()) => Some(i as u32),
        Err(_) => {
            d.slots[i].state = SlotState::Free;
            None
        }
    }
}

/// Request `id`'s outcome (true: done without error) once the device
/// finished it, freeing its slot; `None` while it is in flight.
pub fn poll_dma(id: u32) -> Option<bool> {
    let ok = {
        let mut g = DISK.lock();
        let s = g.as_mut()?.slots.get_mut(id as usize)?;
        let SlotState::Done(r) = s.state else { return None };
        s.state = SlotState::Free;
        r.is_ok()
    };
    // A task may be waiting for a free slot.
    wake();
    Some(ok)
}

/// Swap's page I/O (registered in main.rs: mm is below dev).
pub const SWAP_IO: crate::mm::swap::io::Io =
    crate::mm::swap::io::Io { submit: submit_dma, poll: poll_dma, wait: sleep };

/// A held slot and its buffer page; released (and slot waiters woken)
/// when dropped.
struct Held(usize, *mut u8);

impl Held {
    /// Waits for a free slot and takes it.
    fn take() -> Result<Held, IoError> {
        loop {
            {
                let mut g = DISK.lock();
                let d = g.as_mut().ok_or(IoError::NoDevice)?;
                if let Some(i) = d.slots.iter().position(|s| s.state == SlotState::Free) {
                    d.slots[i].state = SlotState::Held;
                    return Ok(Held(i, d.slots[i].data));
                }
            }
            sleep();
        }
    }

    /// Runs one request on this slot's buffer and waits for it.
    fn run(&self, op: Op, sector: u64, sectors: u32) -> Result<(), IoError> {
        DISK.lock().as_mut().ok_or(IoError::NoDevice)?.submit(self.0, op, sector, sectors)?;
        loop {
            {
                let mut g = DISK.lock();
                let slot = &mut g.as_mut().ok_or(IoError::NoDevice)?.slots[self.0];
                if let SlotState::Done(r) = slot.state {
                    slot.state = SlotState::Held;
                    return r;
                }
            }
            sleep();
        }
    }

    /// The slot's buffer page.
    fn buffer(&mut self) -> &mut [u8] {
        // SAFETY: a held slot's page is its holder's alone (no request on
        // it is in flight), and `&mut self` makes this the only view.
        unsafe { core::slice::from_raw_parts_mut(self.1, 4096) }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if let Some(d) = DISK.lock().as_mut() {
            d.slots[self.0].state = SlotState::Free;
        }
        wake();
    }
}

/// Reads disk bytes at `offset` into `buf` (cut at the end of the disk).
/// Sleeps while the device works. Returns how many bytes arrived, and the
/// error that stopped it short, if one did.
pub fn read_at(offset: u64, buf: &mut [u8]) -> (usize, Result<(), IoError>) {
    let Some(info) = info() else { return (0, Err(IoError::NoDevice)) };
    let n = blkio::clip_read(offset, buf.len() as u64, info.bytes());
    let mut done = 0;
    for p in blkio::pieces(offset, n) {
        let len = p.len as usize;
        let r = Held::take().and_then(|mut slot| {
            slot.run(Op::Read, p.sector, p.sectors)?;
            buf[done..done + len].copy_from_slice(&slot.buffer()[p.skip as usize..][..len]);
            Ok(())
        });
        if r.is_err() {
            return (done, r);
        }
        done += len;
    }
    (done, Ok(()))
}

/// Writes `data` to the disk at `offset`; the caller clipped it to the
/// disk (`blkio::clip_write`). A piece that covers sectors in part is read
/// first, patched and written back. Returns how many bytes were written,
/// and the error that stopped it short, if one did.
pub fn write_at(offset: u64, data: &[u8]) -> (usize, Result<(), IoError>) {
    let mut done = 0;
    for p in blkio::pieces(offset, data.len() as u64) {
        if let Err(e) = write_piece(&p, &data[done..done + p.len as usize]) {
            return (done, Err(e));
        }
        done += p.len as usize;
    }
    (done, Ok(()))
}

fn write_piece(p: &Piece, bytes: &[u8]) -> Result<(), IoError> {
    let mut slot = Held::take()?;
    if !p.whole_sectors() {
        slot.run(Op::Read, p.sector, p.sectors)?;
    }
    slot.buffer()[p.skip as usize..][..bytes.len()].copy_from_slice(bytes);
    slot.run(Op::Write, p.sector, p.sectors)
}

/// fsync: every write already waited for the device to finish it, so
/// nothing is left in flight. The device's own volatile cache is not
/// flushed: the crate's `flush` builds its request on the kernel stack,
/// which is not DMA memory here (QEMU writes its image back at exit).
pub fn sync() -> Result<(), IoError> {
    info().map(|_| ()).ok_or(IoError::NoDevice)
}

/// Counters for reports: (interrupts, errors).
pub fn counters() -> (u64, u64) {
    DISK.lock().as_ref().map_or((0, 0), |d| (d.interrupts, d.errors))
}

const _: () = assert!(SLOTS * 32 <= 4096 && SLOTS * 3 <= 16 && core::mem::size_of::<BlkReq>() == 16);

//! Swap: pages of private and shared anonymous memory that live on a disk
//! while RAM is short. The pure parts — the header (`header`), the slot
//! map (`slots`), the clock's decision (`clock`), the I/O buffers'
//! bookkeeping (`pool`) — are host-tested; the area and the swap cache
//! (`area`) and the batched, interrupt-driven page I/O (`io`) are for the
//! kernel target;
//! the clock's walk over an address space is `mm::swapout`. The swap entry itself is `pte::PageTableEntry::swapped`.

pub mod clock;
pub mod header;
pub mod pool;
pub mod slots;

#[cfg(target_os = "none")]
pub mod area;
#[cfg(target_os = "none")]
pub mod io;

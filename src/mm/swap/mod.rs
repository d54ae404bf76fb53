//! Swap: pages of private and shared anonymous memory that live on a disk
//! while RAM is short. The pure parts — the header (`header`), the slot
//! map (`slots`), the clock's decision (`clock`) — are host-tested; the
//! area, the swap cache and the page I/O are in `area` (kernel target);
//! the clock's walk over an address space is `mm::swapout`. The swap entry itself is `pte::PageTableEntry::swapped`.

pub mod clock;
pub mod header;
pub mod slots;

#[cfg(target_os = "none")]
pub mod area;

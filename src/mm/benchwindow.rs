//! The page-fault window of `make bench`'s limit column (`mg_limits`
//! ARM/DISARM, only with `bench` on the command line): present pages whose
//! entries are taken out of the page table and kept by
//! `arch::x86::benchgate`, so that each page's next ring-3 fault costs only
//! the CPU's fault delivery, a table walk, one store and an `iret`.
//!
//! While armed, an armed page's PTE is simply empty, a state every other
//! part of mm understands (a fresh page), and its frame reference is held by
//! the saved entry; the fault that puts the entry back zeroes the saved one,
//! handing the reference to the PTE. Disarming (or dropping the address
//! space) settles each page with `settle`: back in place already, put back,
//! or — if the program unmapped or remapped the page meanwhile — the saved
//! reference dropped.

use super::addr::PAGE_SIZE;
use super::layout::USER_END;
use super::pte::{PageTableEntry, PteFlags};

/// Why a window was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WindowError {
    /// Not page-aligned, empty, too long or not in the user half.
    BadRange,
    /// A page is not a present, private, anonymous, writable page.
    NotPlainPage,
    /// A window is armed already.
    Busy,
    /// No window of this address space is armed.
    NotArmed,
}

/// The number of pages in [start, start + len), or why it cannot be a
/// window of at most `max_pages`.
pub fn window_pages(start: u32, len: u32, max_pages: u32) -> Result<u32, WindowError> {
    let end = start.checked_add(len).ok_or(WindowError::BadRange)?;
    if !start.is_multiple_of(PAGE_SIZE)
        || !len.is_multiple_of(PAGE_SIZE)
        || len == 0
        || end > USER_END
        || len / PAGE_SIZE > max_pages
    {
        return Err(WindowError::BadRange);
    }
    Ok(len / PAGE_SIZE)
}

/// Whether an entry may be armed: present, writable and ring-3, and an
/// ordinary frame of the process's own (not the zero frame, not
/// copy-on-write, not a file's page).
pub fn armable(e: PageTableEntry) -> bool {
    let f = e.flags();
    f.contains(PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::USER)
        && !f.intersects(PteFlags::COW | PteFlags::ZERO | PteFlags::FILE)
}

/// What becomes of one armed page when its window is settled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Settle {
    /// A fault put the saved entry back: the PTE holds the reference.
    AlreadyBack,
    /// Still empty, and its region still a private writable anonymous one:
    /// put the saved entry back.
    PutBack,
    /// The page was unmapped, remapped or made otherwise meanwhile: the
    /// saved entry's frame reference is dropped.
    Release,
}

/// Decides one page: `saved` is its saved entry (empty once a fault put it
/// back), `now` its PTE (None without a page table), `plain_region`
/// whether a private, anonymous, writable region still covers it.
pub fn settle(saved: PageTableEntry, now: Option<PageTableEntry>, plain_region: bool) -> Settle {
    match now {
        _ if saved.is_unused() => Settle::AlreadyBack,
        Some(e) if e.is_unused() && plain_region => Settle::PutBack,
        _ => Settle::Release,
    }
}

#[cfg(target_os = "none")]
pub use kernel::{arm, disarm};

#[cfg(target_os = "none")]
mod kernel {
    use super::super::addr::{PAGE_SIZE, VirtAddr};
    use super::super::paging::release_mapped;
    use super::super::pte::PageTableEntry;
    use super::super::user::UserMemory;
    use super::super::vma::Backing;
    use super::{Settle, WindowError, armable, settle, window_pages};
    use crate::arch::x86::benchgate::{self, ArmError, DIRECT_MAP_BASE, DIRECT_MAP_BYTES, WINDOW_MAX_PAGES};
    use alloc::vec::Vec;

    // The gate's stub reads page tables through the kernel's direct map.
    const _: () = assert!(DIRECT_MAP_BASE == super::super::layout::KERNEL_BASE);
    const _: () = assert!(DIRECT_MAP_BYTES == super::super::layout::LOW_MEMORY_END);

    fn plain_region(mem: &UserMemory, va: u32) -> bool {
        mem.map.find(va).is_some_and(|r| matches!(r.backing, Backing::Anonymous) && r.prot.writable())
    }

    /// Arms the window over [start, start + len) of `mem`, which must be the
    /// loaded address space: every page is checked first, then each entry is
    /// emptied (and flushed) and handed to the gate.
    pub fn arm(mem: &mut UserMemory, start: u32, len: u32) -> Result<(), WindowError> {
        let pages = window_pages(start, len, WINDOW_MAX_PAGES)?;
        if benchgate::armed() {
            return Err(WindowError::Busy);
        }
        let vas = (0..pages).map(|i| start + i * PAGE_SIZE);
        if !vas.clone().all(|va| plain_region(mem, va) && mem.space.entry(VirtAddr::new(va)).is_some_and(armable)) {
            return Err(WindowError::NotPlainPage);
        }
        let mut saved = Vec::with_capacity(pages as usize);
        for va in vas.clone() {
            let old =
                mem.space.set_entry(VirtAddr::new(va), PageTableEntry::EMPTY).map_err(|_| WindowError::NotPlainPage)?;
            saved.push(old.raw());
        }
        let cr3 = mem.space.directory_frame().start().as_u32();
        match benchgate::arm(cr3, start, &saved) {
            Ok(()) => Ok(()),
            Err(e) => {
                // Put everything back as it was: the window never existed.
                for (va, &raw) in vas.zip(&saved) {
                    let _ = mem.space.set_entry(VirtAddr::new(va), PageTableEntry::from_raw(raw));
                }
                Err(match e {
                    ArmError::Busy => WindowError::Busy,
                    ArmError::TooLarge => WindowError::BadRange,
                })
            }
        }
    }

    /// Disarms `mem`'s window and settles every page; returns how many the
    /// fast path had put back.
    pub fn disarm(mem: &mut UserMemory) -> Result<u32, WindowError> {
        let cr3 = mem.space.directory_frame().start().as_u32();
        let w = benchgate::disarm(cr3).ok_or(WindowError::NotArmed)?;
        let mut back = 0;
        for i in 0..w.pages {
            let va = VirtAddr::new(w.start + i * PAGE_SIZE);
            let saved = PageTableEntry::from_raw(w.saved(i));
            match settle(saved, mem.space.entry(va), plain_region(mem, va.as_u32())) {
                Settle::AlreadyBack => back += 1,
                Settle::PutBack => {
                    if mem.space.set_entry(va, saved).is_err() {
                        let _ = release_mapped(saved);
                    }
                }
                Settle::Release => {
                    let _ = release_mapped(saved);
                }
            }
        }
        Ok(back)
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use crate::mm::addr::Frame;

    #[test]
    fn windows_are_whole_pages_in_the_user_half() {
        assert_eq!(window_pages(0x1000_0000, 0x4000, 8), Ok(4));
        assert_eq!(window_pages(0x1000_0001, 0x4000, 8), Err(WindowError::BadRange));
        assert_eq!(window_pages(0x1000_0000, 0x4001, 8), Err(WindowError::BadRange));
        assert_eq!(window_pages(0x1000_0000, 0, 8), Err(WindowError::BadRange));
        assert_eq!(window_pages(0x1000_0000, 0x9000, 8), Err(WindowError::BadRange));
        assert_eq!(window_pages(USER_END - 0x1000, 0x1000, 8), Ok(1));
        assert_eq!(window_pages(USER_END, 0x1000, 8), Err(WindowError::BadRange));
        assert_eq!(window_pages(0xffff_f000, 0x2000, 8), Err(WindowError::BadRange));
    }

    #[test]
    fn only_plain_writable_pages_are_armed() {
        let rw = PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::USER;
        let f = Frame::from_number(0x345);
        assert!(armable(PageTableEntry::new(f, rw | PteFlags::DIRTY)));
        assert!(!armable(PageTableEntry::new(f, PteFlags::PRESENT | PteFlags::USER)));
        assert!(!armable(PageTableEntry::new(f, rw - PteFlags::USER)));
        for os_bit in [PteFlags::COW, PteFlags::ZERO, PteFlags::FILE] {
            assert!(!armable(PageTableEntry::new(f, rw | os_bit)));
        }
        assert!(!armable(PageTableEntry::EMPTY));
        assert!(!armable(PageTableEntry::swapped(7)));
    }

    #[test]
    fn settling_never_leaves_two_owners() {
        let rw = PteFlags::PRESENT | PteFlags::WRITABLE | PteFlags::USER;
        let saved = PageTableEntry::new(Frame::from_number(0x345), rw);
        let other = PageTableEntry::new(Frame::from_number(0x999), rw);
        let gone = PageTableEntry::EMPTY;
        // Put back by a fault: the PTE (or whoever unmapped it since) owns
        // the frame, whatever is there now.
        for now in [Some(saved), Some(gone), Some(other), None] {
            assert_eq!(settle(gone, now, true), Settle::AlreadyBack);
            assert_eq!(settle(gone, now, false), Settle::AlreadyBack);
        }
        assert_eq!(settle(saved, Some(gone), true), Settle::PutBack);
        // Unmapped meanwhile (no region, or the table itself gone), or a new
        // page faulted in over it: the saved frame is let go.
        assert_eq!(settle(saved, Some(gone), false), Settle::Release);
        assert_eq!(settle(saved, None, true), Settle::Release);
        assert_eq!(settle(saved, Some(other), true), Settle::Release);
        assert_eq!(settle(saved, Some(PageTableEntry::swapped(3)), true), Settle::Release);
    }
}

//! The clock (second-chance) decision for one resident page, from the bits
//! the CPU keeps in its page-table entry. Pure.
//!
//! | page                                   | Accessed | Dirty | verdict          |
//! |----------------------------------------|----------|-------|------------------|
//! | zero frame, a file's frame, not user's | any      | any   | keep (never swap)|
//! | shared memory                          | set      | any   | second chance    |
//! | shared memory                          | clear    | any   | unmap            |
//! | private                                | set      | any   | second chance    |
//! | private, swap copy still valid         | clear    | clear | drop, no write   |
//! | private                                | clear    | —     | write out        |
//!
//! A second chance clears Accessed (and flushes the TLB entry, or the CPU
//! would not set it again); a page whose Accessed bit is still clear when
//! the hand comes round again was not used in a whole turn.

use crate::mm::pte::{PageTableEntry, PteFlags};

/// What the page is, as far as the clock cares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PageKind {
    /// Private anonymous memory (or a private copy of a file's page).
    Private,
    /// A page of a shared object (MAP_SHARED anonymous memory): the entry
    /// can go; the object decides about the frame.
    Shared,
    /// Anything that must stay: a file's own frame, the zero frame.
    Pinned,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Verdict {
    Keep,
    /// Used since the last pass: clear Accessed, flush, look again later.
    SecondChance,
    /// Not used, and the swap slot still holds exactly this page: point
    /// the entry at the slot and free the frame, with no write.
    DropClean,
    /// Not used: write it to a slot, then point the entry at it.
    WriteOut,
    /// Not used, a shared object's page: just remove this entry.
    Unmap,
}

/// The kind of page `e` maps in a region that is `shared` (MAP_SHARED
/// anonymous) or `file_shared` (a shared mapping of a file).
pub fn kind(e: PageTableEntry, shared: bool, file_shared: bool) -> PageKind {
    if !e.is_present() || e.flags().intersects(PteFlags::ZERO | PteFlags::FILE) || file_shared {
        PageKind::Pinned
    } else if shared {
        PageKind::Shared
    } else {
        PageKind::Private
    }
}

/// The verdict for a present page of `kind`; `cached`: its frame still
/// matches a swap slot (the swap cache).
pub fn verdict(e: PageTableEntry, kind: PageKind, cached: bool) -> Verdict {
    let f = e.flags();
    match kind {
        PageKind::Pinned => Verdict::Keep,
        _ if f.contains(PteFlags::ACCESSED) => Verdict::SecondChance,
        PageKind::Shared => Verdict::Unmap,
        PageKind::Private if cached && !f.contains(PteFlags::DIRTY) => Verdict::DropClean,
        PageKind::Private => Verdict::WriteOut,
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use crate::mm::addr::Frame;

    fn pte(extra: PteFlags) -> PageTableEntry {
        PageTableEntry::new(Frame::from_number(0x500), PteFlags::PRESENT | PteFlags::USER | extra)
    }

    #[test]
    fn the_table() {
        let (a, d) = (PteFlags::ACCESSED, PteFlags::DIRTY);
        let p = PageKind::Private;
        assert_eq!(verdict(pte(a | d), p, true), Verdict::SecondChance);
        assert_eq!(verdict(pte(a), p, false), Verdict::SecondChance);
        assert_eq!(verdict(pte(PteFlags::empty()), p, true), Verdict::DropClean);
        assert_eq!(verdict(pte(d), p, true), Verdict::WriteOut, "written since it came back");
        assert_eq!(verdict(pte(PteFlags::empty()), p, false), Verdict::WriteOut);
        assert_eq!(verdict(pte(a), PageKind::Shared, false), Verdict::SecondChance);
        assert_eq!(verdict(pte(d), PageKind::Shared, false), Verdict::Unmap);
        assert_eq!(verdict(pte(PteFlags::empty()), PageKind::Pinned, false), Verdict::Keep);
    }

    #[test]
    fn zero_and_file_frames_are_never_swapped() {
        assert_eq!(kind(pte(PteFlags::ZERO), false, false), PageKind::Pinned);
        assert_eq!(kind(pte(PteFlags::FILE | PteFlags::COW), false, false), PageKind::Pinned);
        assert_eq!(kind(pte(PteFlags::WRITABLE), false, true), PageKind::Pinned, "a tmpfs file's own page");
        assert_eq!(kind(pte(PteFlags::WRITABLE), true, false), PageKind::Shared);
        assert_eq!(kind(pte(PteFlags::WRITABLE), false, false), PageKind::Private);
        assert_eq!(kind(PageTableEntry::swapped(5), false, false), PageKind::Pinned, "not resident");
    }
}

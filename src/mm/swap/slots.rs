//! The swap area's slot map (Linux's `swap_map`): one count per slot, the
//! number of references to the page stored there — page-table entries
//! (several after fork), a shared-memory object's entry, and one for the
//! swap cache while a resident frame still matches the slot. A slot is
//! free at zero. Slot 0 (the header) and bad slots are never handed out.
//! Allocation is next-fit from a cursor, so pages written together lie
//! together on the disk. Pure.

use alloc::vec::Vec;

const BAD: u16 = u16::MAX;

pub struct SlotMap {
    counts: Vec<u16>,
    /// Slots in use (count > 0, not bad).
    used: u32,
    good: u32,
    cursor: u32,
}

impl SlotMap {
    /// Slots 1..=last_page, but for `bad`.
    pub fn new(last_page: u32, bad: &[u32]) -> SlotMap {
        let mut counts = alloc::vec![0u16; last_page as usize + 1];
        counts[0] = BAD;
        for &b in bad {
            counts[b as usize] = BAD;
        }
        let good = counts.iter().filter(|&&c| c == 0).count() as u32;
        SlotMap { counts, used: 0, good, cursor: 1 }
    }

    /// A free slot, now with one reference; `None` when the area is full.
    pub fn alloc(&mut self) -> Option<u32> {
        if self.used == self.good {
            return None;
        }
        let n = self.counts.len() as u32;
        for i in 0..n {
            let s = (self.cursor + i) % n;
            if self.counts[s as usize] == 0 {
                self.counts[s as usize] = 1;
                self.used += 1;
                self.cursor = s + 1;
                return Some(s);
            }
        }
        None
    }

    /// One more reference to an allocated slot (fork copies an entry).
    /// False if the slot is not allocated or its count would overflow.
    pub fn dup(&mut self, slot: u32) -> bool {
        match self.counts.get_mut(slot as usize) {
            Some(c) if *c != 0 && *c < BAD - 1 => {
                *c += 1;
                true
            }
            _ => false,
        }
    }

    /// Drops one reference; returns the references left (0: the slot is
    /// free again), or `None` for a slot that was not allocated.
    pub fn put(&mut self, slot: u32) -> Option<u16> {
        let c = self.counts.get_mut(slot as usize).filter(|c| **c != 0 && **c != BAD)?;
        *c -= 1;
        if *c == 0 {
            self.used -= 1;
        }
        Some(*c)
    }

    pub fn count(&self, slot: u32) -> u16 {
        match self.counts.get(slot as usize) {
            Some(&BAD) | None => 0,
            Some(&c) => c,
        }
    }

    /// Slots that can hold a page.
    pub fn total(&self) -> u32 {
        self.good
    }

    pub fn used(&self) -> u32 {
        self.used
    }

    pub fn free(&self) -> u32 {
        self.good - self.used
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn never_hands_out_the_header_or_bad_slots() {
        let mut m = SlotMap::new(4, &[2]);
        assert_eq!(m.total(), 3);
        let got: Vec<u32> = core::iter::from_fn(|| m.alloc()).collect();
        assert_eq!(got, [1, 3, 4]);
        assert_eq!((m.used(), m.free()), (3, 0));
        assert_eq!(m.put(0), None);
        assert_eq!(m.put(2), None);
    }

    #[test]
    fn shared_slots_free_on_the_last_reference() {
        let mut m = SlotMap::new(10, &[]);
        let s = m.alloc().unwrap();
        assert!(m.dup(s));
        assert_eq!(m.count(s), 2);
        assert_eq!(m.put(s), Some(1));
        assert_eq!(m.used(), 1);
        assert_eq!(m.put(s), Some(0));
        assert_eq!((m.used(), m.free()), (0, 10));
        assert_eq!(m.put(s), None, "a double free is refused");
        assert!(!m.dup(s), "so is a reference to a free slot");
    }

    #[test]
    fn next_fit_wraps_around() {
        let mut m = SlotMap::new(3, &[]);
        let a = m.alloc().unwrap();
        let _b = m.alloc().unwrap();
        let _c = m.alloc().unwrap();
        assert_eq!(m.alloc(), None);
        m.put(a);
        assert_eq!(m.alloc(), Some(a));
    }
}

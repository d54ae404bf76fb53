//! The swap area's slot map (Linux's `swap_map`): one count per slot, the
//! number of references to the page stored there — page-table entries
//! (several after fork), a shared-memory object's entry, and one for the
//! swap cache while a resident frame still matches the slot. A slot is
//! free at zero. Slot 0 (the header) and bad slots are never handed out.
//! Allocation is next-fit from a cursor, and a write batch starts at a
//! run of free slots (`alloc_cluster`) and grows slot by slot
//! (`alloc_at`), so pages written together lie together on the disk and
//! go out in one request (Linux's swap clusters). Pure.

use alloc::vec::Vec;

const BAD: u16 = u16::MAX;
/// How far `alloc_cluster` looks for a free run before taking any slot.
const SCAN: u32 = 8192;

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
                return self.take(s);
            }
        }
        None
    }

    /// The first slot of a run of up to `want` free slots, now with one
    /// reference: the first run that long at or after the cursor (looking
    /// at most `SCAN` slots on), else the next free slot. `None` when full.
    pub fn alloc_cluster(&mut self, want: u32) -> Option<u32> {
        if self.used == self.good {
            return None;
        }
        let n = self.counts.len() as u32;
        let (mut run, mut start) = (0, 0);
        for i in 0..SCAN.min(n) {
            let s = (self.cursor + i) % n;
            if s == 0 {
                run = 0; // a run does not wrap past the header
            }
            if self.counts[s as usize] == 0 {
                if run == 0 {
                    start = s;
                }
                run += 1;
                if run == want {
                    return self.take(start);
                }
            } else {
                run = 0;
            }
        }
        self.alloc()
    }

    /// Allocates exactly `slot` if it is free (the next slot of a batch).
    pub fn alloc_at(&mut self, slot: u32) -> bool {
        if self.counts.get(slot as usize) != Some(&0) {
            return false;
        }
        self.take(slot).is_some()
    }

    fn take(&mut self, s: u32) -> Option<u32> {
        self.counts[s as usize] = 1;
        self.used += 1;
        self.cursor = s + 1;
        Some(s)
    }

    /// Slots 1..=last, the area's last page.
    pub fn last(&self) -> u32 {
        self.counts.len() as u32 - 1
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

    #[test]
    fn a_cluster_starts_at_a_long_enough_run() {
        let mut m = SlotMap::new(20, &[]);
        for s in [1, 2, 4, 5, 6] {
            assert!(m.alloc_at(s));
        }
        m.cursor = 1;
        // 3 is a run of 1, 7..=20 a run of 14.
        assert_eq!(m.alloc_cluster(4), Some(7));
        assert!(m.alloc_at(8) && m.alloc_at(9));
        assert!(!m.alloc_at(9), "taken");
        assert!(!m.alloc_at(0) && !m.alloc_at(21), "header, past the end");
        // No run of 30 anywhere: the next free slot.
        assert_eq!(m.alloc_cluster(30), Some(10));
        assert_eq!(m.used(), 9);
    }

    #[test]
    fn a_cluster_does_not_wrap_past_the_header() {
        let mut m = SlotMap::new(6, &[]);
        for s in [1, 2, 3] {
            assert!(m.alloc_at(s));
        }
        // Free: 4, 5, 6 then (after the header) nothing: a run of 4 is
        // not there, so the next free slot.
        m.cursor = 4;
        assert_eq!(m.alloc_cluster(4), Some(4));
        assert_eq!(m.alloc_cluster(2), Some(5));
    }
}

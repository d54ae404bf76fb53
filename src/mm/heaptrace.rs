//! Who holds the kernel heap. With `heaptrace` on the kernel command line,
//! every heap allocation is recorded with its size, its sequence number and
//! the return addresses of its callers (the saved-EBP chain: the kernel is
//! built with frame pointers), and every free removes the record. The
//! `heap` view (`mg_view(MG_VIEW_HEAP, since)`) then lists what is still
//! live from after allocation number `since`, grouped by call chain: the
//! tool that finds which code keeps a few bytes after a long fuzz run.
//!
//! The table is a fixed open-addressing hash keyed by address (linear
//! probing, deletion by backward shift, so no tombstones), allocated once
//! when tracing starts; recording never allocates. Off, the heap pays one
//! relaxed load per call.

use alloc::vec::Vec;
use core::sync::atomic::{AtomicBool, Ordering};

/// Return addresses kept per allocation.
pub const DEPTH: usize = 8;

/// One live allocation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub ptr: u32,
    pub size: u32,
    pub seq: u32,
    pub stack: [u32; DEPTH],
}

/// The live allocations, by address. `ptr == 0` marks an empty slot.
pub struct Table<'a> {
    slots: &'a mut [Record],
    live: usize,
    /// Allocations made so far (recorded or not).
    pub seq: u32,
    /// Allocations not recorded because the table was full.
    pub missed: u32,
}

impl<'a> Table<'a> {
    /// A table over `slots` (all empty); its length must be a power of two.
    pub fn new(slots: &'a mut [Record]) -> Self {
        debug_assert!(slots.len().is_power_of_two());
        slots.fill(Record::default());
        Table { slots, live: 0, seq: 0, missed: 0 }
    }

    fn home(&self, ptr: u32) -> usize {
        // Fibonacci hashing of the address without its alignment bits.
        ((ptr >> 3).wrapping_mul(0x9E37_79B9) as usize) & (self.slots.len() - 1)
    }

    /// Records an allocation of `size` bytes at `ptr` (non-zero).
    pub fn insert(&mut self, ptr: u32, size: u32, stack: [u32; DEPTH]) {
        self.seq = self.seq.wrapping_add(1);
        // Keep one slot empty so that every probe ends.
        if self.live + 1 >= self.slots.len() {
            self.missed += 1;
            return;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(ptr);
        while self.slots[i].ptr != 0 && self.slots[i].ptr != ptr {
            i = (i + 1) & mask;
        }
        if self.slots[i].ptr == 0 {
            self.live += 1;
        }
        self.slots[i] = Record { ptr, size, seq: self.seq, stack };
    }

    /// Forgets the allocation at `ptr`, if it was recorded.
    pub fn remove(&mut self, ptr: u32) {
        let mask = self.slots.len() - 1;
        let mut i = self.home(ptr);
        loop {
            match self.slots[i].ptr {
                0 => return,
                p if p == ptr => break,
                _ => i = (i + 1) & mask,
            }
        }
        self.live -= 1;
        // Backward shift: move later members of the probe run into the hole
        // when their home does not lie cyclically in (hole, j].
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            if self.slots[j].ptr == 0 {
                break;
            }
            let home = self.home(self.slots[j].ptr);
            let stays = if hole <= j { hole < home && home <= j } else { hole < home || home <= j };
            if !stays {
                self.slots[hole] = self.slots[j];
                hole = j;
            }
        }
        self.slots[hole] = Record::default();
    }

    /// The live records, in no particular order.
    pub fn live(&self) -> impl Iterator<Item = &Record> {
        self.slots.iter().filter(|r| r.ptr != 0)
    }

    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }
}

/// Live allocations with one call chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub stack: [u32; DEPTH],
    pub count: u32,
    pub bytes: u32,
    /// The sizes seen, smallest and largest.
    pub sizes: (u32, u32),
    /// The earliest and latest allocation numbers.
    pub seqs: (u32, u32),
}

/// The records made after allocation `since`, grouped by call chain, the
/// most bytes first.
pub fn group(records: &mut [Record], since: u32) -> Vec<Group> {
    records.sort_unstable_by_key(|r| r.stack);
    let mut out: Vec<Group> = Vec::new();
    for r in records.iter().filter(|r| r.ptr != 0 && r.seq > since) {
        match out.last_mut() {
            Some(g) if g.stack == r.stack => {
                g.count += 1;
                g.bytes += r.size;
                g.sizes = (g.sizes.0.min(r.size), g.sizes.1.max(r.size));
                g.seqs = (g.seqs.0.min(r.seq), g.seqs.1.max(r.seq));
            }
            _ => out.push(Group {
                stack: r.stack,
                count: 1,
                bytes: r.size,
                sizes: (r.size, r.size),
                seqs: (r.seq, r.seq),
            }),
        }
    }
    out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then(a.stack.cmp(&b.stack)));
    out
}

/// Whether allocations are being recorded (read on every heap call).
pub static ON: AtomicBool = AtomicBool::new(false);

#[inline]
pub fn on() -> bool {
    ON.load(Ordering::Relaxed)
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn stack(n: u32) -> [u32; DEPTH] {
        [n; DEPTH]
    }

    #[test]
    fn inserts_and_removes_keep_every_other_record_findable() {
        let mut slots = vec![Record::default(); 64];
        let mut t = Table::new(&mut slots);
        // Addresses that collide (same home) and neighbours.
        let ptrs: Vec<u32> = (1..=40).map(|i| 0x1000 + i * 8 * 64).chain((1..=10).map(|i| 0x9000 + i * 8)).collect();
        for (k, &p) in ptrs.iter().enumerate() {
            t.insert(p, k as u32, stack(k as u32));
        }
        assert_eq!(t.len(), 50);
        assert_eq!(t.seq, 50);
        for &p in ptrs.iter().step_by(3) {
            t.remove(p);
        }
        let mut left: Vec<u32> = t.live().map(|r| r.ptr).collect();
        left.sort();
        let mut want: Vec<u32> = ptrs.iter().enumerate().filter(|(k, _)| k % 3 != 0).map(|(_, &p)| p).collect();
        want.sort();
        assert_eq!(left, want);
        for (k, &p) in ptrs.iter().enumerate().filter(|(k, _)| k % 3 != 0) {
            let r = t.live().find(|r| r.ptr == p).unwrap();
            assert_eq!((r.size, r.stack), (k as u32, stack(k as u32)));
        }
        for &p in &ptrs {
            t.remove(p);
        }
        assert!(t.is_empty());
        assert_eq!(t.live().count(), 0);
    }

    #[test]
    fn a_full_table_counts_what_it_missed_and_removing_the_unknown_is_harmless() {
        let mut slots = vec![Record::default(); 8];
        let mut t = Table::new(&mut slots);
        for i in 1..=10 {
            t.insert(i * 16, 1, stack(0));
        }
        assert_eq!((t.len(), t.missed, t.seq), (7, 3, 10));
        t.remove(0xdead0);
        assert_eq!(t.len(), 7);
    }

    #[test]
    fn grouping_keeps_only_newer_records_by_chain_most_bytes_first() {
        let r = |ptr, size, seq, s| Record { ptr, size, seq, stack: stack(s) };
        let mut recs = vec![r(1, 8, 1, 7), r(2, 4096, 5, 9), r(3, 16, 6, 7), r(4, 32, 7, 7), r(5, 8, 8, 3)];
        let g = group(&mut recs, 1);
        assert_eq!(g.len(), 3);
        assert_eq!((g[0].stack, g[0].count, g[0].bytes), (stack(9), 1, 4096));
        assert_eq!((g[1].stack, g[1].count, g[1].bytes, g[1].sizes, g[1].seqs), (stack(7), 2, 48, (16, 32), (6, 7)));
        assert_eq!((g[2].stack, g[2].bytes), (stack(3), 8));
    }

    #[test]
    fn a_reused_address_is_one_record_with_the_newer_allocation() {
        let mut slots = vec![Record::default(); 16];
        let mut t = Table::new(&mut slots);
        t.insert(0x100, 8, stack(1));
        t.insert(0x100, 16, stack(2));
        assert_eq!(t.len(), 1);
        assert_eq!(t.live().next().unwrap().size, 16);
        assert_eq!(t.live().next().unwrap().seq, 2);
    }
}

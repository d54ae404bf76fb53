//! The physical frame allocator and the per-frame reference counts.
//!
//! One `u32` of metadata per frame, from frame 0 to the highest usable one:
//! ```text
//!  bit 31 set    free: bits 30–0 = index of the next free frame + 1 (0 = end)
//!  0x7FFF_FFFF   reserved: not the allocator's (kernel image, modules,
//!                BIOS); reference counting ignores it
//!  otherwise     in use, with this many references (≥ 1)
//! ```
//! Free frames form two intrusive stacks: low memory (direct-mapped, where
//! page tables must live) and high memory. Allocation and free are O(1).
//! Running out is `Err(OutOfFrames)`, never a panic. Pure: the metadata
//! array is handed in, so the host tests can drive it.

use super::addr::Frame;
use core::fmt;

const FREE_BIT: u32 = 1 << 31;
const RESERVED: u32 = 0x7FFF_FFFF;
const MAX_REFS: u32 = RESERVED - 1;

/// How many mappings share a frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Refs {
    /// An allocator frame with this many references.
    Counted(u32),
    /// A frame whose mappings are not counted: one the allocator does not
    /// own (module and kernel frames), or the zero frame (an allocator
    /// frame pinned by one reference that is never dropped; its mappings,
    /// flag ZERO, take none). Never freed, so always treated as shared.
    Uncounted,
}

impl Refs {
    /// Whether more than one mapping may see the frame (a write must copy).
    pub const fn shared(self) -> bool {
        !matches!(self, Refs::Counted(0 | 1))
    }
}

/// Which frames an allocation may return.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Zone {
    /// Only direct-mapped low memory (page tables, kernel data).
    Low,
    /// Any frame; high memory first, to keep low memory for what needs it.
    Any,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct OutOfFrames;

/// What the metadata says about one frame.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FrameState {
    Free,
    /// Not managed here: never allocated, never freed, never counted.
    Reserved,
    InUse {
        refs: u32,
    },
}

/// What dropping a reference did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[must_use]
pub enum Release {
    /// The last reference went: the frame is free again.
    Freed,
    /// Others still hold it.
    StillShared,
    /// A reserved frame: nothing to do.
    NotManaged,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct FrameStats {
    /// Frames the allocator manages (free + in use).
    pub total: u32,
    pub free: u32,
    pub free_low: u32,
}

pub struct FrameTable<'a> {
    meta: &'a mut [u32],
    /// Frames below this number are low memory.
    low_limit: u32,
    heads: [u32; 2],
    stats: FrameStats,
    /// Managed frames in low memory.
    total_low: u32,
}

impl<'a> FrameTable<'a> {
    /// A table where every frame is reserved; `add_free` hands ranges over.
    pub fn new(meta: &'a mut [u32], low_limit: Frame) -> Self {
        meta.fill(RESERVED);
        Self { meta, low_limit: low_limit.number(), heads: [0; 2], stats: FrameStats::default(), total_low: 0 }
    }

    /// Frames the metadata covers.
    pub fn capacity(&self) -> u32 {
        self.meta.len() as u32
    }

    fn zone_of(&self, n: u32) -> usize {
        if n < self.low_limit { 0 } else { 1 }
    }

    fn push_free(&mut self, n: u32) {
        let z = self.zone_of(n);
        self.meta[n as usize] = FREE_BIT | self.heads[z];
        self.heads[z] = n + 1;
        self.stats.free += 1;
        if z == 0 {
            self.stats.free_low += 1;
        }
    }

    /// Hands the frames `[start, end)` to the allocator. Frames outside the
    /// table or already handed over are skipped.
    pub fn add_free(&mut self, start: Frame, end: Frame) {
        // Push high to low so that allocation returns ascending frames.
        for n in (start.number()..end.number().min(self.capacity())).rev() {
            if self.meta[n as usize] == RESERVED {
                self.push_free(n);
                self.stats.total += 1;
                if self.zone_of(n) == 0 {
                    self.total_low += 1;
                }
            }
        }
    }

    /// Takes a free frame out of the allocator for good (e.g. one the boot
    /// loader turned out to be using). Returns whether it was free.
    pub fn reserve(&mut self, f: Frame) -> bool {
        let n = f.number();
        if self.state(f) != FrameState::Free {
            return false;
        }
        // Unlink n from its stack: O(length), used only at boot.
        let z = self.zone_of(n);
        let next = self.meta[n as usize] & !FREE_BIT;
        if self.heads[z] == n + 1 {
            self.heads[z] = next;
        } else {
            let mut cur = self.heads[z];
            while cur != 0 {
                let link = self.meta[(cur - 1) as usize] & !FREE_BIT;
                if link == n + 1 {
                    self.meta[(cur - 1) as usize] = FREE_BIT | next;
                    break;
                }
                cur = link;
            }
        }
        self.meta[n as usize] = RESERVED;
        self.stats.free -= 1;
        self.stats.total -= 1;
        if z == 0 {
            self.stats.free_low -= 1;
            self.total_low -= 1;
        }
        true
    }

    fn pop(&mut self, z: usize) -> Option<Frame> {
        let head = self.heads[z];
        if head == 0 {
            return None;
        }
        let n = head - 1;
        self.heads[z] = self.meta[n as usize] & !FREE_BIT;
        self.meta[n as usize] = 1;
        self.stats.free -= 1;
        if z == 0 {
            self.stats.free_low -= 1;
        }
        Some(Frame::from_number(n))
    }

    /// A frame with one reference. Its contents are whatever it held.
    pub fn alloc(&mut self, zone: Zone) -> Result<Frame, OutOfFrames> {
        match zone {
            Zone::Low => self.pop(0),
            Zone::Any => self.pop(1).or_else(|| self.pop(0)),
        }
        .ok_or(OutOfFrames)
    }

    pub fn state(&self, f: Frame) -> FrameState {
        match self.meta.get(f.number() as usize) {
            None | Some(&RESERVED) => FrameState::Reserved,
            Some(&m) if m & FREE_BIT != 0 => FrameState::Free,
            Some(&refs) => FrameState::InUse { refs },
        }
    }

    /// References to `f`: `Uncounted` for reserved frames (the kernel's, the
    /// modules': shared by nature), `Counted(0)` for free ones.
    pub fn refs(&self, f: Frame) -> Refs {
        match self.state(f) {
            FrameState::Free => Refs::Counted(0),
            FrameState::Reserved => Refs::Uncounted,
            FrameState::InUse { refs } => Refs::Counted(refs),
        }
    }

    /// One more reference (a page shared by fork). Reserved frames ignore it.
    pub fn add_ref(&mut self, f: Frame) {
        if let FrameState::InUse { refs } = self.state(f) {
            assert!(refs < MAX_REFS, "frame reference count overflow");
            self.meta[f.number() as usize] = refs + 1;
        } else {
            debug_assert!(self.state(f) == FrameState::Reserved, "add_ref of a free frame");
        }
    }

    /// Drops one reference; the frame is free when the last one goes.
    pub fn release(&mut self, f: Frame) -> Release {
        match self.state(f) {
            FrameState::Reserved => Release::NotManaged,
            FrameState::Free => panic!("release of free frame {f:?}"),
            FrameState::InUse { refs: 1 } => {
                self.push_free(f.number());
                Release::Freed
            }
            FrameState::InUse { refs } => {
                self.meta[f.number() as usize] = refs - 1;
                Release::StillShared
            }
        }
    }

    pub fn stats(&self) -> FrameStats {
        self.stats
    }

    /// High-memory frames: (managed, free).
    pub fn high_stats(&self) -> (u32, u32) {
        (self.stats.total - self.total_low(), self.stats.free - self.stats.free_low)
    }

    fn total_low(&self) -> u32 {
        self.total_low
    }
}

impl fmt::Display for FrameStats {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{} frames ({} KiB): {} free ({} in low memory), {} in use",
            self.total,
            self.total * 4,
            self.free,
            self.free_low,
            self.total - self.free
        )
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn fr(n: u32) -> Frame {
        Frame::from_number(n)
    }

    #[test]
    fn never_hands_out_a_frame_twice_and_counts_all() {
        let mut meta = vec![0; 64];
        let mut t = FrameTable::new(&mut meta, fr(16));
        t.add_free(fr(4), fr(12));
        t.add_free(fr(20), fr(40));
        assert_eq!(t.stats(), FrameStats { total: 28, free: 28, free_low: 8 });
        let mut seen = HashSet::new();
        while let Ok(f) = t.alloc(Zone::Any) {
            assert!(seen.insert(f), "{f:?} handed out twice");
        }
        assert_eq!(seen.len(), 28);
        assert_eq!(t.stats().free, 0);
        assert_eq!(t.alloc(Zone::Low), Err(OutOfFrames));
        for f in &seen {
            assert_eq!(t.release(*f), Release::Freed);
        }
        assert_eq!(t.stats(), FrameStats { total: 28, free: 28, free_low: 8 });
    }

    #[test]
    fn zones_are_honoured() {
        let mut meta = vec![0; 32];
        let mut t = FrameTable::new(&mut meta, fr(8));
        t.add_free(fr(2), fr(4));
        t.add_free(fr(10), fr(12));
        assert!(t.alloc(Zone::Any).unwrap().number() >= 8, "Any prefers high memory");
        assert!(t.alloc(Zone::Low).unwrap().number() < 8);
        assert!(t.alloc(Zone::Low).unwrap().number() < 8);
        assert_eq!(t.alloc(Zone::Low), Err(OutOfFrames));
        assert_eq!(t.alloc(Zone::Any), Ok(fr(11)));
        assert_eq!(t.alloc(Zone::Any), Err(OutOfFrames));
    }

    #[test]
    fn reserved_ranges_are_never_handed_out() {
        let mut meta = vec![0; 32];
        let mut t = FrameTable::new(&mut meta, fr(32));
        t.add_free(fr(0), fr(32));
        for n in [0, 5, 31, 17] {
            assert!(t.reserve(fr(n)));
        }
        assert!(!t.reserve(fr(5)), "already reserved");
        let got: HashSet<u32> = std::iter::from_fn(|| t.alloc(Zone::Low).ok()).map(|f| f.number()).collect();
        assert_eq!(got.len(), 28);
        for n in [0, 5, 31, 17] {
            assert!(!got.contains(&n));
            assert_eq!(t.state(fr(n)), FrameState::Reserved);
        }
    }

    #[test]
    fn reference_counts() {
        let mut meta = vec![0; 8];
        let mut t = FrameTable::new(&mut meta, fr(8));
        t.add_free(fr(1), fr(3));
        let f = t.alloc(Zone::Low).unwrap();
        assert_eq!(t.refs(f), Refs::Counted(1));
        t.add_ref(f);
        t.add_ref(f);
        assert_eq!(t.state(f), FrameState::InUse { refs: 3 });
        assert_eq!(t.release(f), Release::StillShared);
        assert_eq!(t.release(f), Release::StillShared);
        assert_eq!(t.stats().free, 1);
        assert_eq!(t.release(f), Release::Freed);
        assert_eq!(t.stats().free, 2);
        assert_eq!(t.state(f), FrameState::Free);
        // Reserved frames are shared by nature and never freed.
        assert_eq!(t.refs(fr(0)), Refs::Uncounted);
        t.add_ref(fr(0));
        assert_eq!(t.release(fr(0)), Release::NotManaged);
    }

    #[test]
    fn overlapping_adds_count_once() {
        let mut meta = vec![0; 16];
        let mut t = FrameTable::new(&mut meta, fr(16));
        t.add_free(fr(2), fr(10));
        t.add_free(fr(5), fr(14));
        t.add_free(fr(12), fr(99));
        assert_eq!(t.stats().total, 14);
    }
}

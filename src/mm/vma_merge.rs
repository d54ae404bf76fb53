//! Which neighbouring regions become one, decided as Linux's vma_merge
//! decides it — so that a range that is one mapping on Linux is one region
//! here, and mremap says EFAULT, or grows in place, exactly where Linux does.
//! A child of `vma.rs` (pure, tested in vma_tests.rs).
//!
//! Alike regions (same protection, kind — the heap counting as anonymous
//! memory — and backing at running offsets) join, except where Linux keeps
//! them apart:
//!
//! | Linux keeps apart                                  | modelled by        |
//! |----------------------------------------------------|--------------------|
//! | pages first written in different regions (two anon_vmas) | `AnonLink::id` |
//! | a fork's child region (its anon_vma chain has two links) from one without pages | `forked` |
//! | a region mremap moved with its pages (vm_pgoff no longer runs on) | `pgoff` |
//! | writable once (VM_ACCOUNT stays) and never writable | `accounted` |
//! | MAP_NORESERVE and not (VM_NORESERVE)               | `noreserve`        |
//!
//! Which of two regions is the new one matters too (`Merge`): mmap_region
//! and vma_merge ask in different orders.

use super::{Backing, MemoryMap, PAGE_SIZE, Prot, Purpose, Region, user};
use core::sync::atomic::{AtomicU32, Ordering};

/// What Linux knows of a region's private pages that decides merging.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct AnonLink {
    /// The start's page offset (vm_pgoff): its page number when mapped;
    /// kept by a move once the region has pages of its own.
    pub pgoff: u32,
    /// Linux's anon_vma: 0 until the first private page; the pieces of a
    /// split share it.
    pub id: u32,
    /// The anon_vma chain has more than one link (a fork gave it).
    pub forked: bool,
    /// VM_ACCOUNT: private and writable once, kept when made read-only.
    pub accounted: bool,
    /// VM_NORESERVE (MAP_NORESERVE): never accounted.
    pub noreserve: bool,
}

/// Whose merge rule applies (see `MemoryMap::merge_neighbours`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Merge {
    /// A new mapping (mmap_region).
    Mmap,
    /// A changed or moved region, or brk's growth (vma_merge).
    Vma,
}

/// anon_vma numbers; 0 is none.
static NEXT_ID: AtomicU32 = AtomicU32::new(1);

impl AnonLink {
    /// A region mapped at `start` with `prot`, `private` or not.
    pub fn new(start: u32, prot: Prot, private: bool) -> Self {
        AnonLink {
            pgoff: start / PAGE_SIZE,
            id: 0,
            forked: false,
            accounted: private && prot.writable(),
            noreserve: false,
        }
    }

    /// Mapped with MAP_NORESERVE.
    pub fn without_reserve(self) -> Self {
        AnonLink { accounted: false, noreserve: true, ..self }
    }

    /// After the region became `prot`: writable private memory is
    /// accounted from then on (Linux's mprotect_fixup).
    pub fn after_protect(self, prot: Prot, private: bool) -> Self {
        AnonLink { accounted: self.accounted || (prot.writable() && private && !self.noreserve), ..self }
    }

    fn fresh_id() -> u32 {
        // Never 0, which means none, even after 2^32 of them.
        NEXT_ID.fetch_add(1, Ordering::Relaxed).max(1)
    }

    /// Linux's is_mergeable_anon_vma: may a region with `self` (the one
    /// just made or changed) join `existing`? Without an anon_vma on either
    /// side, only if `existing` has a one-link chain (or neither has one).
    fn joins(self, existing: AnonLink) -> bool {
        self.id == existing.id || ((self.id == 0 || existing.id == 0) && existing.id != 0 && !existing.forked)
    }
}

impl Region {
    /// Alike, ignoring anon_vmas: `next` starts where `self` ends, with the
    /// same protection, purpose, accounting and backing at running offsets.
    fn alike(&self, next: &Region) -> bool {
        if self.end != next.start
            || self.prot != next.prot
            || !self.purpose.alike(next.purpose)
            || self.anon.accounted != next.anon.accounted
            || self.anon.noreserve != next.anon.noreserve
        {
            return false;
        }
        self.backing_runs_on(next)
    }

    /// The same backing, its offsets running on from `self` into `next`
    /// (Linux's vm_pgoff: the page offset for anonymous memory, the
    /// object's or the file's offset for the others).
    fn backing_runs_on(&self, next: &Region) -> bool {
        let len = self.len();
        match (&self.backing, &next.backing) {
            (Backing::Anonymous, Backing::Anonymous) => self.anon.pgoff + len / PAGE_SIZE == next.anon.pgoff,
            (Backing::Shared { pages: a, first_page: fa }, Backing::Shared { pages: b, first_page: fb }) => {
                alloc::sync::Arc::ptr_eq(a, b) && fa + len / PAGE_SIZE == *fb
            }
            (
                Backing::File { module: m, file_start: s, file_bytes: b, past_eof: e, shared: sh },
                Backing::File { module: m2, file_start: s2, file_bytes: b2, past_eof: e2, shared: sh2 },
            ) => m == m2 && e == e2 && sh == sh2 && s.wrapping_add(len) == *s2 && b.saturating_sub(len) == *b2,
            (
                Backing::Cache { file: f, first_page: p, extent: e, shared: sh, may_write: w },
                Backing::Cache { file: f2, first_page: p2, extent: e2, shared: sh2, may_write: w2 },
            ) => f.id() == f2.id() && p + len / PAGE_SIZE == *p2 && e.skip(len) == *e2 && sh == sh2 && w == w2,
            _ => false,
        }
    }
}

impl Purpose {
    /// The heap is anonymous memory like any other to Linux's merging (the
    /// flags are the same); a stack grows down (VM_GROWSDOWN), and a
    /// program's segments are the loader's.
    fn alike(self, other: Purpose) -> bool {
        self == other || matches!((self, other), (Purpose::Heap, Purpose::Mmap) | (Purpose::Mmap, Purpose::Heap))
    }
}

impl MemoryMap {
    /// mprotect of `[at, piece_end)`, the head of the region at `at`, to
    /// `prot`, when the region before would take the changed piece in: the
    /// boundary between them moves (Linux's vma_merge "case 4"). The same
    /// result as split and merge (the tail as `tail_from` makes it, the
    /// anon_vma as the merge picks it), without the piece ever being in the
    /// map. Returns false, changing nothing, when it does not apply.
    pub(super) fn move_boundary(
        &mut self,
        at: u32,
        piece_end: u32,
        prot: Prot,
        changed: &mut impl FnMut(&Region),
    ) -> bool {
        let Some(r) = self.regions.get(&at) else { return false };
        if piece_end >= r.end.as_u32() {
            return false;
        }
        let mut piece = r.clone();
        piece.end = user(piece_end);
        piece.prot = prot;
        piece.anon = piece.anon.after_protect(prot, !piece.may_share());
        let Some(prev) = self.regions.range(..at).next_back().map(|(_, p)| p) else { return false };
        if prev.end.as_u32() != at || !prev.alike(&piece) || !piece.anon.joins(prev.anon) {
            return false;
        }
        let prev_start = prev.start.as_u32();
        // The joined region keeps whichever anon_vma there was.
        let anon = [prev.anon, piece.anon].into_iter().find(|a| a.id != 0);
        changed(&piece);
        let tail = r.tail_from(piece_end);
        self.tree_mut().remove(&at);
        self.tree_mut().insert(piece_end, tail);
        let joined = self.tree_mut().get_mut(&prev_start).expect("the region before");
        joined.end = user(piece_end);
        if let Some(a) = anon {
            (joined.anon.id, joined.anon.forked) = (a.id, a.forked);
        }
        true
    }

    /// Linux's merge for the region at `start`, just made or changed: it
    /// joins the region before it, the one after it, or both. `how` says
    /// whose rule: mmap_region's looks at the next region first and lets
    /// the previous one join only under the next one's anon_vma;
    /// vma_merge's (mprotect, mremap, brk) looks at the previous one first.
    pub(super) fn merge_neighbours(&mut self, start: u32, how: Merge) {
        let r = &self.regions[&start];
        let prev = self.regions.range(..start).next_back().map(|(_, p)| p).filter(|p| p.end == start && p.alike(r));
        let next = self.regions.get(&r.end.as_u32()).filter(|n| r.alike(n));
        let (with_prev, with_next) = match how {
            Merge::Mmap => {
                let with_next = next.filter(|n| r.anon.joins(n.anon));
                let anon = with_next.map_or(r.anon, |n| n.anon);
                (prev.filter(|p| anon.joins(p.anon)), with_next)
            }
            Merge::Vma => {
                let with_prev = prev.filter(|p| r.anon.joins(p.anon));
                let with_next = next.filter(|n| r.anon.joins(n.anon));
                // Both only if their own anon_vmas agree.
                match (with_prev, with_next) {
                    (Some(p), Some(n)) if p.anon.id != 0 && n.anon.id != 0 && p.anon.id != n.anon.id => (Some(p), None),
                    pair => pair,
                }
            }
        };
        let (first, last) = match (with_prev, with_next) {
            (Some(p), Some(n)) => (p, n),
            (Some(p), None) => (p, r),
            (None, Some(n)) => (r, n),
            (None, None) => return,
        };
        let (from, to) = (first.start.as_u32(), last.end.as_u32());
        // The joined region keeps whichever anon_vma there was.
        let anon = [first, r, last].iter().map(|x| x.anon).find(|a| a.id != 0);
        // At most two go (`r` and the next, or the next alone), by key:
        // no list on the heap.
        let mut keys = [None; 2];
        for (slot, (&k, _)) in keys.iter_mut().zip(self.regions.range(from..to).skip(1)) {
            *slot = Some(k);
        }
        for k in keys.into_iter().flatten() {
            self.tree_mut().remove(&k);
        }
        let joined = self.tree_mut().get_mut(&from).expect("first region");
        joined.end = user(to);
        if let Some(a) = anon {
            (joined.anon.id, joined.anon.forked) = (a.id, a.forked);
        }
    }

    /// Linux's anon_vma_prepare, at the first private page written in the
    /// (private) region holding `addr`: it takes the anon_vma of a
    /// neighbour it could join but for protection (find_mergeable_anon_vma),
    /// else a new one.
    pub fn note_private_page(&mut self, addr: u32) {
        let Some(r) = self.find(addr).filter(|r| r.anon.id == 0 && !r.may_share()) else {
            return;
        };
        let start = r.start.as_u32();
        let reusable = |a: &Region, b: &Region, old: &Region| {
            let mut b = b.clone();
            b.prot = a.prot;
            (a.alike(&b) && old.anon.id != 0 && !old.anon.forked).then_some(old.anon.id)
        };
        let next = self.regions.get(&r.end.as_u32()).and_then(|n| reusable(r, n, n));
        let prev = self.regions.range(..start).next_back().map(|(_, p)| p).and_then(|p| reusable(p, r, p));
        let id = next.or(prev).unwrap_or_else(AnonLink::fresh_id);
        self.tree_mut().get_mut(&start).expect("found region").anon.id = id;
    }

    /// At fork, in the child's copy: every region with an anon_vma gets a
    /// new one of its own, chained to the parent's (Linux's anon_vma_fork).
    pub fn fork_anon(&mut self) {
        for r in self.tree_mut().values_mut().filter(|r| r.anon.id != 0) {
            (r.anon.id, r.anon.forked) = (AnonLink::fresh_id(), true);
        }
    }

    /// After mremap's DONTUNMAP took all of the region at `start` elsewhere,
    /// it no longer has an anon_vma (Linux unlinks it).
    pub fn drop_anon(&mut self, start: u32) {
        if let Some(r) = self.tree_mut().get_mut(&start) {
            (r.anon.id, r.anon.forked) = (0, false);
        }
    }
}

//! A process's memory map: the regions it may touch, with their protection
//! and what backs them. The page tables only cache what this map allows; the
//! page-fault handler consults the map to decide. Pure (host-tested).
//!
//! Regions are kept in a `BTreeMap` by start address, so finding the region
//! containing an address is O(log n). Regions never overlap; `remove` and
//! `protect` split them; `insert_merged` and `protect` merge a region with
//! its neighbours where Linux would merge its vmas (`vma_merge.rs`), so
//! that one region here is one mapping there.

use super::addr::{PAGE_SIZE, UserAddr, page_round_down};
use super::cache::{Extent, PageCache, pages_spanned};
use super::layout::USER_END;
use super::limits::MemLimits;
use alloc::collections::BTreeMap;
use alloc::sync::Arc;
use alloc::vec::Vec;
use bitflags::bitflags;
use core::cell::Cell;
use core::fmt;
use core::ops::{Bound, Range};
use core::ptr::NonNull;

bitflags! {
    /// mmap/mprotect protection (Linux PROT_*). Without NX, x86 can only
    /// tell "no access", "read" and "read/write": EXEC implies READ.
    #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
    pub struct Prot: u32 {
        const READ = 1;
        const WRITE = 2;
        const EXEC = 4;
    }
}

impl Prot {
    pub fn readable(self) -> bool {
        !self.is_empty()
    }
    pub fn writable(self) -> bool {
        self.contains(Prot::WRITE)
    }
}

/// Anonymous memory shared between processes (MAP_SHARED): the frames live
/// here, page by page, so a page first touched after fork is still shared.
pub struct SharedPages {
    /// Page index within the object → physical frame number.
    pub frames: spin::Mutex<BTreeMap<u32, u32>>,
    /// The object's size in pages, fixed at mmap: a mapping that mremap
    /// makes longer reaches past it, and a page there is SIGBUS, as past
    /// the end of Linux's shmem file.
    pub size: u32,
    /// Called for each frame when the last region referring to it goes.
    release: fn(u32),
}

impl SharedPages {
    pub fn new(release: fn(u32), size: u32) -> Arc<Self> {
        Arc::new(Self { frames: spin::Mutex::new(BTreeMap::new()), size, release })
    }
}

impl Drop for SharedPages {
    fn drop(&mut self) {
        for f in self.frames.get_mut().values() {
            (self.release)(*f);
        }
    }
}

/// What an access past the end of a file's bytes means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum PastEof {
    /// An ELF segment's .bss: zero-filled anonymous memory.
    Zero,
    /// A mapped file: SIGBUS, as on Linux.
    Bus,
}

/// What backs a region.
#[derive(Clone)]
pub enum Backing {
    /// Private anonymous memory: zero-filled on first touch.
    Anonymous,
    /// Shared anonymous memory; `first_page` is the region start's page
    /// index in the object (it changes when the region is split).
    Shared { pages: Arc<SharedPages>, first_page: u32 },
    /// A boot module's bytes: `file_start` is the physical address of the
    /// module byte at the region's start, `file_bytes` how many bytes from
    /// the region's start come from the file. Private copy-on-write, unless
    /// `shared`: a MAP_SHARED mapping of a read-only file, which may never
    /// become writable.
    File { module: u16, file_start: u32, file_bytes: u32, past_eof: PastEof, shared: bool },
    /// A file of the page cache (tmpfs, `cache.rs`): `first_page` is the
    /// region start's page index in the file. Private, its pages are the
    /// file's frames read-only until a write copies them; `shared`, they
    /// are the file's frames, written in place where `may_write` (the
    /// descriptor was open for writing: Linux's VM_MAYWRITE).
    Cache { file: Arc<dyn PageCache>, first_page: u32, extent: Extent, shared: bool, may_write: bool },
}

/// What the region is for (names in `vmmap`, and stack growth).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Purpose {
    Program,
    Heap,
    Stack,
    Mmap,
}

#[derive(Clone)]
pub struct Region {
    /// Page-aligned bounds in the user half, `start < end`.
    pub start: UserAddr,
    pub end: UserAddr,
    pub prot: Prot,
    pub backing: Backing,
    pub purpose: Purpose,
    /// What decides, as on Linux, whether it merges with a neighbour.
    pub anon: AnonLink,
}

impl Region {
    /// A region over `range`, or `None` if the range is not a non-empty,
    /// page-aligned part of the user half.
    pub fn new(range: Range<u32>, prot: Prot, backing: Backing, purpose: Purpose) -> Option<Self> {
        let private = !matches!(
            backing,
            Backing::Shared { .. } | Backing::File { shared: true, .. } | Backing::Cache { shared: true, .. }
        );
        valid_user_range(range.start, range.end).then(|| Region {
            start: user(range.start),
            end: user(range.end),
            prot,
            backing,
            purpose,
            anon: AnonLink::new(range.start, prot, private),
        })
    }

    pub fn anon(range: Range<u32>, prot: Prot, purpose: Purpose) -> Self {
        let anon = AnonLink::new(range.start, prot, true);
        Region { start: user(range.start), end: user(range.end), prot, backing: Backing::Anonymous, purpose, anon }
    }

    pub fn contains(&self, addr: u32) -> bool {
        self.start <= addr && addr < self.end
    }

    pub fn len(&self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }

    /// Pages written in place, seen by every process that maps them:
    /// shared anonymous memory, or a MAP_SHARED file of the page cache.
    pub fn is_shared(&self) -> bool {
        matches!(self.backing, Backing::Shared { .. } | Backing::Cache { shared: true, .. })
    }

    /// A shared mapping of a read-only file (or of a file whose descriptor
    /// was not open for writing) can never be written.
    pub fn write_forbidden(&self) -> bool {
        matches!(
            self.backing,
            Backing::File { shared: true, .. } | Backing::Cache { shared: true, may_write: false, .. }
        )
    }

    /// MAP_SHARED, of memory or of a file (Linux's VM_MAYSHARE).
    pub fn may_share(&self) -> bool {
        self.is_shared() || self.write_forbidden()
    }

    /// The part of `self` from `from` on, put at `to` and `len` bytes long,
    /// with what backs it (object, file offset, anon_vma) kept: mremap's
    /// new region. A heap moved away is no longer the heap; a region with
    /// no pages of its own takes the new place's page offset (Linux's
    /// copy_vma).
    pub fn moved(&self, from: u32, to: u32, len: u32) -> Option<Region> {
        let end = to.checked_add(len).filter(|&end| valid_user_range(to, end))?;
        let mut r = self.tail_from(from);
        (r.start, r.end) = (user(to), user(end));
        if r.purpose == Purpose::Heap {
            r.purpose = Purpose::Mmap;
        }
        if r.anon.id == 0 {
            r.anon.pgoff = to / PAGE_SIZE;
        }
        Some(r)
    }

    /// `len` more bytes of `self`, right after it, backed as its own would
    /// be (mremap's growth in place, which merges it in).
    pub fn extension(&self, len: u32) -> Option<Region> {
        let (start, end) = (self.end.as_u32(), self.end.as_u32().checked_add(len)?);
        valid_user_range(start, end).then(|| {
            let mut r = self.tail_from(start);
            r.end = user(end);
            r
        })
    }

    /// The part of `self` from `at` on, with the backing offsets moved.
    fn tail_from(&self, at: u32) -> Region {
        let mut r = self.clone();
        let delta = at - self.start.as_u32();
        r.start = user(at);
        r.anon.pgoff += delta / PAGE_SIZE;
        r.backing = match &self.backing {
            Backing::Anonymous => Backing::Anonymous,
            Backing::Shared { pages, first_page } => {
                Backing::Shared { pages: pages.clone(), first_page: first_page + delta / PAGE_SIZE }
            }
            Backing::File { module, file_start, file_bytes, past_eof, shared } => Backing::File {
                module: *module,
                file_start: file_start.wrapping_add(delta),
                file_bytes: file_bytes.saturating_sub(delta),
                past_eof: *past_eof,
                shared: *shared,
            },
            Backing::Cache { file, first_page, extent, shared, may_write } => Backing::Cache {
                file: file.clone(),
                first_page: first_page + delta / PAGE_SIZE,
                extent: extent.skip(delta),
                shared: *shared,
                may_write: *may_write,
            },
        };
        r
    }

    /// The page index in the file of the page at `addr`, for a region of
    /// the page cache.
    pub fn file_index(&self, addr: u32) -> Option<u32> {
        let Backing::Cache { first_page, .. } = self.backing else { return None };
        Some(first_page + (page_round_down(addr) - self.start.as_u32()) / PAGE_SIZE)
    }

    /// How the page at `addr` relates to the file behind the region (for a
    /// file of the page cache, as the file is now).
    pub fn file_page(&self, addr: u32) -> FilePage {
        if let Backing::Cache { file, extent, .. } = &self.backing {
            return cache_page(&**file, *extent, page_round_down(addr) - self.start.as_u32(), self.file_index(addr));
        }
        let Backing::File { file_start, file_bytes, past_eof, .. } = self.backing else {
            return FilePage::NotFile;
        };
        let off = page_round_down(addr) - self.start.as_u32();
        if off + PAGE_SIZE <= file_bytes {
            FilePage::Full { phys: file_start + off }
        } else if off < file_bytes {
            FilePage::Partial { phys: file_start + off, bytes: file_bytes - off }
        } else {
            match past_eof {
                PastEof::Zero => FilePage::Zero,
                PastEof::Bus => FilePage::PastEof,
            }
        }
    }
}

/// A page `off` bytes into a region of the page cache, page `index` of
/// `file` (see `Region::file_page`).
fn cache_page(file: &dyn PageCache, extent: Extent, off: u32, index: Option<u32>) -> FilePage {
    let Some(index) = index else { return FilePage::NotFile };
    let bytes = match extent {
        Extent::Live if u64::from(index) >= pages_spanned(file.size()) => return FilePage::PastEof,
        Extent::Live => PAGE_SIZE,
        Extent::Segment { file_bytes } if off >= file_bytes => return FilePage::Zero,
        Extent::Segment { file_bytes } => (file_bytes - off).min(PAGE_SIZE),
    };
    match file.frame(index, false) {
        Ok(Some(f)) if bytes == PAGE_SIZE => FilePage::Full { phys: f.start().as_u32() },
        Ok(Some(f)) => FilePage::Partial { phys: f.start().as_u32(), bytes },
        Ok(None) => FilePage::Hole,
        Err(_) => FilePage::PastEof,
    }
}

/// The file content of one page of a file-backed region.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FilePage {
    NotFile,
    /// All 4096 bytes come from the module, starting at physical `phys`.
    Full {
        phys: u32,
    },
    /// The first `bytes` come from the module; the rest reads as zero.
    Partial {
        phys: u32,
        bytes: u32,
    },
    /// Past the file, in .bss: zero-filled.
    Zero,
    /// Inside a file of the page cache, but no page holds data there yet:
    /// reads as zero.
    Hole,
    /// Past the end of a mapped file.
    PastEof,
}

/// Why a change to the map was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MapError {
    /// The range is empty, unaligned, or reaches the kernel half.
    BadRange,
    /// Part of the range is already in use.
    Overlap,
    /// Part of the range is not mapped (mprotect).
    NotMapped,
    /// The change would need more than MAX_REGIONS regions.
    TooMany,
    /// The protection is not allowed for the region (mprotect).
    Denied,
}

/// The most regions one process may have (Linux's vm.max_map_count): the
/// map lives on the kernel heap, so a program must not grow it unbounded.
pub const MAX_REGIONS: usize = 65530;

/// A bound the map was handed, already checked by the caller (every map
/// operation's range is validated against the user half before it gets here).
fn user(a: u32) -> UserAddr {
    UserAddr::new(a).expect("a memory-map bound in the kernel half")
}

/// Is `[start, end)` a non-empty, page-aligned range below the kernel half?
pub fn valid_user_range(start: u32, end: u32) -> bool {
    start < end && start.is_multiple_of(PAGE_SIZE) && end.is_multiple_of(PAGE_SIZE) && end <= USER_END
}

pub struct MemoryMap {
    /// Every change to the tree goes through `tree_mut`, which forgets
    /// `hint`.
    regions: BTreeMap<u32, Region>,
    /// The region `find` returned last, as Linux's per-mm VMA cache: faults
    /// and user copies come in runs on one region, and a hit skips the
    /// tree's descent. A region sits in a node of the tree, where it stays
    /// until the tree changes, so the pointer is good until `tree_mut`.
    hint: Cell<Option<NonNull<Region>>>,
    /// How far the stack region may grow down (RLIMIT_STACK's soft limit,
    /// capped to the user half).
    pub stack_limit: u32,
    /// RLIMIT_AS and RLIMIT_DATA, for what grows without a system call
    /// (the stack); the calls refresh it from the process's limits.
    pub limits: MemLimits,
}

// SAFETY: `hint` points into `regions`, which the map owns and moves
// with it; nothing else holds the pointer.
unsafe impl Send for MemoryMap {}

impl Clone for MemoryMap {
    /// A copy of the regions; the copy's hint starts empty (the original's
    /// points into the original's tree).
    fn clone(&self) -> Self {
        Self {
            regions: self.regions.clone(),
            hint: Cell::new(None),
            stack_limit: self.stack_limit,
            limits: self.limits,
        }
    }
}

impl Default for MemoryMap {
    fn default() -> Self {
        Self::new()
    }
}

impl MemoryMap {
    pub fn new() -> Self {
        Self {
            regions: BTreeMap::new(),
            hint: Cell::new(None),
            stack_limit: super::layout::STACK_LIMIT,
            limits: MemLimits::NONE,
        }
    }

    /// The tree, to change: the hint may point at a region about to move.
    fn tree_mut(&mut self) -> &mut BTreeMap<u32, Region> {
        self.hint.set(None);
        &mut self.regions
    }

    /// The region containing `addr`. (Every page fault asks: the last
    /// region found is tried first, inlined into the caller; else
    /// `find_in_tree`'s cursor descends the tree once, where
    /// `range(..=addr)` descends to both ends.)
    #[inline(always)]
    pub fn find(&self, addr: u32) -> Option<&Region> {
        if let Some(p) = self.hint.get() {
            // SAFETY: a hint is only set to a region of `regions` and is
            // cleared by `tree_mut` before the tree can change, so it points
            // at a live region; `&self` keeps the tree unchanged for as
            // long as the reference lives.
            let r = unsafe { p.as_ref() };
            if r.contains(addr) {
                return Some(r);
            }
        }
        self.find_in_tree(addr)
    }

    #[inline(never)]
    fn find_in_tree(&self, addr: u32) -> Option<&Region> {
        let r =
            self.regions.upper_bound(Bound::Included(&addr)).peek_prev().map(|(_, r)| r).filter(|r| r.contains(addr));
        if let Some(r) = r {
            self.hint.set(Some(NonNull::from(r)));
        }
        r
    }

    /// The first region that starts above `addr`.
    pub fn next_above(&self, addr: u32) -> Option<&Region> {
        self.regions.lower_bound(Bound::Excluded(&addr)).peek_next().map(|(_, r)| r)
    }

    /// The last region that ends at or below `addr`.
    pub fn prev_below(&self, addr: u32) -> Option<&Region> {
        self.regions.upper_bound(Bound::Excluded(&addr)).peek_prev().map(|(_, r)| r).filter(|r| r.end <= addr)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Region> {
        self.regions.values()
    }

    pub fn len(&self) -> usize {
        self.regions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regions.is_empty()
    }

    /// Whether any region overlaps `[start, end)`.
    pub fn overlaps(&self, start: u32, end: u32) -> bool {
        self.regions.upper_bound(Bound::Excluded(&end)).peek_prev().is_some_and(|(_, r)| r.end > start)
    }

    /// Adds a region where nothing is mapped, merging with equal neighbours.
    pub fn insert(&mut self, region: Region) -> Result<(), MapError> {
        let (start, end) = (region.start.as_u32(), region.end.as_u32());
        if !valid_user_range(start, end) {
            return Err(MapError::BadRange);
        }
        if self.overlaps(start, end) {
            return Err(MapError::Overlap);
        }
        if self.regions.len() >= MAX_REGIONS {
            return Err(MapError::TooMany);
        }
        self.tree_mut().insert(start, region);
        Ok(())
    }

    /// Like `insert`, then merges the region with its neighbours where
    /// Linux would, by `how`'s rule (`vma_merge.rs`).
    pub fn insert_merged(&mut self, region: Region, how: Merge) -> Result<(), MapError> {
        let start = region.start.as_u32();
        self.insert(region)?;
        self.merge_neighbours(start, how);
        Ok(())
    }

    /// Whether removing `[start, end)` would leave more than MAX_REGIONS.
    pub fn remove_would_exceed(&self, start: u32, end: u32) -> bool {
        let inside = |a: u32| self.find(a).is_some_and(|r| r.start < a);
        self.regions.len() >= MAX_REGIONS
            && inside(start)
            && self.find(end).is_some_and(|r| r.start < end && r.end > end)
    }

    /// Splits the region containing `at` (if any) so a region starts at `at`.
    fn split_at(&mut self, at: u32) {
        let Some(r) = self.find(at) else { return };
        if r.start == at {
            return;
        }
        let tail = r.tail_from(at);
        let head_start = r.start;
        self.tree_mut().get_mut(&head_start.as_u32()).expect("found region").end = user(at);
        self.tree_mut().insert(at, tail);
    }

    /// Removes `[start, end)` from the map, splitting regions at the edges.
    /// Returns the removed pieces (the caller unmaps their pages).
    pub fn remove(&mut self, start: u32, end: u32) -> Vec<Region> {
        // Cutting a hole in one region adds one; past the limit, Linux's
        // munmap fails with ENOMEM, and so do callers here (see `would_split`).
        self.split_at(start);
        self.split_at(end);
        let keys: Vec<u32> = self.regions.range(start..end).map(|(k, _)| *k).collect();
        keys.into_iter().filter_map(|k| self.tree_mut().remove(&k)).collect()
    }

    /// Sets the protection of `[start, end)`, as Linux's mprotect does: in
    /// address order, up to the first hole (NotMapped) or region that may
    /// not take `prot` (Denied). Returns the pieces changed (the caller
    /// updates page tables) and whether the whole range was done.
    pub fn protect(&mut self, start: u32, end: u32, prot: Prot) -> (Vec<Region>, Result<(), MapError>) {
        let mut changed = Vec::new();
        let done = self.protect_with(start, end, prot, |r| changed.push(r.clone()));
        (changed, done)
    }

    /// `protect`, handing each changed piece to `changed` as it is made
    /// (before it merges): no list is built, no region copied.
    pub fn protect_with(
        &mut self,
        start: u32,
        end: u32,
        prot: Prot,
        mut changed: impl FnMut(&Region),
    ) -> Result<(), MapError> {
        if start >= end || end > USER_END {
            return Err(MapError::BadRange);
        }
        let mut cursor = start;
        let mut result = Ok(());
        while cursor < end {
            match self.find(cursor) {
                None => result = Err(MapError::NotMapped),
                Some(r) if prot.writable() && r.write_forbidden() => result = Err(MapError::Denied),
                Some(r) => {
                    cursor = r.end.as_u32().min(end);
                    continue;
                }
            }
            break;
        }
        if cursor > start && self.regions.len() + 2 > MAX_REGIONS {
            return Err(MapError::TooMany);
        }
        // Region by region, as Linux's mprotect_fixup: one that has `prot`
        // already is left whole; a changed piece merges where it may.
        let mut at = start;
        while at < cursor {
            let r = self.find(at).expect("checked above");
            let piece_end = r.end.as_u32().min(cursor);
            if r.prot != prot && !self.move_boundary(at, piece_end, prot, &mut changed) {
                self.split_at(at);
                self.split_at(piece_end);
                let piece = self.tree_mut().get_mut(&at).expect("split here");
                piece.prot = prot;
                piece.anon = piece.anon.after_protect(prot, !piece.may_share());
                changed(piece);
                self.merge_neighbours(at, Merge::Vma);
            }
            at = piece_end;
        }
        result
    }

    /// Moves the end of the region ending at `old_end` to `new_end` (brk).
    pub fn resize_end(&mut self, start: u32, new_end: u32) -> Result<(), MapError> {
        let r = self.regions.get(&start).ok_or(MapError::NotMapped)?;
        if new_end <= r.start || !new_end.is_multiple_of(PAGE_SIZE) || new_end > USER_END {
            return Err(MapError::BadRange);
        }
        if new_end > r.end && self.overlaps(r.end.as_u32(), new_end) {
            return Err(MapError::Overlap);
        }
        self.tree_mut().get_mut(&start).expect("checked").end = user(new_end);
        Ok(())
    }

    /// Moves the start of a (stack) region down to `new_start`.
    pub fn extend_down(&mut self, start: u32, new_start: u32) -> Result<(), MapError> {
        if new_start >= start || !new_start.is_multiple_of(PAGE_SIZE) {
            return Err(MapError::BadRange);
        }
        if self.overlaps(new_start, start) {
            return Err(MapError::Overlap);
        }
        let mut r = self.tree_mut().remove(&start).ok_or(MapError::NotMapped)?;
        r.start = user(new_start);
        self.tree_mut().insert(new_start, r);
        Ok(())
    }

    /// The highest free gap of `len` bytes that ends at or below `below` and
    /// starts at or above `min`; returns its start.
    pub fn find_free_top_down(&self, len: u32, below: u32, min: u32) -> Option<u32> {
        let fits = |start: u32, end: u32| end >= start && end - start >= len;
        let mut hole_end = below;
        for r in self.regions.range(..below).rev().map(|(_, r)| r) {
            if r.end < hole_end && fits(r.end.as_u32().max(min), hole_end) {
                return Some(hole_end - len);
            }
            hole_end = hole_end.min(r.start.as_u32());
            if hole_end <= min {
                return None;
            }
        }
        fits(min, hole_end).then(|| hole_end - len)
    }
}

impl fmt::Display for MemoryMap {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        for r in self.iter() {
            writeln!(f, "{r}")?;
        }
        Ok(())
    }
}

#[path = "vma_fmt.rs"]
mod format;
pub use format::Named;

#[path = "vma_merge.rs"]
mod merge;
pub use merge::{AnonLink, Merge};

#[cfg(all(test, not(target_os = "none")))]
#[path = "vma_tests.rs"]
mod tests;

//! The bookkeeping of swap's I/O buffers (pure): which buffer holds the
//! bytes of which slots, and what each is doing. A buffer is a run of
//! physically contiguous pages (`io` owns the memory), so a batch of
//! consecutive slots moves in one virtio request.
//!
//! ```text
//!           ┌──────── write batch ─────────┐
//!   Idle ──▶ Filling ──▶ Queued ──▶ Writing ──ok──▶ Ready ──(reused)──▶ ...
//!     │                                    └─error─▶ Failed (kept until its slots are free)
//!     └──▶ Reading ──ok──▶ Ready     Reading ──error──▶ Idle
//! ```
//!
//! `valid` has a bit per page whose bytes are the slot's current contents:
//! set as a batch is filled, and for a read-ahead window the slots in use
//! when the read was issued. A slot freed (or allocated anew) clears its
//! bit everywhere, so a buffer never answers for a slot whose contents
//! changed. The buffers that answer (`find`) are the write batches at every
//! stage, done reads, and failed writes — whose pages exist nowhere else.

use alloc::vec::Vec;

/// Pages a buffer holds at most (one bit each in `valid`).
pub const MAX_PAGES: u32 = 32;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum State {
    Idle,
    /// A write batch taking pages (`first`, `n` so far).
    Filling,
    /// A full batch waiting for a free request slot of the device.
    Queued,
    Writing(u32),
    Reading(u32),
    /// The bytes are on the disk too; reusable.
    Ready,
    /// The write failed: these pages are only here.
    Failed,
}

#[derive(Clone, Copy, Debug)]
pub struct Buf {
    pub state: State,
    /// The slot of page 0, and how many pages are in use.
    pub first: u32,
    pub n: u32,
    pub cap: u32,
    pub valid: u32,
    /// When it last answered or was filled (for reuse, least recent first).
    pub used_at: u64,
}

pub struct Pool {
    pub bufs: Vec<Buf>,
    /// The batch being filled.
    pub filling: Option<usize>,
    clock: u64,
}

/// Where a slot's bytes are: buffer, page in it, and whether the buffer is
/// a failed write (the only copy).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Hit {
    pub buf: usize,
    pub page: u32,
    pub failed: bool,
}

impl Pool {
    /// Buffers of the given capacities (each at most `MAX_PAGES`).
    pub fn new(caps: &[u32]) -> Pool {
        let bufs = caps
            .iter()
            .map(|&cap| Buf { state: State::Idle, first: 0, n: 0, cap: cap.min(MAX_PAGES), valid: 0, used_at: 0 })
            .collect();
        Pool { bufs, filling: None, clock: 0 }
    }

    fn covers(b: &Buf, slot: u32) -> Option<u32> {
        let page = slot.checked_sub(b.first)?;
        (page < b.n && b.valid & (1 << page) != 0).then_some(page)
    }

    /// The buffer holding `slot`'s current bytes, if one does.
    pub fn find(&mut self, slot: u32) -> Option<Hit> {
        let now = self.tick();
        for (i, b) in self.bufs.iter_mut().enumerate() {
            if matches!(b.state, State::Idle | State::Reading(_)) {
                continue;
            }
            if let Some(page) = Self::covers(b, slot) {
                b.used_at = now;
                return Some(Hit { buf: i, page, failed: b.state == State::Failed });
            }
        }
        None
    }

    /// Whether a buffer answers for `slot` (as `find`, without touching).
    pub fn holds(&self, slot: u32) -> bool {
        self.bufs.iter().any(|b| !matches!(b.state, State::Idle | State::Reading(_)) && Self::covers(b, slot).is_some())
    }

    /// Whether `take` would find a buffer now.
    pub fn has_free(&self) -> bool {
        self.bufs
            .iter()
            .any(|b| matches!(b.state, State::Idle | State::Ready) || (b.state == State::Failed && b.valid == 0))
    }

    /// A read in flight that will bring `slot`.
    pub fn reading(&self, slot: u32) -> bool {
        self.bufs.iter().any(|b| matches!(b.state, State::Reading(_)) && Self::covers(b, slot).is_some())
    }

    /// `slot` was freed or is being reused: no buffer answers for it now.
    pub fn invalidate(&mut self, slot: u32) {
        for b in self.bufs.iter_mut() {
            if let Some(page) = slot.checked_sub(b.first).filter(|&p| p < b.n) {
                b.valid &= !(1 << page);
            }
        }
    }

    /// A buffer to reuse, emptied and Idle: an Idle one, else the least
    /// recently used Ready one, else a failed write none of whose pages
    /// are needed any more. `None` while all are busy.
    pub fn take(&mut self) -> Option<usize> {
        let idle = self.bufs.iter().position(|b| b.state == State::Idle);
        let ready = || {
            self.bufs
                .iter()
                .enumerate()
                .filter(|(_, b)| b.state == State::Ready || (b.state == State::Failed && b.valid == 0))
                .min_by_key(|(_, b)| b.used_at)
                .map(|(i, _)| i)
        };
        let i = idle.or_else(ready)?;
        self.bufs[i] = Buf { state: State::Idle, first: 0, n: 0, valid: 0, ..self.bufs[i] };
        Some(i)
    }

    /// Starts a write batch at `first` in buffer `i` (from `take`).
    pub fn start_batch(&mut self, i: usize, first: u32) {
        let now = self.tick();
        self.bufs[i] = Buf { state: State::Filling, first, n: 0, valid: 0, used_at: now, ..self.bufs[i] };
        self.filling = Some(i);
    }

    /// The slot the batch's next page must have, if it has room.
    pub fn next_slot(&self) -> Option<(usize, u32)> {
        let i = self.filling?;
        let b = &self.bufs[i];
        (b.n < b.cap).then_some((i, b.first + b.n))
    }

    /// The batch took its next page; returns the page's index.
    pub fn push(&mut self, i: usize) -> u32 {
        let b = &mut self.bufs[i];
        let page = b.n;
        b.valid |= 1 << page;
        b.n += 1;
        page
    }

    /// Ends the batch being filled: Queued if it has pages, else Idle.
    /// Returns the buffer to submit.
    pub fn close_batch(&mut self) -> Option<usize> {
        let i = self.filling.take()?;
        let b = &mut self.bufs[i];
        b.state = if b.n == 0 { State::Idle } else { State::Queued };
        (b.n != 0).then_some(i)
    }

    /// Buffer `i` (from `take`) reads `n` pages from `first`; `wanted` are
    /// the pages whose slots are in use and held by no other buffer.
    pub fn start_read(&mut self, i: usize, first: u32, n: u32, wanted: u32, id: u32) {
        let now = self.tick();
        self.bufs[i] = Buf { state: State::Reading(id), first, n, valid: wanted, used_at: now, ..self.bufs[i] };
    }

    /// Request `id` of buffer `i` finished.
    pub fn finish(&mut self, i: usize, ok: bool) {
        let b = &mut self.bufs[i];
        b.state = match (b.state, ok) {
            (State::Writing(_), true) | (State::Reading(_), true) => State::Ready,
            (State::Writing(_), false) => State::Failed,
            _ => {
                b.valid = 0;
                State::Idle
            }
        };
    }

    /// The request buffer `i` has in flight, if any. (Callers walk the
    /// buffers by index: the swap I/O path runs under the area's lock,
    /// where no list may be allocated.)
    pub fn in_flight_at(&self, i: usize) -> Option<u32> {
        match self.bufs[i].state {
            State::Writing(id) | State::Reading(id) => Some(id),
            _ => None,
        }
    }

    /// Whether buffer `i` is a batch waiting for a request slot.
    pub fn is_queued(&self, i: usize) -> bool {
        self.bufs[i].state == State::Queued
    }

    /// Whether any request is in flight.
    pub fn any_in_flight(&self) -> bool {
        (0..self.bufs.len()).any(|i| self.in_flight_at(i).is_some())
    }

    /// Whether any batch waits for a request slot.
    pub fn any_queued(&self) -> bool {
        (0..self.bufs.len()).any(|i| self.is_queued(i))
    }

    /// Nothing in flight or waiting to go (swapoff may free the memory).
    pub fn quiet(&self) -> bool {
        self.filling.is_none()
            && self.bufs.iter().all(|b| matches!(b.state, State::Idle | State::Ready | State::Failed))
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

/// The read-ahead window around `slot`: the aligned block of `width`
/// slots (a power of two) that holds it, cut to slots 1..=last (slot 0 is
/// the header). Returns (first, count).
pub fn window(slot: u32, width: u32, last: u32) -> (u32, u32) {
    let start = (slot & !(width - 1)).max(1);
    let end = (slot | (width - 1)).min(last);
    (start, end + 1 - start)
}

/// The longest run of consecutive numbers in `sorted` (ascending, no
/// repeats): (first, length); (0, 0) for none.
pub fn longest_run(sorted: &[u32]) -> (u32, u32) {
    let mut best = (0, 0);
    let mut cur = (0, 0);
    for &n in sorted {
        cur = if cur.1 != 0 && n == cur.0 + cur.1 { (cur.0, cur.1 + 1) } else { (n, 1) };
        if cur.1 > best.1 {
            best = cur;
        }
    }
    best
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn windows_are_aligned_and_cut_to_the_area() {
        assert_eq!(window(13, 8, 100), (8, 8));
        assert_eq!(window(3, 8, 100), (1, 7), "slot 0 is the header");
        assert_eq!(window(98, 8, 100), (96, 5));
        assert_eq!(window(5, 1, 100), (5, 1));
    }

    #[test]
    fn the_longest_run_of_frames() {
        assert_eq!(longest_run(&[]), (0, 0));
        assert_eq!(longest_run(&[7]), (7, 1));
        assert_eq!(longest_run(&[1, 2, 4, 5, 6, 9]), (4, 3));
        assert_eq!(longest_run(&[10, 11, 12, 20, 21]), (10, 3));
    }

    #[test]
    fn a_batch_answers_from_filling_to_reuse() {
        let mut p = Pool::new(&[4, 4]);
        let i = p.take().unwrap();
        p.start_batch(i, 10);
        assert_eq!(p.next_slot(), Some((i, 10)));
        assert_eq!(p.push(i), 0);
        assert_eq!(p.push(i), 1);
        assert_eq!(p.find(11), Some(Hit { buf: i, page: 1, failed: false }));
        assert!(p.holds(11) && !p.holds(12));
        assert_eq!(p.find(12), None);
        assert_eq!(p.close_batch(), Some(i));
        assert_eq!(p.next_slot(), None);
        assert!(p.is_queued(i) && p.any_queued() && !p.any_in_flight());
        p.bufs[i].state = State::Writing(3);
        assert!(p.in_flight_at(i) == Some(3) && p.any_in_flight() && !p.any_queued());
        assert!(p.find(10).is_some(), "a write in flight answers");
        assert!(!p.quiet());
        p.finish(i, true);
        assert!(p.quiet());
        p.invalidate(10);
        assert_eq!(p.find(10), None, "freed");
        assert!(p.find(11).is_some());
        // The other buffer is Idle: taken first; then the Ready one.
        let j = p.take().unwrap();
        assert_ne!(i, j);
        p.start_batch(j, 40);
        p.close_batch();
        assert_eq!(p.take(), Some(j), "an empty batch went back to Idle");
        p.start_batch(j, 40);
        p.push(j);
        p.close_batch();
        assert_eq!(p.take(), Some(i));
        assert_eq!(p.find(11), None, "reused");
        p.start_read(i, 1, 1, 1, 5);
        assert!(!p.has_free());
        assert_eq!(p.take(), None, "both busy");
    }

    #[test]
    fn a_failed_write_is_kept_until_its_slots_are_free() {
        let mut p = Pool::new(&[2]);
        let i = p.take().unwrap();
        p.start_batch(i, 5);
        p.push(i);
        p.push(i);
        p.close_batch();
        p.bufs[i].state = State::Writing(0);
        p.finish(i, false);
        assert_eq!(p.find(6), Some(Hit { buf: i, page: 1, failed: true }));
        p.invalidate(5);
        assert_eq!(p.take(), None, "slot 6 is only here");
        p.invalidate(6);
        assert_eq!(p.take(), Some(i));
    }

    #[test]
    fn a_read_answers_only_when_done_and_only_for_wanted_slots() {
        let mut p = Pool::new(&[8]);
        let i = p.take().unwrap();
        p.start_read(i, 8, 8, 0b0000_0101, 7);
        assert!(p.reading(8) && p.reading(10) && !p.reading(9));
        assert_eq!(p.find(8), None, "not there yet");
        p.invalidate(10); // freed while the read was in flight
        p.finish(i, true);
        assert!(p.find(8).is_some());
        assert_eq!(p.find(10), None);
        let j = p.take().unwrap();
        p.start_read(j, 8, 8, 1, 9);
        p.finish(j, false);
        assert_eq!(p.find(8), None);
        assert_eq!(p.bufs[j].state, State::Idle);
    }
}

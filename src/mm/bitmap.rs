//! A fixed set of numbered slots, one bit each, handed out lowest first in
//! runs of consecutive slots: the kernel heap's virtual pages, the kernel
//! stack slots. Pure; the bits live in the value, so nothing is allocated
//! and nothing grows.

pub struct Bitmap<const WORDS: usize> {
    len: usize,
    used: [u32; WORDS],
    /// No free slot below this one.
    hint: usize,
}

impl<const WORDS: usize> Bitmap<WORDS> {
    /// `len` slots, all free (at most `WORDS * 32`).
    pub const fn new(len: usize) -> Self {
        assert!(len <= WORDS * 32);
        Self { len, used: [0; WORDS], hint: 0 }
    }

    pub fn is_used(&self, i: usize) -> bool {
        self.used[i / 32] & (1 << (i % 32)) != 0
    }

    fn set(&mut self, i: usize, n: usize, used: bool) {
        for j in i..i + n {
            if used {
                self.used[j / 32] |= 1 << (j % 32);
            } else {
                self.used[j / 32] &= !(1 << (j % 32));
            }
        }
    }

    /// The first of the lowest `n` free consecutive slots, now taken.
    pub fn take(&mut self, n: usize) -> Option<usize> {
        let mut start = self.hint;
        while start + n <= self.len {
            match (start..start + n).find(|&j| self.is_used(j)) {
                Some(j) => start = j + 1,
                None => {
                    self.set(start, n, true);
                    if start == self.hint {
                        self.hint = start + n;
                    }
                    return Some(start);
                }
            }
        }
        None
    }

    /// Frees the `n` slots from `i`, taken by `take`.
    pub fn give(&mut self, i: usize, n: usize) {
        debug_assert!((i..i + n).all(|j| self.is_used(j)), "giving back slots not taken");
        self.set(i, n, false);
        self.hint = self.hint.min(i);
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn runs_are_first_fit_and_reused() {
        let mut r: Bitmap<2> = Bitmap::new(40);
        assert_eq!((r.take(3), r.take(1)), (Some(0), Some(3)));
        r.give(0, 3);
        assert_eq!(r.take(2), Some(0), "the hole is reused");
        assert_eq!(r.take(2), Some(4), "a run does not fit the one-slot hole");
        assert_eq!(r.take(40), None);
        assert_eq!(r.take(34), Some(6));
        assert_eq!(r.take(1), Some(2));
        assert_eq!(r.take(1), None);
    }

    #[test]
    fn the_lowest_free_slot_comes_first() {
        let mut r: Bitmap<1> = Bitmap::new(8);
        let all: Vec<_> = (0..8).map(|_| r.take(1).unwrap()).collect();
        assert_eq!(all, (0..8).collect::<Vec<_>>());
        r.give(5, 1);
        r.give(2, 1);
        assert_eq!((r.take(1), r.take(1), r.take(1)), (Some(2), Some(5), None));
    }
}

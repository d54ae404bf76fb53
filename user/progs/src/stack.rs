//! Deep recursion for the stack demos and tests.
use core::hint::black_box;

/// Stack each level of [`recurse`] uses, at least.
pub const FRAME_BYTES: usize = 1024;

/// Recurses `depth` levels, each holding a [`FRAME_BYTES`] array that the
/// optimiser must keep (no tail call, no elision); `u32::MAX` is unbounded
/// in practice. Returns the lowest stack address reached.
#[inline(never)]
pub fn recurse(depth: u32) -> usize {
    let mut frame = [0u8; FRAME_BYTES];
    frame[0] = depth as u8;
    black_box(&mut frame);
    let here = frame.as_ptr() as usize;
    if depth == 0 {
        return here;
    }
    let lowest = recurse(depth - 1);
    black_box(&frame);
    lowest.min(here)
}

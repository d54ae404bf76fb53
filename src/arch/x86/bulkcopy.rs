//! Copying runs of bytes between user memory and file pages, written for
//! how QEMU's TCG runs it: every taken branch ends a translated block, and
//! the compiler's `memcpy` on i686 moves a word per loop turn, so it pays a
//! block exit per word. Thirty-two word moves per turn make that one per
//! 128 bytes. On hardware this is as fast as any plain loop.

use core::arch::asm;

/// Bytes per loop turn (the 32 moves below).
const STEP: usize = 128;

/// Copies `len` bytes from `src` to `dst`, front to back.
///
/// # Safety
/// `src` must be readable and `dst` writable for `len` bytes, and the two
/// ranges of addresses must not overlap. (Two addresses of one frame, a
/// user page and its kernel window, are not an overlap here: the bytes then
/// come out in some order, as a `write` from a mapping of the same file
/// does on Linux.)
pub unsafe fn copy(dst: *mut u8, src: *const u8, len: usize) {
    let turns = len / STEP;
    if turns > 0 {
        // SAFETY: the loop reads `turns * STEP` bytes from `src` and writes
        // as many to `dst`, within the ranges the caller vouches for;
        // unaligned dword moves are legal on x86.
        unsafe {
            asm!(
            "2:",
            "mov {t}, dword ptr [{s} + 0]",
            "mov dword ptr [{d} + 0], {t}",
            "mov {t}, dword ptr [{s} + 4]",
            "mov dword ptr [{d} + 4], {t}",
            "mov {t}, dword ptr [{s} + 8]",
            "mov dword ptr [{d} + 8], {t}",
            "mov {t}, dword ptr [{s} + 12]",
            "mov dword ptr [{d} + 12], {t}",
            "mov {t}, dword ptr [{s} + 16]",
            "mov dword ptr [{d} + 16], {t}",
            "mov {t}, dword ptr [{s} + 20]",
            "mov dword ptr [{d} + 20], {t}",
            "mov {t}, dword ptr [{s} + 24]",
            "mov dword ptr [{d} + 24], {t}",
            "mov {t}, dword ptr [{s} + 28]",
            "mov dword ptr [{d} + 28], {t}",
            "mov {t}, dword ptr [{s} + 32]",
            "mov dword ptr [{d} + 32], {t}",
            "mov {t}, dword ptr [{s} + 36]",
            "mov dword ptr [{d} + 36], {t}",
            "mov {t}, dword ptr [{s} + 40]",
            "mov dword ptr [{d} + 40], {t}",
            "mov {t}, dword ptr [{s} + 44]",
            "mov dword ptr [{d} + 44], {t}",
            "mov {t}, dword ptr [{s} + 48]",
            "mov dword ptr [{d} + 48], {t}",
            "mov {t}, dword ptr [{s} + 52]",
            "mov dword ptr [{d} + 52], {t}",
            "mov {t}, dword ptr [{s} + 56]",
            "mov dword ptr [{d} + 56], {t}",
            "mov {t}, dword ptr [{s} + 60]",
            "mov dword ptr [{d} + 60], {t}",
            "mov {t}, dword ptr [{s} + 64]",
            "mov dword ptr [{d} + 64], {t}",
            "mov {t}, dword ptr [{s} + 68]",
            "mov dword ptr [{d} + 68], {t}",
            "mov {t}, dword ptr [{s} + 72]",
            "mov dword ptr [{d} + 72], {t}",
            "mov {t}, dword ptr [{s} + 76]",
            "mov dword ptr [{d} + 76], {t}",
            "mov {t}, dword ptr [{s} + 80]",
            "mov dword ptr [{d} + 80], {t}",
            "mov {t}, dword ptr [{s} + 84]",
            "mov dword ptr [{d} + 84], {t}",
            "mov {t}, dword ptr [{s} + 88]",
            "mov dword ptr [{d} + 88], {t}",
            "mov {t}, dword ptr [{s} + 92]",
            "mov dword ptr [{d} + 92], {t}",
            "mov {t}, dword ptr [{s} + 96]",
            "mov dword ptr [{d} + 96], {t}",
            "mov {t}, dword ptr [{s} + 100]",
            "mov dword ptr [{d} + 100], {t}",
            "mov {t}, dword ptr [{s} + 104]",
            "mov dword ptr [{d} + 104], {t}",
            "mov {t}, dword ptr [{s} + 108]",
            "mov dword ptr [{d} + 108], {t}",
            "mov {t}, dword ptr [{s} + 112]",
            "mov dword ptr [{d} + 112], {t}",
            "mov {t}, dword ptr [{s} + 116]",
            "mov dword ptr [{d} + 116], {t}",
            "mov {t}, dword ptr [{s} + 120]",
            "mov dword ptr [{d} + 120], {t}",
            "mov {t}, dword ptr [{s} + 124]",
            "mov dword ptr [{d} + 124], {t}",
            "add {s}, 128",
            "add {d}, 128",
            "dec {n}",
            "jnz 2b",
            s = inout(reg) src => _,
            d = inout(reg) dst => _,
            n = inout(reg) turns => _,
            t = out(reg) _,
            options(nostack),
            )
        }
    }
    let done = turns * STEP;
    // SAFETY: the tail lies within the caller's ranges, which do not overlap.
    unsafe { core::ptr::copy_nonoverlapping(src.add(done), dst.add(done), len - done) };
}

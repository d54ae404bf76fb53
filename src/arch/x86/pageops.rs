//! Whole-page zeroing and copying (the copy is `bulkcopy`'s), written for
//! how QEMU's TCG runs them:
//! every taken branch ends a translated block, so a word-at-a-time loop
//! (the compiler's `memset`) costs a block exit per word, and `rep stos`
//! one per iteration. Thirty-two word moves per loop turn make that one
//! per 128 bytes. On hardware this is as fast as any plain loop.

use core::arch::asm;

const PAGE: usize = 4096;
/// Bytes per loop turn (the 32 moves below).
const STEP: usize = 128;

/// Fills `page` with zeros.
pub fn zero_page(page: &mut [u8; PAGE]) {
    // SAFETY: the loop writes exactly PAGE bytes from the start of `page`,
    // which `&mut` makes ours; unaligned dword stores are legal on x86.
    unsafe {
        asm!(
            "2:",
            "mov dword ptr [{p} + 0], {z}",
            "mov dword ptr [{p} + 4], {z}",
            "mov dword ptr [{p} + 8], {z}",
            "mov dword ptr [{p} + 12], {z}",
            "mov dword ptr [{p} + 16], {z}",
            "mov dword ptr [{p} + 20], {z}",
            "mov dword ptr [{p} + 24], {z}",
            "mov dword ptr [{p} + 28], {z}",
            "mov dword ptr [{p} + 32], {z}",
            "mov dword ptr [{p} + 36], {z}",
            "mov dword ptr [{p} + 40], {z}",
            "mov dword ptr [{p} + 44], {z}",
            "mov dword ptr [{p} + 48], {z}",
            "mov dword ptr [{p} + 52], {z}",
            "mov dword ptr [{p} + 56], {z}",
            "mov dword ptr [{p} + 60], {z}",
            "mov dword ptr [{p} + 64], {z}",
            "mov dword ptr [{p} + 68], {z}",
            "mov dword ptr [{p} + 72], {z}",
            "mov dword ptr [{p} + 76], {z}",
            "mov dword ptr [{p} + 80], {z}",
            "mov dword ptr [{p} + 84], {z}",
            "mov dword ptr [{p} + 88], {z}",
            "mov dword ptr [{p} + 92], {z}",
            "mov dword ptr [{p} + 96], {z}",
            "mov dword ptr [{p} + 100], {z}",
            "mov dword ptr [{p} + 104], {z}",
            "mov dword ptr [{p} + 108], {z}",
            "mov dword ptr [{p} + 112], {z}",
            "mov dword ptr [{p} + 116], {z}",
            "mov dword ptr [{p} + 120], {z}",
            "mov dword ptr [{p} + 124], {z}",
            "add {p}, 128",
            "dec {n}",
            "jnz 2b",
            p = inout(reg) page.as_mut_ptr() => _,
            n = inout(reg) PAGE / STEP => _,
            z = in(reg) 0u32,
            options(nostack),
        )
    }
}

/// Copies `src` over `dst` (`bulkcopy`'s loop: 32 word moves per turn).
pub fn copy_page(dst: &mut [u8; PAGE], src: &[u8; PAGE]) {
    // SAFETY: both are PAGE bytes, borrowed for the copy, and (being `&`
    // and `&mut`) disjoint.
    unsafe { super::bulkcopy::copy(dst.as_mut_ptr(), src.as_ptr(), PAGE) };
}

//! Whole-page zeroing and copying, written for how QEMU's TCG runs them:
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

/// Copies `src` over `dst`.
pub fn copy_page(dst: &mut [u8; PAGE], src: &[u8; PAGE]) {
    // SAFETY: the loop reads PAGE bytes of `src` and writes PAGE bytes of
    // `dst`, both borrowed for it (and, being `&` and `&mut`, disjoint).
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
            s = inout(reg) src.as_ptr() => _,
            d = inout(reg) dst.as_mut_ptr() => _,
            n = inout(reg) PAGE / STEP => _,
            t = out(reg) _,
            options(nostack),
        )
    }
}

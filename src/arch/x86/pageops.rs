//! Whole-page zeroing and copying. Both are the kernel's own `memset` and
//! `memcpy` (`memfns`), which move 128 bytes per loop turn: under QEMU's
//! TCG every taken branch ends a translated block, so that is one block
//! exit per 128 bytes, where compiler_builtins' word loop paid one per
//! word and `rep stos` one per iteration.

const PAGE: usize = 4096;

/// Fills `page` with zeros.
pub fn zero_page(page: &mut [u8; PAGE]) {
    page.fill(0);
}

/// Copies `src` over `dst`.
pub fn copy_page(dst: &mut [u8; PAGE], src: &[u8; PAGE]) {
    dst.copy_from_slice(src);
}

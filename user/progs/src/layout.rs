//! Addresses the linker script (`user.ld`) defines.
unsafe extern "C" {
    static __text_start: u8;
    static __text_end: u8;
    /// The entry point in `rt` (code, declared as a byte to take its address).
    static _start: u8;
}

/// The program's text segment (headers, code, read-only data), page aligned
/// at the start.
pub fn text_range() -> core::ops::Range<usize> {
    // Taking the address of an extern static is safe; its contents are never read.
    (&raw const __text_start) as usize..(&raw const __text_end) as usize
}

/// The address of `_start`, the first code every process of this program runs.
pub fn entry() -> usize {
    (&raw const _start) as usize
}

//! The multiboot2 header and the assembly entry (`boot/entry.S`), and the
//! symbols it exports to Rust.

core::arch::global_asm!(include_str!("../../../boot/entry.S"), options(att_syntax));

unsafe extern "C" {
    /// The boot page directory built by `_start` (4 MiB pages).
    pub static boot_page_directory: [u32; 1024];
    pub static boot_stack_guard: u8;
    pub static boot_stack_bottom: u8;
    pub static boot_stack_top: u8;
    pub static __kernel_start: u8;
    pub static __text_end: u8;
    pub static __rodata_end: u8;
    pub static __kernel_end: u8;
}

/// The address of a linker or assembly symbol, as a number.
#[macro_export]
macro_rules! symbol_addr {
    ($sym:ident) => {
        // Taking the address of an extern static reads nothing.
        (&raw const $crate::arch::x86::boot::$sym) as *const u8 as u32
    };
}

//! With 16 MiB, every usable frame is allocated once and the count matches.
//! qemu: --mem 16M
//! expect-output: ^usable memory: 15 MiB
#![no_std]
#![no_main]
extern crate alloc;
mod common;
include!("common/frames_check.rs");

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    check_all_frames(common::boot(magic, info_phys))
}

//! With 3 GiB (most of it above the 512 MiB direct map), every usable frame
//! is allocated once and the count matches.
//! qemu: --mem 3G
//! expect-output: ^usable memory: 30[0-9][0-9] MiB
#![no_std]
#![no_main]
extern crate alloc;
mod common;
include!("common/frames_check.rs");

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    check_all_frames(common::boot(magic, info_phys))
}

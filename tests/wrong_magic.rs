//! A kernel started without the multiboot2 magic says so and stops.
//! expect-exit: panic
//! expect-output: ^BOOT FAILED: not started by a multiboot2 boot loader \(EAX = 0x2badb002
#![no_std]
#![no_main]

#[unsafe(no_mangle)]
pub extern "C" fn kmain(_magic: u32, info_phys: u32) -> ! {
    // Pretend a multiboot1 loader started us.
    kernel::init::init(0x2BAD_B002, info_phys);
    kernel::arch::x86::qemu::exit(kernel::arch::x86::qemu::ExitCode::Success)
}

//! The boot information arrives intact: the command line GRUB was given, a
//! memory map with usable memory, and the symbol module.
//! cmdline: log=debug marker=boot-info-test
//! expect-output: ^command line: log=debug marker=boot-info-test
//! expect-output: ^usable memory: 127 MiB
#![no_std]
#![no_main]

use kernel::arch::x86::qemu::{ExitCode, exit};
use kernel::bootinfo::{cmdline, usable_bytes};

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    let info = kernel::init::init(magic, info_phys);
    assert_eq!(cmdline::value(info.cmdline, "marker"), Some("boot-info-test"));
    assert!(usable_bytes(info.regions()) > 100 << 20, "QEMU was given 128 MiB");
    let sym = info.module(kernel::symbols::MODULE_NAME).expect("symbol module");
    assert_eq!(sym.start % 4096, 0, "modules are page-aligned (header tag)");
    assert!(kernel::symbols::lookup(kmain as *const () as u32).is_some_and(|(n, _)| n.contains("kmain")));
    exit(ExitCode::Success)
}

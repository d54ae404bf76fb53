//! Bringing the kernel up, one subsystem at a time, in the order they depend
//! on each other. Every kernel (the real one and each test kernel) calls `init`.

use crate::arch::x86::qemu::{ExitCode, exit};
use crate::bootinfo::multiboot::{BootError, BootInfo};
use crate::bootinfo::{cmdline, usable_bytes};
use crate::console;
use crate::kprintln;

/// The name the kernel gives itself (the gdb test reads it).
pub static BANNER: &str = "memguard: 32-bit x86 kernel that catches every illegal memory reference";

/// Brings up every subsystem. Never returns on a boot loader that is not
/// multiboot2: it says so on both consoles and stops.
pub fn init(magic: u32, info_phys: u32) -> &'static BootInfo {
    console::init();
    console::set_log_clock(crate::time::monotonic_ns);
    let info = match BootInfo::parse(magic, info_phys, crate::mm::layout::direct_map) {
        Ok(info) => crate::bootinfo::keep(info),
        Err(e) => boot_failure(e),
    };
    if let Some(level) = cmdline::value(info.cmdline, "log").and_then(console::logger::parse_level) {
        log::set_max_level(level);
    }
    crate::arch::x86::init_cpu();
    // `make bench` boots with `bench`: the gates that time the bare mechanisms.
    if cmdline::has_flag(info.cmdline, "bench") {
        crate::arch::x86::benchgate::enable();
    }
    crate::symbols::init(info);
    print_summary(info);
    crate::mm::init(info);
    if cmdline::has_flag(info.cmdline, "heaptrace") {
        crate::mm::heap::start_trace();
        kprintln!("heap trace: on (the `heap` view lists live allocations by caller)");
    }
    crate::arch::x86::init_interrupts();
    console::serial::enable_receive_interrupt();
    crate::time::init();
    crate::dev::init(&mut crate::console::Console);
    crate::fs::root::init();
    print_memory(info);
    let _ = crate::arch::x86::gdt::dump(&mut crate::console::Console);
    info
}

fn boot_failure(e: BootError) -> ! {
    kprintln!("BOOT FAILED: {e}");
    kprintln!("This kernel must be started by GRUB (multiboot2); try `make run`.");
    exit(ExitCode::Panic)
}

/// The boot summary: loader, command line, memory map, modules.
pub fn print_summary(info: &BootInfo) {
    kprintln!("{BANNER}");
    kprintln!("booted by {}", nonempty(info.loader));
    kprintln!("command line: {}", nonempty(info.cmdline));
    kprintln!("physical memory map:");
    for r in info.regions() {
        kprintln!("  {:#011x}-{:#011x} {:>9} KiB  {}", r.start, r.end, (r.end - r.start) / 1024, r.kind.name());
    }
    if info.dropped_regions > 0 {
        log::warn!("{} memory-map entries did not fit and were ignored", info.dropped_regions);
    }
    kprintln!("usable memory: {} MiB", usable_bytes(info.regions()) >> 20);
    kprintln!("boot modules: {}", info.modules().len());
    if info.dropped_modules > 0 {
        kprintln!(
            "boot modules: {} more ignored: the kernel keeps at most {} (put files in the initramfs instead)",
            info.dropped_modules,
            crate::bootinfo::multiboot::MAX_MODULES
        );
    }
    for m in info.modules() {
        kprintln!("  {:#010x}-{:#010x} {:>8} bytes  {}", m.start, m.end, m.len(), m.name);
    }
}

/// Frame and heap accounting after memory init.
pub fn print_memory(_info: &BootInfo) {
    let f = crate::mm::phys::stats();
    let (heap_used, heap_size) = crate::mm::heap::usage();
    kprintln!("frames: {f}");
    kprintln!(
        "kernel page tables: {} KiB; heap: {} of {} KiB in use",
        crate::mm::kernel_space::page_table_bytes() / 1024,
        heap_used / 1024,
        heap_size / 1024
    );
}

fn nonempty(s: &str) -> &str {
    if s.is_empty() { "(none)" } else { s }
}

//! The kernel binary: the boot sequence, then the first user process.
#![no_std]
#![no_main]

use kernel::arch::x86::qemu::{ExitCode, exit};
use kernel::bootinfo::cmdline;
use kernel::kprintln;
use kernel::task::{lifecycle, sched};

/// The program started as process 1 when the command line names none.
const DEFAULT_INIT: &str = "/bin/init";

/// Called by `_start` (boot/entry.S) on the boot stack, paging on.
#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    let info = kernel::init::init(magic, info_phys);
    sched::init();
    kernel::fs::root::set_proc_source(kernel::task::procfs::entries);
    kernel::fs::pages::set_truncate_hook(kernel::task::filemap::file_truncated);
    kernel::mm::swap::io::set_io(kernel::dev::blk::SWAP_IO);
    kernel::fs::root::set_proc_reader(kernel::task::procfs::READER);
    kernel::fs::shmem::keep_boot_files();
    let init = cmdline::value(info.cmdline, "init").unwrap_or(DEFAULT_INIT);
    let owned: alloc::vec::Vec<alloc::string::String> = cmdline::init_args(info.cmdline).collect();
    let args: alloc::vec::Vec<&str> = owned.iter().map(|a| a.as_str()).collect();
    if let Err(e) = lifecycle::spawn_init(init, &args) {
        kprintln!("cannot start init {init}: {e:?}");
        kprintln!("files: {:?}", kernel::fs::list().iter().map(|(n, _)| n.as_str()).collect::<alloc::vec::Vec<_>>());
        exit(ExitCode::Failure);
    }
    // Linux's order: init is pid 1, kthreadd 2, then the kernel threads.
    if let Err(e) = kernel::task::kthread::start_kthreadd().and_then(|()| kernel::task::swapd::start()) {
        kprintln!("cannot start the kernel threads: {e:?}");
        exit(ExitCode::Failure);
    }
    log::info!("starting {init} as process 1");
    // Power-on to here, by the TSC (QEMU starts it at zero): the boot time
    // `make bench` reports.
    kprintln!("boot: init starts at TSC {}", kernel::arch::x86::instructions::rdtsc());
    kprintln!("boot: per-process kernel memory for init at exec: {}", lifecycle::overhead_of(1));
    sched::run_idle()
}

extern crate alloc;

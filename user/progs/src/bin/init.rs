//! `init`: process 1. Turns swap on when /dev/vda carries a swap header
//! (`make run SWAP=256M`), starts the shell, reaps every child (orphans
//! are re-parented to init), and restarts the shell when it ends.
//!
//! The shell is `$BINDIR/sh` (BINDIR defaults to /bin; on Linux set it to
//! user/build/bin), started with argv ["sh"] and init's own environment.
//! A shell that ends within RAPID_NS of starting counts as a rapid death;
//! after MAX_RAPID of those in a row init gives up and exits 1.
#![no_std]
#![no_main]

use alloc::vec::Vec;

use rt::process::{CStrArray, Fork, Pid, execve, fork, waitpid};
use rt::{Args, ExitStatus, println};

extern crate alloc;

rt::entry!(main);

const RAPID_NS: i64 = 2_000_000_000;
const MAX_RAPID: u32 = 5;

fn main(args: Args) -> i32 {
    swap_on();
    let bindir = args.env_var("BINDIR").unwrap_or(b"/bin");
    let mut path: Vec<u8> = bindir.to_vec();
    path.extend_from_slice(b"/sh");
    let Ok(argv) = CStrArray::new([&b"sh"[..]]) else { return 1 };
    let Ok(envp) = CStrArray::new(args.env()) else { return 1 };
    let Ok(path) = alloc::ffi::CString::new(path) else { return 1 };

    let mut rapid = 0;
    loop {
        let started = rt::time::monotonic_ns();
        let shell = match start_shell(&path, &argv, &envp) {
            Ok(pid) => pid,
            Err(e) => {
                println!("init: cannot fork the shell: {e}");
                return 1;
            }
        };
        let how = reap_until(shell);
        println!("init: shell (pid {shell}) ended: {how}");
        if rt::time::monotonic_ns() - started < RAPID_NS {
            rapid += 1;
            if rapid >= MAX_RAPID {
                println!("init: the shell died {MAX_RAPID} times in a row at once; giving up");
                return 1;
            }
            // Back off a little so a shell that cannot start does not flood the console.
            let _ = rt::time::sleep_ms(100 * rapid);
        } else {
            rapid = 0;
        }
        println!("init: restarting the shell");
    }
}

/// swapon("/dev/vda", 0) if the disk is there and mkswap made it: the
/// header's signature ends its first page (Linux's union swap_header).
fn swap_on() {
    let dev = c"/dev/vda";
    let Ok(fd) = rt::fs::open(dev, rt::fs::Access::ReadOnly, rt::fs::OpenFlags::empty(), 0) else { return };
    let mut page = [0u8; 4096];
    let n = rt::fs::read(fd, &mut page);
    let _ = rt::fs::close(fd);
    if n != Ok(page.len()) || &page[4086..] != b"SWAPSPACE2" {
        return;
    }
    let last_page = u32::from_le_bytes([page[1028], page[1029], page[1030], page[1031]]);
    // SAFETY: `dev` is a NUL-terminated string; the kernel only reads it.
    let r = unsafe { rt::arch::syscall::syscall2(rt::arch::nr::SWAPON, dev.as_ptr() as usize, 0) };
    match rt::errno::check(r) {
        Ok(_) => println!("init: swap on /dev/vda, {} KiB", u64::from(last_page) * 4),
        Err(e) => println!("init: swapon /dev/vda: {e}"),
    }
}

/// Forks and execs the shell; the child exits 127 if exec fails.
fn start_shell(path: &core::ffi::CStr, argv: &CStrArray, envp: &CStrArray) -> Result<Pid, rt::Errno> {
    match fork()? {
        Fork::Child => {
            let e = execve(path, argv, envp);
            println!("init: cannot exec {}: {e}", path.to_str().unwrap_or("?"));
            rt::process::exit_group(127)
        }
        Fork::Parent(pid) => Ok(pid),
    }
}

/// Reaps children (the shell's orphans included) until `shell` ends;
/// returns how it ended.
fn reap_until(shell: Pid) -> ExitStatus {
    loop {
        match waitpid(-1, 0) {
            Ok((pid, status)) if pid == shell => return ExitStatus::from_raw(status),
            Ok(_) | Err(rt::Errno::EINTR) => {}
            Err(e) => {
                // ECHILD: the shell is gone without a status (a kernel bug);
                // anything else is as bad. Pause so this cannot spin.
                println!("init: waitpid: {e}");
                let _ = rt::time::sleep_ms(1000);
                return ExitStatus::Other(-1);
            }
        }
    }
}

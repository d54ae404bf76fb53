//! Bad memory references from ring 3: each must kill the child that makes
//! it with SIGSEGV and nothing else. Plus the stack: 1 MiB of recursion
//! works, unbounded recursion kills only the child.
use progs::region::Region;
use progs::stack::{FRAME_BYTES, recurse};
use rt::Errno;
use rt::arch::insn::{jump_to, load_u8, store_u8};
use rt::fs;
use rt::mem::{PAGE_SIZE, current_brk, page_round_up};
use rt::signal::Signal;

use crate::check::{OrFail, Outcome, Test, ensure, expect_err, expect_exit, expect_killed};
use crate::files::open_existing;

pub static TESTS: &[Test] = &[
    Test {
        name: "fault_null_read",
        run: || {
            expect_killed(Signal::SIGSEGV, || {
                load_u8(0);
            })
        },
    },
    Test { name: "fault_null_write", run: || segv_on_store(0) },
    Test {
        name: "fault_kernel_read",
        run: || {
            expect_killed(Signal::SIGSEGV, || {
                load_u8(KERNEL);
            })
        },
    },
    Test { name: "fault_kernel_write", run: || segv_on_store(KERNEL) },
    Test { name: "fault_text_write", run: fault_text_write },
    Test { name: "fault_past_brk", run: fault_past_brk },
    Test { name: "fault_after_munmap", run: fault_after_munmap },
    Test { name: "fault_jump_unmapped", run: fault_jump_unmapped },
    Test { name: "read_into_text", run: read_into_text },
    Test { name: "stack_1mib", run: stack_1mib },
    Test { name: "stack_unbounded", run: stack_unbounded },
];

/// memguard's kernel image (0xC0100000); unmapped under Linux's IA32 emulation.
const KERNEL: usize = 0xC010_0000;

fn segv_on_store(addr: usize) -> Outcome {
    // SAFETY: `addr` is not ours: the store must fault, in a disposable child.
    expect_killed(Signal::SIGSEGV, || unsafe { store_u8(addr, 0x42) })
}

fn text_addr() -> usize {
    fault_text_write as *const () as usize
}

fn fault_text_write() -> Outcome {
    let before = load_u8(text_addr());
    segv_on_store(text_addr())?;
    ensure!(load_u8(text_addr()) == before, "the parent's text changed");
    Ok(())
}

fn fault_past_brk() -> Outcome {
    let past = page_round_up(current_brk());
    expect_killed(Signal::SIGSEGV, || {
        load_u8(past);
    })
}

fn fault_after_munmap() -> Outcome {
    let r = Region::new(2 * PAGE_SIZE, rt::mem::Sharing::Private).or_fail("mmap")?;
    r.write(0, 1);
    r.write(PAGE_SIZE, 1);
    let addr = r.addr();
    r.unmap().or_fail("munmap")?;
    expect_killed(Signal::SIGSEGV, || {
        load_u8(addr);
    })?;
    expect_killed(Signal::SIGSEGV, || {
        load_u8(addr + PAGE_SIZE);
    })
}

fn fault_jump_unmapped() -> Outcome {
    // SAFETY: page 1 is never mapped (below every load address).
    expect_killed(Signal::SIGSEGV, || unsafe { jump_to(0x1000) })
}

/// A system call that writes into read-only text must fail with EFAULT and
/// leave the text alone: the kernel's own writes obey page protection.
fn read_into_text() -> Outcome {
    let fd = open_existing()?;
    let before = load_u8(text_addr());
    // SAFETY: the kernel must refuse to write to text; if it did not, only
    // bytes of a function not running now would change, and this is caught.
    let got = unsafe { fs::read_raw(fd, text_addr() as *mut u8, 4) };
    expect_err("read() into text", got, Errno::EFAULT)?;
    ensure!(load_u8(text_addr()) == before, "read() changed the text");
    Ok(())
}

fn stack_1mib() -> Outcome {
    expect_exit(0, || {
        recurse((1024 * 1024 / FRAME_BYTES) as u32);
        0
    })
}

fn stack_unbounded() -> Outcome {
    expect_killed(Signal::SIGSEGV, || {
        recurse(u32::MAX);
    })
}

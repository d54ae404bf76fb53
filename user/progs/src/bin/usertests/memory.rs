//! The address space: brk, anonymous mmap, MAP_FIXED, munmap, mprotect,
//! and the errors of each.
use progs::region::Region;
use rt::Errno;
use rt::arch::insn::{load_u8, store_u8};
use rt::mem::{MapFlags, PAGE_SIZE, Prot, Sharing, current_brk, mmap2, mprotect, munmap, page_round_up, set_brk};
use rt::signal::Signal;

use crate::check::{Fail, OrFail, Outcome, Test, ensure, expect_err, expect_killed, on_linux, skip_part};

pub static TESTS: &[Test] = &[
    Test { name: "brk_grow_shrink", run: brk_grow_shrink },
    Test { name: "brk_limits", run: brk_limits },
    Test { name: "mmap_zeroed", run: mmap_zeroed },
    Test { name: "mmap_fixed", run: mmap_fixed },
    Test { name: "mmap_len0", run: mmap_len0 },
    Test { name: "mmap_fixed_kernel", run: mmap_fixed_kernel },
    Test { name: "munmap_unaligned", run: munmap_unaligned },
    Test { name: "mprotect_read_only", run: mprotect_read_only },
    Test { name: "mprotect_none", run: mprotect_none },
];

const KERNEL: usize = 0xC000_0000;

/// True when every byte of `from..to` reads as zero.
fn zeroed(from: usize, to: usize) -> bool {
    (from..to).all(|a| load_u8(a) == 0)
}

fn brk_grow_shrink() -> Outcome {
    let start = current_brk();
    ensure!(start != 0, "brk(0) returned 0");
    let end = start + 3 * PAGE_SIZE + 123;
    // SAFETY: growing gives up nothing.
    let got = unsafe { set_brk(end) };
    ensure!(got == Ok(end) && current_brk() == end, "brk({end:#x}) gave {got:?}");
    ensure!(zeroed(start, end), "new brk memory is not zero");
    // SAFETY: start..end is the heap just grown.
    (start..end).for_each(|a| unsafe { store_u8(a, 0x5a) });
    ensure!((start..end).all(|a| load_u8(a) == 0x5a), "brk memory does not keep what was written");
    // SAFETY: the heap above `start` is used only by this test (rt's
    // allocator takes its memory from mmap, not brk).
    let got = unsafe { set_brk(start) };
    ensure!(got == Ok(start) && current_brk() == start, "shrinking brk to {start:#x} gave {got:?}");
    // SAFETY: growing gives up nothing.
    let got = unsafe { set_brk(end) };
    ensure!(got == Ok(end), "growing brk again gave {got:?}");
    let whole = page_round_up(start);
    ensure!(zeroed(whole, end), "pages given back by brk and taken again are not zero");
    // SAFETY: as for the first shrink.
    let _ = unsafe { set_brk(start) };
    Ok(())
}

fn brk_limits() -> Outcome {
    let start = current_brk();
    // SAFETY: a refused brk changes nothing; an accepted one is checked.
    let below = unsafe { set_brk(start - PAGE_SIZE) };
    ensure!(below.is_err() && current_brk() == start, "brk below the initial break gave {below:?}");
    if on_linux() {
        // Linux lets a 32-bit process grow its heap to 3 GiB; memguard's kernel lives there.
        skip_part("brk into kernel space: under Linux a 32-bit process owns 0xC0000000");
        return Ok(());
    }
    // SAFETY: must be refused; growing would give up nothing anyway.
    let kernel = unsafe { set_brk(KERNEL + PAGE_SIZE) };
    ensure!(kernel.is_err() && current_brk() == start, "brk into kernel space gave {kernel:?}");
    Ok(())
}

fn mmap_zeroed() -> Outcome {
    let r = Region::new(16 * PAGE_SIZE, Sharing::Private).or_fail("mmap")?;
    ensure!((0..r.len()).all(|i| r.read(i) == 0), "fresh anonymous memory is not zero");
    (0..r.len()).for_each(|i| r.write(i, i as u8));
    ensure!((0..r.len()).all(|i| r.read(i) == i as u8), "anonymous memory does not keep what was written");
    r.unmap().or_fail("munmap")
}

/// MAP_FIXED over the middle page of a three-page mapping replaces just
/// that page with fresh zeroed memory.
fn mmap_fixed() -> Outcome {
    let r = Region::new(3 * PAGE_SIZE, Sharing::Private).or_fail("mmap")?;
    (0..3).for_each(|p| r.write(p * PAGE_SIZE, 0x11 * (p as u8 + 1)));
    let middle = r.page_addr(1);
    // SAFETY: the middle page is ours, accessed only through `r`.
    let got = unsafe {
        mmap2(
            middle,
            PAGE_SIZE,
            Prot::READ | Prot::WRITE,
            Sharing::Private,
            MapFlags::ANONYMOUS | MapFlags::FIXED,
            -1,
            0,
        )
    };
    ensure!(got == Ok(middle as *mut u8), "MAP_FIXED at {middle:#x} gave {got:?}");
    ensure!(r.read(PAGE_SIZE) == 0, "the replaced page still holds the old data");
    ensure!(r.read(0) == 0x11 && r.read(2 * PAGE_SIZE) == 0x33, "MAP_FIXED disturbed the neighbouring pages");
    r.write(PAGE_SIZE, 0x77);
    ensure!(r.read(PAGE_SIZE) == 0x77, "the new page is not writable");
    r.unmap().or_fail("munmap")
}

fn mmap_len0() -> Outcome {
    // SAFETY: not FIXED; nothing is replaced.
    let got = unsafe { mmap2(0, 0, Prot::READ, Sharing::Private, MapFlags::ANONYMOUS, -1, 0) };
    expect_err("mmap of length 0", got, Errno::EINVAL)
}

fn mmap_fixed_kernel() -> Outcome {
    if on_linux() {
        return Err(Fail::Skipped("under Linux a 32-bit process owns 0xC0000000"));
    }
    // SAFETY: must be refused; if not, it maps where nothing of ours lives.
    let got = unsafe {
        mmap2(
            KERNEL,
            PAGE_SIZE,
            Prot::READ | Prot::WRITE,
            Sharing::Private,
            MapFlags::ANONYMOUS | MapFlags::FIXED,
            -1,
            0,
        )
    };
    match got {
        Err(Errno::EINVAL | Errno::ENOMEM) => Ok(()),
        other => Err(Fail::Failed(alloc::format!("MAP_FIXED at {KERNEL:#x}: {other:?}, want EINVAL or ENOMEM"))),
    }
}

fn munmap_unaligned() -> Outcome {
    let r = Region::page().or_fail("mmap")?;
    // SAFETY: must be refused; the page stays mapped and is checked.
    let got = unsafe { munmap(r.addr() + 1, PAGE_SIZE) };
    expect_err("munmap(addr + 1)", got, Errno::EINVAL)?;
    r.write(0, 1);
    ensure!(r.read(0) == 1, "the page is gone after a refused munmap");
    Ok(())
}

fn mprotect_read_only() -> Outcome {
    let r = Region::page().or_fail("mmap")?;
    r.write(0, 5);
    // SAFETY: the page is written below only in the child that must die,
    // and after write access is given back.
    unsafe { mprotect(r.addr(), PAGE_SIZE, Prot::READ) }.or_fail("mprotect(PROT_READ)")?;
    ensure!(r.read(0) == 5, "a read-only page lost its contents");
    expect_killed(Signal::SIGSEGV, || r.write(0, 6))?;
    // SAFETY: giving write access back restricts nothing.
    unsafe { mprotect(r.addr(), PAGE_SIZE, Prot::READ | Prot::WRITE) }.or_fail("mprotect(RW)")?;
    r.write(0, 7);
    ensure!(r.read(0) == 7, "the page is not writable again");
    Ok(())
}

fn mprotect_none() -> Outcome {
    let r = Region::page().or_fail("mmap")?;
    r.write(0, 5);
    // SAFETY: the page is read only in the child that must die, and after
    // access is given back.
    unsafe { mprotect(r.addr(), PAGE_SIZE, Prot::empty()) }.or_fail("mprotect(PROT_NONE)")?;
    expect_killed(Signal::SIGSEGV, || {
        r.read(0);
    })?;
    // SAFETY: the page is only read from now on.
    unsafe { mprotect(r.addr(), PAGE_SIZE, Prot::READ) }.or_fail("mprotect(PROT_READ)")?;
    ensure!(r.read(0) == 5, "the page lost its contents under PROT_NONE");
    // SAFETY: not FIXED; nothing is replaced.
    let fresh = unsafe { mmap2(0, PAGE_SIZE, Prot::empty(), Sharing::Private, MapFlags::ANONYMOUS, -1, 0) }
        .or_fail("mmap(PROT_NONE)")?;
    expect_killed(Signal::SIGSEGV, || {
        load_u8(fresh as usize);
    })
}

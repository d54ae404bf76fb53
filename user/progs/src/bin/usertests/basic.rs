//! Plain system calls: identity, writing, bad pointers and descriptors,
//! unknown calls, register preservation, time, uname, sysinfo.
use core::arch::asm;

use progs::region::Region;
use rt::arch::syscall::syscall0;
use rt::fs::{self, Access, OpenFlags, read_raw, write_raw};
use rt::mem::PAGE_SIZE;
use rt::process::{getpid, getppid};
use rt::time::{Clock, clock_gettime, gettimeofday, sleep_ms};
use rt::{Errno, system};

use crate::check::{Fail, OrFail, Outcome, Test, ensure, expect_err, expect_exit, on_linux};
use crate::files::{existing_file, open_existing};

pub static TESTS: &[Test] = &[
    Test { name: "getpid", run: getpid_getppid },
    Test { name: "write_stdout", run: write_stdout },
    Test { name: "write_bad_pointer", run: write_bad_pointer },
    Test { name: "read_bad_pointer", run: read_bad_pointer },
    Test { name: "bad_fd", run: bad_fd },
    Test { name: "enosys", run: enosys },
    Test { name: "registers_preserved", run: registers_preserved },
    Test { name: "nanosleep", run: nanosleep },
    Test { name: "gettimeofday", run: gettimeofday_sane },
    Test { name: "uname", run: uname },
    Test { name: "sysinfo", run: sysinfo },
];

/// A kernel address on memguard; unmapped user space under Linux's IA32
/// emulation, where it gives the same answers.
const KERNEL: usize = 0xC000_0000;

fn getpid_getppid() -> Outcome {
    let me = getpid();
    ensure!(me > 0 && getpid() == me, "getpid gave {me}, then {}", getpid());
    ensure!(getppid() > 0 && getppid() != me, "getppid gave {}", getppid());
    expect_exit(0, || if getppid() == me && getpid() != me { 0 } else { 1 })
}

fn write_stdout() -> Outcome {
    let line = b"(this line was written to fd 1 with write(2))\n";
    let n = fs::write(fs::STDOUT, line).or_fail("write(1)")?;
    ensure!(n == line.len(), "write(1) wrote {n} of {} bytes", line.len());
    ensure!(fs::write(fs::STDOUT, b"") == Ok(0), "write of 0 bytes did not return 0");
    Ok(())
}

/// A descriptor whose write really reads the buffer: stdout on memguard (the
/// console). On Linux stdout may be /dev/null, which never looks at it, so a
/// scratch file is used instead.
fn writable_fd() -> Result<fs::Fd, Fail> {
    if !on_linux() {
        return Ok(fs::STDOUT);
    }
    let path = c"/tmp/memguard-usertests.tmp";
    let fd =
        fs::open(path, Access::WriteOnly, OpenFlags::CREAT | OpenFlags::TRUNC, 0o600).or_fail("open scratch file")?;
    let _ = fs::unlink(path);
    Ok(fd)
}

/// The last 10 bytes of a page whose next page is unmapped: a buffer of more
/// than 10 bytes there runs past the end of the mapping.
fn edge_buffer() -> Result<usize, Fail> {
    let two = Region::new(2 * PAGE_SIZE, rt::mem::Sharing::Private).or_fail("mmap")?;
    let second = two.page_addr(1);
    two.write_bytes(PAGE_SIZE - 10, b"         \n");
    // SAFETY: the second page is ours and nothing refers to it.
    unsafe { rt::mem::munmap(second, PAGE_SIZE) }.or_fail("munmap")?;
    Ok(second - 10)
}

/// Linux copies up to the fault and returns the short count (files); a
/// kernel that checks the whole range first returns EFAULT. Both are fine;
/// reading or writing past the mapping is not.
fn edge_ok(got: Result<usize, Errno>) -> Outcome {
    match got {
        Err(Errno::EFAULT) | Ok(0..=10) => Ok(()),
        other => Err(Fail::Failed(alloc::format!("buffer past the end of a mapping: got {other:?}"))),
    }
}

fn write_bad_pointer() -> Outcome {
    let fd = writable_fd()?;
    // SAFETY: write only reads from the buffer; a bad one must be refused.
    let null = unsafe { write_raw(fd, core::ptr::null(), 10) };
    expect_err("write(NULL)", null, Errno::EFAULT)?;
    // SAFETY: as above.
    let kernel = unsafe { write_raw(fd, KERNEL as *const u8, 10) };
    expect_err("write(0xC0000000)", kernel, Errno::EFAULT)?;
    let edge = edge_buffer()?;
    // SAFETY: as above.
    edge_ok(unsafe { write_raw(fd, edge as *const u8, 100) })
}

fn read_bad_pointer() -> Outcome {
    let fd = open_existing()?;
    // SAFETY: the destination is NULL, which holds no Rust data.
    let null = unsafe { read_raw(fd, core::ptr::null_mut(), 10) };
    expect_err("read(NULL)", null, Errno::EFAULT)?;
    // SAFETY: the destination is kernel space, which holds no Rust data.
    let kernel = unsafe { read_raw(fd, KERNEL as *mut u8, 10) };
    expect_err("read(0xC0000000)", kernel, Errno::EFAULT)?;
    let edge = edge_buffer()?;
    // SAFETY: the destination is a scratch page and an unmapped one.
    edge_ok(unsafe { read_raw(fd, edge as *mut u8, 100) })?;
    ensure!(existing_file().to_bytes().starts_with(b"/"), "bad test file name");
    Ok(())
}

fn bad_fd() -> Outcome {
    let mut buf = [0u8; 4];
    expect_err("write(99)", fs::write(99, b"x"), Errno::EBADF)?;
    expect_err("write(-1)", fs::write(-1, b"x"), Errno::EBADF)?;
    expect_err("read(99)", fs::read(99, &mut buf), Errno::EBADF)?;
    expect_err("close(99)", fs::close(99), Errno::EBADF)?;
    expect_err("dup(99)", fs::dup(99), Errno::EBADF)?;
    expect_err("lseek(99)", fs::lseek(99, 0, fs::Whence::Set), Errno::EBADF)
}

fn enosys() -> Outcome {
    for nr in [500, 999, 0x7fff_ffff] {
        // SAFETY: an unknown call has no effect.
        let r = rt::errno::check(unsafe { syscall0(nr) });
        ensure!(r == Err(Errno::ENOSYS), "syscall {nr}: got {r:?}, want ENOSYS");
    }
    Ok(())
}

/// The kernel must hand back every register but eax unchanged (the Linux
/// i386 ABI, which `rt` relies on).
fn registers_preserved() -> Outcome {
    let mut after = [0u32; 7];
    // SAFETY: esi and ebp are saved and restored around the block; every
    // other register written is declared; `after` has room for 7 words.
    unsafe {
        asm!(
            "push ebp",
            "push esi",
            "push eax",
            "mov ebx, 0x11111111",
            "mov ecx, 0x22222222",
            "mov edx, 0x33333333",
            "mov esi, 0x44444444",
            "mov edi, 0x55555555",
            "mov ebp, 0x66666666",
            "mov eax, 20",
            "int 0x80",
            "xchg eax, [esp]",
            "mov [eax], ebx",
            "mov [eax + 4], ecx",
            "mov [eax + 8], edx",
            "mov [eax + 12], esi",
            "mov [eax + 16], edi",
            "mov [eax + 20], ebp",
            "pop ecx",
            "mov [eax + 24], ecx",
            "pop esi",
            "pop ebp",
            inout("eax") after.as_mut_ptr() => _,
            out("ebx") _, out("ecx") _, out("edx") _, out("edi") _,
        )
    };
    let want = [0x1111_1111, 0x2222_2222, 0x3333_3333, 0x4444_4444, 0x5555_5555, 0x6666_6666];
    ensure!(after[..6] == want, "registers after getpid: {:x?}", &after[..6]);
    ensure!(after[6] as i32 == getpid(), "eax after getpid: {}", after[6]);
    Ok(())
}

fn nanosleep() -> Outcome {
    let t0 = clock_gettime(Clock::Monotonic).or_fail("clock_gettime")?;
    sleep_ms(10).or_fail("nanosleep")?;
    let t1 = clock_gettime(Clock::Monotonic).or_fail("clock_gettime")?;
    let slept = t1.as_ns() - t0.as_ns();
    ensure!(slept >= 10_000_000, "nanosleep(10 ms) returned after {slept} ns");
    ensure!(t0.nsec < 1_000_000_000 && t1.nsec < 1_000_000_000, "tv_nsec out of range");
    Ok(())
}

fn gettimeofday_sane() -> Outcome {
    let a = gettimeofday().or_fail("gettimeofday")?;
    sleep_ms(20).or_fail("nanosleep")?;
    let b = gettimeofday().or_fail("gettimeofday")?;
    ensure!(
        (0..1_000_000).contains(&a.usec) && (0..1_000_000).contains(&b.usec),
        "tv_usec out of range: {} {}",
        a.usec,
        b.usec
    );
    ensure!(a.sec >= 0 && (b.sec, b.usec) > (a.sec, a.usec), "time went from {a:?} to {b:?}");
    Ok(())
}

fn uname() -> Outcome {
    let u = system::uname().or_fail("uname")?;
    ensure!(!system::field(&u.sysname).is_empty(), "empty sysname");
    ensure!(!system::field(&u.machine).is_empty(), "empty machine");
    Ok(())
}

fn sysinfo() -> Outcome {
    let s = system::sysinfo().or_fail("sysinfo")?;
    ensure!(s.totalram > 0, "totalram is 0");
    ensure!(s.freeram <= s.totalram, "freeram {} > totalram {}", s.freeram, s.totalram);
    ensure!(s.procs >= 1, "procs is {}", s.procs);
    Ok(())
}

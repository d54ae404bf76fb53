//! Files and exec: open/read/lseek/dup on a boot module, the errors of
//! open and execve.
use core::ffi::{CStr, c_char};

use rt::fs::{self, Access, Fd, OpenFlags, Whence};
use rt::process::execve_raw;
use rt::{Errno, ExitStatus};

use crate::check::{Fail, OrFail, Outcome, Test, ensure, expect_err, in_child, on_linux};

pub static TESTS: &[Test] = &[
    Test { name: "open_missing", run: open_missing },
    Test { name: "open_read", run: open_read },
    Test { name: "open_write_running", run: open_write_running },
    Test { name: "dup", run: dup },
    Test { name: "execve_missing", run: execve_missing },
    Test { name: "execve_bad_pointer", run: execve_bad_pointer },
];

/// An ELF file every kernel has: on Linux this program itself; on memguard
/// the boot module /bin/hello, or /bin/usertests when usertests was booted
/// alone as process 1.
pub fn existing_file() -> &'static CStr {
    if on_linux() {
        return c"/proc/self/exe";
    }
    match fs::open(c"/bin/hello", Access::ReadOnly, OpenFlags::empty(), 0) {
        Ok(fd) => {
            let _ = fs::close(fd);
            c"/bin/hello"
        }
        Err(_) => c"/bin/usertests",
    }
}

pub fn open_existing() -> Result<Fd, Fail> {
    fs::open(existing_file(), Access::ReadOnly, OpenFlags::empty(), 0).or_fail("open existing file")
}

fn open_missing() -> Outcome {
    let got = fs::open(c"/no/such/file", Access::ReadOnly, OpenFlags::empty(), 0);
    expect_err("open(/no/such/file)", got, Errno::ENOENT)
}

fn open_read() -> Outcome {
    let fd = open_existing()?;
    let mut magic = [0u8; 4];
    let n = fs::read(fd, &mut magic).or_fail("read")?;
    ensure!(n == 4 && magic == *b"\x7fELF", "read {n} bytes: {magic:x?}, want an ELF header");
    let mut next = [0u8; 1];
    fs::read(fd, &mut next).or_fail("second read")?;
    ensure!(next[0] == 1, "byte 4 (EI_CLASS) is {}, want 1 (ELF32): offset not advanced?", next[0]);
    ensure!(fs::lseek(fd, 1, Whence::Set) == Ok(1), "lseek(1, SEEK_SET) failed");
    fs::read(fd, &mut next).or_fail("read after lseek")?;
    ensure!(next[0] == b'E', "after lseek to 1 read {:#x}, want 'E'", next[0]);
    let end = fs::lseek(fd, 0, Whence::End).or_fail("lseek(0, SEEK_END)")?;
    ensure!(fs::read(fd, &mut next) == Ok(0), "read at end of file ({end}) did not return 0");
    fs::close(fd).or_fail("close")?;
    expect_err("read after close", fs::read(fd, &mut next), Errno::EBADF)
}

/// The running program's own file cannot be opened for writing: ETXTBSY,
/// as Linux answers (even root).
fn open_write_running() -> Outcome {
    let me = if on_linux() { c"/proc/self/exe" } else { c"/bin/usertests" };
    match fs::open(me, Access::WriteOnly, OpenFlags::empty(), 0) {
        Err(Errno::ETXTBSY) => Ok(()),
        // Booted under another name (the shell ran a copy): nothing to test.
        Err(Errno::ENOENT) => Ok(()),
        other => Err(Fail::Failed(alloc::format!("open(O_WRONLY) of the running program: {other:?}, want ETXTBSY"))),
    }
}

fn dup() -> Outcome {
    let fd = open_existing()?;
    let copy = fs::dup(fd).or_fail("dup")?;
    ensure!(copy > fd, "dup({fd}) gave {copy}");
    let mut b = [0u8; 4];
    fs::read(copy, &mut b).or_fail("read through the dup")?;
    ensure!(b == *b"\x7fELF", "read through the dup: {b:x?}");
    // The copy shares the file offset with the original.
    ensure!(fs::lseek(fd, 0, Whence::Cur) == Ok(4), "offset not shared between dup'd descriptors");
    ensure!(fs::dup2(fd, 20) == Ok(20), "dup2(fd, 20) failed");
    fs::close(20).or_fail("close(20)")?;
    fs::close(copy).or_fail("close(copy)")?;
    fs::close(fd).or_fail("close")
}

/// A child that returns 3 when execve failed with `want`; anything else is
/// reported (a successful exec would run the target instead).
fn expect_exec_error(want: Errno, exec: impl FnOnce() -> Errno) -> Outcome {
    let ended = in_child(|| {
        let got = exec();
        if got == want {
            3
        } else {
            rt::println!("  execve gave {got:?}, want {want:?}");
            1
        }
    })?;
    ensure!(ended == ExitStatus::Exited(3), "child {ended}");
    Ok(())
}

fn execve_missing() -> Outcome {
    let argv: [*const c_char; 2] = [c"nothing".as_ptr(), core::ptr::null()];
    let envp: [*const c_char; 1] = [core::ptr::null()];
    // SAFETY: valid, terminated path and arrays.
    expect_exec_error(Errno::ENOENT, || unsafe {
        execve_raw(c"/no/such/program".as_ptr(), argv.as_ptr(), envp.as_ptr())
    })
}

fn execve_bad_pointer() -> Outcome {
    let argv: [*const c_char; 2] = [c"x".as_ptr(), core::ptr::null()];
    let envp: [*const c_char; 1] = [core::ptr::null()];
    let kernel = 0xC000_0000usize;
    // SAFETY: NULL is refused; the arrays are valid and terminated.
    expect_exec_error(Errno::EFAULT, || unsafe { execve_raw(core::ptr::null(), argv.as_ptr(), envp.as_ptr()) })?;
    // SAFETY: a kernel-space path is refused; the arrays are valid.
    expect_exec_error(Errno::EFAULT, || unsafe { execve_raw(kernel as *const c_char, argv.as_ptr(), envp.as_ptr()) })?;
    // SAFETY: a valid path; a kernel-space argv is refused.
    expect_exec_error(Errno::EFAULT, || unsafe {
        execve_raw(existing_file().as_ptr(), kernel as *const *const c_char, envp.as_ptr())
    })
}

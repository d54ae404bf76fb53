//! Processes: exit and signal status encoding, waitpid variants, kill,
//! orphan re-parenting, many forks, copy-on-write isolation.
use progs::region::Region;
use rt::arch::insn::{divide_by_zero, int3, load_u8, ud2};
use rt::child::spawn;
use rt::mem::Sharing;
use rt::process::{Pid, getpid, getppid, kill, wait4, waitpid, waitpid_into};
use rt::signal::Signal;
use rt::time::{monotonic_ns, sleep_ms};
use rt::wait::{WNOHANG, wexitstatus, wifexited, wifsignaled, wtermsig};
use rt::{Errno, ExitStatus};

use crate::check::{OrFail, Outcome, Test, ensure, expect_err, expect_exit, expect_killed, on_linux, skip_part};

pub static TESTS: &[Test] = &[
    Test { name: "exit_status", run: exit_status },
    Test { name: "wait4", run: wait4_status },
    Test { name: "status_sigsegv", run: status_sigsegv },
    Test { name: "status_sigill", run: || expect_killed(Signal::SIGILL, ud2) },
    Test { name: "status_sigfpe", run: || expect_killed(Signal::SIGFPE, divide_by_zero) },
    Test { name: "status_sigtrap", run: || expect_killed(Signal::SIGTRAP, int3) },
    Test { name: "waitpid_wnohang", run: waitpid_wnohang },
    Test { name: "waitpid_echild", run: waitpid_echild },
    Test { name: "kill_sigkill", run: || kill_sleeper(Signal::SIGKILL) },
    Test { name: "kill_sigterm", run: || kill_sleeper(Signal::SIGTERM) },
    Test { name: "kill_esrch", run: kill_esrch },
    Test { name: "orphan_reparent", run: orphan_reparent },
    Test { name: "fork_300", run: fork_300 },
    Test { name: "cow_generations", run: cow_generations },
    Test { name: "waitpid_into_cow_page", run: waitpid_into_cow_page },
];

fn exit_status() -> Outcome {
    for code in [0, 1, 42, 255] {
        let pid = spawn(|| code).or_fail("fork")?;
        let (got, status) = waitpid(pid, 0).or_fail("waitpid")?;
        ensure!(got == pid, "waitpid returned pid {got}, want {pid}");
        ensure!(status == code << 8, "exit {code}: status {status:#x}, want {:#x}", code << 8);
        ensure!(
            wifexited(status) && !wifsignaled(status) && wexitstatus(status) == code,
            "exit {code}: status {status:#x} decodes wrongly"
        );
    }
    Ok(())
}

fn wait4_status() -> Outcome {
    let pid = spawn(|| 7).or_fail("fork")?;
    let (got, status) = wait4(pid, 0).or_fail("wait4")?;
    ensure!(got == pid && status == 7 << 8, "wait4: pid {got} status {status:#x}");
    Ok(())
}

fn status_sigsegv() -> Outcome {
    let pid = spawn(|| load_u8(0) as i32).or_fail("fork")?;
    let (_, status) = waitpid(pid, 0).or_fail("waitpid")?;
    ensure!(
        wifsignaled(status) && !wifexited(status) && wtermsig(status) == 11,
        "status {status:#x}: want WIFSIGNALED with WTERMSIG 11"
    );
    Ok(())
}

/// A child that sleeps for 10 s unless stopped.
fn sleeper() -> Result<Pid, crate::check::Fail> {
    spawn(|| {
        let _ = sleep_ms(10_000);
        0
    })
    .or_fail("fork")
}

fn waitpid_wnohang() -> Outcome {
    let pid = sleeper()?;
    let now = waitpid(pid, WNOHANG).or_fail("waitpid(WNOHANG)")?;
    ensure!(now.0 == 0, "waitpid(WNOHANG) on a sleeping child returned {now:?}");
    kill(pid, Signal::SIGKILL).or_fail("kill")?;
    let (got, status) = waitpid(pid, 0).or_fail("waitpid")?;
    ensure!(
        got == pid && ExitStatus::from_raw(status) == ExitStatus::Signaled(Signal::SIGKILL),
        "after SIGKILL: pid {got}, {}",
        ExitStatus::from_raw(status)
    );
    expect_err("waitpid(WNOHANG) with no children", waitpid(-1, WNOHANG), Errno::ECHILD)
}

fn waitpid_echild() -> Outcome {
    expect_err("waitpid(-1) with no children", waitpid(-1, 0), Errno::ECHILD)?;
    expect_err("waitpid(parent)", waitpid(getppid(), 0), Errno::ECHILD)
}

fn kill_sleeper(sig: Signal) -> Outcome {
    let pid = sleeper()?;
    let t0 = monotonic_ns();
    kill(pid, sig).or_fail("kill")?;
    let ended = rt::process::wait_exit(pid).or_fail("waitpid")?;
    ensure!(ended == ExitStatus::Signaled(sig), "sleeping child {ended}, want killed by {sig}");
    let ms = (monotonic_ns() - t0) / 1_000_000;
    ensure!(ms < 5_000, "the kill took {ms} ms: the sleep was not interrupted");
    Ok(())
}

fn kill_esrch() -> Outcome {
    expect_err("kill(0x7ffffff0)", kill(0x7fff_fff0, Signal::SIGTERM), Errno::ESRCH)
}

/// A child forks a grandchild and exits at once. The grandchild must get a
/// new parent (init, pid 1, on memguard; Linux may pick a subreaper), and
/// reports the new parent through a MAP_SHARED page.
fn orphan_reparent() -> Outcome {
    let shared = Region::new(4096, Sharing::Shared).or_fail("mmap(MAP_SHARED)")?;
    let child = spawn(|| {
        let dead_parent = getpid();
        let _ = spawn(|| {
            let deadline = monotonic_ns() + 5_000_000_000;
            while getppid() == dead_parent && monotonic_ns() < deadline {
                let _ = sleep_ms(1);
            }
            shared.set_word(1, dead_parent as u32);
            shared.set_word(0, getppid() as u32);
            0
        });
        0
    })
    .or_fail("fork")?;
    let ended = rt::process::wait_exit(child).or_fail("waitpid")?;
    ensure!(ended.success(), "child {ended}");
    let deadline = monotonic_ns() + 6_000_000_000;
    while shared.word(0) == 0 && monotonic_ns() < deadline {
        let _ = sleep_ms(1);
    }
    let (new_parent, dead) = (shared.word(0) as Pid, shared.word(1) as Pid);
    ensure!(new_parent != 0, "the grandchild never reported");
    if on_linux() {
        ensure!(new_parent != dead, "getppid still names the dead parent {dead}");
        skip_part("new parent is init: Linux may pick a subreaper");
    } else {
        ensure!(new_parent == 1, "the orphan's parent is {new_parent}, want 1 (init)");
    }
    Ok(())
}

fn fork_300() -> Outcome {
    for i in 0..300 {
        let code = i % 256;
        let pid = spawn(|| code).or_fail("fork")?;
        let (got, status) = waitpid(pid, 0).or_fail("waitpid")?;
        ensure!(got == pid && status == code << 8, "cycle {i}: pid {got} status {status:#x}");
    }
    Ok(())
}

/// Three generations write to the same private pages after each fork; every
/// write must stay in the process that made it. The second fork happens in a
/// process whose pages are already copy-on-write (shared with its parent).
fn cow_generations() -> Outcome {
    let a = Region::page().or_fail("mmap")?;
    let b = Region::page().or_fail("mmap")?;
    a.set_word(0, 10);
    b.set_word(0, 5);
    let child = spawn(|| generation_one(&a, &b)).or_fail("fork")?;
    a.set_word(0, 11);
    a.set_word(1, 11);
    let ended = rt::process::wait_exit(child).or_fail("waitpid")?;
    ensure!(ended.success(), "generation 1 {ended}");
    ensure!(
        [a.word(0), a.word(1), a.word(2), a.word(3)] == [11, 11, 0, 0],
        "generation 0 sees {:?}",
        [a.word(0), a.word(1), a.word(2), a.word(3)]
    );
    ensure!(b.word(0) == 5, "generation 0's untouched page changed to {}", b.word(0));
    b.set_word(0, 8);
    ensure!(b.word(0) == 8, "generation 0 cannot write its page");
    Ok(())
}

/// Exit status 0 when generation 1 and its child saw only their own writes.
fn generation_one(a: &Region, b: &Region) -> i32 {
    if a.word(0) != 10 || a.word(1) != 0 {
        return 11;
    }
    a.set_word(0, 20);
    a.set_word(1, 21);
    let Ok(grandchild) = spawn(|| {
        if [a.word(0), a.word(1), a.word(2), b.word(0)] != [20, 21, 0, 5] {
            return 21;
        }
        a.set_word(3, 33);
        a.set_word(0, 30);
        b.set_word(0, 7);
        if [a.word(0), a.word(3), b.word(0)] != [30, 33, 7] { 22 } else { 0 }
    }) else {
        return 12;
    };
    a.set_word(2, 22);
    match rt::process::wait_exit(grandchild) {
        Ok(ExitStatus::Exited(0)) => {}
        Ok(ExitStatus::Exited(code)) => return code as i32,
        _ => return 13,
    }
    if [a.word(0), a.word(1), a.word(2), a.word(3), b.word(0)] != [20, 21, 22, 0, 5] {
        return 14;
    }
    b.set_word(0, 6);
    if b.word(0) != 6 { 15 } else { 0 }
}

/// The kernel's own write of a wait status into a copy-on-write page must
/// copy it like a user write would: the parent's copy stays as it was.
fn waitpid_into_cow_page() -> Outcome {
    let page = Region::page().or_fail("mmap")?;
    page.set_word(0, 0x1234);
    expect_exit(0, || {
        let Ok(grandchild) = spawn(|| 7) else { return 1 };
        // SAFETY: word 0 of our own page holds no Rust data.
        let got = unsafe { waitpid_into(grandchild, page.word_ptr(0) as *mut i32, 0) };
        if got == Ok(grandchild) && page.word(0) == 7 << 8 { 0 } else { 2 }
    })?;
    ensure!(page.word(0) == 0x1234, "the child's waitpid wrote {:#x} into the parent's page", page.word(0));
    Ok(())
}

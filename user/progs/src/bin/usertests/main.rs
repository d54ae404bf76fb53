//! `usertests`: system calls and fault paths exercised from ring 3, in the
//! spirit of xv6's usertests. Each test runs in its own forked child (so a
//! crash or a leak stays there) and prints `test NAME: ok`, `test NAME:
//! FAILED (why)` or `test NAME: skip (why)`. The first line says how many
//! tests will run; the last is `usertests: N passed, M failed, S skipped`,
//! and N + M + S is that number. The exit status is 0 only if M is 0: a
//! skip is not a failure, so whoever needs every test run checks S too
//! (tests/scenarios/usertests.scn expects the exact count and 0 skipped).
//!
//! `usertests PREFIX...` runs only the tests whose names start with a prefix;
//! `usertests -l` lists them.
//!
//! The same binary runs on Linux (the reference) and on memguard. Where Linux
//! legitimately differs (its 32-bit processes own all 4 GiB; it has no
//! mg_* calls) a test says so and skips, all of it or the part that does
//! not apply (`check::skip_part`); either way it counts as skipped.
#![no_std]
#![no_main]

extern crate alloc;

mod basic;
mod check;
mod faults;
mod files;
mod memory;
mod mgstats;
mod procs;

use rt::process::{Pid, kill, waitpid};
use rt::wait::WNOHANG;
use rt::{Args, ExitStatus, Signal, println};

use check::{Fail, Test};

rt::entry!(main);

/// A test still running after this long is killed and counted as failed.
const TIMEOUT_NS: i64 = 60_000_000_000;

/// Exit statuses a test child reports its verdict with. Skip is 77
/// (automake's) rather than a small number a test process might exit with
/// by accident: a skip must come from the harness, which prints why.
const EXIT_PASS: u8 = 0;
const EXIT_FAIL: u8 = 1;
const EXIT_SKIP: u8 = 77;

fn all_tests() -> impl Iterator<Item = &'static Test> {
    [basic::TESTS, procs::TESTS, memory::TESTS, faults::TESTS, files::TESTS, mgstats::TESTS].into_iter().flatten()
}

fn main(args: Args) -> i32 {
    let prefixes: alloc::vec::Vec<&str> = (1..args.len()).filter_map(|i| args.str(i)).collect();
    if prefixes == ["-l"] {
        all_tests().for_each(|t| println!("{}", t.name));
        return 0;
    }
    let selected = |t: &&Test| prefixes.is_empty() || prefixes.iter().any(|p| t.name.starts_with(p));
    let (total, chosen) = (all_tests().count(), all_tests().filter(selected).count());
    let kernel = check::kernel_name();
    if chosen == total {
        println!("usertests starting on {kernel}: {total} tests");
    } else {
        println!("usertests starting on {kernel}: {chosen} of {total} tests (selected by prefix)");
    }
    let (mut passed, mut failed, mut skipped) = (0, 0, 0);
    for test in all_tests().filter(selected) {
        match run_one(test) {
            Verdict::Pass => passed += 1,
            Verdict::Fail => failed += 1,
            Verdict::Skip => skipped += 1,
        }
    }
    println!("usertests: {passed} passed, {failed} failed, {skipped} skipped");
    if failed == 0 { 0 } else { 1 }
}

enum Verdict {
    Pass,
    Fail,
    Skip,
}

/// Runs `test` in a child that prints its own line; reports for it if it
/// dies some other way.
fn run_one(test: &Test) -> Verdict {
    let child = rt::child::spawn(|| match (test.run)() {
        Ok(()) if check::part_skipped() => {
            println!("test {}: skip (only partly run, see above)", test.name);
            EXIT_SKIP.into()
        }
        Ok(()) => {
            println!("test {}: ok", test.name);
            EXIT_PASS.into()
        }
        Err(Fail::Failed(why)) => {
            println!("test {}: FAILED ({why})", test.name);
            EXIT_FAIL.into()
        }
        Err(Fail::Skipped(why)) => {
            println!("test {}: skip ({why})", test.name);
            EXIT_SKIP.into()
        }
    });
    let ended = match child {
        Ok(pid) => wait_with_timeout(pid),
        Err(e) => Err(alloc::format!("fork: {e}")),
    };
    match ended.map(ExitStatus::from_raw) {
        Ok(ExitStatus::Exited(EXIT_PASS)) => Verdict::Pass,
        Ok(ExitStatus::Exited(EXIT_SKIP)) => Verdict::Skip,
        Ok(ExitStatus::Exited(EXIT_FAIL)) => Verdict::Fail,
        Ok(other) => {
            println!("test {}: FAILED (test process {other})", test.name);
            Verdict::Fail
        }
        Err(why) => {
            println!("test {}: FAILED ({why})", test.name);
            Verdict::Fail
        }
    }
}

/// Waits for `pid`, polling so that a hung test can be killed after
/// TIMEOUT_NS. Returns its status word.
fn wait_with_timeout(pid: Pid) -> Result<i32, alloc::string::String> {
    let deadline = rt::time::monotonic_ns() + TIMEOUT_NS;
    let mut pause_ms = 1;
    loop {
        match waitpid(pid, WNOHANG) {
            Ok((0, _)) => {}
            Ok((_, status)) => return Ok(status),
            Err(e) => return Err(alloc::format!("waitpid: {e}")),
        }
        if rt::time::monotonic_ns() > deadline {
            let _ = kill(pid, Signal::SIGKILL);
            let _ = waitpid(pid, 0);
            return Err(alloc::string::String::from("timed out after 60 s, killed"));
        }
        let _ = rt::time::sleep_ms(pause_ms);
        pause_ms = (pause_ms * 2).min(20);
    }
}

//! The test vocabulary: a test is a function returning `Result<(), Fail>`;
//! `ensure!` fails it with a message; helpers run code in a child and check
//! how it ended.
use alloc::string::String;
use core::sync::atomic::{AtomicBool, Ordering};

use rt::mg;
use rt::system::{field, uname};
use rt::{Errno, ExitStatus, Signal, println};

pub struct Test {
    pub name: &'static str,
    pub run: fn() -> Result<(), Fail>,
}

/// Why a test did not pass.
pub enum Fail {
    Failed(String),
    /// The test does not apply on this kernel.
    Skipped(&'static str),
}

pub type Outcome = Result<(), Fail>;

/// `ensure!(cond, "format", args..)`: fail the test unless `cond` holds.
macro_rules! ensure {
    ($cond:expr, $($why:tt)*) => {
        if !$cond {
            return Err($crate::check::Fail::Failed(alloc::format!($($why)*)));
        }
    };
}
pub(crate) use ensure;

/// Turns a system-call error into a test failure naming the call.
pub trait OrFail<T> {
    fn or_fail(self, call: &str) -> Result<T, Fail>;
}

impl<T> OrFail<T> for Result<T, Errno> {
    fn or_fail(self, call: &str) -> Result<T, Fail> {
        self.map_err(|e| Fail::Failed(alloc::format!("{call}: {e}")))
    }
}

/// The kernel's uname sysname ("Linux", ...), or "an unnamed kernel".
pub fn kernel_name() -> String {
    match uname() {
        Ok(u) => String::from(field(&u.sysname)),
        Err(_) => String::from("an unnamed kernel"),
    }
}

/// True on Linux, where a few answers legitimately differ from memguard's.
pub fn on_linux() -> bool {
    kernel_name() == "Linux"
}

/// Set in a test's child when part of the test did not run.
static PART_SKIPPED: AtomicBool = AtomicBool::new(false);

/// Skips one part of a test that does not apply on this kernel, saying
/// which. The test then counts as skipped, not passed, even if the rest
/// passes: "0 skipped" means every check ran.
pub fn skip_part(why: &str) {
    println!("  part skipped: {why}");
    PART_SKIPPED.store(true, Ordering::Relaxed);
}

/// True once `skip_part` was called in this process.
pub fn part_skipped() -> bool {
    PART_SKIPPED.load(Ordering::Relaxed)
}

/// Skips a memguard-only test on Linux; elsewhere the mg_* calls must exist.
pub fn need_mg() -> Outcome {
    if on_linux() {
        return Err(Fail::Skipped("mg_* system calls are memguard's own"));
    }
    ensure!(mg::available(), "mg_stats answered ENOSYS");
    Ok(())
}

/// Expects `want` from a call that should fail.
pub fn expect_err<T: core::fmt::Debug>(what: &str, got: Result<T, Errno>, want: Errno) -> Outcome {
    match got {
        Err(e) if e == want => Ok(()),
        other => Err(Fail::Failed(alloc::format!("{what}: got {other:?}, want {want:?}"))),
    }
}

/// Runs `f` in a child; returns how the child ended.
pub fn in_child(f: impl FnOnce() -> i32) -> Result<ExitStatus, Fail> {
    rt::child::run(f).or_fail("fork")
}

/// Runs `f` in a child and expects it to be killed by `sig`.
pub fn expect_killed(sig: Signal, f: impl FnOnce()) -> Outcome {
    let ended = in_child(|| {
        f();
        0
    })?;
    ensure!(ended == ExitStatus::Signaled(sig), "child {ended}, want killed by {sig}");
    Ok(())
}

/// Expects a child to exit with `code`.
pub fn expect_exit(code: u8, f: impl FnOnce() -> i32) -> Outcome {
    let ended = in_child(f)?;
    ensure!(ended == ExitStatus::Exited(code), "child {ended}, want exit {code}");
    Ok(())
}

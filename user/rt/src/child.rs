//! Running code in a disposable child: the pattern every fault demo and test
//! uses (fork, let the child misbehave, see how it ended).
use crate::errno::Errno;
use crate::process::{Fork, Pid, exit_group, fork, wait_exit};
use crate::signal::Signal;
use crate::wait::ExitStatus;

/// Runs `f` in a forked child that exits with `f`'s result; waits for it.
pub fn run(f: impl FnOnce() -> i32) -> Result<ExitStatus, Errno> {
    wait_exit(spawn(f)?)
}

/// Starts `f` in a forked child that exits with `f`'s result; returns its pid.
pub fn spawn(f: impl FnOnce() -> i32) -> Result<Pid, Errno> {
    match fork()? {
        Fork::Child => exit_group(f()),
        Fork::Parent(pid) => Ok(pid),
    }
}

/// Runs `f` in a child and prints "  <what>: child killed by SIGSEGV"; true
/// when the child was killed by `expected`.
pub fn expect_signal(what: &str, expected: Signal, f: impl FnOnce()) -> bool {
    crate::println!("{what}...");
    let ended = run(|| {
        f();
        0
    });
    match ended {
        Ok(ExitStatus::Signaled(sig)) if sig == expected => {
            crate::println!("  child {}: as expected", ExitStatus::Signaled(sig));
            true
        }
        Ok(other) => {
            crate::println!("  child {other}: WRONG, expected killed by {expected}");
            false
        }
        Err(e) => {
            crate::println!("  fork failed: {e}");
            false
        }
    }
}

//! The status word `waitpid`/`wait4` store (wait(2)'s W* macros; Linux's
//! kernel/exit.c builds it, glibc's bits/waitstatus.h takes it apart):
//!
//! ```text
//!   exited:    (code << 8) | 0           WIFEXITED, WEXITSTATUS
//!   signaled:  sig | 0x80 if core dumped WIFSIGNALED, WTERMSIG, WCOREDUMP
//!   stopped:   (sig << 8) | 0x7f         WIFSTOPPED, WSTOPSIG
//!   continued: 0xffff                    WIFCONTINUED
//! ```
use linux_raw_sys::general::{__WALL, __WCLONE, __WNOTHREAD, WCONTINUED, WNOHANG, WUNTRACED};

/// The option bits `waitpid` and `wait4` accept; any other bit is EINVAL
/// (kernel/exit.c, kernel_wait4).
pub const WAIT_VALID_OPTIONS: u32 = WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WALL | __WCLONE;

/// Exited normally with `code` (WIFEXITED, WEXITSTATUS); only its low 8
/// bits survive.
pub const fn exited(code: u32) -> u32 {
    (code & 0xFF) << 8
}

/// Killed by signal `sig` (WIFSIGNALED, WTERMSIG), no core dump (as with
/// Linux's default core-size limit of 0).
pub const fn signaled(sig: u8) -> u32 {
    sig as u32 & 0x7F
}

/// Stopped by signal `sig` (WIFSTOPPED, WSTOPSIG), reported with WUNTRACED.
pub const fn stopped(sig: u8) -> u32 {
    (sig as u32) << 8 | 0x7F
}

/// Continued by SIGCONT (WIFCONTINUED), reported with WCONTINUED.
pub const CONTINUED: u32 = 0xFFFF;

/// WEXITSTATUS, if the word says the process exited.
pub const fn exit_code(status: u32) -> Option<u8> {
    if status & 0x7F == 0 { Some((status >> 8) as u8) } else { None }
}

/// WTERMSIG, if the word says a signal killed the process.
pub const fn term_signal(status: u32) -> Option<u8> {
    match status & 0x7F {
        0 | 0x7F => None,
        sig => Some(sig as u8),
    }
}

/// WSTOPSIG, if the word says the process stopped.
pub const fn stop_signal(status: u32) -> Option<u8> {
    if status & 0xFF == 0x7F { Some((status >> 8) as u8) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_encode_and_decode() {
        assert_eq!(exited(42), 0x2A00);
        assert_eq!(exited(256 + 3), 0x0300, "only the low 8 bits survive");
        assert_eq!(signaled(11), 11);
        assert_eq!(stopped(19), 0x137F);
        assert_eq!(WAIT_VALID_OPTIONS, 1 | 2 | 8 | 0x2000_0000 | 0x4000_0000 | 0x8000_0000);
        // (word, WEXITSTATUS, WTERMSIG, WSTOPSIG), each None unless it applies.
        let table = [
            (exited(7), Some(7), None, None),
            (signaled(9), None, Some(9), None),
            (signaled(11) | 0x80, None, Some(11), None),
            (stopped(20), None, None, Some(20)),
            (CONTINUED, None, None, None),
        ];
        for (status, code, term, stop) in table {
            let decoded = (exit_code(status), term_signal(status), stop_signal(status));
            assert_eq!(decoded, (code, term, stop), "{status:#x}");
        }
    }
}

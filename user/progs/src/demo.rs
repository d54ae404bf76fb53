//! Helpers for the demo programs: each prints what it tries and what
//! happened, and exits 0 only if the kernel behaved as expected.

/// The demo's exit status: 0 when every check held.
pub fn verdict(ok: bool) -> i32 {
    if ok {
        rt::println!("result: as expected");
        0
    } else {
        rt::println!("result: UNEXPECTED");
        1
    }
}

/// Prints why a memguard-only demo has nothing to show here; exit status 0.
pub fn not_on_memguard(what: &str) -> i32 {
    rt::println!("{what}: needs memguard's mg_* system calls, not available on this kernel (ENOSYS)");
    0
}

//! From `_start` to `main`: reads argc/argv/envp/auxv off the initial stack
//! (layout in `arch::entry`), calls the program's `main`, exits with its
//! return value.
//!
//! A program names its `main` with [`entry!`]:
//! ```ignore
//! rt::entry!(main);
//! fn main(args: rt::Args) -> i32 { 0 }
//! ```
use core::ffi::{CStr, c_char};

use spin::Once;

use crate::process;

/// The auxiliary-vector entry that holds the page size.
pub const AT_PAGESZ: usize = memguard_abi::linux::AT_PAGESZ as usize;

/// The command line and environment the kernel put on the initial stack.
/// Everything it points to lives until the process ends.
#[derive(Clone, Copy)]
pub struct Args {
    argc: usize,
    argv: *const *const c_char,
    envp: *const *const c_char,
    auxv: *const [usize; 2],
}

// SAFETY: the pointers refer to the initial stack, which is never freed or
// written by Rust code, and a process has a single thread.
unsafe impl Send for Args {}
// SAFETY: as above; `Args` only reads.
unsafe impl Sync for Args {}

static ARGS: Once<Args> = Once::new();

/// The arguments of this process (empty before `main` starts).
pub fn args() -> Option<Args> {
    ARGS.get().copied()
}

/// Called by `_start` with the initial stack pointer. Never returns.
pub(crate) extern "C" fn start(sp: *const usize) -> ! {
    // SAFETY: the kernel built the initial stack in the documented layout;
    // each vector is NULL-terminated, so every read below stays inside it.
    let args = unsafe {
        let argc = *sp;
        let argv = sp.add(1) as *const *const c_char;
        let envp = argv.add(argc + 1);
        let mut end = envp;
        while !(*end).is_null() {
            end = end.add(1);
        }
        Args { argc, argv, envp, auxv: end.add(1) as *const [usize; 2] }
    };
    ARGS.call_once(|| args);
    unsafe extern "Rust" {
        fn __rt_main(args: Args) -> i32;
    }
    // SAFETY: `entry!` defines `__rt_main` with exactly this signature; a
    // program without it does not link.
    let code = unsafe { __rt_main(args) };
    process::exit_group(code)
}

/// Declares the program's `fn main(args: rt::Args) -> i32`.
#[macro_export]
macro_rules! entry {
    ($main:path) => {
        #[unsafe(no_mangle)]
        fn __rt_main(args: $crate::Args) -> i32 {
            $main(args)
        }
    };
}

/// Reads the `i`th entry of a NULL-terminated vector of C strings.
///
/// # Safety
/// `vec` must point to a vector with at least `i + 1` valid entries.
unsafe fn entry(vec: *const *const c_char, i: usize) -> &'static [u8] {
    // SAFETY: the caller bounds `i`; the strings live as long as the process.
    unsafe { CStr::from_ptr(*vec.add(i)).to_bytes() }
}

impl Args {
    /// argc.
    pub fn len(&self) -> usize {
        self.argc
    }

    pub fn is_empty(&self) -> bool {
        self.argc == 0
    }

    /// argv[i] without its NUL.
    pub fn get(&self, i: usize) -> Option<&'static [u8]> {
        // SAFETY: argv has argc valid entries.
        (i < self.argc).then(|| unsafe { entry(self.argv, i) })
    }

    /// argv[i] if it is UTF-8.
    pub fn str(&self, i: usize) -> Option<&'static str> {
        self.get(i).and_then(|b| core::str::from_utf8(b).ok())
    }

    /// argv[0], or "?" when the kernel passed none.
    pub fn program(&self) -> &'static str {
        self.str(0).unwrap_or("?")
    }

    /// argv[0..argc].
    pub fn iter(&self) -> impl Iterator<Item = &'static [u8]> + '_ {
        (0..self.argc).filter_map(|i| self.get(i))
    }

    /// The environment, "NAME=value" each.
    pub fn env(&self) -> impl Iterator<Item = &'static [u8]> + '_ {
        let envp = self.envp;
        // SAFETY: envp is NULL-terminated; the loop stops at the NULL.
        (0..).map_while(move |i| unsafe { (!(*envp.add(i)).is_null()).then(|| entry(envp, i)) })
    }

    /// The value of environment variable `name`.
    pub fn env_var(&self, name: &str) -> Option<&'static [u8]> {
        self.env().find_map(|kv| kv.strip_prefix(name.as_bytes()).and_then(|rest| rest.strip_prefix(b"=")))
    }

    /// The auxiliary-vector value of type `key` (e.g. [`AT_PAGESZ`]).
    pub fn aux(&self, key: usize) -> Option<usize> {
        let mut p = self.auxv;
        // SAFETY: the vector ends with an AT_NULL pair; we stop there.
        unsafe {
            while (*p)[0] != 0 {
                if (*p)[0] == key {
                    return Some((*p)[1]);
                }
                p = p.add(1);
            }
        }
        None
    }
}

//! `_start`: the first instruction of every program.
//!
//! The kernel enters with `esp` pointing at the Linux initial stack
//! (System V i386 ABI §3-28, and fs/binfmt_elf.c `create_elf_tables`):
//!
//! ```text
//!   esp -> argc
//!          argv[0] .. argv[argc-1], NULL
//!          envp[0] .. envp[n-1],     NULL
//!          auxv: (type, value) pairs ending with AT_NULL (0, 0)
//!          ... the strings themselves, higher up
//! ```
//!
//! Nothing else is assumed: registers other than `esp` may hold anything
//! (Linux puts an atexit pointer in `edx`, which a static program ignores).
use core::arch::global_asm;

global_asm!(
    ".globl _start",
    ".type _start, @function",
    "_start:",
    // Mark the outermost frame for debuggers: no caller above this one.
    "    xor ebp, ebp",
    "    mov eax, esp",
    // Keep the System V 16-byte alignment at the call below.
    "    and esp, -16",
    "    sub esp, 12",
    "    push eax",
    "    call {start}",
    "    ud2",
    ".size _start, . - _start",
    start = sym crate::start::start,
);

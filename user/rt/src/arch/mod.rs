//! The only place in `rt` with `asm!`: the `int 0x80` gate, the process entry
//! point, and the few privileged or faulting instructions the demos execute.
pub mod entry;
pub mod insn;
pub mod nr;
pub mod syscall;

//! The kernel's `memcpy`, `memmove` and `memset` (in `memfns.S`), which
//! take the place of compiler_builtins' weak ones. Those are written for a
//! machine without string instructions worth using: on i686 they move one
//! word per loop turn, and under QEMU's TCG every taken branch ends a
//! translated block, so a 512-byte FPU image cost 128 block exits (the
//! signal path copies three). These move 128 bytes per turn (one exit)
//! and finish with `rep movsl`/`rep stosl`, which TCG runs as one short
//! block per word; on hardware both are as fast as any plain loop.
//! Every struct copy, `copy_from_slice` and zeroed array in the kernel
//! lands here.

core::arch::global_asm!(include_str!("memfns.S"), options(att_syntax));

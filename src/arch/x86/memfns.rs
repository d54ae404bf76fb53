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

#[cfg(all(test, target_os = "none"))]
mod kernel_tests {
    use core::hint::black_box;

    const N: usize = 700;
    const LENS: [usize; 13] = [0, 1, 2, 3, 4, 5, 31, 127, 128, 129, 255, 300, 513];

    /// Byte `i` of a pattern no shift of it repeats.
    fn pattern() -> [u8; N] {
        core::array::from_fn(|i| (i * 7 + i / 251) as u8)
    }

    /// The reference: one byte at a time, through volatile accesses that
    /// the compiler cannot turn into a call of the functions under test.
    fn slow_move(buf: &mut [u8; N], dst: usize, src: usize, len: usize) {
        let p = buf.as_mut_ptr();
        let mut tmp = [0u8; N];
        for i in 0..len {
            // SAFETY: src + len and dst + len stay within the buffer.
            unsafe { tmp.as_mut_ptr().add(i).write_volatile(p.add(src + i).read_volatile()) };
        }
        for i in 0..len {
            // SAFETY: as above.
            unsafe { p.add(dst + i).write_volatile(tmp.as_ptr().add(i).read_volatile()) };
        }
    }

    #[test_case]
    fn memmove_matches_a_byte_loop_for_every_overlap() {
        for len in LENS {
            for src in [0, 1, 2, 3, 64] {
                for dst in [0, 1, 3, 4, 5, 66, 130, 150] {
                    if src.max(dst) + len > N {
                        continue;
                    }
                    let (mut fast, mut slow) = (pattern(), pattern());
                    let p = fast.as_mut_ptr();
                    // SAFETY: both ranges lie in `fast`; `copy` allows overlap.
                    unsafe { core::ptr::copy(p.add(black_box(src)), p.add(black_box(dst)), black_box(len)) };
                    slow_move(&mut slow, dst, src, len);
                    assert!(fast == slow, "memmove of {len} bytes from {src} to {dst}");
                }
            }
        }
    }

    #[test_case]
    fn memcpy_and_memset_match_a_byte_loop() {
        for len in LENS {
            for off in [0, 1, 2, 3] {
                let from = pattern();
                let (mut fast, mut slow) = ([0xAAu8; N], [0xAAu8; N]);
                // SAFETY: `from` and `fast` are apart and large enough.
                unsafe {
                    core::ptr::copy_nonoverlapping(
                        from.as_ptr().add(black_box(off)),
                        fast.as_mut_ptr().add(3),
                        black_box(len),
                    )
                };
                for i in 0..len {
                    slow[3 + i] = black_box(from[off + i]);
                }
                assert!(fast == slow, "memcpy of {len} bytes from offset {off}");
                // SAFETY: within `fast`.
                unsafe { core::ptr::write_bytes(fast.as_mut_ptr().add(black_box(off)), 0x5C, black_box(len)) };
                for i in 0..len {
                    slow[off + i] = black_box(0x5C);
                }
                assert!(fast == slow, "memset of {len} bytes at offset {off}");
            }
        }
    }
}

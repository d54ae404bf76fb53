//! The signal frame's geometry and the checks on a frame handed back to
//! sigreturn, as Linux i386 makes them (arch/x86/kernel/signal.c). Pure.
//!
//! Delivery: the frame goes below the interrupted stack pointer (or at the
//! top of the alternate stack), under the FPU state, aligned so that the
//! handler starts as if `call`ed: `(esp + 4) % 16 == 0`.
//!
//! sigreturn is a privilege boundary: every word of the frame came from the
//! program. The restored registers may not raise the privilege level (CS,
//! SS and the data selectors must name DPL-3 segments a ring-3 program may
//! use) nor touch the EFLAGS bits a program may not set itself (IOPL, IF,
//! VM, NT, ...): only Linux's FIX_EFLAGS come from the frame.

use crate::arch::x86::descriptor::SegmentUse;
use memguard_abi::sigframe::{FPSTATE_FXSAVE_OFFSET, Sigcontext};

/// Where a frame of `frame_size` bytes and its FPU state go below `top`:
/// `(frame, fpstate)`, or `None` if the stack would wrap below address 0.
pub fn layout(top: u32, frame_size: u32) -> Option<(u32, u32)> {
    // The FXSAVE image 64-byte aligned, its 112-byte FSAVE header below.
    let fxsave = top.checked_sub(512)? & !63;
    let fpstate = fxsave.checked_sub(FPSTATE_FXSAVE_OFFSET as u32)?;
    let sp = fpstate.checked_sub(frame_size)?;
    // i386 align_sigframe: the handler is entered as after a call.
    let frame = ((sp.checked_add(4)?) & !15).checked_sub(4)?;
    Some((frame, fpstate))
}

// The EFLAGS bits signal code touches (SDM Vol. 1 §3.4.3).
const CF: u32 = 1 << 0;
const PF: u32 = 1 << 2;
const AF: u32 = 1 << 4;
const ZF: u32 = 1 << 6;
const SF: u32 = 1 << 7;
/// Trap flag: single-step.
pub const TF: u32 = 1 << 8;
/// Direction flag: string instructions count down.
pub const DF: u32 = 1 << 10;
const OF: u32 = 1 << 11;
/// Resume flag: suppresses one instruction breakpoint.
pub const RF: u32 = 1 << 16;
/// Alignment check.
const AC: u32 = 1 << 18;

/// The EFLAGS bits a frame may change (Linux's FIX_EFLAGS): the arithmetic
/// flags, TF, DF, AC and RF. Not IF, IOPL, NT, VM, VIF/VIP or ID.
pub const FIX_EFLAGS: u32 = CF | PF | AF | ZF | SF | TF | DF | OF | RF | AC;

/// Why a frame handed to sigreturn is refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BadFrame {
    /// The frame could not be read.
    Unreadable,
    /// CS or SS names no segment ring 3 may run on: the `iret` would fail.
    Selector,
}

/// The sigcontext as the task resumes with it: CS and SS forced to RPL 3
/// (as Linux does) and checked with `usable`, data selectors that ring 3
/// may not load replaced by null (Linux's fault fixup on the exit path does
/// the same), EFLAGS merged into `eflags_now` through FIX_EFLAGS.
pub fn sanitize(
    sc: &Sigcontext,
    eflags_now: u32,
    usable: impl Fn(u16, SegmentUse) -> bool,
) -> Result<Sigcontext, BadFrame> {
    let mut r = *sc;
    r.cs = (sc.cs & 0xFFFF) | 3;
    r.ss = (sc.ss & 0xFFFF) | 3;
    if !usable(r.cs as u16, SegmentUse::Code) || !usable(r.ss as u16, SegmentUse::Stack) {
        return Err(BadFrame::Selector);
    }
    for seg in [&mut r.ds, &mut r.es, &mut r.fs, &mut r.gs] {
        let sel = (*seg & 0xFFFF) as u16;
        // Selectors 0..=3 are null: loadable, and faulting only on use.
        *seg = if sel < 4 || usable(sel, SegmentUse::Data) { u32::from(sel) } else { 0 };
    }
    r.eflags = (eflags_now & !FIX_EFLAGS) | (sc.eflags & FIX_EFLAGS);
    Ok(r)
}

/// How much of an FXSAVE image `fsave_header` reads: up to the end of the
/// eight x87 registers.
pub const FSAVE_HEADER_SOURCE: usize = 32 + 8 * 16;

/// The FSAVE-format header Linux puts before the FXSAVE image in
/// `_fpstate_32` (convert_from_fxsr): control, status and tag words, the
/// last instruction and operand pointers, and the eight 80-bit registers.
/// The tag word is rebuilt from FXSAVE's abridged one: empty (11) or valid.
/// `fx` is the image, or at least its first `FSAVE_HEADER_SOURCE` bytes.
pub fn fsave_header(fx: &[u8]) -> [u8; FPSTATE_FXSAVE_OFFSET] {
    let w16 = |o: usize| u32::from(u16::from_le_bytes([fx[o], fx[o + 1]]));
    let w32 = |o: usize| u32::from_le_bytes([fx[o], fx[o + 1], fx[o + 2], fx[o + 3]]);
    let abridged = fx[4];
    let tag = (0..8).fold(0u32, |t, i| t | if abridged & (1 << i) != 0 { 0 } else { 3 << (2 * i) });
    let mut h = [0u8; FPSTATE_FXSAVE_OFFSET];
    let env = [
        0xFFFF_0000 | w16(0),
        0xFFFF_0000 | w16(2),
        0xFFFF_0000 | tag,
        w32(8),
        w16(12) | (w16(6) << 16),
        w32(16),
        0xFFFF_0000 | w16(20),
    ];
    for (i, v) in env.iter().enumerate() {
        h[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
    }
    for i in 0..8 {
        h[28 + i * 10..38 + i * 10].copy_from_slice(&fx[32 + i * 16..42 + i * 16]);
    }
    // status (the saved FSW) at 108; magic 0 (FXSR data follows) at 110.
    h[108..110].copy_from_slice(&fx[2..4]);
    h
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn frames_are_call_aligned_below_the_fpu_state() {
        for top in [0xBFFF_F000u32, 0xBFFF_EFF3, 0x0804_8123] {
            for size in [268, 732] {
                let (frame, fp) = layout(top, size).unwrap();
                assert_eq!((frame + 4) % 16, 0);
                assert_eq!((fp + FPSTATE_FXSAVE_OFFSET as u32) % 64, 0);
                assert!(fp + 624 <= top);
                assert!(frame + size <= fp);
            }
        }
        assert_eq!(layout(100, 268), None);
    }

    fn sc() -> Sigcontext {
        Sigcontext { cs: 0x73, ss: 0x7b, ds: 0x7b, es: 0x7b, fs: 0, gs: 0x33, eflags: 0x246, ..Default::default() }
    }

    // The user selectors of memguard's GDT (Linux's layout).
    fn usable(sel: u16, u: SegmentUse) -> bool {
        matches!((sel, u), (0x73, SegmentUse::Code) | (0x7b, _) | (0x33, SegmentUse::Data))
    }

    #[test]
    fn a_kernel_code_segment_is_refused() {
        assert!(sanitize(&sc(), 0x202, usable).is_ok());
        // RPL 0 becomes 3: 0x60 | 3 names a DPL-0 segment, which fails.
        assert_eq!(sanitize(&Sigcontext { cs: 0x60, ..sc() }, 0x202, usable), Err(BadFrame::Selector));
        assert_eq!(sanitize(&Sigcontext { ss: 0x68, ..sc() }, 0x202, usable), Err(BadFrame::Selector));
        // 0x70 is the user code selector with RPL 0: forced to 0x73.
        assert_eq!(sanitize(&Sigcontext { cs: 0x70, ..sc() }, 0x202, usable).unwrap().cs, 0x73);
    }

    #[test]
    fn data_selectors_ring3_may_not_load_become_null() {
        let r = sanitize(&Sigcontext { ds: 0x68, es: 0x2, gs: 0xdead_0033, ..sc() }, 0x202, usable).unwrap();
        assert_eq!((r.ds, r.es, r.gs), (0, 2, 0x33));
    }

    #[test]
    fn eflags_privileged_bits_come_from_the_kernel() {
        // IOPL 3, NT, VM, IF cleared, and the carry, direction and trap flags.
        let hostile = 0x3000 | 0x4000 | 0x2_0000 | 0x1 | 0x400 | 0x100;
        let r = sanitize(&Sigcontext { eflags: hostile, ..sc() }, 0x202, usable).unwrap();
        assert_eq!(r.eflags, 0x202 | 0x1 | 0x400 | 0x100);
    }

    #[test]
    fn fsave_header_from_fxsave() {
        let mut fx = [0u8; 512];
        fx[0..2].copy_from_slice(&0x037Fu16.to_le_bytes());
        fx[2..4].copy_from_slice(&0x3800u16.to_le_bytes());
        fx[4] = 0b0000_0001; // st0 valid, the rest empty
        fx[32..42].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        let h = fsave_header(&fx);
        assert_eq!(u32::from_le_bytes(h[0..4].try_into().unwrap()), 0xFFFF_037F);
        assert_eq!(u32::from_le_bytes(h[8..12].try_into().unwrap()), 0xFFFF_FFFC);
        assert_eq!(&h[28..38], &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(&h[108..112], &[0x00, 0x38, 0, 0]);
    }
}

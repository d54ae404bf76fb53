//! Raw `int 0x80` system calls: number in `eax`, arguments in `ebx`, `ecx`,
//! `edx`, `esi`, `edi`, `ebp`, result in `eax` (Linux i386 ABI).
//!
//! LLVM keeps `esi` (base pointer) and `ebp` (frame pointer, the target
//! forces frame pointers) for itself, so they cannot be asm operands. The
//! calls that need them pass the number and those arguments through a small
//! array whose address travels in `eax`, and save/restore the registers around
//! the trap on the stack.
use core::arch::asm;

/// A raw result: `-4095..=-1` is `-errno`, anything else is the value.
pub type Raw = isize;

/// # Safety
/// The call must not break memory safety: any pointer argument must be valid
/// for the access the kernel makes, and calls that change the address space
/// (munmap, brk, execve...) must not remove memory Rust still references.
pub unsafe fn syscall0(nr: u32) -> Raw {
    let ret: isize;
    // SAFETY: `int 0x80` only changes eax (the result); the caller vouches for
    // the call's own effects.
    unsafe { asm!("int 0x80", inlateout("eax") nr as isize => ret, options(nostack)) };
    ret
}

/// # Safety
/// As for [`syscall0`].
pub unsafe fn syscall1(nr: u32, a1: usize) -> Raw {
    let ret: isize;
    // SAFETY: as in `syscall0`; ebx is an ordinary input on i686.
    unsafe { asm!("int 0x80", inlateout("eax") nr as isize => ret, in("ebx") a1, options(nostack)) };
    ret
}

/// # Safety
/// As for [`syscall0`].
pub unsafe fn syscall2(nr: u32, a1: usize, a2: usize) -> Raw {
    let ret: isize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!("int 0x80", inlateout("eax") nr as isize => ret, in("ebx") a1, in("ecx") a2,
             options(nostack))
    };
    ret
}

/// # Safety
/// As for [`syscall0`].
pub unsafe fn syscall3(nr: u32, a1: usize, a2: usize, a3: usize) -> Raw {
    let ret: isize;
    // SAFETY: as in `syscall0`.
    unsafe {
        asm!("int 0x80", inlateout("eax") nr as isize => ret, in("ebx") a1, in("ecx") a2,
             in("edx") a3, options(nostack))
    };
    ret
}

/// # Safety
/// As for [`syscall0`].
pub unsafe fn syscall4(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize) -> Raw {
    let block = [nr as usize, a4];
    let ret: isize;
    // SAFETY: as in `syscall0`; esi is saved and restored on the stack, and
    // `block` outlives the asm.
    unsafe {
        asm!(
            "push esi",
            "mov esi, [eax + 4]",
            "mov eax, [eax]",
            "int 0x80",
            "pop esi",
            inlateout("eax") block.as_ptr() => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3,
        )
    };
    ret
}

/// # Safety
/// As for [`syscall0`].
pub unsafe fn syscall5(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize) -> Raw {
    let block = [nr as usize, a4];
    let ret: isize;
    // SAFETY: as in `syscall4`.
    unsafe {
        asm!(
            "push esi",
            "mov esi, [eax + 4]",
            "mov eax, [eax]",
            "int 0x80",
            "pop esi",
            inlateout("eax") block.as_ptr() => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3, in("edi") a5,
        )
    };
    ret
}

/// # Safety
/// As for [`syscall0`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn syscall6(nr: u32, a1: usize, a2: usize, a3: usize, a4: usize, a5: usize, a6: usize) -> Raw {
    let block = [nr as usize, a4, a6];
    let ret: isize;
    // SAFETY: as in `syscall4`; ebp is saved and restored too, and nothing
    // between the push and the pop uses it as a frame pointer.
    unsafe {
        asm!(
            "push ebp",
            "push esi",
            "mov esi, [eax + 4]",
            "mov ebp, [eax + 8]",
            "mov eax, [eax]",
            "int 0x80",
            "pop esi",
            "pop ebp",
            inlateout("eax") block.as_ptr() => ret,
            in("ebx") a1, in("ecx") a2, in("edx") a3, in("edi") a5,
        )
    };
    ret
}

//! The kernel-stack context switch (`switch.S`) and the stack a new task
//! starts from. A task's kernel context is just its stack pointer: the
//! callee-saved registers and return address sit on the stack it points at.

use super::trap::TrapFrame;

core::arch::global_asm!(include_str!("switch.S"), options(att_syntax));

unsafe extern "C" {
    fn context_switch(from: *mut u32, to: u32);
    fn task_first_return();
}

/// Saves the current kernel context into `*from` and resumes the one saved
/// in `to`. Returns when something switches back to `*from`.
///
/// # Safety
/// `from` must stay valid until that switch back (it is written now and read
/// then), and `to` must be a stack pointer saved by `switch` or made by
/// `prepare_first_switch`, on a stack that is still mapped.
pub unsafe fn switch(from: *mut u32, to: u32) {
    // SAFETY: forwarded to the caller.
    unsafe { context_switch(from, to) };
}

/// Lays out a new task's kernel stack so that its first switch "returns"
/// through `task_first_return` into `trap_return` with `frame`: the task
/// starts in ring 3 as the frame says. Returns the stack pointer to save.
///
/// # Safety
/// `[stack_top - 4 KiB, stack_top)` must be a mapped kernel stack that
/// nothing else uses yet.
pub unsafe fn prepare_first_switch(stack_top: u32, frame: &TrapFrame) -> u32 {
    let frame_at = stack_top - core::mem::size_of::<TrapFrame>() as u32;
    let switch_frame = [0u32, 0, 0, 0, task_first_return as *const () as u32]; // edi esi ebx ebp ret
    let esp = frame_at - core::mem::size_of_val(&switch_frame) as u32;
    // SAFETY: the caller promises these 96 bytes below stack_top are ours.
    unsafe {
        (frame_at as *mut TrapFrame).write(*frame);
        (esp as *mut [u32; 5]).write(switch_frame);
    }
    esp
}

/// Lays out a kernel thread's stack so that its first switch "returns"
/// into `entry`, on that stack, with interrupts as the switch left them
/// (off: the kernel's rule). Returns the stack pointer to save.
///
/// ```text
///  stack_top ─┐
///   -4        │ 0           entry's return address (it never returns)
///   -8        │ entry       popped by context_switch's `ret`
///   -24..-12  │ 0 0 0 0     edi esi ebx ebp  ← saved esp
/// ```
/// At `entry`, ESP + 4 is 16-byte aligned, as the i386 System V ABI has
/// it at a function's first instruction.
///
/// # Safety
/// `[stack_top - 24, stack_top)` must be a mapped kernel stack that
/// nothing else uses yet, and `stack_top` 16-byte aligned.
pub unsafe fn prepare_kernel_entry(stack_top: u32, entry: extern "C" fn() -> !) -> u32 {
    let frame = [0u32, 0, 0, 0, entry as usize as u32, 0]; // edi esi ebx ebp ret (entry's return)
    let esp = stack_top - core::mem::size_of_val(&frame) as u32;
    // SAFETY: the caller promises these 24 bytes below stack_top are ours.
    unsafe { (esp as *mut [u32; 6]).write(frame) };
    esp
}

/// Where the trap frame of a task's latest entry from ring 3 lies: always
/// at the top of its kernel stack (the CPU switches to ESP0 on entry).
pub fn user_frame_of(stack_top: u32) -> *mut TrapFrame {
    (stack_top - core::mem::size_of::<TrapFrame>() as u32) as *mut TrapFrame
}

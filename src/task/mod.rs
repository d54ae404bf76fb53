//! Processes (filled in by the processes issue).

use crate::arch::x86::exception::Exception;
use crate::arch::x86::trap::TrapFrame;

pub fn on_user_exception(frame: &mut TrapFrame, exc: Exception, cr2: u32) {
    crate::arch::x86::trap::report_kernel_exception(frame, exc, cr2);
    panic!("user-mode exception with no process to blame");
}

pub fn on_return_to_user(_frame: &mut TrapFrame) {}
pub fn on_timer_tick(_frame: &mut TrapFrame) {}
pub fn on_console_input() {}

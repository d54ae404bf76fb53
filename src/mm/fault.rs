//! The page-fault path (hardware side). The decision lives in `decide`.

use crate::arch::x86::trap::TrapFrame;

/// Tries to resolve a page fault; false means "not resolved": the trap layer
/// then reports it (kernel) or hands it to the task layer (user).
pub fn on_page_fault(_frame: &mut TrapFrame, _cr2: u32) -> bool {
    false
}

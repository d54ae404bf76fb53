//! The page-fault handler: a pure decision (`decide`) and the executor that
//! applies it to a process's page tables (`apply`).

pub mod decide;
#[cfg(target_os = "none")]
pub mod apply;

#[cfg(target_os = "none")]
pub use handler::on_page_fault;

#[cfg(target_os = "none")]
mod handler {
    use crate::arch::x86::exception::PfError;
    use crate::arch::x86::trap::TrapFrame;

    /// The last page fault seen, for the debugger (`pf` in gdb): CR2, the
    /// error code, EIP.
    #[unsafe(no_mangle)]
    pub static mut LAST_PAGE_FAULT: [u32; 3] = [0; 3];

    /// Resolves a user page fault in the current process (or kills the
    /// task, never returning); returns false for a fault the kernel itself
    /// took, which the trap layer reports as a kernel bug.
    pub fn on_page_fault(frame: &mut TrapFrame, cr2: u32) -> bool {
        // SAFETY: a plain store of three words; only the debugger reads them.
        unsafe { LAST_PAGE_FAULT = [cr2, frame.error_code, frame.eip] };
        if !frame.from_user() {
            return false;
        }
        crate::task::on_user_page_fault(frame, cr2, PfError::from_bits_retain(frame.error_code))
    }
}

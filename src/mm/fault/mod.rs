//! The page-fault handler: a pure decision (`decide`) and the executor that
//! applies it to a process's page tables (`apply`). Who calls it, and what
//! happens to a task it cannot save, is `src/trap.rs`'s and `task`'s call.

#[cfg(target_os = "none")]
pub mod apply;
pub mod decide;

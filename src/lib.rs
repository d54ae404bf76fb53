//! The kernel library: the module tree and the in-kernel test harness.
//!
//! Crate-wide assumptions, stated once:
//! - one CPU; kernel code runs with interrupts disabled except where it waits
//!   (`arch::x86::instructions::wait_for_interrupt`), so a `spin::Mutex` is
//!   never contended by an interrupt handler on the same CPU;
//! - modules that are pure logic compile for the host too and carry `#[test]`s;
//!   modules that touch hardware compile only for the kernel target
//!   (`target_os = "none"`).
//!
//! The `#[test_case]`s run in one test kernel with 3 GiB, so that high
//! memory (above the 512 MiB direct map) is real for them:
//! qemu: --mem 3G
#![cfg_attr(any(not(test), target_os = "none"), no_std)]
#![cfg_attr(all(test, target_os = "none"), no_main)]
#![cfg_attr(all(test, target_os = "none"), feature(custom_test_frameworks))]
#![cfg_attr(all(test, target_os = "none"), test_runner(crate::testing::run_tests))]
#![cfg_attr(all(test, target_os = "none"), reexport_test_harness_main = "test_main")]
// One descent of a B-tree to the region around an address (`mm::vma`), where
// a range search descends to both of its ends.
#![feature(btree_cursors)]
#![feature(stmt_expr_attributes)]

extern crate alloc;

// The layers, lowest first; a module may use only those above it in this
// list (tools/layers.sh checks it):
//   arch ← bootinfo ← mm ← console, time, symbols, dev ← fs ← task ← syscall ← trap ← init, panic, testing
pub mod arch;
pub mod bootinfo;
pub mod mm;
// Exports macros (kprint!, kprintln!); only the line discipline is pure.
pub mod console;
pub mod dev;
pub mod fs;
#[cfg(target_os = "none")]
pub mod init;
#[cfg(target_os = "none")]
pub mod panic;
#[cfg(target_os = "none")]
pub mod symbols;
pub mod syscall;
pub mod task;
#[cfg(target_os = "none")]
pub mod testing;
pub mod time;
#[cfg(target_os = "none")]
pub mod trap;

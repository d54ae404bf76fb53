//! Files: a writable tmpfs root (`tmpfs`, pure; `root`, the one tree), in
//! which every boot module is a read-only file named by its GRUB command
//! line (`/bin/sh`), and /dev holds the device nodes. File descriptors point
//! at shared open-file descriptions (offset included), as fork and dup
//! share them on Linux.

pub mod cpio;
#[cfg(target_os = "none")]
mod files;
#[cfg(target_os = "none")]
pub mod mapped;
pub mod mounts;
pub mod node;
pub mod pages;
#[cfg(target_os = "none")]
pub mod pipe;
pub mod pollmask;
pub mod procacct;
pub mod procfmt;
#[cfg(target_os = "none")]
pub mod root;
#[cfg(target_os = "none")]
pub mod shmem;
pub mod tmpfs;
#[cfg(target_os = "none")]
pub use files::*;
#[cfg(target_os = "none")]
pub use root::{list, lookup, module_bytes, module_name, module_of, size};

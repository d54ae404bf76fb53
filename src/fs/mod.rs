//! Files: every boot module is a read-only file named by its GRUB command
//! line (`/bin/sh`), plus `/dev/console` and `/dev/null`, and the
//! directories those names imply. File descriptors point at shared open-file
//! descriptions (offset included), as fork and dup share them on Linux.
//! Path walking (`path`) is pure; the rest needs the boot modules.

#[cfg(target_os = "none")]
mod files;
pub mod path;
#[cfg(target_os = "none")]
pub mod pipe;
#[cfg(target_os = "none")]
pub use files::*;

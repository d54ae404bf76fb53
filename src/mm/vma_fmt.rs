//! How regions print: one line each, like /proc/PID/maps (`vmmap`, kill
//! reports). A child of `vma.rs`.

use super::{Backing, Prot, Purpose, Region};
use core::fmt;

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{}", self)
    }
}

impl fmt::Display for Region {
    /// `08048000-0804a000 r-x private  program`, like /proc/PID/maps.
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.describe(f, &|m| alloc::format!("module {m}"))
    }
}

/// A region shown with its file's name (`file_name` turns a module number
/// into one).
pub struct Named<'a, F: Fn(u16) -> alloc::string::String>(pub &'a Region, pub F);

impl<F: Fn(u16) -> alloc::string::String> fmt::Display for Named<'_, F> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.0.describe(f, &self.1)
    }
}

impl Region {
    fn describe(&self, f: &mut fmt::Formatter, file_name: &dyn Fn(u16) -> alloc::string::String) -> fmt::Result {
        write!(
            f,
            "{:08x}-{:08x} {}{}{} {:<7} {:>6} KiB  ",
            self.start,
            self.end,
            if self.prot.readable() { 'r' } else { '-' },
            if self.prot.writable() { 'w' } else { '-' },
            if self.prot.contains(Prot::EXEC) { 'x' } else { '-' },
            if self.is_shared() { "shared" } else { "private" },
            self.len() / 1024,
        )?;
        match (&self.backing, self.purpose) {
            (_, Purpose::Heap) => write!(f, "[heap]"),
            (_, Purpose::Stack) => write!(f, "[stack]"),
            (Backing::File { module, .. }, Purpose::Program) => write!(f, "program {}", file_name(*module)),
            (Backing::File { module, .. }, _) => write!(f, "file {}", file_name(*module)),
            (Backing::Cache { file, .. }, Purpose::Program) => write!(f, "program {}", file.name()),
            (Backing::Cache { file, .. }, _) => write!(f, "file {}", file.name()),
            (Backing::Shared { .. }, _) => write!(f, "shared anonymous"),
            (Backing::Anonymous, _) => write!(f, "anonymous"),
        }
    }
}

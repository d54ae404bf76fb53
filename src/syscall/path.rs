//! Paths as a process names them: read from user memory, and made absolute
//! against its working directory.

use super::abi::Errno;
use super::uaccess::read_cstr;
use crate::fs::PATH_MAX;
use crate::task::sched::with_process;
use alloc::string::String;

/// A path as the process means it: relative ones start at its working
/// directory.
pub fn absolute(path: &str) -> String {
    if path.starts_with('/') || path.is_empty() {
        return String::from(path);
    }
    let cwd = with_process(|p| p.fs.cwd.clone());
    alloc::format!("{}/{path}", if cwd == "/" { "" } else { cwd.as_str() })
}

/// A path argument: read from user memory (ENAMETOOLONG past PATH_MAX)
/// and made absolute.
pub fn read_path(addr: u32) -> Result<String, Errno> {
    with_process(|p| read_cstr(&mut p.mem, addr, PATH_MAX, Errno::ENAMETOOLONG)).map(|p| absolute(&p))
}

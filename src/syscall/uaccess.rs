//! The user-copy helpers of `mm::usercopy`, and the argv/envp reader that
//! knows exec's limits.

use super::abi::Errno;
use crate::mm::user::UserMemory;
pub use crate::mm::usercopy::*;
use alloc::string::String;
use alloc::vec::Vec;

/// A NULL-terminated array of string pointers (argv, envp). A NULL array
/// pointer is an empty list, as Linux allows.
pub fn read_str_array(mem: &mut UserMemory, addr: u32, total_max: usize) -> Result<Vec<String>, Errno> {
    let mut out = Vec::new();
    if addr == 0 {
        return Ok(out);
    }
    let mut total = 0usize;
    for i in 0u32.. {
        let p = read_u32(mem, addr.checked_add(i * 4).ok_or(Errno::EFAULT)?)?;
        if p == 0 {
            break;
        }
        let s = read_cstr(mem, p, super::super::task::exec::MAX_ARG_STRLEN, Errno::E2BIG)?;
        total += s.len() + 1 + 4;
        if total > total_max {
            return Err(Errno::E2BIG);
        }
        out.push(s);
    }
    Ok(out)
}

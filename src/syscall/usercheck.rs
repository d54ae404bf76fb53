//! Checks on user-supplied pointers and sizes that need no page tables: a
//! buffer must lie wholly in the user half without wrapping. Whether its
//! pages are mapped is asked of the memory map afterwards. Pure.

use super::abi::Errno;
use crate::mm::layout::USER_END;

/// `[addr, addr + len)` as a range, or EFAULT if it leaves the user half or
/// wraps around 2^32 (Linux's access_ok: a zero-length buffer may sit
/// right at the end of the user half).
pub fn user_range(addr: u32, len: u32) -> Result<core::ops::Range<u32>, Errno> {
    let end = addr.checked_add(len).ok_or(Errno::EFAULT)?;
    if end > USER_END {
        return Err(Errno::EFAULT);
    }
    Ok(addr..end)
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn user_ranges() {
        assert_eq!(user_range(0x1000, 0x10), Ok(0x1000..0x1010));
        assert_eq!(user_range(0xBFFF_FFF0, 0x10), Ok(0xBFFF_FFF0..0xC000_0000));
        assert_eq!(user_range(0xBFFF_FFF0, 0x11), Err(Errno::EFAULT), "runs into the kernel half");
        assert_eq!(user_range(0xC000_0000, 0), Ok(0xC000_0000..0xC000_0000), "empty, at the very end");
        assert_eq!(user_range(0xC000_0001, 0), Err(Errno::EFAULT), "a kernel address");
        assert_eq!(user_range(0xC000_0000, 1), Err(Errno::EFAULT), "a kernel byte");
        assert_eq!(user_range(0xFFFF_FFF0, 0x20), Err(Errno::EFAULT), "wraps");
        assert_eq!(user_range(0, 0), Ok(0..0));
    }
}

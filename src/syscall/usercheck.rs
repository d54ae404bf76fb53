//! Checks on user-supplied pointers and sizes that need no page tables: a
//! buffer must lie wholly in the user half without wrapping (`UserRange`).
//! Whether its pages are mapped is asked of the memory map afterwards. Pure.

use super::abi::Errno;
use crate::mm::addr::UserRange;

/// `[addr, addr + len)` as a user range, or EFAULT (Linux's access_ok).
pub fn user_range(addr: u32, len: u32) -> Result<UserRange, Errno> {
    UserRange::new(addr, len).ok_or(Errno::EFAULT)
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn a_range_outside_the_user_half_is_efault() {
        assert!(user_range(0x1000, 0x10).is_ok());
        assert_eq!(user_range(0xBFFF_FFF0, 0x11), Err(Errno::EFAULT));
        assert_eq!(user_range(0xFFFF_FFF0, 0x20), Err(Errno::EFAULT));
    }
}

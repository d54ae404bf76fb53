//! The Linux i386 system-call ABI as this kernel speaks it: `int 0x80`, the
//! number in EAX, arguments in EBX, ECX, EDX, ESI, EDI, EBP, and the result
//! in EAX — a value, or -errno (-4095..-1). Numbers and errno values are
//! Linux's (arch/x86/entry/syscalls/syscall_32.tbl, asm-generic/errno*.h).
//! Project system calls live above Linux's range, at 1000 and up. Pure.

/// Errno values, the result encoding, the syscall numbers and the wait
/// status word are Linux's, from the one ABI crate the user programs share.
pub use memguard_abi::wstatus::WAIT_VALID_OPTIONS;
pub use memguard_abi::{Errno, SysResult, encode, nr, wstatus};

/// Flags of the calls this module family decodes, by their Linux names.
pub use memguard_abi::linux::{
    LINUX_REBOOT_CMD_CAD_OFF, LINUX_REBOOT_CMD_CAD_ON, LINUX_REBOOT_CMD_HALT, LINUX_REBOOT_CMD_POWER_OFF,
    LINUX_REBOOT_CMD_RESTART, LINUX_REBOOT_MAGIC1, MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_PRIVATE,
    MAP_SHARED, MAP_SHARED_VALIDATE, MAP_TYPE, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NONBLOCK,
    O_RDONLY, O_TRUNC, SEEK_CUR, SEEK_END, SEEK_SET, WCONTINUED, WNOHANG, WUNTRACED,
};

/// The second reboot magic: any of Linus's and his daughters' birthdays.
pub const LINUX_REBOOT_MAGIC2: [u32; 4] = {
    use memguard_abi::linux as l;
    [l::LINUX_REBOOT_MAGIC2, l::LINUX_REBOOT_MAGIC2A, l::LINUX_REBOOT_MAGIC2B, l::LINUX_REBOOT_MAGIC2C]
};

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn errors_are_negative_errno() {
        assert_eq!(encode(Err(Errno::ENOSYS)) as i32, -38);
        assert_eq!(encode(Err(Errno::EFAULT)) as i32, -14);
        assert_eq!(encode(Ok(0xBFFF_F000)), 0xBFFF_F000);
        assert!(encode(Err(Errno::EPERM)) > u32::MAX - u32::from(Errno::MAX));
    }

    #[test]
    fn wait_status_words() {
        assert_eq!(wstatus::exited(42), 0x2A00);
        assert_eq!(wstatus::exited(256 + 3), 0x0300, "only the low 8 bits survive");
        assert_eq!(wstatus::signaled(11), 11);
        assert_eq!(LINUX_REBOOT_MAGIC2, [672_274_793, 85_072_278, 369_367_448, 537_993_216]);
    }
}

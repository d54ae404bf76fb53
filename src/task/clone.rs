//! clone's flags: which combinations Linux refuses, and what each shares.
//! Pure.

use memguard_abi::Errno;
use memguard_abi::linux::{
    CLONE_CHILD_CLEARTID, CLONE_CHILD_SETTID, CLONE_DETACHED, CLONE_FILES, CLONE_FS, CLONE_IO, CLONE_NEWCGROUP,
    CLONE_NEWIPC, CLONE_NEWNET, CLONE_NEWNS, CLONE_NEWPID, CLONE_NEWUSER, CLONE_NEWUTS, CLONE_PARENT,
    CLONE_PARENT_SETTID, CLONE_PIDFD, CLONE_PTRACE, CLONE_SETTLS, CLONE_SIGHAND, CLONE_SYSVSEM, CLONE_THREAD,
    CLONE_UNTRACED, CLONE_VFORK, CLONE_VM,
};

/// The exit signal lives in the low byte (CSIGNAL).
pub const CSIGNAL: u32 = 0xFF;

/// Flags this kernel acts on, and those it accepts and ignores as a kernel
/// without tracing, System V semaphores or I/O contexts does.
const SUPPORTED: u32 = CSIGNAL
    | CLONE_VM
    | CLONE_FS
    | CLONE_FILES
    | CLONE_SIGHAND
    | CLONE_VFORK
    | CLONE_PARENT
    | CLONE_THREAD
    | CLONE_SETTLS
    | CLONE_PARENT_SETTID
    | CLONE_CHILD_SETTID
    | CLONE_CHILD_CLEARTID
    | CLONE_DETACHED
    | CLONE_PTRACE
    | CLONE_UNTRACED
    | CLONE_SYSVSEM
    | CLONE_IO;

const NAMESPACES: u32 =
    CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWCGROUP;

/// Linux's checks (copy_process and the legacy clone's), in its order:
/// EINVAL for a combination that makes no sense. `is_init`: the caller is
/// process 1, which may not create siblings. Namespaces and pidfds, which
/// this kernel does not have, are EINVAL too.
pub fn check(flags: u32, is_init: bool) -> Result<(), Errno> {
    let has = |f: u32| flags & f != 0;
    let invalid = (has(CLONE_NEWNS) && has(CLONE_FS))
        || (has(CLONE_NEWUSER) && has(CLONE_FS))
        || (has(CLONE_THREAD) && !has(CLONE_SIGHAND))
        || (has(CLONE_SIGHAND) && !has(CLONE_VM))
        || (has(CLONE_PARENT) && is_init)
        || (has(CLONE_THREAD) && has(CLONE_NEWUSER | CLONE_NEWPID))
        || (has(CLONE_PIDFD) && has(CLONE_DETACHED | CLONE_THREAD | CLONE_PARENT_SETTID));
    if invalid || has(NAMESPACES | CLONE_PIDFD) || flags & !SUPPORTED & !NAMESPACES & !CLONE_PIDFD != 0 {
        return Err(Errno::EINVAL);
    }
    Ok(())
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    const SIGCHLD: u32 = 17;
    const PTHREAD: u32 = CLONE_VM
        | CLONE_FS
        | CLONE_FILES
        | CLONE_SIGHAND
        | CLONE_THREAD
        | CLONE_SYSVSEM
        | CLONE_SETTLS
        | CLONE_PARENT_SETTID
        | CLONE_CHILD_CLEARTID;

    #[test]
    fn what_libcs_use_is_accepted() {
        for f in [SIGCHLD, PTHREAD, PTHREAD | CLONE_DETACHED, CLONE_VM | CLONE_VFORK | SIGCHLD] {
            assert_eq!(check(f, false), Ok(()), "{f:#x}");
        }
        assert_eq!(check(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD, false), Ok(()));
    }

    #[test]
    fn linux_refuses_these() {
        for f in [
            CLONE_THREAD,
            CLONE_THREAD | CLONE_VM,
            CLONE_SIGHAND,
            CLONE_THREAD | CLONE_SIGHAND,
            CLONE_FS | CLONE_NEWNS,
            CLONE_FS | CLONE_NEWUSER,
            PTHREAD | CLONE_NEWPID,
            PTHREAD | CLONE_PIDFD,
            CLONE_PIDFD | CLONE_PARENT_SETTID,
            CLONE_PIDFD | CLONE_DETACHED,
        ] {
            assert_eq!(check(f, false), Err(Errno::EINVAL), "{f:#x}");
        }
        assert_eq!(check(CLONE_PARENT | SIGCHLD, true), Err(Errno::EINVAL));
        assert_eq!(check(CLONE_PARENT | SIGCHLD, false), Ok(()));
    }
}

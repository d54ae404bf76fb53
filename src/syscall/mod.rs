//! System calls: the ABI (pure), argument checks (pure), and on the kernel
//! target the dispatcher and one module per family.

pub mod abi;

#[cfg(target_os = "none")]
mod benchcall;
#[cfg(target_os = "none")]
mod blkdev;
#[cfg(target_os = "none")]
mod debug;
#[cfg(target_os = "none")]
mod fdctl;
#[cfg(target_os = "none")]
mod file;
#[cfg(target_os = "none")]
mod fsinfo;
#[cfg(target_os = "none")]
mod fsops;
#[cfg(target_os = "none")]
mod futex;
#[cfg(target_os = "none")]
mod info;
#[cfg(target_os = "none")]
mod mem;
#[cfg(target_os = "none")]
mod mount;
#[cfg(target_os = "none")]
mod path;
#[cfg(target_os = "none")]
mod poll;
#[cfg(target_os = "none")]
mod process;
#[cfg(target_os = "none")]
mod rlimit;
#[cfg(target_os = "none")]
mod sendfile;
#[cfg(target_os = "none")]
mod signal;
#[cfg(target_os = "none")]
mod swap;
#[cfg(target_os = "none")]
mod syslog;
#[cfg(target_os = "none")]
mod taskctl;
#[cfg(target_os = "none")]
mod timespec;
#[cfg(target_os = "none")]
mod tls;
#[cfg(target_os = "none")]
mod tty;
#[cfg(target_os = "none")]
pub mod uaccess;

#[cfg(target_os = "none")]
pub use dispatch::dispatch;

#[cfg(target_os = "none")]
mod dispatch {
    use super::abi::{Errno, SysResult, encode, nr};
    use super::path::{self, AT_FDCWD};
    use super::timespec::TimeAbi::{Time32, Time64};
    use super::{
        debug, fdctl, file, fsinfo, fsops, futex, info, mem, mount, poll, process, rlimit, sendfile, signal, swap,
        syslog, taskctl, tls,
    };

    /// A 64-bit argument passed in two registers, low word first.
    fn i64_of(low: u32, high: u32) -> i64 {
        (u64::from(high) << 32 | u64::from(low)) as i64
    }

    /// A 16-bit uid/gid of the old chown calls: 0xFFFF means "unchanged".
    fn id16(id: u32) -> u32 {
        if id as u16 == u16::MAX { u32::MAX } else { id & 0xFFFF }
    }
    use crate::arch::x86::trap::TrapFrame;

    /// The six argument registers, in Linux's order.
    #[derive(Clone, Copy)]
    pub struct Args(pub [u32; 6]);

    impl Args {
        fn of(f: &TrapFrame) -> Self {
            Args([f.ebx, f.ecx, f.edx, f.esi, f.edi, f.ebp])
        }
        pub fn int(&self, i: usize) -> i32 {
            self.0[i] as i32
        }
    }

    /// `int 0x80`: runs the call named by EAX and puts the result in EAX.
    /// Inlined into its one caller, the trap entry: a call and its `ret`
    /// (an indirect jump, a block lookup under TCG) less per system call.
    #[inline(always)]
    pub fn dispatch(frame: &mut TrapFrame) {
        let a = Args::of(frame);
        let a0 = a.0;
        // The call's number stays in the frame's error-code slot (Linux's
        // orig_eax), for a restart after a signal.
        let number = frame.eax;
        frame.error_code = number;
        let result: SysResult = match frame.eax {
            nr::EXIT => process::exit(a0[0]),
            nr::EXIT_GROUP => process::exit_group(a0[0]),
            nr::RESTART_SYSCALL => process::restart_syscall(),
            nr::RT_SIGACTION => signal::rt_sigaction(a0[0], a0[1], a0[2], a0[3]),
            nr::SIGACTION => signal::sigaction(a0[0], a0[1], a0[2]),
            nr::SIGNAL => signal::signal(a0[0], a0[1]),
            nr::RT_SIGPROCMASK => signal::rt_sigprocmask(a0[0], a0[1], a0[2], a0[3]),
            nr::SIGPROCMASK => signal::sigprocmask(a0[0], a0[1], a0[2]),
            nr::RT_SIGPENDING => signal::rt_sigpending(a0[0], a0[1]),
            nr::SIGPENDING => signal::sigpending(a0[0]),
            nr::RT_SIGSUSPEND => signal::rt_sigsuspend(a0[0], a0[1]),
            nr::SIGSUSPEND => signal::sigsuspend(a0[2]),
            nr::PAUSE => signal::pause(),
            nr::RT_SIGTIMEDWAIT => signal::rt_sigtimedwait(a0[0], a0[1], a0[2], a0[3], Time32),
            nr::RT_SIGTIMEDWAIT_TIME64 => signal::rt_sigtimedwait(a0[0], a0[1], a0[2], a0[3], Time64),
            nr::RT_SIGQUEUEINFO => signal::rt_sigqueueinfo(a.int(0), a0[1], a0[2]),
            nr::SIGALTSTACK => signal::sigaltstack(frame, a0[0], a0[1]),
            nr::TKILL => signal::tkill(a.int(0), a0[1]),
            nr::TGKILL => signal::tgkill(a.int(0), a.int(1), a0[2]),
            nr::RT_SIGRETURN => signal::sigreturn(frame, true),
            nr::SIGRETURN => signal::sigreturn(frame, false),
            nr::ALARM => signal::alarm(a0[0]),
            nr::SETITIMER => signal::setitimer(a0[0], a0[1], a0[2]),
            nr::GETITIMER => signal::getitimer(a0[0], a0[1]),
            nr::FORK => process::fork(frame),
            nr::VFORK => process::vfork(frame),
            nr::CLONE => process::clone(frame, a0[0], a0[1], a0[2], a0[3], a0[4]),
            nr::FUTEX => futex::futex(a0[0], a0[1], a0[2], a0[3], a0[4], a0[5], Time32),
            nr::FUTEX_TIME64 => futex::futex(a0[0], a0[1], a0[2], a0[3], a0[4], a0[5], Time64),
            nr::SET_ROBUST_LIST => process::set_robust_list(a0[0], a0[1]),
            nr::GET_ROBUST_LIST => process::get_robust_list(a.int(0), a0[1], a0[2]),
            nr::SET_THREAD_AREA => tls::set_thread_area(frame, a0[0]),
            nr::PRCTL => taskctl::prctl(a0[0], a0[1]),
            nr::GETPRIORITY => taskctl::getpriority(a0[0], a0[1]),
            nr::SETPRIORITY => taskctl::setpriority(a0[0], a0[1], a.int(2)),
            nr::NICE => taskctl::nice(a.int(0)),
            nr::PERSONALITY => taskctl::personality(a0[0]),
            nr::GETRLIMIT => rlimit::old_getrlimit(a0[0], a0[1]),
            nr::UGETRLIMIT => rlimit::ugetrlimit(a0[0], a0[1]),
            nr::SETRLIMIT => rlimit::setrlimit(a0[0], a0[1]),
            nr::PRLIMIT64 => rlimit::prlimit64(a.int(0), a0[1], a0[2], a0[3]),
            nr::SCHED_GETAFFINITY => taskctl::sched_getaffinity(a.int(0), a0[1], a0[2]),
            nr::MADVISE => mem::madvise(a0[0], a0[1], a0[2]),
            nr::MINCORE => mem::mincore(a0[0], a0[1], a0[2]),
            nr::MSYNC => mem::msync(a0[0], a0[1], a0[2]),
            nr::GET_THREAD_AREA => tls::get_thread_area(a0[0]),
            nr::READ => file::read(a0[0], a0[1], a0[2]),
            nr::WRITE => file::write(a0[0], a0[1], a0[2]),
            nr::OPEN => file::open(a0[0], a0[1], a0[2]),
            nr::OPENAT => file::openat(a.int(0), a0[1], a0[2], a0[3]),
            nr::CREAT => file::creat(a0[0], a0[1]),
            nr::PREAD64 => file::pread64(a0[0], a0[1], a0[2], i64_of(a0[3], a0[4])),
            nr::PWRITE64 => file::pwrite64(a0[0], a0[1], a0[2], i64_of(a0[3], a0[4])),
            nr::DUP3 => file::dup3(a0[0], a0[1], a0[2]),
            nr::MKDIR => fsops::mkdirat(AT_FDCWD, a0[0], a0[1]),
            nr::MKDIRAT => fsops::mkdirat(a.int(0), a0[1], a0[2]),
            nr::MKNOD => fsops::mknodat(AT_FDCWD, a0[0], a0[1], a0[2]),
            nr::MKNODAT => fsops::mknodat(a.int(0), a0[1], a0[2], a0[3]),
            nr::RMDIR => fsops::unlinkat(AT_FDCWD, a0[0], path::AT_REMOVEDIR),
            nr::UNLINK => fsops::unlinkat(AT_FDCWD, a0[0], 0),
            nr::UNLINKAT => fsops::unlinkat(a.int(0), a0[1], a0[2]),
            nr::RENAME => fsops::renameat2(AT_FDCWD, a0[0], AT_FDCWD, a0[1], 0),
            nr::RENAMEAT => fsops::renameat2(a.int(0), a0[1], a.int(2), a0[3], 0),
            nr::RENAMEAT2 => fsops::renameat2(a.int(0), a0[1], a.int(2), a0[3], a0[4]),
            nr::LINK => fsops::linkat(AT_FDCWD, a0[0], AT_FDCWD, a0[1], 0),
            nr::LINKAT => fsops::linkat(a.int(0), a0[1], a.int(2), a0[3], a0[4]),
            nr::SYMLINK => fsops::symlinkat(a0[0], AT_FDCWD, a0[1]),
            nr::SYMLINKAT => fsops::symlinkat(a0[0], a.int(1), a0[2]),
            nr::READLINK => fsops::readlinkat(AT_FDCWD, a0[0], a0[1], a0[2]),
            nr::READLINKAT => fsops::readlinkat(a.int(0), a0[1], a0[2], a0[3]),
            nr::TRUNCATE => fsops::truncate64(a0[0], i64::from(a.int(1))),
            nr::TRUNCATE64 => fsops::truncate64(a0[0], i64_of(a0[1], a0[2])),
            nr::FTRUNCATE => fsops::ftruncate64(a0[0], i64::from(a.int(1))),
            nr::FTRUNCATE64 => fsops::ftruncate64(a0[0], i64_of(a0[1], a0[2])),
            nr::GETDENTS64 => fsops::getdents(a0[0], a0[1], a0[2], false),
            nr::GETDENTS => fsops::getdents(a0[0], a0[1], a0[2], true),
            nr::FSYNC | nr::FDATASYNC => fsops::fsync(a0[0]),
            nr::FSTATAT64 => fsinfo::fstatat64(a.int(0), a0[1], a0[2], a0[3]),
            nr::STATX => fsinfo::statx(a.int(0), a0[1], a0[2], a0[3], a0[4]),
            nr::STATFS64 => fsinfo::statfs64(a0[0], a0[1], a0[2]),
            nr::FSTATFS64 => fsinfo::fstatfs64(a0[0], a0[1], a0[2]),
            nr::FCHDIR => fsinfo::fchdir(a0[0]),
            nr::CHMOD => fsinfo::fchmodat(AT_FDCWD, a0[0], a0[1]),
            nr::FCHMOD => fsinfo::fchmod(a0[0], a0[1]),
            nr::FCHMODAT => fsinfo::fchmodat(a.int(0), a0[1], a0[2]),
            nr::CHOWN32 => fsinfo::fchownat(AT_FDCWD, a0[0], a0[1], a0[2], 0),
            nr::LCHOWN32 => fsinfo::fchownat(AT_FDCWD, a0[0], a0[1], a0[2], path::AT_SYMLINK_NOFOLLOW),
            nr::FCHOWN32 => fsinfo::fchown(a0[0], a0[1], a0[2]),
            nr::CHOWN => fsinfo::fchownat(AT_FDCWD, a0[0], id16(a0[1]), id16(a0[2]), 0),
            nr::LCHOWN => fsinfo::fchownat(AT_FDCWD, a0[0], id16(a0[1]), id16(a0[2]), path::AT_SYMLINK_NOFOLLOW),
            nr::FCHOWN => fsinfo::fchown(a0[0], id16(a0[1]), id16(a0[2])),
            nr::FCHOWNAT => fsinfo::fchownat(a.int(0), a0[1], a0[2], a0[3], a0[4]),
            nr::UTIMENSAT => fsinfo::utimensat(a.int(0), a0[1], a0[2], a0[3], false),
            nr::UTIMENSAT_TIME64 => fsinfo::utimensat(a.int(0), a0[1], a0[2], a0[3], true),
            nr::FACCESSAT2 => fsinfo::faccessat2(a.int(0), a0[1], a0[2], a0[3]),
            nr::CLOSE => file::close(a0[0]),
            nr::WAITPID => process::wait4(a.int(0), a0[1], a0[2], 0),
            nr::WAIT4 => process::wait4(a.int(0), a0[1], a0[2], a0[3]),
            nr::WAITID => process::waitid(a0[0], a.int(1), a0[2], a0[3], a0[4]),
            nr::EXECVE => process::execve(frame, a0[0], a0[1], a0[2]),
            nr::TIME => info::time(a0[0]),
            nr::LSEEK => file::lseek(a0[0], a.int(1), a0[2]),
            nr::LLSEEK => file::llseek(a0[0], a0[1], a0[2], a0[3], a0[4]),
            nr::GETPID => process::getpid(),
            nr::GETTID => Ok(crate::task::sched::current_pid()),
            nr::GETPPID => process::getppid(),
            nr::GETUID | nr::GETGID | nr::GETEUID | nr::GETEGID => Ok(0),
            nr::GETUID32 | nr::GETGID32 | nr::GETEUID32 | nr::GETEGID32 => Ok(0),
            // Root, in no supplementary group: the count is 0 for any size
            // but a negative one.
            nr::GETGROUPS | nr::GETGROUPS32 => {
                if a.int(0) < 0 {
                    Err(Errno::EINVAL)
                } else {
                    Ok(0)
                }
            }
            nr::SYNC => fsops::sync(),
            nr::FALLOCATE => fsops::fallocate(a0[0], a0[1], i64_of(a0[2], a0[3]), i64_of(a0[4], a0[5])),
            nr::SYSLOG => syslog::syslog(a.int(0), a0[1], a.int(2)),
            nr::SYNCFS => fsops::syncfs(a0[0]),
            nr::KILL => process::kill(a.int(0), a0[1]),
            nr::DUP => file::dup(a0[0]),
            nr::DUP2 => file::dup2(a0[0], a0[1]),
            nr::IOCTL => fdctl::ioctl(a0[0], a0[1], a0[2]),
            nr::FCNTL | nr::FCNTL64 => fdctl::fcntl(a0[0], a0[1], a0[2]),
            nr::PIPE => fdctl::pipe2(a0[0], 0),
            nr::PIPE2 => fdctl::pipe2(a0[0], a0[1]),
            nr::STAT64 => fsinfo::stat64(a0[0], a0[1]),
            nr::STAT => fsinfo::old_stat(a0[0], a0[1], true),
            nr::LSTAT => fsinfo::old_stat(a0[0], a0[1], false),
            nr::FSTAT => fsinfo::old_fstat(a0[0], a0[1]),
            nr::STATFS => fsinfo::old_statfs(Some(a0[0]), 0, a0[1]),
            nr::FSTATFS => fsinfo::old_statfs(None, a0[0], a0[1]),
            nr::LSTAT64 => fsinfo::lstat64(a0[0], a0[1]),
            nr::FSTAT64 => fsinfo::fstat64(a0[0], a0[1]),
            nr::ACCESS => fsinfo::access(a0[0], a0[1]),
            nr::FACCESSAT => fsinfo::faccessat2(a.int(0), a0[1], a0[2], 0),
            nr::GETCWD => fsinfo::getcwd(a0[0], a0[1]),
            nr::CHDIR => fsinfo::chdir(a0[0]),
            nr::UMASK => fsinfo::umask(a0[0]),
            nr::SET_TID_ADDRESS => process::set_tid_address(a0[0]),
            nr::TIMES => info::times(a0[0]),
            nr::GETRUSAGE => info::getrusage(a.int(0), a0[1]),
            nr::GETRANDOM => info::getrandom(a0[0], a0[1], a0[2]),
            nr::EXECVEAT => process::execveat(frame, a.int(0), a0[1], a0[2], a0[3], a0[4]),
            nr::GETPGRP => process::getpgrp(),
            nr::GETPGID => process::getpgid(a.int(0)),
            nr::GETSID => process::getsid(a.int(0)),
            nr::SETPGID => process::setpgid(a.int(0), a.int(1)),
            nr::SETSID => process::setsid(),
            nr::BRK => mem::brk(a0[0]),
            nr::GETTIMEOFDAY => info::gettimeofday(a0[0], a0[1]),
            nr::REBOOT => info::reboot(a0[0], a0[1], a0[2]),
            nr::MMAP => mem::old_mmap(a0[0]),
            nr::MMAP2 => mem::mmap2(a0[0], a0[1], a0[2], a0[3], a.int(4), a0[5]),
            nr::MUNMAP => mem::munmap(a0[0], a0[1]),
            nr::MREMAP => mem::mremap(a0[0], a0[1], a0[2], a0[3], a0[4]),
            nr::MPROTECT => mem::mprotect(a0[0], a0[1], a0[2]),
            nr::SYSINFO => info::sysinfo(a0[0]),
            nr::SWAPON => swap::swapon(a0[0], a0[1]),
            nr::SWAPOFF => swap::swapoff(a0[0]),
            nr::UNAME => info::uname(a0[0]),
            nr::READV => file::readv(a0[0], a0[1], a0[2]),
            nr::WRITEV => file::writev(a0[0], a0[1], a0[2]),
            nr::SCHED_YIELD => process::sched_yield(),
            nr::NANOSLEEP => process::nanosleep(a0[0], a0[1]),
            nr::CLOCK_GETTIME => info::clock_gettime(a0[0], a0[1], Time32),
            nr::CLOCK_GETTIME64 => info::clock_gettime(a0[0], a0[1], Time64),
            nr::CLOCK_GETRES => info::clock_getres(a0[0], a0[1], Time32),
            nr::CLOCK_GETRES64 => info::clock_getres(a0[0], a0[1], Time64),
            nr::CLOCK_NANOSLEEP => process::clock_nanosleep(a0[0], a0[1], a0[2], a0[3], Time32),
            nr::CLOCK_NANOSLEEP64 => process::clock_nanosleep(a0[0], a0[1], a0[2], a0[3], Time64),
            nr::MOUNT => mount::mount(a0[0], a0[1], a0[2], a0[3], a0[4]),
            nr::UMOUNT2 => mount::umount2(a0[0], a0[1]),
            nr::UMOUNT => mount::umount(a0[0]),
            nr::POLL => poll::poll(a0[0], a0[1], a.int(2)),
            nr::PPOLL => poll::ppoll(a0[0], a0[1], a0[2], a0[3], a0[4], Time32),
            nr::PPOLL_TIME64 => poll::ppoll(a0[0], a0[1], a0[2], a0[3], a0[4], Time64),
            nr::SELECT => poll::old_select(a0[0]),
            nr::NEWSELECT => poll::select(a.int(0), a0[1], a0[2], a0[3], a0[4]),
            nr::PSELECT6 => poll::pselect6(a.int(0), a0[1], a0[2], a0[3], a0[4], a0[5], Time32),
            nr::PSELECT6_TIME64 => poll::pselect6(a.int(0), a0[1], a0[2], a0[3], a0[4], a0[5], Time64),
            nr::SENDFILE => sendfile::sendfile(a0[0], a0[1], a0[2], a0[3], false),
            nr::SENDFILE64 => sendfile::sendfile(a0[0], a0[1], a0[2], a0[3], true),
            nr::MG_STATS => debug::stats(a.int(0), a0[1], a0[2]),
            nr::MG_VIEW => debug::view(a0[0], a0[1], a0[2], a0[3], a0[4]),
            nr::MG_TRANSLATE => debug::translate(a.int(0), a0[1], a0[2]),
            nr::MG_LIMITS => super::benchcall::limits(a0[0], a0[1], a0[2]),
            _ => Err(Errno::ENOSYS),
        };
        // `log=trace` on the kernel command line: every call, strace-style.
        log::trace!(
            "[pid {}] {}({:#x}, {:#x}, {:#x}, {:#x}) = {:?}",
            crate::task::sched::current_pid(),
            nr::name(number).unwrap_or("?"),
            a0[0],
            a0[1],
            a0[2],
            a0[3],
            result.map_err(|e| e.name().map_or(-i32::from(e.raw()), |_| 0)).map_err(|n| (n, result.err()))
        );
        frame.eax = encode(result);
    }
}

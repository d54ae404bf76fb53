/* syscall.h: the Linux i386 `int 0x80` calls, shared by bench/rt.h and
 * tests/diff/t.h (two runtimes with different entry code and printing).
 * eax = number, ebx ecx edx esi edi ebp = arguments 1..6, result in eax; a
 * result in [-4095, -1] is -errno. */
#ifndef SYSCALL_H
#define SYSCALL_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef int i32;

/* Syscalls with up to 4 arguments are inlined so that a measured syscall
 * (getpid, sched_yield) costs only the trap, not a call into a helper.
 * ebx is free for us to clobber because we build without PIC. */
static inline long sys0(long nr)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
    return r;
}

static inline long sys1(long nr, long a)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a) : "memory");
    return r;
}

static inline long sys2(long nr, long a, long b)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b) : "memory");
    return r;
}

static inline long sys3(long nr, long a, long b, long c)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static inline long sys4(long nr, long a, long b, long c, long d)
{
    long r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d) : "memory");
    return r;
}

/* Six arguments need ebp, which gcc will not hand out as an asm operand
 * (it may be the frame pointer), so this one lives in plain assembly:
 * it saves the callee-saved registers the ABI makes it load. */
long sys6(long nr, long a, long b, long c, long d, long e, long f);
__asm__(".text\n.globl sys6\nsys6:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov 20(%esp), %eax\n  mov 24(%esp), %ebx\n  mov 28(%esp), %ecx\n"
        "  mov 32(%esp), %edx\n  mov 36(%esp), %esi\n  mov 40(%esp), %edi\n"
        "  mov 44(%esp), %ebp\n"
        "  int $0x80\n"
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n");

/* Linux i386 syscall numbers (arch/x86/entry/syscalls/syscall_32.tbl). */
enum {
    SYS_exit = 1, SYS_fork = 2, SYS_read = 3, SYS_write = 4, SYS_open = 5,
    SYS_close = 6, SYS_waitpid = 7, SYS_execve = 11, SYS_time = 13, SYS_lseek = 19,
    SYS_getpid = 20, SYS_getuid = 24, SYS_kill = 37, SYS_dup = 41, SYS_brk = 45,
    SYS_getgid = 47, SYS_geteuid = 49, SYS_getegid = 50, SYS_ioctl = 54,
    SYS_dup2 = 63, SYS_getppid = 64, SYS_gettimeofday = 78, SYS_reboot = 88,
    SYS_mmap = 90, SYS_munmap = 91, SYS_wait4 = 114, SYS_sysinfo = 116,
    SYS_uname = 122, SYS_mprotect = 125, SYS_llseek = 140, SYS_readv = 145,
    SYS_writev = 146, SYS_sched_yield = 158, SYS_nanosleep = 162, SYS_mmap2 = 192,
    SYS_getuid32 = 199, SYS_getgid32 = 200, SYS_geteuid32 = 201, SYS_getegid32 = 202,
    SYS_gettid = 224, SYS_exit_group = 252, SYS_clock_gettime = 265,
    SYS_clock_gettime64 = 403,
};
#endif

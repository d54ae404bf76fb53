/* rt.h: the whole "libc" of bench and init, a freestanding i386 Linux runtime.
 *
 * Programs built with it use nothing but the Linux i386 `int 0x80` ABI, so
 * the same static binary runs on Linux and on memguard. The calls, their
 * numbers and flags come from abi/c/memguard.h (Linux's own headers plus the
 * int 0x80 helpers sys0..sys6 and is_err); this file adds the output,
 * arithmetic and string helpers and _start.
 *
 * Include it from exactly one .c file per program: it defines _start.
 */
#ifndef RT_H
#define RT_H

#include "../abi/c/memguard.h"
#include <linux/sched.h>     /* CLONE_* */
#include <linux/futex.h>     /* FUTEX_* */

typedef __u32 u32;
typedef __u64 u64;
typedef __s32 i32;

#define RT_STR_(x) #x
#define RT_STR(x) RT_STR_(x)

static inline u64 rdtsc(void)
{
    u32 lo, hi;
    /* lfence keeps earlier instructions from drifting past the read on
     * out-of-order CPUs; under QEMU's TCG it is a no-op. */
    __asm__ volatile("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) :: "memory");
    return ((u64)hi << 32) | lo;
}

static inline __attribute__((noreturn)) void sys_exit_group(int code)
{
    for (;;)
        sys1(__NR_exit_group, code);
}

/* ---- output, without a buffer: one write per call keeps lines whole
 * even when parent and child share the console. ---- */

static inline u32 str_len(const char *s)
{
    u32 n = 0;
    while (s[n])
        n++;
    return n;
}

static inline void put_fd(int fd, const char *s) { sys3(__NR_write, fd, (long)s, str_len(s)); }

/* n / d for a 64-bit n. A plain C `/` on u64 would call libgcc's __udivdi3,
 * which -nostdlib leaves out; two divl instructions do it instead (the
 * second cannot overflow because its high half, the remainder, is < d). */
static inline u64 udiv64(u64 n, u32 d, u32 *rem)
{
    u32 hi = (u32)(n >> 32), lo = (u32)n, qhi, qlo, r;
    __asm__("divl %4" : "=a"(qhi), "=d"(r) : "a"(hi), "d"(0), "rm"(d));
    __asm__("divl %4" : "=a"(qlo), "=d"(r) : "a"(lo), "d"(r), "rm"(d));
    if (rem)
        *rem = r;
    return ((u64)qhi << 32) | qlo;
}

/* Writes v in decimal into buf (at least 21 bytes); returns the start. */
static inline char *u64_str(u64 v, char *buf)
{
    char *p = buf + 20;
    u32 digit;
    *p = 0;
    do {
        v = udiv64(v, 10, &digit);
        *--p = (char)('0' + digit);
    } while (v);
    return p;
}

/* Appends s to the line being built in buf at *len (bounded by cap). */
static inline void cat(char *buf, u32 *len, u32 cap, const char *s)
{
    while (*s && *len + 1 < cap)
        buf[(*len)++] = *s++;
    buf[*len] = 0;
}

static inline int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Parses a decimal number; returns -1 unless the whole string is digits. */
static inline long parse_num(const char *s)
{
    long v = 0;
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* ---- threads, futexes and signals, raw ---- */

/* clone_call(flags, stack_top, parent_tid, tls, child_tid, fn, arg): the raw
 * clone (ebx flags, ecx stack, edx parent_tid, esi tls, edi child_tid); the
 * child calls fn(arg) on the new stack (16-byte aligned) and exits (1) with
 * its result, as glibc's clone.S does. Returns the child's tid or -errno. */
long clone_call(long flags, void *stack_top, volatile void *ptid, void *tls, volatile void *ctid,
                long (*fn)(long), long arg);
__asm__(".text\n.globl clone_call\nclone_call:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov 24(%esp), %ecx\n  and $-16, %ecx\n  sub $16, %ecx\n"
        "  mov 40(%esp), %eax\n  mov %eax, 4(%ecx)\n"   /* fn */
        "  mov 44(%esp), %eax\n  mov %eax, (%ecx)\n"    /* arg */
        "  mov 20(%esp), %ebx\n  mov 28(%esp), %edx\n  mov 32(%esp), %esi\n  mov 36(%esp), %edi\n"
        "  mov $" RT_STR(__NR_clone) ", %eax\n  int $0x80\n"
        "  test %eax, %eax\n  jz 1f\n"
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n"
        "1:\n  xor %ebp, %ebp\n  call *4(%esp)\n"
        "  mov %eax, %ebx\n  mov $" RT_STR(__NR_exit) ", %eax\n  int $0x80\n  hlt\n");

/* glibc's pthread_create flags without CLONE_SETTLS (bench uses no TLS):
 * the tid word is set before the thread runs and cleared, with a futex
 * wake, when it exits, which is how pthread_join waits. */
#define THREAD_FLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
                      CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)

static inline long futex_wait(volatile u32 *a, u32 val)
{
    return sys4(__NR_futex, (long)a, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, (long)val, 0);
}

static inline long futex_wake(volatile u32 *a, u32 n)
{
    return sys3(__NR_futex, (long)a, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, (long)n);
}

/* Waits until a CLONE_CHILD_CLEARTID word is 0 (its thread has exited).
 * The kernel clears it and wakes without the private flag. */
static inline void join_tid(volatile u32 *tid)
{
    u32 v;
    while ((v = *tid) != 0)
        sys4(__NR_futex, (long)tid, FUTEX_WAIT, (long)v, 0);
}

/* rt_sigaction's i386 struct (the kernel's, not libc's) and the restorer an
 * SA_SIGINFO handler returns through. */
struct ksigaction { u32 handler, flags, restorer, mask[2]; };
extern char rt_restorer[];
__asm__(".text\n.globl rt_restorer\nrt_restorer:\n  mov $" RT_STR(__NR_rt_sigreturn) ", %eax\n  int $0x80\n  hlt\n");

/* Installs an SA_SIGINFO handler h(sig, siginfo, ucontext) for sig. */
static inline long set_handler(int sig, void (*h)(int, void *, void *))
{
    struct ksigaction a = { (u32)h, SA_SIGINFO | SA_RESTORER, (u32)rt_restorer, { 0, 0 } };
    return sys4(__NR_rt_sigaction, sig, (long)&a, 0, 8);
}

/* Linux enters _start with esp -> argc, argv[0..argc-1], NULL, envp..., NULL.
 * The stack is 16-byte aligned there; the call keeps the SysV convention. */
int main(int argc, char **argv, char **envp);
__asm__(".text\n.globl _start\n_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov (%esp), %eax\n"           /* argc */
        "  lea 4(%esp), %ecx\n"          /* argv */
        "  lea 8(%esp,%eax,4), %edx\n"   /* envp: past argv's NULL */
        "  and $-16, %esp\n"
        "  sub $4, %esp\n"
        "  push %edx\n  push %ecx\n  push %eax\n"
        "  call main\n"
        "  mov %eax, %ebx\n"
        "  mov $" RT_STR(__NR_exit_group) ", %eax\n" /* exit_group(main's result) */
        "  int $0x80\n"
        "  hlt\n");

#endif

/* crt.h: the C runtime of the tests/progs programs (no libc): printing to
 * fd 1 and the few calls every one of them makes. Each program defines its
 * own `void _start(void)` and ends with sys_exit. The system calls
 * themselves (numbers from Linux's headers, the int 0x80 helpers) come from
 * abi/c/memguard.h, shared by every C program. */
#ifndef MEMGUARD_PROGS_CRT_H
#define MEMGUARD_PROGS_CRT_H

#include "../../abi/c/memguard.h"

typedef __u32 u32;

static inline int sys_write(int fd, const void *buf, int len) { return sys3(__NR_write, fd, (long)buf, len); }
static inline void sys_exit(int code) { sys1(__NR_exit, code); for (;;) {} }
static inline int sys_fork(void) { return sys0(__NR_fork); }
static inline int sys_waitpid(int pid, int *status, int opt) { return sys3(__NR_waitpid, pid, (long)status, opt); }
static inline int sys_execve(const char *p, char *const *argv, char *const *envp) {
    return sys3(__NR_execve, (long)p, (long)argv, (long)envp);
}

static int slen(const char *s) { int n = 0; while (s[n]) n++; return n; }
static void puts_(const char *s) { sys_write(1, s, slen(s)); }
static void putnum(int v) {
    char b[12]; int i = 11; int neg = v < 0; unsigned u = neg ? -v : v;
    b[i] = 0;
    do { b[--i] = '0' + u % 10; u /= 10; } while (u);
    if (neg) b[--i] = '-';
    puts_(b + i);
}
#endif

/* Minimal Linux i386 system calls for the C test programs (no libc). */
#ifndef SYS_H
#define SYS_H

typedef unsigned int u32;

static inline int sys3(int n, int a, int b, int c) {
    int r;
    __asm__ volatile("int $0x80" : "=a"(r) : "a"(n), "b"(a), "c"(b), "d"(c) : "memory");
    return r;
}

static inline int sys_write(int fd, const void *buf, int len) { return sys3(4, fd, (int)buf, len); }
static inline void sys_exit(int code) { sys3(1, code, 0, 0); for (;;) {} }
static inline int sys_fork(void) { return sys3(2, 0, 0, 0); }
static inline int sys_waitpid(int pid, int *status, int opt) { return sys3(7, pid, (int)status, opt); }
static inline int sys_execve(const char *p, char *const *argv, char *const *envp) {
    return sys3(11, (int)p, (int)argv, (int)envp);
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

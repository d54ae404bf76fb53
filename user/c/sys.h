/* sys.h: the few Linux i386 system calls the C test programs need, made
 * with `int 0x80` (number in eax, arguments in ebx, ecx, edx; result in eax,
 * -errno on failure). No libc: programs are built -nostdlib -ffreestanding.
 *
 * A program defines `int main(void)`; SYS_START below provides `_start`,
 * which calls it and exits with its result. */
#ifndef MEMGUARD_SYS_H
#define MEMGUARD_SYS_H

#define SYS_exit 1
#define SYS_write 4
#define SYS_getpid 20

static inline long sys_call1(long nr, long a1)
{
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a1) : "memory");
    return ret;
}

static inline long sys_call3(long nr, long a1, long a2, long a3)
{
    long ret;
    __asm__ volatile("int $0x80" : "=a"(ret) : "a"(nr), "b"(a1), "c"(a2), "d"(a3) : "memory");
    return ret;
}

static inline __attribute__((noreturn)) void sys_exit(int code)
{
    for (;;)
        sys_call1(SYS_exit, code);
}

static inline long sys_write(int fd, const void *buf, unsigned long len)
{
    return sys_call3(SYS_write, fd, (long)buf, (long)len);
}

static inline unsigned long str_len(const char *s)
{
    unsigned long n = 0;
    while (s[n])
        n++;
    return n;
}

/* Writes a NUL-terminated string to fd 1. */
static inline long put_str(const char *s)
{
    return sys_write(1, s, str_len(s));
}

int main(void);

/* The entry point: the kernel jumps here with esp at argc (never returns,
 * so the missing return address does not matter); realign the stack for
 * the compiler's sake. */
#define SYS_START                                                              \
    __attribute__((noreturn, force_align_arg_pointer, used)) void _start(void) \
    {                                                                          \
        sys_exit(main());                                                      \
    }

#endif

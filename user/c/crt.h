/* crt.h: the C runtime of the user/c programs: _start, exit, and writing a
 * string to fd 1. No libc: programs are built -nostdlib -ffreestanding.
 * The system calls themselves (numbers from Linux's headers, the int 0x80
 * helpers) come from abi/c/memguard.h, shared by every C program.
 *
 * A program defines `int main(void)`; SYS_START below provides `_start`,
 * which calls it and exits with its result. */
#ifndef MEMGUARD_USER_CRT_H
#define MEMGUARD_USER_CRT_H

#include "../../abi/c/memguard.h"

static inline __attribute__((noreturn)) void sys_exit(int code)
{
    for (;;)
        sys1(__NR_exit, code);
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
    return sys3(__NR_write, 1, (long)s, (long)str_len(s));
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

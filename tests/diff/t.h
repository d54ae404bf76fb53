/* t.h: freestanding i386 Linux runtime for the differential tests.
 * One include per program (defines _start, memset, memcpy). The calls,
 * their numbers and flags come from abi/c/memguard.h: Linux's own headers
 * plus the int 0x80 helpers sys0..sys6 and is_err.
 * Every check prints one line "name: value" with a single write(2), so that
 * lines from parent and child never interleave. Values are raw syscall
 * results (-errno for errors) or normalised facts ("yes", "ok", ...). */
#ifndef T_H
#define T_H
#include "../../abi/c/memguard.h"

typedef __u32 u32;
typedef __u64 u64;
typedef __s32 i32;
typedef __s64 i64;

#define T_STR_(x) #x
#define T_STR(x) T_STR_(x)

void *memset(void *d, int c, unsigned n) { char *p = d; while (n--) *p++ = (char)c; return d; }
void *memcpy(void *d, const void *s, unsigned n) { char *p = d; const char *q = s; while (n--) *p++ = *q++; return d; }

static inline u32 slen(const char *s) { u32 n = 0; while (s[n]) n++; return n; }
static inline int seq(const char *a, const char *b) { while (*a && *a == *b) a++, b++; return *a == *b; }
static inline int sprefix(const char *s, const char *p) { while (*p) if (*s++ != *p++) return 0; return 1; }

/* ---- line building ---- */
typedef struct { char b[512]; u32 n; } line_t;
static void l_s(line_t *l, const char *s) { while (*s && l->n < sizeof l->b - 2) l->b[l->n++] = *s++; }
static void l_u(line_t *l, u32 v) { char t[12]; int i = 0; do { t[i++] = '0' + v % 10; v /= 10; } while (v); while (i) { char c[2] = { t[--i], 0 }; l_s(l, c); } }
static void l_d(line_t *l, long v) { if (v < 0) { l_s(l, "-"); l_u(l, (u32)(-(v + 1)) + 1); } else l_u(l, (u32)v); }
static void l_x(line_t *l, u32 v) { const char *h = "0123456789abcdef"; char t[11] = "0x"; int i; for (i = 0; i < 8; i++) t[2 + i] = h[(v >> (28 - 4 * i)) & 15]; t[10] = 0; char *p = t + 2; while (*p == '0' && p[1]) p++; l_s(l, "0x"); l_s(l, p); }
static void l_end(line_t *l) { l->b[l->n++] = '\n'; sys3(__NR_write, 1, (long)l->b, l->n); l->n = 0; }

static void puts1(const char *s) { sys3(__NR_write, 1, (long)s, slen(s)); }
static void out(const char *name, long v) { line_t l = {.n = 0}; l_s(&l, name); l_s(&l, ": "); l_d(&l, v); l_end(&l); }
static void outx(const char *name, u32 v) { line_t l = {.n = 0}; l_s(&l, name); l_s(&l, ": "); l_x(&l, v); l_end(&l); }
static void outs(const char *name, const char *v) { line_t l = {.n = 0}; l_s(&l, name); l_s(&l, ": "); l_s(&l, v); l_end(&l); }
static void outb(const char *name, int yes) { outs(name, yes ? "yes" : "no"); }
/* An error as -errno, anything else as "ok": for results that differ
 * legitimately (addresses, pids, fds in unusual cases). */
static void oute(const char *name, long v) { if (is_err(v)) out(name, v); else outs(name, "ok"); }

static __attribute__((noreturn)) void _exit(int c) { for (;;) sys1(__NR_exit, c); }

static void sleep_ms(u32 ms) { i32 ts[2] = { (i32)(ms / 1000), (i32)(ms % 1000) * 1000000 }; sys2(__NR_nanosleep, (long)ts, 0); }

/* fork; the child runs fn(arg) and exits with its result. Returns the raw
 * wait status (or -errno from fork/waitpid as a negative number). */
static long run_child(int (*fn)(long), long arg)
{
    long pid = sys0(__NR_fork);
    if (pid == 0)
        _exit(fn(arg));
    if (is_err(pid))
        return pid;
    i32 st = 0x5a5a5a5a;
    long r = sys3(__NR_waitpid, pid, (long)&st, 0);
    if (is_err(r))
        return r;
    return st;
}

static void *map_anon(u32 len, int prot)
{
    long r = sys6(__NR_mmap2, 0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return is_err(r) ? 0 : (void *)r;
}

/* A page shared with children and grandchildren. */
static volatile u32 *shared_page(void)
{
    long r = sys6(__NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return is_err(r) ? 0 : (volatile u32 *)r;
}

/* The state at the first user instruction (filled in by _start). */
u32 start_regs[8];   /* eax ebx ecx edx esi edi ebp esp */
u32 start_eflags;
u32 start_seg[6];    /* cs ds es fs gs ss */

int main(int argc, char **argv, char **envp);
__asm__(".text\n.globl _start\n_start:\n"
        "  mov %eax, start_regs\n  mov %ebx, start_regs+4\n  mov %ecx, start_regs+8\n"
        "  mov %edx, start_regs+12\n  mov %esi, start_regs+16\n  mov %edi, start_regs+20\n"
        "  mov %ebp, start_regs+24\n  mov %esp, start_regs+28\n"
        "  pushf\n  popl start_eflags\n"
        "  movl $0, start_seg\n  mov %cs, start_seg\n  movl $0, start_seg+4\n  mov %ds, start_seg+4\n"
        "  movl $0, start_seg+8\n  mov %es, start_seg+8\n  movl $0, start_seg+12\n  mov %fs, start_seg+12\n"
        "  movl $0, start_seg+16\n  mov %gs, start_seg+16\n  movl $0, start_seg+20\n  mov %ss, start_seg+20\n"
        "  xor %ebp, %ebp\n"
        "  mov (%esp), %eax\n"
        "  lea 4(%esp), %ecx\n"
        "  lea 8(%esp,%eax,4), %edx\n"
        "  and $-16, %esp\n"
        "  sub $4, %esp\n"
        "  push %edx\n  push %ecx\n  push %eax\n"
        "  call main\n"
        "  mov %eax, %ebx\n"
        "  mov $" T_STR(__NR_exit_group) ", %eax\n"
        "  int $0x80\n"
        "  hlt\n");
#endif

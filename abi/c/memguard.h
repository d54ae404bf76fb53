/* memguard.h: the one system-call header of memguard's freestanding C
 * programs (user/c, tests/progs, tests/diff, bench), built with
 * gcc -m32 -ffreestanding -nostdlib.
 *
 * Every Linux number comes from Linux's own uapi headers (Debian's
 * linux-libc-dev, which gcc-multilib pulls in; -m32 selects the i386
 * tables): __NR_* system-call numbers, E* error numbers, SIG* signals, and
 * the flags and structures of the calls (O_*, MAP_*, PROT_*, WNOHANG,
 * TCGETS, struct termios, struct stat64, ...). The Rust side takes the
 * same definitions from linux-raw-sys (abi/src). This file adds only what
 * Linux does not have:
 *   - sys0..sys6: the raw `int 0x80` call (eax = number, ebx ecx edx esi
 *     edi ebp = arguments 1..6, result in eax), and is_err() for its result;
 *   - memguard's own calls, 1000 and up, and their records, which
 *     abi/src/nr.rs and abi/src/mg.rs define for Rust (a host test of the
 *     abi crate reads this file and checks that both agree).
 *
 * Include it from exactly one .c file per program: sys6 is defined here. */
#ifndef MEMGUARD_H
#define MEMGUARD_H

#ifndef __i386__
#error "memguard.h describes the Linux i386 ABI: build with gcc -m32"
#endif

#include <linux/types.h>     /* __u32 ... */
#include <asm/unistd.h>      /* __NR_* (the i386 table under -m32) */
#include <asm/errno.h>       /* E* */
#include <asm/signal.h>      /* SIG*, SIG_BLOCK, SA_*, struct sigaction */
#include <linux/mman.h>      /* PROT_*, MAP_*, MADV_*, MREMAP_* */
#include <linux/fcntl.h>     /* O_*, F_*, FD_CLOEXEC, AT_FDCWD */
#include <asm/ioctls.h>      /* TCGETS, TIOCGWINSZ, FIONREAD ... */
#include <asm/termbits.h>    /* struct termios, OPOST ... */
#include <asm/stat.h>        /* struct stat64 */
#include <linux/stat.h>      /* S_IF*, struct statx */
#include <linux/fs.h>        /* SEEK_* */
#include <linux/wait.h>      /* WNOHANG, WUNTRACED, WCONTINUED, __WALL ... */
#include <linux/time.h>      /* CLOCK_*, struct timespec (32-bit time_t) */
#include <linux/resource.h>  /* RLIMIT_*, struct rlimit, struct rusage */
#include <linux/sysinfo.h>   /* struct sysinfo */
#include <linux/utsname.h>   /* struct new_utsname */
#include <linux/reboot.h>    /* LINUX_REBOOT_* */
#include <linux/auxvec.h>    /* AT_* of the auxiliary vector */

/* ---- the raw call ---- */

/* Calls with up to 5 arguments are inlined so that a measured call
 * (getpid, sched_yield) costs only the trap, not a call into a helper.
 * ebx is free to clobber because the programs are built without PIC. */
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
 * (it may be the frame pointer), so this one lives in plain assembly: it
 * saves the callee-saved registers the ABI makes it load. */
long sys6(long nr, long a, long b, long c, long d, long e, long f);
__asm__(".text\n.globl sys6\nsys6:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov 20(%esp), %eax\n  mov 24(%esp), %ebx\n  mov 28(%esp), %ecx\n"
        "  mov 32(%esp), %edx\n  mov 36(%esp), %esi\n  mov 40(%esp), %edi\n"
        "  mov 44(%esp), %ebp\n"
        "  int $0x80\n"
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n");

static inline long sys5(long nr, long a, long b, long c, long d, long e)
{
    return sys6(nr, a, b, c, d, e, 0);
}

/* A result in [-4095, -1] is -errno (MAX_ERRNO is 4095); everything else,
 * a high mmap address included, is a value. */
static inline int is_err(long r) { return (unsigned long)r >= -4095UL; }

/* ---- memguard's own calls (Linux answers them with -ENOSYS) ---- */

/* mg_stats(pid, struct mg_stats *buf, size): fault and memory counters of
 * process pid (0 = the caller) or of the whole system (-1); copies at most
 * size bytes, returns the bytes copied. */
#define MG_NR_STATS 1000
/* mg_view(enum mg_view view, arg0, arg1, char *buf, len): a text report,
 * truncated to len; returns the bytes written. */
#define MG_NR_VIEW 1001
/* mg_translate(pid, vaddr, struct mg_translation *out): one address walked
 * through process pid's page tables. */
#define MG_NR_TRANSLATE 1002
/* mg_limits(op, arg0, arg1): only with `bench` on the kernel command line
 * (ENOSYS otherwise, as on Linux): the bare mechanisms' cost.
 *   MG_LIMITS_MEASURE, struct mg_limits *buf, size: copies at most size bytes
 *   MG_LIMITS_ARM, addr, len: takes the entries of these present, private,
 *     anonymous, writable pages out of the page table; each page's next
 *     ring-3 fault puts its entry back and returns at once (EBUSY if armed)
 *   MG_LIMITS_DISARM: puts back the rest; returns how many faults did
 * Vector 0x81 is then a DPL-3 gate whose handler is one iret. */
#define MG_NR_LIMITS 1003
#define MG_LIMITS_MEASURE 0
#define MG_LIMITS_ARM 1
#define MG_LIMITS_DISARM 2

/* What mg_stats copies out. New fields only ever go at the end. */
struct mg_stats {
    __u32 page_faults;      /* page faults taken from ring 3 */
    __u32 demand_zero;      /* answered with a freshly zeroed frame */
    __u32 zero_page_maps;   /* reads answered with the shared zero frame */
    __u32 cow_copies;       /* copy-on-write faults that copied the frame */
    __u32 cow_reuses;       /* copy-on-write faults that reused it */
    __u32 stack_growths;    /* faults that grew the stack */
    __u32 file_maps;        /* file pages mapped from a module's frames */
    __u32 kills;            /* tasks killed by a fault */
    __u32 resident_pages;   /* present user pages */
    __u32 page_tables;      /* page-table frames, page directory included */
    __u32 total_frames;     /* system-wide only: frames managed */
    __u32 free_frames;      /* system-wide only: free frames */
    __u32 processes;        /* system-wide only: live processes */
    __u32 zombies;          /* system-wide only: exited, not yet reaped */
    __u32 heap_frames;      /* system-wide only: frames the kernel heap holds */
    __u32 heap_used;        /* system-wide only: kernel heap bytes in use */
    __u32 major_faults;     /* faults that read the page from swap (ru_majflt) */
    __u32 swap_ins;         /* pages brought back from swap */
    __u32 swap_outs;        /* pages written to swap */
    __u32 pages_scanned;    /* resident pages the clock looked at */
    __u32 second_chances;   /* pages the clock found used and kept */
    __u32 swapped_pages;    /* pages on swap now (system-wide: slots in use) */
    __u32 swap_total;       /* system-wide only: swap slots in all */
    __u32 swap_free;        /* system-wide only: free swap slots */
};

/* What mg_translate fills in. */
struct mg_translation {
    __u32 pde;              /* the page-directory entry */
    __u32 pte;              /* the page-table entry, 0 without a page table */
    __u32 phys;             /* frame | page offset, when present is 1 */
    __u32 present;          /* 1 when the address is mapped */
};

/* What mg_limits(MG_LIMITS_MEASURE) fills in: TSC cycles per operation. */
struct mg_limits {
    __u32 rep_stosd_4k;     /* rep stosd zeroing a 4 KiB kernel page */
    __u32 rep_movsd_4k;     /* rep movsd copying a 4 KiB kernel page */
    __u32 cr3_reload;       /* mov cr3, cr3 (a full non-global TLB flush) */
    __u32 window_max_pages; /* the most pages MG_LIMITS_ARM takes */
};

/* The reports of mg_view. */
enum mg_view {
    MG_VIEW_GDT = 0,
    MG_VIEW_IDT = 1,
    MG_VIEW_TSS = 2,
    MG_VIEW_PS = 3,         /* the process list */
    MG_VIEW_VMMAP = 4,      /* arg0's regions */
    MG_VIEW_PTE = 5,        /* the PDE and PTE of address arg1 in process arg0 */
    MG_VIEW_FREE = 6,       /* free and used memory */
    MG_VIEW_PFSTAT = 7,     /* page-fault counters, system-wide */
    MG_VIEW_FILES = 8,      /* the files (boot modules), one path per line */
    MG_VIEW_HEAP = 9,       /* live kernel heap allocations after number arg0, by caller (boot with heaptrace) */
};

_Static_assert(sizeof(struct mg_stats) == 24 * 4, "struct mg_stats is 24 words");
_Static_assert(sizeof(struct mg_translation) == 16, "struct mg_translation is 4 words");
_Static_assert(sizeof(struct mg_limits) == 16, "struct mg_limits is 4 words");

#endif

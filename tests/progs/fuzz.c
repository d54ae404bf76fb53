/* Random system calls with hostile arguments, from children that are
 * killed if they block: the kernel must answer every one (an error is fine),
 * never panic, and give back everything the children held.
 *
 *   fuzz                         the fixed regression run of `make test`
 *                                (60 children x 300 calls, seeds 1000c + 7)
 *   fuzz SEED CALLS [PER_CHILD [NR]]
 *                                `make fuzz`: CALLS calls in children of
 *                                PER_CHILD calls (default 300), child c
 *                                seeded 7919c + SEED; with NR, only that
 *                                system call (to chase what a seed found)
 *
 * A child that runs out its time is sent SIGKILL; if it is still there 2 s
 * later, the run fails and names the call it is in (each child writes its
 * call and arguments to a page it shares with this process first).
 *
 * Runs as process 1. Afterwards it kills and reaps everything and checks,
 * through mg_stats: no process but itself is left (no zombie), the free
 * frames are back within 16 of the count before the first child, and the
 * kernel heap has exactly as many bytes in use as then (and no more pages
 * than one per size class above it). Prints the figures and exits 0 only
 * if all hold. */
#include "crt.h"

static unsigned seed;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 1; }

static char scratch[8192];

/* The kernel heap's slab size classes (src/mm/slab.rs). */
#define HEAP_CLASSES 7

static unsigned arg(void) {
    switch (rnd() % 10) {
    case 0: return 0;
    case 1: return (unsigned)-1;
    case 2: return rnd() % 64;
    case 3: return (unsigned)scratch + rnd() % sizeof scratch;
    case 4: return 0xC0000000u + rnd() % 0x1000;
    case 5: return 0xBFFFF000u + rnd() % 0x2000;
    case 6: return rnd() % 0x10000;
    case 7: return 0x08048000u + rnd() % 0x10000;
    case 8: return 1u << (rnd() % 32);
    default: return rnd() * 2654435761u;
    }
}

/* Calls that would end the run or the child on purpose, or replace it. */
static int skipped(int n) {
    return n == __NR_exit || n == __NR_execve || n == __NR_reboot || n == __NR_exit_group ||
           n == __NR_execveat || n == __NR_sigreturn || n == __NR_rt_sigreturn;
}

/* The calls the kernel implements (src/syscall/mod.rs), so that half of the
 * calls reach real code instead of ENOSYS; the other half are any number. */
static const int implemented[] = {
    __NR_access, __NR_brk, __NR_chdir, __NR_clock_getres, __NR_clock_getres_time64, __NR_clock_gettime,
    __NR_clock_gettime64, __NR_clock_nanosleep, __NR_clock_nanosleep_time64, __NR_clone, __NR_close, __NR_dup,
    __NR_dup2, __NR_faccessat, __NR_fcntl, __NR_fcntl64, __NR_fork, __NR_fstat64, __NR_getcwd, __NR_getegid,
    __NR_getegid32, __NR_geteuid, __NR_geteuid32, __NR_getgid, __NR_getgid32, __NR_getpgid, __NR_getpgrp,
    __NR_getpid, __NR_getppid, __NR_getrandom, __NR_getrusage, __NR_getsid, __NR_gettid, __NR_gettimeofday,
    __NR_getuid, __NR_getuid32, __NR_ioctl, __NR_kill, __NR__llseek, __NR_lseek, __NR_lstat64, __NR_mmap,
    __NR_mmap2, __NR_mprotect, __NR_munmap, __NR_nanosleep, __NR_open, __NR_pipe, __NR_pipe2, __NR_read,
    __NR_readv, __NR_restart_syscall, __NR_sched_yield, __NR_set_tid_address, __NR_stat64, __NR_sysinfo,
    __NR_time, __NR_times, __NR_umask, __NR_uname, __NR_vfork, __NR_wait4, __NR_waitpid, __NR_write,
    __NR_writev, __NR_set_thread_area, __NR_get_thread_area, __NR_prctl, __NR_sched_getaffinity, __NR_madvise,
    __NR_getrlimit, __NR_ugetrlimit, __NR_setrlimit, __NR_prlimit64, __NR_alarm, __NR_signal, __NR_sigaction,
    __NR_sigprocmask, __NR_sigpending, __NR_sigsuspend, __NR_rt_sigaction, __NR_rt_sigprocmask, __NR_rt_sigpending,
    __NR_rt_sigtimedwait, __NR_rt_sigtimedwait_time64, __NR_rt_sigqueueinfo, __NR_rt_sigsuspend, __NR_sigaltstack,
    __NR_tkill, __NR_tgkill, __NR_pause, __NR_setitimer, __NR_getitimer, __NR_futex, __NR_futex_time64,
    __NR_set_robust_list, __NR_get_robust_list, __NR_mremap,
    __NR_poll, __NR_ppoll, __NR_select, __NR__newselect, __NR_pselect6, __NR_sendfile, __NR_sendfile64,
    __NR_setpgid, __NR_setsid, __NR_msync, __NR_sync, __NR_syncfs, __NR_getgroups32, __NR_fallocate, __NR_mincore, __NR_waitid,
    __NR_getpriority, __NR_setpriority, __NR_nice, __NR_personality,
    MG_NR_STATS, MG_NR_VIEW, MG_NR_TRANSLATE,
};

/* With ONLY set (the fourth argument), every call is that one. */
static int only;

static int pick(void) {
    if (only) return only;
    if (rnd() % 2) return implemented[rnd() % (sizeof implemented / sizeof implemented[0])];
    return rnd() % 440;
}

static unsigned parse(const char *s) {
    unsigned v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (unsigned)(*s++ - '0');
    return v;
}

static struct mg_stats system_stats(void) {
    struct mg_stats st = {0};
    sys3(MG_NR_STATS, -1, (long)&st, sizeof st);
    return st;
}

/* Kills every other process and reaps what can be reaped, until only this
 * one is left (or a second passes: what is left then is reported). */
static void reap_all(void) {
    static const int tick[2] = {0, 10000000};
    int status;
    for (int t = 0; t < 100; t++) {
        sys2(__NR_kill, -1, SIGKILL);
        while (sys_waitpid(-1, &status, WNOHANG | __WALL) > 0) {}
        if (system_stats().processes <= 1) return;
        sys2(__NR_nanosleep, (long)tick, 0);
    }
}

static void line(const char *label, int a, const char *mid, int b) {
    puts_("fuzz: "); puts_(label); putnum(a); puts_(mid); putnum(b); puts_("\n");
}

/* The file system's names: every path below "/", NUL-separated, deepest
 * last. The children create files and directories (random paths, often
 * relative to wherever a random chdir took them); what they made is
 * removed before the heap is compared, since a file system legitimately
 * keeps what is written to it. */
static char before_paths[65536], after_paths[65536];

static unsigned slen_(const char *s) { unsigned n = 0; while (s[n]) n++; return n; }

static unsigned list_tree(const char *dir, char *out, unsigned at, unsigned cap) {
    char dents[2048];
    int fd = (int)sys3(__NR_open, (long)dir, 0x10000 /* O_DIRECTORY */, 0);
    if (fd < 0) return at;
    for (;;) {
        long n = sys3(__NR_getdents64, fd, (long)dents, sizeof dents);
        if (n <= 0) break;
        for (long off = 0; off + 19 < n;) {
            unsigned short reclen = *(unsigned short *)(dents + off + 16);
            unsigned char type = (unsigned char)dents[off + 18];
            const char *name = dents + off + 19;
            if (reclen == 0) break;
            off += reclen;
            if ((name[0] == '.' && !name[1]) || (name[0] == '.' && name[1] == '.' && !name[2])) continue;
            unsigned dl = slen_(dir), nl = slen_(name);
            if (at + dl + nl + 2 >= cap) continue;
            unsigned start = at;
            for (unsigned i = 0; i < dl; i++) out[at++] = dir[i];
            if (dl > 1) out[at++] = '/';
            for (unsigned i = 0; i < nl; i++) out[at++] = name[i];
            out[at++] = 0;
            if (type == 4 /* DT_DIR */) at = list_tree(out + start, out, at, cap);
        }
    }
    sys1(__NR_close, fd);
    return at;
}

static int listed(const char *list, unsigned len, const char *path) {
    for (unsigned i = 0; i < len; i += slen_(list + i) + 1) {
        const char *a = list + i, *b = path;
        while (*a && *a == *b) a++, b++;
        if (*a == *b) return 1;
    }
    return 0;
}

/* Removes what is in the tree now and was not at the start, deepest first
 * (a directory is listed before its contents, so walk backwards). */
static void remove_new_files(unsigned before_len) {
    unsigned n = list_tree("/", after_paths, 0, sizeof after_paths);
    unsigned starts[4096], count = 0;
    for (unsigned i = 0; i < n && count < 4096; i += slen_(after_paths + i) + 1) starts[count++] = i;
    unsigned removed = 0, failed = 0;
    while (count--) {
        const char *p = after_paths + starts[count];
        if (listed(before_paths, before_len, p)) continue;
        if (sys1(__NR_unlink, (long)p) < 0 && sys1(__NR_rmdir, (long)p) < 0) failed++;
        else removed++;
    }
    line("files the children made, removed ", (int)removed, ", not removable ", (int)failed);
}

/* What each child is about to call, in a page it shares with this
 * process: when a child does not die, the report names the call. */
struct last_call {
    unsigned nr, index, args[6];
};
static struct last_call *last;
static int unkillable;

/* With `heaptrace` on the kernel command line: the heap view's allocation
 * count now, or 0 when tracing is off. */
static char heap_text[32768];
static unsigned heap_seq(void) {
    long n = sys6(MG_NR_VIEW, MG_VIEW_HEAP, -1, 0, (long)heap_text, sizeof heap_text - 1, 0);
    const char *p = "heap trace: ";
    if (n < 13) return 0;
    for (int i = 0; p[i]; i++) if (heap_text[i] != p[i]) return 0;
    return parse(heap_text + 12);
}

static void report_call(const struct last_call *l) {
    puts_("fuzz:   its call "); putnum((int)l->index); puts_(" is "); putnum((int)l->nr); puts_("(");
    for (int i = 0; i < 6; i++) {
        static const char hex[] = "0123456789abcdef";
        char b[11] = {'0', 'x'};
        for (int k = 0; k < 8; k++) b[2 + k] = hex[(l->args[i] >> (28 - 4 * k)) & 15];
        b[10] = 0;
        puts_(b); puts_(i < 5 ? ", " : ")\n");
    }
}

__attribute__((used)) static void fuzz_main(unsigned *sp) {
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    int long_run = argc >= 3;
    unsigned base = long_run ? parse(argv[1]) : 0;
    unsigned total = long_run ? parse(argv[2]) : 60 * 300;
    unsigned per_child = argc >= 4 ? parse(argv[3]) : 300;
    if (per_child == 0) per_child = 300;
    only = argc >= 5 ? (int)parse(argv[4]) : 0;
    unsigned children = (total + per_child - 1) / per_child;

    /* The baseline is taken once the kernel's tables have been used once
     * (a pipe, a child, a timer): an emptied table keeps its first node,
     * which is not a leak. */
    int fds[2], status;
    static const int ms[2] = {0, 1000000};
    sys1(__NR_pipe, (long)fds);
    int warm = sys_fork();
    if (warm == 0) { sys2(__NR_nanosleep, (long)ms, 0); sys_exit(0); }
    sys_waitpid(warm, &status, 0);
    sys1(__NR_close, fds[0]);
    sys1(__NR_close, fds[1]);
    /* The children's working directory: what they make goes there. */
    sys2(__NR_mkdir, (long)"/tmp/fz", 0755);
    unsigned before_len = list_tree("/", before_paths, 0, sizeof before_paths);
    last = (struct last_call *)sys6(__NR_mmap2, 0, 4096, 3 /* PROT_READ|PROT_WRITE */,
                                    0x21 /* MAP_SHARED|MAP_ANONYMOUS */, -1, 0);
    if ((unsigned)last > 0xfffff000u) last = 0;
    if (last) last->nr = 0; /* its page exists before the baseline */
    unsigned heap_mark = heap_seq();
    struct mg_stats before = system_stats();
    unsigned done = 0;
    for (unsigned c = 0; c < children; c++) {
        seed = long_run ? 7919u * c + base : 1000u * c + 7;
        unsigned calls = total - done < per_child ? total - done : per_child;
        done += calls;
        int pid = sys_fork();
        if (pid == 0) {
            sys1(__NR_chdir, (long)"/tmp/fz");
            for (unsigned i = 0; i < calls; i++) {
                int n = pick();
                if (skipped(n)) continue;
                unsigned a0 = arg(), a1 = arg(), a2 = arg(), a3 = arg(), a4 = arg(), a5 = arg();
                if (last) {
                    last->nr = (unsigned)n, last->index = i;
                    last->args[0] = a0, last->args[1] = a1, last->args[2] = a2;
                    last->args[3] = a3, last->args[4] = a4, last->args[5] = a5;
                }
                sys6(n, a0, a1, a2, a3, a4, a5);
                if (sys0(__NR_getpid) <= 1) sys_exit(3); /* a fork child of ours? stop */
            }
            sys_exit(0);
        }
        if (pid < 0) continue;
        /* Up to 300 ms, then SIGKILL: the child may be blocked for good. */
        int waited = 0;
        static const int tick[2] = {0, 10000000};
        for (int t = 0; t < 30 && !waited; t++) {
            if (sys_waitpid(pid, &status, WNOHANG) == pid) waited = 1;
            else sys2(__NR_nanosleep, (long)tick, 0);
        }
        if (!waited) {
            sys2(__NR_kill, pid, SIGKILL);
            /* SIGKILL must end it, whatever it is blocked in: up to 2 s. */
            for (int t = 0; t < 200 && !waited; t++) {
                if (sys_waitpid(pid, &status, WNOHANG) == pid) waited = 1;
                else sys2(__NR_nanosleep, (long)tick, 0);
            }
            if (!waited) {
                unkillable++;
                line("FAILED: SIGKILL does not end child ", (int)c, ", pid ", pid);
                if (last) report_call(last);
            }
        }
        /* Reap whatever the child forked. */
        sys2(__NR_kill, -1, SIGKILL);
        while (sys_waitpid(-1, &status, WNOHANG | __WALL) > 0) {}
        if (long_run && (c + 1) % 100 == 0) line("children ", (int)(c + 1), ", free frames ", (int)system_stats().free_frames);
    }
    reap_all();
    remove_new_files(before_len);
    struct mg_stats after = system_stats();
    int ok = 1;
    line("calls ", (int)done, ", children ", (int)children);
    line("processes left besides init ", (int)after.processes - 1, ", zombies ", (int)after.zombies);
    line("free frames before ", (int)before.free_frames, ", after ", (int)after.free_frames);
    line("heap frames before ", (int)before.heap_frames, ", after ", (int)after.heap_frames);
    line("heap bytes in use before ", (int)before.heap_used, ", after ", (int)after.heap_used);
    if (unkillable) { puts_("fuzz: FAILED: a child survived SIGKILL\n"); ok = 0; }
    if (after.processes != 1) { puts_("fuzz: FAILED: processes are left\n"); ok = 0; }
    if (after.free_frames + 16 < before.free_frames) { puts_("fuzz: FAILED: frames were not given back\n"); ok = 0; }
    /* Bytes in use must be back exactly; pages may differ by the slabs
     * that a surviving object keeps half-empty, at most one per size class. */
    if (after.heap_used > before.heap_used) {
        puts_("fuzz: FAILED: the kernel heap holds more\n");
        ok = 0;
        if (heap_mark) {
            long n = sys6(MG_NR_VIEW, MG_VIEW_HEAP, (long)heap_mark, 0, (long)heap_text, sizeof heap_text - 1, 0);
            if (n > 0) sys_write(1, heap_text, (int)n);
        }
    }
    if (after.heap_frames > before.heap_frames + HEAP_CLASSES) { puts_("fuzz: FAILED: the kernel heap grew\n"); ok = 0; }
    if (ok) puts_("fuzz: the kernel answered every call and gave everything back\n");
    sys_exit(ok ? 0 : 1);
}

/* The entry: hand the initial stack (argc, argv...) to fuzz_main. */
__asm__(".globl _start\n_start:\n\tmovl %esp, %eax\n\tandl $-16, %esp\n\tpushl %eax\n\tpushl %eax\n\tpushl %eax\n\tpushl %eax\n\tcall fuzz_main\n");

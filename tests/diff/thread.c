/* thread.c: clone threads and futexes. glibc's pthread_create flags (shared
 * memory, ids, parent/child tid words, the join through child_tid, TLS
 * through CLONE_SETTLS and %gs), clone's flag checks, processes that share
 * memory, files or fs state, CLONE_VFORK, CLONE_PARENT, CLONE_CHILD_SETTID;
 * how a thread group lives and dies (exit, exit_group, a fault, kill,
 * tgkill); futex WAIT/WAKE/REQUEUE/CMP_REQUEUE/WAKE_OP/BITSET and their
 * checks, futex_time64, futexes shared between processes; robust lists and
 * set_tid_address.
 * Only the main thread prints: threads and child processes leave their
 * results in memory (or an exit status) and the main thread prints them
 * after it has joined them, so the order of the lines is fixed. Every wait
 * is bounded, so a kernel that gets a wake-up wrong still finishes. */
#include "t.h"
#include <linux/sched.h>   /* CLONE_* */
#include <linux/futex.h>   /* FUTEX_*, struct robust_list_head */

/* clone_call(flags, stack, parent_tid, tls, child_tid, fn, arg): the raw
 * clone (ebx flags, ecx stack, edx parent_tid, esi tls, edi child_tid); the
 * child calls fn(arg) on the new stack (16-byte aligned) and exits (1) with
 * its result, as glibc's clone.S does. The stack must be given. */
long clone_call(long flags, void *stack, volatile void *ptid, void *tls, volatile void *ctid,
                int (*fn)(long), long arg);
__asm__(".text\n.globl clone_call\nclone_call:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov 24(%esp), %ecx\n  and $-16, %ecx\n  sub $16, %ecx\n"
        "  mov 40(%esp), %eax\n  mov %eax, 4(%ecx)\n"   /* fn */
        "  mov 44(%esp), %eax\n  mov %eax, (%ecx)\n"    /* arg */
        "  mov 20(%esp), %ebx\n  mov 28(%esp), %edx\n  mov 32(%esp), %esi\n  mov 36(%esp), %edi\n"
        "  mov $" T_STR(__NR_clone) ", %eax\n  int $0x80\n"
        "  test %eax, %eax\n  jz 1f\n"
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n"
        "1:\n  xor %ebp, %ebp\n  call *4(%esp)\n"
        "  mov %eax, %ebx\n  mov $" T_STR(__NR_exit) ", %eax\n  int $0x80\n  hlt\n");

/* glibc's pthread_create, without CLONE_SETTLS */
#define TFLAGS (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | CLONE_SYSVSEM | \
                CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID)
#define INT_MAX 0x7fffffff

static long futex(volatile u32 *a, int op, u32 val, const void *ts, volatile u32 *a2, u32 val3)
{
    return sys6(__NR_futex, (long)a, op, (long)val, (long)ts, (long)a2, (long)val3);
}
static long gettid(void) { return sys0(__NR_gettid); }
static long getpid(void) { return sys0(__NR_getpid); }

/* One thread (or cloned process): its stack, its tid words, what it does
 * (a futex call for fwaiter) and what it found. */
struct thr {
    u32 stack[4096];
    volatile u32 ctid, *addr, *addr2;
    int op, use_ts;
    u32 val, val3;
    i32 ts[2];
    volatile i32 state;          /* 1: about to wait, 2: returned */
    volatile long res, r[12];
    long tid;
} __attribute__((aligned(16)));
static struct thr T[8];

/* parent_tid and child_tid are both t->ctid, as in glibc */
static long spawn_tls(struct thr *t, long flags, void *tls, int (*fn)(long))
{
    t->state = 0; t->res = 0x5a5a; t->ctid = 0;
    for (int i = 0; i < 12; i++) t->r[i] = 0;
    t->tid = clone_call(flags, t->stack + 4096, &t->ctid, tls, &t->ctid, fn, (long)t);
    if (is_err(t->tid)) { t->ctid = 0; t->res = t->tid; t->state = 2; }   /* nothing to wait for */
    return t->tid;
}
static long spawn_flags(struct thr *t, long flags, int (*fn)(long)) { return spawn_tls(t, flags, 0, fn); }
static long spawn(struct thr *t, int (*fn)(long)) { return spawn_tls(t, TFLAGS, 0, fn); }

/* Join through child_tid (cleared and woken at exit), at most 5 s. */
static void join(struct thr *t)
{
    i32 ts[2] = { 0, 50000000 };
    for (int i = 0; i < 100 && t->ctid; i++) futex(&t->ctid, FUTEX_WAIT, t->ctid, ts, 0, 0);
}

static int fwaiter(long a)
{
    struct thr *t = (struct thr *)a;
    t->state = 1; t->res = futex(t->addr, t->op, t->val, t->use_ts ? t->ts : 0, t->addr2, t->val3); t->state = 2;
    return 0;
}

static void mono_now(i32 *ts) { sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)ts); }
static void ts_add_ms(i32 *ts, u32 ms)
{
    ts[1] += (i32)(ms % 1000) * 1000000; ts[0] += (i32)(ms / 1000);
    if (ts[1] >= 1000000000) { ts[1] -= 1000000000; ts[0]++; }
}

/* A thread waiting in futex(addr, op, val, ..., bitset): 3 s at most
 * (relative, or absolute on CLOCK_MONOTONIC for FUTEX_WAIT_BITSET). */
static void waiter_ms(struct thr *t, volatile u32 *addr, int op, u32 val, u32 bitset, u32 ms)
{
    t->addr = addr; t->op = op; t->val = val; t->addr2 = 0; t->val3 = bitset; t->use_ts = ms != 0;
    if ((op & FUTEX_CMD_MASK) == FUTEX_WAIT_BITSET) { mono_now(t->ts); ts_add_ms(t->ts, ms); }
    else { t->ts[0] = (i32)(ms / 1000); t->ts[1] = (i32)(ms % 1000) * 1000000; }
    spawn(t, fwaiter);
}
static void waiter(struct thr *t, volatile u32 *addr, int op, u32 val, u32 bitset) { waiter_ms(t, addr, op, val, bitset, 3000); }

/* Until threads t[0..n) are about to wait, then long enough to be asleep. */
static void asleep(struct thr *t, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = 0; k < 1000 && t[i].state == 0; k++) sleep_ms(2);
    sleep_ms(60);
}
/* How many of t[0..n) have returned, once `expect` have (1 s at most) and a
 * little more time has passed. */
static int count_ret(struct thr *t, int n) { int c = 0; for (int i = 0; i < n; i++) c += t[i].state == 2; return c; }
static int returned(struct thr *t, int n, int expect)
{
    for (int k = 0; k < 500 && count_ret(t, n) < expect; k++) sleep_ms(2);
    sleep_ms(30);
    return count_ret(t, n);
}
static void join_all(struct thr *t, int n) { for (int i = 0; i < n; i++) join(&t[i]); }
static void finish(struct thr *t, int n) { returned(t, n, n); join_all(t, n); }
/* The results of t[0..n) in one line, "r0 r1 ...", once all have returned. */
static void out_res(const char *name, struct thr *t, int n)
{
    returned(t, n, n);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ":");
    for (int i = 0; i < n; i++) { l_s(&l, " "); l_d(&l, t[i].res); }
    l_end(&l);
}

/* A wait status, or 0 (WNOHANG, nothing yet), or -errno. */
static void outw(const char *name, long pid, int options)
{
    i32 st = 0x5a5a5a5a;
    long r = sys3(__NR_waitpid, pid, (long)&st, options);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if (is_err(r) || r == 0) l_d(&l, r);
    else { l_s(&l, r == pid || pid <= 0 ? "status=" : "OTHER status="); l_x(&l, (u32)st); }
    l_end(&l);
}

static int ret0(long a) { (void)a; return 0; }
static void flagcheck_tls(const char *name, long flags, void *tls);

/* ---- TLS ---- */
struct udesc { u32 entry, base, limit, flags; };
#define DATA32 (1u | 16u | 64u)
static u32 parent_tls[4] = { 0x7e11aaaa }, thread_tls[4] = { 0x7e11bbbb };
static u32 read_gs0(void) { u32 v; __asm__ volatile("movl %%gs:0, %0" : "=r"(v)); return v; }
static u32 gs_now(void) { u32 v = 0; __asm__ volatile("movl %%gs, %0" : "=r"(v)); return v & 0xffff; }
static void load_gs(u32 sel) { __asm__ volatile("movl %0, %%gs" : : "r"(sel)); }

static volatile u32 mem_a, mem_b, gate;
static long main_pid, main_ppid;
static u32 tls_sel;

static int t_basic(long a)
{
    struct thr *t = (struct thr *)a;
    t->r[0] = gettid(); t->r[1] = getpid(); t->r[2] = sys0(__NR_getppid); t->r[3] = gs_now(); t->r[4] = read_gs0();
    struct udesc g = { tls_sel >> 3, 0, 0, 0 };
    t->r[5] = sys1(__NR_get_thread_area, (long)&g);
    t->r[6] = g.base == (u32)thread_tls;
    t->r[7] = mem_a;                 /* written by the parent before clone */
    mem_b = 0xb0b0;                  /* read by the parent */
    for (int i = 0; i < 1000 && gate != 1; i++) sleep_ms(2);
    t->r[8] = gate;                  /* written by the parent after clone */
    sleep_ms(100);                   /* the parent is in FUTEX_WAIT on child_tid */
    return 0;
}

static int t_gs(long a) { struct thr *t = (struct thr *)a; t->r[0] = gs_now(); load_gs(tls_sel); t->r[1] = read_gs0(); return 0; }

static void test_pthread(void)
{
    struct udesc d = { (u32)-1, (u32)parent_tls, 0xfffff, DATA32 };
    sys1(__NR_set_thread_area, (long)&d);
    tls_sel = d.entry << 3 | 3;
    load_gs(tls_sel);
    mem_a = 0xa0a0; mem_b = 0; gate = 0;
    struct thr *t = &T[0];
    struct udesc td = { d.entry, (u32)thread_tls, 0xfffff, DATA32 };
    volatile u32 ptid = 0, ctid = 0x55555555;
    long tid = clone_call(TFLAGS | CLONE_SETTLS, t->stack + 4096, &ptid, &td, &ctid, t_basic, (long)t);
    oute("clone(pthread_create's flags)", tid);
    if (is_err(tid)) return;
    outb(".. returned tid != getpid", tid != main_pid);
    outb(".. parent_tid == returned tid", ptid == (u32)tid);
    outb(".. child_tid before the exit is untouched", ctid == 0x55555555);
    gate = 1;
    i32 ts[2] = { 3, 0 };
    out(".. FUTEX_WAIT(child_tid) until the thread exits", futex(&ctid, FUTEX_WAIT, 0x55555555, ts, 0, 0));
    outx(".. child_tid after", ctid);
    outb(".. thread: gettid == returned tid", t->r[0] == tid);
    outb(".. thread: gettid != getpid", t->r[0] != t->r[1]);
    outb(".. thread: getpid == parent's getpid", t->r[1] == main_pid);
    outb(".. thread: getppid == parent's getppid", t->r[2] == main_ppid);
    outb(".. thread: %gs == parent's TLS selector", (u32)t->r[3] == tls_sel);
    outb(".. thread: %gs:0 reads its own TLS block", (u32)t->r[4] == 0x7e11bbbb);
    out(".. thread: get_thread_area(that entry)", t->r[5]);
    outb(".. .. base is its own block", t->r[6]);
    outb(".. thread sees the parent's write before clone", (u32)t->r[7] == 0xa0a0);
    outb(".. thread sees the parent's write after clone", (u32)t->r[8] == 1);
    outb(".. parent sees the thread's write", mem_b == 0xb0b0);
    outb(".. parent's %gs:0 still reads its own block", read_gs0() == 0x7e11aaaa);
    out(".. waitpid(thread tid, __WALL|WNOHANG)", sys3(__NR_waitpid, tid, 0, __WALL | WNOHANG));
    out(".. waitpid(-1, __WALL|WNOHANG)", sys3(__NR_waitpid, -1, 0, __WALL | WNOHANG));

    /* CLONE_SETTLS does not allocate: entry_number -1 is refused */
    struct udesc any = { (u32)-1, (u32)thread_tls, 0xfffff, DATA32 };
    flagcheck_tls("clone(CLONE_SETTLS, entry -1)", TFLAGS | CLONE_SETTLS, &any);
    outx(".. entry_number left as", any.entry);
    /* %gs is inherited, not loaded: a parent with %gs 0 gives a thread %gs 0 */
    load_gs(0);
    long r = spawn_tls(t, TFLAGS | CLONE_SETTLS, &td, t_gs);
    load_gs(tls_sel);
    oute("clone(CLONE_SETTLS) from a parent with %gs 0", r);
    join(t);
    outx(".. thread's %gs", (u32)t->r[0]);
    outb(".. after loading the selector it reads its own block", (u32)t->r[1] == 0x7e11bbbb);
    struct udesc bad16 = { tls_sel >> 3, (u32)thread_tls, 0xfffff, 16u | 64u };
    flagcheck_tls("clone(CLONE_SETTLS, 16-bit descriptor)", TFLAGS | CLONE_SETTLS, &bad16);
    flagcheck_tls("clone(CLONE_SETTLS, bad pointer)", TFLAGS | CLONE_SETTLS, (void *)0x1000);
}

/* ---- clone's flag checks ---- */

static void flagcheck_tls(const char *name, long flags, void *tls)
{
    struct thr *t = &T[1];
    long r = spawn_tls(t, flags, tls, ret0);
    oute(name, r);
    if (!is_err(r)) {        /* a thread or a child: let it go */
        sys3(__NR_waitpid, r, 0, __WALL);
        join(t);
        sleep_ms(20);
    }
}
static void flagcheck(const char *name, long flags) { flagcheck_tls(name, flags, 0); }

static void test_flags(void)
{
    flagcheck("clone(CLONE_THREAD)", CLONE_THREAD);
    flagcheck("clone(CLONE_THREAD|CLONE_VM)", CLONE_THREAD | CLONE_VM);
    flagcheck("clone(CLONE_SIGHAND)", CLONE_SIGHAND | SIGCHLD);
    flagcheck("clone(CLONE_THREAD|CLONE_SIGHAND) without CLONE_VM", CLONE_THREAD | CLONE_SIGHAND);
    flagcheck("clone(CLONE_FS|CLONE_NEWNS)", CLONE_FS | CLONE_NEWNS | SIGCHLD);
    flagcheck("clone(CLONE_FS|CLONE_NEWUSER)", CLONE_FS | CLONE_NEWUSER | SIGCHLD);
    flagcheck("clone(thread flags|CLONE_NEWPID)", TFLAGS | CLONE_NEWPID);
    flagcheck("clone(thread flags|CLONE_NEWUSER)", TFLAGS | CLONE_NEWUSER);
    flagcheck("clone(CLONE_PIDFD|thread flags)", (TFLAGS & ~CLONE_PARENT_SETTID) | CLONE_PIDFD);
    flagcheck("clone(CLONE_PIDFD|CLONE_PARENT_SETTID)", CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD);
    flagcheck("clone(CLONE_PIDFD|CLONE_DETACHED)", CLONE_PIDFD | CLONE_DETACHED | SIGCHLD);
    flagcheck("clone(CLONE_VM|CLONE_SIGHAND|SIGCHLD)", CLONE_VM | CLONE_SIGHAND | SIGCHLD);
    flagcheck("clone(CLONE_VM|CLONE_SIGHAND|CLONE_THREAD) minimal thread", CLONE_VM | CLONE_SIGHAND | CLONE_THREAD);
    flagcheck("clone(CLONE_DETACHED|SIGCHLD)", CLONE_DETACHED | SIGCHLD);
}

/* ---- processes that share memory, files, fs ---- */
static volatile long shared_fd;
static int p_ids(long a)
{
    struct thr *t = (struct thr *)a;
    t->r[0] = gettid(); t->r[1] = getpid(); t->r[2] = sys0(__NR_getppid); t->r[3] = t->ctid; mem_b = 0xc0c0;
    return 3;
}
static int p_open(long a) { (void)a; shared_fd = sys3(__NR_open, (long)"/dev/null", O_RDONLY, 0); return 0; }
static int p_close(long a) { return (int)-sys1(__NR_close, a); }
static int p_fs(long a) { (void)a; sys1(__NR_umask, 077); return (int)-sys1(__NR_chdir, (long)"/dev"); }
static volatile u32 vfork_counter;
static int p_vfork(long a) { (void)a; sleep_ms(100); vfork_counter = 1; return 0; }

static void outcwd(const char *name)
{
    char buf[64]; long r = sys2(__NR_getcwd, (long)buf, sizeof buf);
    if (is_err(r)) out(name, r); else outs(name, buf);
}

static void test_share(void)
{
    struct thr *t = &T[0];
    mem_b = 0;
    long pid = spawn_flags(t, CLONE_VM | CLONE_CHILD_SETTID | SIGCHLD, p_ids);
    oute("clone(CLONE_VM|CLONE_CHILD_SETTID|SIGCHLD)", pid);
    outw(".. waitpid", pid, 0);
    outb(".. child: gettid == getpid", t->r[0] == t->r[1]);
    outb(".. child: getpid == returned pid", t->r[1] == pid);
    outb(".. child: getppid == our pid", t->r[2] == main_pid);
    outb(".. child saw its tid in child_tid at once", t->r[3] == pid);
    outb(".. we see the child's write", mem_b == 0xc0c0);
    outb(".. child_tid still holds the tid (no CLEARTID)", t->ctid == (u32)pid);

    pid = spawn_flags(t, CLONE_VM | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID, p_ids);
    oute("clone(CLONE_VM|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID), exit signal 0", pid);
    join(t);
    out(".. waitpid(pid, 0)", sys3(__NR_waitpid, pid, 0, 0));
    outw(".. waitpid(pid, __WCLONE)", pid, (int)__WCLONE);
    outx(".. child_tid cleared at exit (memory shared)", t->ctid);

    /* a process without CLONE_VM: CLONE_PARENT_SETTID writes the parent's
     * memory only; CLONE_CHILD_SETTID the child's only */
    volatile u32 *sh = shared_page();
    static volatile u32 ptid_word, ctid_word;
    ptid_word = 0; ctid_word = 0x77;
    pid = sys0(__NR_fork);
    if (pid == 0) {
        long c = clone_call(SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, T[1].stack + 4096,
                            &ptid_word, 0, &ctid_word, ret0, 0);
        if (c == 0) _exit(0);
        sh[0] = ptid_word == (u32)c; sh[1] = ctid_word == 0x77;
        sys3(__NR_waitpid, c, 0, 0);
        _exit(0);
    }
    sys3(__NR_waitpid, pid, 0, 0);
    /* the child's view, from a child of our own */
    ptid_word = 0; ctid_word = 0x77;
    pid = sys5(__NR_clone, SIGCHLD | CLONE_PARENT_SETTID | CLONE_CHILD_SETTID, 0,
               (long)&ptid_word, 0, (long)&ctid_word);
    if (pid == 0) { sh[2] = ptid_word == 0; sh[3] = ctid_word == (u32)getpid(); _exit(0); }
    sys3(__NR_waitpid, pid, 0, 0);
    outb("fork-like clone: parent_tid set in the parent", sh[0]);
    outb(".. child_tid untouched in the parent", sh[1]);
    outb(".. parent_tid still 0 in the child", sh[2]);
    outb(".. child_tid == its pid in the child", sh[3]);

    /* CLONE_FILES */
    shared_fd = -1;
    pid = spawn_flags(t, CLONE_VM | CLONE_FILES | SIGCHLD, p_open);
    sys3(__NR_waitpid, pid, 0, 0);
    out("CLONE_FILES: the child's open fd works in the parent (F_GETFD)", sys2(__NR_fcntl, shared_fd, F_GETFD));
    sys1(__NR_close, shared_fd);
    shared_fd = -1;
    pid = spawn_flags(t, CLONE_VM | SIGCHLD, p_open);
    sys3(__NR_waitpid, pid, 0, 0);
    out("no CLONE_FILES: the child's fd in the parent (F_GETFD)", sys2(__NR_fcntl, shared_fd, F_GETFD));
    long fd = sys3(__NR_open, (long)"/dev/null", O_RDONLY, 0);
    pid = clone_call(CLONE_VM | CLONE_FILES | SIGCHLD, t->stack + 4096, 0, 0, 0, p_close, fd);
    outw("CLONE_FILES: child closes our fd", pid, 0);
    out(".. F_GETFD in the parent", sys2(__NR_fcntl, fd, F_GETFD));
    fd = sys3(__NR_open, (long)"/dev/null", O_RDONLY, 0);
    pid = clone_call(CLONE_VM | SIGCHLD, t->stack + 4096, 0, 0, 0, p_close, fd);
    outw("no CLONE_FILES: child closes its copy", pid, 0);
    out(".. F_GETFD in the parent", sys2(__NR_fcntl, fd, F_GETFD));
    sys1(__NR_close, fd);

    /* CLONE_FS: umask and cwd */
    sys1(__NR_umask, 022);
    pid = spawn_flags(t, CLONE_VM | CLONE_FS | SIGCHLD, p_fs);
    outw("CLONE_FS: child sets umask 077, chdir /dev", pid, 0);
    outx(".. our umask", (u32)sys1(__NR_umask, 022));
    outcwd(".. our cwd");
    sys1(__NR_chdir, (long)"/");
    pid = spawn_flags(t, CLONE_VM | SIGCHLD, p_fs);
    outw("no CLONE_FS: child sets umask 077, chdir /dev", pid, 0);
    outx(".. our umask", (u32)sys1(__NR_umask, 022));
    outcwd(".. our cwd");

    /* CLONE_VFORK: the parent sleeps until the child exits */
    vfork_counter = 0;
    pid = spawn_flags(t, CLONE_VM | CLONE_VFORK | SIGCHLD, p_vfork);
    outb("CLONE_VM|CLONE_VFORK: the child ran to its end before clone returned", vfork_counter == 1);
    outw(".. waitpid", pid, 0);
    sh[0] = 0;
    pid = sys5(__NR_clone, CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
    if (pid == 0) { sleep_ms(100); sh[0] = 1; _exit(0); }
    outb("CLONE_VFORK without CLONE_VM: same", sh[0] == 1);
    outw(".. waitpid", pid, 0);

    /* CLONE_PARENT, from a child: the grandchild is ours */
    sh[0] = sh[1] = sh[2] = 0;
    pid = sys0(__NR_fork);
    if (pid == 0) {
        long g = sys5(__NR_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0);
        if (g == 0) {
            for (int i = 0; i < 500 && !sh[2]; i++) sleep_ms(2);
            sh[0] = sys0(__NR_getppid) == main_pid ? 1 : 2;
            _exit(4);
        }
        sh[1] = (u32)sys3(__NR_waitpid, g, 0, __WALL | WNOHANG);
        sh[2] = (u32)g;
        _exit(0);
    }
    outw("CLONE_PARENT from a child: the child", pid, 0);
    for (int i = 0; i < 500 && !sh[0]; i++) sleep_ms(2);
    outs(".. grandchild's getppid", sh[0] == 1 ? "our pid" : sh[0] == 2 ? "other" : "timeout");
    out(".. the caller's waitpid(grandchild)", (i32)sh[1]);
    outw(".. our waitpid(grandchild)", (i32)sh[2], 0);
}

/* ---- a thread group lives and dies ---- */
static volatile u32 *gsh;
static int t_late(long a) { (void)a; sleep_ms(200); gsh[0] = 1; return 5; }
static int t_early(long a) { (void)a; return 5; }
static int t_exit_group(long a) { (void)a; sleep_ms(50); for (;;) sys1(__NR_exit_group, 77); return 0; }
static int t_segv(long a) { (void)a; sleep_ms(50); *(volatile u32 *)0 = 1; return 9; }
static int t_sleep(long a) { (void)a; gsh[1] = (u32)gettid(); sleep_ms(3000); return 0; }

static long group_child(int (*fn)(long), int leader_exits)
{
    gsh[0] = gsh[1] = 0;
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        spawn(&T[0], fn);
        if (leader_exits == 2) sleep_ms(100);
        if (leader_exits) _exit(3);
        sleep_ms(3000);
        _exit(1);
    }
    return pid;
}

static volatile long forked_pid = 0x7ffffff0, forked_pid2 = 0x7ffffff0;
static int t_forks(long a)
{
    struct thr *t = (struct thr *)a;
    long p = sys0(__NR_fork);
    if (p == 0) _exit(4);
    forked_pid = p;
    p = sys0(__NR_fork);
    if (p == 0) { sleep_ms(100); _exit(5); }
    forked_pid2 = p;
    t->state = 1;
    for (int i = 0; i < 1500 && gate != 2; i++) sleep_ms(2);
    return 0;
}

static void test_group(void)
{
    gsh = shared_page();
    long pid = group_child(t_late, 1);
    sleep_ms(50);
    outw("leader exit(3), thread alive: waitpid(WNOHANG)", pid, WNOHANG);
    out(".. kill(pid, 0)", sys2(__NR_kill, pid, 0));
    outw(".. waitpid after the thread's exit(5)", pid, 0);
    outb(".. the thread ran on after the leader's exit", gsh[0] == 1);
    outw("thread exit(5), then leader exit(3)", group_child(t_early, 2), 0);
    outw("exit_group(77) in a non-leader thread", group_child(t_exit_group, 0), 0);
    outw("NULL write in a non-leader thread", group_child(t_segv, 0), 0);
    pid = group_child(t_sleep, 0);
    for (int i = 0; i < 500 && !gsh[1]; i++) sleep_ms(2);
    out("kill(pid, SIGTERM) of a two-thread process", sys2(__NR_kill, pid, SIGTERM));
    outw(".. waitpid", pid, 0);
    pid = group_child(t_sleep, 0);
    for (int i = 0; i < 500 && !gsh[1]; i++) sleep_ms(2);
    out("kill(non-leader tid, 0)", sys2(__NR_kill, (long)gsh[1], 0));
    out("waitpid(non-leader tid, WNOHANG)", sys3(__NR_waitpid, (long)gsh[1], 0, WNOHANG | __WALL));
    out("kill(non-leader tid, SIGTERM)", sys2(__NR_kill, (long)gsh[1], SIGTERM));
    outw(".. waitpid(pid)", pid, 0);
    pid = group_child(t_sleep, 0);
    for (int i = 0; i < 500 && !gsh[1]; i++) sleep_ms(2);
    out("tgkill(pid, non-leader tid, SIGKILL)", sys3(__NR_tgkill, pid, (long)gsh[1], SIGKILL));
    outw(".. waitpid(pid)", pid, 0);

    /* the main thread waits for children another thread forked */
    gate = 0;
    spawn(&T[0], t_forks);
    for (int i = 0; i < 1000 && T[0].state == 0; i++) sleep_ms(2);
    outw("waitpid(child of another thread)", forked_pid, 0);
    out("waitpid(child of another thread, __WNOTHREAD)", sys3(__NR_waitpid, forked_pid2, 0, __WNOTHREAD));
    outw(".. without __WNOTHREAD", forked_pid2, 0);
    gate = 2;
    join(&T[0]);
}

/* ---- signals to one thread ---- */
struct ksigaction { void (*handler)(int); u32 flags; void (*restorer)(void); u32 mask[2]; };
void sig_restorer(void);
__asm__(".text\nsig_restorer:\n  mov $" T_STR(__NR_rt_sigreturn) ", %eax\n  int $0x80\n  hlt\n");
static volatile long h_tid, h_count;
static void on_usr1(int s) { (void)s; h_tid = gettid(); h_count++; }
static void handle_usr1(u32 flags)
{
    /* SA_SIGINFO: an rt frame, which sig_restorer's rt_sigreturn fits */
    struct ksigaction sa = { on_usr1, flags | SA_SIGINFO | SA_RESTORER, sig_restorer, { 0, 0 } };
    sys4(__NR_rt_sigaction, SIGUSR1, (long)&sa, 0, 8);
}

static void test_signals(void)
{
    struct thr *t = &T[0];
    handle_usr1(0);
    h_count = 0; h_tid = 0; gate = 0;
    waiter_ms(t, &gate, FUTEX_WAIT, 0, 0, 0);     /* no timeout */
    asleep(t, 1);
    out("tgkill(getpid, thread, SIGUSR1)", sys3(__NR_tgkill, main_pid, t->tid, SIGUSR1));
    returned(t, 1, 1);
    out(".. its FUTEX_WAIT (no timeout, no SA_RESTART)", t->res);
    outb(".. the handler ran in that thread", h_tid == t->tid && h_count == 1);
    join(t);

    handle_usr1(SA_RESTART);
    waiter_ms(t, &gate, FUTEX_WAIT, 0, 0, 0);
    asleep(t, 1);
    out("tgkill with SA_RESTART", sys3(__NR_tgkill, main_pid, t->tid, SIGUSR1));
    sleep_ms(100);
    outb(".. handler ran, FUTEX_WAIT (no timeout) still waiting", h_count == 2 && t->state == 1);
    out(".. FUTEX_WAKE", futex(&gate, FUTEX_WAKE, 1, 0, 0, 0));
    returned(t, 1, 1);
    out(".. its FUTEX_WAIT", t->res);
    join(t);

    waiter(t, &gate, FUTEX_WAIT, 0, 0);
    asleep(t, 1);
    sys3(__NR_tgkill, main_pid, t->tid, SIGUSR1);
    returned(t, 1, 1);
    out("tgkill with SA_RESTART, FUTEX_WAIT with a 3 s timeout", t->res);
    join(t);

    waiter(t, &gate, FUTEX_WAIT, 0, 0);
    asleep(t, 1);
    out("tkill(thread, 0)", sys2(__NR_tkill, t->tid, 0));
    out("tgkill(getpid, thread, 0)", sys3(__NR_tgkill, main_pid, t->tid, 0));
    out("tgkill(thread, thread, 0) [tgid is not its group]", sys3(__NR_tgkill, t->tid, t->tid, 0));
    out("tgkill(0, thread, 0)", sys3(__NR_tgkill, 0, t->tid, 0));
    out("tgkill(getpid, 0, 0)", sys3(__NR_tgkill, main_pid, 0, 0));
    out("tgkill(getpid, -1, 0)", sys3(__NR_tgkill, main_pid, -1, 0));
    out("tgkill(getpid, thread, 65)", sys3(__NR_tgkill, main_pid, t->tid, 65));
    out("kill(thread tid, 0)", sys2(__NR_kill, t->tid, 0));
    futex(&gate, FUTEX_WAKE, INT_MAX, 0, 0, 0);
    join(t);
    sleep_ms(50);
    out("tgkill(getpid, exited thread, 0)", sys3(__NR_tgkill, main_pid, t->tid, 0));
    out("tkill(exited thread, 0)", sys2(__NR_tkill, t->tid, 0));
}

/* ---- futex: single-thread checks ---- */
static void test_futex_basic(void)
{
    static volatile u32 w = 5;
    i32 t50[2] = { 0, 50000000 }, t0[2] = { 0, 0 }, tbad[2] = { 0, 1000000000 }, tneg[2] = { -1, 0 };
    out("FUTEX_WAIT value mismatch", futex(&w, FUTEX_WAIT, 6, 0, 0, 0));
    out("FUTEX_WAIT_PRIVATE value mismatch", futex(&w, FUTEX_WAIT_PRIVATE, 6, 0, 0, 0));
    out("FUTEX_WAIT 50 ms", futex(&w, FUTEX_WAIT, 5, t50, 0, 0));
    out("FUTEX_WAIT_PRIVATE 50 ms", futex(&w, FUTEX_WAIT_PRIVATE, 5, t50, 0, 0));
    out("FUTEX_WAIT timeout 0", futex(&w, FUTEX_WAIT, 5, t0, 0, 0));
    out("FUTEX_WAIT tv_nsec 1e9", futex(&w, FUTEX_WAIT, 5, tbad, 0, 0));
    out("FUTEX_WAIT tv_sec -1", futex(&w, FUTEX_WAIT, 5, tneg, 0, 0));
    out("FUTEX_WAIT mismatch and tv_nsec 1e9", futex(&w, FUTEX_WAIT, 6, tbad, 0, 0));
    out("FUTEX_WAIT timeout pointer unmapped", futex(&w, FUTEX_WAIT, 5, (void *)0x1000, 0, 0));
    out("FUTEX_WAIT|FUTEX_CLOCK_REALTIME 50 ms", futex(&w, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 5, t50, 0, 0));
    out("FUTEX_WAKE no waiters", futex(&w, FUTEX_WAKE, 1, 0, 0, 0));
    out("FUTEX_WAKE_PRIVATE no waiters", futex(&w, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0));
    out("FUTEX_WAKE|FUTEX_CLOCK_REALTIME", futex(&w, FUTEX_WAKE | FUTEX_CLOCK_REALTIME, 1, 0, 0, 0));
    out("FUTEX_WAIT NULL", futex(0, FUTEX_WAIT, 0, t50, 0, 0));
    out("FUTEX_WAIT_PRIVATE NULL", futex(0, FUTEX_WAIT_PRIVATE, 0, t50, 0, 0));
    out("FUTEX_WAKE NULL", futex(0, FUTEX_WAKE, 1, 0, 0, 0));
    out("FUTEX_WAKE_PRIVATE NULL", futex(0, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0));
    out("FUTEX_WAKE 0x1000 (unmapped)", futex((u32 *)0x1000, FUTEX_WAKE, 1, 0, 0, 0));
    out("FUTEX_WAKE_PRIVATE 0xc0000000", futex((u32 *)0xc0000000, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0));
    out("FUTEX_WAIT unaligned", futex((u32 *)((char *)&w + 1), FUTEX_WAIT, 5, t50, 0, 0));
    out("FUTEX_WAKE unaligned", futex((u32 *)((char *)&w + 2), FUTEX_WAKE, 1, 0, 0, 0));
    out("FUTEX_WAKE_PRIVATE unaligned", futex((u32 *)((char *)&w + 1), FUTEX_WAKE_PRIVATE, 1, 0, 0, 0));
    out("futex op 2 (FUTEX_FD)", futex(&w, 2, 0, 0, 0, 0));
    out("futex op 14", futex(&w, 14, 0, 0, 0, 0));
    out("futex op 127|PRIVATE", futex(&w, 127 | FUTEX_PRIVATE_FLAG, 0, 0, 0, 0));
    out("futex op 0x201 (unknown flag bit)", futex(&w, 0x201, 1, 0, 0, 0));
    out("FUTEX_REQUEUE nr_wake -1", futex(&w, FUTEX_REQUEUE, (u32)-1, (void *)1, &mem_a, 0));
    out("FUTEX_CMP_REQUEUE nr_requeue -1", futex(&w, FUTEX_CMP_REQUEUE, 1, (void *)-1, &mem_a, 5));
    out("FUTEX_CMP_REQUEUE mismatch", futex(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, &mem_a, 6));
    out("FUTEX_CMP_REQUEUE no waiters", futex(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, &mem_a, 5));
    out("FUTEX_CMP_REQUEUE uaddr2 NULL", futex(&w, FUTEX_CMP_REQUEUE, 1, (void *)1, 0, 5));

    /* absolute timeouts */
    i32 abs[2];
    mono_now(abs); ts_add_ms(abs, 50);
    out("FUTEX_WAIT_BITSET abs CLOCK_MONOTONIC now+50 ms", futex(&w, FUTEX_WAIT_BITSET, 5, abs, 0, FUTEX_BITSET_MATCH_ANY));
    out("FUTEX_WAIT_BITSET abs 0 (the past)", futex(&w, FUTEX_WAIT_BITSET, 5, t0, 0, FUTEX_BITSET_MATCH_ANY));
    sys2(__NR_clock_gettime, CLOCK_REALTIME, (long)abs); ts_add_ms(abs, 50);
    out("FUTEX_WAIT_BITSET|CLOCK_REALTIME abs now+50 ms", futex(&w, FUTEX_WAIT_BITSET | FUTEX_CLOCK_REALTIME, 5, abs, 0, FUTEX_BITSET_MATCH_ANY));
    out("FUTEX_WAIT_BITSET mismatch", futex(&w, FUTEX_WAIT_BITSET_PRIVATE, 4, t0, 0, 1));
    out("FUTEX_WAIT_BITSET bitset 0", futex(&w, FUTEX_WAIT_BITSET, 5, t0, 0, 0));
    out("FUTEX_WAKE_BITSET bitset 0", futex(&w, FUTEX_WAKE_BITSET, 1, 0, 0, 0));
    out("FUTEX_WAKE_BITSET no waiters", futex(&w, FUTEX_WAKE_BITSET, 1, 0, 0, 1));

    /* futex_time64: struct __kernel_timespec, two 64-bit fields */
    i64 t64[2] = { 0, 50000000 };
    out("futex_time64 FUTEX_WAIT 50 ms", sys6(__NR_futex_time64, (long)&w, FUTEX_WAIT, 5, (long)t64, 0, 0));
    t64[1] = (i64)0x100000000LL | 50000000;
    out("futex_time64 FUTEX_WAIT tv_nsec with high bits", sys6(__NR_futex_time64, (long)&w, FUTEX_WAIT, 5, (long)t64, 0, 0));
    t64[0] = 0; t64[1] = 1000000000;
    out("futex_time64 FUTEX_WAIT tv_nsec 1e9", sys6(__NR_futex_time64, (long)&w, FUTEX_WAIT, 5, (long)t64, 0, 0));
    mono_now(abs); ts_add_ms(abs, 50);
    t64[0] = abs[0]; t64[1] = abs[1];
    out("futex_time64 FUTEX_WAIT_BITSET abs now+50 ms", sys6(__NR_futex_time64, (long)&w, FUTEX_WAIT_BITSET, 5, (long)t64, 0, -1));
    out("futex_time64 FUTEX_WAIT mismatch", sys6(__NR_futex_time64, (long)&w, FUTEX_WAIT, 6, 0, 0, 0));

    /* WAKE_OP without waiters: only the operation on uaddr2 */
    static volatile u32 w2;
    struct { const char *name; u32 start, op; } ops[] = {
        { "SET 5 (EQ 1)", 1, FUTEX_OP(FUTEX_OP_SET, 5, FUTEX_OP_CMP_EQ, 1) },
        { "ADD 0xfff (-1)", 5, FUTEX_OP(FUTEX_OP_ADD, 0xfff, FUTEX_OP_CMP_EQ, 0) },
        { "OR 0x0f", 0xf0, FUTEX_OP(FUTEX_OP_OR, 0x0f, FUTEX_OP_CMP_NE, 0) },
        { "ANDN 3", 0xff, FUTEX_OP(FUTEX_OP_ANDN, 3, FUTEX_OP_CMP_LT, 0) },
        { "XOR 0xff", 0xf0, FUTEX_OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_LE, 0) },
        { "SET|OPARG_SHIFT 4", 0, FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 4, FUTEX_OP_CMP_GT, 0) },
        { "ADD|OPARG_SHIFT 31", 1, FUTEX_OP((FUTEX_OP_ADD | FUTEX_OP_OPARG_SHIFT), 31, FUTEX_OP_CMP_GE, 0) },
        { "op 5 (unknown)", 9, FUTEX_OP(5, 1, FUTEX_OP_CMP_EQ, 0) },
        { "SET 3, cmp 6 (unknown)", 9, FUTEX_OP(FUTEX_OP_SET, 3, 6, 0) },
    };
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        w2 = ops[i].start;
        long r = futex(&w, FUTEX_WAKE_OP, 1, (void *)1, &w2, ops[i].op);
        line_t l = {.n = 0};
        l_s(&l, "FUTEX_WAKE_OP "); l_s(&l, ops[i].name); l_s(&l, ": "); l_d(&l, r);
        l_s(&l, " uaddr2 "); l_x(&l, ops[i].start); l_s(&l, " -> "); l_x(&l, w2);
        l_end(&l);
    }
    out("FUTEX_WAKE_OP uaddr2 NULL", futex(&w, FUTEX_WAKE_OP, 1, (void *)1, 0, FUTEX_OP(FUTEX_OP_SET, 1, 0, 0)));
    out("FUTEX_WAKE_OP_PRIVATE uaddr2 unaligned",
        futex(&w, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, (u32 *)((char *)&w2 + 1), FUTEX_OP(FUTEX_OP_SET, 1, 0, 0)));
}

/* ---- futex: with waiting threads ---- */
static volatile u32 fa, fb;

static void test_futex_wake(void)
{
    fa = 0;
    for (int i = 0; i < 4; i++) waiter(&T[i], &fa, FUTEX_WAIT, 0, 0);
    asleep(T, 4);
    out("4 waiters: FUTEX_WAKE 2", futex(&fa, FUTEX_WAKE, 2, 0, 0, 0));
    out(".. threads returned", returned(T, 4, 2));
    out(".. FUTEX_WAKE INT_MAX", futex(&fa, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    out(".. threads returned", returned(T, 4, 4));
    out_res(".. their results", T, 4);
    join_all(T, 4);

    for (int i = 0; i < 2; i++) waiter(&T[i], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    asleep(T, 2);
    out("2 waiters: FUTEX_WAKE_PRIVATE 0", futex(&fa, FUTEX_WAKE_PRIVATE, 0, 0, 0, 0));
    out(".. threads returned", returned(T, 2, 1));
    out(".. FUTEX_WAKE_PRIVATE -1", futex(&fa, FUTEX_WAKE_PRIVATE, (u32)-1, 0, 0, 0));
    out(".. threads returned", returned(T, 2, 2));
    join_all(T, 2);

    waiter(&T[0], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    waiter(&T[1], &fb, FUTEX_WAIT, 0, 0);
    asleep(T, 2);
    out("private waiter: FUTEX_WAKE (shared)", futex(&fa, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    out(".. FUTEX_WAKE_PRIVATE", futex(&fa, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0));
    out("shared waiter: FUTEX_WAKE_PRIVATE", futex(&fb, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0));
    out(".. FUTEX_WAKE", futex(&fb, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    out_res(".. their results", T, 2);
    join_all(T, 2);

    /* REQUEUE and CMP_REQUEUE */
    fa = 0; fb = 0;
    for (int i = 0; i < 3; i++) waiter(&T[i], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    asleep(T, 3);
    out("3 waiters: FUTEX_REQUEUE wake 1 requeue 1", futex(&fa, FUTEX_REQUEUE_PRIVATE, 1, (void *)1, &fb, 0));
    out(".. threads returned", returned(T, 3, 1));
    out(".. FUTEX_WAKE on uaddr", futex(&fa, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0));
    out(".. FUTEX_WAKE on uaddr2", futex(&fb, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0));
    out_res(".. their results", T, 3);
    join_all(T, 3);

    for (int i = 0; i < 3; i++) waiter(&T[i], &fa, FUTEX_WAIT, 0, 0);
    asleep(T, 3);
    out("3 waiters: FUTEX_CMP_REQUEUE mismatch", futex(&fa, FUTEX_CMP_REQUEUE, 1, (void *)INT_MAX, &fb, 1));
    out(".. FUTEX_CMP_REQUEUE wake 0 requeue INT_MAX", futex(&fa, FUTEX_CMP_REQUEUE, 0, (void *)INT_MAX, &fb, 0));
    out(".. threads returned", returned(T, 3, 0));
    out(".. FUTEX_WAKE on uaddr", futex(&fa, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    out(".. FUTEX_WAKE_PRIVATE on uaddr2", futex(&fb, FUTEX_WAKE_PRIVATE, INT_MAX, 0, 0, 0));
    out(".. FUTEX_WAKE on uaddr2", futex(&fb, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    out_res(".. their results", T, 3);
    join_all(T, 3);

    for (int i = 0; i < 2; i++) waiter(&T[i], &fa, FUTEX_WAIT, 0, 0);
    asleep(T, 2);
    out("2 waiters: FUTEX_CMP_REQUEUE to the same futex, wake 1", futex(&fa, FUTEX_CMP_REQUEUE, 1, (void *)INT_MAX, &fa, 0));
    out(".. FUTEX_WAKE", futex(&fa, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    finish(T, 2);

    /* WAKE_OP with a waiter on each word */
    fa = 0; fb = 0;
    waiter(&T[0], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    waiter(&T[1], &fb, FUTEX_WAIT_PRIVATE, 0, 0);
    asleep(T, 2);
    out("FUTEX_WAKE_OP SET 7 CMP_EQ 0, a waiter on each", futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &fb,
                                                           FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_EQ, 0)));
    outx(".. uaddr2", fb);
    out(".. threads returned", returned(T, 2, 2));
    join_all(T, 2);
    fb = 0;
    waiter(&T[0], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    waiter(&T[1], &fb, FUTEX_WAIT_PRIVATE, 0, 0);
    asleep(T, 2);
    out("FUTEX_WAKE_OP ADD 1 CMP_GT 0 (old 0)", futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &fb,
                                                     FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_GT, 0)));
    outx(".. uaddr2", fb);
    out(".. threads returned", returned(T, 2, 1));
    out(".. FUTEX_WAKE_PRIVATE uaddr2", futex(&fb, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0));
    out_res(".. their results (stale value: still woken)", T, 2);
    join_all(T, 2);
    waiter(&T[0], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    waiter(&T[1], &fa, FUTEX_WAIT_PRIVATE, 0, 0);
    asleep(T, 2);
    out("FUTEX_WAKE_OP nr_wake 1 nr_wake2 1, uaddr2 == uaddr, 2 waiters", futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1, &fa,
                                                     FUTEX_OP(FUTEX_OP_ADD, 0, FUTEX_OP_CMP_EQ, 0)));
    finish(T, 2);

    /* bitsets */
    fa = 0;
    waiter(&T[0], &fa, FUTEX_WAIT_BITSET, 0, 1);
    waiter(&T[1], &fa, FUTEX_WAIT_BITSET, 0, 4);
    waiter(&T[2], &fa, FUTEX_WAIT, 0, 0);
    asleep(T, 3);
    out("waiters with bitsets 1, 4, plain: FUTEX_WAKE_BITSET 2", futex(&fa, FUTEX_WAKE_BITSET, INT_MAX, 0, 0, 2));
    out(".. FUTEX_WAKE_BITSET 3", futex(&fa, FUTEX_WAKE_BITSET, INT_MAX, 0, 0, 3));
    out(".. threads returned", returned(T, 3, 2));
    out(".. FUTEX_WAKE_BITSET_PRIVATE 4", futex(&fa, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, 0, 0, 4));
    out(".. FUTEX_WAKE", futex(&fa, FUTEX_WAKE, INT_MAX, 0, 0, 0));
    out_res(".. their results", T, 3);
    join_all(T, 3);

    /* the join: clear_child_tid's wake-up is a shared one */
    waiter(&T[0], &fa, FUTEX_WAIT, 0, 0);
    asleep(T, 1);
    T[1].addr = &T[0].ctid; T[1].op = FUTEX_WAIT_PRIVATE; T[1].val = T[0].ctid;
    T[1].use_ts = 1; T[1].ts[0] = 0; T[1].ts[1] = 400000000;
    T[2].addr = &T[0].ctid; T[2].op = FUTEX_WAIT; T[2].val = T[0].ctid;
    T[2].use_ts = 1; T[2].ts[0] = 3; T[2].ts[1] = 0;
    spawn(&T[1], fwaiter); spawn(&T[2], fwaiter);
    asleep(T + 1, 2);
    futex(&fa, FUTEX_WAKE, 1, 0, 0, 0);
    out("thread exit with two joiners on child_tid: returned", returned(T + 1, 2, 2));
    outx(".. child_tid", T[0].ctid);
    out(".. FUTEX_WAIT_PRIVATE joiner (400 ms)", T[1].res);
    out(".. FUTEX_WAIT joiner", T[2].res);
    join_all(T, 3);
}

/* ---- futexes between processes (MAP_SHARED) ---- */
static void test_futex_shared(void)
{
    volatile u32 *sh = shared_page();
    sh[0] = 0;
    long pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(100); sh[0] = 1; _exit((int)futex(&sh[0], FUTEX_WAKE, 1, 0, 0, 0)); }
    i32 ts[2] = { 3, 0 };
    out("MAP_SHARED, two processes: FUTEX_WAIT", futex(&sh[0], FUTEX_WAIT, 0, ts, 0, 0));
    outw(".. the waker (exit code = FUTEX_WAKE's result)", pid, 0);
    sh[0] = 0;
    pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(100); _exit((int)futex(&sh[0], FUTEX_WAKE_PRIVATE, 1, 0, 0, 0)); }
    i32 t400[2] = { 0, 400000000 };
    out("MAP_SHARED, two processes: FUTEX_WAIT_PRIVATE (400 ms)", futex(&sh[0], FUTEX_WAIT_PRIVATE, 0, t400, 0, 0));
    outw(".. the waker (FUTEX_WAKE_PRIVATE)", pid, 0);
    sh[0] = 0;
    pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(100); _exit((int)futex(&sh[0], FUTEX_WAKE_BITSET, 1, 0, 0, 2)); }
    i32 abs[2];
    mono_now(abs); ts_add_ms(abs, 3000);
    out("MAP_SHARED: FUTEX_WAIT_BITSET 3 woken by FUTEX_WAKE_BITSET 2",
        futex(&sh[0], FUTEX_WAIT_BITSET, 0, abs, 0, 3));
    outw(".. the waker", pid, 0);
}

/* ---- robust lists, set_tid_address ---- */
struct rlock { volatile u32 word; u32 pad; struct robust_list list; };
#define ROFF (-8)
static struct robust_list_head rhead;
static struct rlock rl[4];

static int t_robust(long a)
{
    struct thr *t = (struct thr *)a;
    struct robust_list_head *h = 0; u32 len = 0;
    t->r[0] = sys3(__NR_get_robust_list, 0, (long)&h, (long)&len);
    t->r[1] = h == 0; t->r[2] = len;
    u32 me = (u32)gettid();
    rl[0].word = me | FUTEX_WAITERS;       /* held, with waiters */
    rl[1].word = me;                       /* held */
    rl[2].word = 0x3ffffff0;               /* someone else's */
    rl[3].word = 0;                        /* pending, free */
    rhead.list.next = &rl[0].list;
    rl[0].list.next = &rl[1].list;
    rl[1].list.next = &rl[2].list;
    rl[2].list.next = &rhead.list;
    rhead.futex_offset = ROFF;
    rhead.list_op_pending = &rl[3].list;
    t->r[3] = sys2(__NR_set_robust_list, (long)&rhead, sizeof rhead);
    t->state = 1;
    for (int i = 0; i < 1500 && gate != 3; i++) sleep_ms(2);
    return 0;
}

static volatile u32 tidword;
static int t_settid(long a)
{
    struct thr *t = (struct thr *)a;
    t->r[0] = sys1(__NR_set_tid_address, (long)&tidword) == gettid();
    t->state = 1;
    sleep_ms(100);
    return 0;
}

static void test_robust(void)
{
    struct robust_list_head *h = 0; u32 len = 0;
    static struct robust_list_head mine = { { &mine.list }, 0, 0 };
    out("set_robust_list(len 11)", sys2(__NR_set_robust_list, (long)&mine, 11));
    out("set_robust_list(len 0)", sys2(__NR_set_robust_list, (long)&mine, 0));
    out("set_robust_list(len 24)", sys2(__NR_set_robust_list, (long)&mine, 24));
    out("set_robust_list(0x1000, 12)", sys2(__NR_set_robust_list, 0x1000, 12));
    out("set_robust_list(&head, 12)", sys2(__NR_set_robust_list, (long)&mine, 12));
    out("get_robust_list(0)", sys3(__NR_get_robust_list, 0, (long)&h, (long)&len));
    outb(".. head is ours", h == &mine);
    out(".. len", len);
    h = 0;
    out("get_robust_list(getpid)", sys3(__NR_get_robust_list, main_pid, (long)&h, (long)&len));
    outb(".. head is ours", h == &mine);
    out("get_robust_list(999999)", sys3(__NR_get_robust_list, 999999, (long)&h, (long)&len));
    out("get_robust_list(-1)", sys3(__NR_get_robust_list, -1, (long)&h, (long)&len));
    out("get_robust_list(0, bad head pointer)", sys3(__NR_get_robust_list, 0, 0x1000, (long)&len));
    out("get_robust_list(0, bad len pointer)", sys3(__NR_get_robust_list, 0, (long)&h, 0x1000));
    volatile u32 *sh = shared_page();
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        struct robust_list_head *ch = (void *)1; u32 cl = 0;
        sys3(__NR_get_robust_list, 0, (long)&ch, (long)&cl);
        _exit(ch == 0 ? 0 : ch == &mine ? 1 : 2);
    }
    outw("fork child's get_robust_list head (exit 0 NULL, 1 inherited)", pid, 0);

    /* a thread that dies holding robust futexes */
    gate = 0;
    struct thr *r = &T[0];
    spawn(r, t_robust);
    for (int i = 0; i < 1000 && r->state == 0; i++) sleep_ms(2);
    out("thread: get_robust_list(0) at start", r->r[0]);
    outb(".. head NULL", r->r[1]);
    out(".. len", r->r[2]);
    out(".. set_robust_list", r->r[3]);
    h = 0;
    out("get_robust_list(thread tid)", sys3(__NR_get_robust_list, r->tid, (long)&h, (long)&len));
    outb(".. head is the thread's", h == &rhead);
    waiter(&T[1], &rl[0].word, FUTEX_WAIT, rl[0].word, 0);
    waiter_ms(&T[2], &rl[0].word, FUTEX_WAIT_PRIVATE, rl[0].word, 0, 400);
    waiter(&T[3], &rl[3].word, FUTEX_WAIT, 0, 0);
    asleep(T + 1, 3);
    gate = 3;
    join(r);
    returned(T + 1, 3, 2);
    outx("robust thread exits: held word with FUTEX_WAITERS", rl[0].word);
    outx(".. held word", rl[1].word);
    outx(".. another owner's word", rl[2].word);
    outx(".. pending free word", rl[3].word);
    out(".. shared waiter on the held word", T[1].res);
    out(".. private waiter on the held word (400 ms)", returned(T + 1, 3, 3) == 3 ? T[2].res : 1);
    out(".. shared waiter on the pending word", T[3].res);
    join_all(T + 1, 3);

    /* a process killed holding a robust futex in MAP_SHARED memory */
    sh[0] = 0;
    pid = sys0(__NR_fork);
    if (pid == 0) {
        static struct robust_list_head ph;
        struct robust_list *ent = (struct robust_list *)&sh[2];
        ph.list.next = ent;
        ent->next = &ph.list;
        ph.futex_offset = -8;
        ph.list_op_pending = 0;
        sys2(__NR_set_robust_list, (long)&ph, sizeof ph);
        sh[0] = (u32)getpid() | FUTEX_WAITERS;
        sleep_ms(100);
        sys2(__NR_kill, getpid(), SIGKILL);
        _exit(1);
    }
    for (int i = 0; i < 1000 && !sh[0]; i++) sleep_ms(2);
    i32 ts[2] = { 3, 0 };
    out("process killed holding a robust MAP_SHARED futex: FUTEX_WAIT", futex(&sh[0], FUTEX_WAIT, sh[0], ts, 0, 0));
    outx(".. word", sh[0]);
    outw(".. waitpid", pid, 0);

    /* set_tid_address */
    outb("set_tid_address returns the tid", sys1(__NR_set_tid_address, (long)&tidword) == main_pid);
    tidword = 0x77;
    spawn_flags(&T[0], TFLAGS & ~CLONE_CHILD_CLEARTID, t_settid);
    for (int i = 0; i < 1000 && T[0].state == 0; i++) sleep_ms(2);
    outb("thread's set_tid_address returns its tid", T[0].r[0]);
    out(".. FUTEX_WAIT on the word until its exit", futex(&tidword, FUTEX_WAIT, 0x77, ts, 0, 0));
    outx(".. word", tidword);
    sh[0] = 0x77;
    pid = sys0(__NR_fork);
    if (pid == 0) { sys1(__NR_set_tid_address, (long)&sh[0]); _exit(0); }
    sys3(__NR_waitpid, pid, 0, 0);
    outx("single-threaded process exits with set_tid_address on MAP_SHARED word", sh[0]);
    sys1(__NR_set_tid_address, 0);
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    main_pid = getpid();
    main_ppid = sys0(__NR_getppid);
    test_pthread();
    test_flags();
    test_share();
    test_group();
    test_signals();
    test_futex_basic();
    test_futex_wake();
    test_futex_shared();
    test_robust();
    puts1("--- end\n");
    return 0;
}

/* bench.c: micro-benchmarks of the kernel paths memguard implements, in
 * rdtsc cycles, so one static i386 binary can be timed on Linux and memguard.
 *
 *   bench [--pages N] [--reps R] [--mb M] [--exec PROGRAM] [--tmp DIR]
 *   bench --swap-mb W [--pages N] [--reps R]
 *
 * Prints "bench: pages=N reps=R mb=M" and "bench: / is tmpfs" (or ramfs),
 * then one "name value unit" line per figure, each the median of R
 * repetitions, then "bench: done". Exits 0, or 1 with a message on stderr
 * when a syscall fails or memory reads back wrong. What each figure
 * measures is in README.md. Linux syscalls used: exit fork write wait4
 * getpid kill munmap sched_yield mmap2 exit_group mprotect rt_sigaction
 * rt_sigreturn clone futex execve stat64 pipe read close open lseek unlink
 * mkdir rmdir mount umount2 statfs.
 *
 * On memguard booted with `bench`, the limit_* figures follow: the bare
 * mechanisms through the kernel's bench-only gates (int 0x81, a fault
 * window, mg_limits); elsewhere mg_limits is ENOSYS and they are left out.
 *
 * With --swap-mb it measures swap instead, and only that: a W MiB working
 * set (twice the machine's RAM: tools/bench.sh runs it with MEM=64M and
 * W=128) is written once, then
 *   swap_seq_pass_2x_ram   one read-and-write pass over all of it, in
 *                          address order: cycles per page
 *   major_fault_swapin     a first touch of N pages that /proc/self/pagemap
 *                          shows in swap (bit 62): cycles per page
 * each the median of R repetitions. It turns swap on first (swapon
 * /dev/vda, making /proc and /dev/vda when the Linux oracle has neither),
 * which adds: stat64 mkdir mount open read pread64 close mknod swapon.
 */
#include "rt.h"

enum { PAGE = 4096, MAX_REPS = 63, GETPID_CALLS = 1000, YIELDS = 1000 };
/* About 0.25 s of a 2-3 GHz TSC (sched_yield_switch_once says why). */
#define SETTLE_CYCLES 600000000ull

static u32 n_pages = 1024, n_reps = 7, n_mb = 16;
static long spinner_pid;   /* the sched_yield partner, killed if we fail */

static void run(const char *name, u64 (*once)(void), const char *unit);

/* ---- failing loudly ---- */

static __attribute__((noreturn)) void fail(const char *what, long err)
{
    char num[21];
    if (spinner_pid > 0)
        sys2(__NR_kill, spinner_pid, SIGKILL);
    put_fd(2, "bench: ");
    put_fd(2, what);
    if (err) {
        put_fd(2, " failed: errno ");
        put_fd(2, u64_str((u64)-err, num));
    }
    put_fd(2, "\n");
    sys_exit_group(1);
}

static long check(long r, const char *what)
{
    if (is_err(r))
        fail(what, r);
    return r;
}

/* ---- memory and processes ---- */

/* Maps `bytes` of anonymous read-write memory; no page is touched yet. */
static volatile char *map_anon(u32 bytes, int flags)
{
    return (volatile char *)check(sys6(__NR_mmap2, 0, bytes, PROT_READ | PROT_WRITE,
                                       flags | MAP_ANONYMOUS, -1, 0), "mmap2");
}

static void unmap(volatile char *p, u32 bytes) { check(sys2(__NR_munmap, (long)p, bytes), "munmap"); }

/* Writes one byte in each of `pages` pages, so each page is made present. */
static void touch(volatile char *p, u32 pages, char v)
{
    for (u32 i = 0; i < pages; i++)
        p[i * PAGE] = v;
}

static long fork_checked(void) { return check(sys0(__NR_fork), "fork"); }

/* Waits for `pid`; returns its raw wait status. */
static u32 wait_for(long pid)
{
    i32 status = 0;
    long r;
    while ((r = sys4(__NR_wait4, pid, (long)&status, 0, 0)) == -EINTR)   /* try again */
        ;
    check(r, "wait4");
    return (u32)status;
}

static u64 per(u64 cycles, u32 n) { return udiv64(cycles, n, 0); }

/* ---- the figures: each function is one repetition, returning its sample ---- */

static u64 getpid_once(void)
{
    check(sys0(__NR_getpid), "getpid");
    u64 t0 = rdtsc();
    for (u32 i = 0; i < GETPID_CALLS; i++)
        sys0(__NR_getpid);
    return per(rdtsc() - t0, GETPID_CALLS);
}

static u64 demand_zero_write_once(void)
{
    volatile char *p = map_anon(n_pages * PAGE, MAP_PRIVATE);
    u64 t0 = rdtsc();
    touch(p, n_pages, 1);
    u64 t = rdtsc() - t0;
    unmap(p, n_pages * PAGE);
    return per(t, n_pages);
}

static u64 zero_page_read_once(void)
{
    volatile char *p = map_anon(n_pages * PAGE, MAP_PRIVATE);
    char any = 0;
    u64 t0 = rdtsc();
    for (u32 i = 0; i < n_pages; i++)
        any |= p[i * PAGE];
    u64 t = rdtsc() - t0;
    if (any)
        fail("zero_page_read: a fresh anonymous page did not read as zero", 0);
    unmap(p, n_pages * PAGE);
    return per(t, n_pages);
}

/* cow_write: the parent writes n_pages, forks, and the child times its own
 * first write to each (now shared) page. The child's figure comes back
 * through a MAP_SHARED page; if the kernel refuses MAP_SHARED (or with
 * --cow-exit-status) the child exits with 8*log2(figure) instead, which the
 * parent decodes to within 4.5%. */
static volatile u32 *cow_report;   /* [0] sequence, [1] low, [2] high half */
static volatile char *cow_mem;
static u32 cow_seq, cow_force_exit_status;

/* 8*log2(v), rounded down, in 0..254: exponent, then 3 fraction bits found
 * by squaring the mantissa (kept as 1.31 fixed point). */
static u32 log_code(u64 v)
{
    u32 e = 0, code;
    if (v == 0)
        v = 1;
    while ((v >> e) > 1)
        e++;
    u64 x = e >= 31 ? v >> (e - 31) : v << (31 - e);
    code = e * 8;
    for (u32 bit = 4; bit; bit >>= 1) {
        x = (x * x) >> 31;
        if (x >> 32) {
            code += bit;
            x >>= 1;
        }
    }
    return code > 254 ? 254 : code;
}

/* The middle of the interval log_code maps to `code`. */
static u64 log_decode(u32 code)
{
    static const u32 mid_milli[8] = {1044, 1139, 1242, 1354, 1477, 1610, 1756, 1915};
    return udiv64(((u64)1 << (code >> 3)) * mid_milli[code & 7] + 500, 1000, 0);
}

static void cow_setup(void)
{
    long r = sys6(__NR_mmap2, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (cow_force_exit_status || is_err(r)) {
        put_fd(2, "bench: cow_write comes back through the exit status (within 4.5%)\n");
        cow_report = 0;
    } else {
        cow_report = (volatile u32 *)r;
    }
    cow_mem = map_anon(n_pages * PAGE, MAP_PRIVATE);
    touch(cow_mem, n_pages, 'P');
}

static void cow_teardown(void)
{
    unmap(cow_mem, n_pages * PAGE);
    if (cow_report)
        unmap((volatile char *)cow_report, PAGE);
}

static __attribute__((noreturn)) void cow_child(u32 seq)
{
    u64 t0 = rdtsc();
    touch(cow_mem, n_pages, 'C');
    u64 t = per(rdtsc() - t0, n_pages);
    u32 code = 0;
    if (cow_report) {
        cow_report[1] = (u32)t;
        cow_report[2] = (u32)(t >> 32);
        cow_report[0] = seq;   /* last: marks the figure complete */
    } else {
        code = log_code(t);
    }
    for (;;)
        sys1(__NR_exit, code);
}

static u64 cow_write_once(void)
{
    u32 seq = ++cow_seq;
    long pid = fork_checked();
    if (pid == 0)
        cow_child(seq);
    u32 status = wait_for(pid);
    for (u32 i = 0; i < n_pages; i++)
        if (cow_mem[i * PAGE] != 'P')
            fail("cow_write: the child's write showed in the parent", 0);
    if (status & 0x7f)
        fail("cow_write: the child was killed by a signal", 0);
    if (!cow_report)
        return log_decode((status >> 8) & 0xff);
    if (status != 0 || cow_report[0] != seq)
        fail("cow_write: the child's figure did not arrive (is MAP_SHARED shared?)", 0);
    return ((u64)cow_report[2] << 32) | cow_report[1];
}

static u64 fork_exit_wait_once(void)
{
    u64 t0 = rdtsc();
    long pid = fork_checked();
    if (pid == 0)
        for (;;)
            sys1(__NR_exit, 0);
    u32 status = wait_for(pid);
    u64 t = rdtsc() - t0;
    if (status != 0)
        fail("fork_exit_wait_16m: child did not exit 0", 0);
    return t;
}

/* Two runnable processes that only yield. The partner counts its turns in a
 * MAP_SHARED page, so the figure divides by switches that really happened:
 * each partner turn is two switches (there and back). A scheduler may let a
 * yield return without switching (Linux's CFS often does, for a while):
 * those yields cost time but are not switches. */
static u64 sched_yield_switch_once(void)
{
    volatile u32 *turns = (volatile u32 *)map_anon(PAGE, MAP_SHARED);
    long pid = fork_checked();
    if (pid == 0)
        for (;;) {
            sys0(__NR_sched_yield);
            turns[0]++;
        }
    spinner_pid = pid;
    for (u32 i = 0; i < 10; i++)   /* let the partner start spinning */
        check(sys0(__NR_sched_yield), "sched_yield");
    /* QEMU sizes its software TLB by recent use and shrinks it only after
     * 100 ms of lighter use, while every CR3 write clears the whole table:
     * right after a row that touched thousands of pages, a switch pays for
     * clearing a table that row sized (measured: the median of 21
     * repetitions is 13-40% below that of the first 7). Before the first
     * repetition both processes yield for about a quarter of a second, so
     * that the row measures switching rather than the row before it. */
    static int settled;
    if (!settled) {
        u64 t = rdtsc();
        while (rdtsc() - t < SETTLE_CYCLES)
            sys0(__NR_sched_yield);
        settled = 1;
    }
    /* Yield until the partner has had YIELDS turns (a bounded number of
     * tries): the time per real switch, however many yields it took. */
    u32 before = turns[0];
    u64 t0 = rdtsc();
    for (u32 i = 0; i < 1000 * YIELDS && turns[0] - before < YIELDS; i++)
        sys0(__NR_sched_yield);
    u64 t = rdtsc() - t0;
    u32 partner_turns = turns[0] - before;
    check(sys2(__NR_kill, pid, SIGKILL), "kill");
    spinner_pid = 0;
    if ((wait_for(pid) & 0x7f) != SIGKILL)
        fail("sched_yield_switch: partner did not die of SIGKILL", 0);
    unmap((volatile char *)turns, PAGE);
    if (partner_turns == 0)
        fail("sched_yield_switch: the partner never ran", 0);
    return per(t, 2 * partner_turns);
}

static u64 munmap_per_page_once(void)
{
    volatile char *p = map_anon(n_pages * PAGE, MAP_PRIVATE);
    touch(p, n_pages, 1);
    u64 t0 = rdtsc();
    unmap(p, n_pages * PAGE);
    return per(rdtsc() - t0, n_pages);
}

/* ---- signals, threads, futexes, exec, pipes, files ---- */

enum { SIGNALS = 200, THREADS = 50, PINGPONGS = 500, OPENS = 200, IO_BYTES = 1 << 20 };

static volatile u32 usr1_count, segv_count;

static void on_usr1(int sig, void *info, void *uc)
{
    (void)sig, (void)info, (void)uc;
    usr1_count++;
}

/* kill(self, SIGUSR1): the kernel delivers it on the way out of kill, the
 * handler runs and returns through rt_sigreturn. */
static u64 signal_once(void)
{
    long pid = check(sys0(__NR_getpid), "getpid");
    u32 before = usr1_count;
    u64 t0 = rdtsc();
    for (u32 i = 0; i < SIGNALS; i++)
        sys2(__NR_kill, pid, SIGUSR1);
    u64 t = rdtsc() - t0;
    if (usr1_count - before != SIGNALS)
        fail("signal_deliver_return: the handler did not run once per kill", 0);
    return per(t, SIGNALS);
}

/* The user-level fault handler: mprotect the faulting page read-write and
 * return, so the write is retried (si_addr is word 3 of i386's siginfo). */
static void on_segv(int sig, void *info, void *uc)
{
    u32 page = ((u32 *)info)[3] & ~(u32)(PAGE - 1);
    (void)sig, (void)uc;
    if (is_err(sys3(__NR_mprotect, page, PAGE, PROT_READ | PROT_WRITE)))
        sys_exit_group(3);
    segv_count++;
}

/* Present pages made PROT_NONE, then written: per page one SIGSEGV, the
 * handler's mprotect and the return (no zero-fill: the pages exist). */
static u64 segv_mprotect_once(void)
{
    volatile char *p = map_anon(n_pages * PAGE, MAP_PRIVATE);
    touch(p, n_pages, 1);
    check(sys3(__NR_mprotect, (long)p, n_pages * PAGE, PROT_NONE), "mprotect PROT_NONE");
    u32 before = segv_count;
    u64 t0 = rdtsc();
    touch(p, n_pages, 2);
    u64 t = rdtsc() - t0;
    if (segv_count - before != n_pages)
        fail("segv_mprotect_fix: not one SIGSEGV per page", 0);
    unmap(p, n_pages * PAGE);
    return per(t, n_pages);
}

static char thread_stack[16384] __attribute__((aligned(16)));
static volatile u32 thread_tid;

static long thread_returns(long arg) { return arg; }

/* pthread_create + pthread_join, raw: clone a thread that exits at once,
 * wait on its CLONE_CHILD_CLEARTID word. One stack serves them in turn: a
 * thread's word is cleared only once it no longer runs in user space. */
static u64 thread_once(void)
{
    u64 t0 = rdtsc();
    for (u32 i = 0; i < THREADS; i++) {
        check(clone_call(THREAD_FLAGS, thread_stack + sizeof thread_stack, &thread_tid, 0, &thread_tid,
                         thread_returns, 0), "clone (thread)");
        join_tid(&thread_tid);
    }
    return per(rdtsc() - t0, THREADS);
}

/* The ping-pong word: 1 = the thread's turn, 0 = main's; pp_stop ends it. */
static volatile u32 pp_word, pp_stop;

static long ponger(long arg)
{
    (void)arg;
    for (;;) {
        while (pp_word == 0)
            futex_wait(&pp_word, 0);
        if (pp_stop)
            return 0;
        pp_word = 0;
        futex_wake(&pp_word, 1);
    }
}

/* Two threads hand a turn back and forth through one futex word: per round
 * trip each wakes the other and waits. */
static u64 futex_pingpong_once(void)
{
    pp_word = 0, pp_stop = 0;
    check(clone_call(THREAD_FLAGS, thread_stack + sizeof thread_stack, &thread_tid, 0, &thread_tid, ponger, 0),
          "clone (ponger)");
    u64 t0 = rdtsc();
    for (u32 i = 0; i < PINGPONGS; i++) {
        pp_word = 1;
        futex_wake(&pp_word, 1);
        while (pp_word == 1)
            futex_wait(&pp_word, 1);
    }
    u64 t = rdtsc() - t0;
    pp_stop = 1, pp_word = 1;
    futex_wake(&pp_word, 1);
    join_tid(&thread_tid);
    return per(t, PINGPONGS);
}

static const char *exec_path = "/bin/exectarget";

/* fork, execve of a tiny static program that exits at once, wait4. */
static u64 exec_once(void)
{
    char *argv[] = {(char *)exec_path, 0}, *envp[] = {0};
    u64 t0 = rdtsc();
    long pid = fork_checked();
    if (pid == 0) {
        sys3(__NR_execve, (long)exec_path, (long)argv, (long)envp);
        sys_exit_group(127);
    }
    u32 status = wait_for(pid);
    u64 t = rdtsc() - t0;
    if (status != 0)
        fail("fork_execve_exit_wait: the program did not exit 0", 0);
    return t;
}

/* Two processes pass one byte back and forth through two pipes: per round
 * trip each writes once and blocks in read once. */
static u64 pipe_pingpong_once(void)
{
    int there[2], back[2];
    char c = 'x';
    check(sys1(__NR_pipe, (long)there), "pipe");
    check(sys1(__NR_pipe, (long)back), "pipe");
    long pid = fork_checked();
    if (pid == 0) {
        while (sys3(__NR_read, there[0], (long)&c, 1) == 1 && c != 'q')
            sys3(__NR_write, back[1], (long)&c, 1);
        sys_exit_group(0);
    }
    u64 t0 = rdtsc();
    for (u32 i = 0; i < PINGPONGS; i++) {
        c = 'x';
        if (sys3(__NR_write, there[1], (long)&c, 1) != 1 || sys3(__NR_read, back[0], (long)&c, 1) != 1)
            fail("pipe_pingpong: a byte went missing", 0);
    }
    u64 t = rdtsc() - t0;
    c = 'q';
    sys3(__NR_write, there[1], (long)&c, 1);
    if (wait_for(pid) != 0)
        fail("pipe_pingpong: the partner did not exit 0", 0);
    for (u32 i = 0; i < 2; i++)
        sys1(__NR_close, there[i]), sys1(__NR_close, back[i]);
    return per(t, PINGPONGS);
}

/* The files' directory: a tmpfs mounted there if the kernel lets us (both
 * kernels do for root), else whatever file system holds it. */
static const char *tmp_dir = "/benchtmp";
static char big_path[256], small_path[256];
static int tmp_mounted;
static char io_buf[IO_BYTES] __attribute__((aligned(4096)));

static void path_in(char *buf, const char *name)
{
    u32 n = 0;
    cat(buf, &n, 256, tmp_dir);
    cat(buf, &n, 256, "/");
    cat(buf, &n, 256, name);
}

static void files_setup(void)
{
    sys2(__NR_mkdir, (long)tmp_dir, 0755);
    long r = sys5(__NR_mount, (long)"tmpfs", (long)tmp_dir, (long)"tmpfs", 0, 0);
    tmp_mounted = !is_err(r);
    if (!tmp_mounted)
        put_fd(2, "bench: no tmpfs mounted for the file rows (not root?): using the directory as it is\n");
    path_in(big_path, "big");
    path_in(small_path, "exists");
    long fd = check(sys3(__NR_open, (long)small_path, O_CREAT | O_WRONLY | O_TRUNC, 0644), "open (create)");
    sys1(__NR_close, fd);
    for (u32 i = 0; i < IO_BYTES; i += PAGE)   /* the buffer's pages exist before any timing */
        io_buf[i] = (char)(i >> 12);
}

static void files_teardown(void)
{
    sys1(__NR_unlink, (long)small_path);
    if (tmp_mounted)
        sys2(__NR_umount2, (long)tmp_dir, 0);
    sys1(__NR_rmdir, (long)tmp_dir);
}

/* Moves all of io_buf through fd with read or write (nr); fails on a short count. */
static void io_all(long nr, long fd, const char *what)
{
    for (u32 done = 0; done < IO_BYTES;) {
        long r = check(sys3(nr, fd, (long)io_buf + done, IO_BYTES - done), what);
        if (r == 0)
            fail(what, 0);
        done += (u32)r;
    }
}

/* A fresh file: 1 MiB written, then read back from its start. */
static u64 tmpfs_write_read_once(void)
{
    long fd = check(sys3(__NR_open, (long)big_path, O_CREAT | O_RDWR | O_TRUNC, 0644), "open (big)");
    u64 t0 = rdtsc();
    io_all(__NR_write, fd, "write 1 MiB");
    check(sys3(__NR_lseek, fd, 0, SEEK_SET), "lseek");
    io_all(__NR_read, fd, "read 1 MiB");
    u64 t = rdtsc() - t0;
    sys1(__NR_close, fd);
    check(sys1(__NR_unlink, (long)big_path), "unlink");
    for (u32 i = 0; i < IO_BYTES; i += PAGE)
        if (io_buf[i] != (char)(i >> 12))
            fail("tmpfs_write_read_1m: the file read back wrong", 0);
    return t;
}

static u64 open_close_once(void)
{
    u64 t0 = rdtsc();
    for (u32 i = 0; i < OPENS; i++)
        sys1(__NR_close, check(sys3(__NR_open, (long)small_path, O_RDONLY, 0), "open"));
    return per(rdtsc() - t0, OPENS);
}

/* "bench: / is tmpfs" (or ramfs): what the root file system is, by
 * statfs's f_type (Linux's initramfs root is one or the other). */
static void say_root_fs(void)
{
    u32 st[32];
    if (is_err(sys2(__NR_statfs, (long)"/", (long)st)))
        return;
    put_fd(1, st[0] == 0x01021994 ? "bench: / is tmpfs\n" : st[0] == 0x858458f6 ? "bench: / is ramfs\n"
                                                                               : "bench: / is neither tmpfs nor ramfs\n");
}

/* ---- the limit column (memguard with `bench` only: mg_limits) ---- */

static struct mg_limits limits;

static u64 limit_int_iret_once(void)
{
    u64 t0 = rdtsc();
    for (u32 i = 0; i < GETPID_CALLS; i++)
        __asm__ volatile("int $0x81" ::: "memory");
    return per(rdtsc() - t0, GETPID_CALLS);
}

/* Present pages whose entries the kernel holds back: each write faults,
 * the gate puts the entry back and irets. Every fault must have taken that
 * path (DISARM says how many did), and every write landed. */
static u64 limit_pf_once(void)
{
    u32 pages = n_pages < limits.window_max_pages ? n_pages : limits.window_max_pages;
    volatile char *p = map_anon(pages * PAGE, MAP_PRIVATE);
    touch(p, pages, 1);
    check(sys3(MG_NR_LIMITS, MG_LIMITS_ARM, (long)p, pages * PAGE), "mg_limits ARM");
    u64 t0 = rdtsc();
    touch(p, pages, 2);
    u64 t = rdtsc() - t0;
    if ((u32)check(sys1(MG_NR_LIMITS, MG_LIMITS_DISARM), "mg_limits DISARM") != pages)
        fail("limit_pf_set_p: not every fault took the gate's fast path", 0);
    for (u32 i = 0; i < pages; i++)
        if (p[i * PAGE] != 2)
            fail("limit_pf_set_p: a write did not land", 0);
    unmap(p, pages * PAGE);
    return per(t, pages);
}

static void measure_limits(void) { check(sys3(MG_NR_LIMITS, MG_LIMITS_MEASURE, (long)&limits, sizeof limits), "mg_limits"); }
static u64 limit_stosd_once(void) { measure_limits(); return limits.rep_stosd_4k; }
static u64 limit_movsd_once(void) { measure_limits(); return limits.rep_movsd_4k; }
static u64 limit_cr3_once(void) { measure_limits(); return limits.cr3_reload; }

/* The limit figures, if this kernel has the bench gates (Linux: ENOSYS). */
static void limit_rows(void)
{
    long r = sys3(MG_NR_LIMITS, MG_LIMITS_MEASURE, (long)&limits, sizeof limits);
    if (r == -ENOSYS)
        return;
    check(r, "mg_limits");
    run("limit_int_iret", limit_int_iret_once, "cycles");
    run("limit_pf_set_p", limit_pf_once, "cycles/page");
    run("limit_rep_stosd_4k", limit_stosd_once, "cycles");
    run("limit_rep_movsd_4k", limit_movsd_once, "cycles");
    run("limit_cr3_reload", limit_cr3_once, "cycles");
}

/* ---- swap (--swap-mb) ---- */

static u32 swap_mb;
static volatile char *swap_mem;
static volatile u32 swap_sink;   /* keeps the timed reads */
static char text[4096];
static u32 swap_round;

/* Reads path into text (NUL-terminated); returns the length or -errno. */
static long slurp(const char *path)
{
    long fd = sys3(__NR_open, (long)path, O_RDONLY, 0), n = 0, r;
    if (is_err(fd))
        return fd;
    while (n < (long)sizeof text - 1 && (r = sys3(__NR_read, fd, (long)text + n, sizeof text - 1 - n)) > 0)
        n += r;
    sys1(__NR_close, fd);
    text[n] = 0;
    return n;
}

/* Whether /proc/swaps lists an area (a line after its header). */
static int swap_listed(void)
{
    const char *l = text;
    if (slurp("/proc/swaps") <= 0)
        return 0;
    while (*l && *l != '\n')
        l++;
    return *l == '\n' && l[1] != 0;
}

/* The major number of "virtblk" in /proc/devices, 0 if none. */
static u32 virtblk_major(void)
{
    if (slurp("/proc/devices") <= 0)
        return 0;
    for (const char *l = text; *l;) {
        u32 v = 0;
        while (*l == ' ')
            l++;
        while (*l >= '0' && *l <= '9')
            v = v * 10 + (u32)(*l++ - '0');
        if (v && l[0] == ' ' && l[1] == 'v' && l[2] == 'i' && l[3] == 'r' && l[4] == 't' && l[5] == 'b')
            return v;
        while (*l && *l != '\n')
            l++;
        if (*l)
            l++;
    }
    return 0;
}

/* swapon /dev/vda unless an area is on; /proc and /dev/vda first if the
 * machine has neither (the Linux oracle mounts nothing and has no udev). */
static void swap_setup(void)
{
    struct stat64 st;
    if (is_err(sys2(__NR_stat64, (long)"/proc/self", (long)&st))) {
        sys2(__NR_mkdir, (long)"/proc", 0555);
        check(sys5(__NR_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0), "mount proc");
    }
    if (swap_listed())
        return;
    if (is_err(sys2(__NR_stat64, (long)"/dev/vda", (long)&st))) {
        u32 major = virtblk_major();
        if (!major)
            fail("no /dev/vda and no virtblk in /proc/devices (no swap disk?)", 0);
        sys2(__NR_mkdir, (long)"/dev", 0755);
        check(sys3(__NR_mknod, (long)"/dev/vda", S_IFBLK | 0600, (long)(major << 8)), "mknod /dev/vda");
    }
    long r = sys2(__NR_swapon, (long)"/dev/vda", 0);
    if (r != -EBUSY)
        check(r, "swapon /dev/vda");
}

/* One pass over the working set: each page's first word read and
 * rewritten (a check that swap gave back what was written). */
static u64 swap_seq_pass_once(void)
{
    u32 pages = (swap_mb << 20) / PAGE, r = swap_round++;
    volatile u32 *w;
    u64 t0 = rdtsc();
    for (u32 i = 0; i < pages; i++) {
        w = (volatile u32 *)(swap_mem + i * PAGE);
        if (*w != i * 2 + r)
            fail("swap_seq_pass: a page came back from swap wrong", 0);
        *w = i * 2 + r + 1;
    }
    return per(rdtsc() - t0, pages);
}

/* The first n_pages pages of the working set that pagemap shows in swap,
 * touched (read) once each in address order. */
static u32 swapped[65536];
static u64 major_fault_once(void)
{
    u32 pages = (swap_mb << 20) / PAGE, n = 0;
    long fd = check(sys3(__NR_open, (long)"/proc/self/pagemap", O_RDONLY, 0), "open /proc/self/pagemap");
    static u64 entries[512];
    for (u32 i = 0; i < pages && n < n_pages; i += 512) {
        u64 off = (u64)((u32)swap_mem / PAGE + i) * 8;
        check(sys5(__NR_pread64, fd, (long)entries, sizeof entries, (long)(u32)off, (long)(u32)(off >> 32)),
              "pread64 pagemap");
        for (u32 j = 0; j < 512 && i + j < pages && n < n_pages; j++)
            if (entries[j] & (1ULL << 62))
                swapped[n++] = i + j;
    }
    sys1(__NR_close, fd);
    if (n == 0)
        fail("major_fault_swapin: no page of the working set is in swap", 0);
    u32 sum = 0;
    u64 t0 = rdtsc();
    for (u32 k = 0; k < n; k++)
        sum += *(volatile u32 *)(swap_mem + swapped[k] * PAGE);
    u64 t = rdtsc() - t0;
    swap_sink = sum;
    return per(t, n);
}

static void swap_rows(void)
{
    u32 pages = (swap_mb << 20) / PAGE;
    swap_setup();
    swap_mem = map_anon(swap_mb << 20, MAP_PRIVATE);
    for (u32 i = 0; i < pages; i++)
        *(volatile u32 *)(swap_mem + i * PAGE) = i * 2;
    run("swap_seq_pass_2x_ram", swap_seq_pass_once, "cycles/page");
    run("major_fault_swapin", major_fault_once, "cycles/page");
    unmap(swap_mem, swap_mb << 20);
}

/* ---- driver ---- */

static u64 median(u64 *v, u32 n)
{
    for (u32 i = 1; i < n; i++)   /* insertion sort: n is at most 63 */
        for (u32 j = i; j > 0 && v[j - 1] > v[j]; j--) {
            u64 t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    return v[n / 2];
}

static void report(const char *name, u64 value, const char *unit)
{
    char line[96], num[21];
    u32 n = 0;
    cat(line, &n, sizeof line, name);
    cat(line, &n, sizeof line, " ");
    cat(line, &n, sizeof line, u64_str(value, num));
    cat(line, &n, sizeof line, " ");
    cat(line, &n, sizeof line, unit);
    cat(line, &n, sizeof line, "\n");
    put_fd(1, line);
}

static void run(const char *name, u64 (*once)(void), const char *unit)
{
    u64 samples[MAX_REPS];
    for (u32 i = 0; i < n_reps; i++)
        samples[i] = once();
    report(name, median(samples, n_reps), unit);
}

static void parse_args(int argc, char **argv)
{
    for (int i = 1; i < argc; i += 2) {
        long v = i + 1 < argc ? parse_num(argv[i + 1]) : -1;
        if (str_eq(argv[i], "--pages") && v >= 1 && v <= 65536)
            n_pages = (u32)v;
        else if (str_eq(argv[i], "--reps") && v >= 1 && v <= MAX_REPS)
            n_reps = (u32)v;
        else if (str_eq(argv[i], "--mb") && v >= 1 && v <= 1024)
            n_mb = (u32)v;
        else if (str_eq(argv[i], "--swap-mb") && v >= 1 && v <= 1024)
            swap_mb = (u32)v;
        else if (str_eq(argv[i], "--exec") && i + 1 < argc)
            exec_path = argv[i + 1];
        else if (str_eq(argv[i], "--tmp") && i + 1 < argc)
            tmp_dir = argv[i + 1];
        else if (str_eq(argv[i], "--cow-exit-status"))
            cow_force_exit_status = 1, i--;   /* a flag: takes no value */
        else {
            put_fd(2, "usage: bench [--pages 1..65536] [--reps 1..63] [--mb 1..1024] [--swap-mb 1..1024]"
                      " [--exec PROGRAM] [--tmp DIR]\n");
            sys_exit_group(2);
        }
    }
}

int main(int argc, char **argv, char **envp)
{
    char line[96], num[21];
    u32 n = 0;
    (void)envp;
    parse_args(argc, argv);
    cat(line, &n, sizeof line, "bench: pages=");
    cat(line, &n, sizeof line, u64_str(n_pages, num));
    cat(line, &n, sizeof line, " reps=");
    cat(line, &n, sizeof line, u64_str(n_reps, num));
    cat(line, &n, sizeof line, " mb=");
    cat(line, &n, sizeof line, u64_str(n_mb, num));
    if (swap_mb) {
        cat(line, &n, sizeof line, " swap_mb=");
        cat(line, &n, sizeof line, u64_str(swap_mb, num));
    }
    cat(line, &n, sizeof line, "\n");
    put_fd(1, line);
    say_root_fs();
    if (swap_mb) {
        swap_rows();
        put_fd(1, "bench: done\n");
        return 0;
    }

    run("getpid", getpid_once, "cycles");
    run("demand_zero_write", demand_zero_write_once, "cycles/page");
    run("zero_page_read", zero_page_read_once, "cycles/page");
    cow_setup();
    run("cow_write", cow_write_once, "cycles/page");
    cow_teardown();

    /* The parent keeps n_mb MiB written, so each fork has that much to share. */
    u32 big = n_mb << 20;
    volatile char *resident = map_anon(big, MAP_PRIVATE);
    touch(resident, big / PAGE, 1);
    run("fork_exit_wait_16m", fork_exit_wait_once, "cycles");
    unmap(resident, big);

    run("sched_yield_switch", sched_yield_switch_once, "cycles");
    run("munmap_per_page", munmap_per_page_once, "cycles/page");

    check(set_handler(SIGUSR1, on_usr1), "rt_sigaction SIGUSR1");
    run("signal_deliver_return", signal_once, "cycles");
    check(set_handler(SIGSEGV, on_segv), "rt_sigaction SIGSEGV");
    run("segv_mprotect_fix", segv_mprotect_once, "cycles/page");
    run("thread_create_join", thread_once, "cycles");
    run("futex_pingpong", futex_pingpong_once, "cycles");
    struct stat64 st;
    if (is_err(sys2(__NR_stat64, (long)exec_path, (long)&st))) {
        put_fd(2, "bench: no ");
        put_fd(2, exec_path);
        put_fd(2, ": no fork_execve_exit_wait row\n");
    } else {
        run("fork_execve_exit_wait", exec_once, "cycles");
    }
    run("pipe_pingpong", pipe_pingpong_once, "cycles");
    files_setup();
    run("tmpfs_write_read_1m", tmpfs_write_read_once, "cycles");
    run("open_close", open_close_once, "cycles");
    files_teardown();

    limit_rows();
    put_fd(1, "bench: done\n");
    return 0;
}

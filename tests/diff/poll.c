/* poll.c: waiting for descriptors and the rest of the file calls busybox
 * needs. poll, ppoll(_time64), the old one-argument select, _newselect and
 * pselect6(_time64) on pipes (both ends, POLLHUP, POLLERR, full pipes),
 * FIFOs, files, directories and /dev/null: revents, select's three sets,
 * POLLNVAL, zero/finite/infinite timeouts and the time left written back,
 * Linux's error order (EFAULT, EINVAL, EBADF, the descriptor table size
 * select clamps to); signals: EINTR with and without SA_RESTART, a stop
 * and continue in the middle of a timed poll, ppoll/pselect6's temporary
 * masks. sendfile/sendfile64 with and without an offset, into files,
 * pipes and /dev/null, and their errors. FIFOs: ENXIO, O_NONBLOCK and
 * O_RDWR opens, blocking opens met by a forked partner, one buffer for all
 * openers, POLLHUP only after a writer, EINTR in a blocked open. O_TMPFILE
 * and linkat(AT_EMPTY_PATH). */
#include "t.h"
#include "sig.h"
#include <linux/poll.h>

#define C1(n, a) sys1(__NR_##n, (long)(a))
#define C2(n, a, b) sys2(__NR_##n, (long)(a), (long)(b))
#define C3(n, a, b, c) sys3(__NR_##n, (long)(a), (long)(b), (long)(c))
#define C4(n, a, b, c, d) sys4(__NR_##n, (long)(a), (long)(b), (long)(c), (long)(d))
#define C5(n, a, b, c, d, e) sys5(__NR_##n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e))
#define C6(n, a, b, c, d, e, f) sys6(__NR_##n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

static char buf[70000];
static struct stat64 sb;
static volatile u32 hits;
static u32 hmask[2];
static void h_count(int sig) { (void)sig; hits++; getmask(hmask); }

static void cl(long fd) { C1(close, fd); }
static long op(const char *p, long fl, long mode) { return C3(open, p, fl, mode); }
static void pipe_(int *p) { C1(pipe, p); }
static u64 now_ms(void) { i32 ts[2]; C2(clock_gettime, CLOCK_MONOTONIC, ts); return (u64)ts[0] * 1000 + (u32)ts[1] / 1000000; }
/* a child that sleeps ms, then writes one byte to fd, then exits */
static long writer_later(int fd, u32 ms)
{
    long pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(ms); C3(write, fd, "w", 1); _exit(0); }
    return pid;
}
static long kill_later(int sig, u32 ms)
{
    long parent = sys0(__NR_getpid), pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(ms); sys2(__NR_kill, parent, sig); _exit(0); }
    return pid;
}
static void reap(long pid) { sys3(__NR_waitpid, pid, 0, 0); }

/* "name: ret revents=0x.." for a one-entry poll */
static void poll1(const char *name, int fd, short events, int timeout)
{
    struct pollfd p = { fd, events, 0x5a5a };
    long r = C3(poll, &p, 1, timeout);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_d(&l, r); l_s(&l, " revents="); l_x(&l, (u16)p.revents); l_end(&l);
}
/* _newselect over read/write/except sets of one word each; prints the
 * result and the three words after */
static void select1(const char *name, int n, u32 r, u32 w, u32 e, long tv_sec, long tv_usec)
{
    u32 sets[3] = { r, w, e };
    i32 tv[2] = { tv_sec, tv_usec };
    long ret = C5(_newselect, n, &sets[0], &sets[1], &sets[2], tv_sec < 0 && tv_usec < 0 ? 0 : (long)tv);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_d(&l, ret);
    for (int i = 0; i < 3; i++) { l_s(&l, " "); l_x(&l, sets[i]); }
    l_end(&l);
}
#define BITFD(fd) (1u << (fd))

static void t_poll_pipes(void)
{
    int p[2];
    pipe_(p);
    poll1("poll empty pipe read end POLLIN", p[0], POLLIN, 0);
    poll1("poll empty pipe write end POLLOUT", p[1], POLLOUT, 0);
    poll1("poll write end POLLIN|POLLOUT|POLLPRI", p[1], POLLIN | POLLOUT | POLLPRI, 0);
    poll1("poll read end all events", p[0], 0x7fff, 0);
    C3(write, p[1], "abc", 3);
    poll1("poll read end with data POLLIN", p[0], POLLIN, 0);
    poll1("poll read end with data POLLRDNORM", p[0], POLLRDNORM, 0);
    poll1("poll read end with data events 0", p[0], 0, 0);
    {
        struct pollfd two[3] = { { p[0], POLLIN, 0 }, { p[1], POLLOUT, 0 }, { -1, POLLIN, 0x77 } };
        long r = C3(poll, two, 3, 0);
        line_t l = {.n = 0};
        l_s(&l, "poll both ends and fd -1: "); l_d(&l, r);
        for (int i = 0; i < 3; i++) { l_s(&l, " "); l_x(&l, (u16)two[i].revents); }
        l_end(&l);
    }
    cl(p[1]);
    poll1("poll read end, writer gone, data left", p[0], POLLIN, 0);
    C3(read, p[0], buf, 10);
    poll1("poll read end, writer gone, drained", p[0], POLLIN, 0);
    poll1("poll read end, writer gone, events 0", p[0], 0, 0);
    poll1("poll read end, writer gone, timeout -1", p[0], POLLIN, -1);
    cl(p[0]);

    pipe_(p);
    cl(p[0]);
    poll1("poll write end, reader gone", p[1], POLLOUT, 0);
    poll1("poll write end, reader gone, events 0", p[1], 0, 0);
    cl(p[1]);

    /* a full pipe is not writable until a page's worth is read */
    C2(pipe2, p, O_NONBLOCK);
    long total = 0, r;
    while ((r = C3(write, p[1], buf, 4096)) > 0) total += r;
    out("fill pipe with 4096-byte writes", total);
    out(".. next write", r);
    poll1(".. poll write end", p[1], POLLOUT, 0);
    C3(read, p[0], buf, 1);
    poll1(".. after reading 1 byte", p[1], POLLOUT, 0);
    C3(read, p[0], buf, 4095);
    poll1(".. after reading 4096 bytes", p[1], POLLOUT, 0);
    cl(p[0]); cl(p[1]);
}

static void t_poll_misc(void)
{
    int p[2];
    pipe_(p);
    poll1("poll closed fd 99", 99, POLLIN, 0);
    poll1("poll closed fd 99 events 0", 99, 0, 0);
    poll1("poll fd -5", -5, POLLIN, 0);
    {
        struct pollfd e[3] = { { 99, POLLIN, 0 }, { p[1], POLLOUT, 0 }, { -1, 0, 0 } };
        long r = C3(poll, e, 3, -1);
        line_t l = {.n = 0};
        l_s(&l, "poll closed, writable, negative: "); l_d(&l, r);
        for (int i = 0; i < 3; i++) { l_s(&l, " "); l_x(&l, (u16)e[i].revents); }
        l_end(&l);
    }
    long fd = op("/tmp/p/file", O_RDWR | O_CREAT, 0644);
    poll1("poll regular file POLLIN|POLLOUT|POLLPRI", fd, POLLIN | POLLOUT | POLLPRI, 0);
    poll1("poll regular file all events", fd, 0x7fff, -1);
    cl(fd);
    fd = op("/tmp/p", O_RDONLY | O_DIRECTORY, 0);
    poll1("poll directory all events", fd, 0x7fff, 0);
    cl(fd);
    fd = op("/dev/null", O_WRONLY, 0);
    poll1("poll /dev/null (write-only) all events", fd, 0x7fff, 0);
    cl(fd);

    out("poll(NULL, 0, 0)", C3(poll, 0, 0, 0));
    out("poll(NULL, 1, 0)", C3(poll, 0, 1, 0));
    out("poll(NULL, 1025, 0) above RLIMIT_NOFILE", C3(poll, 0, 1025, 0));
    {
        struct pollfd *many = (struct pollfd *)buf;
        for (int i = 0; i < 1024; i++) { many[i].fd = -1; many[i].events = POLLIN; many[i].revents = 7; }
        many[1000].fd = p[1]; many[1000].events = POLLOUT;
        long r = C3(poll, many, 1024, 0);
        line_t l = {.n = 0};
        l_s(&l, "poll 1024 entries: "); l_d(&l, r); l_s(&l, " "); l_x(&l, (u16)many[1000].revents);
        l_s(&l, " "); l_x(&l, (u16)many[5].revents); l_end(&l);
    }
    {
        /* the array is read, polled, then cannot be written: EFAULT */
        struct pollfd *ro = map_anon(4096, PROT_READ | PROT_WRITE);
        ro[0].fd = p[1]; ro[0].events = POLLOUT; ro[0].revents = 0;
        C3(mprotect, ro, 4096, PROT_READ);
        out("poll read-only array", C3(poll, ro, 1, 0));
        /* an array that runs into an unmapped page */
        C3(mprotect, ro, 4096, PROT_READ | PROT_WRITE);
        struct pollfd *end = (struct pollfd *)((char *)ro + 4096 - 8);
        end->fd = p[1]; end->events = POLLOUT;
        out("poll array running off its mapping", C3(poll, end, 2, 0));
        C2(munmap, ro, 4096);
    }
    /* timeouts */
    u64 t0 = now_ms();
    poll1("poll empty pipe, 60 ms", p[0], POLLIN, 60);
    outb(".. waited at least 55 ms", now_ms() - t0 >= 55);
    long pid = writer_later(p[1], 50);
    t0 = now_ms();
    poll1("poll empty pipe, -1, a child writes after 50 ms", p[0], POLLIN, -1);
    outb(".. waited at least 40 ms", now_ms() - t0 >= 40);
    reap(pid);
    C3(read, p[0], buf, 10);
    pid = writer_later(p[1], 30);
    poll1("poll empty pipe, 5000 ms, a child writes after 30 ms", p[0], POLLIN, 5000);
    reap(pid);
    C3(read, p[0], buf, 10);
    cl(p[0]); cl(p[1]);
}

static void t_select(void)
{
    int p[2];
    pipe_(p);
    u32 r = BITFD(p[0]), w = BITFD(p[1]);
    select1("select empty pipe r,w {0,0}", p[1] + 1, r, w, r | w, 0, 0);
    C3(write, p[1], "x", 1);
    select1("select pipe with data r,w {0,0}", p[1] + 1, r, w, r | w, 0, 0);
    select1("select pipe with data, n = read end", p[0], r, w, 0, 0, 0);
    select1("select pipe with data, NULL timeout", p[1] + 1, r, w, 0, -1, -1);
    select1("select n 0, nothing", 0, 0, 0, 0, 0, 0);
    out("select n -1", C5(_newselect, -1, 0, 0, 0, 0));
    select1("select closed fd 20 in r", 21, BITFD(20), 0, 0, 0, 0);
    select1("select closed fd 20 in except", 21, 0, 0, BITFD(20), 0, 0);
    select1("select closed fd 20 beyond n", 20, BITFD(20), 0, 0, 0, 0);
    {
        /* bits past Linux's table (32 descriptors while none above 31
         * was used) are not looked at */
        u32 sets[2] = { r, BITFD(40 - 32) };
        i32 tv[2] = { 0, 0 };
        long ret = C5(_newselect, 64, sets, 0, 0, tv);
        line_t l = {.n = 0};
        l_s(&l, "select n 64, closed fd 40 set: "); l_d(&l, ret); l_s(&l, " "); l_x(&l, sets[0]); l_s(&l, " "); l_x(&l, sets[1]);
        l_end(&l);
    }
    {
        /* a bad set pointer is EFAULT before a bad descriptor is EBADF */
        u32 bad = BITFD(20);
        i32 tv[2] = { 0, 0 };
        out("select bad readfds, closed fd in writefds", C5(_newselect, 21, 0x1000, &bad, 0, tv));
        out("select bad timeout pointer", C5(_newselect, 21, 0, &bad, 0, 0x1000));
        tv[1] = -1;
        out("select tv_usec -1", C5(_newselect, 1, 0, 0, 0, tv));
        tv[0] = -1; tv[1] = 0;
        out("select tv_sec -1", C5(_newselect, 1, 0, 0, 0, tv));
        tv[0] = -1; tv[1] = 1000000;
        out("select {-1, 1000000}", C5(_newselect, 1, 0, 0, 0, tv));
        u32 rs = r;
        tv[0] = 0; tv[1] = 1500000;
        long ret = C5(_newselect, p[0] + 1, &rs, 0, 0, tv);
        out("select {0, 1500000} ready at once", ret);
        outb(".. timeout written back: 1 s and > 0.4 s of usec", tv[0] == 1 && tv[1] > 400000 && tv[1] < 1000000);
        rs = r; tv[0] = 0; tv[1] = 0;
        C5(_newselect, p[0] + 1, &rs, 0, 0, tv);
        outb(".. {0, 0} stays", tv[0] == 0 && tv[1] == 0);
        i32 *ro = map_anon(4096, PROT_READ | PROT_WRITE);
        ro[0] = 5; ro[1] = 0;
        C3(mprotect, ro, 4096, PROT_READ);
        rs = r;
        out("select ready, read-only timeout", C5(_newselect, p[0] + 1, &rs, 0, 0, ro));
        C2(munmap, ro, 4096);
    }
    C3(read, p[0], buf, 10);
    {
        i32 tv[2] = { 0, 40000 };
        u32 rs = r;
        u64 t0 = now_ms();
        long ret = C5(_newselect, p[0] + 1, &rs, 0, 0, tv);
        out("select empty pipe {0, 40000}", ret);
        outb(".. waited at least 35 ms", now_ms() - t0 >= 35);
        outb(".. timeout written back as {0, 0}", tv[0] == 0 && tv[1] == 0);
        outx(".. read set", rs);
    }
    cl(p[1]);
    select1("select read end, writer gone", p[0] + 1, r, 0, r, 0, 0);
    cl(p[0]);
    pipe_(p);
    cl(p[0]);
    select1("select write end, reader gone", p[1] + 1, BITFD(p[1]), BITFD(p[1]), BITFD(p[1]), 0, 0);
    cl(p[1]);

    /* the table grows to the power of two above the highest descriptor
     * used: 64 for 40 */
    pipe_(p);
    out("dup2 to 40", C2(dup2, p[1], 40));
    {
        u32 sets[10] = { 0 };
        i32 tv[2] = { 0, 0 };
        sets[40 / 32] = BITFD(40 % 32);
        out("select n 41, fd 40 writable", C5(_newselect, 41, 0, sets, 0, tv));
        memset(sets, 0, sizeof sets);
        sets[63 / 32] = BITFD(63 % 32);
        out("select n 64, closed fd 63", C5(_newselect, 64, sets, 0, 0, tv));
        memset(sets, 0, sizeof sets);
        sets[250 / 32] = BITFD(250 % 32);
        out("select n 251, closed fd 250 past the table", C5(_newselect, 251, sets, 0, 0, tv));
        u32 big[12] = { 0 };
        big[280 / 32] = BITFD(280 % 32);
        long ret = C5(_newselect, 300, big, 0, 0, tv);
        line_t l = {.n = 0};
        l_s(&l, "select n 300, closed fd 280 past the table: "); l_d(&l, ret); l_s(&l, " "); l_x(&l, big[8]);
        l_end(&l);
    }
    cl(40); cl(p[0]); cl(p[1]);

    /* the old select: its arguments in a structure */
    pipe_(p);
    {
        u32 rs = BITFD(p[0]), ws = BITFD(p[1]);
        i32 tv[2] = { 0, 0 };
        u32 args[5] = { (u32)p[1] + 1, (u32)&rs, (u32)&ws, 0, (u32)tv };
        long ret = C1(select, args);
        line_t l = {.n = 0};
        l_s(&l, "old select(args) on a pipe: "); l_d(&l, ret); l_s(&l, " "); l_x(&l, rs); l_s(&l, " "); l_x(&l, ws); l_end(&l);
        out("old select(bad pointer)", C1(select, 0x1000));
    }
    /* pselect6 and its argument checks */
    {
        u32 rs = BITFD(p[0]), ws = BITFD(p[1]);
        i32 ts[2] = { 1, 0 };
        long ret = C6(pselect6, p[1] + 1, &rs, &ws, 0, ts, 0);
        out("pselect6 writable pipe, {1, 0}, no mask", ret);
        outb(".. timeout written back: 0 s and > 0.5e9 ns", ts[0] == 0 && ts[1] > 500000000);
        u32 mask[2] = { 0, 0 };
        u32 pack[2] = { (u32)mask, 8 };
        ts[0] = 0; ts[1] = 0;
        ws = BITFD(p[1]);
        out("pselect6 with a mask", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, pack));
        pack[1] = 4;
        out("pselect6 sigsetsize 4", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, pack));
        pack[0] = 0;
        out("pselect6 NULL mask, size 4", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, pack));
        pack[0] = 0x1000; pack[1] = 8;
        out("pselect6 mask pointer bad", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, pack));
        out("pselect6 pack pointer bad", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, 0x1000));
        ts[1] = 1000000000;
        out("pselect6 tv_nsec 1e9", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, 0));
        out("pselect6 bad pack before bad timeout", C6(pselect6, p[1] + 1, 0, &ws, 0, ts, 0x1000));
        i64 ts64[2] = { 0, 0 };
        ws = BITFD(p[1]);
        out("pselect6_time64 writable pipe", C6(pselect6_time64, p[1] + 1, 0, &ws, 0, ts64, 0));
        ts64[1] = -1;
        out("pselect6_time64 tv_nsec -1", C6(pselect6_time64, p[1] + 1, 0, &ws, 0, ts64, 0));
    }
    /* ppoll */
    {
        struct pollfd e = { p[1], POLLOUT, 0 };
        i32 ts[2] = { 2, 0 };
        out("ppoll writable pipe, {2, 0}", C5(ppoll, &e, 1, ts, 0, 8));
        outb(".. timeout written back: 1 s and > 0.5e9 ns", ts[0] == 1 && ts[1] > 500000000);
        ts[1] = -1;
        out("ppoll tv_nsec -1", C5(ppoll, &e, 1, ts, 0, 8));
        u32 mask[2] = { 0, 0 };
        ts[1] = 0;
        out("ppoll sigsetsize 7", C5(ppoll, &e, 1, ts, mask, 7));
        out("ppoll mask pointer bad", C5(ppoll, &e, 1, ts, 0x1000, 8));
        out("ppoll timeout pointer bad", C5(ppoll, &e, 1, 0x1000, mask, 7));
        out("ppoll 1025 entries, mask size 7", C5(ppoll, 0, 1025, ts, mask, 7));
        e.fd = p[0]; e.events = POLLIN;
        out("ppoll empty read end, {0, 0}", C5(ppoll, &e, 1, ts, mask, 8));
        i64 ts64[2] = { 0, 20000000 };
        out("ppoll_time64 empty read end, 20 ms", C5(ppoll_time64, &e, 1, ts64, 0, 8));
        outb(".. timeout written back as 0", ts64[0] == 0 && ts64[1] == 0);
    }
    cl(p[0]); cl(p[1]);
}

static void t_signals(void)
{
    int p[2];
    pipe_(p);
    struct pollfd e = { p[0], POLLIN, 0 };
    u32 rs;
    i32 tv[2];
    long pid;

    sigact(SIGUSR1, h_count, 0, 0, 0);
    hits = 0; pid = kill_later(SIGUSR1, 40);
    out("poll -1 interrupted by a handler", C3(poll, &e, 1, -1));
    out(".. handler ran", hits); reap(pid);
    hits = 0; pid = kill_later(SIGUSR1, 40);
    out("poll 5000 ms interrupted by a handler", C3(poll, &e, 1, 5000));
    reap(pid);
    sigact(SIGUSR1, h_count, SA_RESTART, 0, 0);
    hits = 0; pid = kill_later(SIGUSR1, 40);
    out("poll -1 interrupted, SA_RESTART", C3(poll, &e, 1, -1));
    out(".. handler ran", hits); reap(pid);
    hits = 0; pid = kill_later(SIGUSR1, 40);
    rs = BITFD(p[0]); tv[0] = 5; tv[1] = 0;
    out("select 5 s interrupted, SA_RESTART", C5(_newselect, p[0] + 1, &rs, 0, 0, tv));
    outb(".. time left written back, less than 5 s", tv[0] < 5 && tv[0] >= 3);
    outx(".. read set untouched", rs);
    reap(pid);
    hits = 0; pid = kill_later(SIGUSR1, 40);
    rs = BITFD(p[0]);
    out("select NULL timeout interrupted, SA_RESTART", C5(_newselect, p[0] + 1, &rs, 0, 0, 0));
    reap(pid);
    sigact(SIGUSR1, h_count, 0, 0, 0);

    /* a stop and a continue in the middle: no handler, so the calls go on
     * (poll through restart_syscall, with its deadline) */
    {
        long parent = sys0(__NR_getpid);
        pid = sys0(__NR_fork);
        if (pid == 0) { sleep_ms(40); C2(kill, parent, SIGSTOP); sleep_ms(20); C2(kill, parent, SIGCONT); _exit(0); }
        u64 t0 = now_ms();
        out("poll 300 ms with a stop and continue", C3(poll, &e, 1, 300));
        outb(".. waited at least 290 ms", now_ms() - t0 >= 290);
        reap(pid);
        pid = sys0(__NR_fork);
        if (pid == 0) { sleep_ms(40); C2(kill, parent, SIGSTOP); sleep_ms(20); C2(kill, parent, SIGCONT); sleep_ms(40); C3(write, p[1], "z", 1); _exit(0); }
        out("poll -1 with a stop and continue, then data", C3(poll, &e, 1, -1));
        reap(pid);
        C3(read, p[0], buf, 10);
        pid = sys0(__NR_fork);
        if (pid == 0) { sleep_ms(40); C2(kill, parent, SIGSTOP); sleep_ms(20); C2(kill, parent, SIGCONT); sleep_ms(40); C3(write, p[1], "z", 1); _exit(0); }
        rs = BITFD(p[0]);
        out("select NULL timeout with a stop and continue, then data", C5(_newselect, p[0] + 1, &rs, 0, 0, 0));
        reap(pid);
        C3(read, p[0], buf, 10);
    }

    /* ppoll's mask: SIGUSR1 blocked, ppoll lets it in, the handler sees
     * ppoll's mask, and the old mask is back afterwards */
    setmask(BIT(SIGUSR1), 0);
    {
        u32 m[2] = { BIT(SIGUSR2), 0 }, after[2];
        hits = 0; hmask[0] = hmask[1] = 0;
        pid = kill_later(SIGUSR1, 40);
        out("ppoll with SIGUSR1 unblocked, interrupted", C5(ppoll, &e, 1, 0, m, 8));
        out(".. handler ran", hits);
        outm(".. mask in the handler", hmask[0], hmask[1]);
        getmask(after);
        outm(".. mask after", after[0], after[1]);
        reap(pid);
        /* a signal ppoll's mask blocks waits; it is taken after ppoll
         * returns, with the old mask back */
        setmask(0, 0);
        m[0] = BIT(SIGUSR1);
        hits = 0;
        pid = kill_later(SIGUSR1, 20);
        i32 ts[2] = { 0, 150000000 };
        out("ppoll 150 ms blocking SIGUSR1 that arrives", C5(ppoll, &e, 1, ts, m, 8));
        out(".. handler ran after it", hits);
        reap(pid);
        /* pselect6 the same */
        setmask(BIT(SIGUSR1), 0);
        u32 pm[2] = { 0, 0 };
        u32 pack[2] = { (u32)pm, 8 };
        hits = 0;
        pid = kill_later(SIGUSR1, 40);
        rs = BITFD(p[0]);
        out("pselect6 with SIGUSR1 unblocked, interrupted", C6(pselect6, p[0] + 1, &rs, 0, 0, 0, pack));
        out(".. handler ran", hits);
        outm(".. mask in the handler", hmask[0], hmask[1]);
        getmask(after);
        outm(".. mask after", after[0], after[1]);
        reap(pid);
        setmask(0, 0);
    }
    sigact(SIGUSR1, 0, 0, 0, 0);
    cl(p[0]); cl(p[1]);
}

static void outbuf(const char *name, long r, const char *p)
{
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_d(&l, r);
    if (r > 0) { l_s(&l, " \""); for (long i = 0; i < r && i < 40; i++) { char c[2] = { p[i] ? p[i] : '0', 0 }; l_s(&l, c); } l_s(&l, "\""); }
    l_end(&l);
}
static long pos_of(long fd) { return C3(lseek, fd, 0, SEEK_CUR); }

static void t_sendfile(void)
{
    long src = op("/tmp/p/src", O_RDWR | O_CREAT | O_TRUNC, 0644);
    C3(write, src, "hello sendfile world", 20);
    C3(lseek, src, 0, SEEK_SET);
    long dst = op("/tmp/p/dst", O_RDWR | O_CREAT | O_TRUNC, 0644);
    out("sendfile64 5 bytes, no offset", C4(sendfile64, dst, src, 0, 5));
    out(".. in offset", pos_of(src));
    out(".. out offset", pos_of(dst));
    i64 off64 = 6;
    out("sendfile64 8 bytes at offset 6", C4(sendfile64, dst, src, &off64, 8));
    out(".. offset now", (long)off64);
    out(".. in offset unchanged", pos_of(src));
    i32 off = 15;
    out("sendfile 100 bytes at offset 15", C4(sendfile, dst, src, &off, 100));
    out(".. offset now", off);
    out("sendfile at the end", C4(sendfile, dst, src, &off, 100));
    outbuf(".. destination", C4(pread64, dst, buf, 100, 0), buf);
    out("sendfile count 0", C4(sendfile64, dst, src, 0, 0));
    off = 25;
    out("sendfile offset past the end", C4(sendfile, dst, src, &off, 10));
    out(".. offset", off);

    int p[2];
    pipe_(p);
    off = 0;
    out("sendfile into a pipe", C4(sendfile, p[1], src, &off, 11));
    outbuf(".. pipe holds", C3(read, p[0], buf, 100), buf);
    long nul = op("/dev/null", O_WRONLY, 0);
    off = 0;
    out("sendfile to /dev/null", C4(sendfile, nul, src, &off, 1000));

    /* errors, in Linux's order: the input first */
    long wo = op("/tmp/p/src", O_WRONLY, 0), dir = op("/tmp/p", O_RDONLY | O_DIRECTORY, 0);
    off = 0;
    out("sendfile bad in_fd", C4(sendfile, dst, 77, 0, 5));
    out("sendfile write-only in_fd", C4(sendfile, dst, wo, 0, 5));
    out("sendfile bad in_fd and bad out_fd", C4(sendfile, 78, 77, 0, 5));
    out("sendfile read-only out_fd", C4(sendfile, p[0], src, 0, 5));
    out("sendfile bad out_fd", C4(sendfile, 78, src, 0, 5));
    out("sendfile from a pipe with an offset", C4(sendfile, dst, p[0], &off, 5));
    out("sendfile from a pipe with an offset, bad out_fd", C4(sendfile, 78, p[0], &off, 5));
    C3(write, p[1], "pp", 2);
    out("sendfile from a pipe", C4(sendfile, dst, p[0], 0, 5));
    out("sendfile from a directory", C4(sendfile, dst, dir, 0, 5));
    off = -1;
    out("sendfile offset -1", C4(sendfile, dst, src, &off, 5));
    out(".. offset written back", off);
    off64 = -2;
    out("sendfile64 offset -2", C4(sendfile64, dst, src, &off64, 5));
    out("sendfile count -1", C4(sendfile, dst, src, 0, -1));
    out("sendfile offset pointer bad", C4(sendfile, dst, src, 0x1000, 5));
    long app = op("/tmp/p/dst", O_WRONLY | O_APPEND, 0);
    off = 0;
    out("sendfile to an O_APPEND file", C4(sendfile, app, src, &off, 5));
    out("sendfile to an O_APPEND file, count 0", C4(sendfile, app, src, &off, 0));
    cl(app);
    C3(read, p[0], buf, 100);
    cl(p[0]);
    sigact(SIGPIPE, (void *)1, 0, 0, 0);  /* SIG_IGN */
    off = 0;
    out("sendfile into a pipe without a reader", C4(sendfile, p[1], src, &off, 5));
    sigact(SIGPIPE, 0, 0, 0, 0);
    cl(p[1]);
    /* a pipe takes what its free pages hold */
    C2(ftruncate, src, 100000);
    C2(pipe2, p, O_NONBLOCK);
    off = 0;
    out("sendfile 100000 bytes into an empty pipe", C4(sendfile, p[1], src, &off, 100000));
    out(".. again, the pipe full (O_NONBLOCK)", C4(sendfile, p[1], src, &off, 100000));
    cl(p[0]); cl(p[1]);
    cl(wo); cl(dir); cl(nul); cl(src); cl(dst);
}

/* children for the FIFO tests */
static int fifo_writer(long ms)
{
    sleep_ms(ms);
    long fd = op("/tmp/p/fifo", O_WRONLY, 0);
    if (is_err(fd)) return 1;
    C3(write, fd, "from child", 10);
    cl(fd);
    return 0;
}
static int fifo_reader(long ms)
{
    sleep_ms(ms);
    long fd = op("/tmp/p/fifo", O_RDONLY, 0);
    if (is_err(fd)) return 1;
    long n = C3(read, fd, buf, 100);
    cl(fd);
    return n == 6 && buf[0] == 'p' ? 0 : 2;
}

static void t_fifo(void)
{
    out("mknod fifo", C3(mknod, "/tmp/p/fifo", S_IFIFO | 0644, 0));
    out("open O_WRONLY|O_NONBLOCK, no reader", op("/tmp/p/fifo", O_WRONLY | O_NONBLOCK, 0));
    out("open O_ACCMODE 3", op("/tmp/p/fifo", 3, 0));
    out("open O_ACCMODE 3|O_NONBLOCK", op("/tmp/p/fifo", 3 | O_NONBLOCK, 0));
    long r = op("/tmp/p/fifo", O_RDONLY | O_NONBLOCK, 0);
    oute("open O_RDONLY|O_NONBLOCK", r);
    C2(fstat64, r, &sb);
    outb(".. fstat S_ISFIFO", S_ISFIFO(sb.st_mode));
    out(".. fstat size", (long)sb.st_size);
    out(".. fstat nlink", sb.st_nlink);
    poll1(".. poll, no writer yet", r, POLLIN, 0);
    out(".. read, no writer yet", C3(read, r, buf, 10));
    out(".. lseek", C3(lseek, r, 0, SEEK_CUR));
    out(".. pread64", C5(pread64, r, buf, 10, 0, 0));
    out(".. write", C3(write, r, "x", 1));
    long w = op("/tmp/p/fifo", O_WRONLY | O_NONBLOCK, 0);
    oute("open O_WRONLY|O_NONBLOCK with a reader", w);
    poll1(".. writer poll", w, POLLOUT | POLLIN, 0);
    out(".. write abc", C3(write, w, "abc", 3));
    poll1(".. reader poll", r, POLLIN, 0);
    long w2 = op("/tmp/p/fifo", O_WRONLY, 0);
    oute("a second writer (blocking open, reader there)", w2);
    out(".. writes def", C3(write, w2, "def", 3));
    cl(w);
    poll1(".. reader poll, one writer left", r, POLLIN, 0);
    cl(w2);
    poll1(".. reader poll, writers gone", r, POLLIN, 0);
    outbuf(".. read", C3(read, r, buf, 100), buf);
    out(".. read again", C3(read, r, buf, 100));
    {
        u32 rs = BITFD(r);
        i32 tv[2] = { 0, 0 };
        out(".. select readable (hang-up)", C5(_newselect, r + 1, &rs, 0, 0, tv));
    }
    cl(r);

    long rw = op("/tmp/p/fifo", O_RDWR, 0);
    oute("open O_RDWR (never waits)", rw);
    poll1(".. poll", rw, POLLIN | POLLOUT, 0);
    out(".. write", C3(write, rw, "rw", 2));
    poll1(".. poll with data", rw, POLLIN | POLLOUT, 0);
    outbuf(".. read", C3(read, rw, buf, 100), buf);
    out(".. write left behind", C3(write, rw, "lost", 4));
    cl(rw);
    rw = op("/tmp/p/fifo", O_RDWR | O_NONBLOCK, 0);
    out("reopen O_RDWR|O_NONBLOCK: the data went with the last close", C3(read, rw, buf, 100));
    cl(rw);

    /* blocking opens met by a partner in another process */
    long pid = sys0(__NR_fork);
    if (pid == 0) _exit(fifo_writer(50));
    r = op("/tmp/p/fifo", O_RDONLY, 0);
    oute("open O_RDONLY waits for a writer (child after 50 ms)", r);
    outbuf(".. read", C3(read, r, buf, 100), buf);
    out(".. read at the end", C3(read, r, buf, 100));
    cl(r);
    outx(".. child status", wait_ms(pid, 5000));

    pid = sys0(__NR_fork);
    if (pid == 0) _exit(fifo_reader(50));
    w = op("/tmp/p/fifo", O_WRONLY, 0);
    oute("open O_WRONLY waits for a reader (child after 50 ms)", w);
    out(".. write", C3(write, w, "parent", 6));
    outx(".. child status", wait_ms(pid, 5000));
    sigact(SIGPIPE, (void *)1, 0, 0, 0);
    out(".. write after the reader left", C3(write, w, "x", 1));
    poll1(".. poll", w, POLLOUT, 0);
    sigact(SIGPIPE, 0, 0, 0, 0);
    cl(w);

    /* a signal in a blocked open */
    sigact(SIGUSR1, h_count, 0, 0, 0);
    hits = 0;
    pid = kill_later(SIGUSR1, 40);
    out("open O_RDONLY interrupted by a handler", op("/tmp/p/fifo", O_RDONLY, 0));
    out(".. handler ran", hits);
    reap(pid);
    sigact(SIGUSR1, h_count, SA_RESTART, 0, 0);
    hits = 0;
    pid = kill_later(SIGUSR1, 40);
    long pid2 = sys0(__NR_fork);
    if (pid2 == 0) _exit(fifo_writer(100));
    r = op("/tmp/p/fifo", O_RDONLY, 0);
    oute("open O_RDONLY interrupted, SA_RESTART, then a writer", r);
    out(".. handler ran", hits);
    outbuf(".. read", C3(read, r, buf, 100), buf);
    cl(r);
    reap(pid);
    outx(".. child status", wait_ms(pid2, 5000));
    sigact(SIGUSR1, 0, 0, 0, 0);

    /* a FIFO still works after its name is gone */
    rw = op("/tmp/p/fifo", O_RDWR, 0);
    out("unlink an open FIFO", C1(unlink, "/tmp/p/fifo"));
    out(".. write", C3(write, rw, "still", 5));
    outbuf(".. read", C3(read, rw, buf, 100), buf);
    cl(rw);
}

static void t_tmpfile(void)
{
    C1(umask, 022);
    long fd = op("/tmp/p", O_TMPFILE | O_RDWR, 0666);
    oute("open /tmp/p O_TMPFILE|O_RDWR 0666", fd);
    C2(fstat64, fd, &sb);
    outx(".. mode", sb.st_mode);
    out(".. nlink", sb.st_nlink);
    out(".. write", C3(write, fd, "tmpdata", 7));
    {
        long d = op("/tmp/p", O_RDONLY | O_DIRECTORY, 0);
        long n = C3(getdents64, d, buf, sizeof buf), count = 0;
        for (long at = 0; at < n; at += *(unsigned short *)(buf + at + 16)) count++;
        out(".. entries in /tmp/p (., .., file, src, dst)", count);
        cl(d);
    }
    out(".. linkat AT_EMPTY_PATH", C5(linkat, fd, "", AT_FDCWD, "/tmp/p/named", AT_EMPTY_PATH));
    C2(fstat64, fd, &sb);
    out(".. nlink", sb.st_nlink);
    C2(stat64, "/tmp/p/named", &sb);
    out(".. size of the name", (long)sb.st_size);
    out(".. linkat again", C5(linkat, fd, "", AT_FDCWD, "/tmp/p/named2", AT_EMPTY_PATH));
    out(".. linkat onto a taken name", C5(linkat, fd, "", AT_FDCWD, "/tmp/p/named", AT_EMPTY_PATH));
    out(".. linkat without AT_EMPTY_PATH", C5(linkat, fd, "", AT_FDCWD, "/tmp/p/named3", 0));
    cl(fd);
    C1(unlink, "/tmp/p/named"); C1(unlink, "/tmp/p/named2");

    fd = op("/tmp/p", O_TMPFILE | O_WRONLY | O_EXCL, 0600);
    oute("open O_TMPFILE|O_WRONLY|O_EXCL", fd);
    out(".. read", C3(read, fd, buf, 10));
    out(".. linkat", C5(linkat, fd, "", AT_FDCWD, "/tmp/p/excl", AT_EMPTY_PATH));
    cl(fd);
    out("open O_TMPFILE|O_RDONLY", op("/tmp/p", O_TMPFILE | O_RDONLY, 0600));
    out("open O_TMPFILE|O_CREAT|O_RDWR", op("/tmp/p", O_TMPFILE | O_CREAT | O_RDWR, 0600));
    out("open __O_TMPFILE without O_DIRECTORY", op("/tmp/p", __O_TMPFILE | O_RDWR, 0600));
    out("open O_TMPFILE on a file", op("/tmp/p/file", O_TMPFILE | O_RDWR, 0600));
    out("open O_TMPFILE on a missing directory", op("/tmp/p/nope", O_TMPFILE | O_RDWR, 0600));
    fd = op("/tmp/p/", O_TMPFILE | O_RDWR, 0600);
    oute("open O_TMPFILE on \"/tmp/p/\"", fd);
    cl(fd);
    C2(symlink, "/tmp/p", "/tmp/p/dirlink");
    fd = op("/tmp/p/dirlink", O_TMPFILE | O_RDWR, 0600);
    oute("open O_TMPFILE through a link to the directory", fd);
    cl(fd);
    out("open O_TMPFILE|O_NOFOLLOW through a link", op("/tmp/p/dirlink", O_TMPFILE | O_NOFOLLOW | O_RDWR, 0600));
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    long r = C2(mkdir, "/tmp", 01777);
    outs("mkdir /tmp (0 or EEXIST)", r == 0 || r == -EEXIST ? "ok" : "failed");
    out("mkdir /tmp/p", C2(mkdir, "/tmp/p", 0755));
    t_poll_pipes();
    t_poll_misc();
    t_select();
    t_signals();
    t_sendfile();
    t_fifo();
    t_tmpfile();
    puts1("== done\n");
    return 0;
}

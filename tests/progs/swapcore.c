/* The kernel side of swap, end to end, as process 1 (tests/scenarios/
 * swap_basic.scn: MEM=32M and a 128 MiB mkswap'd disk):
 *   swapcore        swapon (and a second one: EBUSY; bad flags: EINVAL),
 *                   96 MiB written with a pattern and verified in order and
 *                   in a random order, a system call copying from swapped
 *                   pages, the counters, /proc/swaps; munmap and a child's
 *                   exit give back every slot (sysinfo's freeswap returns
 *                   exactly); fork with 40 MiB written, each side changing
 *                   its own copy; MAP_SHARED 48 MiB written by a child and
 *                   read by the parent; swapoff, and swapon again;
 *   swapcore none   no disk: swapon is ENOENT, no swap anywhere, and the
 *                   same program runs as before within RAM. */
#include "crt.h"

#define MiB (1u << 20)

static int failed;
static void say(const char *a, long v, const char *b) { puts_(a); putnum((int)v); puts_(b); }
static void check(const char *what, long got, long want) {
    puts_(what); say(": ", got, "");
    if (got != want) { say("  WRONG, expected ", want, ""); failed = 1; }
    puts_("\n");
}
static struct sysinfo info(void) { struct sysinfo si; sys1(__NR_sysinfo, (long)&si); return si; }
static struct mg_stats stats(int pid) { struct mg_stats s; sys3(MG_NR_STATS, pid, (long)&s, sizeof s); return s; }
static char *map(unsigned len, int flags) {
    return (char *)sys6(__NR_mmap2, 0, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
}
static u32 pattern(u32 word, u32 seed) { return (word * 2654435761u) ^ seed; }

/* Writes `len` bytes of pattern, then verifies in order and in a random
 * page order (an LCG over a power-of-two page count visits every page). */
static int fill_and_verify(u32 *p, unsigned len, u32 seed) {
    unsigned words = len / 4, pages = len / 4096, bad = 0;
    for (unsigned i = 0; i < words; i++) p[i] = pattern(i, seed);
    for (unsigned i = 0; i < words; i++) bad += p[i] != pattern(i, seed);
    unsigned x = 12345;
    for (unsigned n = 0; n < pages; n++) {
        x = (x * 1103515245u + 12345u) & (pages - 1);
        for (unsigned w = x * 1024; w < x * 1024 + 1024; w += 97) bad += p[w] != pattern(w, seed);
    }
    return bad;
}

static void show(const char *path) {
    char buf[512];
    int fd = sys3(__NR_open, (long)path, O_RDONLY, 0);
    int n = fd < 0 ? 0 : sys3(__NR_read, fd, (long)buf, sizeof buf - 1);
    if (fd >= 0) sys1(__NR_close, fd);
    buf[n < 0 ? 0 : n] = 0;
    puts_(buf);
}

/* A number after `key` in /proc/meminfo (kB). */
static long meminfo(const char *key) {
    static char buf[4096];
    int fd = sys3(__NR_open, (long)"/proc/meminfo", O_RDONLY, 0);
    int n = fd < 0 ? 0 : sys3(__NR_read, fd, (long)buf, sizeof buf - 1);
    if (fd >= 0) sys1(__NR_close, fd);
    buf[n < 0 ? 0 : n] = 0;
    int k = slen(key);
    for (char *c = buf; *c; c++) {
        int i = 0;
        while (i < k && c[i] == key[i]) i++;
        if (i < k) continue;
        long v = 0;
        for (c += k; *c == ' ' || *c == ':'; c++) {}
        for (; *c >= '0' && *c <= '9'; c++) v = v * 10 + (*c - '0');
        return v;
    }
    return -1;
}

/* Every slot in use is one of this process's swap entries or a frame in
 * the swap cache (this is the only process): nothing leaked. */
static void accounted(const char *when) {
    struct sysinfo si = info();
    long used = (long)((si.totalswap - si.freeswap) / 4096);
    long own = stats(0).swapped_pages, cached = meminfo("SwapCached") / 4;
    puts_(when);
    check(": slots used - own swap entries - swap cache", used - own - cached, 0);
}

static void no_swap(void) {
    check("swapon /dev/vda", sys2(__NR_swapon, (long)"/dev/vda", 0), -ENOENT);
    check("totalswap", info().totalswap, 0);
    u32 *p = (u32 *)map(8 * MiB, MAP_PRIVATE);
    check("8 MiB pattern mismatches", fill_and_verify(p, 8 * MiB, 7), 0);
    struct mg_stats s = stats(0);
    check("major faults", s.major_faults, 0);
    check("swap-outs", s.swap_outs, 0);
    show("/proc/swaps");
}

void _start(void) {
    if (sys2(__NR_access, (long)"/dev/vda", 0) < 0) {
        no_swap();
        puts_(failed ? "swapcore: FAILED\n" : "swapcore: ok\n");
        sys_exit(failed);
    }
    check("swapon bad flags", sys2(__NR_swapon, (long)"/dev/vda", 0x80000), -EINVAL);
    check("swapon", sys2(__NR_swapon, (long)"/dev/vda", 0), 0);
    check("swapon again", sys2(__NR_swapon, (long)"/dev/vda", 0), -EBUSY);
    struct sysinfo si = info();
    unsigned long free0 = si.freeswap;
    check("SwapTotal kB", meminfo("SwapTotal"), 131068);
    check("totalswap KiB", si.totalswap / 1024, 131068);
    check("freeswap = totalswap", si.freeswap == si.totalswap, 1);

    unsigned len = 96 * MiB;
    u32 *p = (u32 *)map(len, MAP_PRIVATE);
    check("96 MiB pattern mismatches", fill_and_verify(p, len, 0x5eed), 0);
    struct mg_stats s = stats(0);
    check("swap-outs > 0", s.swap_outs > 0, 1);
    check("major faults > 0", s.major_faults > 0, 1);
    check("pages scanned >= swap-outs", s.pages_scanned >= s.swap_outs, 1);
    check("swapped pages > 0", s.swapped_pages > 0, 1);
    check("freeswap went down", info().freeswap < free0, 1);

    /* The kernel copies out of swapped pages: write() from the start of
     * the buffer (long gone to disk) into a pipe, and read it back. */
    int fds[2];
    sys1(__NR_pipe, (long)fds);
    static u32 back[1024];
    check("write from swapped pages", sys3(__NR_write, fds[1], (long)p, 4096), 4096);
    check("read back", sys3(__NR_read, fds[0], (long)back, 4096), 4096);
    unsigned bad = 0;
    for (int i = 0; i < 1024; i++) bad += back[i] != pattern(i, 0x5eed);
    check("pipe bytes mismatches", bad, 0);
    show("/proc/swaps");

    check("munmap", sys2(__NR_munmap, (long)p, len), 0);
    accounted("after munmap");

    /* A child fills 64 MiB (much of it on swap) and exits: its slots too. */
    int pid = sys_fork();
    if (pid == 0) {
        u32 *q = (u32 *)map(64 * MiB, MAP_PRIVATE);
        sys_exit(fill_and_verify(q, 64 * MiB, 99) != 0);
    }
    int status = -1;
    sys_waitpid(pid, &status, 0);
    check("child status", status, 0);
    accounted("after the child's exit");
    struct mg_stats g = stats(-1);
    check("system swap slots in use = sysinfo's", g.swapped_pages, (long)((info().totalswap - info().freeswap) / 4096));

    /* Fork with 40 MiB written (much of it on swap): each side changes
     * and checks its own copy. */
    u32 *f = (u32 *)map(40 * MiB, MAP_PRIVATE);
    check("40 MiB before fork mismatches", fill_and_verify(f, 40 * MiB, 1), 0);
    pid = sys_fork();
    if (pid == 0) sys_exit(fill_and_verify(f, 40 * MiB, 2) != 0);
    check("parent's copy mismatches", fill_and_verify(f, 40 * MiB, 3), 0);
    sys_waitpid(pid, &status, 0);
    check("child's copy status", status, 0);
    sys2(__NR_munmap, (long)f, 40 * MiB);
    /* MAP_SHARED anonymous 48 MiB: the child writes, the parent reads. */
    u32 *sh = (u32 *)map(48 * MiB, MAP_SHARED);
    pid = sys_fork();
    if (pid == 0) {
        for (unsigned i = 0; i < 12 * MiB; i++) sh[i] = pattern(i, 4);
        sys_exit(0);
    }
    sys_waitpid(pid, &status, 0);
    bad = 0;
    for (unsigned i = 0; i < 12 * MiB; i++) bad += sh[i] != pattern(i, 4);
    check("shared 48 MiB mismatches", bad, 0);
    sys2(__NR_munmap, (long)sh, 48 * MiB);
    accounted("after fork and shared memory");

    check("swapoff", sys1(__NR_swapoff, (long)"/dev/vda"), 0);
    check("swapoff again", sys1(__NR_swapoff, (long)"/dev/vda"), -EINVAL);
    check("totalswap after swapoff", info().totalswap, 0);
    show("/proc/swaps");
    check("swapon after swapoff", sys2(__NR_swapon, (long)"/dev/vda", 0), 0);
    check("every slot free again", info().freeswap == free0, 1);
    puts_(failed ? "swapcore: FAILED\n" : "swapcore: ok\n");
    sys_exit(failed);
}

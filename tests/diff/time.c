/* time.c: clock_gettime(64) for every clock id, gettimeofday, time,
 * nanosleep argument checks, and consistency between the clocks. */
#include "t.h"

static i64 ns_of(i32 *ts) { return (i64)ts[0] * 1000000000LL + ts[1]; }

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    line_t l = {.n = 0};
    long ids[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16, 100, -1, -2, -3, -6, -8, -14, 0x7fffffff, (long)0x80000000 };
    for (unsigned i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        i32 ts[2] = { -1, -1 };
        u32 ts64[4] = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };
        long r = sys2(__NR_clock_gettime, ids[i], (long)ts);
        long r64 = sys2(__NR_clock_gettime64, ids[i], (long)ts64);
        long rr = sys2(__NR_clock_getres, ids[i], (long)ts);
        l_s(&l, "clock "); l_d(&l, ids[i]); l_s(&l, ": gettime="); l_d(&l, r);
        if (r == 0) l_s(&l, (u32)ts[1] < 1000000000u && ts[0] >= 0 ? " (valid)" : " (BAD TIMESPEC)");
        l_s(&l, " gettime64="); l_d(&l, r64);
        if (r64 == 0) l_s(&l, ts64[2] < 1000000000u && ts64[3] == 0 && ts64[1] == 0 ? " (valid)" : " (BAD TIMESPEC64)");
        l_s(&l, " getres="); l_d(&l, rr);
        l_end(&l);
    }
    out("clock_gettime(REALTIME, NULL)", sys2(__NR_clock_gettime, CLOCK_REALTIME, 0));
    out("clock_gettime(MONOTONIC, 0xC0000000)", sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)0xC0000000));
    out("clock_gettime(MONOTONIC, unmapped 0x1000)", sys2(__NR_clock_gettime, CLOCK_MONOTONIC, 0x1000));
    out("clock_gettime(99, NULL) [EINVAL before EFAULT?]", sys2(__NR_clock_gettime, 99, 0));
    out("clock_gettime64(MONOTONIC, NULL)", sys2(__NR_clock_gettime64, CLOCK_MONOTONIC, 0));
    out("clock_gettime(MONOTONIC, read-only page)", sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)map_anon(4096, PROT_READ)));
    {
        i32 rt[2], mono[2], mono2[2], boot[2], coarse[2], raw[2], cpu[2], tai[2], tv[2] = { -1, -1 }, tz[2] = { -1, -1 };
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)mono);
        sys2(__NR_clock_gettime, CLOCK_REALTIME, (long)rt);
        out("gettimeofday(tv, tz)", sys2(__NR_gettimeofday, (long)tv, (long)tz));
        long t = sys1(__NR_time, 0);
        sys2(__NR_clock_gettime, CLOCK_BOOTTIME, (long)boot);
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC_COARSE, (long)coarse);
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC_RAW, (long)raw);
        sys2(__NR_clock_gettime, CLOCK_PROCESS_CPUTIME_ID, (long)cpu);
        sys2(__NR_clock_gettime, CLOCK_TAI, (long)tai);
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)mono2);
        outb("realtime after 2020", rt[0] > 1577836800);
        outb("gettimeofday usec < 1e6", (u32)tv[1] < 1000000u);
        outb("gettimeofday within 1 s of REALTIME", tv[0] - rt[0] <= 1 && tv[0] >= rt[0]);
        outx("gettimeofday tz words", (u32)tz[0] | (u32)tz[1]);
        outb("time() within 1 s of REALTIME", t - rt[0] <= 1 && t >= rt[0]);
        outb("MONOTONIC non-decreasing", ns_of(mono2) >= ns_of(mono));
        outb("MONOTONIC below 1000 s (fresh boot)", mono[0] < 1000);
        outb("BOOTTIME >= MONOTONIC", ns_of(boot) >= ns_of(mono));
        outb("MONOTONIC_COARSE within 20 ms below MONOTONIC", ns_of(coarse) <= ns_of(mono2) && ns_of(mono2) - ns_of(coarse) < 20000000);
        outb("MONOTONIC_RAW within 1 s of MONOTONIC", ns_of(raw) - ns_of(mono) < 1000000000LL && ns_of(mono) - ns_of(raw) < 1000000000LL);
        outb("PROCESS_CPUTIME below MONOTONIC", ns_of(cpu) <= ns_of(mono2));
        outb("PROCESS_CPUTIME > 0", ns_of(cpu) > 0);
        outb("TAI within 1 s above REALTIME (offset 0)", tai[0] - rt[0] <= 1 && tai[0] >= rt[0]);
    }
    out("gettimeofday(NULL, NULL)", sys2(__NR_gettimeofday, 0, 0));
    out("gettimeofday(0xC0000000, NULL)", sys2(__NR_gettimeofday, (long)0xC0000000, 0));
    out("gettimeofday(NULL, 0xC0000000)", sys2(__NR_gettimeofday, 0, (long)0xC0000000));
    outb("time(NULL) > 0", sys1(__NR_time, 0) > 0);
    {
        i32 t = 0;
        long r = sys1(__NR_time, (long)&t);
        outb("time(&t) == t", r == t);
    }
    out("time(0xC0000000)", sys1(__NR_time, (long)0xC0000000));
    out("time(unmapped 0x1000)", sys1(__NR_time, 0x1000));
    /* nanosleep */
    {
        i32 req[2], rem[2];
        req[0] = 0; req[1] = 0;
        out("nanosleep {0,0}", sys2(__NR_nanosleep, (long)req, 0));
        req[0] = -1; req[1] = 0;
        out("nanosleep {-1,0}", sys2(__NR_nanosleep, (long)req, 0));
        req[0] = 0; req[1] = 1000000000;
        out("nanosleep {0,1e9}", sys2(__NR_nanosleep, (long)req, 0));
        req[0] = 0; req[1] = -1;
        out("nanosleep {0,-1}", sys2(__NR_nanosleep, (long)req, 0));
        req[0] = 0x7fffffff; req[1] = 1000000000;
        out("nanosleep {INT_MAX,1e9}", sys2(__NR_nanosleep, (long)req, 0));
        out("nanosleep NULL", sys2(__NR_nanosleep, 0, 0));
        out("nanosleep 0xC0000000", sys2(__NR_nanosleep, (long)0xC0000000, 0));
        req[0] = 0; req[1] = 1000;
        out("nanosleep {0,1000} rem=0xC0000000", sys2(__NR_nanosleep, (long)req, (long)0xC0000000));
        i32 a[2], b[2];
        req[0] = 0; req[1] = 30000000;
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)a);
        long r = sys2(__NR_nanosleep, (long)req, (long)rem);
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)b);
        out("nanosleep 30 ms", r);
        outb(".. slept at least 30 ms", ns_of(b) - ns_of(a) >= 30000000);
        outb(".. and less than 500 ms", ns_of(b) - ns_of(a) < 500000000);
        req[0] = 1; req[1] = 0;
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)a);
        sys2(__NR_nanosleep, (long)req, 0);
        sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)b);
        outb("nanosleep 1 s slept 1..1.5 s", ns_of(b) - ns_of(a) >= 1000000000LL && ns_of(b) - ns_of(a) < 1500000000LL);
        /* clock_nanosleep(MONOTONIC, 0, {0, 1000}, NULL) */
        req[0] = 0; req[1] = 1000;
        out("clock_nanosleep(MONOTONIC, rel 1us)", sys4(__NR_clock_nanosleep, CLOCK_MONOTONIC, 0, (long)req, 0));
        u32 req64[4] = { 0, 0, 1000, 0 };
        out("clock_nanosleep64(MONOTONIC, rel 1us)", sys4(__NR_clock_nanosleep_time64, CLOCK_MONOTONIC, 0, (long)req64, 0));
        /* the child sleeping in nanosleep is killed: status */
        long pid = sys0(__NR_fork);
        if (pid == 0) { req[0] = 10; req[1] = 0; sys2(__NR_nanosleep, (long)req, (long)rem); _exit(1); }
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGKILL);
        i32 st = 0;
        sys3(__NR_waitpid, pid, (long)&st, 0);
        outx("SIGKILL during nanosleep: status", (u32)st);
    }
    /* times(), getrusage() */
    {
        u32 tms[4];
        long r = sys1(__NR_times, (long)tms);
        oute("times", r);
        u32 ru[18];
        out("getrusage(SELF)", sys2(__NR_getrusage, RUSAGE_SELF, (long)ru));
    }
    return 0;
}

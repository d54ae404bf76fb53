/* rlimit.c: getrlimit/ugetrlimit/setrlimit/prlimit64 — every resource's
 * starting limits, raising and lowering them, the argument checks, and the
 * limits that act: RLIMIT_NOFILE on descriptors, inheritance by fork. */
#include "t.h"

struct rl32 { u32 cur, max; };
struct rl64 { u64 cur, max; };

static void show64(const char *label, long r, struct rl64 *v)
{
    line_t l = {.n = 0};
    l_s(&l, label); l_s(&l, ": "); l_d(&l, r);
    if (r == 0) {
        l_s(&l, " cur="); if (v->cur == ~0ULL) l_s(&l, "inf"); else { l_x(&l, (u32)(v->cur >> 32)); l_s(&l, ":"); l_x(&l, (u32)v->cur); }
        l_s(&l, " max="); if (v->max == ~0ULL) l_s(&l, "inf"); else { l_x(&l, (u32)(v->max >> 32)); l_s(&l, ":"); l_x(&l, (u32)v->max); }
    }
    l_end(&l);
}

static void show32(const char *label, long r, struct rl32 *v)
{
    line_t l = {.n = 0};
    l_s(&l, label); l_s(&l, ": "); l_d(&l, r);
    if (r == 0) { l_s(&l, " cur="); l_x(&l, v->cur); l_s(&l, " max="); l_x(&l, v->max); }
    l_end(&l);
}

static int child_sees_lowered(long unused)
{
    (void)unused;
    struct rl64 v;
    long r = sys4(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, (long)&v);
    return r == 0 && v.cur == 64 ? 0 : 1;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    for (int res = 0; res < 17; res++) {
        struct rl64 v = { 1, 1 };
        line_t l = {.n = 0};
        l_s(&l, "prlimit64(0, "); l_d(&l, res); l_s(&l, ")");
        l.b[l.n] = 0;
        show64(l.b, sys4(__NR_prlimit64, 0, res, 0, (long)&v), &v);
    }
    struct rl32 o;
    show32("ugetrlimit(NOFILE)", sys2(__NR_ugetrlimit, RLIMIT_NOFILE, (long)&o), &o);
    show32("ugetrlimit(STACK)", sys2(__NR_ugetrlimit, RLIMIT_STACK, (long)&o), &o);
    show32("ugetrlimit(AS)", sys2(__NR_ugetrlimit, RLIMIT_AS, (long)&o), &o);
    show32("getrlimit (76) (AS)", sys2(__NR_getrlimit, RLIMIT_AS, (long)&o), &o);
    show32("getrlimit (76) (STACK)", sys2(__NR_getrlimit, RLIMIT_STACK, (long)&o), &o);
    out("ugetrlimit(16)", sys2(__NR_ugetrlimit, 16, (long)&o));
    out("ugetrlimit(NOFILE, NULL)", sys2(__NR_ugetrlimit, RLIMIT_NOFILE, 0));
    out("prlimit64(0, NOFILE, NULL, NULL)", sys4(__NR_prlimit64, 0, RLIMIT_NOFILE, 0, 0));
    out("prlimit64(99999, NOFILE, NULL, &old)", sys4(__NR_prlimit64, 99999, RLIMIT_NOFILE, 0, (long)&o));
    out("prlimit64(-1, NOFILE, NULL, &old)", sys4(__NR_prlimit64, -1, RLIMIT_NOFILE, 0, (long)&o));
    out("prlimit64(0, 16, NULL, &old)", sys4(__NR_prlimit64, 0, 16, 0, (long)&o));

    struct rl64 bad = { 100, 50 };
    out("prlimit64(set cur > max)", sys4(__NR_prlimit64, 0, RLIMIT_NOFILE, (long)&bad, 0));
    struct rl64 huge = { 2000000, 2000000 };
    out("prlimit64(NOFILE above nr_open)", sys4(__NR_prlimit64, 0, RLIMIT_NOFILE, (long)&huge, 0));
    out("prlimit64(set from kernel address)", sys4(__NR_prlimit64, 0, RLIMIT_NOFILE, (long)0xc0000000, 0));
    out("prlimit64(99999, set from kernel address)", sys4(__NR_prlimit64, 99999, RLIMIT_NOFILE, (long)0xc0000000, 0));
    struct rl32 s32 = { 64, 4096 };
    out("setrlimit(NOFILE, 64/4096)", sys2(__NR_setrlimit, RLIMIT_NOFILE, (long)&s32));
    show32("ugetrlimit(NOFILE) after", sys2(__NR_ugetrlimit, RLIMIT_NOFILE, (long)&o), &o);
    out("dup2(0, 63)", sys2(__NR_dup2, 0, 63));
    out("dup2(0, 64) past the limit", sys2(__NR_dup2, 0, 64));
    out("fcntl(0, F_DUPFD, 64)", sys3(__NR_fcntl64, 0, F_DUPFD, 64));
    int opened = 0;
    long fd;
    while ((fd = sys2(__NR_open, (long)"/prog", O_RDONLY)) >= 0) opened++;
    out("opening /prog until it fails", fd);
    outb(".. stopped below 64", opened > 0 && opened < 64);
    for (int i = 3; i < 64; i++) sys1(__NR_close, i);
    outx("child sees the lowered limit (status)", (u32)run_child(child_sees_lowered, 0));
    struct rl64 stack = { 1 << 20, ~0ULL }, old = { 0, 0 };
    out("prlimit64(STACK 1 MiB, &old)", sys4(__NR_prlimit64, 0, RLIMIT_STACK, (long)&stack, (long)&old));
    show64(".. old", 0, &old);
    struct rl32 inf = { 0xffffffffu, 0xffffffffu };
    out("setrlimit(AS, infinity)", sys2(__NR_setrlimit, RLIMIT_AS, (long)&inf));
    struct rl64 back;
    show64("prlimit64(AS) after setrlimit infinity", sys4(__NR_prlimit64, 0, RLIMIT_AS, 0, (long)&back), &back);
    out("setrlimit(16)", sys2(__NR_setrlimit, 16, (long)&inf));
    out("setrlimit(NOFILE, NULL)", sys2(__NR_setrlimit, RLIMIT_NOFILE, 0));
    puts1("--- end\n");
    return 0;
}

/* startup.c: calls C libraries make at start-up besides TLS: prctl's
 * task name, sched_getaffinity, madvise(MADV_DONTNEED) on anonymous and
 * shared memory, with their argument checks. */
#include "t.h"

#define PR_SET_NAME 15
#define PR_GET_NAME 16
#define MADV_NORMAL 0
#define MADV_DONTNEED 4

static char name[32];

static void show_name(const char *label)
{
    memset(name, '#', sizeof name);
    long r = sys2(__NR_prctl, PR_GET_NAME, (long)name);
    line_t l = {.n = 0};
    l_s(&l, label); l_s(&l, ": "); l_d(&l, r); l_s(&l, " \"");
    for (int i = 0; i < 16 && name[i]; i++) { char c[2] = { name[i], 0 }; l_s(&l, c); }
    l_s(&l, "\" byte15="); l_u(&l, (unsigned char)name[15]); l_s(&l, " byte16="); l_u(&l, (unsigned char)name[16]);
    l_end(&l);
}

static int child_name(long unused)
{
    (void)unused;
    show_name("child's PR_GET_NAME after fork");
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    out("prctl(PR_SET_NAME, \"short\")", sys2(__NR_prctl, PR_SET_NAME, (long)"short"));
    show_name("PR_GET_NAME");
    out("prctl(PR_SET_NAME, 20 chars)", sys2(__NR_prctl, PR_SET_NAME, (long)"abcdefghijklmnopqrst"));
    show_name("PR_GET_NAME (cut to 15)");
    run_child(child_name, 0);
    out("prctl(PR_SET_NAME, NULL)", sys2(__NR_prctl, PR_SET_NAME, 0));
    out("prctl(PR_GET_NAME, NULL)", sys2(__NR_prctl, PR_GET_NAME, 0));
    out("prctl(PR_GET_NAME, kernel address)", sys2(__NR_prctl, PR_GET_NAME, (long)0xc0000000));
    out("prctl(9999)", sys2(__NR_prctl, 9999, 0));
    out("prctl(PR_SET_NAME, \"startup\")", sys2(__NR_prctl, PR_SET_NAME, (long)"startup"));

    u32 mask[4] = { 0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef };
    out("sched_getaffinity(0, 4, mask)", sys3(__NR_sched_getaffinity, 0, 4, (long)mask));
    outx(".. mask[0]", mask[0]);
    outx(".. mask[1] untouched", mask[1]);
    out("sched_getaffinity(0, 16, mask)", sys3(__NR_sched_getaffinity, 0, 16, (long)mask));
    out("sched_getaffinity(0, 3, mask)", sys3(__NR_sched_getaffinity, 0, 3, (long)mask));
    out("sched_getaffinity(0, 0, mask)", sys3(__NR_sched_getaffinity, 0, 0, (long)mask));
    out("sched_getaffinity(0, 4, NULL)", sys3(__NR_sched_getaffinity, 0, 4, 0));
    out("sched_getaffinity(self, 4, mask)", sys3(__NR_sched_getaffinity, sys0(__NR_getpid), 4, (long)mask));
    out("sched_getaffinity(99999, 4, mask)", sys3(__NR_sched_getaffinity, 99999, 4, (long)mask));
    out("sched_getaffinity(-1, 4, mask)", sys3(__NR_sched_getaffinity, -1, 4, (long)mask));

    volatile char *p = map_anon(4 * 4096, PROT_READ | PROT_WRITE);
    for (int i = 0; i < 4; i++) p[i * 4096] = 7;
    out("madvise(anon, 2 pages, MADV_DONTNEED)", sys3(__NR_madvise, (long)p, 2 * 4096, MADV_DONTNEED));
    out(".. page 0 reads", p[0]);
    out(".. page 1 reads", p[4096]);
    out(".. page 2 kept", p[2 * 4096]);
    out(".. page 0 writable again", (p[0] = 9, p[0]));
    volatile u32 *sh = shared_page();
    sh[0] = 5;
    out("madvise(shared, MADV_DONTNEED)", sys3(__NR_madvise, (long)sh, 4096, MADV_DONTNEED));
    out(".. shared page keeps its data", (long)sh[0]);
    out("madvise(unaligned)", sys3(__NR_madvise, (long)p + 1, 4096, MADV_DONTNEED));
    out("madvise(len 0)", sys3(__NR_madvise, (long)p, 0, MADV_DONTNEED));
    out("madvise(unmapped)", sys3(__NR_madvise, 0x1000, 4096, MADV_DONTNEED));
    /* A hole made here: past the last page there may be Linux's vDSO. */
    sys2(__NR_munmap, (long)p + 3 * 4096, 4096);
    out("madvise(over a hole)", sys3(__NR_madvise, (long)p + 2 * 4096, 2 * 4096, MADV_DONTNEED));
    out(".. page 2 dropped all the same", p[2 * 4096]);
    out("madvise(kernel address)", sys3(__NR_madvise, (long)0xc0000000, 4096, MADV_DONTNEED));
    out("madvise(MADV_NORMAL)", sys3(__NR_madvise, (long)p, 4096, MADV_NORMAL));
    out("madvise(advice 9999)", sys3(__NR_madvise, (long)p, 4096, 9999));
    out("madvise(wrapping length)", sys3(__NR_madvise, (long)p, (long)0xfffff000, MADV_DONTNEED));
    puts1("--- end\n");
    return 0;
}

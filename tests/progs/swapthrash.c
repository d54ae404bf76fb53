/* swapthrash: two processes that together need more than RAM, each more
 * than half of it (20 MiB each at MEM=32M), run at the same time: three
 * rounds each of writing a new pattern over all its pages and checking
 * them (in address order, then in a pseudo-random order), so each evicts
 * the other's pages and faults them back. Both must finish with the right
 * words, and every slot comes back. Run with swap: 128M. */
#include "swaplib.h"

#define LEN (20 * MiB)
#define ROUNDS 3

static void worker(u32 id) {
    char *p = map_anon(LEN, MAP_PRIVATE);
    u32 bad = 0, n = LEN / PAGE, step = perm_step(n), a;
    for (u32 r = 1; r <= ROUNDS; r++) {
        u32 round = id * 16 + r;
        fill_range(p, LEN, round);
        bad += check_range(p, LEN, round);
        for (u32 i = 0; i < n; i++) {
            char *pg = p + perm((i + r * 97) % n, n, step) * PAGE;
            if ((a = check_page(pg, round)) != 0) bad = report_bad(bad, a, round);
        }
    }
    struct rusage ru;
    sys2(__NR_getrusage, RUSAGE_SELF, (long)&ru);
    head("worker "); putu(id); puts_(ru.ru_majflt > 0 ? ": had major faults\n" : ": no major faults\n");
    sys_exit(bad == 0 && ru.ru_majflt > 0 ? 0 : 1);
}

void _start(void) {
    NAME = "swapthrash";
    swap_setup();
    int areas;
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    say_u("RAM ", totalram_kb() / 1024, " MiB");
    say_u("two workers of ", LEN / MiB, " MiB each");
    int a = sys_fork();
    if (a == 0) worker(1);
    int b = sys_fork();
    if (b == 0) worker(2);
    if (a < 0 || b < 0) die("fork", a < 0 ? a : b);
    int sa = wait_for(a), sb = wait_for(b);
    check("worker 1 finished with the right words", sa == 0);
    check("worker 2 finished with the right words", sb == 0);
    slots_back("every slot returns", used0, free0);
    finish();
}

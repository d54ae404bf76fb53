/* swapseq: more memory than RAM, written and read back. 96 MiB (three
 * times MEM=32M) of address-derived words are written page by page, then
 * checked in address order and again in a pseudo-random page order, so
 * pages go out to swap and come back both in runs and one at a time.
 * Checks: every word right in both passes, swap in use while the data
 * lives (/proc/swaps Used > 0), major faults counted (getrusage
 * ru_majflt > 0), and every slot free again after munmap. Run with
 * swap: 128M (it calls swapon on /dev/vda itself). */
#include "swaplib.h"

#define LEN (96 * MiB)

void _start(void) {
    NAME = "swapseq";
    swap_setup();
    int areas;
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    show_counters("start");
    say_u("RAM ", totalram_kb() / 1024, " MiB");
    say_u("swap ", totalswap_kb() / 1024, " MiB");
    say_u("writing ", LEN / MiB, " MiB");
    char *p = map_anon(LEN, MAP_PRIVATE);
    fill_range(p, LEN, 1);
    u32 used = swaps_used_kb(&areas);
    check("swap in use after writing", used > used0);
    u32 bad = check_range(p, LEN, 1);
    check("sequential read back", bad == 0);
    u32 n = LEN / PAGE, step = perm_step(n), a;
    bad = 0;
    for (u32 i = 0; i < n; i++) {
        char *pg = p + perm(i, n, step) * PAGE;
        if ((a = check_page(pg, 1)) != 0) bad = report_bad(bad, a, 1);
    }
    check("pseudo-random order read back", bad == 0);
    struct rusage ru;
    sys2(__NR_getrusage, RUSAGE_SELF, (long)&ru);
    check("major faults counted (ru_majflt > 0)", ru.ru_majflt > 0);
    show_counters("before munmap");
    sys2(__NR_munmap, (long)p, LEN);
    show_counters("after munmap");
    slots_back("munmap returns every slot", used0, free0);
    finish();
}

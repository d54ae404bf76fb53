/* swapunmap: swap slots come back when their pages go away. 48 MiB (more
 * than MEM=32M) are written, so much of it is in swap; then munmap of a
 * 16 MiB hole in the middle, of the start and of the end, one after the
 * other; the swap in use must fall with each and end where it started,
 * both in /proc/swaps' "Used" column and in sysinfo's freeswap. Then a
 * child writes 48 MiB and exits without unmapping: its exit must return
 * every slot too. Run with swap: 128M. */
#include "swaplib.h"

#define LEN (48 * MiB)

static void child_fills(void) {
    char *p = map_anon(LEN, MAP_PRIVATE);
    fill_range(p, LEN, 7);
    int areas;
    /* Exit 0 only if the data reached swap: the parent checks that. */
    sys_exit(swaps_used_kb(&areas) > 0 && check_range(p, MiB, 7) == 0 ? 0 : 1);
}

void _start(void) {
    NAME = "swapunmap";
    swap_setup();
    int areas;
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    show_counters("start");
    char *p = map_anon(LEN, MAP_PRIVATE);
    fill_range(p, LEN, 1);
    u32 u1 = swaps_used_kb(&areas);
    show_counters("48 MiB written");
    check("swap in use", u1 > used0);
    check("the data reads back right", check_range(p, LEN, 1) == 0);
    u32 u2 = swaps_used_kb(&areas);
    sys2(__NR_munmap, (long)(p + 16 * MiB), 16 * MiB);
    u32 u3 = swaps_used_kb(&areas);
    show_counters("middle 16 MiB unmapped");
    check("munmap of the middle frees slots", u3 < u2 || u2 == used0);
    check("the start and the end still read back right",
          check_range(p, 16 * MiB, 1) == 0 && check_range(p + 32 * MiB, 16 * MiB, 1) == 0);
    sys2(__NR_munmap, (long)p, 16 * MiB);
    sys2(__NR_munmap, (long)(p + 32 * MiB), 16 * MiB);
    show_counters("all unmapped");
    slots_back("munmap returns every slot", used0, free0);

    int pid = sys_fork();
    if (pid < 0) die("fork", pid);
    if (pid == 0) child_fills();
    check("a child wrote 48 MiB, reached swap and exited 0", wait_for(pid) == 0);
    show_counters("child reaped");
    slots_back("exit returns every slot", used0, free0);
    finish();
}

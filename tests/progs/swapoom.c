/* swapoom: out of memory with swap full too. A "small" child writes
 * 8 MiB and waits; a "big" child then writes page after page of a
 * 512 MiB mapping until RAM and swap are both full. The OOM killer must
 * kill the big one (it holds the most, in RAM and in swap): waitpid shows
 * SIGKILL. The small child then checks its 8 MiB (some of it back from
 * swap) and exits 0, and every swap slot comes back. This program, the
 * parent, holds almost nothing; it watches /proc/swaps meanwhile (and
 * counts, as swap in use at the kill, what the big child held beyond the
 * RAM free when it started: a look may miss the last burst), and the swap must have been at
 * least 90% full before the kill. Run with swap: 128M. */
#include "swaplib.h"

#define SMALL (8 * MiB)
#define BIG (512 * MiB)

static void small(int ready, int go) {
    char *p = map_anon(SMALL, MAP_PRIVATE);
    char c = 0;
    fill_range(p, SMALL, 1);
    sys3(__NR_write, ready, (long)&c, 1);
    sys3(__NR_read, go, (long)&c, 1);
    sys_exit(check_range(p, SMALL, 1) == 0 ? 0 : 1);
}

/* The pages the big child has written so far, in a page it shares with
 * the parent: at the kill, what it held. */
static volatile u32 *written;

static void big(void) {
    char *p = map_anon(BIG, MAP_PRIVATE | MAP_NORESERVE);
    for (u32 o = 0; o < BIG; o += PAGE) {
        p[o] = 1;
        *written = o / PAGE + 1;
    }
    sys_exit(3);   /* only if 512 MiB fitted: the parent reports it */
}

void _start(void) {
    NAME = "swapoom";
    swap_setup();
    int areas, ready[2], go[2];
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    say_u("RAM ", totalram_kb() / 1024, " MiB");
    say_u("swap ", totalswap_kb() / 1024, " MiB");
    sys1(__NR_pipe, (long)ready);
    sys1(__NR_pipe, (long)go);
    char c;
    int s = sys_fork();
    if (s == 0) small(ready[1], go[0]);
    if (s < 0) die("fork", s);
    sys3(__NR_read, ready[0], (long)&c, 1);
    written = (volatile u32 *)map_anon(PAGE, MAP_SHARED);
    *written = 0;
    u32 ram = (u32)proc_field("/proc/meminfo", "MemFree:");
    int b = sys_fork();
    if (b == 0) big();
    if (b < 0) die("fork", b);
    /* Watch the swap fill while the big child runs. */
    int sb = 0;
    u32 peak = 0, total = totalswap_kb();
    while (sys4(__NR_wait4, b, (long)&sb, WNOHANG, 0) == 0) {
        u32 used = swaps_used_kb(&areas);
        if (used > peak) peak = used;
        sleep_ms(2);
    }
    /* The last burst may fill the swap between two looks; what the child
     * held beyond the RAM that was free when it started was on swap at
     * the kill, at the least. */
    u32 held = *written * (PAGE / KiB);
    if (held > ram && held - ram > peak) peak = held - ram;
    say_u("swap in use at the peak: ", peak / 1024, " MiB");
    check("swap filled (90% or more in use before the kill)", peak >= total / 10 * 9);
    head("big child status "); putnum(sb); puts_("\n");
    check("the big child was killed by SIGKILL", (sb & 0x7f) == SIGKILL);
    sys3(__NR_write, go[1], (long)&c, 1);
    check("the small child finished with the right words", wait_for(s) == 0);
    slots_back("every slot returns", used0, free0);
    finish();
}

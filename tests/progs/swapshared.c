/* swapshared: shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) through
 * swap. A child writes all 48 MiB (one and a half times MEM=32M) and
 * exits; the parent checks every word, so pages the child pushed out come
 * back from swap into the parent. Then the parent writes a new pattern
 * over every other page and a second child checks all of it: the
 * parent's writes are visible, the rest are the first child's. Two more
 * reading passes by the parent: in the second, every page comes back from
 * swap unwritten and goes out again with no write (memguard keeps a shared
 * page read back paired with its slot; mg_stats' swap_outs counts writes;
 * Linux frees a shmem page's slot when it is read back, so there the check
 * is skipped). munmap of the last mapping returns every slot. Run with
 * swap: 128M. */
#include "swaplib.h"

#define LEN (48 * MiB)
#define NPAGES (LEN / PAGE)

static u32 verify(const char *p, u32 odd_round) {
    u32 bad = 0, a;
    for (u32 i = 0; i < NPAGES; i++) {
        u32 r = i % 2 ? odd_round : 1;
        if ((a = check_page(p + i * PAGE, r)) != 0) bad = report_bad(bad, a, r);
    }
    return bad;
}

/* mg_stats' system-wide swap_outs and swap_ins; 0 (and *ok clear) on a
 * kernel without mg_stats. */
static struct mg_stats st_;
static int system_stats(void) { return !is_err(sys3(MG_NR_STATS, -1, (long)&st_, sizeof st_)); }

/* Reads everything three times: the first two passes write out what the
 * parent left dirty (a dirty page the clock did not reach in the first
 * goes out in the second); in the third every page out is one read back
 * clean. */
static void clean_pass(const char *p) {
    check("first reading pass", verify(p, 2) == 0);
    check("second reading pass", verify(p, 2) == 0);
    int have = system_stats();
    u32 outs0 = st_.swap_outs, ins0 = st_.swap_ins;
    check("third reading pass", verify(p, 2) == 0);
    if (!have || !system_stats()) {
        say("no mg_stats: the clean pass's writes are not counted here");
        return;
    }
    u32 outs = st_.swap_outs - outs0, ins = st_.swap_ins - ins0;
    say_u("third pass: pages read back ", ins, "");
    say_u("third pass: pages written ", outs, "");
    /* A handful of the program's own stack and data pages may go out
     * dirty; the object's pages none. */
    check("clean shared pages leave without a write", ins > NPAGES / 4 && outs < NPAGES / 100);
}

void _start(void) {
    NAME = "swapshared";
    swap_setup();
    int areas;
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    char *p = map_anon(LEN, MAP_SHARED);
    int pid = sys_fork();
    if (pid < 0) die("fork", pid);
    if (pid == 0) {
        fill_range(p, LEN, 1);
        sys_exit(0);
    }
    check("writer child exited 0", wait_for(pid) == 0);
    u32 used = swaps_used_kb(&areas);
    say_u("in swap after the child's writes: ", used / 1024, " MiB");
    check("swap in use", used > used0);
    check("parent reads the child's words", verify(p, 1) == 0);
    for (u32 i = 1; i < NPAGES; i += 2) fill_page(p + i * PAGE, 2);
    pid = sys_fork();
    if (pid < 0) die("fork", pid);
    if (pid == 0) {
        NAME = "swapshared child";
        check("second child reads the parent's words", verify(p, 2) == 0);
        sys_exit(failed ? 1 : 0);
    }
    check("reader child exited 0", wait_for(pid) == 0);
    clean_pass(p);
    sys2(__NR_munmap, (long)p, LEN);
    slots_back("munmap returns every slot", used0, free0);
    finish();
}

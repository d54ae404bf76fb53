/* swapfork: fork with much of the memory in swap. The parent writes
 * 64 MiB (twice MEM=32M, so about 40 MiB of it is in swap) and forks.
 * Then each process writes a new pattern over its own quarter of the
 * pages (the child pages 0 mod 4, the parent pages 2 mod 4), they wait for
 * each other through pipes, and each checks all 64 MiB: its own quarter
 * has its own new words, the other's quarter still has the old ones (its
 * copy, not the other's changes), the untouched half the old ones.
 * Afterwards the child's exit and the parent's munmap return every slot.
 * Run with swap: 128M. */
#include "swaplib.h"

#define LEN (64 * MiB)
#define NPAGES (LEN / PAGE)

/* The round a page should hold in the process that wrote round `mine`
 * over pages `own` mod 4. */
static u32 want(u32 page, u32 own, u32 mine) { return page % 4 == own ? mine : 1; }

static u32 modify(char *p, u32 own, u32 r) {
    for (u32 i = own; i < NPAGES; i += 4) fill_page(p + i * PAGE, r);
    return 0;
}

static u32 verify(char *p, u32 own, u32 r) {
    u32 bad = 0, a;
    for (u32 i = 0; i < NPAGES; i++) {
        u32 w = want(i, own, r);
        if ((a = check_page(p + i * PAGE, w)) != 0) bad = report_bad(bad, a, w);
    }
    return bad;
}

void _start(void) {
    NAME = "swapfork";
    swap_setup();
    int areas, to_child[2], to_parent[2];
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    char *p = map_anon(LEN, MAP_PRIVATE);
    fill_range(p, LEN, 1);
    u32 used = swaps_used_kb(&areas);
    say_u("swapped out before fork: ", used / 1024, " MiB");
    check("more than 24 MiB in swap at fork", used > 24 * 1024);
    sys1(__NR_pipe, (long)to_child);
    sys1(__NR_pipe, (long)to_parent);
    char c = 0;
    int pid = sys_fork();
    if (pid < 0) die("fork", pid);
    if (pid == 0) {
        NAME = "swapfork child";
        modify(p, 0, 2);
        sys3(__NR_write, to_parent[1], (long)&c, 1);
        sys3(__NR_read, to_child[0], (long)&c, 1);
        check("child sees its own writes and none of the parent's", verify(p, 0, 2) == 0);
        finish();
    }
    modify(p, 2, 3);
    sys3(__NR_read, to_parent[0], (long)&c, 1);
    sys3(__NR_write, to_child[1], (long)&c, 1);
    check("parent sees its own writes and none of the child's", verify(p, 2, 3) == 0);
    int status = wait_for(pid);
    check("child exited 0", status == 0);
    sys2(__NR_munmap, (long)p, LEN);
    slots_back("exit and munmap return every slot", used0, free0);
    finish();
}

/* swapkill: SIGKILL while a process is reading its pages back from swap.
 * A child writes 48 MiB (more than MEM=32M), tells the parent, then sweeps
 * over the pages checking them, again and again, writing one byte to a
 * pipe after every 2 MiB. After the sweep's fourth report the parent
 * kills it with SIGKILL: it is then in the middle of swapping pages in.
 * Checks: waitpid reports SIGKILL; every swap slot comes back (/proc/swaps
 * Used and sysinfo freeswap, see slots_back); and the free memory comes
 * back: /proc/meminfo MemFree after the child is reaped against MemFree
 * before the fork, within 1 MiB (Linux's noise: the child's task struct,
 * page tables and kernel stack go back to slab and per-CPU page lists,
 * which MemFree does not count until they drain, and readahead pages
 * still being read when the child died stay in the swap cache). Run with
 * swap: 128M. */
#include "swaplib.h"

#define LEN (48 * MiB)
#define MEM_SLACK_KB 1024

static __attribute__((noreturn)) void child(int out) {
    char *p = map_anon(LEN, MAP_PRIVATE);
    char c = 'r';
    fill_range(p, LEN, 1);
    sys3(__NR_write, out, (long)&c, 1);
    for (c = 's';;)
        for (u32 o = 0; o < LEN; o += PAGE) {
            if (check_page(p + o, 1)) c = 'x';   /* wrong data: the parent fails */
            if (o % (2 * MiB) == 2 * MiB - PAGE) sys3(__NR_write, out, (long)&c, 1);
        }
}

void _start(void) {
    NAME = "swapkill";
    swap_setup();
    int areas, pipefd[2];
    u32 used0 = swaps_used_kb(&areas), free0 = freeswap_kb();
    long mem0 = proc_field("/proc/meminfo", "MemFree:");
    show_counters("start");
    sys1(__NR_pipe, (long)pipefd);
    int pid = sys_fork();
    if (pid < 0) die("fork", pid);
    if (pid == 0) child(pipefd[1]);
    sys1(__NR_close, pipefd[1]);
    char c = 0;
    int sweeps = 0, bad = 0;
    while (sweeps < 4 && sys3(__NR_read, pipefd[0], (long)&c, 1) == 1) {
        if (c == 'x') bad = 1;
        if (c != 'r') sweeps++;
    }
    u32 used = swaps_used_kb(&areas);
    say_u("child mid-sweep, swap used ", used, " kB");
    check("the child's pages are in swap", used > used0);
    sys2(__NR_kill, pid, SIGKILL);
    int status = wait_for(pid);
    check("the child read right words until killed", !bad);
    check("waitpid: killed by SIGKILL", (status & 0x7f) == SIGKILL);
    show_counters("child reaped");
    slots_back("the killed child's slots return", used0, free0);
    long mem = proc_field("/proc/meminfo", "MemFree:");
    head("MemFree before the fork "); putnum((int)mem0); puts_(" kB, after the kill "); putnum((int)mem);
    puts_(" kB\n");
    check("free memory returns (MemFree within 1 MiB)", mem + MEM_SLACK_KB >= mem0);
    finish();
}

/* Forks until the kernel says no (EAGAIN or ENOMEM, never a crash), then
 * kills every child and checks that all of them are reaped. Run with a
 * small MEM so that memory, not time, runs out first. The parent yields
 * after each fork so the child takes its copy-on-write stack page while
 * memory is still there: otherwise a slice's worth of unstarted children
 * would all want a page at once, and under memory exhaustion somebody must
 * be killed (Linux's OOM killer would pick a victim too). */
#include "crt.h"

static int sys_kill(int pid, int sig) { return sys2(__NR_kill, pid, sig); }
static void pause_forever(void) {
    static const int forever[2] = {100000, 0};
    for (;;) sys2(__NR_nanosleep, (long)forever, 0);
}

void _start(void) {
    static int pids[40000];
    int n = 0, err = 0;
    for (;;) {
        int pid = sys_fork();
        if (pid == 0)
            pause_forever();
        if (pid < 0) { err = pid; break; }
        pids[n++] = pid;
        sys0(__NR_sched_yield); /* let the child settle */
        if (n == 40000) break;
    }
    puts_("forkbomb: fork failed with ");
    putnum(err);
    puts_(err == -EAGAIN || err == -ENOMEM ? " (EAGAIN/ENOMEM, as it should)\n" : " (UNEXPECTED)\n");
    for (int i = 0; i < n; i++)
        sys_kill(pids[i], SIGKILL);
    int reaped = 0, status;
    while (sys_waitpid(-1, &status, 0) > 0)
        if ((status & 0x7f) == SIGKILL) reaped++;
    puts_("forkbomb: reaped ");
    puts_(reaped == n ? "every child\n" : "NOT every child\n");
    sys_exit(err == -EAGAIN || err == -ENOMEM ? (reaped == n ? 0 : 2) : 1);
}

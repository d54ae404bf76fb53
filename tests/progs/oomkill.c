/* The OOM killer kills the task that holds the most, not the one that
 * happened to fault last. A child fills memory until little is left and
 * then sleeps; process 1 (this program) then writes 4 MiB more. It must
 * survive: the child, holding far more, is the one killed (SIGKILL, with
 * an "Out of memory: killed process" line), and every frame comes back.
 * Run with a small MEM. */
#include "crt.h"

static struct sysinfo info(void) {
    struct sysinfo si;
    sys1(__NR_sysinfo, (long)&si);
    return si;
}

/* Memory a user page can still come from, roughly: free memory less the
 * kernel's reserve (1 MiB + 1/32 of RAM, src/mm/phys.rs) and a margin. */
static long room(void) {
    struct sysinfo si = info();
    return (long)si.freeram - (long)(si.totalram / 32) - (1 << 20) - (512 << 10);
}

static char *map(unsigned len) {
    return (char *)sys6(__NR_mmap2, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
}

void _start(void) {
    unsigned before = info().freeram;
    int ready[2];
    sys1(__NR_pipe, (long)ready);
    int pid = sys_fork();
    if (pid == 0) {
        char *p = map(0x10000000);
        for (unsigned i = 0; room() > 0; i += 4096) p[i] = 1;
        sys_write(ready[1], "x", 1);
        static const int hour[2] = {3600, 0};
        sys2(__NR_nanosleep, (long)hour, 0);
        sys_exit(4);
    }
    char c;
    sys3(__NR_read, ready[0], (long)&c, 1);
    puts_("oom: the child holds nearly all memory; init writes 4 MiB\n");
    char *q = map(4 << 20);
    for (unsigned i = 0; i < (4u << 20); i += 4096) q[i] = 2;
    int status = 0;
    sys_waitpid(pid, &status, 0);
    puts_("oom: init survived; child status ");
    putnum(status);
    puts_((status & 0x7f) == SIGKILL ? " (killed by SIGKILL)\n" : " (UNEXPECTED)\n");
    sys2(__NR_munmap, (long)q, 4 << 20);
    unsigned after = info().freeram;
    puts_(after + (64 << 10) >= before ? "oom: all memory came back\n" : "oom: memory LEAKED\n");
    sys_exit((status & 0x7f) == SIGKILL && after + (64 << 10) >= before ? 0 : 1);
}

/* Random system calls with hostile arguments, from children that are
 * killed if they block: the kernel must answer every one (an error is fine)
 * and never panic. The seed and counts are fixed, so a failure reproduces. */
#include "crt.h"

static unsigned seed = 12345;
static unsigned rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 1; }

static char scratch[8192];

static unsigned arg(void) {
    switch (rnd() % 10) {
    case 0: return 0;
    case 1: return (unsigned)-1;
    case 2: return rnd() % 64;
    case 3: return (unsigned)scratch + rnd() % sizeof scratch;
    case 4: return 0xC0000000u + rnd() % 0x1000;
    case 5: return 0xBFFFF000u + rnd() % 0x2000;
    case 6: return rnd() % 0x10000;
    case 7: return 0x08048000u + rnd() % 0x10000;
    case 8: return 1u << (rnd() % 32);
    default: return rnd() * 2654435761u;
    }
}

/* Calls that would end the run or the child on purpose, or replace it. */
static int skipped(int n) {
    return n == __NR_exit || n == __NR_execve || n == __NR_reboot || n == __NR_exit_group ||
           n == __NR_execveat || n == __NR_sigreturn || n == __NR_rt_sigreturn;
}

void _start(void) {
    const int children = 60, calls = 300;
    for (int c = 0; c < children; c++) {
        seed = 1000u * c + 7;
        int pid = sys_fork();
        if (pid == 0) {
            for (int i = 0; i < calls; i++) {
                int n = rnd() % 420;
                if (skipped(n)) continue;
                sys6(n, arg(), arg(), arg(), arg(), arg(), arg());
                if (sys0(__NR_getpid) <= 1) sys_exit(3); /* a fork child of ours? stop */
            }
            sys_exit(0);
        }
        if (pid < 0) continue;
        /* Up to 300 ms, then SIGKILL: the child may be blocked for good. */
        int status, waited = 0;
        static const int tick[2] = {0, 10000000};
        for (int t = 0; t < 30 && !waited; t++) {
            if (sys_waitpid(pid, &status, WNOHANG) == pid) waited = 1;
            else sys2(__NR_nanosleep, (long)tick, 0);
        }
        if (!waited) {
            sys2(__NR_kill, pid, SIGKILL);
            sys_waitpid(pid, &status, 0);
        }
        /* Reap whatever the child forked. */
        sys2(__NR_kill, -1, SIGKILL);
        while (sys_waitpid(-1, &status, WNOHANG) > 0) {}
    }
    puts_("fuzz: the kernel answered every call\n");
    sys_exit(0);
}

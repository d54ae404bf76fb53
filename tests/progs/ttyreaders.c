/* Two processes blocked reading the console sleep until input comes: they
 * must not wake each other. (Each console read used to wake every reader
 * before it looked, so two readers switched to each other inside the
 * kernel forever; the clock interrupt, taken only in user mode or when
 * idle, never came, and a third process's nanosleep never ended.)
 *
 * Process 1 forks two readers, sleeps 300 ms, then checks that its sleep
 * ended and that each reader used at most 2 clock ticks of CPU (utime +
 * stime in /proc/PID/stat). Exits 0 if both hold. */
#include "crt.h"

static char buf[1024];

/* utime + stime of `pid`, from /proc/PID/stat (fields 14 and 15), or -1. */
static int cpu_ticks(int pid) {
    char path[32] = "/proc/";
    int n = 6, digits[10], nd = 0;
    do digits[nd++] = pid % 10, pid /= 10; while (pid);
    while (nd) path[n++] = (char)('0' + digits[--nd]);
    const char *tail = "/stat";
    for (int i = 0; tail[i]; i++) path[n++] = tail[i];
    path[n] = 0;
    int fd = (int)sys3(__NR_open, (long)path, 0, 0);
    if (fd < 0) return -1;
    long len = sys3(__NR_read, fd, (long)buf, sizeof buf - 1);
    sys1(__NR_close, fd);
    if (len <= 0) return -1;
    buf[len] = 0;
    /* Fields after the command's closing parenthesis, from field 3. */
    int i = (int)len;
    while (i > 0 && buf[i] != ')') i--;
    int field = 2, total = 0;
    for (i++; buf[i]; i++) {
        if (buf[i] == ' ') { field++; continue; }
        if (field == 14 || field == 15) {
            int v = 0;
            while (buf[i] >= '0' && buf[i] <= '9') v = v * 10 + (buf[i++] - '0');
            total += v;
            i--;
        }
    }
    return total;
}

void _start(void) {
    int pids[2];
    for (int k = 0; k < 2; k++) {
        pids[k] = sys_fork();
        if (pids[k] == 0) {
            char c;
            for (;;) sys3(__NR_read, 0, (long)&c, 1); /* past any ^D, read again */
        }
    }
    static const int ms300[2] = {0, 300000000};
    sys2(__NR_nanosleep, (long)ms300, 0);
    puts_("ttyreaders: the sleep ended\n");
    int ok = 1;
    for (int k = 0; k < 2; k++) {
        int t = cpu_ticks(pids[k]);
        puts_("ttyreaders: reader ticks ");
        putnum(t);
        puts_(t >= 0 && t <= 2 ? " (asleep)\n" : " (BUSY)\n");
        ok &= t >= 0 && t <= 2;
        sys2(__NR_kill, pids[k], SIGKILL);
    }
    int status;
    while (sys_waitpid(-1, &status, 0) > 0) {}
    sys_exit(ok ? 0 : 1);
}

/* ttyjob: the console as a terminal with job control, run as process 1
 * (tests/scenarios/tty.scn). A child makes its own session and takes the
 * console from process 1's (TIOCSCTTY with steal), runs /bin/sleep 30 as
 * a foreground job and says "ttyjob: ready"; the scenario then types ^C,
 * which must kill the job with SIGINT. After it, two lines edited with
 * DEL and ^U are read in canonical mode, then end of file (the ^D the
 * test harness sends last). Background jobs meet SIGTTIN and, with
 * TOSTOP, SIGTTOU; ignoring SIGTTIN gives EIO. Giving the terminal up
 * (TIOCNOTTY) leaves /dev/tty ENXIO. */
#include "crt.h"

static int sys_read(int fd, void *b, int n) { return sys3(__NR_read, fd, (long)b, n); }
static int sys_ioctl(int fd, int req, long arg) { return sys3(__NR_ioctl, fd, req, arg); }
static int sys_getpid(void) { return sys0(__NR_getpid); }
static int sys_setpgid(int pid, int pg) { return sys2(__NR_setpgid, pid, pg); }
static int sys_kill(int pid, int sig) { return sys2(__NR_kill, pid, sig); }
static int sys_open(const char *p, int flags) { return sys3(__NR_open, (long)p, flags, 0); }

static int failed;
static void check(const char *what, int got, int want) {
    puts_(what); puts_(": "); putnum(got);
    if (got != want) { puts_("  WRONG, expected "); putnum(want); failed = 1; }
    puts_("\n");
}

/* SIG_IGN (1) or SIG_DFL (0) for `sig`, no handler. */
static void disposition(int sig, unsigned handler) {
    unsigned act[5] = { handler, 0, 0, 0, 0 };
    sys4(__NR_rt_sigaction, sig, (long)act, 0, 8);
}

/* Prints a line read from the console with control bytes as ^X. */
static void show(const char *what, const char *buf, int n) {
    puts_(what); puts_(": ");
    if (n < 0) { putnum(n); puts_("\n"); return; }
    puts_("\"");
    for (int i = 0; i < n; i++) {
        char c = buf[i];
        if (c == '\n') puts_("\\n");
        else if ((unsigned char)c < 32 || c == 127) { char e[3] = { '^', (char)(c ^ 64), 0 }; puts_(e); }
        else sys_write(1, &c, 1);
    }
    puts_("\"\n");
}

/* A child in a background group of its own that reads (or, `write`,
 * writes) the console; returns its wait status as WUNTRACED sees it. */
static int background(int write, int ignore_ttin) {
    int pid = sys_fork();
    if (pid == 0) {
        char c;
        sys_setpgid(0, 0);
        disposition(SIGTTOU, 0);   /* the parent ignores it */
        if (ignore_ttin) {
            disposition(SIGTTIN, 1);
            sys_exit(-sys_read(0, &c, 1));
        }
        if (write) sys_write(1, "background write\n", 17);
        else sys_read(0, &c, 1);
        sys_exit(0);
    }
    sys_setpgid(pid, pid);
    int st = 0;
    sys_waitpid(pid, &st, WUNTRACED);
    if ((st & 0xff) == 0x7f) {
        sys_kill(pid, SIGKILL);
        int st2;
        sys_waitpid(pid, &st2, 0);
    }
    return st;
}

static int session(void) {
    int me = sys_getpid();
    check("setsid is self", sys0(__NR_setsid) == me, 1);
    int v = -1;
    check("TIOCGPGRP without a terminal", sys_ioctl(0, TIOCGPGRP, (long)&v), -ENOTTY);
    check("open /dev/tty without a terminal", sys_open("/dev/tty", O_RDWR), -ENXIO);
    check("TIOCSCTTY of a terminal another session holds", sys_ioctl(0, TIOCSCTTY, 0), -EPERM);
    check("TIOCSCTTY stealing it", sys_ioctl(0, TIOCSCTTY, 1), 0);
    check("TIOCSCTTY again (already ours)", sys_ioctl(0, TIOCSCTTY, 0), 0);
    sys_ioctl(0, TIOCGSID, (long)&v);
    check("TIOCGSID is self", v == me, 1);
    sys_ioctl(0, TIOCGPGRP, (long)&v);
    check("foreground group is self", v == me, 1);
    check("open /dev/tty", sys_open("/dev/tty", O_RDWR) >= 0, 1);
    v = 99999;
    check("TIOCSPGRP to no such group", sys_ioctl(0, TIOCSPGRP, (long)&v), -ESRCH);
    v = -1;
    check("TIOCSPGRP -1", sys_ioctl(0, TIOCSPGRP, (long)&v), -EINVAL);

    /* The foreground job: ^C must reach it, not us. */
    disposition(SIGTTOU, 1);
    int job = sys_fork();
    if (job == 0) {
        char *argv[] = { "sleep", "30", 0 };
        char *envp[] = { 0 };
        sys_setpgid(0, 0);
        sys_execve("/bin/sleep", argv, envp);
        sys_exit(127);
    }
    sys_setpgid(job, job);
    check("TIOCSPGRP to the job", sys_ioctl(0, TIOCSPGRP, (long)&job), 0);
    puts_("ttyjob: ready\n");
    int st = 0;
    sys_waitpid(job, &st, 0);
    check("the job's wait status (SIGINT)", st, SIGINT);
    check("TIOCSPGRP back from the background, SIGTTOU ignored", sys_ioctl(0, TIOCSPGRP, (long)&me), 0);

    /* Canonical reads of what was typed after the ^C. */
    char buf[64];
    int n = sys_read(0, buf, sizeof buf);
    show("line 1", buf, n);
    n = sys_read(0, buf, sizeof buf);
    show("line 2", buf, n);
    n = sys_read(0, buf, sizeof buf);
    check("then end of file", n, 0);

    check("background read: stopped by SIGTTIN", background(0, 0), (SIGTTIN << 8) | 0x7f);
    check("background read ignoring SIGTTIN: exit EIO", background(0, 1), EIO << 8);
    check("background write without TOSTOP: exit 0", background(1, 0), 0);
    unsigned t[9];
    sys_ioctl(0, TCGETS, (long)t);
    t[3] |= TOSTOP;
    sys_ioctl(0, TCSETS, (long)t);
    check("background write with TOSTOP: stopped by SIGTTOU", background(1, 0), (SIGTTOU << 8) | 0x7f);
    t[3] &= ~TOSTOP;
    sys_ioctl(0, TCSETS, (long)t);

    disposition(SIGHUP, 1);
    check("TIOCNOTTY by the session leader", sys_ioctl(0, TIOCNOTTY, 0), 0);
    check("TIOCGPGRP after", sys_ioctl(0, TIOCGPGRP, (long)&v), -ENOTTY);
    check("open /dev/tty after", sys_open("/dev/tty", O_RDWR), -ENXIO);
    return failed;
}

void _start(void) {
    int pid = sys_fork();
    if (pid == 0)
        sys_exit(session());
    int st = -1;
    sys_waitpid(pid, &st, 0);
    check("session child's status", st, 0);
    puts_(st == 0 ? "ttyjob: ok\n" : "ttyjob: FAILED\n");
    sys_exit(st == 0 ? 0 : 1);
}

/* pgrp.c: process groups and sessions without a terminal. setpgid,
 * setsid, getpgid, getpgrp, getsid and their errors in Linux's order;
 * kill(0), kill(-pgid) and waitpid(0 / -pgid); stop signals in orphaned
 * groups; SIGHUP + SIGCONT for a group orphaned with a stopped member.
 * Everything runs in a child that first makes its own session, so the
 * program's own place (process 1 or not) drops out; ids are printed as
 * facts ("self", "child"), never as numbers. */
#include "t.h"

static long pid_of_self(void) { return sys0(__NR_getpid); }

/* Prints `name: self|child|other|ERR`. */
static void who(const char *name, long v, long self, long child)
{
    if (is_err(v)) out(name, v);
    else outs(name, v == self ? "self" : v == child && child ? "child" : v == 0 ? "0" : "other");
}

static void wait_status(const char *name, long pid, int options)
{
    i32 st = 0;
    long r = sys4(__NR_wait4, pid, (long)&st, options, 0);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if (is_err(r)) l_d(&l, r);
    else if (r == 0) l_s(&l, "none");
    else { l_s(&l, "status="); l_x(&l, (u32)st); }
    l_end(&l);
}

/* A child that waits on fd `rfd` of a pipe until its parent closes the
 * write end (or writes), then exits with `code`. */
static long spawn_waiter(int pfd[2], int code)
{
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        char c;
        sys1(__NR_close, pfd[1]);
        sys3(__NR_read, pfd[0], (long)&c, 1);
        _exit(code);
    }
    return pid;
}

static void ids_and_errors(long me)
{
    who("setsid again (a session leader)", sys0(__NR_setsid), me, 0);
    who("getsid(0)", sys1(__NR_getsid, 0), me, 0);
    who("getpgid(0)", sys1(__NR_getpgid, 0), me, 0);
    who("getpgrp", sys0(__NR_getpgrp), me, 0);
    who("getsid(self)", sys1(__NR_getsid, me), me, 0);
    out("getsid(1)", sys1(__NR_getsid, 1));
    out("getpgid(1)", sys1(__NR_getpgid, 1));
    out("getpgid(-1)", sys1(__NR_getpgid, -1));
    out("getsid(-5)", sys1(__NR_getsid, -5));
    out("getpgid(0x7fffffff)", sys1(__NR_getpgid, 0x7fffffff));
    out("setpgid(0, 0) by a session leader", sys2(__NR_setpgid, 0, 0));
    out("setpgid(0, -1)", sys2(__NR_setpgid, 0, -1));
    out("setpgid(-1, 0)", sys2(__NR_setpgid, -1, 0));
    out("setpgid(-1, 5)", sys2(__NR_setpgid, -1, 5));
    out("setpgid(1, 0) (not a child)", sys2(__NR_setpgid, 1, 0));
    out("setpgid(0x7fffffff, 0)", sys2(__NR_setpgid, 0x7fffffff, 0));
}

static void moving_children(long me)
{
    int p[2];
    sys1(__NR_pipe, (long)p);
    long a = spawn_waiter(p, 3);
    who("child's pgid at first", sys1(__NR_getpgid, a), me, a);
    who("child's sid", sys1(__NR_getsid, a), me, a);
    out("setpgid(child, 0)", sys2(__NR_setpgid, a, 0));
    who(".. child's pgid", sys1(__NR_getpgid, a), me, a);
    out("setpgid(child, self) back", sys2(__NR_setpgid, a, me));
    who(".. child's pgid", sys1(__NR_getpgid, a), me, a);
    out("setpgid(child, no such group)", sys2(__NR_setpgid, a, a + 1000));
    out("setpgid(child, child) again", sys2(__NR_setpgid, a, a));
    out("setpgid(child, self) into an existing group", sys2(__NR_setpgid, a, me));
    out("setpgid(0, child's group) while the child is in ours", sys2(__NR_setpgid, 0, a));
    out("setsid in the parent's group leader (self)", sys0(__NR_setsid));
    sys1(__NR_close, p[1]);
    wait_status("waiter", a, 0);
    sys1(__NR_close, p[0]);

    /* A child in a session of its own: EPERM comes before EACCES. */
    int q[2], r[2];   /* q: child to parent, r: parent to child */
    sys1(__NR_pipe, (long)q);
    sys1(__NR_pipe, (long)r);
    long b = sys0(__NR_fork);
    if (b == 0) {
        char c;
        long s = sys0(__NR_setsid);
        sys3(__NR_write, q[1], (long)"x", 1);
        sys3(__NR_read, r[0], (long)&c, 1);
        _exit(s == pid_of_self() ? 0 : 1);
    }
    char c;
    sys3(__NR_read, q[0], (long)&c, 1);
    who("child's sid after its setsid", sys1(__NR_getsid, b), me, b);
    out("setpgid(child in another session, 0)", sys2(__NR_setpgid, b, 0));
    out("setpgid(child in another session, self)", sys2(__NR_setpgid, b, me));
    sys3(__NR_write, r[1], (long)"y", 1);
    wait_status("session child", b, 0);
    for (int i = 0; i < 2; i++) {
        sys1(__NR_close, q[i]);
        sys1(__NR_close, r[i]);
    }

    /* A child that has exec'd: EACCES. The pipe is close-on-exec, so its
     * end of file says the exec happened. */
    int e[2];
    sys2(__NR_pipe2, (long)e, O_CLOEXEC);
    long x = sys0(__NR_fork);
    if (x == 0) {
        char *argv[] = { "/prog", "pgrp-sleeper", 0 };
        char *envp[] = { 0 };
        sys1(__NR_close, e[0]);
        sys3(__NR_execve, (long)"/prog", (long)argv, (long)envp);
        _exit(127);
    }
    sys1(__NR_close, e[1]);
    out("read until the child's exec", sys3(__NR_read, e[0], (long)&c, 1));
    out("setpgid(exec'd child, 0)", sys2(__NR_setpgid, x, 0));
    who(".. its pgid", sys1(__NR_getpgid, x), me, x);
    out("kill(exec'd child, SIGKILL)", sys2(__NR_kill, x, SIGKILL));
    wait_status("exec'd child", x, 0);
    sys1(__NR_close, e[0]);
}

static void groups_and_signals(long me)
{
    int p[2];
    sys1(__NR_pipe, (long)p);
    long a = spawn_waiter(p, 4);
    long b = spawn_waiter(p, 5);
    out("setpgid(a, a)", sys2(__NR_setpgid, a, a));
    out("setpgid(b, a)", sys2(__NR_setpgid, b, a));
    who("getpgid(b)", sys1(__NR_getpgid, b), me, a);
    out("kill(-group, 0)", sys2(__NR_kill, -a, 0));
    out("kill(-group, 99)", sys2(__NR_kill, -a, 99));
    out("kill(0, 0)", sys2(__NR_kill, 0, 0));
    out("kill(-(no such group), 0)", sys2(__NR_kill, -(a + 1000), 0));
    wait_status("waitpid(0, WNOHANG): none in our group", 0, WNOHANG);
    wait_status("waitpid(-group, WNOHANG): alive", -a, WNOHANG);
    wait_status("waitpid(-(no such group), WNOHANG)", -(a + 1000), WNOHANG);
    out("kill(-group, SIGTERM)", sys2(__NR_kill, -a, SIGTERM));
    wait_status("waitpid(-group) first", -a, 0);
    wait_status("waitpid(-group) second", -a, 0);
    wait_status("waitpid(-group) none left", -a, 0);
    out("kill(-group, 0) once reaped", sys2(__NR_kill, -a, 0));
    sys1(__NR_close, p[0]);
    sys1(__NR_close, p[1]);

    /* waitpid(0) takes a child of our group, not one of another. */
    sys1(__NR_pipe, (long)p);
    long c1 = spawn_waiter(p, 6);
    long c2 = spawn_waiter(p, 7);
    sys2(__NR_setpgid, c2, c2);
    sys1(__NR_close, p[1]);
    wait_status("waitpid(0) in our group", 0, 0);
    wait_status("waitpid(0) again (the other is in its own group)", 0, WNOHANG);
    wait_status("waitpid(-other group)", -c2, 0);
    (void)c1;
    sys1(__NR_close, p[0]);
}

/* Stop signals: a group tied to the session stops; one in a session of
 * its own (orphaned) discards SIGTSTP but not SIGSTOP. */
static int tstp_self_in_new_session(long sig)
{
    sys0(__NR_setsid);
    sys2(__NR_kill, pid_of_self(), sig);
    return 7;
}

static void stops(void)
{
    int p[2];
    sys1(__NR_pipe, (long)p);
    long t = spawn_waiter(p, 8);
    sys2(__NR_setpgid, t, t);
    out("kill(child in its own group, SIGTSTP)", sys2(__NR_kill, t, SIGTSTP));
    wait_status("WUNTRACED", t, WUNTRACED);
    out("kill(-its group, SIGCONT)", sys2(__NR_kill, -t, SIGCONT));
    sys1(__NR_close, p[1]);
    wait_status("it ends", t, 0);
    sys1(__NR_close, p[0]);

    long o = sys0(__NR_fork);
    if (o == 0)
        _exit(tstp_self_in_new_session(SIGTSTP));
    wait_status("SIGTSTP to itself in an orphaned group (discarded)", o, WUNTRACED);
    o = sys0(__NR_fork);
    if (o == 0)
        _exit(tstp_self_in_new_session(SIGTTIN));
    wait_status("SIGTTIN likewise", o, WUNTRACED);
    o = sys0(__NR_fork);
    if (o == 0)
        _exit(tstp_self_in_new_session(SIGSTOP));
    wait_status("SIGSTOP stops even there", o, WUNTRACED);
    sys2(__NR_kill, o, SIGKILL);
    wait_status(".. killed", o, 0);
}

/* A group whose last tie to the session exits while a member is stopped
 * gets SIGHUP then SIGCONT: the stopped grandchild dies of SIGHUP, which
 * the end of file on its pipe shows. */
static void orphaned_hangup(void)
{
    int p[2];
    sys1(__NR_pipe, (long)p);
    long mid = sys0(__NR_fork);
    if (mid == 0) {
        sys2(__NR_setpgid, 0, 0);
        long g = sys0(__NR_fork);
        if (g == 0) {
            sys1(__NR_close, p[0]);
            sys2(__NR_kill, pid_of_self(), SIGSTOP);
            sleep_ms(3000);
            _exit(0);
        }
        i32 st;
        sys4(__NR_wait4, g, (long)&st, WUNTRACED, 0);
        _exit(st == 0x137f ? 0 : 1);
    }
    sys1(__NR_close, p[1]);
    wait_status("the middle process saw its child stop, then exited", mid, 0);
    sleep_ms(300);
    sys3(__NR_fcntl64, p[0], F_SETFL, O_NONBLOCK);
    char c;
    out("the stopped grandchild's pipe: end of file (it died of SIGHUP)", sys3(__NR_read, p[0], (long)&c, 1));
    sys1(__NR_close, p[0]);
}

static int session_main(long unused)
{
    (void)unused;
    long me = pid_of_self();
    long s = sys0(__NR_setsid);
    who("setsid", s, me, 0);
    ids_and_errors(me);
    moving_children(me);
    groups_and_signals(me);
    stops();
    orphaned_hangup();
    return 0;
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc > 1 && seq(argv[1], "pgrp-sleeper")) {
        for (;;)
            sleep_ms(10000);
    }
    puts1("--- start\n");
    long st = run_child(session_main, 0);
    outx("session child", (u32)st);
    puts1("--- end\n");
    return 0;
}

/* proc.c: fork, exit, waitpid/wait4 and their options, kill and the
 * default actions of signals, orphans. Every waitpid status is printed raw
 * in hex. */
#include "t.h"

static int ret_arg(long a) { return (int)a; }
static int exit_arg(long a) { _exit((int)a); }
static int exit_group_arg(long a) { for (;;) sys1(__NR_exit_group, a); return 0; }
static int sleeper(long ms) { sleep_ms((u32)ms); return 7; }
static int kill_self(long sig) { sys2(__NR_kill, sys0(__NR_getpid), sig); sleep_ms(300); return 99; }

/* fork a child that sleeps `ms` then exits 7; returns its pid. */
static long spawn_sleeper(u32 ms)
{
    long pid = sys0(__NR_fork);
    if (pid == 0)
        _exit(sleeper(ms));
    return pid;
}

static void wait_print(const char *name, long pid, int options)
{
    i32 st = 0x5a5a5a5a;
    long r = sys3(__NR_waitpid, pid, (long)&st, options);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if (is_err(r)) l_d(&l, r);
    else if (r == 0) { l_s(&l, "0 status="); l_x(&l, (u32)st); }
    else { l_s(&l, r == pid || pid <= 0 ? "pid" : "OTHER-PID"); l_s(&l, " status="); l_x(&l, (u32)st); }
    l_end(&l);
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    line_t l = {.n = 0};

    /* before any child exists: Linux counts every process but init and the
     * caller, kernel threads included */
    out("kill(-1, 0) before any fork", sys2(__NR_kill, -1, 0));

    /* exit codes */
    long codes[] = { 0, 1, 42, 255, 256, 257, -1, 0x12345 };
    for (int i = 0; i < 8; i++) {
        l_s(&l, "exit("); l_d(&l, codes[i]); l_s(&l, ") status="); l_x(&l, (u32)run_child(exit_arg, codes[i])); l_end(&l);
    }
    outx("exit_group(300) status", (u32)run_child(exit_group_arg, 300));
    outx("return 5 from child fn status", (u32)run_child(ret_arg, 5));

    /* kill with every signal number; the child sleeps 300 ms then exits 7 */
    for (int sig = 1; sig <= 64; sig++) {   /* 64: the kernel's _NSIG */
        if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU)
            continue;   /* stop signals below */
        long pid = spawn_sleeper(300);
        sleep_ms(20);
        long r = sys2(__NR_kill, pid, sig);
        i32 st = 0;
        long w = sys3(__NR_waitpid, pid, (long)&st, 0);
        l_s(&l, "kill sig "); l_d(&l, sig); l_s(&l, ": kill="); l_d(&l, r);
        l_s(&l, " wait="); l_s(&l, w == pid ? "pid" : "ERR"); l_s(&l, " status="); l_x(&l, (u32)st); l_end(&l);
    }
    /* a child kills itself */
    int selfsigs[] = { SIGTERM, SIGKILL, SIGSEGV, SIGABRT, SIGUSR1, SIGCHLD, 33, 64 };
    for (int i = 0; i < 8; i++) {
        l_s(&l, "child kill(self, "); l_d(&l, selfsigs[i]); l_s(&l, ") status="); l_x(&l, (u32)run_child(kill_self, selfsigs[i])); l_end(&l);
    }

    /* stop / continue */
    int stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
    for (int i = 0; i < 4; i++) {
        long pid = spawn_sleeper(400);
        sleep_ms(20);
        long r = sys2(__NR_kill, pid, stops[i]);
        i32 st = 0;
        long w = sys3(__NR_waitpid, pid, (long)&st, WUNTRACED);
        l_s(&l, "stop sig "); l_d(&l, stops[i]); l_s(&l, ": kill="); l_d(&l, r);
        l_s(&l, " waitpid(WUNTRACED)="); if (w == pid) l_s(&l, "pid"); else l_d(&l, w);
        l_s(&l, " status="); l_x(&l, (u32)st); l_end(&l);
        long c = sys2(__NR_kill, pid, SIGCONT);
        st = 0;
        w = sys3(__NR_waitpid, pid, (long)&st, WCONTINUED);
        l_s(&l, ".. then SIGCONT: kill="); l_d(&l, c); l_s(&l, " waitpid(WCONTINUED)="); if (w == pid) l_s(&l, "pid"); else l_d(&l, w);
        l_s(&l, " status="); l_x(&l, (u32)st); l_end(&l);
        st = 0;
        w = sys3(__NR_waitpid, pid, (long)&st, 0);
        l_s(&l, ".. then waitpid(0)="); if (w == pid) l_s(&l, "pid"); else l_d(&l, w);
        l_s(&l, " status="); l_x(&l, (u32)st); l_end(&l);
    }
    /* SIGSTOP must stop a child at once, even one asleep in nanosleep or
     * blocked in waitpid, not when its sleep ends */
    {
        long pid = spawn_sleeper(1000);
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGSTOP);
        sleep_ms(50);
        wait_print("SIGSTOP to child in nanosleep(1 s), 50 ms later waitpid(WUNTRACED|WNOHANG)", pid, WUNTRACED | WNOHANG);
        sys2(__NR_kill, pid, SIGKILL);
        sys3(__NR_waitpid, pid, 0, 0);
        pid = sys0(__NR_fork);
        if (pid == 0) { for (volatile u32 i = 0; ; i++) ; }
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGSTOP);
        sleep_ms(50);
        wait_print("SIGSTOP to busy child, 50 ms later waitpid(WUNTRACED|WNOHANG)", pid, WUNTRACED | WNOHANG);
        sys2(__NR_kill, pid, SIGKILL);
        sys3(__NR_waitpid, pid, 0, 0);
        /* stopped in nanosleep, continued: the sleep goes on (restart) */
        pid = spawn_sleeper(300);
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGSTOP);
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGCONT);
        sleep_ms(50);
        wait_print("child stopped+continued in nanosleep(300 ms): still sleeping at 90 ms (WNOHANG)", pid, WNOHANG);
        wait_print(".. then exits normally", pid, 0);
    }
    /* a stopped child killed by SIGKILL */
    {
        long pid = spawn_sleeper(400);
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGSTOP);
        sleep_ms(20);
        long r = sys2(__NR_kill, pid, SIGKILL);
        out("SIGKILL to stopped child", r);
        wait_print(".. waitpid", pid, 0);
    }
    /* SIGTERM to a stopped child: Linux queues it until SIGCONT */
    {
        long pid = spawn_sleeper(400);
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGSTOP);
        sleep_ms(20);
        sys2(__NR_kill, pid, SIGTERM);
        sleep_ms(20);
        wait_print("SIGTERM to stopped child, waitpid(WNOHANG)", pid, WNOHANG);
        sys2(__NR_kill, pid, SIGCONT);
        wait_print(".. after SIGCONT waitpid", pid, 0);
    }

    /* invalid signals and targets */
    {
        long pid = spawn_sleeper(300);
        out("kill(child, 0)", sys2(__NR_kill, pid, 0));
        out("kill(child, 65)", sys2(__NR_kill, pid, 65));
        out("kill(child, -1)", sys2(__NR_kill, pid, -1));
        out("kill(child, 0x80000000)", sys2(__NR_kill, pid, (long)0x80000000));
        out("kill(99999, 0)", sys2(__NR_kill, 99999, 0));
        out("kill(99999, 65) [ESRCH before EINVAL on Linux]", sys2(__NR_kill, 99999, 65));
        out("kill(-99999, 0)", sys2(__NR_kill, -99999, 0));
        out("kill(-99999, 65)", sys2(__NR_kill, -99999, 65));
        out("kill(INT_MIN, 0)", sys2(__NR_kill, (long)0x80000000, 0));
        out("kill(INT_MIN, SIGTERM)", sys2(__NR_kill, (long)0x80000000, SIGTERM));
        out("kill(0, 0)", sys2(__NR_kill, 0, 0));
        out("kill(-1, 0)", sys2(__NR_kill, -1, 0));
        out("kill(-1, 65)", sys2(__NR_kill, -1, 65));
        out("kill(1, 0)", sys2(__NR_kill, 1, 0));
        out("kill(getpid(), 0)", sys2(__NR_kill, sys0(__NR_getpid), 0));
        out("kill(getpid(), 65)", sys2(__NR_kill, sys0(__NR_getpid), 65));
        wait_print("waitpid(child) after kill(child,0)", pid, 0);
        out("kill(reaped child, 0)", sys2(__NR_kill, pid, 0));
    }
    /* zombies */
    {
        long pid = sys0(__NR_fork);
        if (pid == 0) _exit(3);
        sleep_ms(50);
        out("kill(zombie, 0)", sys2(__NR_kill, pid, 0));
        out("kill(zombie, SIGKILL)", sys2(__NR_kill, pid, SIGKILL));
        wait_print("waitpid(zombie after SIGKILL)", pid, 0);
    }
    /* waitpid options and arguments */
    {
        long pid = spawn_sleeper(200);
        wait_print("waitpid(running, WNOHANG)", pid, WNOHANG);
        wait_print("waitpid(running, 0x4 WEXITED)", pid, WEXITED);
        wait_print("waitpid(running, 0x10)", pid, 0x10);
        wait_print("waitpid(running, 0x01000000 WNOWAIT)", pid, WNOWAIT);
        wait_print("waitpid(running, WNOHANG|__WALL)", pid, WNOHANG | __WALL);
        wait_print("waitpid(running, WNOHANG|__WCLONE)", pid, WNOHANG | (int)__WCLONE);
        wait_print("waitpid(running, WNOHANG|__WNOTHREAD)", pid, WNOHANG | __WNOTHREAD);
        wait_print("waitpid(running, WNOHANG|WUNTRACED|WCONTINUED)", pid, WNOHANG | WUNTRACED | WCONTINUED);
        wait_print("waitpid(99999, 0)", 99999, 0);
        wait_print("waitpid(99999, 0x10)", 99999, 0x10);
        wait_print("waitpid(1, WNOHANG) not a child", 1, WNOHANG);
        wait_print("waitpid(self, WNOHANG)", sys0(__NR_getpid), WNOHANG);
        wait_print("waitpid(-99999, WNOHANG)", -99999, WNOHANG);
        wait_print("waitpid(INT_MIN, WNOHANG)", (long)0x80000000, WNOHANG);
        wait_print("waitpid(0, WNOHANG)", 0, WNOHANG);
        wait_print("waitpid(-1, WNOHANG)", -1, WNOHANG);
        /* the (only) child, by pid */
        wait_print("waitpid(pid, 0)", pid, 0);
        wait_print("waitpid(-1, 0) no children", -1, 0);
        wait_print("waitpid(-1, WNOHANG) no children", -1, WNOHANG);
        wait_print("waitpid(0, 0) no children", 0, 0);
    }
    {
        long pid = spawn_sleeper(50);
        wait_print("waitpid(0, 0) own group", 0, 0);
        (void)pid;
    }
    /* status pointers */
    {
        long pid = sys0(__NR_fork);
        if (pid == 0) _exit(9);
        long r = sys3(__NR_waitpid, pid, 0, 0);
        outs("waitpid(pid, NULL, 0)", r == pid ? "pid" : "ERR");
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(9);
        sleep_ms(30);
        out("waitpid(pid, 0xC0000000, 0)", sys3(__NR_waitpid, pid, (long)0xC0000000, 0));
        out(".. then waitpid(pid) [reaped anyway?]", sys3(__NR_waitpid, pid, 0, 0));
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(9);
        sleep_ms(30);
        out("waitpid(pid, 0x1000 unmapped, 0)", sys3(__NR_waitpid, pid, 0x1000, 0));
        out(".. then waitpid(pid)", sys3(__NR_waitpid, pid, 0, 0));
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(9);
        sleep_ms(30);
        out("waitpid(pid, bad status, WNOHANG) running-or-zombie", sys3(__NR_waitpid, pid, 0x1000, WNOHANG));
        out(".. then waitpid(pid)", sys3(__NR_waitpid, pid, 0, 0));
        /* wait4 with rusage */
        static u32 ru[18];
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(4);
        i32 st = 0;
        r = sys4(__NR_wait4, pid, (long)&st, 0, (long)ru);
        l_s(&l, "wait4(pid, &st, 0, &ru)="); l_s(&l, r == pid ? "pid" : "ERR"); l_s(&l, " status="); l_x(&l, (u32)st); l_end(&l);
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(4);
        out("wait4(pid, &st, 0, 0xC0000000)", sys4(__NR_wait4, pid, (long)&st, 0, (long)0xC0000000));
        out(".. then waitpid(pid)", sys3(__NR_waitpid, pid, 0, 0));
        out("wait4(-1, 0, 0x4, 0)", sys4(__NR_wait4, -1, 0, 4, 0));
    }
    /* reaping order with waitpid(-1) */
    {
        long a = sys0(__NR_fork);
        if (a == 0) _exit(1);
        sleep_ms(20);
        long b = sys0(__NR_fork);
        if (b == 0) _exit(2);
        sleep_ms(50);
        i32 st = 0;
        long r = sys3(__NR_waitpid, -1, (long)&st, 0);
        outs("waitpid(-1) with two zombies reaps", r == a ? "the older" : r == b ? "the younger" : "ERR");
        r = sys3(__NR_waitpid, -1, (long)&st, 0);
        outs(".. then", r == a ? "the older" : r == b ? "the younger" : "ERR");
    }
    /* SIGKILL to a child blocked in waitpid and one blocked in nanosleep */
    {
        long pid = sys0(__NR_fork);
        if (pid == 0) {
            long g = spawn_sleeper(2000);
            sys3(__NR_waitpid, g, 0, 0);
            _exit(1);
        }
        sleep_ms(50);
        sys2(__NR_kill, pid, SIGKILL);
        wait_print("SIGKILL to child blocked in waitpid", pid, 0);
        pid = spawn_sleeper(5000);
        sleep_ms(30);
        sys2(__NR_kill, pid, SIGTERM);
        wait_print("SIGTERM to child in nanosleep", pid, 0);
        /* the grandchild of the first case is an orphan now; it is not ours */
        wait_print("waitpid(-1, WNOHANG) after orphaning", -1, WNOHANG);
    }
    /* kill(-1, 0) from a child with no children of its own */
    {
        long pid = sys0(__NR_fork);
        if (pid == 0) _exit((int)-sys2(__NR_kill, -1, 0));
        wait_print("kill(-1, 0) in a child (exit code = -result)", pid, 0);
    }
    /* SIGKILL / SIGTERM to pid 1 from a child */
    {
        long pid = sys0(__NR_fork);
        if (pid == 0) {
            long r = sys2(__NR_kill, 1, SIGTERM);
            long r2 = sys2(__NR_kill, 1, SIGKILL);
            _exit((int)(-r * 16 + -r2));
        }
        wait_print("kill(1, SIGTERM), kill(1, SIGKILL) from a child (exit 0 = both 0)", pid, 0);
        outs(".. the program survives", "yes");
    }
    /* orphans: getppid after the parent exits */
    {
        volatile u32 *sh = shared_page();
        sh[0] = 0; sh[1] = 0;
        long mypid = sys0(__NR_getpid);
        long pid = sys0(__NR_fork);
        if (pid == 0) {
            long g = sys0(__NR_fork);
            if (g == 0) {
                long before = sys0(__NR_getppid);
                sh[2] = before == mypid ? 1 : 2;
                while (sys0(__NR_getppid) == before && sh[1] < 200) { sh[1]++; sleep_ms(10); }
                long pp = sys0(__NR_getppid);
                sh[0] = pp == 1 ? 1 : pp == mypid ? 2 : pp == 0 ? 3 : 4;
                _exit(0);
            }
            sleep_ms(30);
            _exit(0);
        }
        wait_print("parent of orphan exits", pid, 0);
        for (int i = 0; i < 300 && !sh[0]; i++) sleep_ms(10);
        outs("grandchild's getppid before", sh[2] == 2 ? "its parent (not us)" : sh[2] == 1 ? "us" : "?");
        outs("orphan's getppid after its parent died",
             sh[0] == 1 ? "1" : sh[0] == 2 ? "the grandparent (subreaper)" : sh[0] == 3 ? "0" : sh[0] == 4 ? "other" : "timeout");
        sleep_ms(20);
        wait_print("grandparent waitpid(-1, WNOHANG) for the orphan", -1, WNOHANG);
    }
    /* getppid of a child, getpid stability across fork */
    {
        long me = sys0(__NR_getpid);
        long pid = sys0(__NR_fork);
        if (pid == 0) _exit(sys0(__NR_getppid) == me ? 0 : 1);
        wait_print("child's getppid() == parent's getpid() (exit 0)", pid, 0);
        outb("fork returns a positive pid", pid > 0);
        outb("getpid() == gettid()", sys0(__NR_getpid) == sys0(__NR_gettid));
    }
    /* vfork and clone(SIGCHLD) as fork */
    {
        long pid = sys0(__NR_vfork);
        if (pid == 0) _exit(6);
        if (is_err(pid)) out("vfork", pid);
        else wait_print("vfork child exit(6)", pid, 0);
        pid = sys2(__NR_clone, SIGCHLD, 0);   /* clone(SIGCHLD, 0): fork */
        if (pid == 0) _exit(8);
        if (is_err(pid)) out("clone(SIGCHLD, NULL)", pid);
        else wait_print("clone(SIGCHLD) child exit(8)", pid, 0);
        pid = sys2(__NR_clone, 0, 0);   /* clone(0, 0): no exit signal */
        if (pid == 0) _exit(9);
        if (is_err(pid)) out("clone(0, NULL)", pid);
        else { sleep_ms(50); wait_print("clone(0) child, plain waitpid(WNOHANG)", pid, WNOHANG);
               wait_print(".. waitpid(__WALL)", pid, __WALL); }
    }
    /* kill(-1, SIGKILL) from the program: every process but init and the
     * caller, here our two sleeping children */
    {
        long a = spawn_sleeper(3000), b = spawn_sleeper(3000);
        sleep_ms(30);
        long r = sys2(__NR_kill, -1, SIGKILL);
        out("kill(-1, SIGKILL)", r);
        wait_print(".. child a", a, 0);
        wait_print(".. child b", b, 0);
        out("kill(-1, SIGKILL) with no other process", sys2(__NR_kill, -1, SIGKILL));
        out("kill(-1, 0) with no other process", sys2(__NR_kill, -1, 0));
    }
    /* many processes */
    {
        static long pids[200];
        int ok = 0, failed = 0;
        long err = 0;
        for (int i = 0; i < 200; i++) {
            pids[i] = sys0(__NR_fork);
            if (pids[i] == 0) { sleep_ms(200); _exit(i & 0xff); }
            if (is_err(pids[i])) { failed++; err = pids[i]; }
        }
        for (int i = 0; i < 200; i++) {
            if (is_err(pids[i])) continue;
            i32 st = 0;
            if (sys3(__NR_waitpid, pids[i], (long)&st, 0) == pids[i] && st == ((i & 0xff) << 8)) ok++;
        }
        line_t m = {.n = 0};
        l_s(&m, "200 concurrent children: ok="); l_d(&m, ok); l_s(&m, " fork failures="); l_d(&m, failed);
        if (failed) { l_s(&m, " errno="); l_d(&m, err); }
        l_end(&m);
        ok = 0;
        for (int i = 0; i < 1000; i++) {
            long pid = sys0(__NR_fork);
            if (pid == 0) _exit(1);
            i32 st = 0;
            if (!is_err(pid) && sys3(__NR_waitpid, pid, (long)&st, 0) == pid && st == 0x100) ok++;
        }
        out("1000 sequential fork/exit/wait ok", ok);
        /* a chain of 50 nested children, each waiting for the next */
        long pid = sys0(__NR_fork);
        if (pid == 0) {
            int depth = 0;
            for (;;) {
                if (depth == 50) _exit(0);
                long c = sys0(__NR_fork);
                if (c == 0) { depth++; continue; }
                i32 st = 0;
                sys3(__NR_waitpid, c, (long)&st, 0);
                _exit(st == 0 ? 0 : 1);
            }
        }
        wait_print("chain of 50 nested children", pid, 0);
    }
    /* waitid: its checks, then each kind of report in a siginfo */
    {
        static i32 si[32];
#define WAITID(which, id, info, opts) sys5(__NR_waitid, (which), (id), (long)(info), (opts), 0)
#define SHOW(name, r, pid) do { \
            line_t w = {.n = 0}; l_s(&w, name); l_s(&w, ": "); l_d(&w, r); \
            l_s(&w, " signo="); l_d(&w, si[0]); l_s(&w, " errno="); l_d(&w, si[1]); \
            l_s(&w, " code="); l_d(&w, si[2]); l_s(&w, si[3] == (pid) ? " pid=child" : si[3] == 0 ? " pid=0" : " pid=OTHER"); \
            l_s(&w, " uid="); l_d(&w, si[4]); l_s(&w, " status="); l_d(&w, si[5]); \
            l_s(&w, " utime untouched="); l_d(&w, si[6] == 0x5a5a5a5a); l_end(&w); } while (0)
#define FILL() memset(si, 0x5a, sizeof si)
        out("waitid no options", WAITID(P_ALL, 0, si, 0));
        out("waitid unknown option", WAITID(P_ALL, 0, si, WEXITED | 0x800));
        out("waitid idtype 7", WAITID(7, 0, si, WEXITED));
        out("waitid P_PID 0", WAITID(P_PID, 0, si, WEXITED));
        out("waitid P_PGID -1", WAITID(P_PGID, -1, si, WEXITED));
        out("waitid P_PIDFD 55", WAITID(3, 55, si, WEXITED));
        out("waitid P_ALL no children", WAITID(P_ALL, 0, si, WEXITED));
        out("waitid P_PID not a child", WAITID(P_PID, 1, si, WEXITED));
        long pid = sys0(__NR_fork);
        if (pid == 0) _exit(7);
        FILL(); long r = WAITID(P_PID, pid, si, WEXITED); SHOW("waitid exit 7", r, pid);
        pid = spawn_sleeper(5000);
        sys2(__NR_kill, pid, SIGTERM);
        FILL(); r = WAITID(P_ALL, 0, si, WEXITED); SHOW("waitid killed by SIGTERM", r, pid);
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(3);
        sleep_ms(100);
        FILL(); r = WAITID(P_ALL, 0, si, WEXITED | WNOWAIT); SHOW("waitid WNOWAIT", r, pid);
        FILL(); r = WAITID(P_PID, pid, si, WSTOPPED | WNOHANG); SHOW("waitid zombie without WEXITED, WNOHANG", r, pid);
        wait_print("waitpid after WNOWAIT", pid, 0);
        pid = spawn_sleeper(5000);
        FILL(); r = WAITID(P_PID, pid, si, WEXITED | WNOHANG); SHOW("waitid WNOHANG running child", r, pid);
        sys2(__NR_kill, pid, SIGSTOP);
        FILL(); r = WAITID(P_PID, pid, si, WSTOPPED); SHOW("waitid WSTOPPED", r, pid);
        FILL(); r = WAITID(P_PID, pid, si, WSTOPPED | WNOHANG); SHOW("waitid WSTOPPED again", r, pid);
        sys2(__NR_kill, pid, SIGCONT);
        FILL(); r = WAITID(P_PID, pid, si, WCONTINUED); SHOW("waitid WCONTINUED", r, pid);
        sys2(__NR_kill, pid, SIGKILL);
        out("waitid NULL infop", WAITID(P_PID, pid, 0, WEXITED));
        out(".. reaped", sys3(__NR_waitpid, pid, 0, WNOHANG));
        pid = sys0(__NR_fork);
        if (pid == 0) _exit(1);
        out("waitid bad infop", WAITID(P_PGID, 0, 0xc0000000, WEXITED));
        out(".. reaped anyway", sys3(__NR_waitpid, pid, 0, WNOHANG));
    }
    /* the program's own pid-1-ness (differs between init and wrapped modes) */
    outb("program is pid 1", sys0(__NR_getpid) == 1);
    /* last: the program kills itself with SIGTERM */
    sys2(__NR_kill, sys0(__NR_getpid), SIGTERM);
    sleep_ms(100);
    outs("survived kill(getpid(), SIGTERM)", "yes");
    return 0;
}

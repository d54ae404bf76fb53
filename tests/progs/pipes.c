/* Pipes between processes, checked the way Linux behaves: data flows, EOF
 * when the writers are gone, EPIPE + SIGPIPE when the readers are gone,
 * O_NONBLOCK gives EAGAIN, a 128 KiB write blocks until it is read. */
#include "crt.h"

static int sys_pipe(int *fds) { return sys1(__NR_pipe, (long)fds); }
static int sys_pipe2(int *fds, int flags) { return sys2(__NR_pipe2, (long)fds, flags); }
static int sys_read(int fd, void *b, int n) { return sys3(__NR_read, fd, (long)b, n); }
static int sys_close(int fd) { return sys1(__NR_close, fd); }
static int sys_fcntl(int fd, int cmd, int arg) { return sys3(__NR_fcntl64, fd, cmd, arg); }

static int failed;
static void check(const char *what, int got, int want) {
    puts_(what); puts_(": "); putnum(got);
    if (got != want) { puts_("  WRONG, expected "); putnum(want); failed = 1; }
    puts_("\n");
}

static char big[131072];

void _start(void) {
    int fds[2], st;
    check("pipe", sys_pipe(fds), 0);
    int pid = sys_fork();
    if (pid == 0) {
        sys_close(fds[0]);
        sys_write(fds[1], "hello through a pipe", 20);
        sys_exit(0);
    }
    sys_close(fds[1]);
    char buf[64];
    int n = sys_read(fds[0], buf, sizeof buf);
    check("read from child", n, 20);
    sys_waitpid(pid, &st, 0);
    check("read after the writer exited (EOF)", sys_read(fds[0], buf, sizeof buf), 0);
    sys_close(fds[0]);

    check("pipe again", sys_pipe(fds), 0);
    sys_close(fds[0]);
    pid = sys_fork();
    if (pid == 0) {
        int r = sys_write(fds[1], "x", 1);
        sys_exit(r == -EPIPE ? 1 : 2); /* not reached: SIGPIPE kills first */
    }
    sys_waitpid(pid, &st, 0);
    check("writer with no reader: wait status (SIGPIPE)", st, SIGPIPE);
    sys_close(fds[1]);

    check("pipe2 O_NONBLOCK", sys_pipe2(fds, O_NONBLOCK), 0);
    check("empty non-blocking read (EAGAIN)", sys_read(fds[0], buf, 1), -EAGAIN);
    check("F_GETFL has O_NONBLOCK", sys_fcntl(fds[0], F_GETFL, 0) & O_NONBLOCK, O_NONBLOCK);
    check("F_SETFL clears it", sys_fcntl(fds[0], F_SETFL, 0), 0);
    int dup = sys_fcntl(fds[1], F_DUPFD, 10);
    check("F_DUPFD 10", dup, 10);
    sys_close(fds[1]);
    sys_write(dup, "ab", 2);
    sys_close(dup);
    check("read through the dup'd write end", sys_read(fds[0], buf, 10), 2);
    check("then EOF", sys_read(fds[0], buf, 10), 0);
    sys_close(fds[0]);

    check("pipe for a big write", sys_pipe(fds), 0);
    pid = sys_fork();
    if (pid == 0) {
        sys_close(fds[0]);
        for (int i = 0; i < (int)sizeof big; i++) big[i] = (char)i;
        int w = sys_write(fds[1], big, sizeof big);
        sys_exit(w == (int)sizeof big ? 0 : 1);
    }
    sys_close(fds[1]);
    int total = 0, ok = 1;
    for (;;) {
        int r = sys_read(fds[0], big + total, sizeof big - total);
        if (r <= 0) break;
        total += r;
    }
    for (int i = 0; i < total; i++) if (big[i] != (char)i) ok = 0;
    check("128 KiB through a 64 KiB pipe", total, (int)sizeof big);
    check("bytes arrive in order", ok, 1);
    sys_waitpid(pid, &st, 0);
    check("the writer's whole write succeeded", st, 0);
    puts_(failed ? "pipes: FAILED\n" : "pipes: ok\n");
    sys_exit(failed);
}

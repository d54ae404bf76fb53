/* The console under poll and select (memguard only: the Linux oracle's
 * programs have /dev/null as their input). The scenario types "hello\n",
 * then qemu-run sends ^D: the console is always writable, readable while
 * input waits (the end-of-input character too), and a wait for it ends
 * when it comes. */
#include "crt.h"
#include <linux/poll.h>

static int failed;
static void check(const char *what, int got, int want)
{
    puts_(what); puts_(": "); putnum(got);
    if (got != want) { puts_("  WRONG, expected "); putnum(want); failed = 1; }
    puts_("\n");
}

void _start(void)
{
    struct pollfd p = { 1, POLLOUT | POLLIN, 0 };
    char line[64];
    int n = 0, r;
    check("poll console fd 1, nothing typed asked", sys3(__NR_poll, (long)&p, 1, 0) >= 1, 1);
    check(".. POLLOUT", p.revents & POLLOUT, POLLOUT);
    /* wait for the typed line, a piece at a time */
    while (n < 6) {
        struct pollfd in = { 0, POLLIN, 0 };
        r = sys3(__NR_poll, (long)&in, 1, 10000);
        if (r != 1 || !(in.revents & POLLIN)) { check("poll console for input", r, 1); break; }
        r = sys3(__NR_read, 0, (long)line + n, 6 - n);
        if (r <= 0) { check("read console", r, 1); break; }
        n += r;
    }
    check("typed line read through poll", n == 6 && line[0] == 'h' && line[5] == '\n', 1);
    /* then ^D: select says readable, and read says end of input */
    u32 rs = 1;
    int tv[2] = { 10, 0 };
    check("select console readable for the end of input", sys5(__NR__newselect, 1, (long)&rs, 0, 0, (long)tv), 1);
    check(".. read set", rs, 1);
    check(".. read", sys3(__NR_read, 0, (long)line, 10), 0);
    puts_(failed ? "polltty: FAILED\n" : "polltty: ok\n");
    sys_exit(failed);
}

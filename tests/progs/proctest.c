/* proctest: /proc as programs read it. readlink /proc/self/exe names this
 * program; /proc/self/stat starts "PID (proctest) R"; maps has a line for
 * the program's text; meminfo starts with MemTotal; /proc lists this
 * process's directory; /proc files cannot be written. Exit 0 when all hold. */
#include "crt.h"

static char buf[8192];

static int starts(const char *s, const char *p) { while (*p) if (*s++ != *p++) return 0; return 1; }
static int has(const char *s, const char *p) { for (; *s; s++) if (starts(s, p)) return 1; return 0; }

static int slurp(const char *path) {
    int fd = sys3(__NR_open, (long)path, 0, 0);
    if (fd < 0) return fd;
    int n = sys3(__NR_read, fd, (long)buf, sizeof buf - 1);
    sys1(__NR_close, fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

static int check(int ok, const char *what) {
    puts_(ok ? "proctest: ok: " : "proctest: FAILED: ");
    puts_(what);
    puts_("\n");
    return ok;
}

void _start(void) {
    int ok = 1;
    int n = sys3(__NR_readlink, (long)"/proc/self/exe", (long)buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    ok &= check(n > 0 && has(buf, "proctest"), "readlink /proc/self/exe names the program");
    int pid = sys0(__NR_getpid);
    char want[16]; int i = 15; want[i] = 0; unsigned u = (unsigned)pid;
    do { want[--i] = '0' + u % 10; u /= 10; } while (u);
    ok &= check(slurp("/proc/self/stat") > 0 && starts(buf, want + i) && has(buf, " (proctest) R "),
                "/proc/self/stat: pid, (comm), state R");
    ok &= check(slurp("/proc/self/maps") > 0 && has(buf, " r-xp ") && has(buf, "[stack]"),
                "/proc/self/maps: the text and the stack");
    ok &= check(slurp("/proc/meminfo") > 0 && starts(buf, "MemTotal:"), "/proc/meminfo starts with MemTotal");
    ok &= check(slurp("/proc/mounts") > 0 && has(buf, "proc /proc proc"), "/proc/mounts lists /proc");
    int fd = sys3(__NR_open, (long)"/proc/meminfo", 1 /* O_WRONLY */, 0);
    ok &= check(fd == -13, "/proc/meminfo cannot be opened for writing (EACCES)");
    fd = sys3(__NR_open, (long)"/proc", 0x10000 /* O_DIRECTORY */, 0);
    n = fd >= 0 ? sys3(__NR_getdents64, fd, (long)buf, sizeof buf) : fd;
    int found = 0;
    for (int off = 0; off + 19 < n;) {
        unsigned short reclen = *(unsigned short *)(buf + off + 16);
        if (reclen == 0) break;
        if (starts(buf + off + 19, want + i) && buf[off + 19 + (15 - i)] == 0) found = 1;
        off += reclen;
    }
    ok &= check(found, "/proc lists this process");
    puts_(ok ? "proctest: all checks passed\n" : "proctest: some checks FAILED\n");
    sys_exit(ok ? 0 : 1);
}

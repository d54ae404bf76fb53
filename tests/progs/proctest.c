/* proctest: /proc as programs read it, and what only memguard can check.
 * readlink /proc/self/exe names this program; stat, maps, meminfo; the
 * mount table as memguard boots (rootfs on /, proc on /proc); pagemap
 * shows the very frame mg_translate (the shell's `pte`) walks to, a
 * shared frame after fork, the zero frame for a page only read; smaps
 * counts the page as private dirty; status, fd/, task/; /proc files cannot
 * be written; a tmpfs mount is busy while a file in it is open.
 * Exit 0 when all hold. */
#include "crt.h"

static char buf[16384];
static char page[4096] __attribute__((aligned(4096)));

static int starts(const char *s, const char *p) { while (*p) if (*s++ != *p++) return 0; return 1; }
static const char *find(const char *s, const char *p) { for (; *s; s++) if (starts(s, p)) return s; return 0; }
static int has(const char *s, const char *p) { return find(s, p) != 0; }

static int slurp(const char *path) {
    int fd = sys3(__NR_open, (long)path, 0, 0);
    if (fd < 0) return fd;
    int n = 0, r;
    while ((r = sys3(__NR_read, fd, (long)buf + n, sizeof buf - 1 - n)) > 0) n += r;
    sys1(__NR_close, fd);
    buf[n] = 0;
    return n;
}

static int check(int ok, const char *what) {
    puts_(ok ? "proctest: ok: " : "proctest: FAILED: ");
    puts_(what);
    puts_("\n");
    if (!ok) {
        puts_("  read: ");
        puts_(buf);
        puts_("\n");
    }
    return ok;
}

static void itoa_(unsigned u, char *out) {
    char t[12]; int i = 11; t[i] = 0;
    do { t[--i] = '0' + u % 10; u /= 10; } while (u);
    for (char *p = t + i; (*out++ = *p++);) {}
}

/* This process's pagemap entry for `va`. */
static unsigned long long pagemap(unsigned va) {
    unsigned long long e = 0;
    int fd = sys3(__NR_open, (long)"/proc/self/pagemap", 0, 0);
    long long off = (long long)(va / 4096) * 8;
    if (fd >= 0) {
        sys6(__NR_pread64, fd, (long)&e, 8, (long)(unsigned)off, (long)(off >> 32), 0);
        sys1(__NR_close, fd);
    }
    return e;
}

static unsigned frame_of(unsigned va) {
    struct mg_translation t = {0};
    sys3(MG_NR_TRANSLATE, 0, va, (long)&t);
    return t.present ? t.phys >> 12 : 0;
}

#define PRESENT (1ULL << 63)
#define FILE_PAGE (1ULL << 61)
#define EXCLUSIVE (1ULL << 56)
#define PFN(e) ((unsigned)((e) & ((1ULL << 55) - 1)))

static int pagemap_checks(void) {
    int ok = 1;
    page[0] = 1;
    unsigned va = (unsigned)page;
    unsigned long long e = pagemap(va);
    ok &= check((e & PRESENT) && PFN(e) == frame_of(va) && PFN(e) != 0,
                "pagemap: a written page is present at the frame mg_translate walks to");
    ok &= check((e & EXCLUSIVE) && !(e & FILE_PAGE), "pagemap: a private page is exclusive and anonymous");
    ok &= check(pagemap(0x1000) == 0, "pagemap: an unmapped page reads 0");
    char *z = (char *)sys6(__NR_mmap2, 0, 4096, 1 /* PROT_READ */, 0x22, -1, 0);
    volatile char c = z[0];
    (void)c;
    e = pagemap((unsigned)z);
    ok &= check((e & PRESENT) && !(e & EXCLUSIVE) && PFN(e) == frame_of((unsigned)z),
                "pagemap: a page only read is the shared zero frame, not exclusive");
    int pid = sys_fork();
    if (pid == 0) {
        unsigned long long c = pagemap(va);
        sys_exit((c & PRESENT) && PFN(c) == PFN(pagemap(va)) && !(c & EXCLUSIVE) ? 0 : 1);
    }
    int st = -1;
    sys_waitpid(pid, &st, 0);
    ok &= check(st == 0, "pagemap after fork: the child sees the parent's frame, shared");
    return ok;
}

static int mount_checks(void) {
    int ok = 1;
    ok &= check(slurp("/proc/mounts") > 0 && starts(buf, "rootfs / rootfs rw 0 0\n") &&
                has(buf, "\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"),
                "/proc/mounts: rootfs on /, proc on /proc as an initramfs boot has them");
    sys2(__NR_mkdir, (long)"/tmp/m", 0755);
    int fd = sys3(__NR_open, (long)"/tmp/m/old", 0x41 /* O_CREAT|O_WRONLY */, 0644);
    sys1(__NR_close, fd);
    ok &= check(sys5(__NR_mount, (long)"none", (long)"/tmp/m", (long)"tmpfs", 0, (long)"mode=700") == 0,
                "mount tmpfs on /tmp/m");
    ok &= check(sys3(__NR_open, (long)"/tmp/m/old", 0, 0) == -2, "the mount hides the directory's file");
    ok &= check(slurp("/proc/mounts") > 0 && has(buf, "\nnone /tmp/m tmpfs rw,relatime,mode=700 0 0\n"),
                "/proc/mounts shows it with its mode");
    fd = sys3(__NR_open, (long)"/tmp/m/new", 0x41, 0644);
    ok &= check(sys2(__NR_umount2, (long)"/tmp/m", 0) == -16, "umount of a mount with an open file: EBUSY");
    sys1(__NR_close, fd);
    ok &= check(sys2(__NR_umount2, (long)"/tmp/m", 0) == 0, "umount once it is closed");
    fd = sys3(__NR_open, (long)"/tmp/m/old", 0, 0);
    ok &= check(fd >= 0, "the directory's own file is back");
    sys1(__NR_close, fd);
    return ok;
}

void _start(void) {
    int ok = 1;
    int n = sys3(__NR_readlink, (long)"/proc/self/exe", (long)buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    ok &= check(n > 0 && has(buf, "proctest"), "readlink /proc/self/exe names the program");
    int pid = sys0(__NR_getpid);
    char want[16];
    itoa_((unsigned)pid, want);
    ok &= check(slurp("/proc/self/stat") > 0 && starts(buf, want) && has(buf, " (proctest) R "),
                "/proc/self/stat: pid, (comm), state R");
    ok &= check(slurp("/proc/self/maps") > 0 && has(buf, " r-xp ") && has(buf, "[stack]"),
                "/proc/self/maps: the text and the stack");
    ok &= check(slurp("/proc/meminfo") > 0 && starts(buf, "MemTotal:"), "/proc/meminfo starts with MemTotal");
    ok &= mount_checks();
    ok &= pagemap_checks();
    page[1] = 2;
    ok &= check(slurp("/proc/self/smaps") > 0 && has(buf, "Private_Dirty:") && has(buf, " gd ") &&
                has(buf, "VmFlags: rd wr mr mw me ac \n"),
                "/proc/self/smaps: fields and VmFlags (the stack grows down)");
    ok &= check(slurp("/proc/self/status") > 0 && starts(buf, "Name:\tproctest\nUmask:\t0022\nState:\tR (running)\n") &&
                has(buf, "\nThreads:\t1\n") && has(buf, "\nCpus_allowed_list:\t0\n"),
                "/proc/self/status: Name, Umask, State, Threads, Cpus_allowed_list");
    n = sys3(__NR_readlink, (long)"/proc/self/fd/1", (long)buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    ok &= check(n > 0 && starts(buf, "/dev/console"), "/proc/self/fd/1 is the console");
    ok &= check(slurp("/proc/loadavg") > 0 && buf[1] == '.' && has(buf, "/"), "/proc/loadavg: averages, running/total");
    ok &= check(slurp("/proc/stat") > 0 && starts(buf, "cpu  ") && has(buf, "\nctxt ") && has(buf, "\nprocesses "),
                "/proc/stat: cpu, ctxt, processes");
    ok &= check(slurp("/proc/cpuinfo") > 0 && starts(buf, "processor\t: 0\nvendor_id\t: ") && has(buf, "\nflags\t\t: fpu"),
                "/proc/cpuinfo from CPUID");
    int fd = sys3(__NR_open, (long)"/proc/meminfo", 1 /* O_WRONLY */, 0);
    ok &= check(fd == -13, "/proc/meminfo cannot be opened for writing (EACCES)");
    fd = sys3(__NR_open, (long)"/proc", 0x10000 /* O_DIRECTORY */, 0);
    n = fd >= 0 ? sys3(__NR_getdents64, fd, (long)buf, sizeof buf) : fd;
    int found = 0;
    for (int off = 0; off + 19 < n;) {
        unsigned short reclen = *(unsigned short *)(buf + off + 16);
        if (reclen == 0) break;
        if (starts(buf + off + 19, want) && buf[off + 19 + slen(want)] == 0) found = 1;
        off += reclen;
    }
    sys1(__NR_close, fd);
    ok &= check(found, "/proc lists this process");
    puts_(ok ? "proctest: all checks passed\n" : "proctest: some checks FAILED\n");
    sys_exit(ok ? 0 : 1);
}

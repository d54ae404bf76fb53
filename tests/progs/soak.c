/* The soak: many rounds of the ordinary life of processes, and afterwards
 * exactly the memory there was before.
 *
 *   soak [ROUNDS]     (default 200, the short run of `make test`;
 *                      `make soak` runs 10,000)
 *
 * Each round: fork a child that execs /bin/true and exits, and reap it,
 * and one that execs a tmpfs copy of it (text mapped from the file's
 * frames); a pipe written, read and closed; 64 KiB of anonymous memory
 * mapped, touched, unmapped; a tmpfs file mapped private and shared,
 * written through both and by a forked child, truncated under the
 * mappings, grown, unmapped and removed. Runs as process 1. The frames that are free, held by
 * the kernel heap or its own must be exactly as many after as before, and
 * the heap's bytes in use too (mg_stats); it prints the figures and exits 0
 * only then. */
#include "crt.h"

static unsigned parse(const char *s) {
    unsigned v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (unsigned)(*s++ - '0');
    return v;
}

static struct mg_stats stats_of(int pid) {
    struct mg_stats st = {0};
    sys3(MG_NR_STATS, pid, (long)&st, sizeof st);
    return st;
}

/* Frames that are free, held by the kernel heap, or this process's own
 * (its pages and page tables, which may grow while it runs: a stack page,
 * a .bss page first written). With no other process left, every frame a
 * round took must be back in one of these. */
static int accounted(void) {
    struct mg_stats sys = stats_of(-1), me = stats_of(0);
    return (int)(sys.free_frames + sys.heap_frames + me.resident_pages + me.page_tables);
}

static int fail(const char *what) {
    puts_("soak: FAILED: ");
    puts_(what);
    puts_("\n");
    sys_exit(1);
    return 0;
}

static void run_true(const char *path) {
    static char *const envp[] = {0};
    char *const argv[] = {(char *)path, 0};
    int status;
    int pid = sys_fork();
    if (pid == 0) {
        sys_execve(path, argv, envp);
        sys_exit(99);
    }
    if (pid < 0) fail("fork");
    if (sys_waitpid(pid, &status, 0) != pid || status != 0) fail("the child did not exec true and exit 0");
}

#define TRUE_COPY "/tmp/soak-true"
#define MAPPED "/tmp/soak-mapped"

/* /bin/true copied to the tmpfs (once, before the first count). */
static void copy_true(void) {
    static char buf[4096];
    int in = (int)sys3(__NR_open, (long)"/bin/true", O_RDONLY, 0);
    int out = (int)sys3(__NR_open, (long)TRUE_COPY, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (in < 0 || out < 0) fail("copy /bin/true");
    long n;
    while ((n = sys3(__NR_read, in, (long)buf, sizeof buf)) > 0) sys_write(out, buf, (int)n);
    sys1(__NR_close, in);
    sys1(__NR_close, out);
}

/* A file mapped both ways, written, truncated under the mappings and
 * removed: every frame it took must come back. */
static void mapped_file(void) {
    static char page[3 * 4096];
    int fd = (int)sys3(__NR_open, (long)MAPPED, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) fail("open " MAPPED);
    if (sys_write(fd, page, sizeof page) != sizeof page) fail("write " MAPPED);
    long s = sys6(__NR_mmap2, 0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    long p = sys6(__NR_mmap2, 0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (is_err(s) || is_err(p)) fail("mmap " MAPPED);
    volatile char *sm = (volatile char *)s, *pm = (volatile char *)p;
    sm[0] = 1;
    (void)pm[4096];
    pm[2 * 4096] = 2;
    int status, pid = sys_fork();
    if (pid == 0) {
        sm[4096] = 3;
        pm[0] = 4;
        sys_exit(0);
    }
    if (pid < 0 || sys_waitpid(pid, &status, 0) != pid || status != 0) fail("the mapping child");
    if (sm[4096] != 3) fail("the child's shared write is not seen");
    sys2(__NR_ftruncate, fd, 4096);
    sys2(__NR_ftruncate, fd, 3 * 4096);
    sm[2 * 4096] = 5;
    (void)pm[4096];
    sys2(__NR_munmap, s, 4 * 4096);
    sys2(__NR_munmap, p, 4 * 4096);
    sys1(__NR_close, fd);
    sys1(__NR_unlink, (long)MAPPED);
}

static void round_trip(void) {
    run_true("/bin/true");
    run_true(TRUE_COPY);
    mapped_file();

    int fds[2];
    char buf[64] = "soak";
    if (sys1(__NR_pipe, (long)fds) != 0) fail("pipe");
    if (sys_write(fds[1], buf, sizeof buf) != sizeof buf) fail("pipe write");
    if (sys3(__NR_read, fds[0], (long)buf, sizeof buf) != sizeof buf) fail("pipe read");
    sys1(__NR_close, fds[0]);
    sys1(__NR_close, fds[1]);

    const unsigned len = 64 * 1024;
    long p = sys6(__NR_mmap2, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(p)) fail("mmap");
    for (unsigned off = 0; off < len; off += 4096) ((volatile char *)p)[off] = 1;
    if (sys2(__NR_munmap, p, len) != 0) fail("munmap");
}

__attribute__((used)) static void soak_main(unsigned *sp) {
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    unsigned rounds = argc >= 2 ? parse(argv[1]) : 200;
    copy_true();
    round_trip(); /* warm-up: the kernel's tables keep their first node */
    int frames_before = accounted();
    struct mg_stats before = stats_of(-1);
    for (unsigned r = 1; r <= rounds; r++) {
        round_trip();
        if (r % 1000 == 0) { puts_("soak: round "); putnum((int)r); puts_("\n"); }
    }
    int frames_after = accounted();
    struct mg_stats after = stats_of(-1);
    puts_("soak: rounds "); putnum((int)rounds); puts_("\n");
    puts_("soak: free + heap + own frames before "); putnum(frames_before);
    puts_(", after "); putnum(frames_after); puts_("\n");
    puts_("soak: heap bytes in use before "); putnum((int)before.heap_used);
    puts_(", after "); putnum((int)after.heap_used); puts_("\n");
    if (frames_after != frames_before) fail("frames were lost");
    if (after.heap_used != before.heap_used) fail("the kernel heap holds more");
    if (after.processes != 1 || after.zombies != 0) fail("processes are left");
    puts_("soak: every frame came back\n");
    sys_exit(0);
}

__asm__(".globl _start\n_start:\n\tmovl %esp, %eax\n\tandl $-16, %esp\n\tpushl %eax\n\tpushl %eax\n\tpushl %eax\n\tpushl %eax\n\tcall soak_main\n");

/* The soak: many rounds of the ordinary life of processes, and afterwards
 * exactly the memory there was before.
 *
 *   soak [ROUNDS]     (default 200, the short run of `make test`;
 *                      `make soak` runs 10,000)
 *
 * Each round: fork a child that execs /bin/true and exits, and reap it; a
 * pipe written, read and closed; 64 KiB of anonymous memory mapped,
 * touched, unmapped. Runs as process 1. The frames that are free, held by
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

static void round_trip(void) {
    static char *const argv[] = {"/bin/true", 0};
    static char *const envp[] = {0};
    int status;
    int pid = sys_fork();
    if (pid == 0) {
        sys_execve("/bin/true", argv, envp);
        sys_exit(99);
    }
    if (pid < 0) fail("fork");
    if (sys_waitpid(pid, &status, 0) != pid || status != 0) fail("the child did not exec /bin/true and exit 0");

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

/* The bench-only gates (src/arch/x86/benchgate.rs), from ring 3.
 *
 * Without `bench` on the command line mg_limits is ENOSYS and `int 0x81`
 * is #GP, so SIGSEGV, as on Linux for a vector it has no gate for: prints
 * "benchgate: off: ok". With `bench`: int 0x81 returns; mg_limits measures;
 * ARM refuses what it must (EINVAL, EFAULT, EBUSY); a window armed and
 * touched puts every entry back; and a window left armed by a program that
 * unmaps it, forks under it or exits gives every frame back. Prints
 * "benchgate: on: ok". Runs as process 1. */
#include "crt.h"

enum { PAGE = 4096 };

static void fail(const char *what, long v) {
    puts_("benchgate: FAILED: ");
    puts_(what);
    puts_(" (");
    putnum((int)v);
    puts_(")\n");
    sys_exit(1);
}

static long limits(long op, long a, long b) { return sys3(MG_NR_LIMITS, op, a, b); }

static volatile char *map(u32 pages) {
    long r = sys6(__NR_mmap2, 0, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(r)) fail("mmap2", r);
    return (volatile char *)r;
}

static void touch(volatile char *p, u32 pages, char v) {
    for (u32 i = 0; i < pages; i++) p[i * PAGE] = v;
}

/* Free frames plus what the heap holds, with no other process alive. */
static u32 free_frames(void) {
    struct mg_stats s = {0};
    sys3(MG_NR_STATS, -1, (long)&s, sizeof s);
    return s.free_frames + s.heap_frames;
}

static int wait_child(int pid) {
    int status = -1;
    if (sys_waitpid(pid, &status, 0) != pid) fail("waitpid", pid);
    return status;
}

static void gate_off(void) {
    int pid = sys_fork();
    if (pid == 0) {
        __asm__ volatile("int $0x81");
        sys_exit(0);
    }
    int status = wait_child(pid);
    if ((status & 0x7f) != SIGSEGV) fail("int 0x81 without `bench` did not end in SIGSEGV", status);
    puts_("benchgate: off: int 0x81 is SIGSEGV, mg_limits ENOSYS: ok\n");
}

/* A child that arms 16 pages, touches 4 of them, then does `how`, and
 * exits without disarming. Every frame must come back once it is reaped. */
static void leave_armed(const char *how) {
    u32 before = free_frames();
    int pid = sys_fork();
    if (pid == 0) {
        volatile char *p = map(16);
        touch(p, 16, 1);
        if (limits(MG_LIMITS_ARM, (long)p, 16 * PAGE) != 0) sys_exit(2);
        touch(p, 4, 2);
        if (how[0] == 'u') {          /* unmap the window, then disarm */
            sys2(__NR_munmap, (long)p, 16 * PAGE);
            if (limits(MG_LIMITS_DISARM, 0, 0) != 4) sys_exit(3);
        } else if (how[0] == 'f') {   /* fork under the window */
            int g = sys_fork();
            if (g == 0) { touch(p, 16, 3); sys_exit(0); }
            if (wait_child(g) != 0) sys_exit(4);
            if (p[5 * PAGE] != 1 && p[5 * PAGE] != 0) sys_exit(5);
        }
        sys_exit(0);
    }
    if (wait_child(pid) != 0) fail(how, pid);
    u32 after = free_frames();
    if (after != before) fail(how, (long)after - (long)before);
}

static void gate_on(void) {
    for (int i = 0; i < 1000; i++) __asm__ volatile("int $0x81");
    struct mg_limits l = {0};
    long r = limits(MG_LIMITS_MEASURE, (long)&l, sizeof l);
    if (r != sizeof l || !l.rep_stosd_4k || !l.rep_movsd_4k || !l.cr3_reload || !l.window_max_pages)
        fail("MEASURE", r);

    volatile char *p = map(8);
    touch(p, 8, 1);
    if ((r = limits(MG_LIMITS_ARM, (long)p + 1, PAGE)) != -EINVAL) fail("ARM unaligned", r);
    if ((r = limits(MG_LIMITS_ARM, (long)p, 0)) != -EINVAL) fail("ARM empty", r);
    if ((r = limits(MG_LIMITS_ARM, (long)p, (l.window_max_pages + 1) * PAGE)) != -EINVAL) fail("ARM too long", r);
    if ((r = limits(MG_LIMITS_ARM, 0x1000, PAGE)) != -EFAULT) fail("ARM unmapped", r);
    volatile char *q = map(1);
    (void)q[0];                        /* the shared zero frame: not armable */
    if ((r = limits(MG_LIMITS_ARM, (long)q, PAGE)) != -EFAULT) fail("ARM zero page", r);
    if ((r = limits(MG_LIMITS_DISARM, 0, 0)) != -EINVAL) fail("DISARM unarmed", r);
    if ((r = limits(MG_LIMITS_ARM, (long)p, 8 * PAGE)) != 0) fail("ARM", r);
    if ((r = limits(MG_LIMITS_ARM, (long)p, 8 * PAGE)) != -EBUSY) fail("ARM twice", r);
    touch(p, 5, 2);
    if ((r = limits(MG_LIMITS_DISARM, 0, 0)) != 5) fail("DISARM: faults put back", r);
    for (int i = 0; i < 8; i++)
        if (p[i * PAGE] != (i < 5 ? 2 : 1)) fail("a page lost its data", i);
    if ((r = limits(MG_LIMITS_DISARM, 0, 0)) != -EINVAL) fail("DISARM twice", r);

    leave_armed("exit while armed");
    leave_armed("unmap while armed");
    leave_armed("fork while armed");
    puts_("benchgate: on: int 0x81 returns, ARM/DISARM checks, every frame back: ok\n");
}

void _start(void) {
    struct mg_limits l;
    if (limits(MG_LIMITS_MEASURE, (long)&l, sizeof l) == -ENOSYS) gate_off();
    else gate_on();
    sys_exit(0);
}

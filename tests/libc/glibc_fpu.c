/* glibc_fpu: each task's x87 and SSE state stays its own across task
 * switches, now that the kernel switches the FPU lazily (CR0.TS and #NM,
 * src/arch/x86/fpu.rs). Processes and threads, each with its own x87
 * control word, MXCSR, x87 stack and XMM registers, compute and yield in
 * turns; every one checks after every yield that nothing of another leaked
 * in. A child that never touches the FPU runs between them too, and a
 * signal handler's FPU use must not show in the code it interrupted, and
 * the handler starts from the initial state (control word 0x37f, MXCSR
 * 0x1f80), not the interrupted code's, as on Linux.
 * Prints "glibc_fpu: ok" and exits 0, or says what differed and exits 1. */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ROUNDS = 300, TASKS = 3, THREADS = 2 };

static void set_cw(uint16_t cw) { __asm__ volatile("fldcw %0" ::"m"(cw)); }
static uint16_t get_cw(void) { uint16_t cw; __asm__ volatile("fnstcw %0" : "=m"(cw)); return cw; }
static void set_mxcsr(uint32_t m) { __asm__ volatile("ldmxcsr %0" ::"m"(m)); }
static uint32_t get_mxcsr(void) { uint32_t m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }
static void set_xmm1(uint32_t v) { __asm__ volatile("movd %0, %%xmm1" ::"r"(v)); }
static uint32_t get_xmm1(void) { uint32_t v; __asm__ volatile("movd %%xmm1, %0" : "=r"(v)); return v; }

/* Pushes v on the x87 stack and leaves it there across the yield. */
static void push_st(double v) { __asm__ volatile("fldl %0" ::"m"(v)); }
static double pop_st(void) { double v; __asm__ volatile("fstpl %0" : "=m"(v)); return v; }

static volatile sig_atomic_t handled;
static volatile uint32_t handler_cw, handler_mxcsr;
static void on_usr1(int sig)
{
    (void)sig;
    handler_cw = get_cw();
    handler_mxcsr = get_mxcsr();
    set_cw(0x7f);           /* the handler's own FPU state: must not leak back */
    set_mxcsr(0x3f80);
    set_xmm1(0xdeadbeef);
    volatile double x = 3.0;
    x = x * x;
    handled = 1;
}

/* One task's work: its own control word, MXCSR, XMM1 and st(0), checked
 * after every yield. Returns 0 if all held. */
static int work(int id)
{
    uint16_t cw = (uint16_t)(0x37f - 0x100 * (id & 3));   /* precision control differs */
    uint32_t mx = 0x1f80 | (uint32_t)(id & 3) << 13;         /* rounding control differs */
    uint32_t xv = 0x1000u * (uint32_t)(id + 1) + 7u;
    volatile double sv = 1.5 + id;   /* in memory: the x87 stack holds only ours */
    set_cw(cw);
    set_mxcsr(mx);
    set_xmm1(xv);
    push_st(sv);
    for (int r = 0; r < ROUNDS; r++) {
        sched_yield();
        /* Task 1's control word and MXCSR differ from the initial ones. */
        if (r == ROUNDS / 2 && id == 1) {
            raise(SIGUSR1);
            if (!handled) { printf("glibc_fpu: task %d: SIGUSR1 not handled\n", id); return 1; }
            if (handler_cw != 0x37f || handler_mxcsr != 0x1f80) {
                printf("glibc_fpu: the handler started with cw %#x mxcsr %#x, expected 0x37f 0x1f80\n",
                       handler_cw, handler_mxcsr);
                return 1;
            }
        }
        if (get_cw() != cw || get_mxcsr() != mx || get_xmm1() != xv) {
            printf("glibc_fpu: task %d round %d: cw %#x mxcsr %#x xmm1 %#x, expected %#x %#x %#x\n", id, r,
                   get_cw(), get_mxcsr(), get_xmm1(), cw, mx, xv);
            return 1;
        }
    }
    double got = pop_st();
    if (got != sv) {
        printf("glibc_fpu: task %d: st(0) %g, expected %g\n", id, got, sv);
        return 1;
    }
    return 0;
}

static void *thread_main(void *arg) { return (void *)(intptr_t)work((int)(intptr_t)arg); }

int main(void)
{
    signal(SIGUSR1, on_usr1);
    pid_t kids[TASKS + 1];
    for (int i = 1; i <= TASKS; i++) {
        kids[i] = fork();
        if (kids[i] == 0)
            _exit(work(i));
    }
    /* A child with no floating point at all, switched to and from. */
    kids[0] = fork();
    if (kids[0] == 0) {
        for (int r = 0; r < ROUNDS; r++)
            sched_yield();
        _exit(0);
    }
    pthread_t th[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&th[i], 0, thread_main, (void *)(intptr_t)(10 + i));
    int bad = work(0);
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(th[i], &r);
        bad |= r != 0;
    }
    for (int i = 0; i <= TASKS; i++) {
        int st;
        waitpid(kids[i], &st, 0);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            printf("glibc_fpu: child %d ended with status %#x\n", i, st);
            bad = 1;
        }
    }
    puts(bad ? "glibc_fpu: FAILED" : "glibc_fpu: ok");
    return bad;
}

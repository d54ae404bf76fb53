/* Signals as an unmodified static glibc program uses them (gcc -m32 -static):
 * sigaction with SA_SIGINFO, raise and kill to itself, the signal mask,
 * pending signals and sigsuspend, a SIGSEGV handler that repairs the page
 * and returns (the faulting write then succeeds), SIGFPE left through
 * siglongjmp, alarm and pause, ITIMER_REAL ticks, a stack overflow caught on
 * an alternate signal stack, SA_RESTART against EINTR on a pipe read, and
 * SIGCHLD from a child. Single-threaded on purpose (glibc_threads.c has the
 * threads). Runs as process 1 under memguard, so every signal it sends to
 * itself has a handler (Linux ignores SIG_DFL signals sent to init).
 * Prints one line per part and `glibc_signals: all N checks passed`; on a
 * failure, the check that failed, and exits 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

static int checks;

static void check(int ok, const char *what)
{
    int e = errno;
    checks++;
    if (!ok) {
        printf("glibc_signals: check %d FAILED: %s (errno %d)\n", checks, what, e);
        exit(1);
    }
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags, int also_block)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    if (also_block) sigaddset(&sa.sa_mask, also_block);
    check(sigaction(sig, &sa, NULL) == 0, "sigaction installs a handler");
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* ---- SA_SIGINFO, raise, kill, the mask inside a handler ---------------- */
static volatile sig_atomic_t hits, got_signo, got_code, got_pid, got_uid, mask_in_handler;

static void info_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    mask_in_handler = sigismember(&cur, sig) + 2 * sigismember(&cur, SIGUSR2);
    got_signo = si->si_signo;
    got_code = si->si_code;
    got_pid = si->si_pid;
    got_uid = si->si_uid;
    hits++;
}

static void test_siginfo(void)
{
    on(SIGUSR1, info_handler, 0, SIGUSR2);
    struct sigaction old;
    check(sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_sigaction == info_handler &&
              (old.sa_flags & SA_SIGINFO) && sigismember(&old.sa_mask, SIGUSR2),
          "sigaction reads back the handler, SA_SIGINFO and sa_mask");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    errno = 0;
    check(sigaction(SIGKILL, &sa, NULL) == -1 && errno == EINVAL, "sigaction(SIGKILL) is EINVAL");
    errno = 0;
    check(sigaction(SIGSTOP, &sa, NULL) == -1 && errno == EINVAL, "sigaction(SIGSTOP) is EINVAL");

    hits = 0;
    check(raise(SIGUSR1) == 0, "raise(SIGUSR1) returns 0");
    check(hits == 1, "the handler ran before raise returned");
    check(got_signo == SIGUSR1, "si_signo is SIGUSR1");
    check(got_code == SI_TKILL, "raise's si_code is SI_TKILL");
    check(got_pid == getpid(), "raise's si_pid is our pid");
    check(mask_in_handler == 3, "inside the handler SIGUSR1 and sa_mask's SIGUSR2 are blocked");
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    check(!sigismember(&cur, SIGUSR1) && !sigismember(&cur, SIGUSR2),
          "the mask is back after the handler returned");
    printf("signals: raise(SIGUSR1): SA_SIGINFO handler, si_code SI_TKILL, si_pid ours, "
           "SIGUSR1+SIGUSR2 blocked inside\n");

    hits = 0;
    check(kill(getpid(), SIGUSR1) == 0, "kill(getpid(), SIGUSR1) returns 0");
    check(hits == 1, "the handler ran before kill returned");
    check(got_code == SI_USER, "kill's si_code is SI_USER");
    check(got_pid == getpid() && got_uid == (sig_atomic_t)getuid(), "kill's si_pid and si_uid are ours");
    check(kill(getpid(), 0) == 0, "kill(getpid(), 0) checks we exist");
    printf("signals: kill(getpid(), SIGUSR1): si_code SI_USER, si_pid and si_uid ours\n");
}

/* ---- sigprocmask, sigpending, sigsuspend -------------------------------- */
static void test_mask(void)
{
    sigset_t usr1, old, pend, cur, wait;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    check(sigprocmask(SIG_BLOCK, &usr1, &old) == 0, "sigprocmask(SIG_BLOCK)");
    hits = 0;
    kill(getpid(), SIGUSR1);
    check(hits == 0, "a blocked SIGUSR1 is not delivered");
    check(sigpending(&pend) == 0 && sigismember(&pend, SIGUSR1) && !sigismember(&pend, SIGUSR2),
          "sigpending shows SIGUSR1 (only)");
    check(sigprocmask(SIG_UNBLOCK, &usr1, NULL) == 0, "sigprocmask(SIG_UNBLOCK)");
    check(hits == 1, "unblocking delivers the pending SIGUSR1 at once");
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR1), "nothing pending after the delivery");

    sigprocmask(SIG_BLOCK, &usr1, NULL);
    hits = 0;
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1); /* a standard signal is pending at most once */
    check(hits == 0, "still blocked");
    sigprocmask(SIG_SETMASK, NULL, &wait);
    sigdelset(&wait, SIGUSR1);
    errno = 0;
    check(sigsuspend(&wait) == -1 && errno == EINTR, "sigsuspend returns -1 EINTR");
    check(hits == 1, "sigsuspend ran the handler once (two kills, one pending signal)");
    sigprocmask(SIG_SETMASK, NULL, &cur);
    check(sigismember(&cur, SIGUSR1), "sigsuspend put the old mask back");
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR1), "nothing pending after sigsuspend");
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("signals: sigprocmask/sigpending: blocked SIGUSR1 pends once, unblocking delivers; "
           "sigsuspend -> EINTR, mask restored\n");
}

/* ---- SIGSEGV: read si_addr and si_code, repair, return ------------------ */
static volatile uintptr_t segv_addr;
static volatile sig_atomic_t segv_code, segv_hits;

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    segv_hits++;
    segv_addr = (uintptr_t)si->si_addr;
    segv_code = si->si_code;
    char *page = (char *)(segv_addr & ~(uintptr_t)4095);
    if (si->si_code == SEGV_ACCERR)
        mprotect(page, 4096, PROT_READ | PROT_WRITE);
    else
        mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

static void test_segv(void)
{
    on(SIGSEGV, segv_handler, 0, 0);
    char *p = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(p != MAP_FAILED, "mmap two read-only pages");
    volatile char *q = p + 100;
    *q = 'A'; /* faults; the handler makes the page writable; the write is redone */
    check(segv_hits == 1, "a write to a read-only page raised SIGSEGV once");
    check(segv_addr == (uintptr_t)(p + 100), "si_addr is the faulting address");
    check(segv_code == SEGV_ACCERR, "si_code is SEGV_ACCERR");
    check(p[100] == 'A', "the write succeeded after the handler returned");
    printf("signals: SIGSEGV on a read-only page: si_addr exact, SEGV_ACCERR, mprotect in the handler, "
           "write done\n");

    check(munmap(p + 4096, 4096) == 0, "munmap the second page");
    q = p + 4096 + 8;
    *q = 'B'; /* faults on a hole; the handler maps a page there */
    check(segv_hits == 2, "a write to an unmapped page raised SIGSEGV");
    check(segv_addr == (uintptr_t)(p + 4096 + 8), "si_addr is the faulting address (hole)");
    check(segv_code == SEGV_MAPERR, "si_code is SEGV_MAPERR");
    check(p[4096 + 8] == 'B', "the write succeeded after the handler mapped the page");
    munmap(p, 8192);
    printf("signals: SIGSEGV on a hole: SEGV_MAPERR, mmap MAP_FIXED in the handler, write done\n");
}

/* ---- SIGFPE left through siglongjmp -------------------------------------- */
static sigjmp_buf fpe_jmp;
static volatile sig_atomic_t fpe_code, fpe_hits;
static volatile uintptr_t fpe_addr;

static void fpe_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    fpe_hits++;
    fpe_code = si->si_code;
    fpe_addr = (uintptr_t)si->si_addr;
    siglongjmp(fpe_jmp, 1);
}

static void test_fpe(void)
{
    on(SIGFPE, fpe_handler, 0, 0);
    volatile int zero = 0, seven = 7, min = INT_MIN, minus1 = -1, sink;
    /* Twice: siglongjmp must unblock SIGFPE again (sigsetjmp saved the mask),
     * or the second division would find it blocked and kill us. */
    for (int round = 0; round < 2; round++) {
        if (sigsetjmp(fpe_jmp, 1) == 0) {
            sink = seven / zero;
            check(0, "integer division by zero did not trap");
        }
        check(fpe_hits == round + 1, "SIGFPE caught");
        check(fpe_code == FPE_INTDIV, "si_code is FPE_INTDIV");
        check(fpe_addr != 0, "si_addr is the faulting instruction");
    }
    if (sigsetjmp(fpe_jmp, 1) == 0) {
        sink = min / minus1;
        check(0, "INT_MIN / -1 did not trap");
    }
    (void)sink;
    check(fpe_hits == 3 && fpe_code == FPE_INTDIV, "INT_MIN / -1 raises SIGFPE FPE_INTDIV too");
    sigset_t cur;
    sigprocmask(SIG_SETMASK, NULL, &cur);
    check(!sigismember(&cur, SIGFPE), "SIGFPE unblocked after siglongjmp");
    printf("signals: SIGFPE: 7/0 twice and INT_MIN/-1, FPE_INTDIV, left by siglongjmp\n");
}

/* ---- alarm and pause; setitimer ------------------------------------------ */
static volatile sig_atomic_t alrm_hits;

static void alrm_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    alrm_hits++;
}

static void test_alarm(void)
{
    on(SIGALRM, alrm_handler, 0, 0);
    check(alarm(5) == 0, "alarm(5) with no alarm set returns 0");
    check(alarm(1) == 5, "alarm(1) returns the 5 seconds left of the old alarm");
    long long t0 = now_ms();
    alrm_hits = 0;
    errno = 0;
    check(pause() == -1 && errno == EINTR, "pause returns -1 EINTR");
    long long dt = now_ms() - t0;
    check(alrm_hits == 1, "SIGALRM's handler ran once");
    check(dt >= 900 && dt < 5000, "the alarm came after about a second");
    check(alarm(0) == 0, "no alarm left");
    printf("signals: alarm(1) + pause: SIGALRM after about 1 s, pause -> EINTR\n");

    sigset_t alrm, old, wait;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, &old);
    wait = old;
    sigdelset(&wait, SIGALRM);
    struct itimerval it = {{0, 20000}, {0, 20000}}, got;
    alrm_hits = 0;
    t0 = now_ms();
    check(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer(ITIMER_REAL, 20 ms period)");
    while (alrm_hits < 5) sigsuspend(&wait);
    dt = now_ms() - t0;
    check(getitimer(ITIMER_REAL, &got) == 0, "getitimer");
    check(got.it_interval.tv_sec == 0 && got.it_interval.tv_usec == 20000, "getitimer: the 20 ms period");
    check(got.it_value.tv_sec == 0 && got.it_value.tv_usec > 0 && got.it_value.tv_usec <= 20000,
          "getitimer: the next tick is within a period");
    struct itimerval off = {{0, 0}, {0, 0}};
    check(setitimer(ITIMER_REAL, &off, &got) == 0 && got.it_interval.tv_usec == 20000,
          "setitimer disarms and returns the old period");
    check(dt >= 90, "5 ticks of 20 ms took at least 90 ms");
    getitimer(ITIMER_REAL, &got);
    check(got.it_value.tv_sec == 0 && got.it_value.tv_usec == 0, "the timer is disarmed");
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("signals: setitimer(ITIMER_REAL, 20 ms): 5 ticks through sigsuspend, getitimer, disarmed\n");
}

/* ---- sigaltstack + SA_ONSTACK: a stack overflow -------------------------- */
static char *alt_base;
static const size_t alt_size = 64 * 1024;
static char *guard;
static sigjmp_buf ovf_jmp;
static volatile sig_atomic_t ovf_on_alt, ovf_flags, ovf_code;
static volatile uintptr_t ovf_addr;
static volatile int depth, keep_going = 1;

static void ovf_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    char local;
    uintptr_t here = (uintptr_t)&local;
    ovf_on_alt = here >= (uintptr_t)alt_base && here < (uintptr_t)alt_base + alt_size;
    stack_t ss;
    sigaltstack(NULL, &ss);
    ovf_flags = ss.ss_flags;
    ovf_addr = (uintptr_t)si->si_addr;
    ovf_code = si->si_code;
    siglongjmp(ovf_jmp, 1);
}

__attribute__((noinline, noipa)) static int recurse(int n)
{
    volatile char buf[512];
    buf[0] = (char)n;
    depth = n;
    return keep_going ? recurse(n + 1) + buf[0] : 0; /* keep_going stays 1 */
}

static void overflow(void) { recurse(0); }

/* Runs overflow() on a 64 KiB stack with a PROT_NONE guard page below it. */
static void overflow_on_small_stack(void)
{
    static ucontext_t main_uc, uc;
    guard = mmap(NULL, 4096 + 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(guard != MAP_FAILED && mprotect(guard, 4096, PROT_NONE) == 0, "a stack with a guard page");
    check(getcontext(&uc) == 0, "getcontext");
    uc.uc_stack.ss_sp = guard + 4096;
    uc.uc_stack.ss_size = 65536;
    uc.uc_link = &main_uc;
    makecontext(&uc, overflow, 0);
    swapcontext(&main_uc, &uc);
}

static void test_altstack(void)
{
    alt_base = mmap(NULL, alt_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    check(alt_base != MAP_FAILED, "mmap the alternate stack");
    stack_t ss = {.ss_sp = alt_base, .ss_size = alt_size, .ss_flags = 0}, old;
    check(sigaltstack(&ss, &old) == 0 && (old.ss_flags & SS_DISABLE), "sigaltstack installs (none before)");
    check(sigaltstack(NULL, &old) == 0 && old.ss_sp == alt_base && old.ss_size == alt_size &&
              old.ss_flags == 0,
          "sigaltstack reads it back, not on it");
    on(SIGSEGV, ovf_handler, SA_ONSTACK, 0);
    if (sigsetjmp(ovf_jmp, 1) == 0) {
        overflow_on_small_stack();
        check(0, "the recursion returned");
    }
    check(ovf_on_alt, "the SIGSEGV handler ran on the alternate stack");
    check(ovf_flags == SS_ONSTACK, "sigaltstack in the handler says SS_ONSTACK");
    check(ovf_addr >= (uintptr_t)guard && ovf_addr < (uintptr_t)guard + 4096, "si_addr is in the guard page");
    check(ovf_code == SEGV_ACCERR, "si_code is SEGV_ACCERR (the guard is PROT_NONE)");
    check(depth > 50, "the recursion went deep first");
    check(sigaltstack(NULL, &old) == 0 && old.ss_flags == 0, "after siglongjmp we are off the alternate stack");
    printf("signals: stack overflow: SIGSEGV handled on the sigaltstack (SS_ONSTACK), si_addr in the guard "
           "page, left by siglongjmp\n");

    /* Without an alternate stack the kernel cannot push the signal frame:
     * the process dies of SIGSEGV. */
    fflush(stdout);
    pid_t pid = fork();
    check(pid >= 0, "fork");
    if (pid == 0) {
        stack_t off = {.ss_flags = SS_DISABLE};
        sigaltstack(&off, NULL);
        overflow_on_small_stack();
        _exit(3);
    }
    int status;
    check(waitpid(pid, &status, 0) == pid, "waitpid the overflowing child");
    check(WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV,
          "without an alternate stack the overflow kills with SIGSEGV");
    printf("signals: the same overflow without an alternate stack: child killed by SIGSEGV\n");
}

/* ---- SA_RESTART against EINTR: read on an empty pipe ---------------------- */
static int pipefd[2];
static volatile sig_atomic_t restart_hits;

static void restart_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    restart_hits++;
    char c = 'r';
    write(pipefd[1], &c, 1);
}

static void test_restart(void)
{
    check(pipe(pipefd) == 0, "pipe");
    struct itimerval once = {{0, 0}, {0, 100000}};
    char c = 0;

    on(SIGALRM, restart_handler, SA_RESTART, 0);
    restart_hits = 0;
    setitimer(ITIMER_REAL, &once, NULL);
    ssize_t n = read(pipefd[0], &c, 1); /* blocks; SIGALRM; the handler writes 'r' */
    check(restart_hits == 1, "SIGALRM interrupted the blocked read");
    check(n == 1 && c == 'r', "with SA_RESTART the read restarted and got the handler's byte");

    on(SIGALRM, restart_handler, 0, 0);
    setitimer(ITIMER_REAL, &once, NULL);
    c = 0;
    errno = 0;
    n = read(pipefd[0], &c, 1);
    check(restart_hits == 2, "SIGALRM interrupted the second read");
    check(n == -1 && errno == EINTR, "without SA_RESTART the read fails with EINTR");
    check(read(pipefd[0], &c, 1) == 1 && c == 'r', "the handler's byte is still in the pipe");
    close(pipefd[0]);
    close(pipefd[1]);
    printf("signals: read on an empty pipe, SIGALRM: SA_RESTART restarts it, without it EINTR\n");
}

/* ---- SIGCHLD --------------------------------------------------------------- */
static volatile sig_atomic_t chld_hits, chld_code, chld_status, chld_pid;

static void chld_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    chld_hits++;
    chld_code = si->si_code;
    chld_status = si->si_status;
    chld_pid = si->si_pid;
}

static void test_sigchld(void)
{
    on(SIGCHLD, chld_handler, SA_RESTART, 0);
    sigset_t chld, old, wait;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    wait = old;
    sigdelset(&wait, SIGCHLD);
    chld_hits = 0;
    fflush(stdout);
    pid_t pid = fork();
    check(pid >= 0, "fork");
    if (pid == 0) _exit(7);
    while (chld_hits == 0) sigsuspend(&wait);
    check(chld_code == CLD_EXITED, "SIGCHLD's si_code is CLD_EXITED");
    check(chld_status == 7 && chld_pid == pid, "SIGCHLD's si_status is 7 and si_pid the child");
    int status;
    check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7,
          "waitpid: exited with 7");

    /* A child killed by a signal another process sent. */
    chld_hits = 0;
    pid = fork();
    check(pid >= 0, "fork");
    if (pid == 0) {
        for (;;) pause();
    }
    check(kill(pid, SIGTERM) == 0, "kill(child, SIGTERM)");
    while (chld_hits == 0) sigsuspend(&wait);
    check(chld_code == CLD_KILLED && chld_status == SIGTERM, "SIGCHLD says CLD_KILLED by SIGTERM");
    check(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM,
          "waitpid: killed by SIGTERM");
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("signals: SIGCHLD: CLD_EXITED status 7, CLD_KILLED by SIGTERM\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_siginfo();
    test_mask();
    test_segv();
    test_fpe();
    test_alarm();
    test_altstack();
    test_restart();
    test_sigchld();
    printf("glibc_signals: all %d checks passed\n", checks);
    return 0;
}

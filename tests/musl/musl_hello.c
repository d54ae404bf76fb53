/* A program built with musl (tools/musl-gcc: static, i386), unmodified.
 * musl reaches the kernel its own way: its start-up sets up TLS with
 * set_thread_area, malloc is mallocng (brk and mmap), pthread_create is a
 * plain clone with CLONE_SETTLS (no clone3), joins wait on the thread id with
 * futex, and sigaction gives the kernel musl's own sa_restorer. Covered here:
 * printf, malloc, a __thread variable per thread, setenv/getenv, threads
 * with a mutex, a signal handler through sigaction (raise, and pthread_kill
 * to a thread). Prints a few lines and `musl_hello: all N checks passed`;
 * on a failure, the check that failed, and exits 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int checks;
static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;

static void check(int ok, const char *what)
{
    int e = errno;
    pthread_mutex_lock(&check_lock);
    checks++;
    if (!ok) {
        printf("musl_hello: check %d FAILED: %s (errno %d)\n", checks, what, e);
        fflush(stdout);
        _exit(1);
    }
    pthread_mutex_unlock(&check_lock);
}

/* For the pthread_* calls, which return the error instead of setting errno. */
static void check_pt(int rc, const char *what)
{
    errno = rc;
    check(rc == 0, what);
}

static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }

static __thread int counter = 41;
static __thread char tls_buf[32] = "main";

/* ---- threads --------------------------------------------------------------- */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long shared;

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    int start = counter; /* the initial image: 41, not main's 42 */
    counter = 1000 + id;
    snprintf(tls_buf, sizeof tls_buf, "worker %d", id);
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        shared++;
        pthread_mutex_unlock(&lock);
    }
    char want[32];
    snprintf(want, sizeof want, "worker %d", id);
    int ok = start == 41 && counter == 1000 + id && strcmp(tls_buf, want) == 0 && tid() != getpid();
    return (void *)(intptr_t)(ok ? id * 10 : -1);
}

/* ---- signals --------------------------------------------------------------- */
static volatile sig_atomic_t hits, got_signo, got_code, got_tid;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    hits++;
    got_signo = sig == si->si_signo ? sig : -1;
    got_code = si->si_code;
    got_tid = tid();
}

static void *sig_target(void *arg)
{
    (void)arg;
    sigset_t wait;
    pthread_sigmask(SIG_SETMASK, NULL, &wait);
    sigdelset(&wait, SIGUSR2);
    while (got_tid == 0) sigsuspend(&wait);
    return (void *)(intptr_t)tid();
}

int main(int argc, char **argv)
{
    (void)argc, (void)argv;
    setvbuf(stdout, NULL, _IOLBF, 0);

    counter++;
    check(counter == 42, "__thread counter in main");
    unsigned gs;
    __asm__("movl %%gs, %0" : "=r"(gs));
    check((gs & 3) == 3, "%gs holds a user (RPL 3) TLS selector");
    char *big = malloc(1 << 20);
    check(big != NULL, "malloc 1 MiB");
    memset(big, 'x', 1 << 20);
    char *small[100];
    int all = 1;
    for (int i = 0; i < 100; i++) {
        small[i] = malloc(16 + i);
        if (!small[i]) all = 0; else memset(small[i], i, 16 + i);
    }
    check(all, "malloc 100 small blocks");
    for (int i = 0; i < 100; i++) {
        if ((unsigned char)small[i][15 + i] != i) all = 0;
        free(small[i]);
    }
    check(all, "the small blocks kept their bytes");
    check(big[12345] == 'x' && big[(1 << 20) - 1] == 'x', "the 1 MiB block kept its bytes");
    free(big);
    printf("musl: hello, __thread counter %d, 1 MiB + 100 small blocks malloc'd and freed: ok\n", counter);

    check(getenv("MUSL_HELLO_UNSET") == NULL, "getenv of an unset variable is NULL");
    check(setenv("MUSL_HELLO", "from setenv", 1) == 0, "setenv");
    const char *v = getenv("MUSL_HELLO");
    check(v && strcmp(v, "from setenv") == 0, "getenv finds what setenv set");
    printf("musl: getenv(\"MUSL_HELLO\") = \"%s\"\n", v);

    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        check_pt(pthread_create(&th[i], NULL, worker, (void *)(intptr_t)(i + 1)), "pthread_create");
    for (int i = 0; i < 4; i++) {
        void *ret;
        check_pt(pthread_join(th[i], &ret), "pthread_join");
        check((intptr_t)ret == (i + 1) * 10, "the thread saw its own __thread values and returned its value");
    }
    check(shared == 80000, "4 threads x 20000 mutex-protected increments");
    check(counter == 42 && strcmp(tls_buf, "main") == 0, "main's __thread values untouched");
    printf("musl: 4 threads joined, own __thread values, mutex counter %ld\n", shared);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    check(sigaction(SIGUSR1, &sa, NULL) == 0 && sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction");
    check(raise(SIGUSR1) == 0, "raise");
    check(hits == 1 && got_signo == SIGUSR1 && got_tid == getpid(), "raise ran the handler in main");
    check(got_code == SI_TKILL, "raise's si_code is SI_TKILL (musl raises with tkill)");
    sigset_t usr2, old;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, &old);
    got_tid = 0;
    pthread_t t;
    check_pt(pthread_create(&t, NULL, sig_target, NULL), "pthread_create");
    check_pt(pthread_kill(t, SIGUSR2), "pthread_kill");
    void *ret;
    pthread_join(t, &ret);
    check(hits == 2 && got_signo == SIGUSR2 && got_tid == (intptr_t)ret && got_tid != getpid(),
          "pthread_kill ran the handler on the target thread");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    printf("musl: sigaction handler: raise in main, pthread_kill on a thread\n");

    printf("musl_hello: all %d checks passed\n", checks);
    return 0;
}

/* Threads as an unmodified static glibc program uses them (gcc -m32 -static):
 * pthread_create/join (clone with CLONE_SETTLS and CLONE_CHILD_CLEARTID,
 * futex waits on the thread id), a barrier, a mutex under contention, a
 * condition variable ping-pong and a timed wait, __thread variables per
 * thread, gettid, pthread_kill and a process-directed signal that only one
 * thread can take, a thread's exit() ending the whole process, the main
 * thread leaving first, fork from a threaded program (from the main thread
 * and from another one), posix_spawn (clone CLONE_VM|CLONE_VFORK).
 * Runs as process 1 under memguard: every signal it sends has a handler.
 * Prints one line per part and `glibc_threads: all N checks passed`; on a
 * failure, the check that failed, and exits 1. tests/musl/musl_threads.c
 * builds the same checks against musl, under the name TEST_NAME. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef TEST_NAME
#define TEST_NAME "glibc_threads"
#endif

static int checks;
static pthread_mutex_t check_lock = PTHREAD_MUTEX_INITIALIZER;

/* Callable from any thread: a failure ends the process with status 1. */
static void check(int ok, const char *what)
{
    int e = errno;
    pthread_mutex_lock(&check_lock);
    checks++;
    if (!ok) {
        printf(TEST_NAME ": check %d FAILED: %s (errno %d)\n", checks, what, e);
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

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static __thread int tls_val = 100;
static __thread char tls_name[16] = "initial";

/* ---- create/join, barrier, __thread, gettid, pthread_self --------------- */
#define NT 8
static pthread_barrier_t barrier;

struct info {
    int id;
    pid_t tid;
    pthread_t self;
    int *tls_addr;
    int tls_start, tls_end;
    char name_start[16];
};

static void *worker(void *arg)
{
    struct info *in = arg;
    in->tid = tid();
    in->self = pthread_self();
    in->tls_start = tls_val; /* the initial image, not main's value */
    memcpy(in->name_start, tls_name, sizeof tls_name);
    tls_val = in->id;
    snprintf(tls_name, sizeof tls_name, "thread %d", in->id);
    in->tls_addr = &tls_val;
    pthread_barrier_wait(&barrier); /* every thread has set its own value */
    pthread_barrier_wait(&barrier); /* main has looked at all of them */
    char want[16];
    snprintf(want, sizeof want, "thread %d", in->id);
    in->tls_end = strcmp(tls_name, want) == 0 ? tls_val : -1;
    return (void *)(intptr_t)(in->id * in->id);
}

static void test_create_join(void)
{
    tls_val = 1;
    strcpy(tls_name, "main");
    struct info in[NT];
    pthread_t th[NT];
    check_pt(pthread_barrier_init(&barrier, NULL, NT + 1), "pthread_barrier_init");
    for (int i = 0; i < NT; i++) {
        memset(&in[i], 0, sizeof in[i]);
        in[i].id = i + 1;
        check_pt(pthread_create(&th[i], NULL, worker, &in[i]), "pthread_create");
    }
    pthread_barrier_wait(&barrier);
    /* All NT threads are alive here: their ids must all differ. */
    for (int i = 0; i < NT; i++) {
        check(in[i].tid > 0 && in[i].tid != getpid() && in[i].tid != tid(), "a thread's gettid is not the pid");
        check(!pthread_equal(in[i].self, pthread_self()), "a thread's pthread_self is not main's");
        check(pthread_equal(in[i].self, th[i]), "pthread_self is what pthread_create returned");
        check(in[i].tls_addr != &tls_val, "a thread's __thread variable is its own");
        for (int j = 0; j < i; j++) {
            check(in[i].tid != in[j].tid, "two live threads have different ids");
            check(in[i].tls_addr != in[j].tls_addr, "two threads have different __thread variables");
        }
    }
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < NT; i++) {
        void *ret;
        check_pt(pthread_join(th[i], &ret), "pthread_join");
        check((intptr_t)ret == (i + 1) * (i + 1), "pthread_join returns the thread's value");
        check(in[i].tls_start == 100 && strcmp(in[i].name_start, "initial") == 0,
              "a new thread's __thread variables start from their initialisers");
        check(in[i].tls_end == i + 1, "a thread's __thread variables kept its values");
    }
    check(tls_val == 1 && strcmp(tls_name, "main") == 0, "main's __thread variables untouched");
    check(tid() == getpid(), "main's gettid is the pid");
    pthread_barrier_destroy(&barrier);
    printf("threads: %d threads created and joined, return values ok, distinct gettid and "
           "pthread_self, __thread per thread\n",
           NT);
}

/* ---- a mutex under contention -------------------------------------------- */
static pthread_mutex_t count_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *incrementer(void *arg)
{
    (void)arg;
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&count_lock);
        long c = counter;
        if ((i & 1023) == 0) sched_yield(); /* let the others pile up on the lock */
        counter = c + 1;
        pthread_mutex_unlock(&count_lock);
    }
    return NULL;
}

static void test_mutex(void)
{
    pthread_t th[4];
    counter = 0;
    for (int i = 0; i < 4; i++) check_pt(pthread_create(&th[i], NULL, incrementer, NULL), "pthread_create");
    for (int i = 0; i < 4; i++) check_pt(pthread_join(th[i], NULL), "pthread_join");
    check(counter == 400000, "4 threads x 100000 increments under a mutex make 400000");
    check(pthread_mutex_trylock(&count_lock) == 0, "trylock of a free mutex");
    check(pthread_mutex_trylock(&count_lock) == EBUSY, "trylock of a held mutex is EBUSY");
    pthread_mutex_unlock(&count_lock);
    printf("threads: mutex counter: 4 x 100000 = %ld\n", counter);
}

/* ---- condition variables --------------------------------------------------- */
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pp_cond = PTHREAD_COND_INITIALIZER;
static int turn, volleys, out_of_turn;
#define ROUNDS 1000

static void *player(void *arg)
{
    int me = (int)(intptr_t)arg;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&pp_lock);
        while (turn != me) pthread_cond_wait(&pp_cond, &pp_lock);
        if (volleys % 2 != me) out_of_turn++;
        volleys++;
        turn = 1 - me;
        pthread_cond_broadcast(&pp_cond);
        pthread_mutex_unlock(&pp_lock);
    }
    return NULL;
}

static void test_cond(void)
{
    pthread_t a, b;
    turn = 0;
    volleys = 0;
    check_pt(pthread_create(&b, NULL, player, (void *)1), "pthread_create");
    check_pt(pthread_create(&a, NULL, player, (void *)0), "pthread_create");
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    check(volleys == 2 * ROUNDS && out_of_turn == 0, "ping-pong alternated strictly");

    struct timespec abs;
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 50 * 1000000;
    if (abs.tv_nsec >= 1000000000) abs.tv_sec++, abs.tv_nsec -= 1000000000;
    long long t0 = now_ms();
    pthread_mutex_lock(&pp_lock);
    int r = pthread_cond_timedwait(&pp_cond, &pp_lock, &abs);
    pthread_mutex_unlock(&pp_lock);
    long long dt = now_ms() - t0;
    check(r == ETIMEDOUT, "pthread_cond_timedwait with nobody signalling times out");
    check(dt >= 45 && dt < 5000, "the timed wait lasted about 50 ms");
    printf("threads: condition variable ping-pong %d volleys in turn; timedwait -> ETIMEDOUT\n", 2 * ROUNDS);
}

/* ---- a semaphore and a detached thread ------------------------------------- */
static sem_t sem;

static void *poster(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) sem_post(&sem);
    return NULL;
}

static void test_sem(void)
{
    check(sem_init(&sem, 0, 0) == 0, "sem_init");
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    check_pt(pthread_create(&th, &attr, poster, NULL), "pthread_create detached");
    pthread_attr_destroy(&attr);
    for (int i = 0; i < 3; i++) check(sem_wait(&sem) == 0, "sem_wait");
    errno = 0;
    check(sem_trywait(&sem) == -1 && errno == EAGAIN, "sem_trywait on zero is EAGAIN");
    printf("threads: a detached thread posted a semaphore 3 times\n");
}

/* ---- signals and threads ------------------------------------------------ */
static volatile sig_atomic_t sig_tid, sig_code, sig_pid;

static void usr_handler(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)uc;
    sig_tid = tid();
    sig_code = si->si_code;
    sig_pid = si->si_pid;
}

static void *sig_waiter(void *arg)
{
    int sig = (int)(intptr_t)arg;
    sigset_t wait;
    pthread_sigmask(SIG_SETMASK, NULL, &wait);
    sigdelset(&wait, sig);
    while (sig_tid == 0) sigsuspend(&wait);
    return (void *)(intptr_t)tid();
}

static void test_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = usr_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    check(sigaction(SIGUSR1, &sa, NULL) == 0 && sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction");
    sigset_t both, old;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    check_pt(pthread_sigmask(SIG_BLOCK, &both, &old), "pthread_sigmask(SIG_BLOCK)");

    /* pthread_kill: the signal goes to that thread (tgkill). Main blocks it
     * and the thread inherits the block until it sigsuspends, so the
     * signal waits for the thread whenever it is sent. */
    sig_tid = 0;
    pthread_t th;
    check_pt(pthread_create(&th, NULL, sig_waiter, (void *)SIGUSR1), "pthread_create");
    check_pt(pthread_kill(th, SIGUSR1), "pthread_kill");
    void *ret;
    pthread_join(th, &ret);
    check(sig_tid == (intptr_t)ret && sig_tid != getpid(), "pthread_kill ran the handler on that thread");
    check(sig_code == SI_TKILL && sig_pid == getpid(), "pthread_kill's si_code is SI_TKILL, si_pid ours");
    sigset_t pend;
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR1), "nothing left pending for main");

    /* kill(getpid()): a process-directed signal, blocked in main, is taken
     * by the one thread that does not block it. */
    sig_tid = 0;
    check_pt(pthread_create(&th, NULL, sig_waiter, (void *)SIGUSR2), "pthread_create");
    check(kill(getpid(), SIGUSR2) == 0, "kill(getpid(), SIGUSR2)");
    pthread_join(th, &ret);
    check(sig_tid == (intptr_t)ret && sig_tid != getpid(), "kill(getpid()) went to the thread that can take it");
    check(sig_code == SI_USER, "kill's si_code is SI_USER");
    sigpending(&pend);
    check(!sigismember(&pend, SIGUSR2), "the process-directed signal was taken once");
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    printf("threads: pthread_kill runs the handler on the target thread; kill(getpid()) blocked in main "
           "goes to the other thread\n");
}

/* A process-directed signal the chosen thread blocks before it takes it
 * (here by the sa_mask of a handler it runs first) goes to a thread that
 * does not block it (Linux's retarget_shared_pending). A sender thread
 * queues SIGUSR2 then SIGUSR1 for the process while main sleeps with both
 * unblocked; main takes SIGUSR1 first (the lower number), whose sa_mask
 * blocks SIGUSR2, and in that handler waits for the spinner, the one
 * thread that leaves SIGUSR2 unblocked, to take it. */
static volatile pid_t usr2_taker, usr1_main;
static volatile int retarget_stop;
static void note_usr2(int sig) { (void)sig; usr2_taker = tid(); }
static void wait_for_usr2(int sig)
{
    (void)sig;
    usr1_main = tid();
    for (int i = 0; i < 200000 && usr2_taker == 0; i++)
        sched_yield();
}
static void *retarget_spinner(void *arg)
{
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
    while (!retarget_stop)
        sched_yield();
    return NULL;
}
static void *retarget_sender(void *arg)
{
    (void)arg;
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    return NULL;
}

static void test_retarget(void)
{
    struct sigaction a1, a2;
    memset(&a1, 0, sizeof a1);
    memset(&a2, 0, sizeof a2);
    a1.sa_handler = wait_for_usr2;
    sigemptyset(&a1.sa_mask);
    sigaddset(&a1.sa_mask, SIGUSR2);
    a2.sa_handler = note_usr2;
    sigemptyset(&a2.sa_mask);
    check(sigaction(SIGUSR1, &a1, NULL) == 0 && sigaction(SIGUSR2, &a2, NULL) == 0, "sigaction");
    sigset_t both, old;
    sigemptyset(&both);
    sigaddset(&both, SIGUSR1);
    sigaddset(&both, SIGUSR2);
    /* The new threads start with both blocked; the spinner unblocks SIGUSR2. */
    check_pt(pthread_sigmask(SIG_BLOCK, &both, &old), "pthread_sigmask(SIG_BLOCK)");
    pthread_t spin, send;
    retarget_stop = 0;
    check_pt(pthread_create(&spin, NULL, retarget_spinner, NULL), "pthread_create");
    int tries = 0, created = 1;
    do {
        usr2_taker = usr1_main = 0;
        created &= pthread_create(&send, NULL, retarget_sender, NULL) == 0;
        pthread_sigmask(SIG_UNBLOCK, &both, NULL);
        struct timespec ts = {0, 200 * 1000000};
        nanosleep(&ts, NULL);
        pthread_sigmask(SIG_BLOCK, &both, NULL);
        pthread_join(send, NULL);
        /* A tick between the two kills lets main take SIGUSR2 alone first:
         * that run shows nothing; try again. */
    } while (usr2_taker == usr1_main && ++tries < 5);
    retarget_stop = 1;
    pthread_join(spin, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    check(created, "pthread_create of the senders");
    check(usr1_main == getpid(), "main took SIGUSR1");
    check(usr2_taker != 0 && usr2_taker != getpid(),
          "SIGUSR2, blocked by the SIGUSR1 handler's sa_mask, went to the thread that does not block it");
    printf("threads: a process signal its taker blocks first (a handler's sa_mask) goes to another thread\n");
}

/* ---- exit() from a thread, and the main thread leaving first -------------- */
static void *exiter(void *arg)
{
    struct timespec ts = {0, 20 * 1000000};
    nanosleep(&ts, NULL);
    exit((int)(intptr_t)arg);
}

static void *last_one(void *arg)
{
    (void)arg;
    struct timespec ts = {0, 50 * 1000000};
    nanosleep(&ts, NULL);
    _exit(43);
}

static int child_status(pid_t pid)
{
    int status = 0;
    check(pid > 0, "fork");
    check(waitpid(pid, &status, 0) == pid, "waitpid");
    return status;
}

static void test_exit(void)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_t th;
        if (pthread_create(&th, NULL, exiter, (void *)42) != 0) _exit(2);
        pthread_join(th, NULL); /* never returns: the thread's exit() ends us */
        _exit(3);
    }
    int st = child_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 42, "a thread's exit(42) ends the process with status 42");

    pid = fork();
    if (pid == 0) {
        pthread_t th;
        if (pthread_create(&th, NULL, last_one, NULL) != 0) _exit(2);
        pthread_exit(NULL); /* main leaves; the process lives on in the thread */
    }
    st = child_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 43,
          "after main's pthread_exit the last thread's _exit(43) is the status");
    printf("threads: exit(42) in a thread ends the process (status 42); main pthread_exit, "
           "then the thread's _exit(43) (status 43)\n");
}

/* ---- fork from a threaded program ----------------------------------------- */
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;
static int released;

static void *parked(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&park_lock);
    while (!released) pthread_cond_wait(&park_cond, &park_lock);
    pthread_mutex_unlock(&park_lock);
    return NULL;
}

static void *child_thread(void *arg) { return (void *)(intptr_t)(tls_val + (int)(intptr_t)arg); }

/* In a fork child: one thread, the one that forked, with its TLS. */
static int forked_child_checks(int want_tls)
{
    if (tid() != getpid()) return 10;
    if (tls_val != want_tls) return 11;
    if (pthread_mutex_trylock(&park_lock) != 0) return 12; /* free in the parent when we forked */
    pthread_mutex_unlock(&park_lock);
    char *p = malloc(100000);
    if (!p) return 13;
    free(p);
    pthread_t th;
    void *ret;
    if (pthread_create(&th, NULL, child_thread, (void *)5) != 0) return 14;
    if (pthread_join(th, &ret) != 0 || (intptr_t)ret != 105) return 15;
    return 0;
}

static void *forker(void *arg)
{
    (void)arg;
    tls_val = 77;
    pid_t pid = fork();
    if (pid == 0) _exit(forked_child_checks(77));
    int st = child_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork from a non-main thread: the child's checks passed");
    return NULL;
}

static void test_fork(void)
{
    pthread_t th[3];
    released = 0;
    for (int i = 0; i < 3; i++) check_pt(pthread_create(&th[i], NULL, parked, NULL), "pthread_create");
    tls_val = 55;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) _exit(forked_child_checks(55));
    int st = child_status(pid);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "fork with 3 other threads: the child's checks passed");

    pthread_t f;
    check_pt(pthread_create(&f, NULL, forker, NULL), "pthread_create");
    check_pt(pthread_join(f, NULL), "pthread_join the forker");
    check(tls_val == 55, "main's __thread variable untouched by the forker's");

    pthread_mutex_lock(&park_lock);
    released = 1;
    pthread_cond_broadcast(&park_cond);
    pthread_mutex_unlock(&park_lock);
    for (int i = 0; i < 3; i++) check_pt(pthread_join(th[i], NULL), "pthread_join a parked thread");
    printf("threads: fork with 3 threads parked on a condvar, and fork from a second thread: "
           "child has one thread, its TLS, working malloc and pthread_create\n");
}

/* ---- posix_spawn ---------------------------------------------------------- */
static void test_spawn(void)
{
    /* glibc's posix_spawn is clone(CLONE_VM|CLONE_VFORK) on a stack of its
     * own; the child's failed execve comes back as the error. */
    pid_t pid;
    char *argv[] = {"no-such-program", NULL};
    char *envp[] = {NULL};
    int r = posix_spawn(&pid, "/no/such/program", NULL, NULL, argv, envp);
    check(r == ENOENT, "posix_spawn of a missing program returns ENOENT");
    int st;
    errno = 0;
    check(waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD, "posix_spawn reaped its failed child");
    printf("threads: posix_spawn (CLONE_VM|CLONE_VFORK) of a missing program -> ENOENT\n");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_create_join();
    test_mutex();
    test_cond();
    test_sem();
    test_signals();
    test_retarget();
    test_exit();
    test_fork();
    test_spawn();
    printf(TEST_NAME ": all %d checks passed\n", checks);
    return 0;
}

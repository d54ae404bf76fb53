/* init.c: process 1 of the linux-run initramfs.
 *
 * Runs /prog once, says how it ended in one line, and powers the machine off,
 * so QEMU exits by itself. The initramfs that linux-run.sh builds holds:
 *   /prog         the program, started with an empty environment
 *   /args         its argv, each string NUL-terminated, argv[0] first
 *   /stdin        optional: becomes the program's fd 0 (else /dev/null)
 *   /dev/console  the serial console: fds 0-2 of init, 1-2 of the program
 *   /dev/null
 *   /mod0.ko ...  optional kernel modules (linux-run --module, --disk), loaded
 *                 in that order with finit_module before /prog starts
 * Nothing is mounted: the program gets exactly what a static binary started
 * by execve gets, which is also all that memguard offers it.
 *
 * Last line on the console, always one of:
 *   [linux-run] exit N
 *   [linux-run] killed by SIGNAME (signal N)
 * With linuxrun_boot=1 on the kernel command line (the kernel hands unknown
 * key=value words to init's environment) an earlier line gives the boot time:
 *   [linux-run] boot tsc=CYCLES monotonic_ns=NS
 */
#include "rt.h"

static char args_buf[65536];
static char *prog_argv[1024];

/* The names of the signals below SIGRTMIN, indexed by Linux's numbers. */
#define SIG_NAME(s) [s] = #s
static const char *const sig_names[SIGRTMIN] = {
    SIG_NAME(SIGHUP), SIG_NAME(SIGINT), SIG_NAME(SIGQUIT), SIG_NAME(SIGILL),
    SIG_NAME(SIGTRAP), SIG_NAME(SIGABRT), SIG_NAME(SIGBUS), SIG_NAME(SIGFPE),
    SIG_NAME(SIGKILL), SIG_NAME(SIGUSR1), SIG_NAME(SIGSEGV), SIG_NAME(SIGUSR2),
    SIG_NAME(SIGPIPE), SIG_NAME(SIGALRM), SIG_NAME(SIGTERM), SIG_NAME(SIGSTKFLT),
    SIG_NAME(SIGCHLD), SIG_NAME(SIGCONT), SIG_NAME(SIGSTOP), SIG_NAME(SIGTSTP),
    SIG_NAME(SIGTTIN), SIG_NAME(SIGTTOU), SIG_NAME(SIGURG), SIG_NAME(SIGXCPU),
    SIG_NAME(SIGXFSZ), SIG_NAME(SIGVTALRM), SIG_NAME(SIGPROF), SIG_NAME(SIGWINCH),
    SIG_NAME(SIGIO), SIG_NAME(SIGPWR), SIG_NAME(SIGSYS),
};

/* Stops the machine. Power-off needs ACPI; if that fails, a restart ends
 * QEMU too because linux-run passes -no-reboot. */
static __attribute__((noreturn)) void power_off(void)
{
    /* TCSBRK with a non-zero argument is tcdrain(): without it the last
     * bytes still in the UART's buffer die with the machine. */
    sys3(__NR_ioctl, 1, TCSBRK, 1);
    sys3(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_POWER_OFF);
    sys3(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_RESTART);
    for (;;)
        sys0(__NR_sched_yield);
}

/* Turns off output post-processing (LF -> CR LF) on the console so the
 * host sees the program's bytes unchanged. */
static void raw_output(void)
{
    struct termios t;
    if (sys3(__NR_ioctl, 1, TCGETS, (long)&t) == 0) {
        t.c_oflag &= ~(u32)OPOST;
        sys3(__NR_ioctl, 1, TCSETS, (long)&t);
    }
}

static int has_env(char **envp, const char *want)
{
    for (; *envp; envp++)
        if (str_eq(*envp, want))
            return 1;
    return 0;
}

static void report_boot(u64 tsc)
{
    struct timespec ts = {0, 0};   /* 32-bit time_t: clock_gettime, not _time64 */
    char line[128], num[21];
    u32 n = 0;
    sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)&ts);
    cat(line, &n, sizeof line, "[linux-run] boot tsc=");
    cat(line, &n, sizeof line, u64_str(tsc, num));
    cat(line, &n, sizeof line, " monotonic_ns=");
    cat(line, &n, sizeof line, u64_str((u64)ts.tv_sec * 1000000000ULL + (u32)ts.tv_nsec, num));
    cat(line, &n, sizeof line, "\n");
    put_fd(1, line);
}

/* Splits /args into prog_argv; falls back to argv = {"/prog"}. */
static void load_args(void)
{
    long fd = sys2(__NR_open, (long)"/args", O_RDONLY), len = 0, r;
    u32 argc = 0;
    if (!is_err(fd)) {
        while (len < (long)sizeof args_buf - 1 &&
               (r = sys3(__NR_read, fd, (long)args_buf + len, sizeof args_buf - 1 - len)) > 0)
            len += r;
        sys1(__NR_close, fd);
    }
    for (long i = 0; i < len && argc < 1023; argc++) {
        prog_argv[argc] = args_buf + i;
        while (i < len && args_buf[i])
            i++;
        i++;
    }
    if (argc == 0)
        prog_argv[argc++] = "/prog";
    prog_argv[argc] = 0;
}

/* Loads /mod0.ko, /mod1.ko, ... until one is missing (linux-run puts a
 * module's dependencies before it). A module that will not load is
 * reported; the program then runs without it and fails on its own. */
static void load_modules(void)
{
    char path[16] = "/mod", num[21];
    for (u32 i = 0;; i++) {
        u32 n = 4;
        cat(path, &n, sizeof path, u64_str(i, num));
        cat(path, &n, sizeof path, ".ko");
        long fd = sys2(__NR_open, (long)path, O_RDONLY);
        if (is_err(fd))
            return;
        long r = sys3(__NR_finit_module, fd, (long)"", 0);
        sys1(__NR_close, fd);
        if (is_err(r)) {
            put_fd(1, "linux-run: finit_module ");
            put_fd(1, path);
            put_fd(1, ": errno ");
            put_fd(1, u64_str((u64)-r, num));
            put_fd(1, "\n");
        }
    }
}

/* In the child: fd 0 from /stdin or /dev/null, then /prog. Never returns. */
static __attribute__((noreturn)) void exec_prog(void)
{
    static char *empty_env[] = {0};
    long in = sys2(__NR_open, (long)"/stdin", O_RDONLY);
    if (is_err(in))
        in = sys2(__NR_open, (long)"/dev/null", O_RDONLY);
    if (!is_err(in) && in != 0) {
        sys2(__NR_dup2, in, 0);
        sys1(__NR_close, in);
    }
    long r = sys3(__NR_execve, (long)"/prog", (long)prog_argv, (long)empty_env);
    char num[21];
    put_fd(2, "linux-run: cannot execute /prog: errno ");
    put_fd(2, u64_str((u64)-r, num));
    put_fd(2, "\n");
    for (;;)
        sys1(__NR_exit, 127);
}

static void report_status(u32 status)
{
    char line[96], num[21];
    u32 n = 0, sig = status & 0x7f;
    if (sig == 0) {
        cat(line, &n, sizeof line, "[linux-run] exit ");
        cat(line, &n, sizeof line, u64_str((status >> 8) & 0xff, num));
    } else {
        cat(line, &n, sizeof line, "[linux-run] killed by ");
        cat(line, &n, sizeof line, sig < SIGRTMIN ? sig_names[sig] : "SIGRT");
        cat(line, &n, sizeof line, " (signal ");
        cat(line, &n, sizeof line, u64_str(sig, num));
        cat(line, &n, sizeof line, ")");
    }
    cat(line, &n, sizeof line, "\n");
    put_fd(1, line);
}

int main(int argc, char **argv, char **envp)
{
    u64 tsc = rdtsc();   /* as close to the first user instruction as C gets */
    (void)argc, (void)argv;
    raw_output();
    if (has_env(envp, "linuxrun_boot=1"))
        report_boot(tsc);
    load_args();
    load_modules();

    long pid = sys0(__NR_fork);
    if (pid == 0)
        exec_prog();
    if (is_err(pid)) {
        put_fd(1, "linux-run: fork failed\n[linux-run] exit 125\n");
        power_off();
    }
    i32 status = 0;
    long r;
    /* Retry on EINTR; any other error means there is no child to wait for. */
    while ((r = sys3(__NR_waitpid, pid, (long)&status, 0)) == -EINTR)
        ;
    if (is_err(r))
        put_fd(1, "linux-run: waitpid failed\n[linux-run] exit 125\n");
    else
        report_status((u32)status);
    power_off();
}

/* misc.c: uname, sysinfo, ids, the startup state (argc, envp, auxv),
 * register preservation across int 0x80, unknown syscall numbers, and a
 * survey of common Linux syscalls (whether they exist). */
#include "t.h"

u32 regs_after[8];
static void regcheck(long nr)
{
    __asm__ volatile(
        "push %%ebp\n push %%ebx\n push %%esi\n push %%edi\n"
        "mov $0x11111111, %%ebx\n mov $0x22222222, %%ecx\n mov $0x33333333, %%edx\n"
        "mov $0x44444444, %%esi\n mov $0x55555555, %%edi\n mov $0x66666666, %%ebp\n"
        "stc\n"
        "int $0x80\n"
        "mov %%ebx, regs_after\n mov %%ecx, regs_after+4\n mov %%edx, regs_after+8\n"
        "mov %%esi, regs_after+12\n mov %%edi, regs_after+16\n mov %%ebp, regs_after+20\n"
        "mov %%eax, regs_after+24\n"
        "pushf\n popl regs_after+28\n"
        "pop %%edi\n pop %%esi\n pop %%ebx\n pop %%ebp\n"
        :: "a"(nr) : "ecx", "edx", "memory", "cc");
}
static void outregs(const char *name, long nr)
{
    regcheck(nr);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": eax=");
    if (is_err((long)regs_after[6])) l_d(&l, (long)regs_after[6]); else l_s(&l, "ok");
    int ok = regs_after[0] == 0x11111111 && regs_after[1] == 0x22222222 && regs_after[2] == 0x33333333 &&
             regs_after[3] == 0x44444444 && regs_after[4] == 0x55555555 && regs_after[5] == 0x66666666;
    l_s(&l, ok ? " regs preserved" : " REGS CHANGED");
    l_s(&l, (regs_after[7] & 1) ? " CF kept" : " CF cleared");
    l_end(&l);
}

static char buf[8192];

int main(int argc, char **argv, char **envp)
{
    puts1("--- start\n");
    /* ---------- startup state ---------- */
    out("argc", argc);
    outb("argv[argc] == NULL", argv[argc] == 0);
    int envc = 0;
    while (envp[envc]) envc++;
    out("envc", envc);
    u32 *aux = (u32 *)&envp[envc + 1];
    {
        line_t l = {.n = 0};
        l_s(&l, "auxv types:");
        for (u32 *a = aux; a[0]; a += 2) { l_s(&l, " "); l_d(&l, a[0]); }
        l_end(&l);
        for (u32 type = 1; type < 64; type++)
        for (u32 *a = aux; a[0]; a += 2) {
            if (a[0] != type) continue;
            line_t m = {.n = 0};
            switch (a[0]) {
            case AT_PHDR: l_s(&m, "AT_PHDR "); l_x(&m, a[1]); break;
            case AT_PHENT: l_s(&m, "AT_PHENT "); l_d(&m, a[1]); break;
            case AT_PHNUM: l_s(&m, "AT_PHNUM "); l_d(&m, a[1]); break;
            case AT_PAGESZ: l_s(&m, "AT_PAGESZ "); l_d(&m, a[1]); break;
            case AT_BASE: l_s(&m, "AT_BASE "); l_x(&m, a[1]); break;
            case AT_FLAGS: l_s(&m, "AT_FLAGS "); l_x(&m, a[1]); break;
            case AT_ENTRY: { extern char _start[]; l_s(&m, "AT_ENTRY == _start: "); l_s(&m, a[1] == (u32)_start ? "yes" : "no"); } break;
            case AT_UID: case AT_EUID: case AT_GID: case AT_EGID: l_s(&m, "AT_UID/EUID/GID/EGID "); l_d(&m, a[1]); break;
            case AT_PLATFORM: l_s(&m, "AT_PLATFORM "); l_s(&m, (const char *)a[1]); break;
            case AT_HWCAP: l_s(&m, "AT_HWCAP nonzero: "); l_s(&m, a[1] ? "yes" : "no"); break;
            case AT_CLKTCK: l_s(&m, "AT_CLKTCK "); l_d(&m, a[1]); break;
            case AT_SECURE: l_s(&m, "AT_SECURE "); l_d(&m, a[1]); break;
            case AT_RANDOM: l_s(&m, "AT_RANDOM readable: "); l_s(&m, ((volatile char *)a[1])[15] || 1 ? "yes" : ""); break;
            case AT_EXECFN: l_s(&m, "AT_EXECFN "); l_s(&m, (const char *)a[1]); break;
            case AT_SYSINFO: l_s(&m, "AT_SYSINFO present"); break;
            case AT_SYSINFO_EHDR: l_s(&m, "AT_SYSINFO_EHDR present"); break;
            default: l_s(&m, "AT_"); l_d(&m, a[0]); l_s(&m, " present"); break;
            }
            l_end(&m);
        }
    }
    /* ---------- register preservation ---------- */
    outregs("getpid", __NR_getpid);
    outregs("close(0x11111111)", __NR_close);
    outregs("unknown 500", 500);
    outregs("getppid", __NR_getppid);
    outregs("sched_yield", __NR_sched_yield);
    {
        /* DF=1 on entry must not disturb the kernel's copies */
        static char ub[6 * 65];
        long r;
        __asm__ volatile("std\n int $0x80\n cld" : "=a"(r) : "a"(__NR_uname), "b"(ub) : "memory", "cc");
        out("uname with DF=1", r);
        outb(".. sysname non-empty and terminated", ub[0] && !ub[64]);
        const char *msg = "write with DF=1: ok\n";
        __asm__ volatile("std\n int $0x80\n cld" : "=a"(r) : "a"(__NR_write), "b"(1), "c"(msg), "d"(slen(msg)) : "memory", "cc");
        u32 f;
        __asm__ volatile("std\n mov $" T_STR(__NR_getpid) ", %%eax\n int $0x80\n pushf\n pop %0\n cld" : "=r"(f) :: "eax", "memory", "cc");
        outb("DF still set after a syscall", (f & 0x400) != 0);
    }
    /* ---------- uname ---------- */
    {
        static char u[6 * 65 + 16];
        for (unsigned i = 0; i < sizeof u; i++) u[i] = 'X';
        out("uname", sys1(__NR_uname, (long)u));
        const char *names[6] = { "sysname", "nodename", "release", "version", "machine", "domainname" };
        for (int i = 0; i < 6; i++) {
            char *s = u + 65 * i;
            u32 n = 0;
            while (n < 65 && s[n]) n++;
            int padded = 1;
            for (u32 k = n; k < 65; k++) if (s[k]) padded = 0;
            line_t l = {.n = 0};
            l_s(&l, "uname "); l_s(&l, names[i]); l_s(&l, ": len "); l_d(&l, n);
            l_s(&l, n < 65 ? " terminated" : " UNTERMINATED"); l_s(&l, padded ? " zero-padded" : " NOT zero-padded");
            l_end(&l);
        }
        outs("uname machine", u + 4 * 65);
        outb("uname wrote nothing past 390 bytes", u[390] == 'X');
        out("uname(NULL)", sys1(__NR_uname, 0));
        out("uname(0xC0000000)", sys1(__NR_uname, (long)0xC0000000));
        out("uname(buffer running into kernel half)", sys1(__NR_uname, (long)(0xC0000000 - 100)));
        out("olduname (109)", sys1(__NR_olduname, (long)u));
        out("oldolduname (59)", sys1(__NR_oldolduname, (long)u));
    }
    /* ---------- sysinfo ---------- */
    {
        u32 si[16];
        for (int i = 0; i < 16; i++) si[i] = 0xdeadbeef;
        out("sysinfo", sys1(__NR_sysinfo, (long)si));
        u32 unit = si[13];
        out("sysinfo mem_unit", unit);
        outb("sysinfo uptime < 1000", si[0] < 1000);
        outb("sysinfo totalram 64..128 MiB", (u64)si[4] * unit >= (64u << 20) && (u64)si[4] * unit <= (128u << 20));
        outb("sysinfo 0 < freeram < totalram", si[5] > 0 && si[5] < si[4]);
        outb("sysinfo freeram > 32 MiB", (u64)si[5] * unit > (32u << 20));
        out("sysinfo totalswap", si[8]);
        out("sysinfo freeswap", si[9]);
        outb("sysinfo procs >= 1", (si[10] & 0xffff) >= 1);
        out("sysinfo totalhigh", si[11]);
        out("sysinfo freehigh", si[12]);
        outx("sysinfo pad word after procs", si[10] >> 16);
        outx("sysinfo _f padding (bytes 56..63)", si[14] | si[15]);
        out("sysinfo(NULL)", sys1(__NR_sysinfo, 0));
        out("sysinfo(0xC0000000)", sys1(__NR_sysinfo, (long)0xC0000000));
    }
    /* ---------- ids ---------- */
    out("getuid", sys0(__NR_getuid));
    out("geteuid", sys0(__NR_geteuid));
    out("getgid", sys0(__NR_getgid));
    out("getegid", sys0(__NR_getegid));
    out("getuid32", sys0(__NR_getuid32));
    out("geteuid32", sys0(__NR_geteuid32));
    out("getgid32", sys0(__NR_getgid32));
    out("getegid32", sys0(__NR_getegid32));
    outb("getpid == gettid", sys0(__NR_getpid) == sys0(__NR_gettid));
    outb("getpid > 0", sys0(__NR_getpid) > 0);
    out("sched_yield", sys0(__NR_sched_yield));
    /* ---------- unknown numbers ---------- */
    long nrs[] = { 0, 17, 31, 32, 35, 44, 53, 56, 58, 98, 137, 188, 189, 222, 223, 251, 285, 451, 460, 500, 999, 0x7fffffff, -1, -1000 };
    for (unsigned i = 0; i < sizeof nrs / sizeof nrs[0]; i++) {
        line_t l = {.n = 0};
        l_s(&l, "syscall "); l_d(&l, nrs[i]); l_s(&l, ": "); l_d(&l, sys0(nrs[i]));
        l_end(&l);
    }
    /* ---------- a survey of common syscalls ---------- */
    {
        u32 st[64], t[16];
        long fd = sys3(__NR_open, (long)"/prog", O_RDONLY, 0);
        oute("fstat64(/prog fd)", sys2(__NR_fstat64, fd, (long)st));
        oute("stat64(/prog)", sys2(__NR_stat64, (long)"/prog", (long)st));
        oute("lstat64(/prog)", sys2(__NR_lstat64, (long)"/prog", (long)st));
        oute("fstat (108)", sys2(__NR_fstat, fd, (long)st));
        oute("stat (106)", sys2(__NR_stat, (long)"/prog", (long)st));
        oute("statx (383)", sys5(__NR_statx, AT_FDCWD, (long)"/prog", 0, STATX_BASIC_STATS, (long)buf));
        oute("access(/prog, X_OK)", sys2(__NR_access, (long)"/prog", 1 /* X_OK */));
        oute("access(/nonexistent)", sys2(__NR_access, (long)"/nonexistent", 0 /* F_OK */));
        oute("faccessat(AT_FDCWD, /prog)", sys3(__NR_faccessat, AT_FDCWD, (long)"/prog", 0));
        out("fcntl64(1, F_GETFD)", sys3(__NR_fcntl64, 1, F_GETFD, 0));
        out("fcntl(1, F_GETFD) (55)", sys3(__NR_fcntl, 1, F_GETFD, 0));
        out("fcntl64(fd, F_SETFD, FD_CLOEXEC)", sys3(__NR_fcntl64, fd, F_SETFD, FD_CLOEXEC));
        oute("fcntl64(fd, F_DUPFD, 10)", sys3(__NR_fcntl64, fd, F_DUPFD, 10));
        oute("getcwd", sys2(__NR_getcwd, (long)buf, 100));
        out("chdir(/)", sys1(__NR_chdir, (long)"/"));
        out("fchdir(fd of /prog)", sys1(__NR_fchdir, fd));
        out("umask(022)", sys1(__NR_umask, 022));
        oute("getdents64(/)", sys3(__NR_getdents64, sys3(__NR_open, (long)"/", O_RDONLY | O_DIRECTORY, 0), (long)buf, sizeof buf));
        out("readlink(/prog)", sys3(__NR_readlink, (long)"/prog", (long)buf, 100));
        out("pipe", sys1(__NR_pipe, (long)t) == 0 ? 0 : sys1(__NR_pipe, (long)t));
        oute("pipe2(O_CLOEXEC)", sys2(__NR_pipe2, (long)t, O_CLOEXEC));
        out("rt_sigaction(SIGUSR1, NULL, &old)", sys4(__NR_rt_sigaction, SIGUSR1, 0, (long)buf, 8));
        out("rt_sigprocmask(SIG_BLOCK, NULL, &old)", sys4(__NR_rt_sigprocmask, SIG_BLOCK, 0, (long)buf, 8));
        out("sigaction (67)", sys3(__NR_sigaction, SIGUSR1, 0, (long)buf));
        out("signal(SIGUSR2, SIG_DFL) (48)", sys2(__NR_signal, SIGUSR2, 0));
        out("sigaltstack(NULL, &old)", sys2(__NR_sigaltstack, 0, (long)buf));
        out("alarm(0)", sys1(__NR_alarm, 0));
        oute("set_tid_address", sys1(__NR_set_tid_address, (long)t));
        {
            u32 ud[4] = { (u32)-1, (u32)buf, 0xfffff, 0x51 };   /* entry -1, base, limit, seg_32bit|limit_in_pages|useable */
            out("set_thread_area(entry -1)", sys1(__NR_set_thread_area, (long)ud));
            outb(".. entry number assigned", ud[0] != (u32)-1);
        }
        oute("getrandom(16, GRND_NONBLOCK)", sys3(__NR_getrandom, (long)buf, 16, 1 /* GRND_NONBLOCK */));
        out("getpgrp", sys0(__NR_getpgrp));
        out("getpgid(0)", sys1(__NR_getpgid, 0));
        out("getsid(0)", sys1(__NR_getsid, 0));
        out("prlimit64(0, RLIMIT_STACK, NULL, &old)", sys4(__NR_prlimit64, 0, RLIMIT_STACK, 0, (long)buf));
        out("ugetrlimit(RLIMIT_NOFILE)", sys2(__NR_ugetrlimit, RLIMIT_NOFILE, (long)t));
        out(".. soft limit", t[0]);
        out("getrlimit (76) (RLIMIT_NOFILE)", sys2(__NR_getrlimit, RLIMIT_NOFILE, (long)t));
        oute("sched_getaffinity(0, 4)", sys3(__NR_sched_getaffinity, 0, 4, (long)t));
        out("tgkill(self, self, 0)", sys3(__NR_tgkill, sys0(__NR_getpid), sys0(__NR_gettid), 0));
        out("tkill(self, 0)", sys2(__NR_tkill, sys0(__NR_gettid), 0));
        out("waitid(P_ALL, WEXITED|WNOHANG) no children", sys4(__NR_waitid, P_ALL, 0, (long)buf, WEXITED | WNOHANG));
        out("personality(0xffffffff)", sys1(__NR_personality, -1));
        out("personality(ADDR_NO_RANDOMIZE)", sys1(__NR_personality, 0x0040000));
        outx(".. personality(0xffffffff)", (u32)sys1(__NR_personality, -1));
        out("personality(PER_LINUX)", sys1(__NR_personality, 0));
        out("getpriority(PRIO_PROCESS, 0)", sys2(__NR_getpriority, PRIO_PROCESS, 0));
        out("getpriority(5, 0)", sys2(__NR_getpriority, 5, 0));
        out("getpriority(PRIO_PROCESS, 99999)", sys2(__NR_getpriority, PRIO_PROCESS, 99999));
        out("getpriority(PRIO_USER, 0)", sys2(__NR_getpriority, PRIO_USER, 0));
        out("getpriority(PRIO_USER, 12345)", sys2(__NR_getpriority, PRIO_USER, 12345));
        out("setpriority(PRIO_PROCESS, 0, 5)", sys3(__NR_setpriority, PRIO_PROCESS, 0, 5));
        out(".. getpriority", sys2(__NR_getpriority, PRIO_PROCESS, 0));
        out("nice(3)", sys1(__NR_nice, 3));
        out(".. getpriority", sys2(__NR_getpriority, PRIO_PROCESS, 0));
        {
            long c = sys0(__NR_fork);
            if (c == 0) _exit((int)sys2(__NR_getpriority, PRIO_PROCESS, 0));
            i32 st = 0;
            sys3(__NR_waitpid, c, (long)&st, 0);
            outx(".. a child's getpriority (inherited), in its exit status", (u32)st);
        }
        out("nice(100)", sys1(__NR_nice, 100));
        out(".. getpriority", sys2(__NR_getpriority, PRIO_PROCESS, 0));
        out("setpriority(PRIO_PROCESS, 0, -100)", sys3(__NR_setpriority, PRIO_PROCESS, 0, -100));
        out(".. getpriority", sys2(__NR_getpriority, PRIO_PROCESS, 0));
        out("setpriority(PRIO_PGRP, 0, 0)", sys3(__NR_setpriority, PRIO_PGRP, 0, 0));
        out(".. getpriority(PRIO_PGRP, 0)", sys2(__NR_getpriority, PRIO_PGRP, 0));
        out("setpriority(PRIO_USER, 12345, 0)", sys3(__NR_setpriority, PRIO_USER, 12345, 0));
        out("setpriority(3, 0, 0)", sys3(__NR_setpriority, 3, 0, 0));
        out("setpriority(PRIO_PROCESS, 0, 0)", sys3(__NR_setpriority, PRIO_PROCESS, 0, 0));
        out("sync", sys0(__NR_sync));
        out("poll(NULL, 0, 0)", sys3(__NR_poll, 0, 0, 0));
        {
            i32 tv[2] = { 0, 0 };
            out("_newselect(0, .., {0,0})", sys5(__NR__newselect, 0, 0, 0, 0, (long)tv));
        }
        out("getgroups32(0, NULL)", sys2(__NR_getgroups32, 0, 0));
        out("getgroups32(-1, NULL)", sys2(__NR_getgroups32, -1, 0));
        out("getgroups(0, NULL)", sys2(__NR_getgroups, 0, 0));
        out("syncfs(1)", sys1(__NR_syncfs, 1));
        out("syncfs(99)", sys1(__NR_syncfs, 99));
        out("syslog(99)", sys3(__NR_syslog, 99, 0, 0));
        out("syslog(READ_ALL, NULL, 10)", sys3(__NR_syslog, 3, 0, 10));
        out("syslog(READ_ALL, buf, -1)", sys3(__NR_syslog, 3, (long)buf, -1));
        out("syslog(READ_ALL, buf, 0)", sys3(__NR_syslog, 3, (long)buf, 0));
        out("syslog(READ_ALL, kernel address, 10)", sys3(__NR_syslog, 3, 0xc0000000, 10));
        out("syslog(CONSOLE_LEVEL, 0)", sys3(__NR_syslog, 8, 0, 0));
        out("syslog(CONSOLE_LEVEL, 9)", sys3(__NR_syslog, 8, 0, 9));
        out("syslog(SIZE_BUFFER) > 0", sys3(__NR_syslog, 10, 0, 0) > 0);
        {
            long n = sys3(__NR_syslog, 3, (long)buf, 1024);
            out("syslog(READ_ALL, buf, 1024): a line starting <N>[", n > 0 && buf[0] == '<' && buf[2] == '>' && buf[3] == '[');
        }
        out("setuid(0)", sys1(__NR_setuid, 0));
        out("setgid32(0)", sys1(__NR_setgid32, 0));
        out("setpgid(0, 0)", sys2(__NR_setpgid, 0, 0));
        oute("setsid", sys0(__NR_setsid));
        long m = sys6(__NR_mmap2, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        out("madvise(MADV_DONTNEED)", sys3(__NR_madvise, m, 4096, MADV_DONTNEED));
        out("msync(MS_SYNC)", sys3(__NR_msync, m, 4096, MS_SYNC));
        out("mlock", sys2(__NR_mlock, m, 4096));
        out("munlock", sys2(__NR_munlock, m, 4096));
        out("mincore", sys3(__NR_mincore, m, 8192, (long)buf));
        long m2 = sys6(__NR_mmap2, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        oute("mremap(grow, MAYMOVE)", sys5(__NR_mremap, m2, 8192, 16384, MREMAP_MAYMOVE, 0));
        out("ioperm(0x80, 1, 1)", sys3(__NR_ioperm, 0x80, 1, 1));
        out("iopl(3)", sys1(__NR_iopl, 3));
        out("modify_ldt(0 read)", sys3(__NR_modify_ldt, 0, (long)buf, 16));
        out("ptrace(PTRACE_TRACEME)", sys4(__NR_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0));
        out("kill(getpid(), 0)", sys2(__NR_kill, sys0(__NR_getpid), 0));
        out("reboot(bad magic)", sys3(__NR_reboot, 0x1234, 0, 0));
        out("reboot(magic, CAD_OFF)", sys3(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, LINUX_REBOOT_CMD_CAD_OFF));
        out("reboot(magic, bad cmd)", sys3(__NR_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0x12345678));
    }
    return 0;
}

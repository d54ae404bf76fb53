/* exec.c: execve error cases (bad paths, bad pointers, E2BIG), what a new
 * image inherits (pid, fds, O_CLOEXEC, offsets), argv NULL. The program
 * re-executes itself (/prog) with MODE=... in the environment. */
#include "t.h"

static char big[140000];
static char longpath[6000];

static const char *env_get(char **envp, const char *key)
{
    for (; *envp; envp++) {
        const char *e = *envp, *k = key;
        while (*k && *e == *k) e++, k++;
        if (!*k && *e == '=') return e + 1;
    }
    return 0;
}
static long num(const char *s) { long v = 0; while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'); return v; }

static int exec_mode(int argc, char **argv, char **envp, const char *mode)
{
    line_t l = {.n = 0};
    if (seq(mode, "argc")) {
        l_s(&l, "[new image] argc="); l_d(&l, argc);
        if (argc > 0) { l_s(&l, " argv0=["); l_s(&l, argv[0]); l_s(&l, "]"); }
        l_s(&l, argv[argc] == 0 ? " argv[argc]=NULL" : " argv[argc]!=NULL");
        int envc = 0; while (envp[envc]) envc++;
        l_s(&l, " envc="); l_d(&l, envc);
        l_end(&l);
        return 3;
    }
    if (seq(mode, "big")) {
        u32 total = 0;
        for (int i = 0; i < argc; i++) total += slen(argv[i]) + 1;
        l_s(&l, "[new image] argc="); l_d(&l, argc); l_s(&l, " total bytes="); l_d(&l, total); l_end(&l);
        return 4;
    }
    if (seq(mode, "fds")) {
        long a = num(env_get(envp, "A")), b = num(env_get(envp, "B"));
        char c;
        l_s(&l, "[new image] plain fd: lseek CUR="); l_d(&l, sys3(__NR_lseek, a, 0, SEEK_CUR));
        l_s(&l, " read="); l_d(&l, sys3(__NR_read, a, (long)&c, 1));
        l_s(&l, "; O_CLOEXEC fd: read="); l_d(&l, sys3(__NR_read, b, (long)&c, 1));
        l_s(&l, "; pid unchanged: "); l_s(&l, sys0(__NR_getpid) == num(env_get(envp, "PID")) ? "yes" : "no");
        l_s(&l, "; ppid unchanged: "); l_s(&l, sys0(__NR_getppid) == num(env_get(envp, "PPID")) ? "yes" : "no");
        l_end(&l);
        return 5;
    }
    if (seq(mode, "brk")) {
        u32 b = (u32)sys1(__NR_brk, 0);
        extern char _end[];
        l_s(&l, "[new image] brk fresh: "); l_s(&l, b >= (u32)_end && b - (u32)_end < 0x3000000 ? "yes" : "no");
        static u32 bss[1024];
        l_s(&l, "; bss zero: "); l_s(&l, bss[100] == 0 ? "yes" : "no");
        l_end(&l);
        return 6;
    }
    outs("[new image] unknown mode", mode);
    return 1;
}

static void num_env(char *dst, const char *key, long v)
{
    line_t l = {.n = 0};
    l_s(&l, key); l_s(&l, "="); l_d(&l, v);
    memcpy(dst, l.b, l.n); dst[l.n] = 0;
}

/* fork; the child execs /prog with argv and envp; the parent prints
 * the exec result (if it failed) and the child's wait status */
static void try_exec(const char *name, const char *path, char **av, char **ev)
{
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        long r = sys3(__NR_execve, (long)path, (long)av, (long)ev);
        _exit(100 + (int)-r);   /* exit status 100 + errno */
    }
    i32 st = 0;
    sys3(__NR_waitpid, pid, (long)&st, 0);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if ((st & 0x7f) == 0 && ((st >> 8) & 0xff) >= 100) { l_s(&l, "execve="); l_d(&l, -(((st >> 8) & 0xff) - 100)); }
    else { l_s(&l, "ran, status="); l_x(&l, (u32)st); }
    l_end(&l);
}

int main(int argc, char **argv, char **envp)
{
    const char *mode = env_get(envp, "MODE");
    if (!mode && argc > 1 && sprefix(argv[1], "MODE="))
        mode = argv[1] + 5;
    if (mode)
        return exec_mode(argc, argv, envp, mode);
    puts1("--- start\n");
    char *av[] = { "prog", "arg1", 0 };
    char *ev_argc[] = { "MODE=argc", 0 };
    char *no_env[] = { 0 };

    /* ---------- errors, in this process (it must survive them) ---------- */
    out("execve /nonexistent", sys3(__NR_execve, (long)"/nonexistent", (long)av, (long)no_env));
    out("execve NULL path", sys3(__NR_execve, 0, (long)av, (long)no_env));
    out("execve \"\"", sys3(__NR_execve, (long)"", (long)av, (long)no_env));
    out("execve path 0xC0000000", sys3(__NR_execve, (long)0xC0000000, (long)av, (long)no_env));
    out("execve /dev/null", sys3(__NR_execve, (long)"/dev/null", (long)av, (long)no_env));
    out("execve /", sys3(__NR_execve, (long)"/", (long)av, (long)no_env));
    out("execve /dev", sys3(__NR_execve, (long)"/dev", (long)av, (long)no_env));
    out("execve /prog/", sys3(__NR_execve, (long)"/prog/", (long)av, (long)no_env));
    out("execve /prog/x", sys3(__NR_execve, (long)"/prog/x", (long)av, (long)no_env));
    out("execve /args (not ELF, mode 0644 on Linux)", sys3(__NR_execve, (long)"/args", (long)av, (long)no_env));
    out("execve /prog argv=0x1", sys3(__NR_execve, (long)"/prog", 1, (long)no_env));
    out("execve /prog argv=0xC0000000", sys3(__NR_execve, (long)"/prog", (long)0xC0000000, (long)no_env));
    {
        char *bad1[] = { (char *)0x1, 0 };
        out("execve /prog argv={0x1}", sys3(__NR_execve, (long)"/prog", (long)bad1, (long)no_env));
        char *bad2[] = { "x", (char *)0xC0000000, 0 };
        out("execve /prog argv={x, 0xC0000000}", sys3(__NR_execve, (long)"/prog", (long)bad2, (long)no_env));
        out("execve /prog envp=0x1", sys3(__NR_execve, (long)"/prog", (long)av, 1));
        char *bad3[] = { (char *)0xC0000000, 0 };
        out("execve /prog envp={0xC0000000}", sys3(__NR_execve, (long)"/prog", (long)av, (long)bad3));
        /* an argv array running into an unmapped page */
        char **p = map_anon(8192, PROT_READ | PROT_WRITE);
        sys2(__NR_munmap, (long)p + 4096, 4096);
        for (int i = 0; i < 1024; i++) p[i] = "a";
        out("execve /prog argv without NULL into unmapped page", sys3(__NR_execve, (long)"/prog", (long)p, (long)no_env));
        /* a string running into an unmapped page */
        char *s = (char *)p + 4096 - 3;
        s[0] = s[1] = s[2] = 'z';
        char *bad4[] = { s, 0 };
        out("execve /prog argv string into unmapped page", sys3(__NR_execve, (long)"/prog", (long)bad4, (long)no_env));
    }
    for (int i = 0; i < 5000; i++) longpath[i] = 'a';
    longpath[0] = '/';
    out("execve path of 5000 chars", sys3(__NR_execve, (long)longpath, (long)av, (long)no_env));
    longpath[300] = 0;
    out("execve path component of 299 chars", sys3(__NR_execve, (long)longpath, (long)av, (long)no_env));
    out("execveat(AT_FDCWD, /nonexistent)", sys5(__NR_execveat, AT_FDCWD, (long)"/nonexistent", (long)av, (long)no_env, 0));
    /* E2BIG */
    for (int i = 0; i < 131072; i++) big[i] = 'b';
    big[131072] = 0;   /* 131073 bytes with the NUL: over MAX_ARG_STRLEN */
    {
        char *a1[] = { "prog", big, 0 };
        out("execve one 131073-byte string", sys3(__NR_execve, (long)"/prog", (long)a1, (long)no_env));
        out(".. as environment", sys3(__NR_execve, (long)"/prog", (long)av, (long)a1));
    }
    outs("still running after failed execs", "yes");

    /* ---------- successful execs, in children ---------- */
    try_exec("exec self MODE=argc", "/prog", av, ev_argc);
    try_exec("exec self argv=NULL", "/prog", 0, ev_argc);
    {
        char *empty[] = { 0 };
        try_exec("exec self argv={NULL}", "/prog", empty, ev_argc);
    }
    try_exec("exec self via //prog", "//prog", av, ev_argc);
    try_exec("exec self via relative prog", "prog", av, ev_argc);
    {
        char *av_mode[] = { "prog", "MODE=argc", 0 };
        try_exec("exec self envp=NULL", "/prog", av_mode, 0);
    }
    {
        char *ev_big[] = { "MODE=big", 0 };
        big[131071] = 0;   /* 131072 bytes with the NUL: exactly MAX_ARG_STRLEN */
        char *a1[] = { "prog", big, 0 };
        try_exec("exec with one 131072-byte string", "/prog", a1, ev_big);
        big[100000] = 0;
        char *a4[] = { "prog", big, big, big, big, 0 };
        try_exec("exec with 4 x 100001 bytes (400 KB)", "/prog", a4, ev_big);
        big[100000] = 'b';
        char *a15[17];
        a15[0] = "prog";
        for (int i = 1; i < 16; i++) a15[i] = big;   /* 15 x 131072 = 1.9 MiB */
        a15[16] = 0;
        try_exec("exec with 15 x 131072 bytes (1.9 MiB)", "/prog", a15, ev_big);
        char *a17[19];
        a17[0] = "prog";
        for (int i = 1; i < 18; i++) a17[i] = big;   /* 17 x 131072 = 2.2 MiB */
        a17[18] = 0;
        try_exec("exec with 17 x 131072 bytes (2.2 MiB)", "/prog", a17, ev_big);
        big[1000] = 0;
        static char *many[3000];
        many[0] = "prog";
        for (int i = 1; i < 2999; i++) many[i] = big;   /* 2998 x 1001 bytes = 3 MB */
        many[2999] = 0;
        try_exec("exec with 2998 x 1001 bytes (3 MB)", "/prog", many, ev_big);
        for (int i = 1; i < 2999; i++) many[i] = "";     /* 2998 empty strings */
        try_exec("exec with 2998 empty strings", "/prog", many, ev_big);
    }
    /* inheritance */
    {
        long pid = sys0(__NR_fork);
        if (pid == 0) {
            long a = sys3(__NR_open, (long)"/prog", O_RDONLY, 0);
            long b = sys3(__NR_open, (long)"/prog", O_RDONLY | O_CLOEXEC, 0);
            sys3(__NR_lseek, a, 7, SEEK_SET);
            static char e[5][32];
            num_env(e[0], "A", a); num_env(e[1], "B", b);
            num_env(e[2], "PID", sys0(__NR_getpid)); num_env(e[3], "PPID", sys0(__NR_getppid));
            char *ev[] = { "MODE=fds", e[0], e[1], e[2], e[3], 0 };
            long r = sys3(__NR_execve, (long)"/prog", (long)av, (long)ev);
            _exit(100 + (int)-r);
        }
        i32 st = 0;
        sys3(__NR_waitpid, pid, (long)&st, 0);
        outx("exec inheritance child status", (u32)st);
        char *ev_brk[] = { "MODE=brk", 0 };
        pid = sys0(__NR_fork);
        if (pid == 0) {
            sys1(__NR_brk, sys1(__NR_brk, 0) + 0x100000);   /* a big heap before exec */
            long r = sys3(__NR_execve, (long)"/prog", (long)av, (long)ev_brk);
            _exit(100 + (int)-r);
        }
        st = 0;
        sys3(__NR_waitpid, pid, (long)&st, 0);
        outx("exec fresh brk child status", (u32)st);
    }
    return 0;
}

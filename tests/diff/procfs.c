/* procfs.c: /proc and mount(2) as Linux 6.1 i386 has them. The Linux
 * oracle's initramfs has no /proc mounted, so the program mounts proc
 * there itself when /proc/self is missing. Checks: mount/umount2/umount
 * errors in Linux's order, a tmpfs mount hiding a directory until umount,
 * busy mounts, statfs's f_type, /proc/mounts' line for a mount; the field
 * names and order of status, stat, statm, smaps, meminfo, /proc/stat,
 * cpuinfo; smaps' counts and VmFlags for pages this program touches;
 * pagemap's flag bits (present, file/shared, exclusive, soft-dirty) for
 * written, read-only, shared and forked pages; cmdline and environ against
 * argv and envp; fd/ links, their modes and reopening through them; task/;
 * the formats of loadavg, uptime and the sys values. Addresses, frame
 * numbers, sizes and times are compared, never printed. */
#include "t.h"
#include <asm/statfs.h>

#define C1(n, a) sys1(__NR_##n, (long)(a))
#define C2(n, a, b) sys2(__NR_##n, (long)(a), (long)(b))
#define C3(n, a, b, c) sys3(__NR_##n, (long)(a), (long)(b), (long)(c))
#define MOUNT(s, t, ty, f, d) sys5(__NR_mount, (long)(s), (long)(t), (long)(ty), (long)(f), (long)(d))
#define BAD ((const char *)0xc0001000)

struct dirent64 { u64 d_ino; i64 d_off; unsigned short d_reclen; unsigned char d_type; char d_name[]; };

static char buf[65536];
static char tmp[4096];

static long slurp(const char *path) {
    long fd = C3(open, path, O_RDONLY, 0), n = 0, r;
    if (is_err(fd)) return fd;
    while ((r = C3(read, fd, buf + n, sizeof buf - 1 - n)) > 0) n += r;
    C1(close, fd);
    buf[n] = 0;
    return n;
}

static const char *find(const char *s, const char *p) { for (; *s; s++) if (sprefix(s, p)) return s; return 0; }

/* The line of `text` that contains `p`, copied into tmp ("" if none). */
static const char *line_with(const char *text, const char *p) {
    const char *at = find(text, p);
    u32 n = 0;
    tmp[0] = 0;
    if (!at) return tmp;
    while (at > text && at[-1] != '\n') at--;
    while (at[n] && at[n] != '\n' && n < sizeof tmp - 1) { tmp[n] = at[n]; n++; }
    tmp[n] = 0;
    return tmp;
}

/* Prints the names before `sep` of the lines of `text` (from `from`),
 * ten to a check line: "NAME keys N: a,b,c". */
static void keys(const char *name, const char *text, char sep) {
    line_t l = {.n = 0};
    int count = 0, part = 0;
    for (const char *s = text; *s;) {
        const char *e = s;
        while (*e && *e != '\n' && *e != sep) e++;
        if (count % 10 == 0) {
            if (count) l_end(&l);
            l_s(&l, name); l_s(&l, " keys "); l_u(&l, part++); l_s(&l, ": ");
        } else l_s(&l, ",");
        while (s < e) { char c[2] = { *s++, 0 }; l_s(&l, c); }
        count++;
        while (*s && *s != '\n') s++;
        if (*s) s++;
        if (*s == '\n') break; /* a blank line ends a block (cpuinfo) */
    }
    if (l.n) l_end(&l);
}

static void l_o(line_t *l, u32 v) { char t[12]; int i = 0; do { t[i++] = '0' + (v & 7); v >>= 3; } while (v); l_s(l, "0"); while (i) { char c[2] = { t[--i], 0 }; l_s(l, c); } }

static void mount_checks(void) {
    static struct stat64 sb;
    C2(mkdir, "/pt", 0755);
    long fd = C3(open, "/pt/f", O_CREAT | O_WRONLY, 0644);
    C1(close, fd);
    out("mount unknown type", MOUNT("none", "/pt", "nosuchfs", 0, 0));
    out("mount missing target", MOUNT("none", "/nonexistent/x", "tmpfs", 0, 0));
    out("mount missing target, unknown type", MOUNT("none", "/nonexistent", "nosuchfs", 0, 0));
    out("mount through a file", MOUNT("none", "/pt/f/x", "tmpfs", 0, 0));
    out("mount on a file", MOUNT("none", "/pt/f", "tmpfs", 0, 0));
    out("mount on a file, unknown type", MOUNT("none", "/pt/f", "nosuchfs", 0, 0));
    out("mount NULL type", MOUNT("none", "/pt", 0, 0, 0));
    out("mount bad type pointer", MOUNT("none", "/nonexistent", BAD, 0, 0));
    out("mount bad source pointer", MOUNT(BAD, "/pt", "tmpfs", 0, 0));
    out("mount bad target pointer", MOUNT("none", BAD, "tmpfs", 0, 0));
    out("mount bad data pointer", MOUNT("none", "/pt", "tmpfs", 0, BAD));
    out("mount tmpfs bad option", MOUNT("none", "/pt", "tmpfs", 0, "bogus"));
    out("mount tmpfs bad mode", MOUNT("none", "/pt", "tmpfs", 0, "mode=9x"));
    out("mount MS_NOUSER", MOUNT("none", "/pt", "tmpfs", 1u << 31, 0));
    out("mount tmpfs /pt mode=700", MOUNT("none", "/pt", "tmpfs", 0, "mode=700"));
    out("open /pt/f under the mount", C3(open, "/pt/f", O_RDONLY, 0));
    C2(stat64, "/pt", &sb);
    line_t l = {.n = 0}; l_s(&l, "stat /pt mode: "); l_o(&l, sb.st_mode); l_end(&l);
    slurp("/proc/mounts");
    outs("/proc/mounts line", line_with(buf, " /pt "));
    static struct statfs64 fs;
    out("statfs64 /pt", C3(statfs64, "/pt", sizeof fs, &fs));
    outx("statfs64 /pt f_type", fs.f_type);
    outx("statfs64 /pt f_flags", fs.f_flags);
    out("rmdir of the mount point", C1(rmdir, "/pt"));
    out("rename of the mount point", C2(rename, "/pt", "/pt2"));
    fd = C3(open, "/pt/new", O_CREAT | O_RDWR, 0644);
    oute("create in the mount", fd);
    out("umount2 busy", C2(umount2, "/pt", 0));
    out("umount2 MNT_EXPIRE", C2(umount2, "/pt", 4));
    out("umount2 MNT_EXPIRE|MNT_DETACH", C2(umount2, "/pt", 6));
    C1(close, fd);
    out("umount2 not a mount point", C2(umount2, "/pt/new", 0));
    out("umount2 bad flags", C2(umount2, "/pt", 0x100));
    out("umount2 missing", C2(umount2, "/nonexistent", 0));
    out("umount2 bad pointer", C2(umount2, BAD, 0));
    out("umount2 /pt", C2(umount2, "/pt", 0));
    out("umount2 /pt again", C2(umount2, "/pt", 0));
    fd = C3(open, "/pt/f", O_RDONLY, 0);
    oute("/pt/f back after umount", fd);
    C1(close, fd);
    out("/pt/new gone", C3(open, "/pt/new", O_RDONLY, 0));
    /* A lazy umount of a busy mount: what is open lives on. */
    out("mount tmpfs again", MOUNT("none", "/pt", "tmpfs", 0, 0));
    fd = C3(open, "/pt/g", O_CREAT | O_RDWR, 0644);
    C3(write, fd, "lazy", 4);
    out("umount2 MNT_DETACH busy", C2(umount2, "/pt", 2));
    out("pread after detach", sys5(__NR_pread64, fd, (long)tmp, 4, 0, 0));
    C1(close, fd);
    out("/pt/g gone", C3(open, "/pt/g", O_RDONLY, 0));
    /* proc elsewhere, and the old umount(22). */
    out("mount proc on /pt", MOUNT("proc", "/pt", "proc", 0, 0));
    long n = C3(readlink, "/pt/self", tmp, sizeof tmp - 1);
    tmp[n > 0 ? n : 0] = 0;
    line_t p = {.n = 0}; l_u(&p, (u32)sys0(__NR_getpid)); p.b[p.n] = 0;
    outb("/pt/self names this process", n > 0 && seq(tmp, p.b));
    out("statfs64 /pt (proc) ", C3(statfs64, "/pt", sizeof fs, &fs));
    outx("statfs64 proc f_type", fs.f_type);
    out("umount /pt", C1(umount, "/pt"));
    out("mount devtmpfs on /pt", MOUNT("devtmpfs", "/pt", "devtmpfs", 0, 0));
    out("stat /pt/null", C2(stat64, "/pt/null", &sb));
    outx("/pt/null rdev", (u32)sb.st_rdev);
    out("umount devtmpfs", C2(umount2, "/pt", 0));
}

#define PRESENT (1ull << 63)
#define SWAPPED (1ull << 62)
#define FILEPG (1ull << 61)
#define EXCL (1ull << 56)
#define SOFTDIRTY (1ull << 55)

static u64 pagemap_of(const void *va) {
    u64 e = 0x5a5a5a5a5a5a5a5aull;
    long fd = C3(open, "/proc/self/pagemap", O_RDONLY, 0);
    u32 off = ((u32)va >> 12) * 8;
    if (is_err(C3(lseek, fd, off, 0)) || C3(read, fd, &e, 8) != 8) e = 0xdead;
    C1(close, fd);
    return e;
}

static void outpm(const char *name, const void *va) {
    u64 e = pagemap_of(va);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    l_s(&l, e & PRESENT ? "present" : "-"); l_s(&l, e & SWAPPED ? ",swapped" : "");
    l_s(&l, e & FILEPG ? ",file" : ""); l_s(&l, e & EXCL ? ",exclusive" : "");
    l_s(&l, e & SOFTDIRTY ? ",soft-dirty" : "");
    l_s(&l, (e & PRESENT) ? ((e & ((1ull << 55) - 1)) ? ",pfn" : ",pfn 0") : "");
    l_end(&l);
}

static int child_pagemap(long va) {
    u64 e = pagemap_of((void *)va);
    return (e & PRESENT ? 1 : 0) | (e & EXCL ? 2 : 0) | (e & FILEPG ? 4 : 0);
}

static void smaps_of(const char *name, const void *va) {
    line_t h = {.n = 0};
    const char *hex = "0123456789abcdef";
    char start[10];
    for (int i = 0; i < 8; i++) start[i] = hex[((u32)va >> (28 - 4 * i)) & 15];
    start[8] = '-'; start[9] = 0;
    slurp("/proc/self/smaps");
    const char *at = find(buf, start);
    if (!at) { outs(name, "missing"); return; }
    const char *end = find(at + 1, "VmFlags:");
    while (end && *end != '\n') end++;
    u32 n = end ? (u32)(end - at) + 1 : 0;
    for (u32 i = 0; i < n && i < sizeof tmp - 1; i++) tmp[i] = at[i];
    tmp[n < sizeof tmp ? n : sizeof tmp - 1] = 0;
    const char *body = tmp;
    while (*body && *body != '\n') body++;
    l_s(&h, name); l_s(&h, " perms and offset"); h.b[h.n] = 0;
    const char *sp = find(tmp, " ");
    char perms[14] = {0};
    for (int i = 0; sp && i < 13 && sp[1 + i]; i++) perms[i] = sp[1 + i];
    outs(h.b, perms);
    body++;
    keys(name, body, ':');
    for (const char *f = body; *f;) {
        const char *e = f;
        while (*e && *e != '\n') e++;
        line_t l = {.n = 0};
        l_s(&l, name); l_s(&l, " ");
        while (f < e) { char c[2] = { *f++, 0 }; if (c[0] != ' ' || (l.n && l.b[l.n - 1] != ' ')) l_s(&l, c); }
        l_end(&l);
        if (*f) f++;
    }
}

static void pid_files(int argc, char **argv, char **envp) {
    long n = slurp("/proc/self/status");
    keys("status", buf, ':');
    static char name[64];
    const char *nl = line_with(buf, "Name:");
    for (u32 i = 0; i < sizeof name - 1; i++) name[i] = nl[i] ? nl[i] : 0;
    outs("status Umask", line_with(buf, "Umask:"));
    outs("status State", line_with(buf, "State:"));
    outs("status Uid", line_with(buf, "Uid:"));
    outs("status Threads", line_with(buf, "Threads:"));
    outs("status FDSize", line_with(buf, "FDSize:"));
    outs("status SigBlk", line_with(buf, "SigBlk:"));
    outs("status CapEff", line_with(buf, "CapEff:"));
    outs("status Cpus_allowed_list", line_with(buf, "Cpus_allowed_list:"));
    outb("status read", n > 0);
    slurp("/proc/self/comm");
    outb("status Name is comm", sprefix(name, "Name:\t") && sprefix(buf, name + 6) && buf[slen(name + 6)] == '\n');
    n = slurp("/proc/self/stat");
    int fields = 0;
    for (const char *s = find(buf, ") "); s && *s; s++) if (*s == ' ') fields++;
    out("stat fields after the name", fields);
    outb("stat has (comm) R", find(buf, ") R ") != 0);
    slurp("/proc/self/statm");
    fields = 0;
    for (const char *s = buf; *s; s++) if (*s == ' ') fields++;
    out("statm fields", fields + 1);
    /* cmdline and environ: the strings exec put there. */
    n = slurp("/proc/self/cmdline");
    long want = 0, ok = 1;
    for (int i = 0; i < argc; i++) {
        for (u32 j = 0; j <= slen(argv[i]); j++, want++) ok &= want < n && buf[want] == argv[i][j];
    }
    outb("cmdline is argv", ok && n == want);
    n = slurp("/proc/self/environ");
    want = 0, ok = 1;
    for (char **e = envp; *e; e++) {
        for (u32 j = 0; j <= slen(*e); j++, want++) ok &= want < n && buf[want] == (*e)[j];
    }
    outb("environ is envp", ok && n == want);
    n = C3(readlink, "/proc/self/exe", tmp, sizeof tmp - 1);
    tmp[n > 0 ? n : 0] = 0;
    outs("readlink exe", tmp);
    n = C3(readlink, "/proc/self/cwd", tmp, sizeof tmp - 1);
    tmp[n > 0 ? n : 0] = 0;
    outs("readlink cwd", tmp);
}

static void fd_checks(void) {
    long fd = C3(open, "/prog", O_RDONLY, 0), fdw = C3(open, "/pt/f", O_RDWR, 0);
    int p[2];
    C1(pipe, p);
    line_t l = {.n = 0}; l_s(&l, "/proc/self/fd/"); l_u(&l, (u32)fd); l.b[l.n] = 0;
    long n = C3(readlink, l.b, tmp, sizeof tmp - 1);
    tmp[n > 0 ? n : 0] = 0;
    outs("readlink fd of /prog", tmp);
    static struct stat64 sb;
    C2(lstat64, l.b, &sb);
    line_t m = {.n = 0}; l_s(&m, "lstat fd link O_RDONLY mode: "); l_o(&m, sb.st_mode); l_end(&m);
    long again = C3(open, l.b, O_RDONLY, 0);
    char a[4] = {0}, b[4] = {0};
    C3(read, again, a, 4);
    sys5(__NR_pread64, fd, (long)b, 4, 0, 0);
    outb("reopen through fd link reads the file", !is_err(again) && a[1] == 'E' && b[1] == 'E');
    C1(close, again);
    line_t w = {.n = 0}; l_s(&w, "/proc/self/fd/"); l_u(&w, (u32)fdw); w.b[w.n] = 0;
    C2(lstat64, w.b, &sb);
    line_t wm = {.n = 0}; l_s(&wm, "lstat fd link O_RDWR mode: "); l_o(&wm, sb.st_mode); l_end(&wm);
    line_t q = {.n = 0}; l_s(&q, "/proc/self/fd/"); l_u(&q, (u32)p[0]); q.b[q.n] = 0;
    n = C3(readlink, q.b, tmp, sizeof tmp - 1);
    tmp[n > 0 ? n : 0] = 0;
    outb("readlink pipe fd is pipe:[...]", sprefix(tmp, "pipe:[") && tmp[n - 1] == ']');
    line_t d = {.n = 0}; l_s(&d, "/proc/self/fd/"); l_u(&d, (u32)p[1]); d.b[d.n] = 0;
    C2(lstat64, d.b, &sb);
    line_t dm = {.n = 0}; l_s(&dm, "lstat pipe write end mode: "); l_o(&dm, sb.st_mode); l_end(&dm);
    /* The listing: numbers, the directory's own descriptor included. */
    long dfd = C3(open, "/proc/self/fd", O_RDONLY | O_DIRECTORY, 0);
    n = C3(getdents64, dfd, buf, sizeof buf);
    line_t ls = {.n = 0}; l_s(&ls, "ls /proc/self/fd: ");
    for (long off = 0; off < n;) {
        struct dirent64 *e = (struct dirent64 *)(buf + off);
        if (e->d_name[0] != '.') { l_s(&ls, e->d_name); l_s(&ls, " "); }
        off += e->d_reclen;
    }
    l_end(&ls);
    C1(close, dfd);
    dfd = C3(open, "/proc/self/task", O_RDONLY | O_DIRECTORY, 0);
    n = C3(getdents64, dfd, buf, sizeof buf);
    int tasks = 0, mine = 0;
    line_t me = {.n = 0}; l_u(&me, (u32)sys0(__NR_gettid)); me.b[me.n] = 0;
    for (long off = 0; off < n;) {
        struct dirent64 *e = (struct dirent64 *)(buf + off);
        if (e->d_name[0] != '.') { tasks++; mine |= seq(e->d_name, me.b); }
        off += e->d_reclen;
    }
    C1(close, dfd);
    outb("/proc/self/task holds this thread only", tasks == 1 && mine);
    line_t ts = {.n = 0}; l_s(&ts, "/proc/self/task/"); l_s(&ts, me.b); l_s(&ts, "/stat"); ts.b[ts.n] = 0;
    outb("task/TID/stat readable", slurp(ts.b) > 0 && find(buf, ") R "));
    C1(close, fd); C1(close, fdw); C1(close, p[0]); C1(close, p[1]);
}

static void memory_checks(void) {
    char *m = (char *)sys6(__NR_mmap2, 0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    m[0] = 1;
    volatile char c = m[4096];
    (void)c;
    outpm("pagemap written page", m);
    outpm("pagemap read-only touched page", m + 4096);
    outpm("pagemap untouched page", m + 8192);
    outpm("pagemap page 0", (void *)0);
    smaps_of("smaps anon", m);
    char *s = (char *)sys6(__NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    s[0] = 1;
    outpm("pagemap shared page", s);
    smaps_of("smaps shared", s);
    char *r = (char *)sys6(__NR_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    smaps_of("smaps untouched", r);
    line_t l = {.n = 0}; l_s(&l, "child pagemap of the written page: "); l_x(&l, (u32)run_child(child_pagemap, (long)m)); l_end(&l);
    outpm("pagemap written page after the child", m);
}

static void system_files(void) {
    slurp("/proc/meminfo");
    keys("meminfo", buf, ':');
    slurp("/proc/stat");
    keys("stat", buf, ' ');
    slurp("/proc/cpuinfo");
    keys("cpuinfo", buf, '\t');
    long n = slurp("/proc/loadavg");
    /* "a.bc d.ef g.hi r/t p\n" */
    int dots = 0, slash = 0, spaces = 0;
    for (long i = 0; i < n; i++) dots += buf[i] == '.', slash += buf[i] == '/', spaces += buf[i] == ' ';
    outb("loadavg format", n > 0 && dots == 3 && slash == 1 && spaces == 4 && buf[n - 1] == '\n');
    n = slurp("/proc/uptime");
    dots = spaces = 0;
    for (long i = 0; i < n; i++) dots += buf[i] == '.', spaces += buf[i] == ' ';
    outb("uptime format", n > 0 && dots == 2 && spaces == 1);
    slurp("/proc/sys/kernel/pid_max");
    outs("pid_max", line_with(buf, ""));
    slurp("/proc/sys/vm/overcommit_memory");
    outs("overcommit_memory", line_with(buf, ""));
    n = slurp("/proc/sys/kernel/threads-max");
    outb("threads-max is a number", n > 1 && buf[0] >= '1' && buf[0] <= '9');
    slurp("/proc/filesystems");
    outb("filesystems: proc and tmpfs, nodev", find(buf, "nodev\tproc\n") && find(buf, "nodev\ttmpfs\n"));
    struct new_utsname u;
    C1(uname, &u);
    slurp("/proc/version");
    outb("version starts with the uname sysname and ' version '",
         sprefix(buf, u.sysname) && sprefix(buf + slen(u.sysname), " version "));
    n = slurp("/proc/mounts");
    long n2 = C3(readlink, "/proc/mounts", tmp, sizeof tmp - 1);
    tmp[n2 > 0 ? n2 : 0] = 0;
    outs("readlink /proc/mounts", tmp);
    static struct statfs64 fs;
    C3(statfs64, "/proc", sizeof fs, &fs);
    outx("statfs64 /proc f_type", fs.f_type);
    C3(statfs64, "/", sizeof fs, &fs);
    outx("statfs64 / f_type", fs.f_type);
    out("open /proc/meminfo for writing", C3(open, "/proc/meminfo", O_WRONLY, 0));
}

int main(int argc, char **argv, char **envp) {
    puts1("--- start\n");
    long probe = C3(open, "/proc/self/stat", O_RDONLY, 0);
    if (!is_err(probe))
        C1(close, probe);
    else {
        C2(mkdir, "/proc", 0555);
        MOUNT("proc", "/proc", "proc", 0, 0);
    }
    outb("proc available", !is_err(slurp("/proc/self/stat")));
    mount_checks();
    pid_files(argc, argv, envp);
    fd_checks();
    memory_checks();
    system_files();
    return 0;
}

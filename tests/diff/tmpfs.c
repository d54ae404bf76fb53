/* tmpfs.c: the writable file system, under a fresh /tmp/t: open/openat/
 * creat flags and modes, read/write/pread/pwrite/readv/writev/lseek, sparse
 * files and SEEK_DATA/SEEK_HOLE, truncate, mkdir/rmdir/unlink/rename/link/
 * symlink/readlink, chmod/chown/utimensat/mknod, stat64/fstatat64/statx/
 * statfs64, getdents(64), getcwd/chdir, access, dup3, unlinked open files,
 * /dev nodes, execve of files and #! scripts created here, 2 GiB limits.
 * Inode numbers, times and devices are compared, never printed. */
#include "t.h"
#include <asm/statfs.h>

#define C1(n, a) sys1(__NR_##n, (long)(a))
#define C2(n, a, b) sys2(__NR_##n, (long)(a), (long)(b))
#define C3(n, a, b, c) sys3(__NR_##n, (long)(a), (long)(b), (long)(c))
#define C4(n, a, b, c, d) sys4(__NR_##n, (long)(a), (long)(b), (long)(c), (long)(d))
#define C5(n, a, b, c, d, e) sys5(__NR_##n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e))
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)
#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

static char buf[8192];
static char name256[300];
static struct stat64 sb, sb2;

static long S(const char *p) { memset(&sb, 0x5a, sizeof sb); return C2(stat64, p, &sb); }
static long LS(const char *p) { memset(&sb, 0x5a, sizeof sb); return C2(lstat64, p, &sb); }
static long FS(long fd) { memset(&sb, 0x5a, sizeof sb); return C2(fstat64, fd, &sb); }
static long op(const char *p, long fl, long mode) { return C3(open, p, fl, mode); }
static void cl(long fd) { C1(close, fd); }
static int is_zero(const char *p, u32 n) { while (n--) if (*p++) return 0; return 1; }

static void l_o(line_t *l, u32 v) { char t[12]; int i = 0; do { t[i++] = '0' + (v & 7); v >>= 3; } while (v); l_s(l, "0"); while (i) { char c[2] = { t[--i], 0 }; l_s(l, c); } }
static void outo(const char *name, u32 v) { line_t l = {.n = 0}; l_s(&l, name); l_s(&l, ": "); l_o(&l, v); l_end(&l); }
/* an open's result: "fd" (closed again) or -errno */
static void outfd(const char *name, long fd) { if (is_err(fd)) out(name, fd); else { outs(name, "fd"); cl(fd); } }
/* stat64's mode in octal, or -errno */
static void outmode(const char *name, long r) { if (is_err(r)) out(name, r); else outo(name, sb.st_mode); }
static void outstr(const char *name, long r, const char *p)
{
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_d(&l, r);
    if (!is_err(r)) { l_s(&l, " \""); for (long i = 0; i < r && i < 64; i++) { char c[2] = { p[i] ? p[i] : '0', 0 }; l_s(&l, c); } l_s(&l, "\""); }
    l_end(&l);
}
static void outcwd(const char *name, long r) { if (is_err(r)) out(name, r); else { line_t l = {.n = 0}; l_s(&l, name); l_s(&l, ": "); l_d(&l, r); l_s(&l, " "); l_s(&l, buf); l_end(&l); } }
/* "CALL PATH: result" for each path of a NULL-terminated list (one-path calls) */
static void each(long nr, const char *call, const char *const *paths)
{
    for (; *paths; paths++) {
        line_t l = {.n = 0};
        l_s(&l, call); l_s(&l, " "); l_s(&l, **paths ? *paths : "\"\"");
        l.b[l.n] = 0;
        out(l.b, sys2(nr, (long)*paths, 0755));
    }
}
/* the same for two-path calls: "CALL A B: result" for each pair A, B */
static void each2(long nr, const char *call, const char *const *p)
{
    for (; *p; p += 2) {
        line_t l = {.n = 0};
        l_s(&l, call); l_s(&l, " "); l_s(&l, *p[0] ? p[0] : "\"\""); l_s(&l, " "); l_s(&l, *p[1] ? p[1] : "\"\"");
        l.b[l.n] = 0;
        out(l.b, sys2(nr, (long)p[0], (long)p[1]));
    }
}
#define EACH2(call, ...) each2(__NR_##call, #call, (const char *const[]){ __VA_ARGS__, 0 })
#define EACH(call, ...) each(__NR_##call, #call, (const char *const[]){ __VA_ARGS__, 0 })
static long size_of(const char *p) { return is_err(S(p)) ? -1 : (long)sb.st_size; }
static void put(const char *p, const char *text, long mode)
{
    long fd = op(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
    C3(write, fd, text, slen(text));
    C2(fchmod, fd, mode); cl(fd);
}
static long pread(long fd, void *b, long n, long off) { return C5(pread64, fd, b, n, off, off < 0 ? -1 : 0); }
static long pwrite(long fd, const void *b, long n, long off) { return C5(pwrite64, fd, b, n, off, off < 0 ? -1 : 0); }

/* getdents64 (or getdents) of path: "name/type" sorted, or -errno */
static void list_dir(const char *name, const char *path, int old)
{
    static char nm[32][32];
    static char db[4096];
    int n = 0;
    long fd = op(path, O_RDONLY | O_DIRECTORY, 0), total = 0, r;
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if (is_err(fd)) { l_d(&l, fd); l_end(&l); return; }
    while ((r = sys3(old ? __NR_getdents : __NR_getdents64, fd, (long)db, sizeof db)) > 0) {
        total += r;
        for (long o = 0; o < r;) {
            char *e = db + o, *s; u32 t; u32 rl = *(unsigned short *)(e + (old ? 8 : 16));
            if (old) { s = e + 10; t = (unsigned char)e[rl - 1]; } else { s = e + 19; t = (unsigned char)e[18]; }
            if (n < 32) { u32 k = 0; while (s[k] && k < 20) nm[n][k] = s[k], k++; nm[n][k++] = '/'; nm[n][k++] = '0' + t / 10; nm[n][k++] = '0' + t % 10; nm[n][k] = 0; n++; }
            o += rl;
        }
    }
    for (int i = 1; i < n; i++) for (int j = i; j > 0; j--) {
        const char *a = nm[j - 1], *b = nm[j]; while (*a && *a == *b) a++, b++;
        if ((unsigned char)*a <= (unsigned char)*b) break;
        char t[32]; memcpy(t, nm[j], 32); memcpy(nm[j], nm[j - 1], 32); memcpy(nm[j - 1], t, 32);
    }
    for (int i = 0; i < n; i++) { l_s(&l, nm[i]); l_s(&l, " "); }
    l_s(&l, "(end "); l_d(&l, r); l_s(&l, ", bytes "); l_d(&l, total); l_s(&l, ")");
    l_end(&l); cl(fd);
}

/* fork; the child execs path with argv and an empty environment; prints
 * "exit N" for the child's status or -errno if execve failed */
static void try_exec(const char *name, const char *path, char **av)
{
    static char *ev[] = { 0 };
    long pid = sys0(__NR_fork);
    if (pid == 0) { long r = C3(execve, path, av, ev); _exit(100 + (int)-r); }
    i32 st = 0;
    C3(waitpid, pid, &st, 0);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if ((st & 0x7f) != 0) { l_s(&l, "signal "); l_d(&l, st & 0x7f); }
    else if (((st >> 8) & 0xff) >= 100) l_d(&l, -(((st >> 8) & 0xff) - 100));
    else { l_s(&l, "exit "); l_d(&l, (st >> 8) & 0xff); }
    l_end(&l);
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc >= 2) {   /* the exec'd copy (the test itself runs with argc 1) */
        line_t l = {.n = 0};
        l_s(&l, "[copy] argv:");
        for (int i = 0; i < argc; i++) { l_s(&l, " ["); l_s(&l, argv[i]); l_s(&l, "]"); }
        l_end(&l);
        return 7;
    }
    puts1("--- start\n");
    long r, fd, fd2, dfd;

    /* ---------- setup ---------- */
    out("umask(022) (old umask)", C1(umask, 022));
    r = C2(mkdir, "/tmp", 01777);
    outs("mkdir /tmp (0 or EEXIST)", r == 0 || r == -EEXIST ? "ok" : "failed");
    out("mkdir /tmp/t", C2(mkdir, "/tmp/t", 0755));
    out("chdir /tmp/t", C1(chdir, "/tmp/t"));
    outcwd("getcwd", C2(getcwd, buf, sizeof buf));
    out("getcwd size 7", C2(getcwd, buf, 7));
    out("getcwd size 0", C2(getcwd, buf, 0));
    out("getcwd NULL", C2(getcwd, 0, 100));
    out("mkdir d", C2(mkdir, "d", 0777));

    /* ---------- open / creat / openat ---------- */
    fd = op("f", O_WRONLY | O_CREAT | O_EXCL, 0666);
    oute("open f O_CREAT|O_EXCL", fd); outmode(".. mode (umask 022)", S("f"));
    out(".. write 11", C3(write, fd, "hello world", 11)); cl(fd);
    outfd("open f O_CREAT|O_EXCL again", op("f", O_WRONLY | O_CREAT | O_EXCL, 0666));
    outfd("open f O_CREAT (exists)", op("f", O_RDONLY | O_CREAT, 0600)); outmode(".. mode unchanged", S("f"));
    fd = op("f", O_RDWR | O_TRUNC, 0); FS(fd);
    out("open f O_RDWR|O_TRUNC: size", (long)sb.st_size); cl(fd);
    fd = op("f", O_RDWR | O_APPEND, 0);
    out("O_APPEND write 3", C3(write, fd, "abc", 3));
    out(".. lseek 0", C3(lseek, fd, 0, SEEK_SET));
    out(".. write 2", C3(write, fd, "de", 2));
    out(".. offset after", C3(lseek, fd, 0, SEEK_CUR));
    out(".. pwrite64 1 at 0 (appends)", pwrite(fd, "X", 1, 0));
    out(".. offset after pwrite", C3(lseek, fd, 0, SEEK_CUR));
    outstr(".. pread64 16 at 0", pread(fd, buf, 16, 0), buf);
    out(".. fcntl F_GETFL & O_APPEND", C2(fcntl, fd, F_GETFL) & O_APPEND);
    out(".. F_SETFL 0 then pwrite 1 at 0", (C3(fcntl, fd, F_SETFL, 0), pwrite(fd, "Y", 1, 0)));
    outstr(".. pread64 16 at 0 after", pread(fd, buf, 16, 0), buf); cl(fd);
    outfd("open f O_RDONLY|O_TRUNC", op("f", O_RDONLY | O_TRUNC, 0));
    out(".. size (O_RDONLY|O_TRUNC truncates)", size_of("f"));
    put("f", "hello world", 0644);
    outfd("open f O_DIRECTORY", op("f", O_RDONLY | O_DIRECTORY, 0));
    outfd("open d O_DIRECTORY", op("d", O_RDONLY | O_DIRECTORY, 0));
    outfd("open d O_WRONLY", op("d", O_WRONLY, 0));
    outfd("open d O_RDWR", op("d", O_RDWR, 0));
    outfd("open d O_RDONLY|O_CREAT", op("d", O_RDONLY | O_CREAT, 0644));
    outfd("open d O_RDONLY|O_TRUNC", op("d", O_RDONLY | O_TRUNC, 0));
    outfd("open d/ O_CREAT", op("d/", O_RDWR | O_CREAT, 0644));
    outfd("open new/ O_CREAT", op("new/", O_RDWR | O_CREAT, 0644));
    out(".. stat new", S("new"));
    outfd("open new2 O_CREAT|O_DIRECTORY", op("new2", O_RDONLY | O_CREAT | O_DIRECTORY, 0644));
    outmode(".. stat new2", S("new2"));
    C1(unlink, "new2");
    outfd("open f/ O_RDONLY", op("f/", O_RDONLY, 0));
    outfd("open f/x", op("f/x", O_RDONLY, 0));
    outfd("open f/x O_CREAT", op("f/x", O_RDWR | O_CREAT, 0644));
    outfd("open nope", op("nope", O_RDONLY, 0));
    outfd("open nope/x O_CREAT", op("nope/x", O_RDWR | O_CREAT, 0644));
    outfd("open \"\" O_CREAT", op("", O_RDWR | O_CREAT, 0644));
    for (int i = 0; i < 256; i++) name256[i] = 'n';
    outfd("open 256-char name O_CREAT", op(name256, O_RDWR | O_CREAT, 0644));
    name256[255] = 0;
    outfd("open 255-char name O_CREAT", op(name256, O_RDWR | O_CREAT, 0644));
    out(".. unlink it", C1(unlink, name256));
    out("symlink f sl", C2(symlink, "f", "sl"));
    outfd("open sl", op("sl", O_RDONLY, 0));
    outfd("open sl O_NOFOLLOW", op("sl", O_RDONLY | O_NOFOLLOW, 0));
    outfd("open f O_NOFOLLOW", op("f", O_RDONLY | O_NOFOLLOW, 0));
    outfd("open sl O_NOFOLLOW|O_PATH", op("sl", O_NOFOLLOW | O_PATH, 0));
    out("symlink d sd", C2(symlink, "d", "sd"));
    outfd("open sd/ O_NOFOLLOW", op("sd/", O_RDONLY | O_NOFOLLOW, 0));
    out("symlink loop2 loop1", C2(symlink, "loop2", "loop1"));
    out("symlink loop1 loop2", C2(symlink, "loop1", "loop2"));
    outfd("open loop1", op("loop1", O_RDONLY, 0));
    outfd("open loop1 O_CREAT", op("loop1", O_RDWR | O_CREAT, 0644));
    outfd("open loop1/x", op("loop1/x", O_RDONLY, 0));
    {   /* l0 -> l1 -> ... -> l40 -> f: 41 links */
        char a[4] = "l00", b[4] = "l00";
        for (int i = 0; i <= 40; i++) {
            a[1] = '0' + i / 10; a[2] = '0' + i % 10; b[1] = '0' + (i + 1) / 10; b[2] = '0' + (i + 1) % 10;
            C2(symlink, i == 40 ? "f" : b, a);
        }
        outfd("open l00 (41 links)", op("l00", O_RDONLY, 0));
        outfd("open l01 (40 links)", op("l01", O_RDONLY, 0));
    }
    out("symlink dtarget dang", C2(symlink, "dtarget", "dang"));
    outfd("open dang O_CREAT|O_EXCL", op("dang", O_RDWR | O_CREAT | O_EXCL, 0644));
    outfd("open dang", op("dang", O_RDONLY, 0));
    outfd("open dang O_CREAT (creates the target)", op("dang", O_RDWR | O_CREAT, 0600));
    outmode(".. stat dtarget", S("dtarget"));
    /* O_CLOEXEC */
    fd = op("f", O_RDONLY | O_CLOEXEC, 0);
    out("open O_CLOEXEC: F_GETFD", C2(fcntl, fd, F_GETFD)); cl(fd);
    fd = op("f", O_RDONLY, 0);
    out("open without O_CLOEXEC: F_GETFD", C2(fcntl, fd, F_GETFD));
    out(".. F_GETFL", C2(fcntl, fd, F_GETFL)); cl(fd);
    /* umask */
    out("umask(077) (old)", C1(umask, 077));
    outfd("creat u077 0666", C2(creat, "u077", 0666)); outmode(".. mode", S("u077"));
    out("mkdir ud077 0777", C2(mkdir, "ud077", 0777)); outmode(".. mode", S("ud077"));
    out("mknod un077 S_IFIFO|0666", C3(mknod, "un077", S_IFIFO | 0666, 0)); outmode(".. mode", S("un077"));
    out("umask(022) (old)", C1(umask, 022));
    outfd("open um 07777 O_CREAT", op("um", O_RDWR | O_CREAT, 07777)); outmode(".. mode", S("um"));
    /* creat */
    fd = C2(creat, "c", 0640);
    oute("creat c 0640", fd); outmode(".. mode", S("c"));
    out(".. read (write-only)", C3(read, fd, buf, 1));
    out(".. write 5", C3(write, fd, "12345", 5)); cl(fd);
    fd = C2(creat, "c", 0600);
    oute("creat c again", fd); cl(fd); outmode(".. mode (kept)", S("c"));
    out(".. size (truncated)", (long)sb.st_size);
    /* openat */
    dfd = op("d", O_RDONLY | O_DIRECTORY, 0);
    fd2 = op("f", O_RDONLY, 0);
    outfd("openat(d, in, O_CREAT)", C4(openat, dfd, "in", O_RDWR | O_CREAT, 0644));
    out(".. stat d/in", S("d/in"));
    outfd("openat(AT_FDCWD, f)", C4(openat, AT_FDCWD, "f", O_RDONLY, 0));
    outfd("openat(d, ..)", C4(openat, dfd, "..", O_RDONLY, 0));
    outfd("openat(d, ../f)", C4(openat, dfd, "../f", O_RDONLY, 0));
    outfd("openat(file fd, x)", C4(openat, fd2, "x", O_RDONLY, 0));
    outfd("openat(file fd, /tmp/t/f)", C4(openat, fd2, "/tmp/t/f", O_RDONLY, 0));
    outfd("openat(99, x)", C4(openat, 99, "x", O_RDONLY, 0));
    outfd("openat(99, /tmp/t/f)", C4(openat, 99, "/tmp/t/f", O_RDONLY, 0));
    outfd("openat(-1, f)", C4(openat, -1, "f", O_RDONLY, 0));
    outfd("openat(d, \"\")", C4(openat, dfd, "", O_RDONLY, 0));
    outfd("openat(d, nope)", C4(openat, dfd, "nope", O_RDONLY, 0)); cl(fd2);

    /* ---------- read / write / seek ---------- */
    fd = op("rw", O_RDWR | O_CREAT, 0644);
    out("rw: write 10", C3(write, fd, "0123456789", 10));
    out(".. lseek CUR", C3(lseek, fd, 0, SEEK_CUR));
    out(".. read at EOF", C3(read, fd, buf, 10));
    outstr(".. pread64 4 at 2", pread(fd, buf, 4, 2), buf);
    out(".. offset unchanged", C3(lseek, fd, 0, SEEK_CUR));
    out(".. pread64 at -1", pread(fd, buf, 4, -1));
    out(".. pwrite64 at -1", pwrite(fd, "x", 1, -1));
    out(".. pread64 at 100", pread(fd, buf, 4, 100));
    out(".. pwrite64 AB at 8", pwrite(fd, "AB", 2, 8));
    out(".. pwrite64 CD at 12", pwrite(fd, "CD", 2, 12)); FS(fd);
    out(".. size", (long)sb.st_size);
    outstr(".. pread64 20 at 0", pread(fd, buf, 20, 0), buf);
    {
        struct { u32 base, len; } v[3];
        char a[3] = { 0 }, b[7] = { 0 };
        v[0].base = (u32)a; v[0].len = 2; v[1].base = (u32)b; v[1].len = 6;
        C3(lseek, fd, 0, SEEK_SET);
        r = C3(readv, fd, v, 2);
        out(".. readv 2+6", r);
        outb(".. split", seq(a, "01") && seq(b, "234567"));
        out(".. offset", C3(lseek, fd, 0, SEEK_CUR));
        v[0].base = (u32)"xy"; v[0].len = 2; v[1].base = (u32)""; v[1].len = 0; v[2].base = (u32)"z"; v[2].len = 1;
        C3(lseek, fd, 0, SEEK_END);
        out(".. writev 2+0+1 at end", C3(writev, fd, v, 3));
        outstr(".. pread64 20 at 12", pread(fd, buf, 20, 12), buf);
    }
    out(".. lseek -1 SEEK_END", C3(lseek, fd, -1, SEEK_END));
    out(".. lseek -3 SEEK_CUR", C3(lseek, fd, -3, SEEK_CUR));
    out(".. lseek -100 SEEK_CUR", C3(lseek, fd, -100, SEEK_CUR));
    out(".. lseek 1000 SEEK_END", C3(lseek, fd, 1000, SEEK_END));
    out(".. read past EOF", C3(read, fd, buf, 4));
    out(".. size unchanged by seek", (FS(fd), (long)sb.st_size));
    out(".. write 1 at 1017", C3(write, fd, "E", 1));
    out(".. size", (FS(fd), (long)sb.st_size));
    outb(".. gap reads zero", pread(fd, buf, 1000, 17) == 1000 && is_zero(buf, 1000));
    {
        u32 res[2] = { 0xdead, 0xbeef };
        out(".. _llseek 0:5 SEEK_SET", C5(_llseek, fd, 0, 5, res, SEEK_SET));
        out(".. result", res[0]);
        out(".. _llseek 0:-2 SEEK_END", C5(_llseek, fd, -1, -2, res, SEEK_END));
        out(".. result", res[0]);
    }
    out(".. fsync", C1(fsync, fd));
    out(".. fdatasync", C1(fdatasync, fd));
    out("fsync d", C1(fsync, dfd));
    out("fsync 99", C1(fsync, 99)); cl(fd);
    /* sparse */
    fd = op("sp", O_RDWR | O_CREAT, 0644);
    out("sparse: pwrite64 A at 0", pwrite(fd, "A", 1, 0));
    out(".. pwrite64 B at 100000", pwrite(fd, "B", 1, 100000)); FS(fd);
    out(".. size", (long)sb.st_size);
    outb(".. st_blocks > 0", sb.st_blocks > 0);
    outb(".. st_blocks < size/512 (holes not allocated)", sb.st_blocks < 100001 / 512);
    outb(".. hole reads zero", pread(fd, buf, 4096, 50000) == 4096 && is_zero(buf, 4096));
    out(".. SEEK_DATA 0", C3(lseek, fd, 0, SEEK_DATA));
    out(".. SEEK_HOLE 0", C3(lseek, fd, 0, SEEK_HOLE));
    out(".. SEEK_DATA 10", C3(lseek, fd, 10, SEEK_DATA));
    out(".. SEEK_DATA 4096", C3(lseek, fd, 4096, SEEK_DATA));
    out(".. SEEK_HOLE 4096", C3(lseek, fd, 4096, SEEK_HOLE));
    out(".. SEEK_HOLE 98304", C3(lseek, fd, 98304, SEEK_HOLE));
    out(".. SEEK_DATA 100000", C3(lseek, fd, 100000, SEEK_DATA));
    out(".. SEEK_DATA 100001 (EOF)", C3(lseek, fd, 100001, SEEK_DATA));
    out(".. SEEK_HOLE 100001 (EOF)", C3(lseek, fd, 100001, SEEK_HOLE));
    out(".. SEEK_DATA -1", C3(lseek, fd, -1, SEEK_DATA));
    out(".. SEEK_HOLE -1", C3(lseek, fd, -1, SEEK_HOLE));
    out(".. ftruncate64 to 50000", C3(ftruncate64, fd, 50000, 0));
    out(".. SEEK_DATA 4096 after", C3(lseek, fd, 4096, SEEK_DATA)); cl(fd);
    /* truncate */
    put("tr", "abcdefghij", 0644);
    fd = op("tr", O_RDWR, 0);
    C3(lseek, fd, 8, SEEK_SET);
    out("ftruncate64 tr to 4", C3(ftruncate64, fd, 4, 0));
    out(".. size", (FS(fd), (long)sb.st_size));
    out(".. offset unchanged", C3(lseek, fd, 0, SEEK_CUR));
    out(".. read at 8", C3(read, fd, buf, 4));
    out(".. ftruncate64 to 8", C3(ftruncate64, fd, 8, 0));
    outstr(".. pread64 16 at 0 (regrown)", pread(fd, buf, 16, 0), buf);
    outb(".. regrown part zero", is_zero(buf + 4, 4));
    out(".. ftruncate (32-bit) to 6", C2(ftruncate, fd, 6));
    out(".. truncate64 tr to 2", C3(truncate64, "tr", 2, 0));
    out(".. size", (FS(fd), (long)sb.st_size));
    out(".. truncate (32-bit) tr to 3", C2(truncate, "tr", 3));
    out(".. size", size_of("tr"));
    out(".. ftruncate64 -1", C3(ftruncate64, fd, -1, -1));
    out(".. ftruncate -1", C2(ftruncate, fd, -1)); cl(fd);
    fd = op("tr", O_RDONLY, 0);
    out("ftruncate64 O_RDONLY fd", C3(ftruncate64, fd, 0, 0)); cl(fd);
    out("ftruncate64 dir fd", C3(ftruncate64, dfd, 0, 0));
    out("truncate64 d", C3(truncate64, "d", 0, 0));
    out("truncate64 nope", C3(truncate64, "nope", 0, 0));
    /* fallocate (i386: offset and len as two words each, low first) */
#define FALLOC(fd, mode, off, len) sys6(__NR_fallocate, (long)(fd), (mode), (long)(off), 0, (long)(len), 0)
    fd = op("fa", O_RDWR | O_CREAT | O_TRUNC, 0644);
    out("fallocate 0..10000", FALLOC(fd, 0, 0, 10000));
    out(".. size", (FS(fd), (long)sb.st_size));
    out(".. blocks", (long)sb.st_blocks);
    out(".. SEEK_HOLE 0", C3(lseek, fd, 0, SEEK_HOLE));
    out("fallocate KEEP_SIZE 20000+5000", FALLOC(fd, 1, 20000, 5000));
    out(".. size", (FS(fd), (long)sb.st_size));
    out(".. blocks", (long)sb.st_blocks);
    {
        static char pat[12288];
        for (int i = 0; i < 12288; i++) pat[i] = 'a' + i % 26;
        C5(pwrite64, fd, pat, 12288, 0, 0);
    }
    out("fallocate PUNCH_HOLE|KEEP_SIZE 100+5000", FALLOC(fd, 3, 100, 5000));
    out(".. size", (FS(fd), (long)sb.st_size));
    out(".. blocks (no page wholly inside: none freed)", (long)sb.st_blocks);
    outstr(".. pread64 4 at 96", pread(fd, buf, 4, 96), buf);
    outb(".. punched bytes zero", (pread(fd, buf, 5000, 100), is_zero(buf, 5000)));
    outstr(".. pread64 4 at 5100", pread(fd, buf, 4, 5100), buf);
    out("fallocate PUNCH_HOLE|KEEP_SIZE a whole page 4096+4096", FALLOC(fd, 3, 4096, 4096));
    out(".. blocks", (FS(fd), (long)sb.st_blocks));
    out(".. SEEK_HOLE 0", C3(lseek, fd, 0, SEEK_HOLE));
    out("fallocate PUNCH_HOLE without KEEP_SIZE", FALLOC(fd, 2, 0, 10));
    out("fallocate ZERO_RANGE", FALLOC(fd, 0x10, 0, 10));
    out("fallocate COLLAPSE_RANGE", FALLOC(fd, 0x08, 0, 4096));
    out("fallocate COLLAPSE_RANGE|KEEP_SIZE", FALLOC(fd, 0x09, 0, 4096));
    out("fallocate unknown mode 0x80", FALLOC(fd, 0x80, 0, 10));
    out("fallocate len 0", FALLOC(fd, 0, 0, 0));
    out("fallocate offset -1", sys6(__NR_fallocate, fd, 0, -1, -1, 10, 0));
    out("fallocate past the size limit", sys6(__NR_fallocate, fd, 0, 0, 0x7fffffff, 10, 0));
    out("fallocate bad fd", FALLOC(99, 0, 0, 10)); cl(fd);
    fd = op("fa", O_RDONLY, 0);
    out("fallocate O_RDONLY fd", FALLOC(fd, 0, 0, 10));
    out("fallocate O_RDONLY fd, len 0", FALLOC(fd, 0, 0, 0)); cl(fd);
    out("fallocate dir fd", FALLOC(dfd, 0, 0, 10));
    {
        long p2[2];
        C1(pipe, p2);
        out("fallocate pipe", FALLOC(p2[1], 0, 0, 10));
        cl(p2[0]); cl(p2[1]);
    }
    fd = op("/dev/null", O_WRONLY, 0);
    out("fallocate /dev/null", FALLOC(fd, 0, 0, 10)); cl(fd);
    C1(unlink, "fa");
    out("truncate64 f/", C3(truncate64, "f/", 0, 0));
    out("ftruncate64 99", C3(ftruncate64, 99, 0, 0));

    /* ---------- mkdir / rmdir / unlink ---------- */
    S("d");
    out("stat d: nlink", sb.st_nlink);
    out("mkdir d2 0777", C2(mkdir, "d2", 0777)); outmode(".. mode", S("d2"));
    out(".. nlink", sb.st_nlink);
    out(".. size", (long)sb.st_size);
    C2(symlink, "nothere", "dang2");   /* sl -> f, dang2 -> nothing */
    EACH(mkdir, "d2", "f", "sl", "dang2", "nope/x", "f/x", "", "/", ".", "..");
    out("mkdir d3/ (trailing slash)", C2(mkdir, "d3/", 0777));
    out("mkdir d4// 01777", C2(mkdir, "d4//", 01777)); outmode(".. mode", S("d4"));
    out("mkdirat(d, sub, 0700)", C3(mkdirat, dfd, "sub", 0700)); outmode(".. mode", S("d/sub")); S("d");
    out(".. nlink of d", sb.st_nlink);
    out("mkdirat(file fd, x)", (fd = op("f", O_RDONLY, 0), r = C3(mkdirat, fd, "x", 0700), cl(fd), r));
    out("mkdirat(AT_FDCWD, d5)", C3(mkdirat, AT_FDCWD, "d5", 0755));
    out("mkdir d6 S_IFREG|0755", C2(mkdir, "d6", S_IFREG | 0755)); outmode(".. mode", S("d6"));
    /* d is not empty, sd is a symlink to d, d5 goes twice */
    EACH(rmdir, "d", "f", "sd", ".", "..", "d3/.", "/", "nope", "d3/", "d4//", "d5", "d5", "", "f/..");
    EACH(unlink, "d", "d/", "f/", "sd/", "nope", "nope/x", "f/x", ".", "/", "");
    out("unlinkat(d, in, 0)", C3(unlinkat, dfd, "in", 0));
    out("unlinkat(d, sub, 0)", C3(unlinkat, dfd, "sub", 0));
    out("unlinkat(d, sub, AT_REMOVEDIR)", C3(unlinkat, dfd, "sub", AT_REMOVEDIR));
    out("unlinkat(AT_FDCWD, um, AT_REMOVEDIR)", C3(unlinkat, AT_FDCWD, "um", AT_REMOVEDIR));
    out("unlinkat(AT_FDCWD, um, 1)", C3(unlinkat, AT_FDCWD, "um", 1));
    out("unlinkat(AT_FDCWD, um, 0)", C3(unlinkat, AT_FDCWD, "um", 0));
    out("unlinkat(99, x, 0)", C3(unlinkat, 99, "x", 0));
    out("unlink sl (the link, not f)", C1(unlink, "sl"));
    out(".. lstat sl", LS("sl"));
    out(".. stat f", S("f"));

    /* ---------- rename ---------- */
    put("ra", "AAAA", 0644); put("rb", "BB", 0644);
    C2(mkdir, "rd1", 0755); C2(mkdir, "rd2", 0755); C2(mkdir, "rd3", 0755); put("rd2/in", "x", 0644);
    out("rename ra rc", C2(rename, "ra", "rc"));
    out(".. stat ra", S("ra"));
    out(".. size rc", size_of("rc"));
    out("rename rc rb (replaces)", C2(rename, "rc", "rb"));
    out(".. size rb", size_of("rb"));
    out(".. stat rc", S("rc"));
    put("rc", "C", 0644);
    out("renameat2 rc rb NOREPLACE", C5(renameat2, AT_FDCWD, "rc", AT_FDCWD, "rb", RENAME_NOREPLACE));
    out("renameat2 rc re NOREPLACE", C5(renameat2, AT_FDCWD, "rc", AT_FDCWD, "re", RENAME_NOREPLACE));
    out("renameat2 re rb EXCHANGE", C5(renameat2, AT_FDCWD, "re", AT_FDCWD, "rb", RENAME_EXCHANGE));
    out(".. size re", size_of("re"));
    out(".. size rb", size_of("rb"));
    out("renameat2 rb nope EXCHANGE", C5(renameat2, AT_FDCWD, "rb", AT_FDCWD, "nope", RENAME_EXCHANGE));
    out("renameat2 rb rd1 EXCHANGE (file <-> dir)", C5(renameat2, AT_FDCWD, "rb", AT_FDCWD, "rd1", RENAME_EXCHANGE));
    outmode(".. rb", S("rb"));
    outmode(".. rd1", S("rd1"));
    C5(renameat2, AT_FDCWD, "rb", AT_FDCWD, "rd1", RENAME_EXCHANGE);
    out("renameat2 NOREPLACE|EXCHANGE", C5(renameat2, AT_FDCWD, "rb", AT_FDCWD, "re", RENAME_NOREPLACE | RENAME_EXCHANGE));
    out("renameat2 flags 0x10", C5(renameat2, AT_FDCWD, "rb", AT_FDCWD, "re", 0x10));
    out("renameat2 WHITEOUT", C5(renameat2, AT_FDCWD, "re", AT_FDCWD, "rw2", RENAME_WHITEOUT));
    outmode(".. lstat re (whiteout)", LS("re"));
    out(".. st_rdev", (long)sb.st_rdev);
    C1(unlink, "re");
    /* into itself, file over dir, dir over file, dir over non-empty dir */
    EACH2(rename, "rd2", "rd2/sub", "rd1", "rd1/sub", "rb", "rd1", "rd1", "rb", "rd1", "rd2");
    out("rename rd3 rd1 (over empty dir)", C2(rename, "rd3", "rd1"));
    out(".. stat rd3", S("rd3"));
    out("rename rd1 rd1", C2(rename, "rd1", "rd1"));
    out("rename rb rb", C2(rename, "rb", "rb"));
    out("link rb rbl", C2(link, "rb", "rbl"));
    out("rename rb rbl (same inode)", C2(rename, "rb", "rbl"));
    out(".. stat rb", S("rb"));
    out(".. nlink", sb.st_nlink);
    out(".. stat rbl", S("rbl"));
    C1(unlink, "rbl");
    EACH2(rename, "rb/", "x", "rb", "x/", "rd1/", "rd4/", "rd4", "rd1//", ".", "x", "rd1", ".", "rd1", "..",
          "nope", "x", "rb", "nope/x", "rb", "f/x", "rb", "", "/", "x", "rd1", "/");
    out("rename rd2/in rd1/in (across dirs)", C2(rename, "rd2/in", "rd1/in"));
    out("renameat(d, ../rd1, AT_FDCWD, rd5)", C4(renameat, dfd, "../rd1", AT_FDCWD, "rd5"));
    out(".. stat rd5/in", S("rd5/in"));
    out("renameat(99, x, ...)", C4(renameat, 99, "x", AT_FDCWD, "y"));
    out("rename a dir: .. inside follows", (C2(mkdir, "rd5/sub", 0755), C2(rename, "rd5/sub", "rd2/sub")));
    S("rd2/sub/.."); sb2 = sb; S("rd2");
    outb(".. rd2/sub/.. is rd2", sb.st_ino == sb2.st_ino);
    S("rd2"); out(".. nlink rd2", sb.st_nlink);
    S("rd5"); out(".. nlink rd5", sb.st_nlink);

    /* ---------- link ---------- */
    put("lk", "link", 0644);
    out("link lk lk2", C2(link, "lk", "lk2"));
    out(".. nlink lk", (S("lk"), sb.st_nlink));
    sb2 = sb; S("lk2");
    outb(".. same inode", sb.st_ino == sb2.st_ino && sb.st_dev == sb2.st_dev);
    EACH2(link, "lk", "lk2", "d", "dl", "nope", "x", "lk", "nope/x", "lk/", "x", "lk", "new/", "lk", "", "lk", "f");
    out("symlink lk lks", C2(symlink, "lk", "lks"));
    out("linkat lks lk3 0 (the link)", C5(linkat, AT_FDCWD, "lks", AT_FDCWD, "lk3", 0));
    outmode(".. lstat lk3", LS("lk3"));
    out("linkat lks lk4 AT_SYMLINK_FOLLOW", C5(linkat, AT_FDCWD, "lks", AT_FDCWD, "lk4", AT_SYMLINK_FOLLOW));
    outmode(".. lstat lk4", LS("lk4"));
    out(".. nlink lk", (S("lk"), sb.st_nlink));
    out("linkat flags 1", C5(linkat, AT_FDCWD, "lk", AT_FDCWD, "lk5", 1));
    out("linkat(d, ../lk, d, lk6)", C5(linkat, dfd, "../lk", dfd, "lk6", 0));
    out("unlink lk2", C1(unlink, "lk2"));
    out(".. nlink lk", (S("lk"), sb.st_nlink));
    C1(unlink, "lk4"); C1(unlink, "d/lk6");

    /* ---------- symlink / readlink ---------- */
    out("symlink target-text sy", C2(symlink, "target-text", "sy"));
    outstr("readlink sy 64", C3(readlink, "sy", buf, 64), buf);
    outstr("readlink sy 3", C3(readlink, "sy", buf, 3), buf);
    out("readlink sy 0", C3(readlink, "sy", buf, 0));
    out("readlink sy -1", C3(readlink, "sy", buf, -1));
    const char *const rl[] = { "f", "d", "nope", "sy/", "sd/", "loop1", "" };
    for (u32 i = 0; i < sizeof rl / sizeof *rl; i++) {
        line_t l = {.n = 0};
        l_s(&l, "readlink "); l_s(&l, *rl[i] ? rl[i] : "\"\""); l.b[l.n] = 0;
        out(l.b, C3(readlink, rl[i], buf, 64));
    }
    outstr("readlinkat(d, ../sy)", C4(readlinkat, dfd, "../sy", buf, 64), buf);
    out("readlinkat(AT_FDCWD, \"\")", C4(readlinkat, AT_FDCWD, "", buf, 64));
    fd = op("sy", O_PATH | O_NOFOLLOW, 0);
    outstr("readlinkat(O_PATH fd of sy, \"\")", C4(readlinkat, fd, "", buf, 64), buf); cl(fd);
    outmode("lstat sy", LS("sy"));
    out(".. size", (long)sb.st_size);
    out("stat sy (dangling)", S("sy"));
    out("stat loop1", S("loop1"));
    outmode("lstat loop1", LS("loop1"));
    outmode("stat sd (-> d)", S("sd"));
    outmode("lstat sd", LS("sd"));
    outmode("lstat sd/", LS("sd/"));
    EACH2(symlink, "x", "sy", "", "se", "x", "nope/se", "x", "se/", "x", "f/se", "x", "");
    out("symlinkat(x, d, sy2)", C3(symlinkat, "/tmp/t/f", dfd, "sy2"));
    outstr(".. readlink d/sy2", C3(readlink, "d/sy2", buf, 64), buf);
    outmode(".. stat d/sy2", S("d/sy2"));
    C1(unlink, "d/sy2");
    fd = op("/tmp/t/sd/../f", O_RDONLY, 0);
    outfd("open sd/../f (.. of the target d)", fd);

    /* ---------- chmod / chown ---------- */
    put("cm", "x", 0644);
    out("chmod cm 04755", C2(chmod, "cm", 04755)); outmode(".. mode", S("cm"));
    out("chmod cm 07777", C2(chmod, "cm", 07777)); outmode(".. mode", S("cm"));
    out("chmod cm 0170644 (type bits ignored)", C2(chmod, "cm", 0170644)); outmode(".. mode", S("cm"));
    fd = op("cm", O_RDONLY, 0);
    out("fchmod 0600 (O_RDONLY fd)", C2(fchmod, fd, 0600)); outmode(".. mode", S("cm"));
    out("fchmodat(AT_FDCWD, cm, 0640)", C3(fchmodat, AT_FDCWD, "cm", 0640)); outmode(".. mode", S("cm"));
    out("chmod lks (follows) 0604", C2(chmod, "lks", 0604));
    outmode(".. lk", S("lk"));
    outmode(".. lstat lks", LS("lks"));
    out("chmod nope", C2(chmod, "nope", 0644));
    out("fchmod 99", C2(fchmod, 99, 0644));
    out("chmod d 01700", C2(chmod, "d", 01700)); outmode(".. mode", S("d"));
    C2(chmod, "d", 0755);
    out("chown32 cm 1000 2000", C3(chown32, "cm", 1000, 2000));
    S("cm"); out(".. uid", sb.st_uid); out(".. gid", sb.st_gid);
    out("chown32 cm -1 -1", C3(chown32, "cm", -1, -1));
    S("cm"); out(".. uid", sb.st_uid); out(".. gid", sb.st_gid);
    out("chown32 cm 70000 -1", C3(chown32, "cm", 70000, -1));
    S("cm"); out(".. uid", sb.st_uid); out(".. gid", sb.st_gid);
    C2(chmod, "cm", 06755);
    out("chown32 cm 0 0 on 06755", C3(chown32, "cm", 0, 0)); outmode(".. mode (set-id bits cleared)", S("cm"));
    C2(chmod, "cm", 06745);
    C3(chown32, "cm", 0, 0);
    outmode(".. 06745 after chown", S("cm"));
    C2(chmod, "cm", 06755);
    out("chown32 cm -1 -1 on 06755", C3(chown32, "cm", -1, -1)); outmode(".. mode", S("cm"));
    out("fchown32 cm 5 6", C3(fchown32, fd, 5, 6));
    S("cm"); out(".. uid", sb.st_uid); out(".. gid", sb.st_gid); cl(fd);
    out("lchown32 lks 7 8", C3(lchown32, "lks", 7, 8));
    LS("lks"); out(".. lstat uid", sb.st_uid); out(".. lstat gid", sb.st_gid);
    S("lks"); out(".. stat uid (lk)", sb.st_uid);
    out("chown32 lks 9 10 (follows)", C3(chown32, "lks", 9, 10));
    S("lk"); out(".. lk uid", sb.st_uid);
    LS("lks"); out(".. lstat lks uid", sb.st_uid);
    out("fchownat lks 11 12 NOFOLLOW", C5(fchownat, AT_FDCWD, "lks", 11, 12, AT_SYMLINK_NOFOLLOW));
    LS("lks"); out(".. lstat uid", sb.st_uid);
    out("fchownat lks 13 14 0", C5(fchownat, AT_FDCWD, "lks", 13, 14, 0));
    S("lk"); out(".. lk uid", sb.st_uid);
    out("fchownat bad flags", C5(fchownat, AT_FDCWD, "lks", 0, 0, 1));
    fd = op("lk", O_RDONLY, 0);
    out("fchownat(fd, \"\", AT_EMPTY_PATH)", C5(fchownat, fd, "", 15, 16, AT_EMPTY_PATH));
    S("lk"); out(".. uid", sb.st_uid);
    out("fchownat(fd, \"\", 0)", C5(fchownat, fd, "", 15, 16, 0)); cl(fd);
    out("chown32 nope", C3(chown32, "nope", 0, 0));
    out("fchown32 99", C3(fchown32, 99, 0, 0));

    /* ---------- utimensat ---------- */
    {
        i32 ts[4] = { 1000000000, 0, 1234567890, 500 };
        put("ut", "x", 0644);
        out("utimensat ut explicit", C4(utimensat, AT_FDCWD, "ut", ts, 0)); S("ut");
        out(".. atime", sb.st_atime); out(".. atime_nsec", sb.st_atime_nsec);
        out(".. mtime", sb.st_mtime); out(".. mtime_nsec", sb.st_mtime_nsec);
        ts[0] = 0; ts[1] = UTIME_OMIT; ts[2] = 2000000000; ts[3] = 0;
        out("utimensat atime OMIT", C4(utimensat, AT_FDCWD, "ut", ts, 0));
        S("ut"); out(".. atime", sb.st_atime); out(".. mtime", sb.st_mtime);
        ts[1] = UTIME_OMIT; ts[3] = UTIME_OMIT;
        out("utimensat both OMIT", C4(utimensat, AT_FDCWD, "ut", ts, 0));
        S("ut"); out(".. mtime", sb.st_mtime);
        long t0 = C1(time, 0);
        ts[1] = UTIME_NOW; ts[3] = UTIME_NOW;
        out("utimensat both NOW", C4(utimensat, AT_FDCWD, "ut", ts, 0));
        long t1 = C1(time, 0); S("ut");
        outb(".. atime now", (long)sb.st_atime >= t0 && (long)sb.st_atime <= t1);
        outb(".. mtime now", (long)sb.st_mtime >= t0 && (long)sb.st_mtime <= t1);
        outb(".. ctime now", (long)sb.st_ctime >= t0 && (long)sb.st_ctime <= t1);
        ts[0] = 5; ts[1] = 0; ts[2] = 5; ts[3] = 0;
        C4(utimensat, AT_FDCWD, "ut", ts, 0);
        t0 = C1(time, 0);
        out("utimensat NULL times", C4(utimensat, AT_FDCWD, "ut", 0, 0));
        t1 = C1(time, 0); S("ut");
        outb(".. mtime now", (long)sb.st_mtime >= t0 && (long)sb.st_mtime <= t1);
        ts[0] = 1; ts[1] = 1000000000; ts[2] = 1; ts[3] = 0;
        out("utimensat nsec 1000000000", C4(utimensat, AT_FDCWD, "ut", ts, 0));
        ts[1] = -1;
        out("utimensat nsec -1", C4(utimensat, AT_FDCWD, "ut", ts, 0));
        ts[1] = 0; ts[3] = 0;
        out("utimensat bad flags", C4(utimensat, AT_FDCWD, "ut", ts, 1));
        out("utimensat nope", C4(utimensat, AT_FDCWD, "nope", ts, 0));
        ts[0] = 777; ts[2] = 888;
        out("utimensat lks NOFOLLOW", C4(utimensat, AT_FDCWD, "lks", ts, AT_SYMLINK_NOFOLLOW));
        LS("lks"); out(".. lstat mtime", sb.st_mtime);
        S("lks"); outb(".. target mtime untouched", sb.st_mtime != 888);
        fd = op("ut", O_RDONLY, 0);
        ts[0] = 4444; ts[2] = 5555;
        out("utimensat(fd, NULL, times) (futimens)", C4(utimensat, fd, 0, ts, 0));
        S("ut"); out(".. mtime", sb.st_mtime);
        out("utimensat(fd, \"\", times, 0)", C4(utimensat, fd, "", ts, 0));
        out("utimensat(fd, \"\", times, AT_EMPTY_PATH)", C4(utimensat, fd, "", ts, AT_EMPTY_PATH)); cl(fd);
        out("utimensat(AT_FDCWD, NULL, times)", C4(utimensat, AT_FDCWD, 0, ts, 0));
        t0 = C1(time, 0);
        fd = op("ut", O_WRONLY, 0);
        C3(write, fd, "y", 1); cl(fd); S("ut");
        outb("write updates mtime", (long)sb.st_mtime >= t0);
    }

    /* ---------- mknod ---------- */
    out("mknod fifo S_IFIFO|0644", C3(mknod, "fifo", S_IFIFO | 0644, 0)); outmode(".. mode", S("fifo"));
    outb(".. S_ISFIFO", S_ISFIFO(sb.st_mode));
    outfd(".. open O_RDONLY|O_NONBLOCK", op("fifo", O_RDONLY | O_NONBLOCK, 0));
    outfd(".. open O_WRONLY|O_NONBLOCK (no reader)", op("fifo", O_WRONLY | O_NONBLOCK, 0));
    out("mknod cdev S_IFCHR|0600 1:3", C3(mknod, "cdev", S_IFCHR | 0600, 0x103)); outmode(".. mode", S("cdev"));
    outx(".. st_rdev", (u32)sb.st_rdev);
    out(".. size", (long)sb.st_size);
    fd = op("cdev", O_RDWR, 0);
    out(".. write 3 (it is /dev/null)", C3(write, fd, "abc", 3));
    out(".. read", C3(read, fd, buf, 3)); cl(fd);
    out("mknod reg type 0", C3(mknod, "mreg", 0644, 0)); outmode(".. mode", S("mreg"));
    out("mknod S_IFREG", C3(mknod, "mreg2", S_IFREG | 0600, 0)); outmode(".. mode", S("mreg2"));
    out("mknod S_IFDIR", C3(mknod, "mdir", S_IFDIR | 0755, 0));
    out("mknod S_IFSOCK", C3(mknod, "msock", S_IFSOCK | 0755, 0)); outmode(".. mode", S("msock"));
    out("mknod S_IFBLK 7:0", C3(mknod, "mblk", S_IFBLK | 0600, 0x700)); outmode(".. mode", S("mblk"));
    out("mknod type 0070000", C3(mknod, "mbad", 0070000 | 0644, 0));
    out("mknod S_IFLNK", C3(mknod, "mbad", S_IFLNK | 0644, 0));
    out("mknod fifo again", C3(mknod, "fifo", S_IFIFO | 0644, 0));
    out("mknod nope/x", C3(mknod, "nope/x", S_IFIFO | 0644, 0));
    out("mknodat(d, fifo2)", C4(mknodat, dfd, "fifo2", S_IFIFO | 0600, 0)); outmode(".. mode", S("d/fifo2"));
    C1(unlink, "d/fifo2");

    /* ---------- stat64 / fstatat64 / statx ---------- */
    put("st", "0123456789abcdef", 0640); S("st");
    outo("stat64 st: mode", sb.st_mode);
    out(".. nlink", sb.st_nlink); out(".. uid", sb.st_uid); out(".. gid", sb.st_gid);
    out(".. size", (long)sb.st_size); out(".. blksize", sb.st_blksize);
    outb(".. blocks > 0", sb.st_blocks > 0);
    out(".. rdev", (long)sb.st_rdev);
    outb(".. __st_ino is the low word of st_ino", sb.__st_ino == (u32)sb.st_ino);
    sb2 = sb; S("f");
    outb(".. differs from f's inode", sb.st_ino != sb2.st_ino);
    outb(".. same st_dev as f", sb.st_dev == sb2.st_dev); S("d");
    outo("stat64 d: mode", sb.st_mode);
    outb(".. blocks == 0", sb.st_blocks == 0);
    out("stat64 nope", S("nope"));
    out("stat64 f/", S("f/"));
    out("stat64 \"\"", S(""));
    out("stat64 NULL buf", C2(stat64, "f", 0));
    out("fstatat64(AT_FDCWD, lks, NOFOLLOW)", C4(fstatat64, AT_FDCWD, "lks", &sb, AT_SYMLINK_NOFOLLOW));
    outo(".. mode", sb.st_mode);
    out("fstatat64(AT_FDCWD, lks, 0)", C4(fstatat64, AT_FDCWD, "lks", &sb, 0));
    outo(".. mode", sb.st_mode);
    fd = op("st", O_RDONLY, 0);
    out("fstatat64(fd, \"\", AT_EMPTY_PATH)", C4(fstatat64, fd, "", &sb, AT_EMPTY_PATH));
    out(".. size", (long)sb.st_size);
    out("fstatat64(fd, \"\", 0)", C4(fstatat64, fd, "", &sb, 0));
    out("fstatat64(fd, x, 0) (not a dir)", C4(fstatat64, fd, "x", &sb, 0));
    out("fstatat64(d, ../st, 0)", C4(fstatat64, dfd, "../st", &sb, 0));
    out("fstatat64 bad flags", C4(fstatat64, AT_FDCWD, "st", &sb, 1));
    out("fstatat64(99, st)", C4(fstatat64, 99, "st", &sb, 0));
    out("fstat64 99", C2(fstat64, 99, &sb));
    {
        struct statx sx;
        memset(&sx, 0x5a, sizeof sx); S("st");
        out("statx st BASIC_STATS", C5(statx, AT_FDCWD, "st", 0, STATX_BASIC_STATS, &sx));
        outb(".. mask has BASIC_STATS", (sx.stx_mask & STATX_BASIC_STATS) == STATX_BASIC_STATS);
        outb(".. mode, nlink, size, uid, gid agree with stat64", sx.stx_mode == sb.st_mode && sx.stx_nlink == sb.st_nlink &&
             sx.stx_size == (u64)sb.st_size && sx.stx_uid == sb.st_uid && sx.stx_gid == sb.st_gid);
        outb(".. ino, blocks, blksize agree", sx.stx_ino == sb.st_ino && sx.stx_blocks == sb.st_blocks && sx.stx_blksize == sb.st_blksize);
        outb(".. mtime agrees", sx.stx_mtime.tv_sec == sb.st_mtime && sx.stx_mtime.tv_nsec == sb.st_mtime_nsec);
        outb(".. dev agrees", ((u32)sx.stx_dev_major << 8 | (sx.stx_dev_minor & 0xff) | (sx.stx_dev_minor & ~0xffu) << 12) == (u32)sb.st_dev);
        out("statx lks NOFOLLOW", C5(statx, AT_FDCWD, "lks", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx));
        outo(".. mode", sx.stx_mode);
        out(".. size", (long)sx.stx_size);
        out("statx(fd, \"\", AT_EMPTY_PATH)", C5(statx, fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx));
        out(".. size", (long)sx.stx_size);
        out("statx mask 0", C5(statx, AT_FDCWD, "st", 0, 0, &sx));
        out("statx mask STATX__RESERVED", C5(statx, AT_FDCWD, "st", 0, STATX__RESERVED, &sx));
        out("statx flags FORCE_SYNC|DONT_SYNC", C5(statx, AT_FDCWD, "st", AT_STATX_FORCE_SYNC | AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &sx));
        out("statx flags 1", C5(statx, AT_FDCWD, "st", 1, STATX_BASIC_STATS, &sx));
        out("statx nope", C5(statx, AT_FDCWD, "nope", 0, STATX_BASIC_STATS, &sx));
        out("statx NULL buf", C5(statx, AT_FDCWD, "st", 0, STATX_BASIC_STATS, 0));
    }
    cl(fd);

    /* ---------- statfs64 ---------- */
    {
        struct statfs64 sf;
        memset(&sf, 0, sizeof sf);
        out("sizeof(struct statfs64)", sizeof sf);
        out("statfs64 /tmp/t", C3(statfs64, "/tmp/t", sizeof sf, &sf));
        outx(".. f_type", sf.f_type);
        out(".. f_bsize", sf.f_bsize);
        out(".. f_namelen", sf.f_namelen);
        out(".. f_frsize", sf.f_frsize);
        outb(".. f_blocks >= f_bfree", sf.f_blocks >= sf.f_bfree);
        outb(".. f_files >= f_ffree", sf.f_files >= sf.f_ffree);
        u32 t = sf.f_type;
        memset(&sf, 0, sizeof sf);
        out("statfs64 /", C3(statfs64, "/", sizeof sf, &sf));
        outb(".. same f_type as /tmp/t", sf.f_type == t);
        out("statfs64 size 88", C3(statfs64, "/tmp/t", 88, &sf));
        out("statfs64 size 80", C3(statfs64, "/tmp/t", 80, &sf));
        out("statfs64 nope", C3(statfs64, "nope", sizeof sf, &sf));
        out("statfs64 NULL buf", C3(statfs64, "/tmp/t", sizeof sf, 0));
        memset(&sf, 0, sizeof sf);
        out("fstatfs64 d", C3(fstatfs64, dfd, sizeof sf, &sf));
        outx(".. f_type", sf.f_type);
        out("fstatfs64 size 0", C3(fstatfs64, dfd, 0, &sf));
        out("fstatfs64 99", C3(fstatfs64, 99, sizeof sf, &sf));
        u32 old[16]; memset(old, 0, sizeof old);
        out("statfs (old) /tmp/t", C2(statfs, "/tmp/t", old));
        outx(".. f_type", old[0]);
    }

    /* ---------- getdents ---------- */
    C2(mkdir, "gd", 0755); put("gd/a", "", 0644); C2(mkdir, "gd/b", 0755);
    C2(symlink, "a", "gd/c"); C3(mknod, "gd/e", S_IFIFO | 0644, 0); C3(mknod, "gd/nul", S_IFCHR | 0666, 0x103);
    list_dir("getdents64 gd", "gd", 0);
    list_dir("getdents gd", "gd", 1);
    list_dir("getdents64 gd/b (empty)", "gd/b", 0);
    fd = op("gd", O_RDONLY | O_DIRECTORY, 0);
    {
        long r1 = C3(getdents64, fd, buf, sizeof buf);
        out("getdents64 gd again at end", C3(getdents64, fd, buf, sizeof buf));
        out(".. lseek 0", C3(lseek, fd, 0, SEEK_SET));
        outb(".. same bytes again", C3(getdents64, fd, buf, sizeof buf) == r1);
        C3(lseek, fd, 0, SEEK_SET);
        out("getdents64 buffer 8", C3(getdents64, fd, buf, 8));
        out("getdents64 buffer 24 (one entry)", C3(getdents64, fd, buf, 24));
        out(".. reclen", *(unsigned short *)(buf + 16));
        outs(".. name", buf + 19);
        out("getdents buffer 8", C3(getdents, fd, buf, 8));
        out("getdents64 buffer NULL", C3(getdents64, fd, 0, 100));
    }
    cl(fd);
    fd = op("f", O_RDONLY, 0);
    out("getdents64 on a file", C3(getdents64, fd, buf, sizeof buf)); cl(fd);
    out("getdents64 99", C3(getdents64, 99, buf, sizeof buf));
    C2(mkdir, "gd2", 0755);
    fd = op("gd2", O_RDONLY | O_DIRECTORY, 0);
    out("rmdir gd2 while open", C1(rmdir, "gd2"));
    out(".. getdents64 on it", C3(getdents64, fd, buf, sizeof buf));
    out(".. fstat nlink", (FS(fd), sb.st_nlink));
    out(".. openat(fd, x, O_CREAT)", C4(openat, fd, "x", O_RDWR | O_CREAT, 0644)); cl(fd);

    /* ---------- cwd ---------- */
    out("chdir d", C1(chdir, "d"));
    outcwd(".. getcwd", C2(getcwd, buf, sizeof buf));
    out(".. stat ../f", S("../f"));
    out("chdir ..", C1(chdir, ".."));
    outcwd(".. getcwd", C2(getcwd, buf, sizeof buf));
    out("chdir sd (symlink)", C1(chdir, "sd"));
    outcwd(".. getcwd", C2(getcwd, buf, sizeof buf));
    out("fchdir(parent via open ..)", (fd = op("..", O_RDONLY, 0), r = C1(fchdir, fd), cl(fd), r));
    outcwd(".. getcwd", C2(getcwd, buf, sizeof buf));
    out("fchdir(d)", C1(fchdir, dfd));
    outcwd(".. getcwd", C2(getcwd, buf, sizeof buf));
    out("chdir /tmp/t", C1(chdir, "/tmp/t"));
    fd = op("f", O_RDONLY, 0);
    out("fchdir(file)", C1(fchdir, fd)); cl(fd);
    out("fchdir 99", C1(fchdir, 99));
    out("chdir f", C1(chdir, "f"));
    out("chdir nope", C1(chdir, "nope"));
    out("chdir \"\"", C1(chdir, ""));
    C2(mkdir, "gone", 0755);
    out("chdir gone", C1(chdir, "gone"));
    out("rmdir /tmp/t/gone (the cwd)", C1(rmdir, "/tmp/t/gone"));
    out(".. getcwd", C2(getcwd, buf, sizeof buf));
    outfd(".. open x O_CREAT", op("x", O_RDWR | O_CREAT, 0644));
    out(".. mkdir y", C2(mkdir, "y", 0755));
    r = S(".");
    out(".. stat . (nlink, or -errno)", is_err(r) ? r : (long)sb.st_nlink);
    out(".. chdir ..", C1(chdir, ".."));
    outcwd(".. getcwd", C2(getcwd, buf, sizeof buf));
    C1(chdir, "/tmp/t");

    /* ---------- access ---------- */
    put("a644", "", 0644); put("a744", "", 0744); put("a000", "", 0); put("a001", "", 01);
    out("access a644 X_OK", C2(access, "a644", X_OK));
    out("access a644 R_OK|W_OK", C2(access, "a644", R_OK | W_OK));
    out("access a744 X_OK", C2(access, "a744", X_OK));
    out("access a000 R_OK|W_OK", C2(access, "a000", R_OK | W_OK));
    out("access a000 X_OK", C2(access, "a000", X_OK));
    out("access a001 X_OK", C2(access, "a001", X_OK));
    out("access a000 F_OK", C2(access, "a000", F_OK));
    C2(mkdir, "ad000", 0);
    out("access dir 0000 X_OK", C2(access, "ad000", X_OK));
    out("access dir 0000 W_OK", C2(access, "ad000", W_OK));
    out("access nope", C2(access, "nope", F_OK));
    out("access a644 mode 8", C2(access, "a644", 8));
    out("access sy (dangling) F_OK", C2(access, "sy", F_OK));
    out("faccessat(d, ../a744, X_OK)", C3(faccessat, dfd, "../a744", X_OK));
    out("faccessat2 a644 X_OK AT_EACCESS", C4(faccessat2, AT_FDCWD, "a644", X_OK, AT_EACCESS));
    out("faccessat2 a744 X_OK AT_EACCESS", C4(faccessat2, AT_FDCWD, "a744", X_OK, AT_EACCESS));
    out("faccessat2 sy F_OK NOFOLLOW", C4(faccessat2, AT_FDCWD, "sy", F_OK, AT_SYMLINK_NOFOLLOW));
    out("faccessat2 bad flags", C4(faccessat2, AT_FDCWD, "a644", F_OK, 1));
    out("faccessat2 mode 8", C4(faccessat2, AT_FDCWD, "a644", 8, 0));
    fd = op("a744", O_RDONLY, 0);
    out("faccessat2(fd, \"\", X_OK, AT_EMPTY_PATH)", C4(faccessat2, fd, "", X_OK, AT_EMPTY_PATH)); cl(fd);

    /* ---------- dup3 ---------- */
    fd = op("f", O_RDONLY, 0);
    out("dup3(fd, fd, 0)", C3(dup3, fd, fd, 0));
    out("dup3(fd, 50, 1)", C3(dup3, fd, 50, 1));
    out("dup3(fd, 50, O_CLOEXEC)", C3(dup3, fd, 50, O_CLOEXEC));
    out(".. F_GETFD", C2(fcntl, 50, F_GETFD));
    out("dup3(fd, 50, 0) (replaces)", C3(dup3, fd, 50, 0));
    out(".. F_GETFD", C2(fcntl, 50, F_GETFD));
    out("dup3(99, 50, 0)", C3(dup3, 99, 50, 0));
    out("dup3(fd, 1024, 0)", C3(dup3, fd, 1024, 0));
    out("dup2(fd, fd) - fd", C2(dup2, fd, fd) - fd);
    cl(50); cl(fd);

    /* ---------- unlinked while open ---------- */
    fd = op("uo", O_RDWR | O_CREAT, 0644);
    C3(write, fd, "data", 4);
    out("unlink uo (open)", C1(unlink, "uo"));
    out(".. stat uo", S("uo"));
    outstr(".. pread64 through fd", pread(fd, buf, 16, 0), buf); FS(fd);
    out(".. fstat nlink", sb.st_nlink);
    out(".. write 4 more", C3(write, fd, "more", 4));
    out(".. fstat size", (FS(fd), (long)sb.st_size));
    out(".. fchmod", C2(fchmod, fd, 0600));
    out(".. linkat AT_EMPTY_PATH", C5(linkat, fd, "", AT_FDCWD, "uo2", AT_EMPTY_PATH)); cl(fd);
    fd = op("/tmp/t", O_TMPFILE | O_RDWR, 0600);
    oute("open /tmp/t O_TMPFILE", fd);
    if (!is_err(fd)) {
        out(".. write", C3(write, fd, "tmp", 3));
        out(".. fstat nlink", (FS(fd), sb.st_nlink));
        outo(".. mode", sb.st_mode);
        out(".. linkat AT_EMPTY_PATH tl", C5(linkat, fd, "", AT_FDCWD, "tl", AT_EMPTY_PATH));
        out(".. nlink", (FS(fd), sb.st_nlink));
        out(".. size tl", size_of("tl")); cl(fd);
    }
    outfd("open f O_TMPFILE", op("f", O_TMPFILE | O_RDWR, 0600));
    outfd("open d O_TMPFILE O_RDONLY", op("d", O_TMPFILE | O_RDONLY, 0600));

    /* ---------- /dev ---------- */
    {
        static const struct { const char *p; u32 dev; } nodes[] = {
            { "/dev/null", 0x103 }, { "/dev/zero", 0x105 }, { "/dev/full", 0x107 }, { "/dev/urandom", 0x109 } };
        for (u32 i = 0; i < 4; i++) {
            line_t l = {.n = 0};
            r = C3(mknod, nodes[i].p, S_IFCHR | 0666, nodes[i].dev);
            l_s(&l, "mknod "); l_s(&l, nodes[i].p); l_s(&l, " (0 or EEXIST)");
            outs(l.b, r == 0 || r == -EEXIST ? "ok" : "failed");
            S(nodes[i].p);
            l.n = 0;
            l_s(&l, "stat "); l_s(&l, nodes[i].p); l_s(&l, ": chr, rdev");
            l.b[l.n] = 0;
            outx(l.b, S_ISCHR(sb.st_mode) ? (u32)sb.st_rdev : 0xffffffff);
        }
        fd = op("/dev/null", O_RDWR, 0);
        out("/dev/null read", C3(read, fd, buf, 16));
        out("/dev/null write 5", C3(write, fd, "hello", 5)); cl(fd);
        fd = op("/dev/zero", O_RDWR, 0);
        memset(buf, 1, 16);
        out("/dev/zero read 16", C3(read, fd, buf, 16));
        outb(".. zeros", is_zero(buf, 16));
        out("/dev/zero write 16", C3(write, fd, buf, 16));
        outstr("/dev/zero pread64 4 at 1000", pread(fd, buf, 4, 1000), buf); cl(fd);
        fd = op("/dev/full", O_RDWR, 0);
        out("/dev/full write 4", C3(write, fd, "abcd", 4));
        memset(buf, 1, 8);
        out("/dev/full read 8", C3(read, fd, buf, 8));
        outb(".. zeros", is_zero(buf, 8)); cl(fd);
        fd = op("/dev/urandom", O_RDONLY, 0);
        memset(buf, 0, 32);
        out("/dev/urandom read 16", C3(read, fd, buf, 16));
        out("/dev/urandom read 16 again", C3(read, fd, buf + 16, 16));
        outb(".. differ", !(is_zero(buf, 16) && is_zero(buf + 16, 16)) && !seq(buf, buf + 16)); cl(fd);
    }

    /* ---------- execve ---------- */
    {
        long in = op("/prog", O_RDONLY, 0), total = 0, n;
        fd = op("copy", O_WRONLY | O_CREAT | O_EXCL, 0755);
        while ((n = C3(read, in, buf, sizeof buf)) > 0) total += C3(write, fd, buf, n);
        FS(in);
        outb("copy /prog to copy: all bytes", total == (long)sb.st_size && total > 0);
        cl(in);
        char *av[] = { "copy", "echo", "hello", 0 };
        try_exec("execve copy while open for writing", "/tmp/t/copy", av); cl(fd); outmode(".. mode", S("copy"));
        try_exec("execve /tmp/t/copy echo hello", "/tmp/t/copy", av);
        try_exec("execve ./copy (relative)", "./copy", av);
        try_exec("execve copy/", "copy/", av);
        out("symlink copy copysl", C2(symlink, "copy", "copysl"));
        try_exec("execve copysl", "copysl", av);
        out("link copy copyln", C2(link, "copy", "copyln"));
        try_exec("execve copyln", "copyln", av);
        in = op("copy", O_RDONLY, 0);
        fd = op("c644", O_WRONLY | O_CREAT, 0644);
        while ((n = C3(read, in, buf, sizeof buf)) > 0) C3(write, fd, buf, n);
        cl(in); cl(fd);
        try_exec("execve c644 (mode 0644)", "c644", av);
        C2(chmod, "c644", 0100);
        try_exec("execve c644 after chmod 0100", "c644", av);
        put("scr", "#!/tmp/t/copy echo\n", 0755);
        char *sv[] = { "scr", "x", "y", 0 };
        try_exec("execve scr (#!/tmp/t/copy echo)", "/tmp/t/scr", sv);
        try_exec("execve scr relative", "scr", sv);
        put("scr2", "#!  /tmp/t/copy   echo  two words  \n", 0755);
        try_exec("execve scr2 (spaces)", "scr2", sv);
        put("scr3", "#!/tmp/t/copy", 0755);
        try_exec("execve scr3 (no newline, no arg)", "scr3", sv);
        put("scr4", "#!/tmp/t/nointerp\n", 0755);
        try_exec("execve scr4 (missing interpreter)", "scr4", sv);
        put("scr5", "#!/tmp/t/copy echo\n", 0644);
        try_exec("execve scr5 (mode 0644)", "scr5", sv);
        put("scr6", "#!/tmp/t/scr\n", 0755);
        try_exec("execve scr6 (interpreter is a script)", "scr6", sv);
        put("scr7", "#!/tmp/t/a644\n", 0755);
        try_exec("execve scr7 (interpreter not executable)", "scr7", sv);
        put("scr8", "#!\n", 0755);
        try_exec("execve scr8 (#! alone)", "scr8", sv);
        put("txt", "echo hello\n", 0755);
        try_exec("execve txt (no #!, 0755)", "txt", sv);
        put("empty", "", 0755);
        try_exec("execve empty file", "empty", sv);
        try_exec("execve d (directory)", "d", sv);
        try_exec("execve fifo", "fifo", sv);
        try_exec("execve cdev", "cdev", sv);
        try_exec("execve nope", "nope", sv);
    }

    /* ---------- 2 GiB without O_LARGEFILE; 4 GiB with it ---------- */
    fd = op("big", O_RDWR | O_CREAT, 0644);
    out("big: lseek 0x7fffffff SET", C3(lseek, fd, 0x7fffffff, SEEK_SET));
    out(".. pwrite64 5 at 0x7ffffffe", pwrite(fd, "12345", 5, 0x7ffffffe));
    out(".. pwrite64 1 at 0x7fffffff", pwrite(fd, "1", 1, 0x7fffffff));
    out(".. lseek 0 END", C3(lseek, fd, 0, SEEK_END));
    out(".. fstat64 size", (FS(fd), (long)sb.st_size));
    out(".. ftruncate64 to 0x80000000 (no O_LARGEFILE)", C3(ftruncate64, fd, 0x80000000, 0));
    out(".. ftruncate64 to 2^32 (no O_LARGEFILE)", C3(ftruncate64, fd, 0, 1)); cl(fd);
    fd = op("big", O_RDWR | O_LARGEFILE, 0);
    out("big O_LARGEFILE: pwrite64 Z at 2^32", C5(pwrite64, fd, "Z", 1, 0, 1)); FS(fd);
    out(".. size hi", (long)(sb.st_size >> 32)); out(".. size lo", (long)(u32)sb.st_size);
    out(".. lseek 0 END", C3(lseek, fd, 0, SEEK_END));
    {
        u32 res[2] = { 0, 0 };
        out(".. _llseek 0 END", C5(_llseek, fd, 0, 0, res, SEEK_END));
        out(".. result hi", res[1]); out(".. result lo", res[0]);
    }
    out(".. stat (old, 32-bit st_size)", C2(stat, "big", buf));
    outfd(".. open without O_LARGEFILE", op("big", O_RDONLY, 0));
    outb(".. st_blocks small", (FS(fd), sb.st_blocks < 64));
    out(".. truncate64 to 0", C3(truncate64, "big", 0, 0)); cl(fd);
    cl(dfd);
    return 0;
}

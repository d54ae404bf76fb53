/* filemap.c: mmap of files on the writable root (tmpfs), under a fresh
 * /tmp/fm: private mappings (copy-on-write isolation from the file and
 * across fork, what read/write show them before and after a write), shared
 * mappings (coherent with read/write both ways and between processes,
 * holes filled by a write fault, the size untouched), SIGBUS past the end
 * and after ftruncate shrinks the file (si_code, si_addr), growing again,
 * unlinked mapped files, a writable shared mapping making exec ETXTBSY;
 * msync's checks; mmap's errors for files (EACCES, ENODEV, EBADF, EINVAL)
 * and /dev/zero, private and shared. Addresses are never printed. */
#include "t.h"
#include "sig.h"

#define C1(n, a) sys1(__NR_##n, (long)(a))
#define C2(n, a, b) sys2(__NR_##n, (long)(a), (long)(b))
#define C3(n, a, b, c) sys3(__NR_##n, (long)(a), (long)(b), (long)(c))
#define PG 4096u
#define RW (PROT_READ | PROT_WRITE)
#ifndef MS_ASYNC
#define MS_ASYNC 1
#define MS_INVALIDATE 2
#define MS_SYNC 4
#endif
#ifndef BUS_ADRERR
#define BUS_ADRERR 2
#endif

static long mm(u32 len, u32 prot, u32 flags, long fd, u32 pgoff) { return sys6(__NR_mmap2, 0, len, prot, flags, fd, pgoff); }
static long op(const char *p, long fl) { return C3(open, p, fl, 0644); }
static void cl(long fd) { C1(close, fd); }
static struct stat64 sb;
static long fsize(long fd) { return is_err(C2(fstat64, fd, &sb)) ? -1 : (long)sb.st_size; }
static long fblocks(long fd) { return is_err(C2(fstat64, fd, &sb)) ? -1 : (long)sb.st_blocks; }
static char buf[3 * 4096];
static volatile u32 *shm;

/* ---- probing a page: the access, or the signal it raised ---- */
extern char p_ret[];
long p_read(long), p_write(long, long);
__asm__(".text\n"
        "p_ret: mov $0xfa17, %eax\n ret\n"
        "p_read: mov 4(%esp), %ecx\n mov (%ecx), %eax\n ret\n"
        "p_write: mov 4(%esp), %ecx\n mov 8(%esp), %eax\n mov %eax, (%ecx)\n xor %eax, %eax\n ret\n");
static volatile u32 nsig;
static struct ksiginfo sinfo;
static void h_fault(int sig, struct ksiginfo *si, struct kucontext *uc)
{
    (void)sig;
    nsig++; sinfo = *si;
    uc->mc.eip = (u32)p_ret;
}
/* "NAME: value V" for an access that worked (the byte read, or "written"),
 * "NAME: sig=S code=C addr=at|other" for one that faulted. */
static void probe(const char *name, u32 addr, int write, u32 val)
{
    nsig = 0;
    memset(&sinfo, 0x5a, sizeof sinfo);
    long r = write ? p_write(addr, val) : p_read(addr);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if (nsig) {
        l_s(&l, "sig="); l_d(&l, sinfo.signo); l_s(&l, " code="); l_d(&l, sinfo.code);
        l_s(&l, sinfo.f[0] == addr ? " addr=at" : " addr=other");
    } else if (write) {
        l_s(&l, "written");
    } else {
        l_s(&l, "value "); l_x(&l, (u32)r);
    }
    l_end(&l);
}

/* The word at `off` in the file, by pread. */
static u32 fword(long fd, u32 off)
{
    u32 w = 0xeeeeeeee;
    sys5(__NR_pread64, fd, (long)&w, 4, off, 0);
    return w;
}
static void fput(long fd, u32 off, u32 w) { sys5(__NR_pwrite64, fd, (long)&w, 4, off, 0); }
/* A file of `len` bytes: word i of page p holds p << 16 | i. */
static long make_file(const char *p, u32 len)
{
    long fd = op(p, O_RDWR | O_CREAT | O_TRUNC);
    for (u32 i = 0; i < sizeof buf / 4; i++) ((u32 *)buf)[i] = (i / 1024) << 16 | (i % 1024);
    C3(write, fd, buf, len);
    return fd;
}
static long wait_child(long pid)
{
    i32 st = 0x5a5a5a5a;
    long r = C3(waitpid, pid, &st, 0);
    return is_err(r) ? r : st;
}

static void errors(void)
{
    long fd = make_file("e", 100), ro = op("e", O_RDONLY), wo = op("e", O_WRONLY);
    long r;
    out("mmap RDONLY fd MAP_SHARED RW", mm(PG, RW, MAP_SHARED, ro, 0));
    out("mmap RDONLY fd MAP_SHARED_VALIDATE RW", mm(PG, RW, MAP_SHARED_VALIDATE, ro, 0));
    oute("mmap RDONLY fd MAP_SHARED R", r = mm(PG, PROT_READ, MAP_SHARED, ro, 0));
    out(".. mprotect RW (EACCES: not open for writing)", C3(mprotect, r, PG, RW));
    out(".. mprotect R|X", C3(mprotect, r, PG, PROT_READ | PROT_EXEC));
    C2(munmap, r, PG);
    oute("mmap RDONLY fd MAP_PRIVATE RW", r = mm(PG, RW, MAP_PRIVATE, ro, 0));
    C2(munmap, r, PG);
    oute("mmap RDWR fd MAP_SHARED R", r = mm(PG, PROT_READ, MAP_SHARED, fd, 0));
    out(".. mprotect RW", C3(mprotect, r, PG, RW));
    C2(munmap, r, PG);
    out("mmap WRONLY fd MAP_PRIVATE R", mm(PG, PROT_READ, MAP_PRIVATE, wo, 0));
    out("mmap WRONLY fd MAP_SHARED RW", mm(PG, RW, MAP_SHARED, wo, 0));
    out("mmap WRONLY fd MAP_SHARED NONE", mm(PG, PROT_NONE, MAP_SHARED, wo, 0));
    out("mmap fd type 0", mm(PG, PROT_READ, 0, fd, 0));
    out("mmap fd MAP_SHARED_VALIDATE|MAP_SYNC", mm(PG, PROT_READ, MAP_SHARED_VALIDATE | 0x80000, fd, 0));
    out("mmap fd len 0", mm(0, PROT_READ, MAP_SHARED, fd, 0));
    out("mmap bad fd", mm(PG, PROT_READ, MAP_PRIVATE, 999, 0));
    out("mmap fd -1 without MAP_ANONYMOUS", mm(PG, PROT_READ, MAP_PRIVATE, -1, 0));
    u32 a6[6] = { 0, PG, PROT_READ, MAP_PRIVATE, (u32)fd, 100 };
    out("old mmap offset 100", C1(mmap, a6));
    a6[5] = PG;
    oute("old mmap offset 4096 (past the end: fine)", r = C1(mmap, a6));
    C2(munmap, r, PG);
    oute("mmap2 pgoff 1000 (past the end: fine)", r = mm(PG, PROT_READ, MAP_SHARED, fd, 1000));
    C2(munmap, r, PG);
    int p[2] = { -1, -1 };
    C1(pipe, p);
    out("mmap pipe read end", mm(PG, PROT_READ, MAP_PRIVATE, p[0], 0));
    out("mmap pipe write end", mm(PG, PROT_READ, MAP_PRIVATE, p[1], 0));
    out("mmap pipe write end MAP_SHARED RW", mm(PG, RW, MAP_SHARED, p[1], 0));
    cl(p[0]); cl(p[1]);
    long d = op(".", O_RDONLY | O_DIRECTORY);
    out("mmap directory", mm(PG, PROT_READ, MAP_PRIVATE, d, 0));
    cl(d);
    static const char *const devs[] = { "null", "full", "urandom", 0 };
    for (int i = 0; devs[i]; i++) {
        long dfd = op(devs[i], O_RDWR);
        line_t l = {.n = 0};
        l_s(&l, "mmap "); l_s(&l, devs[i]); l.b[l.n] = 0;
        out(l.b, mm(PG, PROT_READ, MAP_PRIVATE, dfd, 0));
        cl(dfd);
    }
    cl(fd); cl(ro); cl(wo);
}

static void dev_zero(void)
{
    long z = op("zero", O_RDWR), zr = op("zero", O_RDONLY), zw = op("zero", O_WRONLY);
    long r;
    out("mmap /dev/zero WRONLY MAP_PRIVATE", mm(PG, RW, MAP_PRIVATE, zw, 0));
    out("mmap /dev/zero RDONLY MAP_SHARED RW", mm(PG, RW, MAP_SHARED, zr, 0));
    oute("mmap /dev/zero RDONLY MAP_PRIVATE RW", r = mm(PG, RW, MAP_PRIVATE, zr, 0));
    C2(munmap, r, PG);
    oute("mmap /dev/zero MAP_PRIVATE", r = mm(2 * PG, RW, MAP_PRIVATE, z, 0));
    probe(".. reads", (u32)r + PG, 0, 0);
    probe(".. write", (u32)r, 1, 0x1234);
    long pid = sys0(__NR_fork);
    if (pid == 0) { *(volatile u32 *)r = 0x9999; _exit(*(volatile u32 *)r == 0x9999 ? 3 : 4); }
    outx(".. child wrote its own copy (status)", (u32)wait_child(pid));
    outx(".. parent still sees", *(volatile u32 *)r);
    oute("mmap /dev/zero MAP_SHARED", r = mm(2 * PG, RW, MAP_SHARED, z, 0));
    probe(".. reads", (u32)r + PG, 0, 0);
    long off = mm(2 * PG, RW, MAP_SHARED, z, 1);
    oute("mmap /dev/zero MAP_SHARED offset 1 page", off);
    probe(".. page 0", (u32)off, 0, 0);
    probe(".. page 1 (past the object)", (u32)off + PG, 0, 0);
    C2(munmap, off, 2 * PG);
    pid = sys0(__NR_fork);
    if (pid == 0) { ((volatile u32 *)r)[1024] = 0x7777; _exit(5); }
    outx(".. child wrote (status)", (u32)wait_child(pid));
    outx(".. parent sees the child's write", ((volatile u32 *)r)[1024]);
    cl(z); cl(zr); cl(zw);
}

static void private_map(void)
{
    long fd = make_file("p", 2 * PG + 100);
    long r = mm(4 * PG, RW, MAP_PRIVATE, fd, 0);
    oute("private: mmap 4 pages of a 2-page+100 file", r);
    volatile u32 *m = (volatile u32 *)r;
    probe(".. page 0 word 1", (u32)&m[1], 0, 0);
    probe(".. page 2 word 24 (in the file)", (u32)&m[2048 + 24], 0, 0);
    probe(".. page 2 word 100 (past the end, same page: zero)", (u32)&m[2048 + 100], 0, 0);
    probe(".. page 3 (past the end)", (u32)&m[3072], 0, 0);
    probe(".. page 3 write (past the end)", (u32)&m[3072], 1, 1);
    /* Before a write, the mapping shows the file as it is now. */
    fput(fd, PG + 8, 0xf11e);
    probe(".. page 1 after pwrite (untouched page)", (u32)&m[1024 + 2], 0, 0);
    fput(fd, PG + 12, 0xf11f);
    probe(".. page 1 after a second pwrite (page read already)", (u32)&m[1024 + 3], 0, 0);
    probe(".. write page 0", (u32)&m[5], 1, 0xabc);
    outx(".. the file is unchanged", fword(fd, 20));
    fput(fd, 24, 0xdead);
    outx(".. pwrite after the copy: mapping shows its copy", m[6]);
    outx(".. its own write", m[5]);
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        int ok = m[5] == 0xabc;
        m[5] = 0xc1;
        m[1024 + 4] = 0xc2;
        _exit(ok ? 0x11 : 0x12);
    }
    outx(".. child saw the copy, wrote its own (status)", (u32)wait_child(pid));
    outx(".. parent page 0 after the child's write", m[5]);
    outx(".. parent page 1 after the child's write", m[1024 + 4]);
    outx(".. file page 1 after the child's write", fword(fd, PG + 16));
    outx(".. file size", (u32)fsize(fd));
    /* A hole reads as zero; a private write into one stays private. */
    long h = op("hole", O_RDWR | O_CREAT | O_TRUNC);
    C2(ftruncate, h, 3 * PG);
    fput(h, 2 * PG, 0x4321);
    r = mm(3 * PG, RW, MAP_PRIVATE, h, 0);
    oute("private: mmap a file with holes", r);
    volatile u32 *hm = (volatile u32 *)r;
    probe(".. hole page 0", (u32)&hm[0], 0, 0);
    probe(".. data page 2", (u32)&hm[2048], 0, 0);
    probe(".. write into hole page 1", (u32)&hm[1024], 1, 0x55);
    outx(".. the file's hole is still zero", fword(h, PG));
    cl(h);
    C2(munmap, (long)m, 4 * PG);
    cl(fd);
}

static int child_maps_and_writes(long fd)
{
    long r = mm(2 * PG, RW, MAP_SHARED, fd, 0);
    if (is_err(r)) return 0x20;
    volatile u32 *m = (volatile u32 *)r;
    int saw = m[9] == 0x5eed;
    m[10] = 0xc0de;
    m[1024 + 10] = 0xc0df;
    return saw ? 0x21 : 0x22;
}

static void shared_map(void)
{
    long fd = make_file("s", 2 * PG + 100);
    long r = mm(4 * PG, RW, MAP_SHARED, fd, 0);
    oute("shared: mmap 4 pages of a 2-page+100 file", r);
    volatile u32 *m = (volatile u32 *)r;
    probe(".. page 1 word 7", (u32)&m[1024 + 7], 0, 0);
    probe(".. write page 0 word 3", (u32)&m[3], 1, 0x600d);
    outx(".. pread sees it", fword(fd, 12));
    fput(fd, 16, 0xbeef);
    outx(".. pwrite: the mapping sees it", m[4]);
    probe(".. write past the end in the last page", (u32)&m[2048 + 200], 1, 0x77);
    outx(".. file size unchanged", (u32)fsize(fd));
    outx(".. pread past the end reads nothing (bytes)", (u32)sys5(__NR_pread64, fd, (long)buf, 16, 2 * PG + 800, 0));
    probe(".. page 3 (past the end)", (u32)&m[3072], 0, 0);
    probe(".. page 3 write", (u32)&m[3072 + 1], 1, 5);
    /* Between processes: the child inherits the mapping, a second child
     * maps the file itself. */
    long pid = sys0(__NR_fork);
    if (pid == 0) { m[8] = 0xfeed; _exit(m[3] == 0x600d ? 0x31 : 0x32); }
    outx(".. forked child saw the parent's write (status)", (u32)wait_child(pid));
    outx(".. parent sees the child's write", m[8]);
    outx(".. pread sees the child's write", fword(fd, 32));
    m[9] = 0x5eed;
    pid = sys0(__NR_fork);
    if (pid == 0) { C2(munmap, (long)m, 4 * PG); _exit(child_maps_and_writes(fd)); }
    outx(".. child's own mapping saw the parent's write (status)", (u32)wait_child(pid));
    outx(".. parent sees the write through the child's mapping", m[10]);
    outx(".. and on page 1", m[1024 + 10]);
    /* A write fault on a hole gives the file a page there. */
    long h = op("sh", O_RDWR | O_CREAT | O_TRUNC);
    C2(ftruncate, h, 3 * PG);
    long b0 = fblocks(h);
    r = mm(3 * PG, RW, MAP_SHARED, h, 0);
    oute("shared: mmap a file of holes", r);
    volatile u32 *hm = (volatile u32 *)r;
    probe(".. hole page 1 reads", (u32)&hm[1024], 0, 0);
    probe(".. write hole page 2", (u32)&hm[2048 + 1], 1, 0x4011);
    outx(".. pread sees it", fword(h, 2 * PG + 4));
    outb(".. the file holds more blocks", fblocks(h) > b0);
    outx(".. size unchanged", (u32)fsize(h));
    fput(h, 20, 0x2222);
    outx(".. pwrite into hole page 0: the mapping sees it", hm[5]);
    cl(h);
    C2(munmap, r, 3 * PG);
    C2(munmap, (long)m, 4 * PG);
    cl(fd);
}

/* ftruncate shrinking a mapped file: the pages past the end leave every
 * mapping, private copies included; growing again reads zero. */
static void truncation(void)
{
    long fd = make_file("t", 3 * PG);
    volatile u32 *s = (volatile u32 *)mm(3 * PG, RW, MAP_SHARED, fd, 0);
    volatile u32 *p = (volatile u32 *)mm(3 * PG, RW, MAP_PRIVATE, fd, 0);
    probe("truncate: shared page 2 before", (u32)&s[2048 + 1], 0, 0);
    probe(".. private page 2 before", (u32)&p[2048 + 1], 0, 0);
    probe(".. private page 1 written (a private copy)", (u32)&p[1024 + 1], 1, 0x9a9a);
    probe(".. shared page 1 written", (u32)&s[1024 + 2], 1, 0x5b5b);
    shm[0] = 0;
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        while (shm[0] == 0) sleep_ms(5);
        nsig = 0;
        p_read((long)&s[1024]);
        _exit(nsig ? 0x40 + sinfo.signo : 0x30);
    }
    out(".. ftruncate to 100 bytes", C2(ftruncate, fd, 100));
    probe(".. shared page 0 (still in the file)", (u32)&s[1], 0, 0);
    probe(".. shared page 0 word 30 (past the end, same page)", (u32)&s[30], 0, 0);
    probe(".. shared page 1", (u32)&s[1024], 0, 0);
    probe(".. shared page 2", (u32)&s[2048], 0, 0);
    probe(".. private page 1 (its copy)", (u32)&p[1024 + 1], 0, 0);
    probe(".. private page 2", (u32)&p[2048], 0, 0);
    shm[0] = 1;
    outx(".. a forked child's shared page 1 (status)", (u32)wait_child(pid));
    out(".. ftruncate to 3 pages again", C2(ftruncate, fd, 3 * PG));
    probe(".. shared page 1 reads zero", (u32)&s[1024 + 2], 0, 0);
    probe(".. private page 1 reads zero", (u32)&p[1024 + 1], 0, 0);
    probe(".. shared page 0 word 30 (zeroed by the cut)", (u32)&s[30], 0, 0);
    probe(".. shared page 2 write", (u32)&s[2048 + 3], 1, 0x3333);
    outx(".. pread sees it", fword(fd, 2 * PG + 12));
    out(".. truncate by name to 0", C2(truncate, "t", 0));
    probe(".. shared page 0", (u32)&s[0], 0, 0);
    probe(".. private page 0", (u32)&p[0], 0, 0);
    /* O_TRUNC empties it too. */
    C2(ftruncate, fd, PG);
    probe(".. shared page 0 after growing", (u32)&s[0], 1, 0x44);
    long t2 = op("t", O_RDWR | O_TRUNC);
    probe(".. shared page 0 after O_TRUNC", (u32)&s[0], 0, 0);
    cl(t2);
    C2(munmap, (long)s, 3 * PG);
    C2(munmap, (long)p, 3 * PG);
    cl(fd);
}

/* A mapping outlives its descriptor and the file's name. */
static void unlinked(void)
{
    long fd = make_file("u", PG);
    volatile u32 *s = (volatile u32 *)mm(PG, RW, MAP_SHARED, fd, 0);
    volatile u32 *p = (volatile u32 *)mm(PG, RW, MAP_PRIVATE, fd, 0);
    long fd2 = op("u", O_RDONLY);
    cl(fd);
    out("unlink a mapped file", C1(unlink, "u"));
    probe(".. shared mapping still reads", (u32)&s[3], 0, 0);
    probe(".. shared write", (u32)&s[4], 1, 0x1111);
    outx(".. an open descriptor sees it", fword(fd2, 16));
    probe(".. private mapping sees it too", (u32)&p[4], 0, 0);
    cl(fd2);
    probe(".. shared write with no descriptor left", (u32)&s[5], 1, 0x2222);
    probe(".. private read", (u32)&p[5], 0, 0);
    C2(munmap, (long)s, PG);
    C2(munmap, (long)p, PG);
}

static void msync_checks(void)
{
    long fd = make_file("m", 2 * PG);
    long r = mm(3 * PG, RW, MAP_SHARED, fd, 0);
    long a = mm(3 * PG, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    C2(munmap, r + 2 * PG, PG);   /* nothing after r's two pages */
    C2(munmap, a + PG, PG);       /* a hole in the middle of a */
    ((volatile u32 *)r)[0] = 7;
    out("msync MS_SYNC", C3(msync, r, 2 * PG, MS_SYNC));
    out("msync MS_ASYNC", C3(msync, r, 2 * PG, MS_ASYNC));
    out("msync MS_INVALIDATE", C3(msync, r, 2 * PG, MS_INVALIDATE));
    out("msync MS_SYNC|MS_INVALIDATE", C3(msync, r, 1, MS_SYNC | MS_INVALIDATE));
    out("msync flags 0", C3(msync, r, PG, 0));
    out("msync unaligned", C3(msync, r + 1, PG, MS_SYNC));
    out("msync unknown flag", C3(msync, r, PG, 8));
    out("msync unknown flag, unaligned", C3(msync, r + 1, PG, 16));
    out("msync MS_ASYNC|MS_SYNC", C3(msync, r, PG, MS_ASYNC | MS_SYNC));
    out("msync len 0", C3(msync, r, 0, MS_SYNC));
    out("msync len 0 unmapped", C3(msync, 0x1000, 0, MS_SYNC));
    out("msync anonymous", C3(msync, a, PG, MS_SYNC));
    out("msync over a hole MS_SYNC", C3(msync, a, 3 * PG, MS_SYNC));
    out("msync over a hole MS_ASYNC", C3(msync, a, 3 * PG, MS_ASYNC));
    out("msync over a hole MS_ASYNC|MS_INVALIDATE", C3(msync, a, 3 * PG, MS_ASYNC | MS_INVALIDATE));
    out("msync the hole only", C3(msync, a + PG, PG, MS_SYNC));
    out("msync past the end of a mapping", C3(msync, r, 3 * PG, MS_SYNC));
    out("msync wraps", C3(msync, 0xfffff000, 0x2000, MS_SYNC));
    out("msync len 0xffffffff (rounds to 0)", C3(msync, r, 0xffffffff, MS_SYNC));
    out("msync kernel address", C3(msync, 0xc0000000, PG, MS_SYNC));
    outx(".. the data is in the file", fword(fd, 0));
    C2(munmap, a, 3 * PG);
    C2(munmap, r, 2 * PG);
    cl(fd);
}

/* A writable shared mapping counts as a writer: exec of the file is
 * ETXTBSY while it lives, even with the descriptor closed. */
static void exec_busy(void)
{
    long in = op("/prog", O_RDONLY), out_fd = op("x", O_RDWR | O_CREAT | O_TRUNC), n;
    while ((n = C3(read, in, buf, sizeof buf)) > 0) C3(write, out_fd, buf, n);
    cl(in);
    C2(fchmod, out_fd, 0755);
    long r = mm(PG, RW, MAP_SHARED, out_fd, 0);
    cl(out_fd);
    static char *av[] = { "x", "exec-child", 0 }, *av_exit[] = { "x", "exit-child", 0 }, *ev[] = { 0 };
    long pid = sys0(__NR_fork);
    if (pid == 0) _exit(100 + (int)-C3(execve, "x", av, ev));
    outx("exec with a writable shared mapping alive (status)", (u32)wait_child(pid));
    C2(munmap, r, PG);
    long ro = op("x", O_RDONLY);
    r = mm(PG, PROT_READ, MAP_SHARED, ro, 0);
    cl(ro);
    pid = sys0(__NR_fork);
    if (pid == 0) _exit(100 + (int)-C3(execve, "x", av_exit, ev));
    outx("exec with a read-only shared mapping (status)", (u32)wait_child(pid));
    C2(munmap, r, PG);
    pid = sys0(__NR_fork);
    if (pid == 0) {
        C3(execve, "x", av, ev);
        _exit(99);
    }
    /* While the copy runs, its file cannot be opened for writing, and a
     * mapping of it is only ever private or read-only. */
    sleep_ms(50);
    out("open a running program for writing", op("x", O_RDWR));
    ro = op("x", O_RDONLY);
    oute("mmap a running program MAP_PRIVATE RW", r = mm(PG, RW, MAP_PRIVATE, ro, 0));
    if (!is_err(r)) {
        probe(".. write to its private copy", (u32)r + 64, 1, 0);
        C2(munmap, r, PG);
    }
    cl(ro);
    C2(kill, pid, SIGKILL);
    outx("the copy (killed)", (u32)wait_child(pid));
}

int main(int argc, char **argv, char **envp)
{
    if (argc >= 2 && seq(argv[1], "exec-child")) {
        for (;;) sleep_ms(1000);
    }
    if (argc >= 2 && seq(argv[1], "exit-child"))
        return 42;
    (void)envp;
    puts1("--- start\n");
    shm = shared_page();
    sigact(SIGBUS, h_fault, SA_SIGINFO | SA_NODEFER, 0, 0);
    sigact(SIGSEGV, h_fault, SA_SIGINFO | SA_NODEFER, 0, 0);
    long r = C2(mkdir, "/tmp", 01777);
    outs("mkdir /tmp (0 or EEXIST)", r == 0 || r == -EEXIST ? "ok" : "failed");
    out("mkdir /tmp/fm", C2(mkdir, "/tmp/fm", 0755));
    out("chdir /tmp/fm", C1(chdir, "/tmp/fm"));
    /* The devices (the Linux oracle's /dev has only console and null). */
    out("mknod null", C3(mknod, "null", S_IFCHR | 0666, 0x103));
    out("mknod zero", C3(mknod, "zero", S_IFCHR | 0666, 0x105));
    out("mknod full", C3(mknod, "full", S_IFCHR | 0666, 0x107));
    out("mknod urandom", C3(mknod, "urandom", S_IFCHR | 0666, 0x109));
    errors();
    dev_zero();
    private_map();
    shared_map();
    truncation();
    unlinked();
    msync_checks();
    exec_busy();
    puts1("--- end\n");
    return 0;
}

/* file.c: open/read/write/close/lseek/_llseek/dup/dup2/readv/writev/ioctl
 * on /dev/null, /prog (the program itself, on both systems), directories,
 * bad descriptors, bad paths and bad buffers. */
#include "t.h"

static char buf[8192];
static char longpath[6000];

static long op(const char *p, long fl) { return sys3(__NR_open, (long)p, fl, 0644); }
/* the result of open as "fd" (closed again) or -errno */
static void outo(const char *name, long fd)
{
    if (is_err(fd)) out(name, fd);
    else { outs(name, "fd"); sys1(__NR_close, fd); }
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");

    /* ---------- open ---------- */
    long n = op("/dev/null", O_RDONLY);
    out("open /dev/null O_RDONLY (lowest free fd)", n);
    out("read /dev/null", sys3(__NR_read, n, (long)buf, 10));
    out("write /dev/null opened O_RDONLY", sys3(__NR_write, n, (long)"x", 1));
    out("read /dev/null count 0", sys3(__NR_read, n, (long)buf, 0));
    out("read /dev/null into unmapped 0x1000", sys3(__NR_read, n, 0x1000, 10));
    out("read /dev/null into 0xC0000000", sys3(__NR_read, n, (long)0xC0000000, 10));
    out("read /dev/null count 0 at 0xC0000000", sys3(__NR_read, n, (long)0xC0000000, 0));
    out("read /dev/null count 0 at 0xC0001000", sys3(__NR_read, n, (long)0xC0001000, 0));
    out("lseek /dev/null 100 SEEK_SET", sys3(__NR_lseek, n, 100, SEEK_SET));
    out("lseek /dev/null 0 SEEK_CUR", sys3(__NR_lseek, n, 0, SEEK_CUR));
    out("lseek /dev/null -5 SEEK_SET", sys3(__NR_lseek, n, -5, SEEK_SET));
    out("lseek /dev/null 0 SEEK_END", sys3(__NR_lseek, n, 0, SEEK_END));
    out("lseek /dev/null whence 7", sys3(__NR_lseek, n, 0, 7));
    sys1(__NR_close, n);
    long w = op("/dev/null", O_WRONLY);
    out("open /dev/null O_WRONLY", w);
    out("write /dev/null 5", sys3(__NR_write, w, (long)"hello", 5));
    out("write /dev/null from unmapped 0x1000", sys3(__NR_write, w, 0x1000, 10));
    out("write /dev/null from NULL count 0", sys3(__NR_write, w, 0, 0));
    out("write /dev/null from 0xC0000000", sys3(__NR_write, w, (long)0xC0000000, 10));
    out("write /dev/null huge count 0x10000000 from .bss", sys3(__NR_write, w, (long)buf, 0x10000000));
    out("write /dev/null count 0x80000000", sys3(__NR_write, w, (long)buf, (long)0x80000000));
    out("read /dev/null opened O_WRONLY", sys3(__NR_read, w, (long)buf, 1));
    sys1(__NR_close, w);
    outo("open /dev/null O_RDWR", op("/dev/null", O_RDWR));
    outo("open /dev/null O_RDONLY|O_TRUNC", op("/dev/null", O_RDONLY | O_TRUNC));
    outo("open /dev/null O_WRONLY|O_CREAT|O_TRUNC", op("/dev/null", O_WRONLY | O_CREAT | O_TRUNC));
    outo("open /dev/null O_CREAT|O_EXCL", op("/dev/null", O_WRONLY | O_CREAT | O_EXCL));
    outo("open /dev/null O_DIRECTORY", op("/dev/null", O_RDONLY | O_DIRECTORY));
    outo("open /dev/null/", op("/dev/null/", O_RDONLY));
    outo("open /dev/null/x", op("/dev/null/x", O_RDONLY));
    outo("open /dev/null accmode 3", op("/dev/null", 3));
    outo("open //dev//null", op("//dev//null", O_RDONLY));
    outo("open /dev/./null", op("/dev/./null", O_RDONLY));
    outo("open /dev/../dev/null", op("/dev/../dev/null", O_RDONLY));
    outo("open /../dev/null", op("/../dev/null", O_RDONLY));
    outo("open dev/null (relative, cwd /)", op("dev/null", O_RDONLY));
    outo("open /dev/console O_WRONLY", op("/dev/console", O_WRONLY));
    outo("open /dev/tty", op("/dev/tty", O_RDWR));
    outo("open /dev/zero", op("/dev/zero", O_RDONLY));
    outo("open /proc/self/exe", op("/proc/self/exe", O_RDONLY));
    outo("open /nonexistent", op("/nonexistent", O_RDONLY));
    outo("open /nonexistent/x", op("/nonexistent/x", O_RDONLY));
    outo("open \"\"", op("", O_RDONLY));
    out("open NULL", op(0, O_RDONLY));
    out("open 0xC0000000", op((const char *)0xC0000000, O_RDONLY));
    out("open unmapped 0x1000", op((const char *)0x1000, O_RDONLY));
    for (int i = 0; i < 5000; i++) longpath[i] = 'a';
    longpath[0] = '/';
    out("open path of 5000 chars", op(longpath, O_RDONLY));
    longpath[4095] = 0;
    out("open path of 4095 chars", op(longpath, O_RDONLY));
    longpath[4094] = 0;
    out("open path of 4094 chars (one component)", op(longpath, O_RDONLY));
    for (int i = 1; i < 4094; i += 200) longpath[i] = '/';
    out("open path of 4094 chars (many components)", op(longpath, O_RDONLY));
    longpath[300] = 0;
    for (int i = 1; i < 300; i++) longpath[i] = 'b';
    out("open component of 299 chars", op(longpath, O_RDONLY));
    longpath[256] = 0;
    out("open component of 255 chars", op(longpath, O_RDONLY));
    {
        /* a path that runs into an unmapped page without a NUL */
        char *p = map_anon(8192, PROT_READ | PROT_WRITE);
        sys2(__NR_munmap, (long)p + 4096, 4096);
        for (int i = 0; i < 4096; i++) p[i] = 'c';
        p[0] = '/';
        out("open path running into unmapped page", op(p, O_RDONLY));
    }
    /* the program's own file */
    long f = op("/prog", O_RDONLY);
    out("open /prog O_RDONLY", f);
    outo("open /prog O_WRONLY", op("/prog", O_WRONLY));
    outo("open /prog O_RDWR", op("/prog", O_RDWR));
    outo("open /prog O_RDONLY|O_TRUNC", op("/prog", O_RDONLY | O_TRUNC));
    outo("open /prog O_RDONLY|O_CREAT", op("/prog", O_RDONLY | O_CREAT));
    outo("open /prog O_RDONLY|O_CREAT|O_EXCL", op("/prog", O_RDONLY | O_CREAT | O_EXCL));
    outo("open /prog O_DIRECTORY", op("/prog", O_RDONLY | O_DIRECTORY));
    outo("open /prog/", op("/prog/", O_RDONLY));
    outo("open /prog/x", op("/prog/x", O_RDONLY));
    outo("open /prog/..", op("/prog/..", O_RDONLY));
    outo("open /prog O_APPEND", op("/prog", O_RDONLY | O_APPEND));
    outo("open /newfile O_RDONLY", op("/newfile", O_RDONLY));
    outo("open /dev O_RDONLY", op("/dev", O_RDONLY));
    outo("open / O_RDONLY|O_DIRECTORY", op("/", O_RDONLY | O_DIRECTORY));
    outo("open / O_WRONLY", op("/", O_WRONLY));
    outo("open / O_RDWR", op("/", O_RDWR));
    outo("open / O_RDONLY|O_CREAT", op("/", O_RDONLY | O_CREAT));
    outo("open /. ", op("/.", O_RDONLY));
    long d = op("/", O_RDONLY);
    out("read directory /", sys3(__NR_read, d, (long)buf, 100));
    out("write directory /", sys3(__NR_write, d, (long)buf, 1));
    out("lseek directory / 0 SEEK_SET", sys3(__NR_lseek, d, 0, SEEK_SET));
    sys1(__NR_close, d);

    /* ---------- read / lseek on /prog ---------- */
    long size = sys3(__NR_lseek, f, 0, SEEK_END);
    outb("lseek SEEK_END gives a size > 4096", size > 4096);
    out("lseek 0 SEEK_SET", sys3(__NR_lseek, f, 0, SEEK_SET));
    out("read 4", sys3(__NR_read, f, (long)buf, 4));
    outb(".. ELF magic", buf[0] == 0x7f && buf[1] == 'E' && buf[2] == 'L' && buf[3] == 'F');
    out("lseek 0 SEEK_CUR", sys3(__NR_lseek, f, 0, SEEK_CUR));
    out("lseek 10 SEEK_SET", sys3(__NR_lseek, f, 10, SEEK_SET));
    out("lseek -5 SEEK_CUR", sys3(__NR_lseek, f, -5, SEEK_CUR));
    out("lseek -6 SEEK_CUR", sys3(__NR_lseek, f, -6, SEEK_CUR));
    out("lseek -1 SEEK_SET", sys3(__NR_lseek, f, -1, SEEK_SET));
    out("lseek after failed lseek, SEEK_CUR", sys3(__NR_lseek, f, 0, SEEK_CUR));
    out("lseek -size SEEK_END", sys3(__NR_lseek, f, -size, SEEK_END));
    out("lseek -size-1 SEEK_END", sys3(__NR_lseek, f, -size - 1, SEEK_END));
    out("lseek size+100 SEEK_SET - size", sys3(__NR_lseek, f, size + 100, SEEK_SET) - size);
    out("read past EOF", sys3(__NR_read, f, (long)buf, 10));
    out("lseek SEEK_DATA 0", sys3(__NR_lseek, f, 0, SEEK_DATA));
    out("lseek SEEK_HOLE 0 - size", sys3(__NR_lseek, f, 0, SEEK_HOLE) - size);
    out("lseek whence 5", sys3(__NR_lseek, f, 0, 5));
    out("lseek 0x7fffffff SEEK_SET", sys3(__NR_lseek, f, 0x7fffffff, SEEK_SET));
    out("lseek 1 SEEK_CUR from 0x7fffffff", sys3(__NR_lseek, f, 1, SEEK_CUR));
    sys3(__NR_lseek, f, size - 10, SEEK_SET);
    out("read 100 at size-10", sys3(__NR_read, f, (long)buf, 100));
    sys3(__NR_lseek, f, size - 10, SEEK_SET);
    out("read 0x10000000 at size-10 into small .bss buffer", sys3(__NR_read, f, (long)buf, 0x10000000));
    {
        /* buffer: the last 100 bytes of a mapped page, then an unmapped page */
        char *p = map_anon(8192, PROT_READ | PROT_WRITE);
        sys2(__NR_munmap, (long)p + 4096, 4096);
        sys3(__NR_lseek, f, 0, SEEK_SET);
        out("read 200 into buffer with only 100 mapped", sys3(__NR_read, f, (long)p + 4096 - 100, 200));
        out(".. file offset after", sys3(__NR_lseek, f, 0, SEEK_CUR));
        sys3(__NR_lseek, f, 0, SEEK_SET);
        out("read into read-only page", sys3(__NR_read, f, (long)map_anon(4096, PROT_READ), 10));
        out(".. file offset after", sys3(__NR_lseek, f, 0, SEEK_CUR));
        long nw = op("/dev/null", O_WRONLY);
        out("write 200 to /dev/null from buffer with only 100 mapped", sys3(__NR_write, nw, (long)p + 4096 - 100, 200));
        sys1(__NR_close, nw);
        out("write 200 to console from buffer with only 100 unmapped", sys3(__NR_write, 1, (long)p + 4096 + 100, 0));
    }
    out("write to /prog (O_RDONLY)", sys3(__NR_write, f, (long)buf, 1));
    out("read count 0 at NULL", sys3(__NR_read, f, 0, 0));
    out("read to NULL", sys3(__NR_read, f, 0, 1));
    /* _llseek */
    {
        u32 res[2] = { 0xdead, 0xbeef };
        out("_llseek 0:10 SEEK_SET", sys5(__NR__llseek, f, 0, 10, (long)res, SEEK_SET));
        outx(".. result lo", res[0]);
        outx(".. result hi", res[1]);
        out("_llseek result NULL", sys5(__NR__llseek, f, 0, 10, 0, SEEK_SET));
        out("_llseek result 0xC0000000", sys5(__NR__llseek, f, 0, 10, (long)0xC0000000, SEEK_SET));
        out("_llseek 1:0 (4 GiB) SEEK_SET", sys5(__NR__llseek, f, 1, 0, (long)res, SEEK_SET));
        outx(".. result hi", res[1]);
        out(".. then lseek 0 SEEK_CUR", sys3(__NR_lseek, f, 0, SEEK_CUR));
        out("_llseek 0:0xC0000000 SEEK_SET", sys5(__NR__llseek, f, 0, (long)0xC0000000, (long)res, SEEK_SET));
        out(".. then lseek 0 SEEK_CUR", sys3(__NR_lseek, f, 0, SEEK_CUR));
        out("_llseek -1:-1 SEEK_SET", sys5(__NR__llseek, f, -1, -1, (long)res, SEEK_SET));
        out("_llseek whence 9", sys5(__NR__llseek, f, 0, 0, (long)res, 9));
        out("_llseek on console", sys5(__NR__llseek, 1, 0, 0, (long)res, SEEK_SET));
        out("_llseek bad fd", sys5(__NR__llseek, 99, 0, 0, (long)res, SEEK_SET));
    }
    out("lseek console fd 1", sys3(__NR_lseek, 1, 0, SEEK_CUR));
    out("lseek bad fd 99", sys3(__NR_lseek, 99, 0, SEEK_SET));
    out("lseek fd -1", sys3(__NR_lseek, -1, 0, SEEK_SET));

    /* ---------- dup / dup2 / close ---------- */
    {
        sys3(__NR_lseek, f, 0, SEEK_SET);
        long g = sys1(__NR_dup, f);
        out("dup(/prog fd) - fd", g - f);
        sys3(__NR_read, f, (long)buf, 4);
        out("dup shares the offset", sys3(__NR_lseek, g, 0, SEEK_CUR));
        out("dup(99)", sys1(__NR_dup, 99));
        out("dup(-1)", sys1(__NR_dup, -1));
        out("dup2(f, f)", sys2(__NR_dup2, f, f) - f);
        out("dup2(99, 99)", sys2(__NR_dup2, 99, 99));
        out("dup2(99, 50)", sys2(__NR_dup2, 99, 50));
        out("dup2(f, 50)", sys2(__NR_dup2, f, 50));
        out(".. shares offset", sys3(__NR_lseek, 50, 0, SEEK_CUR));
        out("dup2(f, 1023)", sys2(__NR_dup2, f, 1023));
        out("dup2(f, 1024)", sys2(__NR_dup2, f, 1024));
        out("dup2(f, -1)", sys2(__NR_dup2, f, -1));
        out("dup2(f, 0x7fffffff)", sys2(__NR_dup2, f, 0x7fffffff));
        long nn = op("/dev/null", O_RDONLY);
        out("dup2(/dev/null fd, 50) replaces", sys2(__NR_dup2, nn, 50));
        out(".. read from 50 now /dev/null", sys3(__NR_read, 50, (long)buf, 4));
        out("close(50)", sys1(__NR_close, 50));
        out("close(50) again", sys1(__NR_close, 50));
        out("close(1023)", sys1(__NR_close, 1023));
        out("close(-1)", sys1(__NR_close, -1));
        out("close(99999)", sys1(__NR_close, 99999));
        out("close(g)", sys1(__NR_close, g));
        out("read closed fd", sys3(__NR_read, g, (long)buf, 1));
        out("write closed fd", sys3(__NR_write, g, (long)buf, 1));
        out("lowest fd after close", (n = op("/dev/null", O_RDONLY)) - g);
        sys1(__NR_close, n);
        sys1(__NR_close, nn);
    }
    /* EMFILE */
    {
        int count = 0;
        long r = 0, last = 0;
        for (;;) {
            r = op("/dev/null", O_RDONLY);
            if (is_err(r)) break;
            last = r;
            count++;
        }
        out("opens until failure", count);
        out(".. the error", r);
        out(".. last fd", last);
        out("dup at the limit", sys1(__NR_dup, 1));
        out("dup2 onto 1023 at the limit", sys2(__NR_dup2, 1, 1023) );
        for (long i = 3; i <= last; i++) if (i != f) sys1(__NR_close, i);
    }
    /* ---------- readv / writev ---------- */
    {
        struct iov { u32 base, len; } v[3];
        long nw = op("/dev/null", O_WRONLY);
        v[0].base = (u32)"abc"; v[0].len = 3; v[1].base = (u32)"de"; v[1].len = 2;
        out("writev /dev/null 2 iovecs", sys3(__NR_writev, nw, (long)v, 2));
        out("writev count 0", sys3(__NR_writev, nw, (long)v, 0));
        out("writev count 1024", sys3(__NR_writev, nw, (long)buf, 1024));
        out("writev count 1025", sys3(__NR_writev, nw, (long)v, 1025));
        out("writev count -1", sys3(__NR_writev, nw, (long)v, -1));
        out("writev iov NULL count 1", sys3(__NR_writev, nw, 0, 1));
        out("writev iov NULL count 0", sys3(__NR_writev, nw, 0, 0));
        v[1].base = 0xC0000000;
        out("writev /dev/null second base 0xC0000000", sys3(__NR_writev, nw, (long)v, 2));
        v[1].base = 0x1000;
        out("writev /dev/null second base unmapped 0x1000", sys3(__NR_writev, nw, (long)v, 2));
        v[0].len = 0x7fffffff; v[1].len = 2; v[1].base = (u32)"de";
        out("writev lengths over SSIZE_MAX", sys3(__NR_writev, nw, (long)v, 2));
        v[0].len = 0x80000000;
        out("writev one length 0x80000000", sys3(__NR_writev, nw, (long)v, 1));
        puts1("writev to console, second iovec bad: [");
        v[0].base = (u32)"visible"; v[0].len = 7; v[1].base = 0xC0000000; v[1].len = 5;
        long r = sys3(__NR_writev, 1, (long)v, 2);
        puts1("]\n");
        out(".. result", r);
        puts1("writev to console, second iovec unmapped: [");
        v[1].base = 0x1000;
        r = sys3(__NR_writev, 1, (long)v, 2);
        puts1("]\n");
        out(".. result", r);
        out("writev bad fd", sys3(__NR_writev, 99, (long)v, 1));
        sys1(__NR_close, nw);
        char a[4], b[4];
        sys3(__NR_lseek, f, 0, SEEK_SET);
        v[0].base = (u32)a; v[0].len = 2; v[1].base = (u32)b; v[1].len = 4;
        out("readv /prog 2+4", sys3(__NR_readv, f, (long)v, 2));
        outb(".. split correctly", a[0] == 0x7f && a[1] == 'E' && b[0] == 'L' && b[1] == 'F');
        v[1].base = 0x1000;
        sys3(__NR_lseek, f, 0, SEEK_SET);
        out("readv second base unmapped", sys3(__NR_readv, f, (long)v, 2));
        out(".. offset after", sys3(__NR_lseek, f, 0, SEEK_CUR));
        long nr = op("/dev/null", O_RDONLY);
        v[1].base = (u32)b;
        out("readv /dev/null", sys3(__NR_readv, nr, (long)v, 2));
        sys1(__NR_close, nr);
    }
    /* ---------- ioctl ---------- */
    {
        u32 t[16];
        out("ioctl(1, TCGETS)", sys3(__NR_ioctl, 1, TCGETS, (long)t));
        out("ioctl(1, TIOCGWINSZ)", sys3(__NR_ioctl, 1, TIOCGWINSZ, (long)t));
        out("ioctl(/prog, TCGETS)", sys3(__NR_ioctl, f, TCGETS, (long)t));
        out("ioctl(/prog, FIONREAD)", sys3(__NR_ioctl, f, FIONREAD, (long)t));
        long nr = op("/dev/null", O_RDONLY);
        out("ioctl(/dev/null, TCGETS)", sys3(__NR_ioctl, nr, TCGETS, (long)t));
        out("ioctl(/dev/null, FIONBIO)", sys3(__NR_ioctl, nr, FIONBIO, (long)t));
        out("ioctl(/dev/null, FIOCLEX)", sys3(__NR_ioctl, nr, FIOCLEX, 0));
        sys1(__NR_close, nr);
        out("ioctl(99, TCGETS)", sys3(__NR_ioctl, 99, TCGETS, (long)t));
    }
    /* ---------- O_CLOEXEC is per descriptor ---------- */
    {
        long c = op("/dev/null", O_RDONLY | O_CLOEXEC);
        out("open O_CLOEXEC", c >= 3 ? 0 : c);
        sys1(__NR_close, c);
    }
    /* ---------- fork shares offsets ---------- */
    {
        sys3(__NR_lseek, f, 0, SEEK_SET);
        long pid = sys0(__NR_fork);
        if (pid == 0) { sys3(__NR_read, f, (long)buf, 100); _exit(0); }
        sys3(__NR_waitpid, pid, 0, 0);
        out("offset after child read 100", sys3(__NR_lseek, f, 0, SEEK_CUR));
        pid = sys0(__NR_fork);
        if (pid == 0) { sys1(__NR_close, f); _exit(0); }
        sys3(__NR_waitpid, pid, 0, 0);
        out("fd still open after child closed it", sys3(__NR_lseek, f, 0, SEEK_CUR));
    }
    sys1(__NR_close, f);
    /* stdin: /dev/null (O_RDONLY) under linux-run */
    out("read(0) (stdin)", sys3(__NR_read, 0, (long)buf, 10));
    out("write(0, buf, 0) (stdin)", sys3(__NR_write, 0, (long)buf, 0));
    out("lseek(0, 0, SEEK_CUR) (stdin)", sys3(__NR_lseek, 0, 0, SEEK_CUR));
    return 0;
}

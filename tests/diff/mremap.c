/* mremap.c: mremap (163) — its checks in Linux's order, shrinking, growing
 * in place, moving (MAYMOVE, FIXED, DONTUNMAP), shared and file mappings,
 * copy-on-write pages after fork, the heap and the stack, where one
 * mapping ends (which neighbours Linux merges), a seeded random mix of
 * every call that edits the map — and the limits
 * on mapped memory: RLIMIT_AS (mmap, mremap, brk, stack growth) and
 * RLIMIT_DATA (brk, private writable mappings), each in a forked child so
 * that no limit outlives its test. Addresses are printed as facts. */
#include "t.h"

#define RW (PROT_READ | PROT_WRITE)
#define PA (MAP_PRIVATE | MAP_ANONYMOUS)
#define SA (MAP_SHARED | MAP_ANONYMOUS)
#define MAYMOVE MREMAP_MAYMOVE
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)
#define DONTUNMAP (MREMAP_MAYMOVE | MREMAP_DONTUNMAP)
#define P 4096u
#define MIB (1u << 20)

static long mm2(u32 addr, u32 len, u32 prot, u32 flags, long fd, u32 pgoff)
{
    return sys6(__NR_mmap2, addr, len, prot, flags, fd, pgoff);
}
static long mr(u32 addr, u32 old_len, u32 new_len, u32 flags, u32 new_addr)
{
    return sys5(__NR_mremap, addr, old_len, new_len, flags, new_addr);
}
static u32 rd32(u32 a) { return *(volatile u32 *)a; }
static void wr32(u32 a, u32 v) { *(volatile u32 *)a = v; }

static volatile u32 sink;
static int child_rd(long a) { sink = *(volatile u32 *)a; return 99; }
static int child_wr(long a) { *(volatile u32 *)a = 1; return 99; }
/* how a child reading (writing) a ends: "ok", or the wait status */
static void probe(const char *name, u32 a, int write)
{
    long st = run_child(write ? child_wr : child_rd, a);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, write ? " (write): " : " (read): ");
    if (st == 0x6300) l_s(&l, "ok"); else { l_s(&l, "status="); l_x(&l, (u32)st); }
    l_end(&l);
}
/* a result that is an address: "at X" when it is the expected one,
 * "moved" for another address, -errno for an error */
static void outat(const char *name, long r, u32 expect)
{
    if (is_err(r)) out(name, r);
    else outs(name, (u32)r == expect ? "at the address asked for" : (r & 4095) ? "UNALIGNED" : "moved");
}
static void fill(u32 a, u32 len, u32 seed) { for (u32 o = 0; o < len; o += P) wr32(a + o, seed + o); }
static int same(u32 a, u32 len, u32 seed) { for (u32 o = 0; o < len; o += P) if (rd32(a + o) != seed + o) return 0; return 1; }

struct rl64 { u64 cur, max; };
static long setlim(int res, u64 cur, u64 max)
{
    struct rl64 r = { cur, max };
    return sys4(__NR_prlimit64, 0, res, (long)&r, 0);
}

static void checks(void)
{
    u32 a = 0x50000000;
    mm2(a, 4 * P, RW, PA | MAP_FIXED, -1, 0);
    mm2(a + 4 * P, P, PROT_READ, PA | MAP_FIXED, -1, 0);
    out("unknown flag 8", mr(a, P, 2 * P, 8, 0));
    out("FIXED without MAYMOVE", mr(a, P, 2 * P, MREMAP_FIXED, 0x51000000));
    out("DONTUNMAP without MAYMOVE", mr(a, P, P, MREMAP_DONTUNMAP, 0));
    out("DONTUNMAP, lengths 4096 and 4095", mr(a, P, P - 1, DONTUNMAP, 0));
    out("DONTUNMAP, lengths differ", mr(a, P, 2 * P, DONTUNMAP, 0));
    out("old address unaligned", mr(a + 1, P, 2 * P, 0, 0));
    out("old address unaligned and unmapped", mr(0x60000001, P, 2 * P, 0, 0));
    out("new length 0", mr(a, P, 0, 0, 0));
    out("new length 0xFFFFF001 (rounds to 0)", mr(a, P, 0xFFFFF001, 0, 0));
    out("nothing mapped at old address", mr(0x60000000, P, 2 * P, MAYMOVE, 0));
    out("nothing mapped, FIXED to an unaligned address", mr(0x60000000, P, P, FIXED, 0x61000001));
    out("kernel address", mr(0xC0000000, P, 2 * P, MAYMOVE, 0));
    out("FIXED to an unaligned address", mr(a, P, P, FIXED, 0x51000001));
    out("FIXED past the user half", mr(a, P, 2 * P, FIXED, 0xBFFFF000));
    out("FIXED onto the old range", mr(a, 2 * P, 2 * P, FIXED, a + P));
    out("FIXED, new range ends in the old one", mr(a + 2 * P, P, 4 * P, FIXED, a - P));
    out("DONTUNMAP to an unaligned hint", mr(a, P, P, DONTUNMAP, 0x51000001));
    out("old range runs into the next mapping", mr(a, 5 * P, 6 * P, MAYMOVE, 0));
    out("old range runs past the end", mr(a + 4 * P, 2 * P, 3 * P, MAYMOVE, 0));
    out("old length 0 on private memory", mr(a, 0, 2 * P, MAYMOVE, 0));
    out("old length 0xFFFFFFFF (rounds to 0)", mr(a, 0xFFFFFFFF, P, 0, 0));
    out("shrink from 0xFFFFE000 (unmap past the user half)", mr(a, 0xFFFFE000, P, 0, 0));
    outat("same length", mr(a, 4 * P, 4 * P, 0, 0), a);
    outat("same length, unchecked past the mapping", mr(a, 64 * P, 64 * P, 0, 0), a);
    outat("same length after rounding (4 pages, 3 pages + 1)", mr(a, 4 * P, 3 * P + 1, 0, 0), a);
    outat("grow the read-only page after it, in place", mr(a + 4 * P, P, 2 * P, 0, 0), a + 4 * P);
    sys2(__NR_munmap, a, 8 * P);
}

static void shrink_and_grow(void)
{
    u32 a = 0x50000000;
    mm2(a, 4 * P, RW, PA | MAP_FIXED, -1, 0);
    fill(a, 4 * P, 0x1000);
    outat("shrink 4 pages to 2", mr(a, 4 * P, 2 * P, 0, 0), a);
    outb(".. head kept", same(a, 2 * P, 0x1000));
    probe(".. page 2", a + 2 * P, 0);
    outat("grow 2 pages to 6 in place", mr(a, 2 * P, 6 * P, 0, 0), a);
    outb(".. data kept", same(a, 2 * P, 0x1000));
    outb(".. new pages read zero", rd32(a + 2 * P) == 0 && rd32(a + 5 * P) == 0);
    wr32(a + 5 * P, 7);
    outb(".. new pages writable", rd32(a + 5 * P) == 7);
    /* a mapping right after blocks growth in place */
    mm2(a + 6 * P, P, PROT_READ, PA | MAP_FIXED, -1, 0);
    out("grow into the next mapping", mr(a, 6 * P, 7 * P, 0, 0));
    out("grow a range that ends inside its region", mr(a, 2 * P, 3 * P, 0, 0));
    fill(a, 6 * P, 0x2000);
    long b = mr(a, 6 * P, 16 * P, MAYMOVE, 0);
    outat("grow with MAYMOVE", b, a);
    if (!is_err(b)) {
        outb(".. data moved", same(b, 6 * P, 0x2000));
        outb(".. new pages read zero", rd32(b + 6 * P) == 0 && rd32(b + 15 * P) == 0);
        probe(".. old address", a, 0);
        probe(".. next mapping untouched", a + 6 * P, 0);
        long c = mr(b + P, 2 * P, 3 * P, MAYMOVE, 0);
        outat("move the middle of a mapping", c, b + P);
        if (!is_err(c)) outb(".. its data", same(c, 2 * P, 0x2000 + P));
        probe(".. the hole it left", b + P, 0);
        outb(".. the rest stays", rd32(b) == 0x2000 && rd32(b + 3 * P) == 0x2000 + 3 * P);
        sys2(__NR_munmap, b, 16 * P);
        if (!is_err(c)) sys2(__NR_munmap, c, 3 * P);
    }
    /* shrinking unmaps the tail, whatever is there */
    mm2(a, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    out("shrink across a hole and another mapping", mr(a, 8 * P, P, 0, 0) == (long)a);
    probe(".. the other mapping", a + 6 * P, 0);
    /* pages never touched move as untouched; a read-only mapping stays read-only */
    mm2(a, 4 * P, PROT_READ, PA | MAP_FIXED, -1, 0);
    b = mr(a, 4 * P, 8 * P, FIXED, 0x52000000);
    outat("move an untouched read-only mapping", b, 0x52000000);
    outb(".. reads zero", rd32(0x52000000) == 0 && rd32(0x52000000 + 7 * P) == 0);
    probe(".. still read-only", 0x52000000, 1);
    sys2(__NR_munmap, 0x52000000, 8 * P);
}

static void fixed_and_dontunmap(void)
{
    u32 a = 0x50000000, t = 0x53000000;
    mm2(a, 4 * P, RW, PA | MAP_FIXED, -1, 0);
    fill(a, 4 * P, 0x3000);
    mm2(t, 8 * P, PROT_READ, PA | MAP_FIXED, -1, 0);
    outat("FIXED over another mapping", mr(a, 2 * P, 3 * P, FIXED, t + 2 * P), t + 2 * P);
    outb(".. data moved", same(t + 2 * P, 2 * P, 0x3000));
    probe(".. now writable there", t + 2 * P, 1);
    probe(".. the target's page before it", t + P, 1);
    outb(".. the page after it reads zero", rd32(t + 4 * P) == 0);
    probe(".. the old range", a, 0);
    outb(".. the rest of the old mapping", same(a + 2 * P, 2 * P, 0x3000 + 2 * P));
    outat("FIXED and shrink", mr(a + 2 * P, 2 * P, P, FIXED, 0x54000000), 0x54000000);
    probe(".. the dropped page", a + 3 * P, 0);
    /* EFAULT after the target was unmapped */
    mm2(t, P, PROT_READ, PA | MAP_FIXED, -1, 0);
    mm2(a, P, RW, PA | MAP_FIXED, -1, 0);
    out("FIXED, old range past its mapping", mr(a, 2 * P, 2 * P, FIXED, t));
    probe(".. the target (unmapped first)", t, 0);
    /* DONTUNMAP: private memory */
    fill(a, P, 0x4000);
    long n = mr(a, P, P, DONTUNMAP, 0x55000000);
    outat("DONTUNMAP, private, with a free hint", n, 0x55000000);
    if (!is_err(n)) outb(".. new has the data", rd32(n) == 0x4000);
    outb(".. old still mapped, reads zero", rd32(a) == 0);
    wr32(a, 5);
    outb(".. old writable, separate", rd32(a) == 5 && rd32(n) == 0x4000);
    n = mr(a, P, P, DONTUNMAP, 0x55000000);
    outat("DONTUNMAP with a taken hint", n, 0x55000000);
    if (!is_err(n)) outb(".. new has the data", rd32(n) == 5);
    /* DONTUNMAP: shared memory reads the same through both */
    u32 s = mm2(0x56000000, P, RW, SA | MAP_FIXED, -1, 0);
    wr32(s, 42);
    n = mr(s, P, P, DONTUNMAP | MREMAP_FIXED, 0x57000000);
    outat("DONTUNMAP|FIXED, shared", n, 0x57000000);
    outb(".. both see the data", rd32(0x57000000) == 42 && rd32(s) == 42);
    wr32(s, 43);
    outb(".. a write through the old one shows in the new", rd32(0x57000000) == 43);
}

static void shared_and_file(void)
{
    u32 s = 0x58000000;
    mm2(s, 2 * P, RW, SA | MAP_FIXED, -1, 0);
    wr32(s, 1); wr32(s + P, 2);
    outat("grow shared memory in place", mr(s, 2 * P, 4 * P, 0, 0), s);
    probe(".. page 1", s + P, 0);
    probe(".. page 2 (past the object)", s + 2 * P, 0);
    long d = mr(s, 0, 2 * P, MAYMOVE, 0);
    outat("old length 0: a second mapping", d, s);
    if (!is_err(d)) {
        outb(".. sees the data", rd32(d) == 1 && rd32(d + P) == 2);
        wr32(d + P, 22);
        outb(".. and writes through", rd32(s + P) == 22);
    }
    out("old length 0 without MAYMOVE", mr(s, 0, 2 * P, 0, 0));
    d = mr(s + P, 0, 2 * P, MAYMOVE, 0);
    outat("old length 0 from page 1, 2 pages", d, s);
    if (!is_err(d)) { outb(".. page 0 is object page 1", rd32(d) == 22); probe(".. page 1 (past the object)", d + P, 0); }
    d = mr(s, 2 * P, 2 * P, FIXED, 0x59000000);
    outat("move shared memory", d, 0x59000000);
    long pid = sys0(__NR_fork);
    if (pid == 0) { wr32(0x59000000, 77); _exit(0); }
    sys3(__NR_waitpid, pid, 0, 0);
    outb(".. still shared with a child", rd32(0x59000000) == 77);

    long fd = sys2(__NR_open, (long)"/prog", O_RDONLY);
    long size = sys3(__NR_lseek, fd, 0, SEEK_END);
    u32 c4096 = 0;
    sys3(__NR_lseek, fd, 4096, SEEK_SET);
    sys3(__NR_read, fd, (long)&c4096, 4);
    long f = mm2(0x5A000000, 2 * P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    outat("map /prog", f, 0x5A000000);
    d = mr(f, 2 * P, 3 * P, FIXED, 0x5B000000);
    outat("move the file mapping", d, 0x5B000000);
    outb(".. page 0 is the file's", rd32(0x5B000000) == 0x464c457f);
    outb(".. page 1 is the file's", rd32(0x5B000000 + P) == c4096);
    u32 last = ((u32)size - 1) & ~(P - 1);
    f = mm2(0x5C000000, P, PROT_READ, MAP_SHARED | MAP_FIXED, fd, last / P);
    outat("map /prog's last page, shared", f, 0x5C000000);
    outat(".. grow it in place", mr(f, P, 2 * P, 0, 0), 0x5C000000);
    probe(".. the page past the end of the file", 0x5C000000 + P, 0);
    d = mr(f, 2 * P, 2 * P, DONTUNMAP, 0);
    outat(".. DONTUNMAP it", d, 0x5C000000);
    if (!is_err(d)) outb(".. both read the file", rd32(d) == rd32(0x5C000000));
    sys1(__NR_close, fd);
}

/* copy-on-write pages after fork move as they are */
static void after_fork(void)
{
    u32 a = 0x5D000000;
    mm2(a, 4 * P, RW, PA | MAP_FIXED, -1, 0);
    fill(a, 3 * P, 0x5000);            /* page 3 never touched */
    volatile u32 *sh = shared_page();
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        long n = mr(a, 4 * P, 6 * P, FIXED, 0x5E000000);
        int ok = n == 0x5E000000 && same(0x5E000000, 3 * P, 0x5000) && rd32(0x5E000000 + 3 * P) == 0;
        wr32(0x5E000000, 0xdead);     /* copies: the parent's page stays */
        sh[0] = ok && rd32(0x5E000000) == 0xdead && rd32(0x5E000000 + P) == 0x5000 + P;
        _exit(0);
    }
    sys3(__NR_waitpid, pid, 0, 0);
    outb("child moved its copy-on-write pages and wrote one", sh[0] == 1);
    outb(".. the parent's pages are unchanged", same(a, 3 * P, 0x5000));
    pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(200); sh[1] = same(a, 3 * P, 0x5000) && rd32(a + 3 * P) == 0; _exit(0); }
    long n = mr(a, 4 * P, 4 * P, FIXED, 0x5F000000);
    wr32(0x5F000000 + P, 0xbeef);
    sys3(__NR_waitpid, pid, 0, 0);
    outat("parent moved pages a child still shares", n, 0x5F000000);
    outb(".. the child's are unchanged", sh[1] == 1);
    outb(".. the parent's moved and its write landed", rd32(0x5F000000) == 0x5000 && rd32(0x5F000000 + P) == 0xbeef);
    n = mr(0x5F000000, 4 * P, 4 * P, FIXED, a);
    wr32(a + 2 * P, 0xf00d);
    outb("moved back, written again (sole owner now)", n == (long)a && rd32(a + 2 * P) == 0xf00d);
    sys2(__NR_munmap, a, 4 * P);
}

static void heap_and_stack(void)
{
    u32 b0 = (u32)sys1(__NR_brk, 0);
    u32 h = (b0 + P - 1) & ~(P - 1);
    sys1(__NR_brk, h + 4 * P);
    fill(h, 4 * P, 0x6000);
    outat("grow the heap with mremap, in place", mr(h, 4 * P, 8 * P, 0, 0), h);
    outb(".. brk unchanged", (u32)sys1(__NR_brk, 0) == h + 4 * P);
    outb(".. brk cannot grow into it", (u32)sys1(__NR_brk, h + 12 * P) == h + 4 * P);
    outb(".. brk shrinks", (u32)sys1(__NR_brk, h + 2 * P) == h + 2 * P);
    probe(".. the page brk dropped", h + 3 * P, 0);
    probe(".. the page mremap added", h + 5 * P, 0);
    long m = mr(h, 2 * P, 2 * P, FIXED, 0x60000000);
    outat("move the heap", m, 0x60000000);
    outb(".. data moved", same(0x60000000, 2 * P, 0x6000));
    sys2(__NR_munmap, h, 16 * P);
    outb("brk shrink with nothing mapped below the break refused", (u32)sys1(__NR_brk, h) == h + 2 * P);
    outb("brk grows again where the heap was", (u32)sys1(__NR_brk, h + 6 * P) == h + 6 * P);
    outb(".. and reads zero", rd32(h + 2 * P) == 0 && rd32(h + 5 * P) == 0);
    probe(".. not below the old break", h, 0);
    sys1(__NR_brk, b0);
    u32 sp; __asm__ volatile("mov %%esp, %0" : "=r"(sp));
    u32 page = sp & ~(P - 1);
    /* (the page holding sp may be the stack's top one, which Linux's
     * randomised stack top lets grow: not compared) */
    out("grow a stack page below sp, in place", mr(page - 16 * P, P, 2 * P, 0, 0));
    outat("shrink a stack range below sp", mr(page - 24 * P, 2 * P, P, 0, 0), page - 24 * P);
}

/* Where one mapping ends: mremap works within one, so it shows which
 * neighbouring mappings Linux merged (same protection and backing, and
 * anon_vmas that allow it) and which it keeps apart. */
static void span(const char *name, u32 a, u32 len)
{
    /* moving the whole span succeeds only if it is one mapping; move it back */
    long r = mr(a, len, len, FIXED, 0x6F000000);
    if (!is_err(r)) mr(0x6F000000, len, len, FIXED, a);
    outs(name, is_err(r) ? (r == -EFAULT ? "two mappings" : "error") : "one mapping");
}
static int forked_child_span(long a)
{
    /* in a fork's child, a new mapping does not join a written one */
    mm2((u32)a + 2 * P, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    long r = mr((u32)a, 4 * P, 4 * P, FIXED, 0x6F000000);
    return r == -EFAULT ? 1 : is_err(r) ? 2 : 3;
}
static void boundaries(void)
{
    u32 a = 0x61000000;
    mm2(a, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    mm2(a + 2 * P, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    span("two fresh mappings side by side", a, 4 * P);
    wr32(a, 1); wr32(a + 3 * P, 2);
    mm2(a + 4 * P, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    span("a fresh one after a written one", a, 6 * P);
    wr32(a + 5 * P, 3);
    sys2(__NR_munmap, a, 6 * P);
    /* written apart, then put side by side by mremap */
    mm2(a, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    mm2(0x62000000, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    wr32(a, 1); wr32(0x62000000, 2);
    mr(0x62000000, 2 * P, 2 * P, FIXED, a + 2 * P);
    span("written apart, moved side by side", a, 4 * P);
    outat(".. growing the first runs into the second", mr(a, 2 * P, 3 * P, 0, 0), a);
    sys2(__NR_munmap, a, 4 * P);
    /* untouched, moved side by side: they take their new place's offset */
    mm2(a, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    mm2(0x62000000, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    mr(0x62000000, 2 * P, 2 * P, FIXED, a + 2 * P);
    span("untouched, moved side by side", a, 4 * P);
    sys2(__NR_munmap, a, 4 * P);
    /* split by mprotect and made alike again */
    mm2(a, 4 * P, RW, PA | MAP_FIXED, -1, 0);
    wr32(a, 1);
    sys3(__NR_mprotect, a + P, P, PROT_READ);
    span("split by mprotect", a, 4 * P);
    sys3(__NR_mprotect, a + P, P, RW);
    span(".. made alike again", a, 4 * P);
    /* once writable, a read-only mapping stays apart from a never-writable one */
    sys3(__NR_mprotect, a, 4 * P, PROT_READ);
    mm2(a + 4 * P, P, PROT_READ, PA | MAP_FIXED, -1, 0);
    span("read-only once writable, beside never writable", a, 5 * P);
    sys2(__NR_munmap, a, 5 * P);
    mm2(a, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    mm2(a + 2 * P, 2 * P, RW, PA | MAP_FIXED | MAP_NORESERVE, -1, 0);
    span("MAP_NORESERVE beside a plain mapping", a, 4 * P);
    sys2(__NR_munmap, a, 4 * P);
    mm2(a, 2 * P, RW, PA | MAP_FIXED, -1, 0);
    wr32(a, 1);
    outx("a fork's child maps beside a written mapping (1: two mappings)", (u32)run_child(forked_child_span, a));
    sys2(__NR_munmap, a, 4 * P);
    /* a file mapped in two parts at running offsets is one mapping */
    long fd = sys2(__NR_open, (long)"/prog", O_RDONLY);
    mm2(a, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    mm2(a + P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 1);
    mm2(a + 2 * P, P, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 3);
    span("a file at offsets 0 and 1", a, 2 * P);
    span(".. and 3", a, 3 * P);
    sys1(__NR_close, fd);
    sys2(__NR_munmap, a, 3 * P);
}

/* glibc's realloc of large blocks: grow with MAYMOVE, check every step */
static void realloc_pattern(void)
{
    u32 len = MIB;
    long a = mm2(0, len, RW, PA, -1, 0);
    fill(a, len, 0x7000);
    int ok = 1;
    while (len < 32 * MIB && ok) {
        long n = mr(a, len, len + 3 * MIB, MAYMOVE, 0);
        if (is_err(n)) { out("realloc step", n); ok = 0; break; }
        ok = same(n, len, 0x7000) && rd32(n + len) == 0;
        a = n;
        fill(a + len, 3 * MIB, 0x7000 + len);
        len += 3 * MIB;
    }
    outb("1 MiB grown to 31 MiB in 3 MiB steps, contents kept", ok && same(a, len, 0x7000));
    sys2(__NR_munmap, a, len);
}

/* ---------- a random mix, the same on both kernels ---------- */
/* mmap (anonymous, shared, file, MAP_NORESERVE, PROT_NONE), munmap,
 * mprotect, brk, mremap in every form, writes (by the kernel, so a bad
 * address is EFAULT, not a fault), fork with writes in the child, and a
 * fork whose child goes on with the round: in a 64-page arena just above
 * the break, printed relative to it, with a hash of the arena (what is
 * readable, and its words) every ten calls. Region boundaries, anon_vmas
 * and the break must all follow Linux for the lines to agree. */
#define NP 64u
static u32 ar;
static unsigned rseed;
static int pw, pr;
static long progfd;
static unsigned rnd(void) { rseed = rseed * 1103515245u + 12345u; return rseed >> 1; }
static u32 apage(void) { return ar + (rnd() % NP) * P; }
static u32 alen(void) { return (1 + rnd() % 8) * P; }
/* an address as an offset into the arena, "out" elsewhere */
static void l_at(line_t *l, long r)
{
    if (is_err(r)) l_d(l, r);
    else if ((u32)r >= ar && (u32)r <= ar + NP * P) { l_s(l, "+"); l_x(l, (u32)r - ar); }
    else l_s(l, "out");
}
static long put(u32 a, u32 v)
{
    sys3(__NR_write, pw, (long)&v, 4);
    long r = sys3(__NR_read, pr, a, 4);
    if (r != 4) { u32 t; sys3(__NR_read, pr, (long)&t, 4); }
    return r;
}
static u32 arena_hash(void)
{
    u32 h = 2166136261u;
    for (u32 i = 0; i < NP; i++) {
        u32 v = 0;
        long r = sys3(__NR_write, pw, ar + i * P, 4);
        if (r == 4) sys3(__NR_read, pr, (long)&v, 4);
        h = (h ^ (u32)r) * 16777619u;
        h = (h ^ v) * 16777619u;
    }
    return h;
}
static void op_mmap(line_t *l)
{
    u32 a = apage(), n = alen(), shared = rnd() % 3 == 0, prot = rnd() % 4 ? RW : PROT_READ;
    u32 type = shared ? MAP_SHARED : MAP_PRIVATE;
    l_s(l, "mmap "); l_at(l, a); l_s(l, shared ? " shared" : " private");
    if (rnd() % 4 == 0) {
        l_s(l, " file = ");
        l_at(l, mm2(a, n, shared ? PROT_READ : prot, type | MAP_FIXED, progfd, rnd() % 3));
        return;
    }
    u32 nores = rnd() % 4 == 0 ? MAP_NORESERVE : 0;
    if (rnd() % 6 == 0) prot = PROT_NONE;
    l_s(l, nores ? " noreserve = " : " = ");
    l_at(l, mm2(a, n, prot, type | MAP_ANONYMOUS | MAP_FIXED | nores, -1, 0));
}
static void op_mremap(line_t *l)
{
    static const u32 forms[] = { 0, MAYMOVE, MAYMOVE, FIXED, FIXED, DONTUNMAP, DONTUNMAP | MREMAP_FIXED };
    u32 a = apage(), o = rnd() % 5 == 0 ? 0 : alen(), n = alen(), to = apage();
    u32 f = forms[rnd() % 7];
    if (f & MREMAP_DONTUNMAP) o = n = o ? o : P;
    l_s(l, "mremap "); l_at(l, a); l_s(l, " "); l_x(l, o); l_s(l, " "); l_x(l, n);
    l_s(l, " flags "); l_u(l, f); l_s(l, " to "); l_at(l, to); l_s(l, " = ");
    long r = mr(a, o, n, f, to);
    l_at(l, r);
    if (!is_err(r) && ((u32)r < ar || (u32)r >= ar + NP * P)) {
        /* moved out of the arena (where differs): brought back, FIXED */
        u32 back = apage();
        long b = mr(r, n, n, FIXED, back);
        l_s(l, ", back to "); l_at(l, back); l_s(l, " = "); l_at(l, b);
        if (is_err(b)) sys2(__NR_munmap, r, n);
    }
}
/* One call; 1 when this process is a parent whose child went on. */
static int random_op(line_t *l)
{
    unsigned k = rnd() % 10;
    if (k == 0) {
        op_mmap(l);
    } else if (k == 1 && rnd() % 2) {
        u32 b = ar + (rnd() % 40) * P - (rnd() % 2) * 7;
        l_s(l, "brk "); l_at(l, b); l_s(l, " = "); l_at(l, sys1(__NR_brk, b));
    } else if (k == 1) {
        u32 a = apage(), n = alen();
        l_s(l, "munmap "); l_at(l, a); l_s(l, " "); l_x(l, n); l_s(l, " = "); l_at(l, sys2(__NR_munmap, a, n));
    } else if (k == 2) {
        u32 a = apage(), n = alen(), prot = rnd() % 4;
        l_s(l, "mprotect "); l_at(l, a); l_s(l, " "); l_x(l, n); l_s(l, " "); l_u(l, prot); l_s(l, " = ");
        l_at(l, sys3(__NR_mprotect, a, n, prot));
    } else if (k <= 5) {
        op_mremap(l);
    } else if (k <= 8) {
        u32 a = apage() + (rnd() % 1024) * 4;
        l_s(l, "write "); l_at(l, a); l_s(l, " = "); l_d(l, put(a, rnd()));
    } else if (rnd() % 2) {
        long pid = sys0(__NR_fork);
        if (pid != 0) { sys3(__NR_waitpid, pid, 0, 0); l_s(l, "fork: the child went on"); return 1; }
        l_s(l, "fork: child goes on");
    } else {
        u32 a = apage();
        long pid = sys0(__NR_fork);
        if (pid == 0) { for (u32 j = 0; j < 4; j++) put(a + j * P, 0xC0DE + j); _exit(0); }
        sys3(__NR_waitpid, pid, 0, 0);
        l_s(l, "fork: the child wrote at "); l_at(l, a);
    }
    return 0;
}
static void random_mix(void)
{
    int fds[2];
    sys1(__NR_pipe, (long)fds);
    pr = fds[0], pw = fds[1];
    progfd = sys2(__NR_open, (long)"/prog", O_RDONLY);
    ar = ((u32)sys1(__NR_brk, 0) + P - 1) & ~(P - 1);
    long me = sys0(__NR_getpid);
    for (u32 round = 0; round < 4; round++) {
        if (sys0(__NR_getpid) != me) _exit(0);
        rseed = 1 + round * 7919;
        sys2(__NR_munmap, ar, NP * P);
        sys1(__NR_brk, ar);
        mm2(ar, 16 * P, RW, PA | MAP_FIXED, -1, 0);
        for (u32 i = 0; i < 150; i++) {
            line_t l = {.n = 0};
            l_s(&l, "mix "); l_u(&l, round); l_s(&l, "."); l_u(&l, i); l_s(&l, ": ");
            int went_on = random_op(&l);
            l_end(&l);
            if (went_on) break;
            if (i % 10 == 9) { l_s(&l, "mix hash: "); l_x(&l, arena_hash()); l_end(&l); }
        }
    }
    if (sys0(__NR_getpid) != me) _exit(0);
    sys2(__NR_munmap, ar, NP * P);
    sys1(__NR_close, progfd);
}

/* ---------- limits, each in a child ---------- */
static int touch_below_sp(long depth)
{
    volatile char *p; u32 sp; __asm__ volatile("mov %%esp, %0" : "=r"(sp));
    p = (volatile char *)(sp - (u32)depth);
    *p = 1;
    return 99;
}

static int as_limit(long unused)
{
    (void)unused;
    out("setrlimit AS 64 MiB", setlim(RLIMIT_AS, 64ull * MIB, ~0ull));
    long chunk[64]; int n = 0; long r;
    while (n < 64 && !is_err(r = mm2(0, MIB, PROT_NONE, PA, -1, 0))) chunk[n++] = r;
    out("PROT_NONE 1 MiB mappings until refused", n < 64 ? r : 0);
    oute("mmap 2 MiB", mm2(0, 2 * MIB, PROT_READ, PA, -1, 0));
    outat("MAP_FIXED over a 1 MiB mapping (nothing added)", mm2(chunk[0], MIB, RW, PA | MAP_FIXED, -1, 0), chunk[0]);
    out("mremap 1 MiB to 2 MiB (MAYMOVE)", mr(chunk[0], MIB, 2 * MIB, MAYMOVE, 0));
    out("mremap DONTUNMAP 1 MiB", mr(chunk[0], MIB, MIB, DONTUNMAP, 0));
    outat("mremap shrink", mr(chunk[0], MIB, MIB / 2, 0, 0), chunk[0]);
    u32 b0 = (u32)sys1(__NR_brk, 0);
    outb("brk +2 MiB refused", (u32)sys1(__NR_brk, b0 + 2 * MIB) == b0);
    out("stack growth by 2 MiB", run_child(touch_below_sp, 2 * MIB));
    for (int i = 1; i < 9; i++) sys2(__NR_munmap, chunk[i], MIB);
    outat("after freeing 8 MiB: mremap 1 MiB to 2 MiB", mr(chunk[9], MIB, 2 * MIB, MAYMOVE, 0), chunk[9]);
    outb("brk +1 MiB", (u32)sys1(__NR_brk, b0 + MIB) == b0 + MIB);
    out("stack growth by 2 MiB", run_child(touch_below_sp, 2 * MIB));
    out("setrlimit AS 1 MiB (below what is mapped)", setlim(RLIMIT_AS, MIB, ~0ull));
    oute("mmap 1 page", mm2(0, P, PROT_READ, PA, -1, 0));
    out("munmap still works", sys2(__NR_munmap, chunk[10], MIB));
    outb("brk shrinks", (u32)sys1(__NR_brk, b0) == b0);
    return 0;
}

static int data_limit(long unused)
{
    (void)unused;
    u32 b0 = (u32)sys1(__NR_brk, 0);
    outb("brk +1 MiB (no limit yet)", (u32)sys1(__NR_brk, b0 + MIB) == b0 + MIB);
    out("setrlimit DATA 512 KiB", setlim(RLIMIT_DATA, MIB / 2, ~0ull));
    outb("brk shrink to +768 KiB refused (still over)", (u32)sys1(__NR_brk, b0 + 3 * MIB / 4) == b0 + MIB);
    outb("brk shrink to +256 KiB", (u32)sys1(__NR_brk, b0 + MIB / 4) == b0 + MIB / 4);
    outb("brk +600 KiB refused", (u32)sys1(__NR_brk, b0 + 600 * 1024) == b0 + MIB / 4);
    out("setrlimit DATA 8 MiB", setlim(RLIMIT_DATA, 8 * MIB, ~0ull));
    oute("mmap 16 MiB private RW", mm2(0, 16 * MIB, RW, PA, -1, 0));
    long ro = mm2(0, 16 * MIB, PROT_READ, PA, -1, 0);
    oute("mmap 16 MiB private read-only", ro);
    oute("mmap 16 MiB shared RW", mm2(0, 16 * MIB, RW, SA, -1, 0));
    long rw = mm2(0, MIB, RW, PA, -1, 0);
    oute("mmap 1 MiB private RW", rw);
    oute("mremap it to 16 MiB (MAYMOVE)", mr(rw, MIB, 16 * MIB, MAYMOVE, 0));
    long ro2 = mr(ro, 16 * MIB, 32 * MIB, MAYMOVE, 0);
    oute("mremap the read-only one to 32 MiB", ro2);
    if (!is_err(ro2)) ro = ro2;
    out("mprotect 4 MiB of it RW", sys3(__NR_mprotect, ro, 4 * MIB, RW));
    out("mprotect 16 MiB of it RW (turning into data)", sys3(__NR_mprotect, ro, 16 * MIB, RW));
    out(".. then mprotect the first 2 MiB back to read-only", sys3(__NR_mprotect, ro, 2 * MIB, PROT_READ));
    oute(".. then mmap 1 page private RW", mm2(0, P, RW, PA, -1, 0));
    out("setrlimit DATA soft 0, hard infinite", setlim(RLIMIT_DATA, 0, ~0ull));
    oute(".. mmap 1 MiB private RW (soft 0 means the hard limit)", mm2(0, MIB, RW, PA, -1, 0));
    outb(".. brk +1 page refused", (u32)sys1(__NR_brk, b0 + MIB / 4 + P) == b0 + MIB / 4);
    out("setrlimit DATA soft 0, hard 64 MiB", setlim(RLIMIT_DATA, 0, 64 * MIB));
    oute(".. mmap 64 MiB private RW", mm2(0, 64 * MIB, RW, PA, -1, 0));
    return 0;
}

static void limits(void)
{
    outx("RLIMIT_AS child (status)", (u32)run_child(as_limit, 0));
    outx("RLIMIT_DATA child (status)", (u32)run_child(data_limit, 0));
    struct rl64 r;
    sys4(__NR_prlimit64, 0, RLIMIT_AS, 0, (long)&r);
    outb("parent's RLIMIT_AS still infinite", r.cur == ~0ull);
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    limits();
    checks();
    shrink_and_grow();
    fixed_and_dontunmap();
    shared_and_file();
    after_fork();
    heap_and_stack();
    boundaries();
    realloc_pattern();
    random_mix();
    puts1("--- end\n");
    return 0;
}

/* mem.c: brk, mmap2, old mmap (90), munmap, mprotect edge cases. Addresses
 * differ between kernels (ASLR on Linux), so results are printed as "ok",
 * as facts about the address, or as -errno. */
#include "t.h"

#define RW (PROT_READ | PROT_WRITE)
#define PA (MAP_PRIVATE | MAP_ANONYMOUS)

static long mm2(u32 addr, u32 len, u32 prot, u32 flags, long fd, u32 pgoff)
{
    return sys6(__NR_mmap2, addr, len, prot, flags, fd, pgoff);
}
static long old_mmap(u32 addr, u32 len, u32 prot, u32 flags, long fd, u32 off)
{
    u32 a[6] = { addr, len, prot, flags, (u32)fd, off };
    return sys1(__NR_mmap, (long)a);
}

static volatile u32 sink;
static int rd(long a) { sink = *(volatile unsigned char *)a; return 99; }
static int wr(long a) { *(volatile unsigned char *)a = 1; return 99; }
/* status of a child reading / writing a: "ok" (no fault) or the signal */
static void probe(const char *name, u32 a, int write)
{
    long st = run_child(write ? wr : rd, a);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, write ? " write: " : " read: ");
    if (st == 0x6300) l_s(&l, "ok"); else if (is_err(st)) l_d(&l, st); else { l_s(&l, "status="); l_x(&l, (u32)st); }
    l_end(&l);
}
/* the address as a fact: "aligned" or "UNALIGNED", in the user half or not */
static void outa(const char *name, long r)
{
    if (is_err(r)) { out(name, r); return; }
    outs(name, (r & 4095) ? "UNALIGNED" : (u32)r >= 0xC0000000u ? "KERNEL-HALF" : "ok");
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    extern char _end[];

    /* ---------- brk ---------- */
    u32 b0 = (u32)sys1(__NR_brk, 0);
    outb("brk(0) page aligned", (b0 & 4095) == 0);
    outb("brk(0) == page_align(&_end)", b0 == (((u32)_end + 4095) & ~4095u));
    outb("brk(0) >= &_end", b0 >= (u32)_end);
    outb("brk(b0+1) == b0+1", (u32)sys1(__NR_brk, b0 + 1) == b0 + 1);
    outb("brk(0) now b0+1", (u32)sys1(__NR_brk, 0) == b0 + 1);
    *(volatile char *)b0 = 5;
    outb("brk(b0+0x10000) grows", (u32)sys1(__NR_brk, b0 + 0x10000) == b0 + 0x10000);
    *(volatile char *)(b0 + 0xffff) = 7;
    outb("new brk memory readable/writable", *(volatile char *)(b0 + 0xffff) == 7);
    outb("byte between old brk and its page end kept", *(volatile char *)b0 == 5);
    *(volatile char *)(b0 + 0x5000) = 9;
    outb("brk(b0) shrinks", (u32)sys1(__NR_brk, b0) == b0);
    probe("freed brk page", b0 + 0x5000, 0);
    outb("brk(b0+0x10000) regrows", (u32)sys1(__NR_brk, b0 + 0x10000) == b0 + 0x10000);
    outb("regrown brk page is zero", *(volatile char *)(b0 + 0x5000) == 0);
    u32 cur = (u32)sys1(__NR_brk, 0);
    outb("brk(b0-4096) refused (returns current)", (u32)sys1(__NR_brk, b0 - 4096) == cur);
    outb("brk(1) refused", (u32)sys1(__NR_brk, 1) == cur);
    outb("brk(0xC0000000) refused", (u32)sys1(__NR_brk, 0xC0000000) == cur);
    outb("brk(0xFFFFFFFF) refused", (u32)sys1(__NR_brk, 0xFFFFFFFF) == cur);
    outb("brk(0xBFFFF000) refused", (u32)sys1(__NR_brk, 0xBFFFF000) == cur);
    {
        /* a mapping right above the heap blocks brk growth (1 page gap) */
        u32 page = (cur + 4095) & ~4095u;
        long m = mm2(page + 0x20000, 4096, RW, PA | MAP_FIXED, -1, 0);
        outa("MAP_FIXED just above brk", m);
        outb("brk up to 2 pages below it grows", (u32)sys1(__NR_brk, page + 0x1e000) == page + 0x1e000);
        outb("brk up to 1 page below it", (u32)sys1(__NR_brk, page + 0x1f000) == page + 0x1f000);
        outb("brk up to it", (u32)sys1(__NR_brk, page + 0x20000) == page + 0x20000);
        outb("brk past it", (u32)sys1(__NR_brk, page + 0x30000) == page + 0x30000);
        sys2(__NR_munmap, m, 4096);
        sys1(__NR_brk, b0);
    }
    outb("brk(b0 + 64 MiB)", (u32)sys1(__NR_brk, b0 + (64u << 20)) == b0 + (64u << 20));
    outb("brk(b0 + 512 MiB)", (u32)sys1(__NR_brk, b0 + (512u << 20)) == b0 + (512u << 20));
    sys1(__NR_brk, b0);

    /* ---------- mmap2: lengths ---------- */
    out("mmap2 len 0", mm2(0, 0, RW, PA, -1, 0));
    outa("mmap2 len 1", mm2(0, 1, RW, PA, -1, 0));
    out("mmap2 len 0xFFFFFFFF", mm2(0, 0xFFFFFFFF, RW, PA, -1, 0));
    out("mmap2 len 0xFFFFF001", mm2(0, 0xFFFFF001, RW, PA, -1, 0));
    out("mmap2 len 0xC0000000", mm2(0, 0xC0000000, RW, PA, -1, 0));
    out("mmap2 len 0xC0001000", mm2(0, 0xC0001000, RW, PA, -1, 0));
    {
        long r = mm2(0, 0x80000000, PROT_READ, PA, -1, 0);
        outa("mmap2 2 GiB PROT_READ", r);
        if (!is_err(r)) sys2(__NR_munmap, r, 0x80000000);
        r = mm2(0, 0x80000000, RW, PA, -1, 0);
        outa("mmap2 2 GiB RW private (overcommit)", r);
        if (!is_err(r)) sys2(__NR_munmap, r, 0x80000000);
        r = mm2(0, 0x80000000, RW, PA | MAP_NORESERVE, -1, 0);
        outa("mmap2 2 GiB RW MAP_NORESERVE", r);
        if (!is_err(r)) sys2(__NR_munmap, r, 0x80000000);
        r = mm2(0, 0x10000000, RW, PA, -1, 0);
        outa("mmap2 256 MiB RW private (> RAM)", r);
        if (!is_err(r)) sys2(__NR_munmap, r, 0x10000000);
        r = mm2(0, 0x10000000, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        outa("mmap2 256 MiB RW shared", r);
        if (!is_err(r)) sys2(__NR_munmap, r, 0x10000000);
        r = mm2(0, 0x4000000, RW, PA, -1, 0);
        outa("mmap2 64 MiB RW", r);
        if (!is_err(r)) {
            *(volatile u32 *)r = 1;
            *(volatile u32 *)(r + 0x4000000 - 4) = 2;
            outb("64 MiB mapping: first and last page written", *(volatile u32 *)r == 1);
            sys2(__NR_munmap, r, 0x4000000);
        }
    }
    /* ---------- mmap2: flags and prot ---------- */
    out("mmap2 flags=ANON only (no type)", mm2(0, 4096, RW, MAP_ANONYMOUS, -1, 0));
    outa("mmap2 MAP_SHARED_VALIDATE|ANON", mm2(0, 4096, RW, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1, 0));
    out("mmap2 type 0xf|ANON", mm2(0, 4096, RW, 0xf | MAP_ANONYMOUS, -1, 0));
    out("mmap2 type 0x4|ANON", mm2(0, 4096, RW, 0x4 | MAP_ANONYMOUS, -1, 0));
    outa("mmap2 prot 0x8 (PROT_SEM)", mm2(0, 4096, PROT_SEM | RW, PA, -1, 0));
    outa("mmap2 prot 0x10", mm2(0, 4096, 0x10 | RW, PA, -1, 0));
    outa("mmap2 prot 0xff", mm2(0, 4096, 0xff, PA, -1, 0));
    outa("mmap2 prot PROT_GROWSDOWN|RW", mm2(0, 4096, PROT_GROWSDOWN | RW, PA, -1, 0));
    outa("mmap2 prot PROT_EXEC only", mm2(0, 4096, PROT_EXEC, PA, -1, 0));
    outa("mmap2 prot PROT_WRITE only", mm2(0, 4096, PROT_WRITE, PA, -1, 0));
    outa("mmap2 MAP_GROWSDOWN", mm2(0, 4096, RW, PA | MAP_GROWSDOWN, -1, 0));
    outa("mmap2 MAP_POPULATE", mm2(0, 4096, RW, PA | MAP_POPULATE, -1, 0));
    outa("mmap2 MAP_LOCKED", mm2(0, 4096, RW, PA | MAP_LOCKED, -1, 0));
    outa("mmap2 MAP_STACK", mm2(0, 4096, RW, PA | MAP_STACK, -1, 0));
    outa("mmap2 MAP_HUGETLB", mm2(0, 4096, RW, PA | MAP_HUGETLB, -1, 0));
    outa("mmap2 anon with fd 1234 (ignored)", mm2(0, 4096, RW, PA, 1234, 0));
    outa("mmap2 anon with pgoff 5", mm2(0, 4096, RW, PA, -1, 5));
    {
        volatile u32 *p = (volatile u32 *)mm2(0, 8192, PROT_READ, PA, -1, 0);
        outb("fresh anonymous PROT_READ page reads 0", p[0] == 0 && p[2047] == 0);
        probe("PROT_WRITE-only page", (u32)mm2(0, 4096, PROT_WRITE, PA, -1, 0), 0);
        probe("PROT_EXEC-only page", (u32)mm2(0, 4096, PROT_EXEC, PA, -1, 0), 0);
    }
    /* ---------- mmap2: hints and MAP_FIXED ---------- */
    {
        long r = mm2(0x40000000, 4096, RW, PA, -1, 0);
        outb("hint 0x40000000 honoured", r == 0x40000000);
        sys2(__NR_munmap, 0x40000000, 4096);
        r = mm2(0x40000123, 4096, RW, PA, -1, 0);
        line_t l = {.n = 0}; l_s(&l, "hint 0x40000123 gives 0x40000000 + "); l_x(&l, (u32)r - 0x40000000); l_end(&l);
        sys2(__NR_munmap, r, 4096);
        r = mm2(0x1000, 4096, RW, PA, -1, 0);
        outb("hint 0x1000 honoured", r == 0x1000);
        outb(".. placed at 0x10000 (rounded up to mmap_min_addr)", r == 0x10000);
        sys2(__NR_munmap, r, 4096);
        r = mm2(0x10000, 4096, RW, PA, -1, 0);
        outb("hint 0x10000 honoured", r == 0x10000);
        if (r == 0x10000) sys2(__NR_munmap, r, 4096);
        r = mm2(0xC0000000, 4096, RW, PA, -1, 0);
        outa("hint 0xC0000000 (ignored)", r);
        r = mm2(0xFFFFF000, 0x2000, RW, PA, -1, 0);
        outa("hint 0xFFFFF000 len 0x2000 (ignored)", r);
        r = mm2(0, 4096, RW, PA, -1, 0);
        outb("hint 0: result above the program", (u32)r > (u32)_end);
    }
    out("MAP_FIXED 0x40000000", mm2(0x40000000, 4096, RW, PA | MAP_FIXED, -1, 0) == 0x40000000 ? 0 : -1);
    out("MAP_FIXED unaligned 0x40000100", mm2(0x40000100, 4096, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0 (root on Linux)", mm2(0, 4096, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0x1000", mm2(0x1000, 4096, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0xF000", mm2(0xF000, 4096, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0x10000", mm2(0x10000, 4096, RW, PA | MAP_FIXED, -1, 0));
    sys2(__NR_munmap, 0, 0x11000);
    out("MAP_FIXED 0xBFFF0000 len 0x20000", mm2(0xBFFF0000, 0x20000, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0xC0000000", mm2(0xC0000000, 4096, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0xFFFFF000", mm2(0xFFFFF000, 4096, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED 0xFFFFF000 len 0x2000", mm2(0xFFFFF000, 0x2000, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED len 0", mm2(0x40000000, 0, RW, PA | MAP_FIXED, -1, 0));
    out("MAP_FIXED_NOREPLACE over existing", mm2(0x40000000, 4096, RW, PA | MAP_FIXED_NOREPLACE, -1, 0));
    out("MAP_FIXED_NOREPLACE overlapping the end", mm2(0x3ffff000, 0x2000, RW, PA | MAP_FIXED_NOREPLACE, -1, 0));
    out("MAP_FIXED_NOREPLACE unaligned", mm2(0x40100100, 4096, RW, PA | MAP_FIXED_NOREPLACE, -1, 0));
    out("MAP_FIXED_NOREPLACE free", mm2(0x40100000, 4096, RW, PA | MAP_FIXED_NOREPLACE, -1, 0) == 0x40100000 ? 0 : -1);
    out("MAP_FIXED|MAP_FIXED_NOREPLACE over existing", mm2(0x40100000, 4096, RW, PA | MAP_FIXED | MAP_FIXED_NOREPLACE, -1, 0));
    out("MAP_FIXED_NOREPLACE 0x1000", mm2(0x1000, 4096, RW, PA | MAP_FIXED_NOREPLACE, -1, 0));
    sys2(__NR_munmap, 0x1000, 4096);
    {
        /* MAP_FIXED over the middle of a mapping replaces it */
        u32 a = 0x41000000;
        mm2(a, 3 * 4096, RW, PA | MAP_FIXED, -1, 0);
        for (int i = 0; i < 3; i++) *(volatile u32 *)(a + i * 4096) = 0x11 * (i + 1);
        long r = mm2(a + 4096, 4096, PROT_READ, PA | MAP_FIXED, -1, 0);
        out("MAP_FIXED over middle page", r == (long)(a + 4096) ? 0 : r);
        outb(".. first page kept", *(volatile u32 *)a == 0x11);
        outb(".. middle page is new (zero)", *(volatile u32 *)(a + 4096) == 0);
        outb(".. last page kept", *(volatile u32 *)(a + 8192) == 0x33);
        probe(".. middle page now read-only", a + 4096, 1);
        /* over the program's own data: a MAP_FIXED over .bss */
        static u32 bss_word[2048];
        bss_word[1500] = 77;
        u32 page = ((u32)&bss_word[1024] + 4095) & ~4095u;
        r = mm2(page, 4096, RW, PA | MAP_FIXED, -1, 0);
        out("MAP_FIXED over own .bss page", r == (long)page ? 0 : r);
        outb(".. that page is zero now", *(volatile u32 *)page == 0);
    }
    /* ---------- munmap ---------- */
    {
        u32 a = 0x42000000;
        mm2(a, 3 * 4096, RW, PA | MAP_FIXED, -1, 0);
        for (int i = 0; i < 3; i++) *(volatile u32 *)(a + i * 4096) = 1;
        out("munmap middle page", sys2(__NR_munmap, a + 4096, 4096));
        probe(".. first page", a, 0);
        probe(".. middle page", a + 4096, 0);
        probe(".. last page", a + 8192, 0);
        out("munmap len 1 (one page)", sys2(__NR_munmap, a, 1));
        probe(".. first page after munmap len 1", a, 0);
        out("munmap len 0", sys2(__NR_munmap, a, 0));
        out("munmap unaligned", sys2(__NR_munmap, a + 1, 4096));
        out("munmap nothing mapped", sys2(__NR_munmap, 0x50000000, 0x10000));
        out("munmap(0, 4096)", sys2(__NR_munmap, 0, 4096));
        out("munmap(0xC0000000, 4096)", sys2(__NR_munmap, 0xC0000000, 4096));
        out("munmap(0xC0000000, 0)", sys2(__NR_munmap, 0xC0000000, 0));
        out("munmap(0xBFFFF000, 0x2000)", sys2(__NR_munmap, 0xBFFFF000, 0x2000));
        out("munmap(0x40000000, 0xFFFFFFFF)", sys2(__NR_munmap, 0x40000000, 0xFFFFFFFF));
        out("munmap(0xFFFFF000, 0x1000)", sys2(__NR_munmap, 0xFFFFF000, 0x1000));
        out("munmap(0x50000000, 0x70000001) past 0xC0000000", sys2(__NR_munmap, 0x50000000, 0x70000001));
    }
    /* ---------- mprotect ---------- */
    {
        u32 a = 0x43000000;
        mm2(a, 4 * 4096, RW, PA | MAP_FIXED, -1, 0);
        for (int i = 0; i < 4; i++) *(volatile u32 *)(a + i * 4096) = 0x100 + i;
        out("mprotect unaligned", sys3(__NR_mprotect, a + 1, 4096, PROT_READ));
        out("mprotect len 0", sys3(__NR_mprotect, a, 0, PROT_READ));
        out("mprotect len 0 with bad prot 0xff", sys3(__NR_mprotect, a, 0, 0xff));
        out("mprotect unaligned with bad prot 0xff", sys3(__NR_mprotect, a + 1, 4096, 0xff));
        out("mprotect prot 0x8 (PROT_SEM)", sys3(__NR_mprotect, a, 4096, RW | PROT_SEM));
        out("mprotect prot 0x10", sys3(__NR_mprotect, a, 4096, RW | 0x10));
        out("mprotect prot PROT_GROWSDOWN on anon", sys3(__NR_mprotect, a, 4096, RW | PROT_GROWSDOWN));
        out("mprotect prot GROWSDOWN|GROWSUP", sys3(__NR_mprotect, a, 4096, RW | PROT_GROWSDOWN | PROT_GROWSUP));
        u32 sp; __asm__ volatile("mov %%esp, %0" : "=r"(sp));
        out("mprotect stack page PROT_GROWSDOWN|RW", sys3(__NR_mprotect, (sp & ~4095u) - 4096, 4096, RW | PROT_GROWSDOWN));
        out("mprotect stack page RW|EXEC", sys3(__NR_mprotect, sp & ~4095u, 4096, RW | PROT_EXEC));
        out("mprotect len 1 rounds up", sys3(__NR_mprotect, a, 1, PROT_READ));
        probe(".. page 0 now read-only", a, 1);
        out("mprotect unmapped 0x50000000", sys3(__NR_mprotect, 0x50000000, 4096, PROT_READ));
        out("mprotect(0xC0000000, 4096)", sys3(__NR_mprotect, 0xC0000000, 4096, PROT_READ));
        out("mprotect(0xBFFFF000, 0x2000)", sys3(__NR_mprotect, 0xBFFFF000, 0x2000, RW));
        out("mprotect(0xFFFFF000, 0x2000) wraps", sys3(__NR_mprotect, 0xFFFFF000, 0x2000, PROT_READ));
        out("mprotect(a, 0xFFFFFFFF)", sys3(__NR_mprotect, a, 0xFFFFFFFF, PROT_READ));
        out("mprotect(0, 4096)", sys3(__NR_mprotect, 0, 4096, PROT_READ));
        /* partly unmapped: [a+1 mapped][a+2 mapped][hole] */
        sys2(__NR_munmap, a + 3 * 4096, 4096);
        out("mprotect range ending in a hole", sys3(__NR_mprotect, a + 4096, 3 * 4096, PROT_READ));
        probe(".. its mapped first page (changed on Linux?)", a + 4096, 1);
        probe(".. its mapped second page", a + 2 * 4096, 1);
        /* [hole][mapped] */
        u32 b = 0x44001000;
        mm2(b, 4096, RW, PA | MAP_FIXED, -1, 0);
        out("mprotect range starting in a hole", sys3(__NR_mprotect, b - 4096, 2 * 4096, PROT_READ));
        probe(".. its mapped page", b, 1);
        /* [mapped][hole][mapped] */
        u32 c = 0x45000000;
        mm2(c, 3 * 4096, RW, PA | MAP_FIXED, -1, 0);
        sys2(__NR_munmap, c + 4096, 4096);
        out("mprotect across a hole", sys3(__NR_mprotect, c, 3 * 4096, PROT_READ));
        probe(".. page before the hole", c, 1);
        probe(".. page after the hole", c + 8192, 1);
        /* PROT_NONE round trip keeps data */
        u32 d = 0x46000000;
        mm2(d, 4096, RW, PA | MAP_FIXED, -1, 0);
        *(volatile u32 *)d = 0xabcd;
        out("mprotect PROT_NONE", sys3(__NR_mprotect, d, 4096, PROT_NONE));
        probe(".. PROT_NONE page", d, 0);
        out("mprotect back to RW", sys3(__NR_mprotect, d, 4096, RW));
        outb(".. data kept", *(volatile u32 *)d == 0xabcd);
        out("mprotect PROT_WRITE only", sys3(__NR_mprotect, d, 4096, PROT_WRITE));
        probe(".. write-only page", d, 0);
        /* the program's text made writable */
        u32 text = (u32)main & ~4095u;
        out("mprotect own text RWX", sys3(__NR_mprotect, text, 4096, RW | PROT_EXEC));
        probe(".. text page", text, 1);
        out("mprotect own text back to RX", sys3(__NR_mprotect, text, 4096, PROT_READ | PROT_EXEC));
    }
    /* ---------- file mappings ---------- */
    {
        long fd = sys2(__NR_open, (long)"/prog", O_RDONLY);
        out("open /prog", fd >= 0 ? 0 : fd);
        long size = sys3(__NR_lseek, fd, 0, SEEK_END);
        long p = mm2(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
        outa("mmap2 /prog private read", p);
        if (!is_err(p)) outb(".. starts with ELF magic", *(volatile u32 *)p == 0x464c457f);
        out("mmap2 /prog MAP_SHARED RW on O_RDONLY fd", mm2(0, 4096, RW, MAP_SHARED, fd, 0));
        outa("mmap2 /prog MAP_SHARED READ", mm2(0, 4096, PROT_READ, MAP_SHARED, fd, 0));
        long s = mm2(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
        out(".. mprotect it RW", sys3(__NR_mprotect, s, 4096, RW));
        long q = mm2(0, 4096, RW, MAP_PRIVATE, fd, 0);
        outa("mmap2 /prog MAP_PRIVATE RW", q);
        if (!is_err(q)) {
            *(volatile u32 *)q = 0x12345678;
            u32 w = 0;
            sys3(__NR_lseek, fd, 0, SEEK_SET);
            sys3(__NR_read, fd, (long)&w, 4);
            outb(".. private write does not reach the file", w == 0x464c457f);
        }
        long r = mm2(0, 8192, PROT_READ, MAP_PRIVATE, fd, 1);
        outa("mmap2 /prog pgoff 1", r);
        if (!is_err(r)) {
            unsigned char c1 = 0;
            sys3(__NR_lseek, fd, 4096, SEEK_SET);
            sys3(__NR_read, fd, (long)&c1, 1);
            outb(".. byte 0 is file byte 4096", *(volatile unsigned char *)r == c1);
        }
        outa("mmap2 /prog pgoff past EOF", mm2(0, 4096, PROT_READ, MAP_PRIVATE, fd, 1000));
        outa("mmap2 /prog pgoff 0x100000 (4 GiB)", mm2(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0x100000));
        out("mmap2 /prog pgoff 0xFFFFFFFF", mm2(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0xFFFFFFFF));
        outa("old mmap /prog offset 4096", old_mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 4096));
        out("old mmap /prog offset 100", old_mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 100));
        outa("old mmap /prog offset 0xFFFFF000", old_mmap(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0xFFFFF000));
        out("old mmap anon len 0", old_mmap(0, 0, RW, PA, -1, 0));
        outa("old mmap anon", old_mmap(0, 4096, RW, PA, -1, 0));
        out("old mmap NULL block", sys1(__NR_mmap, 0));
        out("old mmap block at 0xBFFFFFF0 (runs into kernel)", sys1(__NR_mmap, 0xBFFFFFF0));
        out("mmap2 len 0 with bad fd 99 (which error first)", mm2(0, 0, PROT_READ, MAP_PRIVATE, 99, 0));
        out("mmap2 bad type 0xf with bad fd 99", mm2(0, 4096, PROT_READ, 0xf, 99, 0));
        outa("mmap2 /prog with MAP_HUGETLB", mm2(0, 4096, PROT_READ, MAP_PRIVATE | MAP_HUGETLB, fd, 0));
        out("mmap2 fd -1 not anonymous", mm2(0, 4096, PROT_READ, MAP_PRIVATE, -1, 0));
        out("mmap2 fd 99", mm2(0, 4096, PROT_READ, MAP_PRIVATE, 99, 0));
        long nul = sys2(__NR_open, (long)"/dev/null", O_RDONLY);
        out("mmap2 /dev/null", mm2(0, 4096, PROT_READ, MAP_PRIVATE, nul, 0));
        long nulw = sys2(__NR_open, (long)"/dev/null", O_WRONLY);
        out("mmap2 /dev/null O_WRONLY", mm2(0, 4096, PROT_READ, MAP_PRIVATE, nulw, 0));
        out("mmap2 console fd 1", mm2(0, 4096, PROT_READ, MAP_PRIVATE, 1, 0));
        long dir = sys2(__NR_open, (long)"/", O_RDONLY);
        out("mmap2 directory /", mm2(0, 4096, PROT_READ, MAP_PRIVATE, dir, 0));
        out("mmap2 /prog len 0", mm2(0, 0, PROT_READ, MAP_PRIVATE, fd, 0));
        outa("mmap2 /prog MAP_SHARED_VALIDATE read", mm2(0, 4096, PROT_READ, 3, fd, 0));
        outa("mmap2 /prog MAP_SHARED_VALIDATE|0x80000", mm2(0, 4096, PROT_READ, MAP_SHARED_VALIDATE | 0x80000, fd, 0));
        long big = mm2(0, ((u32)size + 4095 + 8192) & ~4095u, PROT_READ, MAP_PRIVATE, fd, 0);
        outa("mmap2 /prog longer than the file", big);
        sys1(__NR_close, fd);
        if (!is_err(p)) outb("mapping survives close", *(volatile u32 *)p == 0x464c457f);
    }
    /* ---------- placement ---------- */
    {
        long m1 = mm2(0, 4096, RW, PA, -1, 0), m2 = mm2(0, 4096, RW, PA, -1, 0), m3 = mm2(0, 8192, RW, PA, -1, 0);
        out("second mmap - first", m2 - m1);
        out("third (2 pages) - second", m3 - m2);
        sys2(__NR_munmap, m2, 4096);
        long m4 = mm2(0, 4096, RW, PA, -1, 0);
        outb("mmap after munmap reuses the hole", m4 == m2);
        long m5 = mm2(0, 8192, RW, PA, -1, 0);
        outb("2-page mmap goes below (hole too small? no hole now)", m5 == m3 - 8192);
        long p2 = mm2(0, 4096, RW, PA, -1, 0);
        sys2(__NR_munmap, p2, 4096);
        long fd = sys2(__NR_open, (long)"/prog", O_RDONLY);
        long fm = mm2(0, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
        outb("file mmap placed like anonymous", fm == p2);
        sys1(__NR_close, fd);
        /* touch every page of 16 MiB */
        volatile char *big = (volatile char *)mm2(0, 16u << 20, RW, PA, -1, 0);
        u32 sum = 0;
        for (u32 o = 0; o < (16u << 20); o += 4096) big[o] = 1;
        for (u32 o = 0; o < (16u << 20); o += 4096) sum += big[o];
        out("16 MiB touched page by page, sum", sum);
        out("munmap 16 MiB", sys2(__NR_munmap, (long)big, 16u << 20));
    }
    /* ---------- fork and mappings ---------- */
    {
        volatile u32 *priv = (volatile u32 *)mm2(0, 4096, RW, PA, -1, 0);
        volatile u32 *shr = (volatile u32 *)mm2(0, 4096, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        priv[0] = 1; shr[0] = 1;
        long pid = sys0(__NR_fork);
        if (pid == 0) { priv[0] = 2; shr[0] = 2; _exit(0); }
        sys3(__NR_waitpid, pid, 0, 0);
        outb("private page after child write unchanged", priv[0] == 1);
        outb("shared page sees child write", shr[0] == 2);
        volatile u32 *late = (volatile u32 *)mm2(0, 8192, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        pid = sys0(__NR_fork);
        if (pid == 0) { late[1024] = 5; _exit(0); }   /* page first touched in the child */
        sys3(__NR_waitpid, pid, 0, 0);
        outb("shared page first touched by child is shared", late[1024] == 5);
    }
    /* ---------- mincore: which pages are in memory ---------- */
    {
        static unsigned char v[8];
        char *a = (char *)mm2(0, 4 * 4096, RW, PA, -1, 0);
        out("mincore unaligned", sys3(__NR_mincore, (long)a + 1, 4096, (long)v));
        out("mincore past user space", sys3(__NR_mincore, 0xbffff000, 0x2000, (long)v));
        out("mincore vec NULL", sys3(__NR_mincore, (long)a, 4096, 0));
        out("mincore len 0", sys3(__NR_mincore, (long)a, 0, (long)v));
        for (int i = 0; i < 8; i++) v[i] = 9;
        out("mincore fresh anonymous", sys3(__NR_mincore, (long)a, 4 * 4096, (long)v));
        outx(".. pages", v[0] | v[1] << 4 | v[2] << 8 | v[3] << 12 | v[4] << 16);
        a[0] = 1;                              /* written */
        (void)*(volatile char *)(a + 4096);    /* read: the zero frame */
        out("mincore after a write and a read", sys3(__NR_mincore, (long)a, 4 * 4096 - 100, (long)v));
        outx(".. pages", v[0] | v[1] << 4 | v[2] << 8 | v[3] << 12 | v[4] << 16);
        sys2(__NR_munmap, (long)a + 2 * 4096, 4096);
        for (int i = 0; i < 8; i++) v[i] = 9;
        out("mincore over a hole", sys3(__NR_mincore, (long)a, 4 * 4096, (long)v));
        outx(".. pages before the hole", v[0] | v[1] << 4);
        char *s2 = (char *)mm2(0, 2 * 4096, RW, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        s2[0] = 1;
        out("mincore shared anonymous", sys3(__NR_mincore, (long)s2, 2 * 4096, (long)v));
        outx(".. pages", v[0] | v[1] << 4);
        long fd = sys3(__NR_open, (long)"/mincore.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
        sys3(__NR_write, fd, (long)"data", 4);
        sys2(__NR_ftruncate, fd, 3 * 4096);
        char *f = (char *)mm2(0, 3 * 4096, RW, MAP_SHARED, fd, 0);
        out("mincore file with holes, untouched", sys3(__NR_mincore, (long)f, 3 * 4096, (long)v));
        outx(".. pages", v[0] | v[1] << 4 | v[2] << 8);
        sys1(__NR_close, fd);
        sys1(__NR_unlink, (long)"/mincore.tmp");
    }
    return 0;
}

/* tls.c: set_thread_area/get_thread_area and the TLS entries of the GDT
 * (6, 7, 8): allocation with entry_number -1, reading through %gs, the
 * round trip, hostile descriptors (16-bit, code, not present, kernel
 * indices, bad pointers), clearing an entry a segment register names,
 * inheritance across fork. */
#include "t.h"

/* struct user_desc: entry_number, base_addr, limit, then the flags word. */
struct udesc { u32 entry, base, limit, flags; };

/* glibc's: 32-bit, writable data, 4 GiB in pages, useable. */
#define DATA32 (1u | 16u | 64u)
/* LDT_empty: read_exec_only | seg_not_present. */
#define EMPTY (8u | 32u)

static u32 tls_word = 0x7105abcd;

static long set_area(struct udesc *d) { return sys1(__NR_set_thread_area, (long)d); }
static long get_area(struct udesc *d) { return sys1(__NR_get_thread_area, (long)d); }

static u32 read_gs0(void) { u32 v; __asm__ volatile("movl %%gs:0, %0" : "=r"(v)); return v; }
static u32 gs_now(void) { u32 v = 0; __asm__ volatile("movl %%gs, %0" : "=r"(v)); return v & 0xffff; }
static void load_gs(u32 sel) { __asm__ volatile("movl %0, %%gs" : : "r"(sel)); }

static int child_reads_tls(long sel)
{
    return gs_now() == (u32)sel && read_gs0() == 0x7105abcd ? 0 : 1;
}

static int child_loads_empty_entry(long sel)
{
    load_gs((u32)sel);
    return 7; /* not reached: the load faults */
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    struct udesc d = { (u32)-1, (u32)&tls_word, 0xfffff, DATA32 };
    out("set_thread_area(-1, data)", set_area(&d));
    out(".. entry chosen", d.entry);
    u32 sel = d.entry << 3 | 3;
    load_gs(sel);
    outb(".. %gs:0 reads the word at the base", read_gs0() == 0x7105abcd);

    struct udesc g = { d.entry, 0, 0, 0 };
    out("get_thread_area(chosen)", get_area(&g));
    outb(".. base back", g.base == (u32)&tls_word);
    outx(".. limit back", g.limit);
    outx(".. flags back", g.flags & 0x7f);

    struct udesc more = { (u32)-1, 0x1000, 0xfff, DATA32 };
    out("set_thread_area(-1) second", set_area(&more));
    out(".. entry", more.entry);
    more.entry = (u32)-1;
    out("set_thread_area(-1) third", set_area(&more));
    out(".. entry", more.entry);
    more.entry = (u32)-1;
    out("set_thread_area(-1) with none free", set_area(&more));
    out(".. entry left as", (long)more.entry);

    struct { const char *name; struct udesc d; } hostile[] = {
        { "16-bit data", { 7, 0x1000, 0xfff, DATA32 & ~1u } },
        { "code (contents 2)", { 7, 0x1000, 0xfff, DATA32 | 2u << 1 } },
        { "conforming code (contents 3)", { 7, 0x1000, 0xfff, DATA32 | 3u << 1 } },
        { "not present", { 7, 0x1000, 0xfff, DATA32 | 32u } },
        { "entry 5", { 5, 0x1000, 0xfff, DATA32 } },
        { "entry 9", { 9, 0x1000, 0xfff, DATA32 } },
        { "entry 12 (kernel code)", { 12, 0, 0xfffff, DATA32 } },
        { "entry 14 (user code)", { 14, 0, 0xfffff, DATA32 } },
        { "entry 0xffffffff-1", { 0xfffffffe, 0, 0xfffff, DATA32 } },
        { "16-bit at a bad index", { 40, 0x1000, 0xfff, 0 } },
        { "expand-down data", { 7, 0x1000, 0xfff, DATA32 | 1u << 1 } },
        { "a kernel base", { 7, 0xc0000000, 0xfffff, DATA32 } },
        { "high bits of flags", { 7, 0x1000, 0xfff, DATA32 | 0xffffff80u } },
    };
    for (unsigned i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        line_t l = {.n = 0};
        l_s(&l, "set_thread_area("); l_s(&l, hostile[i].name); l_s(&l, "): ");
        l_d(&l, set_area(&hostile[i].d));
        l_end(&l);
    }
    out("set_thread_area(NULL)", sys1(__NR_set_thread_area, 0));
    out("set_thread_area(kernel address)", sys1(__NR_set_thread_area, (long)0xc0001000));
    struct udesc q = { 5, 0, 0, 0 };
    out("get_thread_area(5)", get_area(&q));
    q.entry = 9;
    out("get_thread_area(9)", get_area(&q));
    out("get_thread_area(NULL)", sys1(__NR_get_thread_area, 0));
    out("get_thread_area(kernel address)", sys1(__NR_get_thread_area, (long)0xc0001000));

    /* Clearing entry 8, then reading it back. */
    struct udesc clear = { 8, 0, 0, EMPTY };
    out("set_thread_area(8, empty)", set_area(&clear));
    struct udesc r8 = { 8, 1, 1, 1 };
    out("get_thread_area(8) after clearing", get_area(&r8));
    outx(".. base", r8.base);
    outx(".. limit", r8.limit);
    outx(".. flags", r8.flags & 0x7f);
    struct udesc zero = { 8, 0, 0, 0 };
    out("set_thread_area(8, all zero)", set_area(&zero));

    /* A child inherits the entries and %gs; one that loads an empty entry faults. */
    outx("child reading %gs:0 (status)", (u32)run_child(child_reads_tls, sel));
    outx("child loading empty entry 8 into %gs (status)", (u32)run_child(child_loads_empty_entry, 8 << 3 | 3));

    /* Clearing the entry %gs names: %gs is null when the call returns. */
    struct udesc clr = { d.entry, 0, 0, EMPTY };
    out("set_thread_area(chosen, empty) while %gs names it", set_area(&clr));
    outx(".. %gs after", gs_now());
    struct udesc again = { (u32)-1, (u32)&tls_word, 0xfffff, DATA32 };
    out("set_thread_area(-1) after clearing", set_area(&again));
    out(".. entry", again.entry);
    puts1("--- end\n");
    return 0;
}

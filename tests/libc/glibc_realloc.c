/* A glibc program (gcc -m32 -static), unmodified: realloc of a block
 * larger than the mmap threshold (128 KiB) is mremap(MREMAP_MAYMOVE) in
 * glibc, so growing a 1 MiB block to 64 MiB a MiB at a time moves pages,
 * never copies them. Contents are checked at every step; on memguard the
 * fault counters (mg_stats) also show that only the new pages were
 * touched: a realloc that fell back to malloc + copy would fault every
 * page of every new block in (and need twice the memory). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define MIB (1u << 20)
#define WORDS_PER_PAGE 1024u

/* memguard's mg_stats (1000): word 1 counts zero-filled page faults. */
static long demand_zero_faults(void)
{
    uint32_t st[16] = { 0 };
    long r = syscall(1000, 0, st, sizeof st);
    return r == (long)sizeof st ? (long)st[1] : -1;
}

static uint32_t word(size_t i) { return (uint32_t)(i * 2654435761u) ^ 0x5a5a5a5au; }

static void fill(uint32_t *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) p[i] = word(i);
}

/* One word per page, at a place that moves from page to page. */
static int sample_ok(const uint32_t *p, size_t words)
{
    for (size_t i = 0; i < words; i += WORDS_PER_PAGE) {
        size_t j = i + (i / WORDS_PER_PAGE * 37) % WORDS_PER_PAGE;
        if (p[j] != word(j)) return 0;
    }
    return 1;
}

int main(void)
{
    size_t size = MIB;
    uint32_t *p = malloc(size);
    if (!p) { printf("glibc realloc: malloc(1 MiB) failed\n"); return 1; }
    fill(p, 0, size / 4);
    long before = demand_zero_faults();
    int steps = 0, moved = 0;
    while (size < 64 * MIB) {
        size_t grown = size + MIB;
        uint32_t *q = realloc(p, grown);
        if (!q) { printf("glibc realloc: realloc to %zu MiB failed\n", grown / MIB); return 1; }
        moved += q != p;
        if (!sample_ok(q, size / 4)) { printf("glibc realloc: contents lost at %zu MiB\n", grown / MIB); return 1; }
        fill(q, size / 4, grown / 4);
        p = q, size = grown, steps++;
    }
    for (size_t i = 0; i < size / 4; i++)
        if (p[i] != word(i)) { printf("glibc realloc: word %zu wrong at the end\n", i); return 1; }
    long after = demand_zero_faults();
    /* The pages written after the first MiB, plus a few for glibc and the stack. */
    long expected = (long)(63 * MIB / 4096);
    const char *faults = before < 0 ? "not counted (no mg_stats)"
                         : after - before <= expected + 64 ? "only the new pages"
                         : "TOO MANY (copied?)";
    printf("glibc realloc: 1 MiB to 64 MiB in %d steps (%s), contents kept: ok; pages faulted in: %s\n", steps,
           moved ? "moved" : "in place", faults);
    free(p);
    return before >= 0 && after - before > expected + 64;
}

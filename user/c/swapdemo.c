/* swapdemo: a program bigger than RAM, and what swap does for it.
 *
 * It maps one and a half times the machine's RAM (48 MiB at MEM=32M) and
 * writes every page. RAM cannot hold them all, so the kernel writes the
 * pages it has not touched for longest to the swap area (/dev/vda) and
 * puts a swap entry (the slot number) in their page-table entries, which
 * are no longer present. Reading such a page faults (a major fault): the
 * kernel reads the slot back into a free frame and maps it again.
 *
 * /proc/self/pagemap shows it for one early page: present in frame N when
 * written, in swap (bit 62, the slot in bits 5-54) after the rest were
 * written, present again (in some frame) after it is read back (then all
 * the pages are read back, in order), with the
 * words written into it. Counters: VmRSS and VmSwap of /proc/self/status,
 * pswpin/pswpout of /proc/vmstat, ru_majflt, and on memguard its pfstat
 * report. Only the Linux ABI (plus mg_view where the kernel has it), so it
 * runs on Linux too. Swap is turned on (swapon /dev/vda) if it is not on.
 * Start memguard with a swap disk: make run SWAP=256M. */
#include "crt.h"

SYS_START

#define PAGE 4096u
#define MiB (1024u * 1024u)
#define EARLY 256u /* early pages watched through pagemap */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)

static char text[8192];
static unsigned long long before[EARLY], during[EARLY];

/* 32-bit: a 64-bit division would need libgcc. */
static void put_dec(unsigned long v)
{
    char b[12];
    int i = 11;
    b[i] = 0;
    do {
        b[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put_str(b + i);
}

static void say(const char *a, unsigned long v, const char *b)
{
    put_str(a);
    put_dec(v);
    put_str(b);
}

/* Reads path into text; returns the length or -errno. */
static long slurp(const char *path)
{
    long fd = sys3(__NR_open, (long)path, O_RDONLY, 0), n = 0, r;
    if (is_err(fd))
        return fd;
    while (n < (long)sizeof text - 1 && (r = sys3(__NR_read, fd, (long)text + n, sizeof text - 1 - n)) > 0)
        n += r;
    sys1(__NR_close, fd);
    text[n] = 0;
    return n;
}

/* The number after `key` at the start of a line of path, or -1. */
static long field(const char *path, const char *key)
{
    if (slurp(path) <= 0)
        return -1;
    unsigned long k = str_len(key);
    for (const char *l = text; *l;) {
        unsigned long i = 0;
        while (i < k && l[i] == key[i])
            i++;
        if (i == k) {
            const char *s = l + k;
            long v = 0;
            while (*s == ' ' || *s == '\t')
                s++;
            while (*s >= '0' && *s <= '9')
                v = v * 10 + (*s++ - '0');
            return v;
        }
        while (*l && *l != '\n')
            l++;
        if (*l)
            l++;
    }
    return -1;
}

/* Whether /proc/swaps lists an area (a line after the header). */
static int swap_on(void)
{
    if (slurp("/proc/swaps") <= 0)
        return 0;
    const char *l = text;
    while (*l && *l != '\n')
        l++;
    return *l == '\n' && l[1] != 0;
}

/* swapon /dev/vda unless swap is on. On the Linux oracle /proc and
 * /dev/vda may first need making (see tests/progs/swaplib.h). */
static int ensure_swap(void)
{
    struct stat64 st;
    if (is_err(sys2(__NR_stat64, (long)"/proc/self", (long)&st))) {
        sys2(__NR_mkdir, (long)"/proc", 0555);
        sys5(__NR_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
    }
    if (swap_on())
        return 1;
    if (is_err(sys2(__NR_stat64, (long)"/dev/vda", (long)&st)) && slurp("/proc/devices") > 0) {
        for (const char *l = text; *l;) {
            long v = 0;
            while (*l == ' ')
                l++;
            while (*l >= '0' && *l <= '9')
                v = v * 10 + (*l++ - '0');
            const char *w = l + 1;
            if (w[0] == 'v' && w[1] == 'i' && w[2] == 'r' && w[3] == 't' && w[4] == 'b')
                sys3(__NR_mknod, (long)"/dev/vda", S_IFBLK | 0600, v << 8);
            while (*l && *l != '\n')
                l++;
            if (*l)
                l++;
        }
    }
    long r = sys2(__NR_swapon, (long)"/dev/vda", 0);
    return (!is_err(r) || r == -EBUSY) && swap_on();
}

/* Reads the pagemap entries of n pages from p into out. */
static void read_pagemap(const char *p, unsigned n, unsigned long long *out)
{
    long fd = sys3(__NR_open, (long)"/proc/self/pagemap", O_RDONLY, 0);
    unsigned long long off = (unsigned long long)((unsigned long)p / PAGE) * 8;
    for (unsigned i = 0; i < n; i++)
        out[i] = 0;
    if (!is_err(fd)) {
        sys5(__NR_pread64, fd, (long)out, n * 8, (long)(unsigned)off, (long)(unsigned)(off >> 32));
        sys1(__NR_close, fd);
    }
}

static void put_hex(unsigned long v)
{
    char b[11] = "0x";
    for (int i = 0; i < 8; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    put_str(b);
}

static void show_entry(const char *when, const char *page, unsigned long long e)
{
    put_str(when);
    put_str(" ");
    put_hex((unsigned long)page);
    if (e & PM_PRESENT)
        say(": present, frame ", (unsigned long)(e & ((1ULL << 55) - 1)), "\n");
    else if (e & PM_SWAP)
        say(": in swap (bit 62), swap area ", (unsigned long)(e & 31), ""), say(", slot ", (unsigned long)((e >> 5) & ((1ULL << 50) - 1)), "\n");
    else
        put_str(": not mapped\n");
}

static void counters(const char *when)
{
    struct rusage ru;
    sys2(__NR_getrusage, RUSAGE_SELF, (long)&ru);
    put_str(when);
    say(": VmRSS ", (unsigned long)field("/proc/self/status", "VmRSS:"), " kB");
    say(", VmSwap ", (unsigned long)field("/proc/self/status", "VmSwap:"), " kB");
    say(", major faults ", (unsigned long)ru.ru_majflt, "");
    long in = field("/proc/vmstat", "pswpin"), out = field("/proc/vmstat", "pswpout");
    if (in >= 0 && out >= 0)
        say(", pswpin ", (unsigned long)in, ""), say(", pswpout ", (unsigned long)out, "");
    put_str("\n");
}

static unsigned word(const char *p) { return (unsigned)(unsigned long)p * 2654435761u ^ 0x5eed; }

int main(void)
{
    if (!ensure_swap()) {
        put_str("swapdemo: no swap area (start memguard with: make run SWAP=256M)\n");
        return 1;
    }
    struct sysinfo si;
    sys1(__NR_sysinfo, (long)&si);
    unsigned long long ram = (unsigned long long)si.totalram * si.mem_unit;
    unsigned long long swap = (unsigned long long)si.freeswap * si.mem_unit;
    unsigned long long len = ram + ram / 2;
    if (len > ram + swap / 2)
        len = ram + swap / 2;
    len &= ~(unsigned long long)(MiB - 1);
    say("swapdemo: RAM ", (unsigned long)(ram >> 20), " MiB");
    say(", free swap ", (unsigned long)(swap >> 20), " MiB");
    say("; writing ", (unsigned long)(len >> 20), " MiB, page by page\n");
    long m = sys6(__NR_mmap2, 0, (long)len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(m)) {
        put_str("swapdemo: mmap failed\n");
        return 1;
    }
    char *p = (char *)m;
    counters("swapdemo: before");
    for (unsigned long long o = 0; o < len; o += PAGE) {
        *(unsigned *)(p + o) = word(p + o);
        if (o == (EARLY - 1) * PAGE)
            read_pagemap(p, EARLY, before);
    }
    counters("swapdemo: written");
    read_pagemap(p, EARLY, during);
    unsigned k = 0;
    while (k < EARLY && !(during[k] & PM_SWAP))
        k++;
    if (k == EARLY) {
        put_str("swapdemo: none of the first pages went to swap\n");
        return 1;
    }
    char *e = p + k * PAGE;
    show_entry("swapdemo: page at", e, before[k]);
    show_entry("swapdemo: page at", e, during[k]);
    unsigned got = *(volatile unsigned *)e;
    read_pagemap(e, 1, during);
    show_entry("swapdemo: page at", e, during[0]);
    put_str(got == word(e) ? "swapdemo: read back the word written there: it came back from swap\n"
                           : "swapdemo: the word read back is WRONG\n");
    /* That one page may have come from a buffer still holding it (no disk
     * read: a minor fault). Reading every page back, in order, brings the
     * rest from the disk: major faults, 32 slots per read. */
    unsigned wrong = 0;
    for (unsigned long long o = 0; o < len; o += PAGE)
        wrong += *(volatile unsigned *)(p + o) != word(p + o);
    if (wrong) {
        say("swapdemo: ", wrong, " pages read back WRONG\n");
        got = ~word(e);
    }
    counters("swapdemo: read back");
    static char report[4096];
    long n = sys5(MG_NR_VIEW, MG_VIEW_PFSTAT, 0, 0, (long)report, sizeof report);
    if (!is_err(n) && n > 0) {
        put_str("swapdemo: memguard's pfstat:\n");
        sys3(__NR_write, 1, (long)report, n);
    }
    sys2(__NR_munmap, m, (long)len);
    return got == word(e) ? 0 : 1;
}

/* swaplib.h: what the swap test programs (tests/progs/swap*.c) share.
 * Only the Linux i386 ABI, so each program runs unchanged on memguard and
 * on Debian's Linux (bench/linux-run.sh --disk IMG):
 *   - swap_setup(): /proc mounted if it is empty (the Linux oracle's
 *     initramfs mounts nothing), /dev/vda made if missing (block, major
 *     "virtblk" from /proc/devices, minor 0), then swapon("/dev/vda", 0)
 *     unless /proc/swaps already lists an area (EBUSY is fine too);
 *   - the counters: /proc/swaps' "Used" column, sysinfo's freeswap and
 *     freeram, /proc/meminfo fields, all in KiB;
 *   - the data pattern: a word per 4 bytes derived from its address and a
 *     round number, so a page read back from the wrong slot, a stale copy
 *     or a zero-filled page all fail the check;
 *   - check lines: "NAME: check WHAT: ok" or "NAME: check WHAT: FAILED
 *     (detail)", and one last line "NAME: ok" or "NAME: FAILED".
 * Include it from exactly one .c file per program (crt.h defines sys6). */
#ifndef MEMGUARD_SWAPLIB_H
#define MEMGUARD_SWAPLIB_H

#include "crt.h"

/* Each program uses some of these helpers, not all. */
#pragma GCC diagnostic ignored "-Wunused-function"

#define KiB 1024u
#define MiB (1024u * 1024u)
#define PAGE 4096u

static const char *NAME;   /* the program's name, first word of each line */
static int failed;

static void putu(u32 v) {
    char b[12]; int i = 11;
    b[i] = 0;
    do { b[--i] = '0' + v % 10; v /= 10; } while (v);
    puts_(b + i);
}

static void puthex(u32 v) {
    char b[11]; b[0] = '0'; b[1] = 'x';
    for (int i = 0; i < 8; i++) b[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    b[10] = 0;
    puts_(b);
}

/* "NAME: " then s: the start of every line. */
static void head(const char *s) { puts_(NAME); puts_(": "); puts_(s); }
static void say(const char *s) { head(s); puts_("\n"); }
static void say_u(const char *s, u32 v, const char *unit) { head(s); putu(v); puts_(unit); puts_("\n"); }

/* One check line; returns ok. */
static int check(const char *what, int ok) {
    head("check "); puts_(what); puts_(ok ? ": ok\n" : ": FAILED\n");
    if (!ok) failed++;
    return ok;
}

/* The last line and the exit status. */
static __attribute__((noreturn)) void finish(void) {
    head(failed ? "FAILED\n" : "ok\n");
    sys1(__NR_exit_group, failed ? 1 : 0);
    for (;;) {}
}

static __attribute__((noreturn)) void die(const char *why, long err) {
    head("FAILED: "); puts_(why);
    if (err) { puts_(" (errno "); putnum((int)-err); puts_(")"); }
    puts_("\n");
    sys1(__NR_exit_group, 1);
    for (;;) {}
}

/* ---- memory ---- */

static char *map_anon(u32 len, int flags) {
    long p = sys6(__NR_mmap2, 0, len, PROT_READ | PROT_WRITE, flags | MAP_ANONYMOUS, -1, 0);
    if (is_err(p)) die("mmap", p);
    return (char *)p;
}

/* The word stored at address a in round r. */
static inline u32 pattern(u32 a, u32 r) {
    u32 x = a * 2654435761u ^ (r * 0x9e3779b9u + 0x7f4a7c15u);
    x ^= x >> 15; x *= 0x2c1b3c6du; x ^= x >> 12;
    return x;
}

/* Fills / checks one page (every word). check_page returns the first
 * wrong address, 0 if the page is right. */
static void fill_page(char *p, u32 r) {
    u32 *w = (u32 *)p;
    for (u32 i = 0; i < PAGE / 4; i++) w[i] = pattern((u32)(w + i), r);
}
static u32 check_page(const char *p, u32 r) {
    const u32 *w = (const u32 *)p;
    for (u32 i = 0; i < PAGE / 4; i++)
        if (w[i] != pattern((u32)(w + i), r)) return (u32)(w + i);
    return 0;
}

/* Fills / checks len bytes page by page, in address order. check_range
 * prints the first bad address and returns the number of bad pages. */
static void fill_range(char *p, u32 len, u32 r) { for (u32 o = 0; o < len; o += PAGE) fill_page(p + o, r); }
static u32 report_bad(u32 bad, u32 addr, u32 r) {
    if (bad == 0) {
        head("first bad word at "); puthex(addr); puts_(" holds ");
        puthex(*(u32 *)addr); puts_(", wanted "); puthex(pattern(addr, r)); puts_("\n");
    }
    return bad + 1;
}
static u32 check_range(const char *p, u32 len, u32 r) {
    u32 bad = 0, a;
    for (u32 o = 0; o < len; o += PAGE)
        if ((a = check_page(p + o, r)) != 0) bad = report_bad(bad, a, r);
    return bad;
}

/* A full-period permutation of the n pages of a range (n a power of two
 * or not): i -> (i * step + off) mod n with step odd and coprime to n. */
static u32 gcd(u32 a, u32 b) { while (b) { u32 t = a % b; a = b; b = t; } return a; }
static u32 perm_step(u32 n) { u32 s = (n / 3) | 1; while (gcd(s, n) != 1) s += 2; return s; }
/* n is below 2^15 (128 MiB of pages), so i * step fits in 32 bits: no
 * 64-bit division, which -nostdlib cannot link. */
static u32 perm(u32 i, u32 n, u32 step) { return (i * step + 12345u) % n; }

/* ---- files and /proc ---- */

static char text[16384];

/* Reads the whole of path into text (NUL-terminated); returns its length
 * or -errno. */
static long slurp(const char *path) {
    long fd = sys3(__NR_open, (long)path, O_RDONLY, 0), n = 0, r;
    if (is_err(fd)) return fd;
    while (n < (long)sizeof text - 1 && (r = sys3(__NR_read, fd, (long)text + n, sizeof text - 1 - n)) > 0) n += r;
    sys1(__NR_close, fd);
    text[n] = 0;
    return n;
}

static int starts(const char *s, const char *p) { while (*p) if (*s++ != *p++) return 0; return 1; }
static const char *skip_sp(const char *s) { while (*s == ' ' || *s == '\t') s++; return s; }
static const char *skip_word(const char *s) { while (*s && *s != ' ' && *s != '\t' && *s != '\n') s++; return s; }
static u32 num_at(const char *s) { u32 v = 0; s = skip_sp(s); while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'); return v; }

/* The value of "Field:" in /proc/meminfo (KiB), or of "field value" in
 * /proc/vmstat; -1 when the file or the field is missing. */
static long proc_field(const char *path, const char *field) {
    if (slurp(path) <= 0) return -1;
    for (const char *l = text; *l;) {
        if (starts(l, field)) return num_at(l + slen(field));
        while (*l && *l != '\n') l++;
        if (*l) l++;
    }
    return -1;
}

/* /proc/swaps: the number of areas listed and the sum of their "Used"
 * column (KiB). Columns: Filename Type Size Used Priority. */
static u32 swaps_used_kb(int *areas) {
    u32 used = 0;
    *areas = 0;
    if (slurp("/proc/swaps") <= 0) return 0;
    const char *l = text;
    while (*l && *l != '\n') l++;          /* the header line */
    while (*l == '\n') {
        l++;
        if (!*l) break;
        const char *f = l;
        for (int i = 0; i < 3; i++) f = skip_sp(skip_word(f));
        used += num_at(f);
        (*areas)++;
        while (*l && *l != '\n') l++;
    }
    return used;
}

/* sysinfo's fields in KiB (a static, not a returned struct: gcc may copy
 * a struct with memcpy, which -nostdlib does not have). */
static struct sysinfo si_;
static u32 kb(u32 v) { return (u32)(((unsigned long long)v * si_.mem_unit) >> 10); }
static u32 freeswap_kb(void) { sys1(__NR_sysinfo, (long)&si_); return kb(si_.freeswap); }
static u32 totalswap_kb(void) { sys1(__NR_sysinfo, (long)&si_); return kb(si_.totalswap); }
static u32 freeram_kb(void) { sys1(__NR_sysinfo, (long)&si_); return kb(si_.freeram); }
static u32 totalram_kb(void) { sys1(__NR_sysinfo, (long)&si_); return kb(si_.totalram); }

/* /proc, /dev/vda and swapon, as the file's comment says. */
static void swap_setup(void) {
    struct stat64 st;
    if (is_err(sys2(__NR_stat64, (long)"/proc/self", (long)&st))) {
        sys2(__NR_mkdir, (long)"/proc", 0555);
        long r = sys5(__NR_mount, (long)"proc", (long)"/proc", (long)"proc", 0, 0);
        if (is_err(r)) die("mount proc", r);
    }
    int areas;
    swaps_used_kb(&areas);
    if (areas > 0) return;
    if (is_err(sys2(__NR_stat64, (long)"/dev/vda", (long)&st))) {
        u32 major = 0;
        if (slurp("/proc/devices") > 0)
            for (const char *l = text; *l;) {
                const char *w = skip_word(skip_sp(l));
                if (starts(skip_sp(w), "virtblk\n")) major = num_at(l);
                while (*l && *l != '\n') l++;
                if (*l) l++;
            }
        if (!major) die("no /dev/vda and no virtblk in /proc/devices", 0);
        sys2(__NR_mkdir, (long)"/dev", 0755);
        /* mknod's dev argument: Linux's new_encode_dev, which for a major
         * below 4096 and a minor below 256 is major << 8 | minor. */
        long r = sys3(__NR_mknod, (long)"/dev/vda", S_IFBLK | 0600, (long)(major << 8));
        if (is_err(r)) die("mknod /dev/vda", r);
    }
    long r = sys2(__NR_swapon, (long)"/dev/vda", 0);
    if (is_err(r) && r != -EBUSY) die("swapon /dev/vda", r);
    swaps_used_kb(&areas);
    if (areas == 0) die("swapon succeeded but /proc/swaps lists no area", 0);
}

/* Prints "NAME: LABEL: swap used N kB (sysinfo free M kB), MemFree F kB". */
static void show_counters(const char *label) {
    int areas;
    u32 used = swaps_used_kb(&areas);
    head(label); puts_(": swap used "); putu(used); puts_(" kB, free "); putu(freeswap_kb());
    puts_(" kB; MemFree "); putnum((int)proc_field("/proc/meminfo", "MemFree:")); puts_(" kB\n");
}

/* The /proc/self/pagemap entry of address a: bit 63 present (PFN in bits
 * 0-54), bit 62 swapped (swap type in bits 0-4, offset in 5-54); 0 if it
 * cannot be read. */
#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
static unsigned long long pagemap(const void *a) {
    static long fd = -1;
    unsigned long long e = 0;
    if (fd < 0) fd = sys3(__NR_open, (long)"/proc/self/pagemap", O_RDONLY, 0);
    unsigned long long off = (unsigned long long)((u32)a / PAGE) * 8;
    if (is_err(fd) || sys5(__NR_pread64, fd, (long)&e, 8, (long)(u32)off, (long)(u32)(off >> 32)) != 8) return 0;
    return e;
}

static u32 hexnum(const char **s) {
    u32 v = 0;
    for (;; (*s)++) {
        char c = **s;
        if (c >= '0' && c <= '9') v = v * 16 + (u32)(c - '0');
        else if (c >= 'a' && c <= 'f') v = v * 16 + (u32)(c - 'a' + 10);
        else return v;
    }
}

/* Brings this program's own swapped-out pages back with a write each
 * (its .data, .bss and stack went to swap too while memory was short),
 * and writes to its present ones too: a page read back by a read fault is
 * still in the swap cache, holding its slot, and a write fault frees the
 * slot on Linux (do_swap_page) and on memguard. Walks the writable private
 * mappings of /proc/self/maps and touches only pages pagemap shows in
 * swap or present, so nothing new is allocated. Returns the pages touched. */
static u32 own_pages_back(void) {
    static char maps[4096];
    u32 touched = 0;
    if (slurp("/proc/self/maps") <= 0) return 0;
    for (u32 i = 0; i < sizeof maps - 1; i++) maps[i] = text[i];   /* text is reused below */
    maps[sizeof maps - 1] = 0;
    for (const char *l = maps; *l;) {
        u32 lo = hexnum(&l);
        l++;
        u32 hi = hexnum(&l);
        l++;
        if (l[0] == 'r' && l[1] == 'w' && l[3] == 'p')
            for (u32 a = lo; a < hi; a += PAGE)
                if (pagemap((void *)a) & (PM_SWAP | PM_PRESENT)) {
                    volatile u32 *w = (volatile u32 *)a;
                    *w = *w;
                    touched++;
                }
        /* A private read-only page can be on swap too (a page written
         * before its region was made read-only, such as a relocated GOT):
         * reading it back leaves it in the swap cache, which is left out. */
        if (l[0] == 'r' && l[1] != 'w' && l[3] == 'p')
            for (u32 a = lo; a < hi; a += PAGE)
                if (pagemap((void *)a) & PM_SWAP) {
                    (void)*(volatile u32 *)a;
                    touched++;
                }
        while (*l && *l != '\n') l++;
        if (*l) l++;
    }
    return touched;
}

/* Whether the swap slots in use are back to where they were (used0 from
 * /proc/swaps, free0 from sysinfo, both KiB), once the program's own
 * pages are back from swap (own_pages_back). Prints "NAME: WHAT: slots
 * not returned: N kB (/proc/swaps), M kB (sysinfo)" and checks both are
 * at most SLOT_SLACK_KB, the swap cache (/proc/meminfo's SwapCached: pages
 * read back that still hold their slots) left out. The slack is Linux's: mm/swap_slots.c keeps up
 * to 64 allocated and 64 freed slots per CPU in caches that count as used,
 * and a page still being written out when its range goes away stays in the
 * swap cache, holding its slot, until reclaim finds it. Debian 6.1 on one
 * CPU shows up to ~650 kB here. memguard has no slot cache, so its
 * scenarios expect the exact line with 0 kB. */
#define SLOT_SLACK_KB 1024
static int slots_back(const char *what, u32 used0, u32 free0) {
    int areas;
    own_pages_back();
    /* A page read back and still clean keeps its slot in the swap cache
     * (both kernels): that is the slot's owner, not a leak. */
    int cached = (int)proc_field("/proc/meminfo", "SwapCached:");
    int used = (int)swaps_used_kb(&areas) - (int)used0 - cached;
    int fr = (int)free0 - (int)freeswap_kb() - cached;
    head(what); puts_(": slots not returned: "); putnum(used); puts_(" kB (/proc/swaps), ");
    putnum(fr); puts_(" kB (sysinfo)\n");
    return check(what, used <= SLOT_SLACK_KB && fr <= SLOT_SLACK_KB);
}

static void sleep_ms(u32 ms) {
    struct timespec ts = { (long)(ms / 1000), (long)(ms % 1000) * 1000000 };
    sys2(__NR_nanosleep, (long)&ts, 0);
}

/* Waits for pid; returns its raw status. */
static int wait_for(int pid) {
    int status = 0;
    long r;
    while ((r = sys4(__NR_wait4, pid, (long)&status, 0, 0)) == -EINTR) {}
    if (is_err(r)) die("wait4", r);
    return status;
}

#endif

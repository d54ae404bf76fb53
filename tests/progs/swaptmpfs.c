/* swaptmpfs: a tmpfs file bigger than RAM, through swap (Linux's shmem
 * swap). On a tmpfs mounted at /swaptmp (size=100m), 64 MiB (twice
 * MEM=32M) are written with a pattern keyed on the file offset; most of
 * the file must then be on swap. Read back in order; every fourth 64 KiB
 * chunk rewritten with pwrite (writes into pages on swap) and all of it
 * checked again; unlink and umount return every slot. Then a 40 MiB
 * file in /tmp, 8 MiB of it mapped MAP_SHARED and checked through the
 * mapping (faults bring pages back), and unlinked: every slot returns
 * (the root's boot files stay in RAM: src/fs/shmem.rs).
 * Run with swap: 128M. Written for Linux 6.1 too (bench/linux-swaptests.sh),
 * not yet run there. */
#include "swaplib.h"

#define LEN (64 * MiB)
#define CHUNK (64 * KiB)
#define MAPPED (8 * MiB)
#define DIR "/swaptmp"
#define FILE DIR "/big"

static u32 buf[CHUNK / 4];

/* The round of the chunk at off after the rewrite (0: before it). */
static u32 round_of(u32 off, int rewritten) { return rewritten && (off / CHUNK) % 4 == 1 ? 2 : 1; }

static void fill(u32 off, u32 r) {
    for (u32 i = 0; i < CHUNK / 4; i++) buf[i] = pattern(off + 4 * i, r);
}

/* Writes the whole buffer at off (pwrite) or at the offset (write),
 * however many calls it takes. */
static void put(long fd, u32 off, int positioned) {
    for (u32 done = 0; done < CHUNK;) {
        long n = positioned ? sys5(__NR_pwrite64, fd, (long)buf + done, CHUNK - done, off + done, 0)
                            : sys3(__NR_write, fd, (long)buf + done, CHUNK - done);
        if (n <= 0) die(positioned ? "pwrite" : "write", n);
        done += (u32)n;
    }
}

/* Reads the whole file in order; returns the number of bad chunks. */
static u32 read_back(long fd, int rewritten) {
    u32 bad = 0;
    if (is_err(sys3(__NR_lseek, fd, 0, SEEK_SET))) die("lseek", 0);
    for (u32 off = 0; off < LEN; off += CHUNK) {
        for (u32 done = 0; done < CHUNK;) {
            long n = sys3(__NR_read, fd, (long)buf + done, CHUNK - done);
            if (n <= 0) die("read", n);
            done += (u32)n;
        }
        u32 r = round_of(off, rewritten);
        for (u32 i = 0; i < CHUNK / 4; i++)
            if (buf[i] != pattern(off + 4 * i, r)) {
                if (bad == 0) {
                    head("first bad word at file offset "); puthex(off + 4 * i); puts_(" holds ");
                    puthex(buf[i]); puts_(", wanted "); puthex(pattern(off + 4 * i, r)); puts_("\n");
                }
                bad++;
                break;
            }
    }
    return bad;
}

void _start(void) {
    NAME = "swaptmpfs";
    swap_setup();
    /* As slots_back counts at the end: the program's own pages back, the
     * swap cache left out. */
    own_pages_back();
    int areas;
    u32 cached0 = (u32)proc_field("/proc/meminfo", "SwapCached:");
    u32 used0 = swaps_used_kb(&areas) - cached0, free0 = freeswap_kb() + cached0;
    say_u("on swap before the file: ", used0, " kB");
    sys2(__NR_mkdir, (long)DIR, 0755);
    long r = sys5(__NR_mount, (long)"tmpfs", (long)DIR, (long)"tmpfs", 0, (long)"size=100m");
    if (is_err(r)) die("mount tmpfs", r);
    long fd = sys3(__NR_open, (long)FILE, O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (is_err(fd)) die("open", fd);
    for (u32 off = 0; off < LEN; off += CHUNK) {
        fill(off, 1);
        put(fd, off, 0);
    }
    struct stat64 st;
    check("file size", !is_err(sys2(__NR_fstat64, fd, (long)&st)) && st.st_size == LEN);
    u32 used = swaps_used_kb(&areas) - used0, ram = totalram_kb();
    say_u("in swap after writing: ", used / 1024, " MiB");
    check("the file's excess over RAM is on swap", used + ram > LEN / KiB);
    check("read back", read_back(fd, 0) == 0);
    for (u32 off = CHUNK; off < LEN; off += 4 * CHUNK) {
        fill(off, 2);
        put(fd, off, 1);
    }
    check("read back after rewriting every fourth chunk", read_back(fd, 1) == 0);
    sys1(__NR_close, fd);
    show_counters("closed");
    check("unlink", !is_err(sys1(__NR_unlink, (long)FILE)));
    show_counters("unlinked");
    check("umount", !is_err(sys1(__NR_umount, (long)DIR)));
    slots_back("unlink returns every slot", used0, free0);
    /* A second file, 40 MiB, 8 MiB of it read through a shared mapping
     * (faults bring its pages back from swap). */
    fd = sys3(__NR_open, (long)"/tmp/swaptmpfs", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (is_err(fd)) die("open /tmp/swaptmpfs", fd);
    for (u32 off = 0; off < 40 * MiB; off += CHUNK) {
        fill(off, round_of(off, 1));
        put(fd, off, 0);
    }
    long m = sys6(__NR_mmap2, 0, MAPPED, PROT_READ, MAP_SHARED, fd, 0);
    if (is_err(m)) die("mmap", m);
    u32 bad = 0;
    for (u32 off = 0; off < MAPPED; off += 4)
        if (((u32 *)m)[off / 4] != pattern(off, round_of(off, 1))) bad++;
    check("read through a shared mapping", bad == 0);
    sys2(__NR_munmap, m, MAPPED);
    sys1(__NR_close, fd);
    check("unlink the second file", !is_err(sys1(__NR_unlink, (long)"/tmp/swaptmpfs")));
    slots_back("the mapped file's unlink returns every slot", used0, free0);
    finish();
}

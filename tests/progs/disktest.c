/* The disk as a program sees it through /dev/vda, checked the way Linux
 * behaves (tests/scenarios/disk_*.scn attach the disk):
 *   disktest          a swap image (mkswap'd): the header through the block
 *                     device, sizes (fstat, BLKGETSIZE64, lseek SEEK_END),
 *                     byte-exact writes and reads at unaligned offsets and
 *                     across sector and page boundaries, the end of the
 *                     device, and another process that runs while this one
 *                     waits for the disk (the kernel sleeps, not spins);
 *   disktest nodisk   no disk attached: no /dev/vda, the rest as before;
 *   disktest errors   a disk whose sector 2048 fails (QEMU's blkdebug):
 *                     EIO for the task that reads it, a short count for a
 *                     read that reaches it, everyone else unharmed. */
#include <stddef.h> /* size_t, for BLKGETSIZE64 */
#include "crt.h"

#define SECTOR 512
#define PAGE 4096

static int sys_open(const char *p, int flags) { return sys3(__NR_open, (long)p, flags, 0); }
static int sys_close(int fd) { return sys1(__NR_close, fd); }
static int sys_read(int fd, void *b, int n) { return sys3(__NR_read, fd, (long)b, n); }
static int sys_ioctl(int fd, unsigned req, void *arg) { return sys3(__NR_ioctl, fd, req, (long)arg); }
static int sys_fstat64(int fd, struct stat64 *st) { return sys2(__NR_fstat64, fd, (long)st); }
static int sys_fsync(int fd) { return sys1(__NR_fsync, fd); }
static int sys_kill(int pid, int sig) { return sys2(__NR_kill, pid, sig); }
static int pread(int fd, void *b, int n, unsigned long long off) {
    return sys5(__NR_pread64, fd, (long)b, n, (long)(off & 0xffffffff), (long)(off >> 32));
}
static int pwrite(int fd, const void *b, int n, unsigned long long off) {
    return sys5(__NR_pwrite64, fd, (long)b, n, (long)(off & 0xffffffff), (long)(off >> 32));
}
/* _llseek: the 64-bit position, or -errno. */
static long long seek(int fd, long long off, int whence) {
    long long result;
    long r = sys5(__NR__llseek, fd, (long)(off >> 32), (long)(off & 0xffffffff), (long)&result, whence);
    return r < 0 ? r : result;
}
static void *map_shared(int len) {
    return (void *)sys6(__NR_mmap2, 0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
}

static int failed;
static void check(const char *what, long long got, long long want) {
    puts_(what); puts_(": "); putnum((int)got);
    if (got != want) { puts_("  WRONG, expected "); putnum((int)want); failed = 1; }
    puts_("\n");
}
static void say(const char *what, unsigned v) { puts_(what); putnum((int)v); puts_("\n"); }
static int same(const unsigned char *a, const unsigned char *b, int n) {
    for (int i = 0; i < n; i++)
        if (a[i] != b[i]) return 0;
    return 1;
}
static unsigned seed = 12345;
static unsigned char next_byte(void) { seed = seed * 1103515245 + 12345; return seed >> 16; }

/* Linux's swap header (include/linux/swap.h): the magic ends the first page,
 * the fields start after 1024 boot bytes. */
struct swap_info { u32 version, last_page, nr_badpages; unsigned char uuid[16]; char volume[16]; };

static unsigned long long header_and_sizes(int fd) {
    struct stat64 st;
    check("fstat", sys_fstat64(fd, &st), 0);
    check("  S_ISBLK", S_ISBLK(st.st_mode), 1);
    check("  st_rdev is 254:0", st.st_rdev == 0xfe00, 1);
    check("  st_size (0 for a block device)", st.st_size, 0);
    unsigned long long size = 0;
    unsigned long sectors = 0;
    int ssz = 0;
    check("BLKGETSIZE64", sys_ioctl(fd, BLKGETSIZE64, &size), 0);
    say("  bytes/4096: ", (unsigned)(size / 4096));
    check("BLKGETSIZE", sys_ioctl(fd, BLKGETSIZE, &sectors), 0);
    check("  sectors * 512 == size", (unsigned long long)sectors * 512 == size, 1);
    check("BLKSSZGET", sys_ioctl(fd, BLKSSZGET, &ssz), 0);
    check("  logical sector size", ssz, 512);
    check("TCGETS on a disk", sys_ioctl(fd, TCGETS, &ssz), -ENOTTY);
    check("lseek SEEK_END == size", seek(fd, 0, SEEK_END) == (long long)size, 1);
    check("lseek past the end", seek(fd, size + 1, SEEK_SET), -EINVAL);
    check("SEEK_DATA at the end", seek(fd, size, SEEK_DATA), -ENXIO);

    char magic[11] = {0};
    check("pread 10 bytes at 4086", pread(fd, magic, 10, 4086), 10);
    puts_("  magic: "); puts_(magic); puts_("\n");
    check("  SWAPSPACE2", same((unsigned char *)magic, (unsigned char *)"SWAPSPACE2", 10), 1);
    struct swap_info h;
    check("pread the swap header at 1024", pread(fd, &h, sizeof h, 1024), sizeof h);
    check("  version", h.version, 1);
    check("  last_page == pages - 1", h.last_page == size / PAGE - 1, 1);
    check("  nr_badpages", h.nr_badpages, 0);
    int uuid_set = 0;
    for (int i = 0; i < 16; i++) uuid_set |= h.uuid[i];
    check("  uuid set by mkswap", uuid_set != 0, 1);
    return size;
}

/* A region past the header, written at awkward places and read back
 * against a copy kept in memory. */
#define REGION (1 << 20)
#define REGION_LEN (3 * PAGE + 1000)
static unsigned char model[REGION_LEN], back[REGION_LEN], chunk[REGION_LEN];

static void patterns(int fd) {
    check("pread the region", pread(fd, model, REGION_LEN, REGION), REGION_LEN);
    static const int where[][2] = {
        {0, 1}, {511, 2}, {513, 510}, {1000, 3000}, {4095, 2}, {4000, 5000},
        {8191, 4097}, {13, 700}, {PAGE, PAGE}, {3 * PAGE - 1, 1001},
    };
    int ok = 1;
    for (unsigned i = 0; i < sizeof where / sizeof where[0]; i++) {
        int off = where[i][0], len = where[i][1];
        for (int j = 0; j < len; j++) chunk[j] = next_byte();
        if (pwrite(fd, chunk, len, REGION + off) != len) ok = 0;
        for (int j = 0; j < len; j++) model[off + j] = chunk[j];
    }
    check("10 unaligned pwrites", ok, 1);
    check("read back in one pread", pread(fd, back, REGION_LEN, REGION), REGION_LEN);
    check("  what was written, and nothing else changed", same(back, model, REGION_LEN), 1);
    /* read() in 7-byte steps from the file position. */
    check("lseek to the region", seek(fd, REGION, SEEK_SET) == REGION, 1);
    int got = 0, n;
    while (got < REGION_LEN && (n = sys_read(fd, back + got, REGION_LEN - got < 7 ? REGION_LEN - got : 7)) > 0) got += n;
    check("read() in 7-byte steps", got, REGION_LEN);
    check("  the same bytes", same(back, model, REGION_LEN), 1);
    check("  the position moved", seek(fd, 0, SEEK_CUR) == REGION + REGION_LEN, 1);
    /* write() at the position moves it. */
    check("lseek to region + 100", seek(fd, REGION + 100, SEEK_SET) == REGION + 100, 1);
    check("write 3 bytes", sys_write(fd, "abc", 3), 3);
    check("  the position moved", seek(fd, 0, SEEK_CUR) == REGION + 103, 1);
    check("pread them", pread(fd, back, 3, REGION + 100), 3);
    check("  abc", same(back, (unsigned char *)"abc", 3), 1);
    check("fsync", sys_fsync(fd), 0);
}

static void the_end(int fd, unsigned long long size) {
    char b[100];
    check("pread at the end", pread(fd, b, 10, size), 0);
    check("pread across the end", pread(fd, b, 100, size - 10), 10);
    check("pwrite at the end", pwrite(fd, b, 1, size), -ENOSPC);
    check("pwrite across the end", pwrite(fd, "xyz", 3, size - 2), 2);
    check("pwrite of nothing at the end", pwrite(fd, b, 0, size), 0);
}

/* Another process counts while this one reads: if the kernel spun while the
 * disk worked, the count could not move during a read. */
static void sleeps(int fd) {
    volatile u32 *counter = map_shared(PAGE);
    check("mmap shared", (long)counter > 0 || (long)counter < -4095, 1);
    *counter = 0;
    int pid = sys_fork();
    if (pid == 0) {
        for (;;) (*counter)++;
    }
    while (*counter == 0) {}
    int moved = 0;
    for (int i = 0; i < 40; i++) {
        u32 before = *counter;
        pread(fd, back, PAGE, (unsigned long long)(i + 8) * PAGE * 3);
        moved += *counter != before;
    }
    sys_kill(pid, SIGKILL);
    int st;
    sys_waitpid(pid, &st, 0);
    say("the other process counted during this many of 40 disk reads: ", moved);
    check("  it ran while this one slept", moved >= 36, 1);
}

static void nodisk(void) {
    check("open /dev/vda", sys_open("/dev/vda", O_RDONLY), -ENOENT);
    int fd = sys_open("/dev/null", O_RDWR);
    check("open /dev/null", fd >= 0, 1);
    check("write to /dev/null", sys_write(fd, "x", 1), 1);
}

static void errors(void) {
    int fd = sys_open("/dev/vda", O_RDWR);
    check("open /dev/vda", fd >= 0, 1);
    unsigned char b[2 * SECTOR];
    check("pread sector 0", pread(fd, b, SECTOR, 0), SECTOR);
    check("pread sector 2048 (fails on the device)", pread(fd, b, SECTOR, 2048 * SECTOR), -EIO);
    check("pread from 2047 up to 2048: the good part", pread(fd, b, 2 * SECTOR, 2047 * SECTOR), SECTOR);
    check("pwrite sector 2048", pwrite(fd, b, SECTOR, 2048 * SECTOR), -EIO);
    check("pwrite 3 bytes into 2048 (its read fails)", pwrite(fd, "abc", 3, 2048 * SECTOR + 5), -EIO);
    /* A child hits the bad sector; this process reads on. */
    int pid = sys_fork();
    if (pid == 0) {
        int r = pread(fd, b, SECTOR, 2048 * SECTOR);
        sys_exit(r == -EIO ? 7 : 1);
    }
    int good = 0;
    for (int i = 0; i < 16; i++) good += pread(fd, b, SECTOR, i * 8 * SECTOR) == SECTOR;
    int st;
    sys_waitpid(pid, &st, 0);
    check("child's read of sector 2048: exit 7 (EIO)", (st >> 8) & 0xff, 7);
    check("this process's 16 reads elsewhere", good, 16);
    check("pwrite sector 4 still works", pwrite(fd, "ok", 2, 4 * SECTOR), 2);
}

void disk_main(u32 *sp) {
    int argc = (int)sp[0];
    char **argv = (char **)(sp + 1);
    const char *mode = argc > 1 ? argv[1] : "";
    if (mode[0] == 'n') {
        nodisk();
    } else if (mode[0] == 'e') {
        errors();
    } else {
        int fd = sys_open("/dev/vda", O_RDWR);
        check("open /dev/vda", fd >= 0, 1);
        if (fd < 0) sys_exit(1);
        unsigned long long size = header_and_sizes(fd);
        patterns(fd);
        the_end(fd, size);
        sleeps(fd);
        check("close", sys_close(fd), 0);
    }
    puts_(failed ? "disktest: FAILED\n" : "disktest: ok\n");
    sys_exit(failed);
}

/* The entry: hand the initial stack (argc, argv...) to disk_main. */
__asm__(".globl _start\n_start:\n\tmovl %esp, %eax\n\tandl $-16, %esp\n\tpushl %eax\n\tpushl %eax\n\tpushl %eax\n\tpushl %eax\n\tcall disk_main\n");

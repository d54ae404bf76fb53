/* Splits one mapping into as many regions as the kernel allows: mprotect
 * of every other page. Like Linux (vm.max_map_count = 65530), the kernel
 * refuses with ENOMEM past its limit instead of running out of heap. */
#include "crt.h"

static int sys_mmap2(int addr, int len, int prot, int flags, int fd, int off) {
    return sys6(__NR_mmap2, addr, len, prot, flags, fd, off);
}

void _start(void) {
    const int pages = 140000;
    int base = sys_mmap2(0, pages * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(base)) { puts_("manymaps: mmap failed\n"); sys_exit(2); }
    int i, r = 0;
    for (i = 0; i < pages; i += 2) {
        r = sys3(__NR_mprotect, base + i * 4096, 4096, PROT_NONE);
        if (r != 0) break;
    }
    puts_("manymaps: mprotect failed with ");
    putnum(r);
    puts_(" after ");
    putnum(i / 2);
    puts_(" splits\n");
    /* Unmapping it all still works, and so does a fresh mapping. */
    int u = sys2(__NR_munmap, base, pages * 4096);
    int m = sys_mmap2(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    puts_("manymaps: munmap ");
    putnum(u);
    puts_(", then mmap ");
    puts_(!is_err(m) ? "ok\n" : "failed\n");
    if (is_err(m)) putnum(m);
    puts_(u == 0 && !is_err(m) ? "manymaps: unmapped and mapped again\n" : "manymaps: FAILED after\n");
    sys_exit(r == -ENOMEM && u == 0 && !is_err(m) ? 0 : 1);
}

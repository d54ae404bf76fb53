/* Splits one mapping into as many regions as the kernel allows: mprotect
 * of every other page. Like Linux (vm.max_map_count = 65530), the kernel
 * refuses with ENOMEM past its limit instead of running out of heap. */
#include "sys.h"

static int sys_mmap2(int addr, int len, int prot, int flags, int fd, int off) {
    int r;
    __asm__ volatile("push %%ebp\n\tmov %7, %%ebp\n\tint $0x80\n\tpop %%ebp"
                     : "=a"(r) : "a"(192), "b"(addr), "c"(len), "d"(prot), "S"(flags), "D"(fd), "g"(off) : "memory");
    return r;
}

void _start(void) {
    const int pages = 140000;
    int base = sys_mmap2(0, pages * 4096, 1, 0x22, -1, 0);
    if (base < 0 && base > -4096) { puts_("manymaps: mmap failed\n"); sys_exit(2); }
    int i, r = 0;
    for (i = 0; i < pages; i += 2) {
        r = sys3(125, base + i * 4096, 4096, 0);
        if (r != 0) break;
    }
    puts_("manymaps: mprotect failed with ");
    putnum(r);
    puts_(" after ");
    putnum(i / 2);
    puts_(" splits\n");
    /* Unmapping it all still works, and so does a fresh mapping. */
    int u = sys3(91, base, pages * 4096, 0);
    int m = sys_mmap2(0, 4096, 3, 0x22, -1, 0);
    puts_("manymaps: munmap ");
    putnum(u);
    puts_(", then mmap ");
    puts_(m > 0 || m < -4095 ? "ok\n" : "failed\n");
    if (!(m > 0 || m < -4095)) putnum(m);
    puts_(u == 0 && (m > 0 || m < -4095) ? "manymaps: unmapped and mapped again\n" : "manymaps: FAILED after\n");
    sys_exit(r == -12 && u == 0 && (m > 0 || m < -4095) ? 0 : 1);
}

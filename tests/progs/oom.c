/* A child maps far more memory than exists (MAP_NORESERVE: Linux would
 * refuse the mapping otherwise) and writes to all of it: it must
 * be killed (SIGKILL, "out of memory"), not the kernel, and its memory must
 * come back. Run with a small MEM. */
#include "sys.h"

static int sys_mmap2(int addr, int len, int prot, int flags, int fd, int off) {
    int r;
    __asm__ volatile("push %%ebp\n\tmov %7, %%ebp\n\tint $0x80\n\tpop %%ebp"
                     : "=a"(r) : "a"(192), "b"(addr), "c"(len), "d"(prot), "S"(flags), "D"(fd), "g"(off) : "memory");
    return r;
}

static unsigned free_bytes(void) {
    unsigned si[16];
    sys3(116, (int)si, 0, 0);
    return si[5];
}

void _start(void) {
    unsigned before = free_bytes();
    int pid = sys_fork();
    if (pid == 0) {
        char *p = (char *)sys_mmap2(0, 0x60000000, 3, 0x22 | 0x4000 /* MAP_NORESERVE */, -1, 0);
        if ((int)p < 0 && (int)p > -4096) { puts_("oom: mmap failed\n"); sys_exit(3); }
        for (unsigned i = 0; i < 0x60000000u; i += 4096) p[i] = 1;
        puts_("oom: wrote 1.5 GiB?!\n");
        sys_exit(4);
    }
    int status = 0;
    sys_waitpid(pid, &status, 0);
    unsigned after = free_bytes();
    puts_("oom: child status ");
    putnum(status);
    puts_((status & 0x7f) == 9 ? " (killed by SIGKILL)\n" : " (UNEXPECTED)\n");
    puts_(after == before ? "oom: all memory came back\n" : "oom: memory LEAKED\n");
    sys_exit((status & 0x7f) == 9 && after == before ? 0 : 1);
}

/* A child maps far more memory than exists (MAP_NORESERVE: Linux would
 * refuse the mapping otherwise) and writes to all of it: it must
 * be killed (SIGKILL, "out of memory"), not the kernel, and its memory must
 * come back. Run with a small MEM. */
#include "crt.h"

static int sys_mmap2(int addr, int len, int prot, int flags, int fd, int off) {
    return sys6(__NR_mmap2, addr, len, prot, flags, fd, off);
}

/* Free memory, in sysinfo's mem_unit (the same unit before and after). */
static unsigned free_bytes(void) {
    struct sysinfo si;
    sys1(__NR_sysinfo, (long)&si);
    return si.freeram;
}

void _start(void) {
    unsigned before = free_bytes();
    int pid = sys_fork();
    if (pid == 0) {
        char *p = (char *)sys_mmap2(0, 0x60000000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (is_err((long)p)) { puts_("oom: mmap failed\n"); sys_exit(3); }
        for (unsigned i = 0; i < 0x60000000u; i += 4096) p[i] = 1;
        puts_("oom: wrote 1.5 GiB?!\n");
        sys_exit(4);
    }
    int status = 0;
    sys_waitpid(pid, &status, 0);
    unsigned after = free_bytes();
    puts_("oom: child status ");
    putnum(status);
    puts_((status & 0x7f) == SIGKILL ? " (killed by SIGKILL)\n" : " (UNEXPECTED)\n");
    puts_(after == before ? "oom: all memory came back\n" : "oom: memory LEAKED\n");
    sys_exit((status & 0x7f) == SIGKILL && after == before ? 0 : 1);
}

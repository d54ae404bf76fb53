/* pftouch: the page faults the gdb test inspects (tools/gdb-test.sh). Maps
 * two anonymous pages at a fixed address and stores a word into the first:
 * the first touch is a demand-zero fault at exactly PF_ADDR with error code
 * NP|W|U. pf_touch labels the faulting store (the EIP the kernel records),
 * pf_recorded the instruction after it, where gdb stops and runs `pf`:
 * the kernel has resolved the fault and nothing has faulted since. Then it
 * reads the second page (a zero-page read fault), from pf_read to
 * pf_read_done, which gdb's `cost` counts. */
#include "crt.h"

#define PF_PAGE 0x5a5a5000u
#define PF_ADDR 0x5a5a5abcu

void _start(void) {
    /* old_mmap takes its six arguments in memory. */
    u32 args[6] = { PF_PAGE, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS, (u32)-1, 0 };
    if (sys1(__NR_mmap, (long)args) != (int)PF_PAGE) {
        puts_("pftouch: mmap failed\n");
        sys_exit(1);
    }
    __asm__ volatile(
        ".globl pf_touch\npf_touch:\n\t"
        "movl $42, (%0)\n"
        ".globl pf_recorded\npf_recorded:"
        : : "r"(PF_ADDR) : "memory");
    puts_("pftouch: stored 42 at 0x5a5a5abc\n");
    u32 second;
    __asm__ volatile(
        ".globl pf_read\npf_read:\n\t"
        "movl (%1), %0\n"
        ".globl pf_read_done\npf_read_done:"
        : "=r"(second) : "r"(PF_PAGE + 4096) : "memory");
    if (second != 0)
        sys_exit(1);
    sys_exit(*(volatile u32 *)PF_ADDR == 42 ? 0 : 1);
}

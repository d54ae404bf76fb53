/* segvfix: a user-level page-fault handler, the way garbage collectors,
 * distributed shared memory and user-space pagers use the MMU.
 *
 * Four pages are mapped PROT_NONE. The program writes one word to each. Every
 * first write faults: the kernel finds a region that forbids the access and,
 * since the program installed a SIGSEGV handler with SA_SIGINFO, sends the
 * signal instead of killing: si_addr holds CR2, si_code SEGV_ACCERR. The
 * handler mprotect()s that one page read-write and returns; rt_sigreturn
 * restores the registers and the CPU runs the faulting `mov` again, which
 * now succeeds. `pte` before and after shows the protection bits change.
 *
 * Exit 0 when all four writes landed after exactly four faults. */
#include "crt.h"

SYS_START

#define PAGES 4
#define PAGE 4096u

/* What the handler gets (siginfo_t's first fields), and struct sigaction
 * as rt_sigaction reads it (handler, flags, restorer, 64-bit mask). */
struct siginfo_view {
    int signo, errno_, code;
    unsigned long addr; /* si_addr for SIGSEGV */
    int pad[28];
};
struct ksigaction {
    void (*handler)(int, struct siginfo_view *, void *);
    unsigned long flags;
    void (*restorer)(void);
    unsigned int mask[2];
};

/* The restorer: what `ret` from the handler jumps to. */
void restorer(void);
__asm__(".globl restorer\nrestorer:\n movl $173, %eax\n int $0x80\n");

static unsigned long base;
static volatile int faults;
static volatile unsigned long last_addr;
static volatile int last_code;

static void put_hex(unsigned long v)
{
    char b[11] = "0x00000000";
    for (int i = 0; i < 8; i++)
        b[9 - i] = "0123456789abcdef"[(v >> (4 * i)) & 15];
    put_str(b);
}

static void put_dec(unsigned long v)
{
    char b[12];
    int i = 11;
    b[i] = 0;
    do b[--i] = '0' + v % 10; while (v /= 10);
    put_str(b + i);
}

/* The PTE of `va` in this process, as the kernel's page walk sees it. */
static void show_pte(const char *when, unsigned long va)
{
    struct mg_translation t = {0};
    put_str(when);
    if (is_err(sys3(MG_NR_TRANSLATE, 0, (long)va, (long)&t))) {
        put_str(" (mg_translate unavailable: not memguard)\n");
        return;
    }
    put_str(" PTE ");
    put_hex(t.pte);
    if (t.pte == 0) {
        put_str(" (empty: not present, nothing mapped yet)\n");
        return;
    }
    put_str(t.pte & 1 ? " P" : " -");
    put_str(t.pte & 2 ? " RW" : " RO");
    put_str(t.pte & 4 ? " U\n" : " S\n");
}

static void on_segv(int sig, struct siginfo_view *si, void *uc)
{
    (void)sig, (void)uc;
    faults++;
    last_addr = si->addr;
    last_code = si->code;
    unsigned long page = si->addr & ~(PAGE - 1);
    put_str("  handler: SIGSEGV at ");
    put_hex(si->addr);
    put_str(si->code == 2 ? " (SEGV_ACCERR: the region forbids it)" : " (SEGV_MAPERR: nothing mapped)");
    put_str(", mprotect(");
    put_hex(page);
    put_str(", 4096, RW) and return\n");
    if (page < base || page >= base + PAGES * PAGE ||
        is_err(sys3(__NR_mprotect, (long)page, PAGE, PROT_READ | PROT_WRITE))) {
        put_str("  handler: not ours, giving up\n");
        sys_exit(3);
    }
}

int main(void)
{
    long r = sys6(__NR_mmap2, 0, PAGES * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (is_err(r)) {
        put_str("segvfix: mmap failed\n");
        return 1;
    }
    base = (unsigned long)r;
    struct ksigaction sa = {on_segv, 0x04000000 /* SA_RESTORER */ | 4 /* SA_SIGINFO */, restorer, {0, 0}};
    if (is_err(sys4(__NR_rt_sigaction, 11, (long)&sa, 0, 8))) {
        put_str("segvfix: rt_sigaction failed\n");
        return 1;
    }
    put_str("segvfix: 4 pages at ");
    put_hex(base);
    put_str(" mapped PROT_NONE; SIGSEGV handler installed\n");
    int ok = 1;
    for (int i = 0; i < PAGES; i++) {
        volatile unsigned long *p = (volatile unsigned long *)(base + i * PAGE + 8 * i);
        if (i == 0)
            show_pte("  page 0 before:", (unsigned long)p);
        put_str("write to ");
        put_hex((unsigned long)p);
        put_str("\n");
        *p = 0xC0DE0000u + i; /* faults once, then runs again and lands */
        if (i == 0)
            show_pte("  page 0 after: ", (unsigned long)p);
        ok &= *p == 0xC0DE0000u + i && last_addr == (unsigned long)p && last_code == 2;
    }
    put_str("segvfix: ");
    put_dec(faults);
    put_str(" faults handled, every write landed at the address the handler saw: ");
    ok &= faults == PAGES;
    put_str(ok ? "ok\n" : "FAILED\n");
    return ok ? 0 : 1;
}

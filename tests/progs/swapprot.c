/* swapprot: mprotect over pages that are in swap. 48 MiB (more than
 * MEM=32M) are written; the first page that /proc/self/pagemap shows in
 * swap (bit 62) starts a 4 MiB range made PROT_READ. Checks: mprotect
 * leaves the page in swap; a write to it raises SIGSEGV with si_addr the
 * written address and si_code SEGV_ACCERR (the handler then makes the page
 * writable, so the write completes when it returns); reading the rest of
 * the range brings the right words back from swap; a write to a
 * read-only page that came back from swap faults the same way. Run with
 * swap: 128M. */
#include "swaplib.h"

#define LEN (48 * MiB)
#define RO (4 * MiB)

struct ksigaction { u32 handler, flags, restorer, mask[2]; };
#include <asm/siginfo.h>    /* siginfo_t, SEGV_ACCERR */

/* rt_sigreturn for the handler's return (SA_RESTORER, as libc does). */
extern char restorer[];
__asm__(".text\nrestorer:\n  mov $" "173" ", %eax\n  int $0x80\n");
_Static_assert(__NR_rt_sigreturn == 173, "restorer's number");

static volatile u32 faults, fault_addr, fault_code, fault_sig;

static void on_segv(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    faults++;
    fault_sig = sig;
    fault_addr = (u32)si->si_addr;
    fault_code = si->si_code;
    /* Let the write through when the handler returns. */
    sys3(__NR_mprotect, (long)((u32)si->si_addr & ~(PAGE - 1)), PAGE, PROT_READ | PROT_WRITE);
}

/* Writes v at a, expecting one SIGSEGV with SEGV_ACCERR at a; then checks
 * the word and the rest of its page. */
static void write_expect_segv(const char *what, volatile u32 *a, u32 v) {
    u32 before = faults;
    *a = v;
    head(what); puts_(": SIGSEGV si_addr "); puthex(fault_addr); puts_(" si_code ");
    putnum((int)fault_code); puts_("\n");
    check("the write raised one SIGSEGV", faults == before + 1 && fault_sig == SIGSEGV);
    check("si_addr is the written address", fault_addr == (u32)a);
    check("si_code is SEGV_ACCERR", fault_code == SEGV_ACCERR);
    u32 saved = *a;
    *a = pattern((u32)a, 1);
    check("the write landed after the handler, the page is otherwise intact",
          saved == v && check_page((char *)((u32)a & ~(PAGE - 1)), 1) == 0);
}

void _start(void) {
    NAME = "swapprot";
    swap_setup();
    struct ksigaction sa = { (u32)on_segv, SA_SIGINFO | 0x04000000 /* SA_RESTORER */, (u32)restorer, {0, 0} };
    long r = sys4(__NR_rt_sigaction, SIGSEGV, (long)&sa, 0, 8);
    if (is_err(r)) die("rt_sigaction", r);
    char *p = map_anon(LEN, MAP_PRIVATE);
    fill_range(p, LEN, 1);
    char *s = 0;
    for (u32 o = 0; o + RO <= LEN && !s; o += PAGE)
        if (pagemap(p + o) & PM_SWAP) s = p + o;
    if (!check("a page is in swap (pagemap bit 62)", s != 0)) finish();
    r = sys3(__NR_mprotect, (long)s, RO, PROT_READ);
    check("mprotect PROT_READ over swapped pages", r == 0);
    check("mprotect leaves the page in swap", (pagemap(s) & PM_SWAP) != 0);
    write_expect_segv("write to a swapped-out read-only page", (u32 *)(s + 100), 0xdeadbeef);
    check("the other read-only pages read back right", check_range(s + PAGE, RO - PAGE, 1) == 0);
    char *t = s + 5 * PAGE;
    check("a read-only page is present again after the read", (pagemap(t) & PM_PRESENT) != 0);
    write_expect_segv("write to a read-only page back from swap", (u32 *)(t + 2000), 0x12345678);
    check("no other SIGSEGV", faults == 2);
    check("the whole mapping reads back right", check_range(p, LEN, 1) == 0);
    finish();
}

/* sigfault.c: faults as catchable signals and sigreturn as a privilege
 * boundary. A SA_SIGINFO handler sees each fault's siginfo (si_signo,
 * si_code, si_addr) and sigcontext (trapno, err, eip, cr2) and resumes at
 * fault_ret, or makes the page writable and lets the instruction run again.
 * Children: faults with the signal ignored or blocked, a refault in the
 * handler, signal frames that cannot be written (bad esp, stack and
 * altstack overflow), handlers that put kernel selectors, RPL 0 selectors,
 * IOPL, TF, a kernel eip into the context they return to, forged
 * sigreturn frames. Children report through a shared page; the parent
 * prints their raw wait status. */
#include "t.h"
#include "sig.h"

static volatile u32 *shm;

/* Fault sites: leaf functions, so that fault_ret's ret goes back to the
 * caller. *_i is the faulting instruction, *_after the one after a trap. */
extern char fault_ret[], f_read_i[], f_write_i[], f_div0_i[], f_idiv_i[], f_ud2_i[], f_int3_after[],
    f_int3b_after[], f_into_after[], f_hlt_i[], f_in_i[], f_bad_ds_i[], f_int81_i[];
long f_read(long), f_write(long), f_exec(long), f_div0(long), f_idiv(long), f_ud2(long), f_int3(long),
    f_int3b(long), f_into(long), f_hlt(long), f_in(long), f_bad_ds(long), f_int81(long);
__asm__(".text\n"
        "fault_ret: mov $0xfa17, %eax\n ret\n"
        "f_read: mov 4(%esp), %ecx\nf_read_i: mov (%ecx), %eax\n ret\n"
        "f_write: mov 4(%esp), %ecx\nf_write_i: movl $0x5a5a, (%ecx)\n xor %eax, %eax\n ret\n"
        "f_exec: mov 4(%esp), %ecx\n jmp *%ecx\n"
        "f_div0: xor %ecx, %ecx\n mov $1, %eax\n xor %edx, %edx\nf_div0_i: div %ecx\n ret\n"
        "f_idiv: mov $0x80000000, %eax\n mov $-1, %ecx\n cdq\nf_idiv_i: idiv %ecx\n ret\n"
        "f_ud2:\nf_ud2_i: ud2\n ret\n"
        "f_int3: int3\nf_int3_after: ret\n"
        "f_int3b: .byte 0xcd, 0x03\nf_int3b_after: ret\n"
        "f_into: mov $0x7fffffff, %eax\n add $1, %eax\n into\nf_into_after: ret\n"
        "f_hlt:\nf_hlt_i: hlt\n ret\n"
        "f_in:\nf_in_i: inb $0x80, %al\n ret\n"
        "f_bad_ds: mov $0x1234, %eax\nf_bad_ds_i: mov %eax, %ds\n ret\n"
        "f_int81:\nf_int81_i: int $0x81\n ret\n");

/* kill_on_stack(esp, pid, sig): kill(pid, sig) with esp = the given value;
 * exits 0x42 if it comes back. sigreturn_at(esp, nr): int 0x80 with eax =
 * nr and esp = the given value. forged_land: exit(eax). */
extern char forged_land[];
void kill_on_stack(u32 esp, long pid, int sig);
void sigreturn_at(u32 esp, long nr);
__asm__(".text\n"
        "kill_on_stack: mov 8(%esp), %ebx\n mov 12(%esp), %ecx\n mov 4(%esp), %esp\n"
        " mov $" T_STR(__NR_kill) ", %eax\n int $0x80\n"
        " mov $0x42, %ebx\n mov $" T_STR(__NR_exit) ", %eax\n int $0x80\n"
        "sigreturn_at: mov 8(%esp), %eax\n mov 4(%esp), %esp\n int $0x80\n hlt\n"
        "forged_land: mov %eax, %ebx\n mov $" T_STR(__NR_exit) ", %eax\n int $0x80\n");

static volatile u32 fcount, fmode;
static struct ksiginfo finfo;
static struct ksc fsc;
static void f_handler(int sig, struct ksiginfo *si, struct kucontext *uc)
{
    (void)sig;
    fcount++; finfo = *si; fsc = uc->mc;
    if (fmode == 1) sys3(__NR_mprotect, si->f[0] & ~4095u, 4096, PROT_READ | PROT_WRITE);
    else uc->mc.eip = (u32)fault_ret;
}
static const int fsigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };
static void set_fault_handlers(const void *h, u32 flags) { for (int i = 0; i < 5; i++) sigact(fsigs[i], h, SA_SIGINFO | flags, 0, 0); }

static void l_where(line_t *l, u32 a, u32 want, const char *wname)
{
    if (a == want) l_s(l, wname);
    else if (a == 0) l_s(l, "0");
    else l_s(l, "other");
}
/* One fault in this process: the handler's view of it. */
static void fault_case(const char *name, long (*fn)(long), long arg, u32 want_addr, const char *want_eip, int pf)
{
    fcount = 0; fmode = 0;
    memset(&finfo, 0x5a, sizeof finfo); memset(&fsc, 0x5a, sizeof fsc);
    long r = fn(arg);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": sig="); l_d(&l, finfo.signo); l_s(&l, " errno="); l_d(&l, finfo.errno_);
    l_s(&l, " code="); l_d(&l, finfo.code); l_s(&l, " addr="); l_where(&l, finfo.f[0], want_addr, "expected");
    l_s(&l, " calls="); l_d(&l, fcount); l_s(&l, r == 0xfa17 ? " resumed" : " NOT-resumed");
    l_end(&l);
    l_s(&l, ".. trapno="); l_d(&l, fsc.trapno); l_s(&l, " err="); l_x(&l, fsc.err);
    l_s(&l, " eip="); l_where(&l, fsc.eip, (u32)want_eip, "expected");
    if (pf) { l_s(&l, " cr2="); l_where(&l, fsc.cr2, want_addr, "expected"); }
    l_end(&l);
}

static u32 eof_addr;     /* a page of a /prog mapping wholly past its end */
static u32 unmapped;     /* a page nothing maps */
static u32 ro_page;      /* PROT_READ */

/* ---- children whose fault cannot be handled, or whose frame cannot be written ---- */
static void h_refault(int sig) { (void)sig; shm[0]++; f_read(0); }
static void h_return(int sig) { (void)sig; shm[0]++; }
static void h_segv_exit(int sig, struct ksiginfo *si, struct kucontext *uc)
{
    u32 sp; __asm__ volatile("mov %%esp, %0" : "=r"(sp));
    shm[0] = (u32)sig; shm[1] = (u32)si->code; shm[2] = sp - shm[9] < 65536; (void)uc;
    _exit(0x2a);
}
static void h_nest(int sig) { shm[0]++; sys2(__NR_kill, sys0(__NR_getpid), sig); }
static int __attribute__((noinline)) recurse(int n) { volatile char b[1024]; b[0] = (char)n; b[1023] = (char)n; return recurse(n + 1) + b[0] + b[1023]; }
static void alt_segv(u32 size, u32 flags)
{
    u32 alt = (u32)map_anon(size, PROT_READ | PROT_WRITE);
    struct kstack s = { alt, 0, size };
    sys2(__NR_sigaltstack, (long)&s, 0);
    shm[9] = alt;
    sigact(SIGSEGV, h_segv_exit, SA_SIGINFO | SA_ONSTACK | flags, 0, 0);
}
static int c_fault(long which)
{
    long pid = sys0(__NR_getpid);
    set_fault_handlers(0, 0);
    switch (which) {
    case 0: sigact(SIGSEGV, (void *)1, 0, 0, 0); f_read(0); break;
    case 1: set_fault_handlers(f_handler, 0); setmask(BIT(SIGSEGV), 0); f_read(0); break;
    case 2: sigact(SIGFPE, (void *)1, 0, 0, 0); f_div0(0); break;
    case 3: set_fault_handlers(f_handler, 0); setmask(BIT(SIGILL), 0); f_ud2(0); break;
    case 4: sigact(SIGTRAP, (void *)1, 0, 0, 0); f_int3(0); break;
    case 5: set_fault_handlers(f_handler, 0); setmask(BIT(SIGBUS), 0); f_read(eof_addr); break;
    case 6: sigact(SIGSEGV, h_refault, 0, 0, 0); f_read(0); break;
    case 7: sigact(SIGSEGV, (void *)1, 0, 0, 0); sys2(__NR_kill, pid, SIGSEGV); break;
    case 8: sigact(SIGSEGV, h_return, SA_RESETHAND, 0, 0); f_read(0); break;
    case 10: sigact(SIGUSR1, h_return, 0, 0, 0); kill_on_stack(unmapped + 4096, pid, SIGUSR1); break;
    case 11: sigact(SIGUSR1, h_return, 0, 0, 0); alt_segv(65536, 0); kill_on_stack(unmapped + 4096, pid, SIGUSR1); break;
    case 12: sigact(SIGUSR1, h_return, 0, 0, 0); kill_on_stack((u32)map_anon(4096, PROT_READ) + 4096, pid, SIGUSR1); break;
    case 13: sigact(SIGUSR1, h_return, 0, 0, 0); sigact(SIGSEGV, h_return, 0, 0, 0); kill_on_stack(unmapped + 4096, pid, SIGUSR1); break;
    case 14: {
        u32 lim[2] = { 256 * 1024, 256 * 1024 };
        sys2(__NR_setrlimit, RLIMIT_STACK, (long)lim);
        alt_segv(65536, 0);
        recurse(0);
        break;
    }
    case 15: {
        sigact(SIGUSR1, h_nest, SA_NODEFER | SA_ONSTACK, 0, 0);
        struct kstack s = { (u32)map_anon(4096, PROT_READ | PROT_WRITE), 0, 4096 };
        sys2(__NR_sigaltstack, (long)&s, 0);
        sys2(__NR_kill, pid, SIGUSR1);
        break;
    }
    }
    return 0x42;
}
static void child_case(const char *name, long which, int show)
{
    for (int i = 0; i < 10; i++) shm[i] = 0;
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": status="); l_x(&l, (u32)run_child_ms(c_fault, which, 3000));
    if (show == 1) { l_s(&l, " handler calls="); l_d(&l, shm[0]); }
    if (show == 2) { l_s(&l, " SIGSEGV handler: sig="); l_d(&l, shm[0]); l_s(&l, " code="); l_d(&l, (i32)shm[1]); l_s(&l, " on altstack="); l_s(&l, shm[2] ? "yes" : "no"); }
    if (show == 3) { l_s(&l, " nested handlers ran="); l_s(&l, shm[0] >= 2 ? "yes" : "no"); }
    l_end(&l);
}

/* ---- sigreturn tampering ---- */
static u32 tfield, tval, tor;   /* word tfield of the sigcontext = tval (or |= tval) */
static void h_tamper(int sig, struct ksiginfo *si, struct kucontext *uc)
{
    (void)sig, (void)si;
    u32 *w = (u32 *)&uc->mc;
    w[tfield] = tor ? w[tfield] | tval : tval;
}
static void h_catch(int sig, struct ksiginfo *si, struct kucontext *uc)
{
    shm[0] = (u32)sig; shm[1] = (u32)si->code; shm[2] = uc->mc.trapno; shm[3] = SEG(uc->mc.cs);
    shm[4] = SEG(uc->mc.ss); shm[5] = SEG(uc->mc.ds); shm[6] = uc->mc.eip; shm[7] = si->f[0]; shm[8] = uc->mc.err;
    _exit(0x33);
}
static int c_tamper(long then_in)
{
    set_fault_handlers(h_catch, 0);
    sigact(SIGUSR1, h_tamper, SA_SIGINFO, 0, 0);
    raise_regs(__NR_kill, sys0(__NR_getpid), SIGUSR1, 0);
    shm[0] = 0;
    for (int i = 0; i < 6; i++) shm[10 + i] = SEG(rr_seg[i]);
    shm[16] = rr_after[8];
    if (then_in) __asm__ volatile("inb $0x80, %%al" ::: "eax");
    return 0x42;
}
static void l_eip(line_t *l, u32 eip)
{
    if (eip - (u32)raise_after < 64) { l_s(l, "raise_after+"); l_d(l, eip - (u32)raise_after); }
    else if (eip == tval || eip == 0) l_x(l, eip);
    else l_s(l, "other");
}
static void tamper_case(const char *name, u32 field, u32 val, u32 or, long then_in, int show_flags)
{
    tfield = field; tval = val; tor = or;
    for (int i = 0; i < 20; i++) shm[i] = 0x5a5a;
    u32 st = (u32)run_child_ms(c_tamper, then_in, 3000);
    line_t l = {.n = 0};
    l_s(&l, "sigreturn with "); l_s(&l, name); l_s(&l, ": status="); l_x(&l, st);
    if (st == 0x3300) {
        l_s(&l, " caught sig="); l_d(&l, shm[0]); l_s(&l, " code="); l_d(&l, (i32)shm[1]); l_s(&l, " trapno="); l_d(&l, shm[2]);
        l_s(&l, " err="); l_x(&l, shm[8]);
        l_s(&l, " cs="); l_x(&l, shm[3]); l_s(&l, " ss="); l_x(&l, shm[4]); l_s(&l, " ds="); l_x(&l, shm[5]);
        l_s(&l, " eip="); l_eip(&l, shm[6]); l_s(&l, " addr="); l_eip(&l, shm[7]);
    } else if (st == 0x4200) {
        static const char *const n[6] = { " ds=", " es=", " fs=", " gs=", " cs=", " ss=" };
        for (int i = 0; i < 6; i++) { l_s(&l, n[i]); l_x(&l, shm[10 + i]); }
        if (show_flags) { l_s(&l, " eflags="); l_x(&l, shm[16]); }
    }
    l_end(&l);
}

/* ---- forged sigreturn frames ---- */
static struct kucontext real_uc;
static void h_capture(int sig, struct ksiginfo *si, struct kucontext *uc) { (void)sig, (void)si; real_uc = *uc; }
static struct rt_sigframe fake_rt;
static struct sigframe fake_old;
static int c_forged(long which)
{
    if (which == 0) {
        fake_rt.uc = real_uc;
        fake_rt.uc.mc.eip = (u32)forged_land; fake_rt.uc.mc.eax = 0x5e; fake_rt.uc.mc.fpstate = 0;
        fake_rt.uc.sigmask[0] = fake_rt.uc.sigmask[1] = 0;
        fake_rt.uc.stack = (struct kstack){ 0, SS_DISABLE, 0 };
        sigreturn_at((u32)&fake_rt.sig, __NR_rt_sigreturn);
    }
    if (which == 1) {
        fake_old.sc = real_uc.mc;
        fake_old.sc.eip = (u32)forged_land; fake_old.sc.eax = 0x5f; fake_old.sc.fpstate = 0;
        fake_old.sc.oldmask = 0; fake_old.extramask = 0;
        sigreturn_at((u32)&fake_old.sc, __NR_sigreturn);
    }
    if (which == 2) sigreturn_at(unmapped + 2048, __NR_rt_sigreturn);
    if (which == 3) { memset(&fake_rt, 0, sizeof fake_rt); sigreturn_at((u32)&fake_rt.sig, __NR_rt_sigreturn); }
    return 0x42;
}

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)envp;
    puts1("--- start\n");
    shm = shared_page();
    ro_page = (u32)map_anon(4096, PROT_READ);
    u32 none = (u32)map_anon(4096, PROT_NONE);
    long fd = sys3(__NR_open, (long)"/prog", O_RDONLY, 0);
    if (is_err(fd)) fd = sys3(__NR_open, (long)argv[0], O_RDONLY, 0);   /* a run outside linux-run/memguard */
    struct stat64 st;
    sys2(__NR_fstat64, fd, (long)&st);
    u32 fsize = (u32)st.st_size, fpages = (fsize + 4095) & ~4095u;
    u32 fmap = (u32)sys6(__NR_mmap2, 0, fpages + 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    eof_addr = fmap + fpages + 0x10;
    u32 base = (u32)map_anon(3 * 4096, PROT_READ | PROT_WRITE);   /* last: nothing maps the hole */
    sys2(__NR_munmap, base + 4096, 4096);
    unmapped = base + 4096;

    set_fault_handlers(f_handler, 0);
    fault_case("read unmapped page", f_read, unmapped + 0x123, unmapped + 0x123, f_read_i, 1);
    fault_case("write unmapped page", f_write, unmapped + 0x456, unmapped + 0x456, f_write_i, 1);
    fault_case("read NULL", f_read, 0, 0, f_read_i, 1);
    fault_case("read PROT_NONE page", f_read, none + 8, none + 8, f_read_i, 1);
    fault_case("write PROT_READ page", f_write, ro_page + 8, ro_page + 8, f_write_i, 1);
    fault_case("read 0xc0001000 (kernel)", f_read, 0xc0001000, 0xc0001000, f_read_i, 1);
    fault_case("jump to unmapped page", f_exec, unmapped + 0x10, unmapped + 0x10, (char *)(unmapped + 0x10), 1);
    fault_case("read /prog mapping past EOF", f_read, eof_addr, eof_addr, f_read_i, 1);
    fault_case("div by zero", f_div0, 0, (u32)f_div0_i, f_div0_i, 0);
    fault_case("idiv INT_MIN / -1", f_idiv, 0, (u32)f_idiv_i, f_idiv_i, 0);
    fault_case("ud2", f_ud2, 0, (u32)f_ud2_i, f_ud2_i, 0);
    fault_case("int3", f_int3, 0, 0, f_int3_after, 0);
    fault_case("int $3", f_int3b, 0, 0, f_int3b_after, 0);
    fault_case("into with OF", f_into, 0, 0, f_into_after, 0);
    fault_case("hlt", f_hlt, 0, 0, f_hlt_i, 0);
    fault_case("inb $0x80", f_in, 0, 0, f_in_i, 0);
    fault_case("mov 0x1234 to %ds", f_bad_ds, 0, 0, f_bad_ds_i, 0);
    fault_case("int $0x81", f_int81, 0, 0, f_int81_i, 0);

    fcount = 0; fmode = 1;
    long r = f_write(ro_page + 16);
    line_t l = {.n = 0};
    l_s(&l, "write PROT_READ page, the handler mprotects it RW and returns: calls="); l_d(&l, fcount);
    l_s(&l, " code="); l_d(&l, finfo.code); l_s(&l, " result="); l_d(&l, r);
    l_s(&l, " word written="); l_x(&l, *(volatile u32 *)(ro_page + 16)); l_end(&l);
    fmode = 0;

    child_case("NULL read with SIGSEGV SIG_IGN", 0, 0);
    child_case("NULL read with SIGSEGV blocked (handler installed)", 1, 0);
    child_case("div by zero with SIGFPE SIG_IGN", 2, 0);
    child_case("ud2 with SIGILL blocked (handler installed)", 3, 0);
    child_case("int3 with SIGTRAP SIG_IGN", 4, 0);
    child_case("read past EOF with SIGBUS blocked (handler installed)", 5, 0);
    child_case("SIGSEGV handler faults again", 6, 1);
    child_case("kill(self, SIGSEGV) with SIGSEGV SIG_IGN (exit 0x42: survives)", 7, 0);
    child_case("SIGSEGV handler with SA_RESETHAND returns without fixing", 8, 1);
    child_case("kill(self, SIGUSR1) with esp in an unmapped page (frame cannot be written)", 10, 1);
    child_case(".. with a SIGSEGV handler on an altstack", 11, 2);
    child_case("kill(self, SIGUSR1) with esp in a PROT_READ page", 12, 1);
    child_case("kill(self, SIGUSR1) with esp unmapped, SIGSEGV handler on the same stack", 13, 1);
    child_case("stack overflow (RLIMIT_STACK 256 KiB) with a SIGSEGV handler on an altstack", 14, 2);
    child_case("SA_NODEFER|SA_ONSTACK handler raising itself on a 4 KiB altstack", 15, 3);

    tamper_case("cs=0x08", 15, 0x08, 0, 0, 0);
    tamper_case("cs=0x10", 15, 0x10, 0, 0, 0);
    tamper_case("cs=0x60 (Linux kernel CS)", 15, 0x60, 0, 0, 0);
    tamper_case("cs=0x70 (user CS, RPL 0)", 15, 0x70, 0, 0, 0);
    tamper_case("cs=0x7b (user DS)", 15, 0x7b, 0, 0, 0);
    tamper_case("cs=0", 15, 0, 0, 0, 0);
    tamper_case("ss=0x10", 18, 0x10, 0, 0, 0);
    tamper_case("ss=0x68 (Linux kernel DS)", 18, 0x68, 0, 0, 0);
    tamper_case("ss=0x78 (user DS, RPL 0)", 18, 0x78, 0, 0, 0);
    tamper_case("ss=0x73 (user CS)", 18, 0x73, 0, 0, 0);
    tamper_case("ss=0", 18, 0, 0, 0, 0);
    tamper_case("ds=0", 3, 0, 0, 0, 0);
    tamper_case("ds=0x10", 3, 0x10, 0, 0, 0);
    tamper_case("ds=0x68 (Linux kernel DS, RPL 0)", 3, 0x68, 0, 0, 0);
    tamper_case("ds=0x7a (user DS, RPL 2)", 3, 0x7a, 0, 0, 0);
    tamper_case("ds=0x73 (user CS)", 3, 0x73, 0, 0, 0);
    tamper_case("ds=0x1234 (LDT)", 3, 0x1234, 0, 0, 0);
    tamper_case("es=0x68", 2, 0x68, 0, 0, 0);
    tamper_case("fs=0x68", 1, 0x68, 0, 0, 0);
    tamper_case("fs=0x1234", 1, 0x1234, 0, 0, 0);
    tamper_case("gs=0x68", 0, 0x68, 0, 0, 0);
    tamper_case("gs=0x10", 0, 0x10, 0, 0, 0);
    tamper_case("eflags=0x3f7cd7 (all but TF; IF clear)", 16, 0x3f7cd7, 0, 0, 1);
    tamper_case("eflags |= IOPL 3, then inb", 16, 0x3000, 1, 1, 1);
    tamper_case("eflags |= TF", 16, 0x100, 1, 0, 1);
    tamper_case("eip=0xc0001000", 14, 0xc0001000, 0, 0, 0);
    tamper_case("eip=0", 14, 0, 0, 0, 0);
    tamper_case("esp=0", 7, 0, 0, 0, 0);

    sigact(SIGUSR1, h_capture, SA_SIGINFO, 0, 0);
    sys2(__NR_kill, sys0(__NR_getpid), SIGUSR1);
    outx("rt_sigreturn on a forged frame (eip=exit, eax=0x5e): status", (u32)run_child_ms(c_forged, 0, 3000));
    outx("sigreturn on a forged frame (eip=exit, eax=0x5f): status", (u32)run_child_ms(c_forged, 1, 3000));
    outx("rt_sigreturn with esp in an unmapped page: status", (u32)run_child_ms(c_forged, 2, 3000));
    outx("rt_sigreturn on a zeroed frame: status", (u32)run_child_ms(c_forged, 3, 3000));
    puts1("--- end\n");
    return 0;
}

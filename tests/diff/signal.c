/* signal.c: signals through the raw i386 calls: rt_sigaction, sigaction
 * and signal with their checks; delivery to handlers with and without
 * SA_SIGINFO (the signal frames, siginfo, ucontext, the registers and the
 * masks before, during and after); handlers changing the resumed state;
 * rt_sigprocmask/sigprocmask, pending sets, queueing and delivery order;
 * SA_RESETHAND, SA_NODEFER; tkill, tgkill, rt_sigqueueinfo; sigsuspend,
 * pause, rt_sigtimedwait; sigaltstack; alarm and ITIMER_REAL; EINTR and
 * SA_RESTART; SIGCHLD; what execve keeps. Faults as signals and sigreturn
 * tampering are in sigfault.c. The program re-executes itself as
 * "/prog sigexec" to see what a new image inherits. */
#include "t.h"
#include "sig.h"

#define RTSA(sig, act, old, size) sys4(__NR_rt_sigaction, (sig), (long)(act), (long)(old), (size))
#define KILL(sig) sys2(__NR_kill, sys0(__NR_getpid), (sig))

static volatile u32 *shm;

/* ---- the recording handlers ---- */
static volatile u32 hcount, hsig, hdepth, hmaxdepth, hlogn, hclobber;
static volatile u32 hlog[32];
static struct rt_sigframe hrt;      /* the rt frame as the handler found it */
static struct sigframe hold;        /* the old frame as the handler found it */
static u32 hentry_esp, hentry[3], hmask[2], hfpu[2], hfp[40];
static struct kstack hss;
static long hss_set;
static void (*hhook)(struct ksc *sc, struct kucontext *uc);   /* uc is NULL for old frames */

static void fpu_set(u32 cw, u32 mx) { u16 c = (u16)cw; __asm__ volatile("fldcw %0\n ldmxcsr %1" :: "m"(c), "m"(mx)); }
static void fpu_get(u32 *cw, u32 *mx) { u16 c; __asm__ volatile("fnstcw %0\n stmxcsr %1" : "=m"(c), "=m"(*mx)); *cw = c; }

static void h_common(int sig, struct ksc *sc, struct kucontext *uc)
{
    hcount++; hsig = sig;
    if (hlogn < 32) hlog[hlogn++] = sig;
    if (++hdepth > hmaxdepth) hmaxdepth = hdepth;
    if (hcount == 1) {
        getmask(hmask);
        sys2(__NR_sigaltstack, 0, (long)&hss);
        fpu_get(&hfpu[0], &hfpu[1]);
        if (sc->fpstate) memcpy(hfp, (void *)sc->fpstate, sizeof hfp);
    }
    if (hclobber) fpu_set(0x7f, 0x3f80);
    if (hhook) hhook(sc, uc);
    hdepth--;
}
void __attribute__((used)) h_rt(int sig, struct ksiginfo *si, struct kucontext *uc)
{
    (void)si;
    hentry_esp = entry_esp; memcpy(hentry, entry_regs, sizeof hentry);
    memcpy(&hrt, (void *)hentry_esp, sizeof hrt);
    h_common(sig, &uc->mc, uc);
}
void __attribute__((used)) h_old(int sig)
{
    hentry_esp = entry_esp; memcpy(hentry, entry_regs, sizeof hentry);
    memcpy(&hold, (void *)hentry_esp, sizeof hold);
    h_common(sig, &((struct sigframe *)hentry_esp)->sc, 0);
}
ENTRY_STUB(h_rt_entry, h_rt)
ENTRY_STUB(h_old_entry, h_old)
static void h_plain(int sig) { hcount++; hsig = sig; }

static void hreset(void)
{
    hcount = hsig = hdepth = hmaxdepth = hlogn = hclobber = 0; hhook = 0; hss_set = 0x5a;
    memset(&hrt, 0x5a, sizeof hrt); memset(&hold, 0x5a, sizeof hold); memset(hmask, 0x5a, sizeof hmask);
}

static void hook_regs(struct ksc *sc, struct kucontext *uc) { (void)uc; sc->eax = 0x77; sc->esi = 0x12345678; }
static void hook_eip(struct ksc *sc, struct kucontext *uc) { (void)uc; sc->eip = (u32)raise_alt; }
static void hook_mask(struct ksc *sc, struct kucontext *uc)
{
    if (uc) uc->sigmask[0] = uc->sigmask[1] = 0xffffffff;
    else { sc->oldmask = BIT(SIGUSR2); ((struct sigframe *)hentry_esp)->extramask = BIT(40); }
}
static void hook_raise(struct ksc *sc, struct kucontext *uc) { (void)sc, (void)uc; if (hcount == 1) KILL(hsig); }
static void hook_ss(struct ksc *sc, struct kucontext *uc) { (void)sc, (void)uc; struct kstack d = { 0, SS_DISABLE, 0 }; hss_set = sys2(__NR_sigaltstack, (long)&d, 0); }
static void hook_ucstack(struct ksc *sc, struct kucontext *uc) { (void)sc; uc->stack.flags = SS_DISABLE; }

static long fork_kill_later(int sig, u32 ms)   /* a child that sends us sig ms from now */
{
    long parent = sys0(__NR_getpid), pid = sys0(__NR_fork);
    if (pid == 0) { sleep_ms(ms); sys2(__NR_kill, parent, sig); _exit(0); }
    return pid;
}
static void reap(long pid) { sys3(__NR_waitpid, pid, 0, 0); }
static void out_info(const char *name, const struct ksiginfo *si)
{
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_d(&l, si->signo); l_s(&l, " "); l_d(&l, si->errno_); l_s(&l, " "); l_d(&l, si->code);
    l_end(&l);
}
static void out_ss(const char *name, const struct kstack *s, u32 sp)
{
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": sp="); l_s(&l, s->sp == 0 ? "0" : s->sp == sp ? "alt" : "other");
    l_s(&l, " flags="); l_x(&l, (u32)s->flags); l_s(&l, " size="); l_u(&l, s->size); l_end(&l);
}
static void out_sc(const char *pre, const struct ksc *sc, long pid)
{
    line_t l = {.n = 0};
    l_s(&l, pre); l_s(&l, " eax ebx ecx edx esi edi ebp: "); l_x(&l, sc->eax); l_s(&l, sc->ebx == (u32)pid ? " pid" : " other");
    u32 v[5] = { sc->ecx, sc->edx, sc->esi, sc->edi, sc->ebp };
    for (int i = 0; i < 5; i++) { l_s(&l, " "); l_x(&l, v[i]); }
    l_end(&l);
    outb(".. sigcontext eip is after the int 0x80", sc->eip == (u32)raise_after);
    outb(".. sigcontext esp and esp_at_signal are esp at the int 0x80", sc->esp == rr_esp && sc->esp_at_signal == rr_esp);
    l_s(&l, ".. sigcontext cs ss ds es fs gs:");
    u32 s[6] = { sc->cs, sc->ss, sc->ds, sc->es, sc->fs, sc->gs };
    for (int i = 0; i < 6; i++) { l_s(&l, " "); l_x(&l, SEG(s[i])); }
    l_end(&l);
    outx(".. sigcontext eflags & 0x247300 (TF IF IOPL NT AC ID)", sc->eflags & 0x247300);
}

/* ---- rt_sigaction, sigaction, signal ---- */
static int child_no_restorer(long rt)
{
    hreset();
    if (rt) {
        struct ksigaction a = { (u32)h_rt_entry, SA_SIGINFO, 0, { 0, 0 } };
        RTSA(SIGUSR1, &a, 0, 8);
    } else
        sys2(__NR_signal, SIGUSR1, (long)h_plain);
    KILL(SIGUSR1);
    if (hcount != 1) return 0x43;
    KILL(SIGUSR1);   /* signal() is SA_RESETHAND: this one kills */
    return 0x42;
}

static void t_sigaction(void)
{
    struct ksigaction o, a = { (u32)h_rt_entry, SA_SIGINFO | SA_RESTORER | SA_RESTART, (u32)rt_restorer,
                               { BIT(SIGUSR2) | BIT(SIGKILL) | BIT(SIGSTOP), BIT(40) } };
    int nondef = 0;
    for (int s = 1; s <= 64; s++) {
        memset(&o, 0x5a, sizeof o);
        if (RTSA(s, 0, &o, 8) != 0 || o.handler || o.flags || o.mask[0] || o.mask[1]) nondef++;
    }
    out("signals with other than SIG_DFL at start", nondef);
    u32 m[2];
    getmask(m); outm("blocked at start", m[0], m[1]);
    getpend(m); outm("pending at start", m[0], m[1]);
    struct kstack ss; memset(&ss, 0x5a, sizeof ss);
    out("sigaltstack(NULL, &old) at start", sys2(__NR_sigaltstack, 0, (long)&ss));
    out_ss(".. old", &ss, 0);

    out("rt_sigaction(0, act)", RTSA(0, &a, 0, 8));
    out("rt_sigaction(0, NULL, &old)", RTSA(0, 0, &o, 8));
    out("rt_sigaction(65, act)", RTSA(65, &a, 0, 8));
    out("rt_sigaction(-1, act)", RTSA(-1, &a, 0, 8));
    out("rt_sigaction(64, NULL, NULL)", RTSA(64, 0, 0, 8));
    out("rt_sigaction(SIGKILL, act)", RTSA(SIGKILL, &a, 0, 8));
    struct ksigaction dfl = { 0, SA_RESTORER, (u32)rt_restorer, { 0, 0 } };
    out("rt_sigaction(SIGKILL, SIG_DFL)", RTSA(SIGKILL, &dfl, 0, 8));
    out("rt_sigaction(SIGSTOP, act)", RTSA(SIGSTOP, &a, 0, 8));
    memset(&o, 0x5a, sizeof o);
    out("rt_sigaction(SIGSTOP, NULL, &old)", RTSA(SIGSTOP, 0, &o, 8));
    outx(".. old handler", o.handler);
    out("rt_sigaction(SIGUSR1, act, NULL, sigsetsize 4)", RTSA(SIGUSR1, &a, 0, 4));
    out("rt_sigaction(SIGUSR1, act, NULL, sigsetsize 16)", RTSA(SIGUSR1, &a, 0, 16));
    out("rt_sigaction(SIGUSR1, NULL, &old, sigsetsize 0)", RTSA(SIGUSR1, 0, &o, 0));
    out("rt_sigaction(SIGUSR1, act 0x1000 unmapped)", RTSA(SIGUSR1, 0x1000, 0, 8));
    out("rt_sigaction(SIGUSR1, act 0xc0000000)", RTSA(SIGUSR1, 0xc0000000, 0, 8));
    out("rt_sigaction(SIGUSR1, act, old 0xc0000000)", RTSA(SIGUSR1, &a, 0xc0000000, 8));
    memset(&o, 0x5a, sizeof o);
    out(".. then rt_sigaction(SIGUSR1, NULL, &old)", RTSA(SIGUSR1, 0, &o, 8));
    outb(".. the action was set anyway (handler, restorer)", o.handler == (u32)h_rt_entry && o.restorer == (u32)rt_restorer);
    outx(".. flags", o.flags);
    outm(".. mask (SIGKILL, SIGSTOP dropped)", o.mask[0], o.mask[1]);
    struct ksigaction all = { 1, 0xffffffff, (u32)rt_restorer, { 0xffffffff, 0xffffffff } };
    memset(&o, 0x5a, sizeof o);
    out("rt_sigaction(SIGUSR1, {SIG_IGN, flags 0xffffffff, mask all}, &old)", RTSA(SIGUSR1, &all, &o, 8));
    outx(".. old flags", o.flags);
    RTSA(SIGUSR1, 0, &o, 8);
    outx(".. handler read back", o.handler);
    outx(".. flags read back", o.flags);
    outm(".. mask read back", o.mask[0], o.mask[1]);
    RTSA(SIGUSR1, &dfl, 0, 8);

    struct oldsigaction oa = { (u32)h_old_entry, BIT(SIGUSR2) | BIT(SIGKILL), SA_RESTART | SA_RESTORER, (u32)old_restorer }, oo;
    out("sigaction(SIGUSR1, act) [67]", sys3(__NR_sigaction, SIGUSR1, (long)&oa, 0));
    RTSA(SIGUSR1, 0, &o, 8);
    outb(".. rt_sigaction reads the handler and restorer", o.handler == (u32)h_old_entry && o.restorer == (u32)old_restorer);
    outx(".. flags", o.flags);
    outm(".. mask", o.mask[0], o.mask[1]);
    a.mask[1] = BIT(40) | BIT(64);
    RTSA(SIGUSR2, &a, 0, 8);
    memset(&oo, 0x5a, sizeof oo);
    out("sigaction(SIGUSR2, NULL, &old) [67] after rt_sigaction", sys3(__NR_sigaction, SIGUSR2, 0, (long)&oo));
    outb(".. handler and restorer", oo.handler == (u32)h_rt_entry && oo.restorer == (u32)rt_restorer);
    outx(".. mask (word 0 only)", oo.mask);
    outx(".. flags", oo.flags);
    out("sigaction(0, act) [67]", sys3(__NR_sigaction, 0, (long)&oa, 0));
    out("sigaction(65, act) [67]", sys3(__NR_sigaction, 65, (long)&oa, 0));
    out("sigaction(SIGKILL, act) [67]", sys3(__NR_sigaction, SIGKILL, (long)&oa, 0));
    out("sigaction(40, act) [67]", sys3(__NR_sigaction, 40, (long)&oa, 0));
    out("sigaction(SIGUSR1, act 0xc0000000) [67]", sys3(__NR_sigaction, SIGUSR1, 0xc0000000, 0));
    out("sigaction(SIGUSR1, NULL, old 0xc0000000) [67]", sys3(__NR_sigaction, SIGUSR1, 0, 0xc0000000));
    RTSA(SIGUSR2, &dfl, 0, 8); RTSA(40, &dfl, 0, 8);

    outb("signal(SIGUSR1, h) [48] returns the old handler", sys2(__NR_signal, SIGUSR1, (long)h_plain) == (long)h_old_entry);
    RTSA(SIGUSR1, 0, &o, 8);
    outx(".. flags read back", o.flags);
    outm(".. mask read back", o.mask[0], o.mask[1]);
    outb("signal(SIGUSR1, SIG_IGN) returns h", sys2(__NR_signal, SIGUSR1, 1) == (long)h_plain);
    out("signal(SIGUSR1, SIG_DFL) returns", sys2(__NR_signal, SIGUSR1, 0));
    out("signal(0, SIG_IGN)", sys2(__NR_signal, 0, 1));
    out("signal(65, SIG_IGN)", sys2(__NR_signal, 65, 1));
    out("signal(SIGKILL, SIG_IGN)", sys2(__NR_signal, SIGKILL, 1));
    out("signal(SIGSTOP, SIG_DFL)", sys2(__NR_signal, SIGSTOP, 0));
    outx("signal() handler (no SA_RESTORER) runs, returns, then SIG_DFL kills: status", (u32)run_child_ms(child_no_restorer, 0, 3000));
    outx("rt_sigaction SA_SIGINFO without SA_RESTORER: handler returns (exit 0x42 = yes): status", (u32)run_child_ms(child_no_restorer, 1, 3000));
}

/* ---- delivery: frames, siginfo, ucontext, registers, masks ---- */
static void t_deliver(void)
{
    long pid = sys0(__NR_getpid);
    u32 uid = (u32)sys0(__NR_getuid32), m[2], cw, mx;
    line_t l = {.n = 0};
    setmask(BIT(SIGUSR2), BIT(40));
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO, BIT(SIGTERM), BIT(50));
    hreset(); hclobber = 1;
    fpu_set(0x27f, 0x7f80);
    long r = raise_regs(__NR_kill, pid, SIGUSR1, 0x0d0d0d0d);
    fpu_get(&cw, &mx); fpu_set(0x37f, 0x1f80);
    struct rt_sigframe *f = &hrt;
    out("kill(self, SIGUSR1) with a SA_SIGINFO handler", r);
    out(".. handler calls", hcount);
    out(".. sig argument", hsig);
    out(".. frame sig", f->sig);
    out_info(".. si_signo si_errno si_code", &f->info);
    outb(".. si_pid == getpid(), si_uid == getuid32()", f->info.f[0] == (u32)pid && f->info.f[1] == uid);
    outb(".. pinfo == frame+16, puc == frame+144", f->pinfo == hentry_esp + 16 && f->puc == hentry_esp + 144);
    outb(".. at entry eax == sig, edx == pinfo, ecx == puc", hentry[0] == SIGUSR1 && hentry[1] == f->pinfo && hentry[2] == f->puc);
    outb(".. esp + 4 is 16-byte aligned at entry", (hentry_esp + 4) % 16 == 0);
    outb(".. pretcode == sa_restorer", f->pretcode == (u32)rt_restorer);
    u32 rc[2]; memcpy(rc, f->retcode, 8);
    outm(".. retcode (2 words)", rc[0], rc[1]);
    outx(".. uc_flags", f->uc.flags);
    outx(".. uc_link", f->uc.link);
    out_ss(".. uc_stack", &f->uc.stack, 0);
    outm(".. uc_sigmask (the mask before)", f->uc.sigmask[0], f->uc.sigmask[1]);
    outm(".. mask in the handler", hmask[0], hmask[1]);
    out_sc(".. sigcontext", &f->uc.mc, pid);
    u32 fp = f->uc.mc.fpstate;
    outb(".. fpstate between the frame and the interrupted esp", fp >= hentry_esp + sizeof *f && fp < rr_esp);
    outb(".. fpstate + 112 (the fxsave image) is 64-byte aligned", (fp + 112) % 64 == 0);
    outx(".. fpstate cw (the x87 control word before)", hfp[0]);
    outx(".. fpstate magic (0: fxsave image follows)", hfp[27] >> 16);
    outx(".. fpstate mxcsr (before)", hfp[34]);
    outm(".. x87 cw, mxcsr in the handler", hfpu[0], hfpu[1]);
    outm(".. x87 cw, mxcsr after return (the handler changed them)", cw, mx);
    getmask(m); outm(".. mask after return", m[0], m[1]);
    outb(".. registers after return as before", rr_intact(0, pid, SIGUSR1, 0x0d0d0d0d));

    sigact(SIGUSR1, h_old_entry, 0, 0, 0);
    hreset();
    r = raise_regs(__NR_kill, pid, SIGUSR1, 0x0d0d0d0d);
    struct sigframe *g = &hold;
    out("kill(self, SIGUSR1) with a handler without SA_SIGINFO", r);
    out(".. handler calls", hcount);
    out(".. sig argument", hsig);
    out(".. frame sig", g->sig);
    l_s(&l, ".. at entry eax edx ecx: "); l_d(&l, hentry[0]); l_s(&l, " "); l_d(&l, hentry[1]); l_s(&l, " "); l_d(&l, hentry[2]); l_end(&l);
    outb(".. esp + 4 is 16-byte aligned at entry", (hentry_esp + 4) % 16 == 0);
    outb(".. pretcode == sa_restorer", g->pretcode == (u32)old_restorer);
    memcpy(rc, g->retcode, 8);
    outm(".. retcode (2 words)", rc[0], rc[1]);
    outx(".. sigcontext oldmask (mask word 0 before)", g->sc.oldmask);
    outx(".. extramask (mask word 1 before)", g->extramask);
    out_sc(".. sigcontext", &g->sc, pid);
    outb(".. fpstate between the frame and the interrupted esp", g->sc.fpstate >= hentry_esp + sizeof *g && g->sc.fpstate < rr_esp);
    outm(".. mask in the handler", hmask[0], hmask[1]);
    getmask(m); outm(".. mask after return", m[0], m[1]);
    outb(".. registers after return as before", rr_intact(0, pid, SIGUSR1, 0x0d0d0d0d));

    /* handlers that change the state they return to */
    for (int old = 0; old < 2; old++) {
        const char *kind = old ? "old frame: " : "rt frame: ";
        sigact(SIGUSR1, old ? h_old_entry : h_rt_entry, old ? 0 : SA_SIGINFO, 0, 0);
        hreset(); hhook = hook_regs;
        r = raise_regs(__NR_kill, pid, SIGUSR1, 0);
        l_s(&l, kind); l_s(&l, "handler sets eax=0x77 esi=0x12345678: eax esi after: "); l_x(&l, (u32)r); l_s(&l, " "); l_x(&l, rr_after[4]); l_end(&l);
        outb(".. ebx ecx edx edi ebp esp unchanged", rr_after[1] == (u32)pid && rr_after[2] == SIGUSR1 && rr_after[3] == 0 &&
             rr_after[5] == RR_EDI && rr_after[6] == RR_EBP && rr_after[7] == rr_esp);
        hreset(); hhook = hook_eip;
        r = raise_regs(__NR_kill, pid, SIGUSR1, 0);
        l_s(&l, kind); l_s(&l, "handler sets eip to raise_alt (eax=0xa17 there): eax after"); l_s(&l, ": "); l_x(&l, (u32)r); l_end(&l);
        hreset(); hhook = hook_mask;
        raise_regs(__NR_kill, pid, SIGUSR1, 0);
        getmask(m);
        l_s(&l, kind); l_s(&l, old ? "handler sets oldmask={USR2} extramask={40}: mask after: "
                                  : "handler sets uc_sigmask to all: mask after: ");
        l_x(&l, m[0]); l_s(&l, " "); l_x(&l, m[1]); l_end(&l);
        setmask(0, 0);
    }
    sigact(SIGUSR1, 0, 0, 0, 0);
}

/* ---- masks, pending signals, queueing, order ---- */
static void t_mask(void)
{
    u32 m[2], o[2], z[2] = { 0, 0 };
    setmask(0, 0);
    u32 s1[2] = { BIT(SIGUSR1) | BIT(SIGKILL) | BIT(SIGSTOP), BIT(33) }, s2[2] = { BIT(SIGUSR2), 0 }, all[2] = { ~0u, ~0u };
    o[0] = o[1] = 0x5a;
    out("rt_sigprocmask(SIG_BLOCK, {USR1 KILL STOP 33}, &old)", sys4(__NR_rt_sigprocmask, SIG_BLOCK, (long)s1, (long)o, 8));
    outm(".. old", o[0], o[1]);
    getmask(m); outm(".. now", m[0], m[1]);
    out("rt_sigprocmask(SIG_SETMASK, {USR2})", sys4(__NR_rt_sigprocmask, SIG_SETMASK, (long)s2, 0, 8));
    getmask(m); outm(".. now", m[0], m[1]);
    out("rt_sigprocmask(SIG_UNBLOCK, {USR2})", sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, (long)s2, 0, 8));
    getmask(m); outm(".. now", m[0], m[1]);
    out("rt_sigprocmask(SIG_SETMASK, all)", sys4(__NR_rt_sigprocmask, SIG_SETMASK, (long)all, 0, 8));
    getmask(m); outm(".. now", m[0], m[1]);
    out("rt_sigprocmask(SIG_UNBLOCK, all)", sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, (long)all, 0, 8));
    getmask(m); outm(".. now", m[0], m[1]);
    out("rt_sigprocmask(how 3, set)", sys4(__NR_rt_sigprocmask, 3, (long)s2, 0, 8));
    out("rt_sigprocmask(how -1, set)", sys4(__NR_rt_sigprocmask, -1, (long)s2, 0, 8));
    out("rt_sigprocmask(how 3, NULL, &old)", sys4(__NR_rt_sigprocmask, 3, 0, (long)o, 8));
    out("rt_sigprocmask(SIG_BLOCK, set, NULL, sigsetsize 4)", sys4(__NR_rt_sigprocmask, SIG_BLOCK, (long)s2, 0, 4));
    out("rt_sigprocmask(SIG_BLOCK, set, NULL, sigsetsize 16)", sys4(__NR_rt_sigprocmask, SIG_BLOCK, (long)s2, 0, 16));
    out("rt_sigprocmask(SIG_BLOCK, set 0x1000 unmapped)", sys4(__NR_rt_sigprocmask, SIG_BLOCK, 0x1000, 0, 8));
    out("rt_sigprocmask(SIG_BLOCK, {USR2}, old 0xc0000000)", sys4(__NR_rt_sigprocmask, SIG_BLOCK, (long)s2, 0xc0000000, 8));
    getmask(m); outm(".. mask changed anyway", m[0], m[1]);
    setmask(0, BIT(40));
    u32 w = BIT(SIGUSR1) | BIT(SIGSTOP), ow = 0x5a;
    out("sigprocmask(SIG_BLOCK, {USR1 STOP}, &old) [126]", sys3(__NR_sigprocmask, SIG_BLOCK, (long)&w, (long)&ow));
    outx(".. old (word 0)", ow);
    getmask(m); outm(".. now", m[0], m[1]);
    w = BIT(SIGUSR2);
    out("sigprocmask(SIG_SETMASK, {USR2}) [126]", sys3(__NR_sigprocmask, SIG_SETMASK, (long)&w, 0));
    getmask(m); outm(".. now (word 1 kept)", m[0], m[1]);
    out("sigprocmask(how 3, set) [126]", sys3(__NR_sigprocmask, 3, (long)&w, 0));
    out("sigprocmask(SIG_BLOCK, set 0xc0000000) [126]", sys3(__NR_sigprocmask, SIG_BLOCK, 0xc0000000, 0));
    setmask(0, 0);

    /* pending and delivery on unblocking */
    long pid = sys0(__NR_getpid);
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO, 0, 0);
    hreset();
    setmask(BIT(SIGUSR1), 0);
    KILL(SIGUSR1); KILL(SIGUSR1);
    out("kill(self, SIGUSR1) twice while blocked: handler calls", hcount);
    getpend(m); outm("rt_sigpending", m[0], m[1]);
    m[0] = m[1] = 0x5a5a5a5a;
    out("rt_sigpending(set, sigsetsize 4)", sys2(__NR_rt_sigpending, (long)m, 4));
    outm(".. set", m[0], m[1]);
    out("rt_sigpending(set, sigsetsize 16)", sys2(__NR_rt_sigpending, (long)m, 16));
    out("rt_sigpending(0xc0000000, 8)", sys2(__NR_rt_sigpending, 0xc0000000, 8));
    w = 0x5a;
    out("sigpending(&set) [73]", sys1(__NR_sigpending, (long)&w));
    outx(".. set", w);
    out("sigprocmask(SIG_SETMASK, {}) [126] unblocking it", raise_regs(__NR_sigprocmask, SIG_SETMASK, (long)z, 0));
    out(".. handler calls when the call returns (not queued twice)", hcount);
    outb(".. sigcontext eip after that int 0x80, eax 0", hrt.uc.mc.eip == (u32)raise_after && hrt.uc.mc.eax == 0);
    outm(".. uc_sigmask (the new mask)", hrt.uc.sigmask[0], hrt.uc.sigmask[1]);
    getpend(m); outm(".. pending after", m[0], m[1]);

    static const int sigs[] = { 40, 12, 64, 40, 10, 35, 12, 32, 40, 35 };
    for (int pass = 0; pass < 2; pass++) {
        static const int hs[] = { 10, 12, 32, 35, 40, 64 };
        for (int i = 0; i < 6; i++) sigact(hs[i], h_rt_entry, SA_SIGINFO, pass ? 0 : ~0u, pass ? 0 : ~0u);
        setmask(~0u, ~0u);
        hreset();
        for (int i = 0; i < 10; i++) KILL(sigs[i]);
        if (!pass) { getpend(m); outm("sent 40 12 64 40 10 35 12 32 40 35 while blocked: pending", m[0], m[1]); }
        setmask(0, 0);
        line_t l = {.n = 0};
        l_s(&l, pass ? "handler entries on unblocking, sa_mask empty (nested frames):"
                     : "delivery order on unblocking, sa_mask all:");
        for (u32 i = 0; i < hlogn; i++) { l_s(&l, " "); l_d(&l, hlog[i]); }
        l_end(&l);
        if (!pass) out(".. handler depth", hmaxdepth);
        for (int i = 0; i < 6; i++) sigact(hs[i], 0, 0, 0, 0);
    }
    (void)pid;

    /* SIG_IGN and default-ignored signals while pending */
    setmask(BIT(SIGUSR1) | BIT(SIGURG), 0);
    KILL(SIGUSR1);
    sigact(SIGUSR1, (void *)1, 0, 0, 0);
    getpend(m); outm("SIGUSR1 pending, then set to SIG_IGN: pending", m[0], m[1]);
    KILL(SIGUSR1);
    getpend(m); outm("kill(self, SIGUSR1) while SIG_IGN and blocked: pending", m[0], m[1]);
    setmask(BIT(SIGURG), 0);
    getpend(m); outm(".. after unblocking", m[0], m[1]);
    KILL(SIGURG);
    getpend(m); outm("kill(self, SIGURG) blocked, SIG_DFL (ignore): pending", m[0], m[1]);
    sigact(SIGURG, 0, 0, 0, 0);
    getpend(m); outm(".. after rt_sigaction(SIGURG, SIG_DFL)", m[0], m[1]);
    sigact(SIGUSR1, 0, 0, 0, 0);
    setmask(0, 0);
}

/* ---- SA_RESETHAND, SA_NODEFER ---- */
static int child_resethand(long a)
{
    (void)a;
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO | SA_RESETHAND, 0, 0);
    hreset();
    KILL(SIGUSR1);
    if (hcount != 1) return 0x43;
    KILL(SIGUSR1);
    return 0x42;
}
static void t_flags(void)
{
    struct ksigaction o;
    u32 m[2];
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO | SA_RESETHAND, BIT(SIGUSR2), 0);
    hreset();
    KILL(SIGUSR1);
    out("SA_RESETHAND: handler calls", hcount);
    outm(".. mask in the handler", hmask[0], hmask[1]);
    RTSA(SIGUSR1, 0, &o, 8);
    outx(".. handler afterwards", o.handler);
    outx(".. flags afterwards", o.flags);
    outm(".. sa_mask afterwards", o.mask[0], o.mask[1]);
    outx(".. second signal: status", (u32)run_child_ms(child_resethand, 0, 3000));
    for (int nodefer = 1; nodefer >= 0; nodefer--) {
        sigact(SIGUSR1, h_rt_entry, SA_SIGINFO | (nodefer ? SA_NODEFER : 0), 0, 0);
        hreset(); hhook = hook_raise;
        KILL(SIGUSR1);
        line_t l = {.n = 0};
        l_s(&l, nodefer ? "SA_NODEFER" : "no SA_NODEFER");
        l_s(&l, ", kill(self) in the handler: calls="); l_d(&l, hcount); l_s(&l, " max depth="); l_d(&l, hmaxdepth);
        l_s(&l, " mask in the handler="); l_x(&l, hmask[0]); l_end(&l);
    }
    getmask(m); outm(".. mask after", m[0], m[1]);
    sigact(SIGUSR1, 0, 0, 0, 0);
}

/* ---- kill, tkill, tgkill, rt_sigqueueinfo ---- */
static void t_kill(void)
{
    long pid = sys0(__NR_getpid), tid = sys0(__NR_gettid);
    line_t l = {.n = 0};
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO, 0, 0);
    hreset();
    out("tkill(self, SIGUSR1)", sys2(__NR_tkill, tid, SIGUSR1));
    out_info(".. si_signo si_errno si_code", &hrt.info);
    outb(".. si_pid == getpid()", hrt.info.f[0] == (u32)pid);
    out("tkill(self, 0)", sys2(__NR_tkill, tid, 0));
    out("tkill(0, SIGUSR1)", sys2(__NR_tkill, 0, SIGUSR1));
    out("tkill(-1, SIGUSR1)", sys2(__NR_tkill, -1, SIGUSR1));
    out("tkill(self, 65)", sys2(__NR_tkill, tid, 65));
    out("tkill(99999, 0)", sys2(__NR_tkill, 99999, 0));
    hreset();
    out("tgkill(self, self, SIGUSR1)", sys3(__NR_tgkill, pid, tid, SIGUSR1));
    out_info(".. si_signo si_errno si_code", &hrt.info);
    out("tgkill(0, self, 0)", sys3(__NR_tgkill, 0, tid, 0));
    out("tgkill(self, 0, 0)", sys3(__NR_tgkill, pid, 0, 0));
    out("tgkill(-1, self, 0)", sys3(__NR_tgkill, -1, tid, 0));
    out("tgkill(99999, self, 0)", sys3(__NR_tgkill, 99999, tid, 0));
    out("tgkill(self, 99999, 0)", sys3(__NR_tgkill, pid, 99999, 0));
    out("tgkill(self, self, 65)", sys3(__NR_tgkill, pid, tid, 65));

    struct ksiginfo q;
    memset(&q, 0, sizeof q);
    q.signo = 99; q.code = -1; q.f[0] = 4242; q.f[1] = 77; q.f[2] = 0x1234;   /* SI_QUEUE */
    hreset();
    out("rt_sigqueueinfo(self, SIGUSR1, {SI_QUEUE, pid 4242, uid 77, value 0x1234})", sys3(__NR_rt_sigqueueinfo, pid, SIGUSR1, (long)&q));
    l_s(&l, ".. si_signo si_code si_pid si_uid si_value: "); l_d(&l, hrt.info.signo); l_s(&l, " "); l_d(&l, hrt.info.code);
    l_s(&l, " "); l_d(&l, hrt.info.f[0]); l_s(&l, " "); l_d(&l, hrt.info.f[1]); l_s(&l, " "); l_x(&l, hrt.info.f[2]); l_end(&l);
    q.code = 0;
    hreset();
    out("rt_sigqueueinfo(self, SIGUSR1, {SI_USER})", sys3(__NR_rt_sigqueueinfo, pid, SIGUSR1, (long)&q));
    out(".. handler calls", hcount);
    long c = sys0(__NR_fork);
    if (c == 0) { sleep_ms(2000); _exit(0); }
    out("rt_sigqueueinfo(child, 0, {SI_USER})", sys3(__NR_rt_sigqueueinfo, c, 0, (long)&q));
    q.code = -6;
    out("rt_sigqueueinfo(child, 0, {SI_TKILL})", sys3(__NR_rt_sigqueueinfo, c, 0, (long)&q));
    q.code = -1;
    out("rt_sigqueueinfo(child, 0, {SI_QUEUE})", sys3(__NR_rt_sigqueueinfo, c, 0, (long)&q));
    sys2(__NR_kill, c, SIGKILL); reap(c);
    out("rt_sigqueueinfo(self, 65, info)", sys3(__NR_rt_sigqueueinfo, pid, 65, (long)&q));
    out("rt_sigqueueinfo(self, SIGUSR1, 0xc0000000)", sys3(__NR_rt_sigqueueinfo, pid, SIGUSR1, 0xc0000000));
    sigact(SIGUSR1, 0, 0, 0, 0);
}

/* ---- sigsuspend, pause, rt_sigtimedwait ---- */
static int child_sigsuspend72(long a)
{
    (void)a;
    hreset();
    sigact(SIGUSR1, h_plain, 0, 0, 0);
    setmask(BIT(SIGUSR1), 0);
    KILL(SIGUSR1);
    long r = sys3(__NR_sigsuspend, -1, -1, 0);   /* i386: the mask is the third argument */
    return r == -EINTR && hcount == 1 ? 0x42 : (int)(0x40 + hcount * 16 + -r);
}
static u64 now_ns(void) { i32 t[2]; sys2(__NR_clock_gettime, CLOCK_MONOTONIC, (long)t); return (u64)t[0] * 1000000000u + (u32)t[1]; }

static void t_wait(void)
{
    long pid = sys0(__NR_getpid);
    u32 m[2], none[2] = { 0, 0 };
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO, 0, 0);
    setmask(BIT(SIGUSR1), 0);
    KILL(SIGUSR1);
    hreset();
    out("rt_sigsuspend({}) with SIGUSR1 pending", sys2(__NR_rt_sigsuspend, (long)none, 8));
    out(".. handler calls", hcount);
    outm(".. uc_sigmask (the mask before the call)", hrt.uc.sigmask[0], hrt.uc.sigmask[1]);
    outm(".. mask in the handler", hmask[0], hmask[1]);
    getmask(m); outm(".. mask after", m[0], m[1]);
    out("rt_sigsuspend(set, sigsetsize 4)", sys2(__NR_rt_sigsuspend, (long)none, 4));
    out("rt_sigsuspend(0xc0000000, 8)", sys2(__NR_rt_sigsuspend, 0xc0000000, 8));
    sigact(SIGUSR2, h_rt_entry, SA_SIGINFO, 0, 0);
    KILL(SIGUSR1);
    hreset();
    u32 keep[2] = { BIT(SIGUSR1), 0 };
    long c = fork_kill_later(SIGUSR2, 100);
    out("rt_sigsuspend({USR1}) with USR1 pending, SIGUSR2 from a child 100 ms later", sys2(__NR_rt_sigsuspend, (long)keep, 8));
    out(".. handler calls, signal", hcount * 100 + hsig);
    getpend(m); outm(".. pending after", m[0], m[1]);
    reap(c);
    setmask(0, 0);
    c = sys0(__NR_fork);
    if (c == 0) _exit(child_sigsuspend72(0));
    outx("sigsuspend(-1, -1, {}) [72] with SIGUSR1 pending (exit 0x42: EINTR): status", wait_ms(c, 2000));
    hreset();
    c = fork_kill_later(SIGUSR1, 100);
    out("pause(), SIGUSR1 from a child 100 ms later", sys0(__NR_pause));
    out(".. handler calls", hcount);
    reap(c);

    struct ksiginfo si;
    i32 t0[2] = { 0, 0 }, t50[2] = { 0, 50000000 }, t2[2] = { 2, 0 }, tbad[2] = { 0, 1000000000 }, tneg[2] = { -1, 0 };
    u32 w2[2] = { BIT(SIGUSR2), 0 }, w40[2] = { 0, BIT(40) }, w1[2] = { BIT(SIGUSR1), 0 };
    setmask(BIT(SIGUSR2), BIT(40));
    out("rt_sigtimedwait({USR2}, timeout 0), nothing pending", sys4(__NR_rt_sigtimedwait, (long)w2, (long)&si, (long)t0, 8));
    u64 t = now_ns();
    out("rt_sigtimedwait({USR2}, 50 ms), nothing pending", sys4(__NR_rt_sigtimedwait, (long)w2, (long)&si, (long)t50, 8));
    outb(".. waited at least 50 ms", now_ns() - t >= 50000000);
    KILL(SIGUSR2);
    memset(&si, 0x5a, sizeof si);
    out("rt_sigtimedwait({USR2}, 50 ms) with SIGUSR2 pending", sys4(__NR_rt_sigtimedwait, (long)w2, (long)&si, (long)t50, 8));
    out_info(".. si_signo si_errno si_code", &si);
    outb(".. si_pid == getpid()", si.f[0] == (u32)pid);
    getpend(m); outm(".. pending after", m[0], m[1]);
    KILL(40); KILL(40);
    line_t l = {.n = 0};
    l_s(&l, "rt_sigtimedwait({40}) three times, 40 sent twice:");
    for (int i = 0; i < 3; i++) { l_s(&l, " "); l_d(&l, sys4(__NR_rt_sigtimedwait, (long)w40, (long)&si, (long)t0, 8)); }
    l_end(&l);
    KILL(SIGUSR2);
    out("rt_sigtimedwait({USR2}, NULL info, NULL timeout) with SIGUSR2 pending", sys4(__NR_rt_sigtimedwait, (long)w2, 0, 0, 8));
    out("rt_sigtimedwait(set, sigsetsize 4)", sys4(__NR_rt_sigtimedwait, (long)w2, (long)&si, (long)t0, 4));
    out("rt_sigtimedwait(timeout nsec 1000000000)", sys4(__NR_rt_sigtimedwait, (long)w2, (long)&si, (long)tbad, 8));
    out("rt_sigtimedwait(timeout -1 s)", sys4(__NR_rt_sigtimedwait, (long)w2, (long)&si, (long)tneg, 8));
    out("rt_sigtimedwait(set 0xc0000000)", sys4(__NR_rt_sigtimedwait, 0xc0000000, (long)&si, (long)t0, 8));
    KILL(SIGUSR2);
    out("rt_sigtimedwait(info 0xc0000000) with SIGUSR2 pending", sys4(__NR_rt_sigtimedwait, (long)w2, 0xc0000000, (long)t0, 8));
    getpend(m); outm(".. pending after", m[0], m[1]);
    setmask(0, 0);
    hreset();
    c = fork_kill_later(SIGUSR1, 100);
    out("rt_sigtimedwait({USR1}, 2 s), USR1 unblocked with a handler, sent 100 ms later", sys4(__NR_rt_sigtimedwait, (long)w1, (long)&si, (long)t2, 8));
    out(".. handler calls", hcount);
    reap(c);
    sigact(SIGUSR1, 0, 0, 0, 0); sigact(SIGUSR2, 0, 0, 0, 0);
}

/* ---- sigaltstack ---- */
static void t_altstack(void)
{
    u32 alt = (u32)map_anon(65536, PROT_READ | PROT_WRITE);
    struct kstack s = { alt, 0, 65536 }, o;
#define SAS(p_, f_, z_) (s.sp = (p_), s.flags = (f_), s.size = (z_), sys2(__NR_sigaltstack, (long)&s, 0))
    out("sigaltstack(NULL, NULL)", sys2(__NR_sigaltstack, 0, 0));
    out("sigaltstack(flags 4)", SAS(alt, 4, 65536));
    out("sigaltstack(flags SS_ONSTACK)", SAS(alt, SS_ONSTACK, 65536));
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss(".. read back", &o, alt);
    out("sigaltstack(size 2047)", SAS(alt, 0, 2047));
    out("sigaltstack(size 2048)", SAS(alt, 0, 2048));
    out("sigaltstack(SS_DISABLE, size 0)", SAS(0, SS_DISABLE, 0));
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss(".. read back", &o, 0);
    out("sigaltstack(SS_DISABLE|SS_AUTODISARM)", SAS(0, SS_DISABLE | SS_AUTODISARM, 0));
    out("sigaltstack(0xc0000000, NULL)", sys2(__NR_sigaltstack, 0xc0000000, 0));
    out("sigaltstack(NULL, 0xc0000000)", sys2(__NR_sigaltstack, 0, 0xc0000000));
    out("sigaltstack(64 KiB)", SAS(alt, 0, 65536));
    memset(&o, 0x5a, sizeof o);
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss(".. read back", &o, alt);

    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO | SA_ONSTACK, 0, 0);
    hreset(); hhook = hook_ss;
    KILL(SIGUSR1);
    outb("SA_ONSTACK handler: esp in the alternate stack", hentry_esp >= alt && hentry_esp < alt + 65536);
    outb(".. frame and fpstate within 4 KiB of its top", hentry_esp >= alt + 65536 - 4096);
    outx(".. sigaltstack(NULL, &old) in the handler: flags", (u32)hss.flags);
    out(".. changing it in the handler", hss_set);
    out_ss(".. uc_stack", &hrt.uc.stack, alt);
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss(".. after return", &o, alt);
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO, 0, 0);
    hreset();
    KILL(SIGUSR1);
    outb("handler without SA_ONSTACK: esp in the alternate stack", hentry_esp >= alt && hentry_esp < alt + 65536);
    sigact(SIGUSR1, h_old_entry, SA_ONSTACK, 0, 0);
    hreset();
    KILL(SIGUSR1);
    outb("old-frame SA_ONSTACK handler: esp in the alternate stack", hentry_esp >= alt && hentry_esp < alt + 65536);

    out("sigaltstack(64 KiB, SS_AUTODISARM)", SAS(alt, SS_AUTODISARM, 65536));
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss(".. read back", &o, alt);
    sigact(SIGUSR1, h_rt_entry, SA_SIGINFO | SA_ONSTACK, 0, 0);
    hreset(); hhook = hook_ss;
    KILL(SIGUSR1);
    outb(".. SA_ONSTACK handler: esp in the alternate stack", hentry_esp >= alt && hentry_esp < alt + 65536);
    outx(".. sigaltstack(NULL, &old) in the handler: flags", (u32)hss.flags);
    out(".. changing it in the handler", hss_set);
    out_ss(".. uc_stack", &hrt.uc.stack, alt);
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss(".. after return (rt_sigreturn restores uc_stack)", &o, alt);
    SAS(alt, 0, 65536);
    hreset(); hhook = hook_ucstack;
    KILL(SIGUSR1);
    sys2(__NR_sigaltstack, 0, (long)&o); out_ss("handler sets uc_stack.ss_flags = SS_DISABLE: after return", &o, alt);
    SAS(0, SS_DISABLE, 0);
    sigact(SIGUSR1, 0, 0, 0, 0);
    sys2(__NR_munmap, alt, 65536);
}

/* ---- alarm, setitimer, getitimer ---- */
static void t_timers(void)
{
    struct itv { i32 is, ius, vs, vus; } v, ov, zero = { 0, 0, 0, 0 };
    line_t l = {.n = 0};
    out("alarm(0) with nothing armed", sys1(__NR_alarm, 0));
    out("alarm(5)", sys1(__NR_alarm, 5));
    out("alarm(3) returns the seconds left", sys1(__NR_alarm, 3));
    out("alarm(0) returns the seconds left", sys1(__NR_alarm, 0));
    sys1(__NR_alarm, 2);
    memset(&v, 0x5a, sizeof v);
    out("getitimer(ITIMER_REAL) after alarm(2)", sys2(__NR_getitimer, ITIMER_REAL, (long)&v));
    u64 us = (u64)v.vs * 1000000 + v.vus;
    l_s(&l, ".. interval "); l_d(&l, v.is); l_s(&l, " "); l_d(&l, v.ius);
    l_s(&l, ", value in (1.8 s, 2 s]: "); l_s(&l, us > 1800000 && us <= 2000000 ? "yes" : "no"); l_end(&l);
    sys1(__NR_alarm, 0);
    out("getitimer(3)", sys2(__NR_getitimer, 3, (long)&v));
    out("getitimer(-1)", sys2(__NR_getitimer, -1, (long)&v));
    out("setitimer(3)", sys3(__NR_setitimer, 3, (long)&zero, 0));
    out("getitimer(ITIMER_REAL, 0xc0000000)", sys2(__NR_getitimer, ITIMER_REAL, 0xc0000000));
    out("setitimer(ITIMER_REAL, 0xc0000000)", sys3(__NR_setitimer, ITIMER_REAL, 0xc0000000, 0));
    v = (struct itv){ 0, 0, 0, 1000000 };
    out("setitimer(ITIMER_REAL, value usec 1000000)", sys3(__NR_setitimer, ITIMER_REAL, (long)&v, 0));
    v = (struct itv){ 0, -1, 0, 0 };
    out("setitimer(ITIMER_REAL, interval usec -1, value 0)", sys3(__NR_setitimer, ITIMER_REAL, (long)&v, 0));
    out("setitimer(ITIMER_REAL, NULL) (disarms)", sys3(__NR_setitimer, ITIMER_REAL, 0, 0));

    sigact(SIGALRM, h_rt_entry, SA_SIGINFO, 0, 0);
    hreset();
    out("alarm(1)", sys1(__NR_alarm, 1));
    out(".. pause()", sys0(__NR_pause));
    out(".. handler calls", hcount);
    out_info(".. si_signo si_errno si_code", &hrt.info);
    out(".. si_pid", hrt.info.f[0]);
    hreset();
    v = (struct itv){ 0, 20000, 0, 20000 };
    out("setitimer(ITIMER_REAL, 20 ms, interval 20 ms)", sys3(__NR_setitimer, ITIMER_REAL, (long)&v, 0));
    while (hcount < 5) sys0(__NR_pause);
    memset(&ov, 0x5a, sizeof ov);
    out(".. 5 deliveries, then setitimer(0) (disarm)", sys3(__NR_setitimer, ITIMER_REAL, (long)&zero, (long)&ov));
    l_s(&l, ".. old interval "); l_d(&l, ov.is); l_s(&l, " "); l_d(&l, ov.ius);
    l_s(&l, ", old value <= 20 ms: "); l_s(&l, ov.vs == 0 && ov.vus > 0 && ov.vus <= 20000 ? "yes" : "no"); l_end(&l);
    out_info(".. si_signo si_errno si_code", &hrt.info);
    u32 n = hcount;
    sleep_ms(60);
    outb(".. no deliveries in the 60 ms after disarming", hcount == n);
    v = (struct itv){ 0, 0, 0, 50000 };
    sys3(__NR_setitimer, ITIMER_REAL, (long)&v, 0);
    hreset();
    long r = raise_regs(__NR_pause, 0x1111, 0x2222, 0x3333);
    out("pause() ended by a 50 ms ITIMER_REAL: eax", r);
    outb(".. other registers preserved", rr_intact((u32)-EINTR, 0x1111, 0x2222, 0x3333));
    out(".. sigcontext eax (the result already)", (long)hrt.uc.mc.eax);
    outb(".. sigcontext eip after the int 0x80", hrt.uc.mc.eip == (u32)raise_after);
    out("restart_syscall() without a restart block", sys0(__NR_restart_syscall));
    sigact(SIGALRM, 0, 0, 0, 0);
}

/* ---- EINTR and SA_RESTART: a child blocked in a call gets a signal ---- */
enum { OP_READ, OP_WAIT, OP_SLEEP, OP_PAUSE, OP_TIMEDWAIT };
static void restart_case(const char *name, int op, int sig, int how, u32 flags)
{
    int p[2];
    sys1(__NR_pipe, (long)p);
    shm[0] = 0;
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        hreset();
        if (how == 2) sigact(sig, h_rt_entry, SA_SIGINFO | flags, 0, 0);
        else if (how == 1) sigact(sig, (void *)1, flags, 0, 0);
        long r = 0, gc = 0;
        char c = 0;
        i32 ts[2] = { 0, 400000000 }, rem[2] = { -1, -1 }, st = 0, t1[2] = { 1, 0 };
        u32 w2[2] = { BIT(SIGUSR2), 0 };
        if (op == OP_WAIT) { gc = sys0(__NR_fork); if (gc == 0) { sleep_ms(300); _exit(7); } }
        if (op == OP_TIMEDWAIT) setmask(BIT(SIGUSR2), 0);
        shm[0] = 1;
        switch (op) {
        case OP_READ: r = sys3(__NR_read, p[0], (long)&c, 1); shm[2] = (u32)c; break;
        case OP_WAIT: r = sys3(__NR_waitpid, gc, (long)&st, 0); shm[2] = (u32)st; if (r == gc) r = 1000; break;
        case OP_SLEEP: r = sys2(__NR_nanosleep, (long)ts, (long)rem); shm[2] = rem[0] == 0 && rem[1] > 0 && rem[1] < 400000000; break;
        case OP_PAUSE: r = sys0(__NR_pause); break;
        case OP_TIMEDWAIT: r = sys4(__NR_rt_sigtimedwait, (long)w2, 0, (long)t1, 8); break;
        }
        shm[1] = (u32)r; shm[3] = hcount;
        _exit(0);
    }
    for (int i = 0; i < 200 && !shm[0]; i++) sleep_ms(5);
    sleep_ms(100);
    sys2(__NR_kill, pid, sig);
    sleep_ms(100);
    sys3(__NR_write, p[1], (long)"x", 1);
    u32 st = wait_ms(pid, 3000);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": ");
    if (st != 0) { l_s(&l, "child status="); l_x(&l, st); }
    else {
        if (op == OP_WAIT && shm[1] == 1000) l_s(&l, "pid"); else l_d(&l, (i32)shm[1]);
        if (op == OP_READ && shm[1] == 1) { l_s(&l, " byte="); l_d(&l, shm[2]); }
        if (op == OP_WAIT && shm[1] == 1000) { l_s(&l, " status="); l_x(&l, shm[2]); }
        if (op == OP_SLEEP) { l_s(&l, " rem in (0, 400 ms)="); l_s(&l, shm[2] ? "yes" : "no"); }
        l_s(&l, " handler calls="); l_d(&l, shm[3]);
    }
    l_end(&l);
    sys1(__NR_close, p[0]); sys1(__NR_close, p[1]);
}

/* ---- SIGCHLD ---- */
static void chld_wait(const char *name, long child)
{
    struct ksiginfo si;
    u32 w[2] = { BIT(SIGCHLD), 0 };
    i32 t[2] = { 0, 300000000 };
    memset(&si, 0, sizeof si);
    long r = sys4(__NR_rt_sigtimedwait, (long)w, (long)&si, (long)t, 8);
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_d(&l, r);
    if (r == SIGCHLD) {
        l_s(&l, " si_code="); l_d(&l, si.code); l_s(&l, " si_status="); l_d(&l, (i32)si.f[2]);
        l_s(&l, " si_pid="); l_s(&l, si.f[0] == (u32)child ? "child" : "other");
    }
    l_end(&l);
}
static int child_nocldwait(long ign)
{
    hreset();
    sigact(SIGCHLD, ign ? (void *)1 : (void *)h_rt_entry, ign ? 0 : SA_SIGINFO | SA_NOCLDWAIT, 0, 0);
    long gc = sys0(__NR_fork);
    if (gc == 0) _exit(3);
    i32 st = 0x5a;
    shm[1] = (u32)sys3(__NR_waitpid, -1, (long)&st, 0);
    sleep_ms(20);
    shm[2] = hcount;
    return 0;
}
static void t_chld(void)
{
    u32 m[2];
    setmask(BIT(SIGCHLD), 0);
    sigact(SIGCHLD, h_rt_entry, SA_SIGINFO, 0, 0);
    for (int nocldstop = 0; nocldstop < 2; nocldstop++) {
        if (nocldstop) sigact(SIGCHLD, h_rt_entry, SA_SIGINFO | SA_NOCLDSTOP, 0, 0);
        long c;
        if (!nocldstop) {
            c = sys0(__NR_fork);
            if (c == 0) _exit(5);
            chld_wait("SIGCHLD for exit(5): rt_sigtimedwait", c);
            reap(c);
            c = sys0(__NR_fork);
            if (c == 0) { sleep_ms(2000); _exit(0); }
            sys2(__NR_kill, c, SIGTERM);
            chld_wait("SIGCHLD for SIGTERM: rt_sigtimedwait", c);
            reap(c);
        }
        c = sys0(__NR_fork);
        if (c == 0) { sleep_ms(2000); _exit(0); }
        sleep_ms(20);
        sys2(__NR_kill, c, SIGSTOP);
        chld_wait(nocldstop ? "SA_NOCLDSTOP: SIGCHLD for SIGSTOP: rt_sigtimedwait" : "SIGCHLD for SIGSTOP: rt_sigtimedwait", c);
        sys2(__NR_kill, c, SIGCONT);
        chld_wait(nocldstop ? "SA_NOCLDSTOP: SIGCHLD for SIGCONT: rt_sigtimedwait" : "SIGCHLD for SIGCONT: rt_sigtimedwait", c);
        sys2(__NR_kill, c, SIGKILL);
        chld_wait(nocldstop ? "SA_NOCLDSTOP: SIGCHLD for SIGKILL: rt_sigtimedwait" : "SIGCHLD for SIGKILL: rt_sigtimedwait", c);
        reap(c);
    }
    long c = sys0(__NR_fork);
    if (c == 0) _exit(0);
    reap(c);
    getpend(m); outb("child exited while SIGCHLD blocked: SIGCHLD pending", m[0] & BIT(SIGCHLD));
    sigact(SIGCHLD, 0, 0, 0, 0);
    getpend(m); outb(".. after rt_sigaction(SIGCHLD, SIG_DFL): pending", m[0] & BIT(SIGCHLD));
    setmask(0, 0);
    shm[1] = shm[2] = 0x5a;
    outx("SA_NOCLDWAIT handler: child status", (u32)run_child_ms(child_nocldwait, 0, 3000));
    out(".. waitpid(-1) for an exited grandchild", (i32)shm[1]);
    out(".. handler calls", shm[2]);
    outx("SIGCHLD SIG_IGN: child status", (u32)run_child_ms(child_nocldwait, 1, 3000));
    out(".. waitpid(-1) for an exited grandchild", (i32)shm[1]);
}

/* ---- execve: handlers reset, SIG_IGN, mask and pending kept ---- */
static int exec_child(void)
{
    struct ksigaction o;
    u32 m[2];
    line_t l = {.n = 0};
    static const int sigs[] = { SIGUSR1, SIGUSR2, SIGCHLD };
    static const char *const names[] = { "exec: SIGUSR1 (was a handler)", "exec: SIGUSR2 (was SIG_IGN)", "exec: SIGCHLD (was SIG_IGN)" };
    for (int i = 0; i < 3; i++) {
        memset(&o, 0x5a, sizeof o);
        RTSA(sigs[i], 0, &o, 8);
        l_s(&l, names[i]); l_s(&l, ": handler flags restorer mask: "); l_x(&l, o.handler); l_s(&l, " "); l_x(&l, o.flags);
        l_s(&l, " "); l_x(&l, o.restorer); l_s(&l, " "); l_x(&l, o.mask[0]); l_s(&l, " "); l_x(&l, o.mask[1]); l_end(&l);
    }
    getmask(m); outm("exec: blocked", m[0], m[1]);
    getpend(m); outm("exec: pending", m[0], m[1]);
    struct kstack s;
    sys2(__NR_sigaltstack, 0, (long)&s); out_ss("exec: sigaltstack", &s, 0);
    out("exec: alarm(0) returns the seconds left", sys1(__NR_alarm, 0));
    setmask(0, 0);   /* SIGTERM (pending) kills */
    return 0x42;
}
static void t_exec(void)
{
    long pid = sys0(__NR_fork);
    if (pid == 0) {
        sigact(SIGUSR1, h_rt_entry, SA_SIGINFO | SA_RESTART, BIT(SIGTERM), 0);
        sigact(SIGUSR2, (void *)1, SA_RESTART, BIT(SIGTERM), 0);
        sigact(SIGCHLD, (void *)1, 0, 0, 0);
        setmask(BIT(SIGTERM), BIT(40));
        KILL(SIGTERM); KILL(40);
        struct kstack s = { (u32)map_anon(65536, PROT_READ | PROT_WRITE), 0, 65536 };
        sys2(__NR_sigaltstack, (long)&s, 0);
        sys1(__NR_alarm, 5);
        char *av[] = { "prog", "sigexec", 0 }, *ev[] = { 0 };
        long r = sys3(__NR_execve, (long)"/prog", (long)av, (long)ev);
        _exit(100 + (int)-r);
    }
    outx("exec: the new image ends by the pending SIGTERM: status", wait_ms(pid, 5000));
}

int main(int argc, char **argv, char **envp)
{
    (void)envp;
    if (argc > 1 && seq(argv[1], "sigexec"))
        return exec_child();
    puts1("--- start\n");
    shm = shared_page();
    t_sigaction();
    t_deliver();
    t_mask();
    t_flags();
    t_kill();
    t_wait();
    t_altstack();
    t_timers();
    restart_case("read(pipe), handler without SA_RESTART", OP_READ, SIGUSR1, 2, 0);
    restart_case("read(pipe), handler with SA_RESTART", OP_READ, SIGUSR1, 2, SA_RESTART);
    restart_case("read(pipe), SIGUSR1 SIG_IGN", OP_READ, SIGUSR1, 1, 0);
    restart_case("read(pipe), SIGWINCH SIG_DFL (ignore)", OP_READ, SIGWINCH, 0, 0);
    restart_case("read(pipe), SIGCHLD SIG_DFL (ignore)", OP_READ, SIGCHLD, 0, 0);
    restart_case("waitpid(child), handler without SA_RESTART", OP_WAIT, SIGUSR1, 2, 0);
    restart_case("waitpid(child), handler with SA_RESTART", OP_WAIT, SIGUSR1, 2, SA_RESTART);
    restart_case("nanosleep(400 ms), handler without SA_RESTART", OP_SLEEP, SIGUSR1, 2, 0);
    restart_case("nanosleep(400 ms), handler with SA_RESTART", OP_SLEEP, SIGUSR1, 2, SA_RESTART);
    restart_case("pause(), handler with SA_RESTART", OP_PAUSE, SIGUSR1, 2, SA_RESTART);
    restart_case("rt_sigtimedwait({USR2}, 1 s), SIGUSR1 handler with SA_RESTART", OP_TIMEDWAIT, SIGUSR1, 2, SA_RESTART);
    t_chld();
    t_exec();
    puts1("--- end\n");
    return 0;
}

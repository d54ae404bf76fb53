/* sig.h: what signal.c and sigfault.c share (include after t.h): the
 * kernel's own i386 signal structures (not libc's), our restorers, and
 * raise_regs, an int 0x80 made with known registers whose state right
 * after the call is recorded.
 *
 * Layouts (Linux arch/x86/include/asm/sigframe.h, uapi sigcontext.h):
 *   struct sigcontext (88 bytes): gs fs es ds (16-bit, stored as 32) 0..12,
 *     edi 16 esi 20 ebp 24 esp 28 ebx 32 edx 36 ecx 40 eax 44, trapno 48,
 *     err 52, eip 56, cs 60 (16-bit: the upper half is not written),
 *     eflags 64, esp_at_signal 68, ss 72 (16-bit), fpstate 76, oldmask 80,
 *     cr2 84.
 *   ucontext (116): uc_flags 0, uc_link 4, uc_stack 8 (sp flags size),
 *     uc_mcontext 20, uc_sigmask 108 (8 bytes).
 *   rt_sigframe (SA_SIGINFO): pretcode 0, sig 4, pinfo 8, puc 12,
 *     siginfo 16 (128 bytes), ucontext 144, retcode 260; the handler is
 *     entered with esp at pretcode.
 *   sigframe (no SA_SIGINFO): pretcode 0, sig 4, sigcontext 8, an unused
 *     struct _fpstate_32 (624 bytes) 96, extramask 720 (mask word 1),
 *     retcode 724. */
#ifndef SIG_H
#define SIG_H

struct ksigaction { u32 handler, flags, restorer, mask[2]; };   /* rt_sigaction (174) */
struct oldsigaction { u32 handler, mask, flags, restorer; };    /* sigaction (67) */
struct kstack { u32 sp; i32 flags; u32 size; };                 /* stack_t */
struct ksc {
    u32 gs, fs, es, ds;
    u32 edi, esi, ebp, esp, ebx, edx, ecx, eax;
    u32 trapno, err, eip, cs, eflags, esp_at_signal, ss;
    u32 fpstate, oldmask, cr2;
};
struct kucontext { u32 flags, link; struct kstack stack; struct ksc mc; u32 sigmask[2]; };
/* f[0]: si_pid, si_addr, si_tid; f[1]: si_uid, si_overrun; f[2]: si_status, si_value */
struct ksiginfo { i32 signo, errno_, code; u32 f[29]; };
struct rt_sigframe { u32 pretcode; i32 sig; u32 pinfo, puc; struct ksiginfo info; struct kucontext uc; unsigned char retcode[8]; };
struct sigframe { u32 pretcode; i32 sig; struct ksc sc; unsigned char fpstate_unused[624]; u32 extramask; unsigned char retcode[8]; };
_Static_assert(sizeof(struct ksc) == 88, "sigcontext");
_Static_assert(__builtin_offsetof(struct rt_sigframe, uc.mc) == 164, "rt_sigframe.uc.uc_mcontext");
_Static_assert(__builtin_offsetof(struct rt_sigframe, uc.sigmask) == 252, "rt_sigframe.uc.uc_sigmask");
_Static_assert(__builtin_offsetof(struct rt_sigframe, retcode) == 260, "rt_sigframe.retcode");
_Static_assert(__builtin_offsetof(struct sigframe, extramask) == 720, "sigframe.extramask");
_Static_assert(sizeof(struct sigframe) == 732, "sigframe");

typedef __u16 u16;
#ifndef SS_ONSTACK
#define SS_ONSTACK 1
#define SS_DISABLE 2
#endif
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1u << 31)
#endif
#define SEG(v) ((v) & 0xffff)

/* The bit of signal s in word (s - 1) / 32 of a mask. */
#define BIT(s) (1u << (((s) - 1) & 31))

/* sa_restorer for SA_SIGINFO handlers (rt_sigreturn) and for the others
 * (sigreturn: the frame's sig word is popped first). */
extern char rt_restorer[], old_restorer[];
__asm__(".text\n.globl rt_restorer\nrt_restorer:\n  mov $" T_STR(__NR_rt_sigreturn) ", %eax\n  int $0x80\n  hlt\n"
        ".globl old_restorer\nold_restorer:\n  pop %eax\n  mov $" T_STR(__NR_sigreturn) ", %eax\n  int $0x80\n  hlt\n");

/* Handler entry stubs: record esp and eax/edx/ecx at entry, then go on to
 * the C function. */
u32 entry_esp, entry_regs[3];
#define ENTRY_STUB(stub, fn) \
    extern char stub[]; \
    __asm__(".text\n" #stub ":\n  mov %esp, entry_esp\n  mov %eax, entry_regs\n" \
            "  mov %edx, entry_regs+4\n  mov %ecx, entry_regs+8\n  jmp " #fn "\n");

/* rt_sigaction with SA_RESTORER and the restorer that fits the frame. */
static long sigact(int sig, const void *handler, u32 flags, u32 m0, u32 m1)
{
    struct ksigaction a = { (u32)handler, flags | SA_RESTORER,
                            (u32)((flags & SA_SIGINFO) ? rt_restorer : old_restorer), { m0, m1 } };
    return sys4(__NR_rt_sigaction, sig, (long)&a, 0, 8);
}
static long setmask(u32 m0, u32 m1) { u32 m[2] = { m0, m1 }; return sys4(__NR_rt_sigprocmask, SIG_SETMASK, (long)m, 0, 8); }
static void getmask(u32 *m) { m[0] = m[1] = 0xeeeeeeee; sys4(__NR_rt_sigprocmask, SIG_BLOCK, 0, (long)m, 8); }
static void getpend(u32 *m) { m[0] = m[1] = 0xeeeeeeee; sys2(__NR_rt_sigpending, (long)m, 8); }
static void outm(const char *name, u32 m0, u32 m1)
{
    line_t l = {.n = 0};
    l_s(&l, name); l_s(&l, ": "); l_x(&l, m0); l_s(&l, " "); l_x(&l, m1); l_end(&l);
}

/* raise_regs(nr, a, b, c): int 0x80 with eax=nr ebx=a ecx=b edx=c and
 * esi, edi, ebp = RR_ESI, RR_EDI, RR_EBP. The instruction after it is
 * raise_after, which records the registers (rr_after: eax ebx ecx edx esi
 * edi ebp esp eflags) and the segment registers (rr_seg: ds es fs gs cs ss)
 * before it touches memory, reloads ds and es from ss, and returns eax.
 * raise_alt sets eax to 0xa17 and goes to raise_after (a handler can send
 * the resumed task there). rr_esp is esp at the int 0x80. */
#define RR_ESI 0x51515151u
#define RR_EDI 0xd1d1d1d1u
#define RR_EBP 0xb0b0b0b0u
u32 rr_after[9], rr_seg[6], rr_esp;
extern char raise_after[], raise_alt[];
long raise_regs(long nr, long a, long b, long c);
__asm__(".text\n.globl raise_regs\nraise_regs:\n"
        "  push %ebp\n  push %ebx\n  push %esi\n  push %edi\n"
        "  mov 20(%esp), %eax\n  mov 24(%esp), %ebx\n  mov 28(%esp), %ecx\n  mov 32(%esp), %edx\n"
        "  mov $0x51515151, %esi\n  mov $0xd1d1d1d1, %edi\n  mov $0xb0b0b0b0, %ebp\n"
        "  mov %esp, rr_esp\n"
        "  int $0x80\n"
        ".globl raise_after\nraise_after:\n"
        "  pushf\n  push %ss\n  push %cs\n  push %gs\n  push %fs\n  push %es\n  push %ds\n"
        "  push %eax\n  mov %ss, %eax\n  mov %eax, %ds\n  mov %eax, %es\n  pop %eax\n"
        "  mov %eax, rr_after\n  mov %ebx, rr_after+4\n  mov %ecx, rr_after+8\n  mov %edx, rr_after+12\n"
        "  mov %esi, rr_after+16\n  mov %edi, rr_after+20\n  mov %ebp, rr_after+24\n"
        "  lea 28(%esp), %ebx\n  mov %ebx, rr_after+28\n"
        "  popl rr_seg\n  popl rr_seg+4\n  popl rr_seg+8\n  popl rr_seg+12\n  popl rr_seg+16\n  popl rr_seg+20\n"
        "  popl rr_after+32\n"
        "  pushl $0x202\n  popf\n"
        "  mov rr_after, %eax\n"
        "  pop %edi\n  pop %esi\n  pop %ebx\n  pop %ebp\n  ret\n"
        ".globl raise_alt\nraise_alt:\n  mov $0xa17, %eax\n  jmp raise_after\n");

/* The wait status of pid, SIGKILLing it after ms milliseconds (status 0x9:
 * it hung), so that a child that never ends does not stop the program. */
static u32 wait_ms(long pid, u32 ms)
{
    i32 st = 0;
    for (u32 t = 0; t < ms; t += 10) {
        if (sys3(__NR_waitpid, pid, (long)&st, WNOHANG) == pid) return (u32)st;
        sleep_ms(10);
    }
    sys2(__NR_kill, pid, SIGKILL);
    sys3(__NR_waitpid, pid, (long)&st, 0);
    return (u32)st;
}
/* fork; the child runs fn(arg) and exits with its result; its wait status. */
static u32 run_child_ms(int (*fn)(long), long arg, u32 ms)
{
    long pid = sys0(__NR_fork);
    if (pid == 0)
        _exit(fn(arg));
    return is_err(pid) ? (u32)pid : wait_ms(pid, ms);
}

/* Did the registers come back as raise_regs set them (eax = want_eax)? */
static int rr_intact(u32 want_eax, u32 b, u32 c, u32 d)
{
    return rr_after[0] == want_eax && rr_after[1] == b && rr_after[2] == c && rr_after[3] == d &&
           rr_after[4] == RR_ESI && rr_after[5] == RR_EDI && rr_after[6] == RR_EBP && rr_after[7] == rr_esp;
}
#endif

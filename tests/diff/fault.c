/* fault.c: children that fault in many ways; the parent prints the raw
 * waitpid status in hex (0xb = SIGSEGV, 0x4 = SIGILL, 0x5 = SIGTRAP,
 * 0x7 = SIGBUS, 0x8 = SIGFPE; 0x6300 = exit 99, i.e. no fault). */
#include "t.h"

static volatile u32 sink;
static u32 word[4] = {1, 2, 3, 4};

static int null_read(long a) { (void)a; sink = *(volatile u32 *)0; return 99; }
static int null_write(long a) { (void)a; *(volatile u32 *)0 = 1; return 99; }
static int addr_read(long a) { sink = *(volatile u32 *)a; return 99; }
static int addr_write(long a) { *(volatile u32 *)a = 1; return 99; }
static int below_esp_read(long d) { u32 sp; __asm__ volatile("mov %%esp, %0" : "=r"(sp)); sink = *(volatile u32 *)(sp - d); return 99; }
static int below_esp_write(long d) { u32 sp; __asm__ volatile("mov %%esp, %0" : "=r"(sp)); *(volatile u32 *)(sp - d) = 1; return 99; }
static int addr_exec(long a) { ((void (*)(void))a)(); return 99; }
static int do_int3(long a) { (void)a; __asm__ volatile("int3"); return 99; }
static int do_int_3(long a) { (void)a; __asm__ volatile(".byte 0xcd, 0x03"); return 99; }
static int do_ud2(long a) { (void)a; __asm__ volatile("ud2"); return 99; }
static int do_div0(long a) { volatile u32 z = (u32)a; u32 q; __asm__ volatile("divl %2" : "=a"(q) : "a"(1), "r"(z), "d"(0)); sink = q; return 99; }
static int do_idiv_ovf(long a) { (void)a; volatile i32 m = -1; i32 q; __asm__ volatile("idivl %2" : "=a"(q) : "a"(0x80000000), "r"(m), "d"(-1)); sink = q; return 99; }
static int do_cli(long a) { (void)a; __asm__ volatile("cli"); return 99; }
static int do_sti(long a) { (void)a; __asm__ volatile("sti"); return 99; }
static int do_hlt(long a) { (void)a; __asm__ volatile("hlt"); return 99; }
static int do_in(long a) { (void)a; u32 v; __asm__ volatile("inb $0x80, %%al" : "=a"(v)); sink = v; return 99; }
static int do_out(long a) { (void)a; __asm__ volatile("outb %%al, $0x80" :: "a"(0)); return 99; }
static int do_int(long v)
{
    switch (v) {
    case 0x00: __asm__ volatile("int $0x00"); break;
    case 0x01: __asm__ volatile("int $0x01"); break;
    case 0x04: __asm__ volatile("int $0x04"); break;
    case 0x05: __asm__ volatile("int $0x05"); break;
    case 0x06: __asm__ volatile("int $0x06"); break;
    case 0x0d: __asm__ volatile("int $0x0d"); break;
    case 0x0e: __asm__ volatile("int $0x0e"); break;
    case 0x20: __asm__ volatile("int $0x20"); break;
    case 0x21: __asm__ volatile("int $0x21"); break;
    case 0x2e: __asm__ volatile("int $0x2e"); break;
    case 0x81: __asm__ volatile("int $0x81"); break;
    case 0xff: __asm__ volatile("int $0xff"); break;
    }
    return 99;
}
static int do_into(long a) { (void)a; __asm__ volatile("mov $0x7fffffff, %%eax\n add $1, %%eax\n into" ::: "eax", "cc"); return 99; }
static int do_bound(long a) { (void)a; static i32 b[2] = {0, 10}; __asm__ volatile("mov $20, %%eax\n bound %%eax, %0" :: "m"(b) : "eax"); return 99; }
static int do_mov_cr0(long a) { (void)a; u32 v; __asm__ volatile("mov %%cr0, %0" : "=r"(v)); sink = v; return 99; }
static int do_lgdt(long a) { (void)a; static char d[6]; __asm__ volatile("lgdt %0" :: "m"(d)); return 99; }
static int do_wrmsr(long a) { (void)a; __asm__ volatile("wrmsr" :: "c"(0x10), "a"(0), "d"(0)); return 99; }
static int do_rdmsr(long a) { (void)a; u32 lo, hi; __asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(0x10)); sink = lo; return 99; }
static int do_rdtsc(long a) { (void)a; u32 lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); sink = lo; return 99; }
static int do_rdpmc(long a) { (void)a; u32 lo, hi; __asm__ volatile("rdpmc" : "=a"(lo), "=d"(hi) : "c"(0)); sink = lo; return 99; }
static int do_sysenter(long a) { (void)a; __asm__ volatile("sysenter"); return 99; }
static int do_syscall_insn(long a) { (void)a; __asm__ volatile(".byte 0x0f, 0x05"); return 99; }
static int do_bad_ds(long a) { (void)a; __asm__ volatile("mov %0, %%ds" :: "r"(0x1234)); return 99; }
static int do_null_ds_access(long a)
{
    (void)a;
    u32 v;
    __asm__ volatile("push %%ds\n xor %%eax, %%eax\n mov %%ax, %%ds\n mov (%1), %%eax\n pop %%ds" : "=&a"(v) : "r"(word));
    sink = v;
    return 99;
}
static int do_gs_access(long a) { (void)a; u32 v; __asm__ volatile("mov %%gs:(%1), %0" : "=r"(v) : "r"(word)); sink = v; return 99; }
static int do_fs_access(long a) { (void)a; u32 v; __asm__ volatile("mov %%fs:(%1), %0" : "=r"(v) : "r"(word)); sink = v; return 99; }
static int do_far_call(long a) { (void)a; __asm__ volatile("lcall $0x7, $0"); return 99; }
static int do_iret_bad(long a)
{
    (void)a;
    __asm__ volatile("pushl $0x1234\n pushl $0\n pushl $0x1234\n pushl $0\n iret");
    return 99;
}
static int do_ltr(long a) { (void)a; __asm__ volatile("ltr %%ax" :: "a"(0x28)); return 99; }
static int do_invlpg(long a) { (void)a; __asm__ volatile("invlpg (%0)" :: "r"(word)); return 99; }
static int do_smsw(long a) { (void)a; u32 v; __asm__ volatile("smsw %0" : "=r"(v)); sink = v; return 99; }
static int do_sgdt(long a) { (void)a; static char d[8]; __asm__ volatile("sgdt %0" : "=m"(d)); return 99; }
static int do_popf_iopl(long a)
{
    (void)a;
    u32 f;
    __asm__ volatile("pushf\n orl $0x3000, (%%esp)\n popf\n pushf\n pop %0" : "=r"(f));
    return (f & 0x3000) ? 1 : 99;   /* IOPL silently unchanged in ring 3 */
}
static int do_popf_if(long a)
{
    (void)a;
    u32 f;
    __asm__ volatile("pushf\n andl $~0x200, (%%esp)\n popf\n pushf\n pop %0" : "=r"(f));
    return (f & 0x200) ? 99 : 2;     /* IF unchanged in ring 3 */
}
static int do_ac_unaligned(long a)
{
    (void)a;
    u32 v;
    __asm__ volatile("pushf\n orl $0x40000, (%%esp)\n popf\n"
                     "mov 1(%1), %0\n"
                     "pushf\n andl $~0x40000, (%%esp)\n popf" : "=r"(v) : "r"(word));
    sink = v;
    return 99;
}
__attribute__((noinline)) static int recurse(int n) { volatile char buf[1024]; buf[0] = (char)n; return recurse(n + 1) + buf[0]; }
static int do_stack_overflow(long a) { (void)a; return recurse(0); }
static int do_esp_zero(long a) { (void)a; __asm__ volatile("mov $0, %%esp\n push %%eax" ::: "memory"); return 99; }
static int do_esp_kernel(long a) { (void)a; __asm__ volatile("mov $0xc0001000, %%esp\n push %%eax" ::: "memory"); return 99; }
static int do_write_text(long a) { (void)a; *(volatile u32 *)(u32)do_write_text = 0; return 99; }
static int do_exec_stack(long a)
{
    (void)a;
    volatile unsigned char code[16] = { 0xb8, 42, 0, 0, 0, 0xc3 };   /* mov $42,%eax; ret */
    int r = ((int (*)(void))(void *)code)();
    return r == 42 ? 99 : 1;
}
static int do_exec_ro_map(long a)
{
    (void)a;
    unsigned char *p = map_anon(4096, PROT_READ | PROT_WRITE);
    p[0] = 0xb8; p[1] = 42; p[2] = p[3] = p[4] = 0; p[5] = 0xc3;
    sys3(__NR_mprotect, (long)p, 4096, PROT_READ);
    int r = ((int (*)(void))(void *)p)();
    return r == 42 ? 99 : 1;
}
static int do_prot_none(long w)
{
    volatile u32 *p = map_anon(4096, PROT_NONE);
    if (w) *p = 1; else sink = *p;
    return 99;
}
static int do_ro_write(long a)
{
    (void)a;
    volatile u32 *p = map_anon(4096, PROT_READ);
    sink = *p;
    *p = 1;
    return 99;
}
static int do_file_past_eof(long off)
{
    long fd = sys2(__NR_open, (long)"/prog", O_RDONLY);
    if (is_err(fd)) return 50;
    long size = sys3(__NR_lseek, fd, 0, SEEK_END);
    u32 len = ((u32)size + 4095) & ~4095u;
    long p = sys6(__NR_mmap2, 0, len + 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    if (is_err(p)) return 51;
    if (off == 0) { sink = *(volatile unsigned char *)(p + len - 1); return 98; }  /* in the last, partial page */
    sink = *(volatile unsigned char *)(p + len + (off - 1) * 4096);
    return 99;
}
static int do_x87_div0(long a)
{
    (void)a;
    unsigned short cw = 0x37f & ~0x4;   /* unmask zero-divide */
    volatile float one = 1.0f, zero = 0.0f, r;
    __asm__ volatile("fldcw %0" :: "m"(cw));
    __asm__ volatile("flds %1\n fdivs %2\n fstps %0\n fwait" : "=m"(r) : "m"(one), "m"(zero));
    return 99;
}
static int do_sse_div0(long a)
{
    (void)a;
    u32 mx = 0x1f80 & ~0x200;   /* unmask zero-divide */
    static float one[4] = {1, 1, 1, 1}, zero[4] = {0, 0, 0, 0};
    __asm__ volatile("ldmxcsr %0\n movups %1, %%xmm0\n movups %2, %%xmm1\n divps %%xmm1, %%xmm0" :: "m"(mx), "m"(one), "m"(zero));
    return 99;
}
static int do_sse_ok(long a)
{
    (void)a;
    static float x[4] = {1, 2, 3, 4}, y[4];
    __asm__ volatile("movups %1, %%xmm0\n addps %%xmm0, %%xmm0\n movups %%xmm0, %0" : "=m"(y) : "m"(x));
    return y[3] == 8.0f ? 99 : 1;
}
static int do_ldmxcsr_bad(long a) { (void)a; u32 mx = 0xffffffff; __asm__ volatile("ldmxcsr %0" :: "m"(mx)); return 99; }
static int do_brk_then_shrink(long a)
{
    (void)a;
    long b = sys1(__NR_brk, 0);
    long top = ((b + 4095) & ~4095) + 8192;
    sys1(__NR_brk, top);
    *(volatile u32 *)(top - 4) = 1;
    sys1(__NR_brk, b);
    *(volatile u32 *)(top - 4) = 2;   /* freed */
    return 99;
}
static int do_munmapped(long a)
{
    (void)a;
    volatile u32 *p = map_anon(8192, PROT_READ | PROT_WRITE);
    p[0] = 1;
    sys2(__NR_munmap, (long)p, 4096);
    return (int)p[0] + 98;
}
static int do_jump_zero_page(long a) { (void)a; ((void (*)(void))0x10)(); return 99; }
static int do_bad_syscall_frame(long a) { (void)a; __asm__ volatile("mov $0, %%esp\n mov $" T_STR(__NR_getpid) ", %%eax\n int $0x80\n mov $" T_STR(__NR_exit) ", %%eax\n mov $33, %%ebx\n int $0x80" ::: "memory"); return 99; }

struct t { const char *name; int (*fn)(long); long arg; };
static const struct t tests[] = {
    {"NULL read", null_read, 0},
    {"NULL write", null_write, 0},
    {"read 0xfff (page 0 end)", addr_read, 0xfff},
    {"read 0xC0000000", addr_read, (long)0xC0000000},
    {"write 0xC0000000", addr_write, (long)0xC0000000},
    {"read 0xC0100000 (kernel text)", addr_read, (long)0xC0100000},
    {"read 0xFFFFF000", addr_read, (long)0xFFFFF000},
    {"read 0x40000000 (unmapped)", addr_read, 0x40000000},
    {"read 0xB0000000 (below stack gap)", addr_read, (long)0xB0000000},
    {"read 16 MiB below esp", below_esp_read, 16 << 20},
    {"read 9 MiB below esp", below_esp_read, 9 << 20},
    {"read 7 MiB below esp (stack growth, exit 99)", below_esp_read, 7 << 20},
    {"write 7 MiB below esp (stack growth, exit 99)", below_esp_write, 7 << 20},
    {"read unaligned across top 0xBFFFFFFE", addr_read, (long)0xBFFFFFFE},
    {"jump to 0x1234", addr_exec, 0x1234},
    {"jump to 0xC0100000", addr_exec, (long)0xC0100000},
    {"jump to 0xFFFFFFF0", addr_exec, (long)0xFFFFFFF0},
    {"jump to 0x10 (page 0)", do_jump_zero_page, 0},
    {"int3", do_int3, 0},
    {"int $3 (cd 03)", do_int_3, 0},
    {"ud2", do_ud2, 0},
    {"div by zero", do_div0, 0},
    {"idiv INT_MIN/-1", do_idiv_ovf, 0},
    {"cli", do_cli, 0},
    {"sti", do_sti, 0},
    {"hlt", do_hlt, 0},
    {"in $0x80", do_in, 0},
    {"out $0x80", do_out, 0},
    {"int $0x00", do_int, 0x00},
    {"int $0x01", do_int, 0x01},
    {"int $0x04", do_int, 0x04},
    {"int $0x05", do_int, 0x05},
    {"int $0x06", do_int, 0x06},
    {"int $0x0d", do_int, 0x0d},
    {"int $0x0e", do_int, 0x0e},
    {"int $0x20", do_int, 0x20},
    {"int $0x21", do_int, 0x21},
    {"int $0x2e", do_int, 0x2e},
    {"int $0x81", do_int, 0x81},
    {"int $0xff", do_int, 0xff},
    {"into with OF", do_into, 0},
    {"bound out of range", do_bound, 0},
    {"mov %cr0", do_mov_cr0, 0},
    {"lgdt", do_lgdt, 0},
    {"ltr", do_ltr, 0},
    {"invlpg", do_invlpg, 0},
    {"wrmsr", do_wrmsr, 0},
    {"rdmsr", do_rdmsr, 0},
    {"rdtsc (allowed: exit 99)", do_rdtsc, 0},
    {"rdpmc", do_rdpmc, 0},
    {"smsw (allowed without UMIP)", do_smsw, 0},
    {"sgdt (allowed without UMIP)", do_sgdt, 0},
    {"syscall instruction", do_syscall_insn, 0},
    {"mov 0x1234 -> %ds", do_bad_ds, 0},
    {"null %ds then access", do_null_ds_access, 0},
    {"%gs:access with initial gs", do_gs_access, 0},
    {"%fs:access with initial fs", do_fs_access, 0},
    {"lcall through LDT selector 7", do_far_call, 0},
    {"iret to bad cs", do_iret_bad, 0},
    {"popf IOPL=3 (ignored: exit 99)", do_popf_iopl, 0},
    {"popf IF=0 (ignored: exit 99)", do_popf_if, 0},
    {"EFLAGS.AC + unaligned load", do_ac_unaligned, 0},
    {"stack overflow (recursion)", do_stack_overflow, 0},
    {"esp=0 then push", do_esp_zero, 0},
    {"esp=0xc0001000 then push", do_esp_kernel, 0},
    {"int 0x80 with esp=0", do_bad_syscall_frame, 0},
    {"write to own text", do_write_text, 0},
    {"execute on stack (no NX: exit 99)", do_exec_stack, 0},
    {"execute PROT_READ page (no NX: exit 99)", do_exec_ro_map, 0},
    {"read PROT_NONE", do_prot_none, 0},
    {"write PROT_NONE", do_prot_none, 1},
    {"write PROT_READ", do_ro_write, 0},
    {"file map: last partial page (exit 98)", do_file_past_eof, 0},
    {"file map: first page past EOF", do_file_past_eof, 1},
    {"file map: second page past EOF", do_file_past_eof, 2},
    {"x87 zero-divide unmasked", do_x87_div0, 0},
    {"SSE zero-divide unmasked", do_sse_div0, 0},
    {"SSE works (exit 99)", do_sse_ok, 0},
    {"ldmxcsr reserved bits", do_ldmxcsr_bad, 0},
    {"touch brk area after shrinking", do_brk_then_shrink, 0},
    {"touch munmapped page", do_munmapped, 0},
};

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    puts1("--- start\n");
    for (unsigned i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        long st = run_child(tests[i].fn, tests[i].arg);
        line_t l = {.n = 0};
        l_s(&l, tests[i].name); l_s(&l, ": status=");
        if (st < 0 && st > -4096) l_d(&l, st); else l_x(&l, (u32)st);
        l_end(&l);
    }
    /* the program's own initial segment registers and flags */
    outb("initial %fs is 0", start_seg[3] == 0);
    outb("initial %gs is 0", start_seg[4] == 0);
    outb("initial %ds == %es == %ss", start_seg[1] == start_seg[2] && start_seg[2] == start_seg[5]);
    outx("initial eflags", start_eflags);
    outx("initial eax|ebx|ecx|edx|esi|edi|ebp", start_regs[0] | start_regs[1] | start_regs[2] | start_regs[3] | start_regs[4] | start_regs[5] | start_regs[6]);
    outx("initial esp & 15", start_regs[7] & 15);
    unsigned short cw; u32 mx;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mx));
    outx("initial x87 control word", cw);
    outx("initial mxcsr", mx);
    /* last: the program itself faults (NULL write) */
    *(volatile u32 *)0 = 1;
    return 0;
}

/* Bench-only gates (benchgate.rs): installed only when the kernel command
 * line has the word `bench`. Neither touches trap.S's stubs: the #PF gate
 * is pointed here and falls through to whatever gate 14 was before.
 *
 * Every memory operand carries %ss: a trap from ring 3 leaves the user's
 * DS/ES loaded, and a user may have put a null selector or a TLS segment
 * with a non-zero base there; SS is always the kernel's flat data segment
 * after the CPU's ring switch (and the kernel's own in a ring-0 trap). */

.section .text

/* Vector 0x81, DPL 3: the bare cost of an interrupt from ring 3 and back. */
.balign 16
.global benchgate_iret
benchgate_iret:
    iret

/* Vector 14 while `bench` is on. The window is armed when its end is
 * non-zero; a fault that is not-present, from ring 3, at an address in
 * [start, end), in the armed address space, whose PTE is still empty and
 * whose saved entry is still there, gets that entry written into its PTE
 * (the saved slot is zeroed: the PTE now holds the frame's reference) and
 * returns to the faulting instruction (a not-present entry is never cached
 * in the TLB, SDM Vol. 3A §4.10.2.3, so no INVLPG is needed). Anything else
 * goes to the kernel's own #PF entry with the stack as the CPU left it. */
.balign 16
.global benchgate_page_fault
benchgate_page_fault:
    cmpl $0, %ss:{window_end}
    jne 1f
0:  jmp *%ss:{pf_next}
1:  pushl %eax
    pushl %ecx
    pushl %edx
    movl 12(%esp), %eax              /* the CPU's error code */
    andl $0xd, %eax                  /* P | U/S | RSVD */
    cmpl $4, %eax                    /* not present, user, no reserved bit */
    jne 9f
    movl %cr2, %eax
    cmpl %ss:{window_start}, %eax
    jb 9f
    cmpl %ss:{window_end}, %eax
    jae 9f
    movl %cr3, %ecx
    andl $0xfffff000, %ecx
    cmpl %ss:{window_cr3}, %ecx
    jne 9f
    movl %eax, %edx                  /* the PDE, through the direct map */
    shrl $22, %edx
    movl %ss:{direct_map}(%ecx,%edx,4), %ecx
    testl $1, %ecx                   /* present */
    jz 9f
    testl $0x80, %ecx                /* a page table, not a 4 MiB page */
    jnz 9f
    andl $0xfffff000, %ecx
    cmpl ${low_end}, %ecx            /* a table the direct map reaches */
    jae 9f
    movl %eax, %edx                  /* the PTE's address */
    shrl $12, %edx
    andl $0x3ff, %edx
    leal {direct_map}(%ecx,%edx,4), %ecx
    cmpl $0, %ss:(%ecx)              /* still empty */
    jne 9f
    subl %ss:{window_start}, %eax    /* the page's saved entry */
    shrl $12, %eax
    movl %ss:{saved}(,%eax,4), %edx
    testl $1, %edx                   /* not put back yet */
    jz 9f
    movl %edx, %ss:(%ecx)
    movl $0, %ss:{saved}(,%eax,4)
    popl %edx
    popl %ecx
    popl %eax
    addl $4, %esp                    /* the error code */
    iret
9:  popl %edx
    popl %ecx
    popl %eax
    jmp 0b

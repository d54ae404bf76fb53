/* Entry stubs for all 256 IDT vectors, and the common path into Rust.
 *
 * Every stub leaves the stack in the same shape: the CPU's frame (EIP, CS,
 * EFLAGS, and ESP, SS when it came from ring 3), an error code (the CPU's, or
 * a zero pushed here) and the vector number. trap_common then saves the
 * segment and general registers, giving `TrapFrame` (trap.rs). Stubs are 16
 * bytes apart, so the IDT finds stub N at trap_vector_stubs + 16 * N. */

.section .text
.balign 16
.global trap_vector_stubs
trap_vector_stubs:
.set vec, 0
.rept 256
    .balign 16
    .if ((({error_code_vectors}) >> vec) & 1) == 0
    pushl $0
    .endif
    pushl $vec
    jmp trap_common
    .set vec, vec + 1
.endr

/* The hot path, in a section of its own that the linker script puts at
 * the start of a page, with the Rust entries (src/trap.rs) right after it:
 * the system-call and page-fault stubs, trap_common and trap_return. Under
 * TCG a jump into another page is never chained to the next translated
 * block: it is a lookup, as an indirect jump is. The 4 KiB stub table
 * above is a page of its own, so these two vectors have their own stubs
 * here (idt.rs points their gates at them), and a page fault has its own
 * Rust entry, `page_fault_entry`, small enough to stay on this page:
 * `trap_entry`, which holds every system call, spans three.
 *
 * Under TCG every segment-register load costs a descriptor fetch and its
 * checks, so the path loads only what it must. The kernel addresses memory
 * through DS, ES and SS alone: user DS/ES are normally USER_DATA, which is
 * flat and (DPL 3) usable at CPL 0, so they stay; anything else is replaced
 * by KERNEL_DATA. FS and GS (the user's TLS) are saved and left alone: the
 * kernel never uses them. */
.macro SAVE_FRAME
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    movw %ds, %ax
    cmpw ${user_data}, %ax
    je 1f
    movw ${kernel_data}, %ax
    movw %ax, %ds
1:  movw %es, %ax
    cmpw ${user_data}, %ax
    je 2f
    movw ${kernel_data}, %ax
    movw %ax, %es
2:  cld
.endm

.section .text.trap, "ax"
.global trap_stub_page_fault
trap_stub_page_fault:
    pushl ${page_fault_vector}        /* the CPU pushed the error code */
    SAVE_FRAME
    pushl %esp                       /* &mut TrapFrame */
    call page_fault_entry            /* src/trap.rs */
    addl $4, %esp
    jmp trap_return
.global trap_stub_syscall
trap_stub_syscall:
    pushl $0
    pushl ${syscall_vector}
trap_common:
    SAVE_FRAME
    pushl %esp                       /* &mut TrapFrame */
    call trap_entry                  /* src/trap.rs */
    addl $4, %esp
/* Back out. Into ring 0 (an interrupt that woke the idle task's `hlt`,
 * say), FS and GS stay as they are: the kernel never uses them, and they
 * may hold a user TLS selector whose GDT entry a task switch has since
 * cleared, which a reload would fault on. Into ring 3, a segment register
 * is reloaded only if the frame names another selector than the one
 * loaded, or if the GDT's TLS entries changed since the last reload
 * (`segments_stale`, set by gdt::load_tls): a loaded selector keeps the
 * descriptor it was loaded with, so after a task switch or set_thread_area
 * GS must be loaded again even though its value is the same. Interrupts
 * stay off from here to the iret, so no switch can come between the check
 * and the return. Offsets: pushal's 8 words, then GS 32, FS 36, ES 40,
 * DS 44, the vector and error code, EIP 56, CS 60. */
.global trap_return
trap_return:
    cli
    testb $3, 60(%esp)
    jz 6f
    cmpb $0, segments_stale
    jne 5f
    movw %gs, %ax
    cmpw 32(%esp), %ax
    jne 5f
    movw %fs, %ax
    cmpw 36(%esp), %ax
    jne 5f
    movw %es, %ax
    cmpw 40(%esp), %ax
    jne 5f
    movw %ds, %ax
    cmpw 44(%esp), %ax
    jne 5f
    popal
    addl $24, %esp                   /* GS FS ES DS, vector and error code */
    iret
5:  movb $0, segments_stale
    popal
    popl %gs
    popl %fs
    popl %es
    popl %ds
    addl $8, %esp                    /* vector and error code */
    iret
6:  movw 40(%esp), %ax               /* ring 0: DS and ES are flat either way */
    movw %ax, %es
    movw 44(%esp), %ax
    movw %ax, %ds
    popal
    addl $24, %esp
    iret

.section .text
/* The #DF task starts here on its own stack, with the error code (always 0)
 * pushed by the task switch: it becomes the argument of the Rust handler. */
.global double_fault_task_entry
double_fault_task_entry:
    call double_fault_report         /* src/trap.rs */
1:  cli
    hlt
    jmp 1b

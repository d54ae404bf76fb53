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

trap_common:
    pushl %ds
    pushl %es
    pushl %fs
    pushl %gs
    pushal
    movw ${kernel_data}, %ax
    movw %ax, %ds
    movw %ax, %es
    movw %ax, %fs
    movw %ax, %gs
    cld
    pushl %esp                       /* &mut TrapFrame */
    call trap_entry                  /* src/trap.rs */
    addl $4, %esp
.global trap_return
trap_return:
    popal
    popl %gs
    popl %fs
    popl %es
    popl %ds
    addl $8, %esp                    /* vector and error code */
    iret

/* The #DF task starts here on its own stack, with the error code (always 0)
 * pushed by the task switch: it becomes the argument of the Rust handler. */
.global double_fault_task_entry
double_fault_task_entry:
    call double_fault_report         /* src/trap.rs */
1:  cli
    hlt
    jmp 1b

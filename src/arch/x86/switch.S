/* context_switch(from: *mut u32, to: u32)
 * Saves the callee-saved registers on the current kernel stack, stores the
 * stack pointer in *from, loads `to` as the stack pointer and pops the next
 * task's registers. The `ret` returns into wherever that task called
 * context_switch — or, for a new task, into task_first_return. */
.section .text
.global context_switch
context_switch:
    movl 4(%esp), %eax
    movl 8(%esp), %edx
    pushl %ebp
    pushl %ebx
    pushl %esi
    pushl %edi
    movl %esp, (%eax)
    movl %edx, %esp
    popl %edi
    popl %esi
    popl %ebx
    popl %ebp
    ret

/* A new task's first switch lands here with its trap frame on top of the
 * stack: leave the kernel the way every trap does. */
.global task_first_return
task_first_return:
    jmp trap_return

/* memcpy, memmove and memset for the kernel (memfns.rs says why). The
 * kernel runs with DF clear (trap.S's `cld`); memmove sets it for a
 * backward copy and clears it again. Each keeps the cdecl contract: EBX,
 * ESI, EDI and EBP preserved, the destination returned in EAX. */

.section .text

/* 32 dword moves, one 128-byte turn of a loop. */
.macro MOVE128
    .irp off, 0,4,8,12,16,20,24,28,32,36,40,44,48,52,56,60,64,68,72,76,80,84,88,92,96,100,104,108,112,116,120,124
    movl \off(%esi), %ecx
    movl %ecx, \off(%edi)
    .endr
.endm

/* void *memcpy(void *dst, const void *src, size_t n) and
 * void *memmove(void *dst, const void *src, size_t n): one body, since a
 * memmove is a memcpy too. Forward unless the destination starts inside
 * the source, then backward. */
.balign 16
.global memcpy
.type memcpy, @function
.global memmove
.type memmove, @function
memcpy:
memmove:
    pushl %esi
    pushl %edi
    movl 12(%esp), %edi
    movl 16(%esp), %esi
    movl 20(%esp), %edx
    movl %edi, %eax
    movl %edi, %ecx
    subl %esi, %ecx                  /* dst - src, unsigned: >= n when  */
    cmpl %edx, %ecx                  /* dst is below src or past its end */
    jb 3f
    cmpl $128, %edx                  /* forward: 128 bytes a turn */
    jb 2f
1:  MOVE128
    addl $128, %esi
    addl $128, %edi
    subl $128, %edx
    cmpl $128, %edx
    jae 1b
2:  movl %edx, %ecx                  /* then dwords, then bytes */
    shrl $2, %ecx
    rep movsl
    movl %edx, %ecx
    andl $3, %ecx
    rep movsb
    popl %edi
    popl %esi
    ret
3:  leal -1(%esi,%edx), %esi         /* backward: the last byte of each */
    leal -1(%edi,%edx), %edi
    std
    movl %edx, %ecx
    andl $3, %ecx
    rep movsb                        /* the odd tail bytes, last first */
    subl $3, %esi                    /* the last whole dword of each */
    subl $3, %edi
    movl %edx, %ecx
    shrl $2, %ecx
    rep movsl
    cld
    popl %edi
    popl %esi
    ret
.size memcpy, . - memcpy
.size memmove, . - memmove

/* void *memset(void *dst, int c, size_t n) */
.balign 16
.global memset
.type memset, @function
memset:
    pushl %edi
    movl 8(%esp), %edi
    movzbl 12(%esp), %eax
    movl 16(%esp), %edx
    imull $0x01010101, %eax, %eax
    cmpl $128, %edx
    jb 2f
1:  .irp off, 0,4,8,12,16,20,24,28,32,36,40,44,48,52,56,60,64,68,72,76,80,84,88,92,96,100,104,108,112,116,120,124
    movl %eax, \off(%edi)
    .endr
    addl $128, %edi
    subl $128, %edx
    cmpl $128, %edx
    jae 1b
2:  movl %edx, %ecx
    shrl $2, %ecx
    rep stosl
    movl %edx, %ecx
    andl $3, %ecx
    rep stosb
    movl 8(%esp), %eax
    popl %edi
    ret
.size memset, . - memset

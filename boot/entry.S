/* boot/entry.S: multiboot2 header and the first instructions the kernel runs.
 *
 * GRUB enters _start in 32-bit protected mode with paging off, EAX holding the
 * multiboot2 magic and EBX the physical address of the boot information.
 * The kernel is linked at 0xC0100000 but loaded at 0x00100000, so until paging
 * is on every symbol must be used as (symbol - KERNEL_VIRT_BASE).
 *
 * The boot page directory maps, with 4 MiB pages (CR4.PSE):
 *   0x00000000..0x00400000 -> phys 0..4 MiB     identity, only until the jump
 *   0xC0000000..0xE0000000 -> phys 0..512 MiB   the kernel's direct map
 * GRUB translates the virtual ELF entry to its load address.
 * Rust (mm::kernel_space) replaces it with the real kernel page directory.
 */

.set KERNEL_VIRT_BASE, 0xC0000000
.set MB2_MAGIC, 0xE85250D6
.set MB2_HEADER_LEN, mb2_header_end - mb2_header_start
.set PDE_P_RW_PS, 0x83
.set DIRECT_MAP_PDES, 128

.section .multiboot2, "a"
.balign 8
mb2_header_start:
    .long MB2_MAGIC
    .long 0                               /* architecture: i386 protected mode */
    .long MB2_HEADER_LEN
    .long 0x100000000 - (MB2_MAGIC + MB2_HEADER_LEN)
    /* module alignment tag: modules start on a page boundary, so a program's
     * pages can be mapped straight from the module (file-backed regions). */
    .balign 8
    .short 6
    .short 0
    .long 8
    /* end tag */
    .balign 8
    .short 0
    .short 0
    .long 8
mb2_header_end:

.section .text.boot, "ax"
.code32
.global _start
_start:
    cli
    cld
    movl %eax, %edi                       /* multiboot2 magic */
    movl %ebx, %esi                       /* boot information (physical) */

    movl $(boot_page_directory - KERNEL_VIRT_BASE), %edx
    movl $PDE_P_RW_PS, (%edx)             /* identity 0..4 MiB */
    xorl %ecx, %ecx
1:  movl %ecx, %eax
    shll $22, %eax
    orl $PDE_P_RW_PS, %eax
    movl %eax, (768*4)(%edx,%ecx,4)
    incl %ecx
    cmpl $DIRECT_MAP_PDES, %ecx
    jb 1b

    movl %cr4, %eax
    orl $0x10, %eax                       /* CR4.PSE: 4 MiB pages */
    movl %eax, %cr4
    movl %edx, %cr3
    movl %cr0, %eax
    orl $0x80010001, %eax                 /* CR0.PG | CR0.WP | CR0.PE */
    movl %eax, %cr0

    movl $higher_half, %eax
    jmp *%eax

higher_half:
    movl $0, boot_page_directory          /* the identity map is no longer needed */
    movl %cr3, %eax
    movl %eax, %cr3
    movl $boot_stack_top, %esp
    xorl %ebp, %ebp                       /* ends the frame-pointer chain */
    pushl %esi
    pushl %edi
    call kmain
2:  cli
    hlt
    jmp 2b

.section .bss.pagealigned, "aw", @nobits
.balign 4096
.global boot_page_directory
boot_page_directory:
    .skip 4096
/* Unmapped once the kernel's own page tables are in: a boot-stack overflow
 * then faults instead of overwriting the page directory. */
.global boot_stack_guard
boot_stack_guard:
    .skip 4096
.global boot_stack_bottom
boot_stack_bottom:
    .skip 16384
.global boot_stack_top
boot_stack_top:

/* exectarget.c: the program bench's fork_execve_exit_wait row execs: a
 * static i386 binary that exits 0 at once (/bin/exectarget on both
 * kernels: a boot module on memguard, the initramfs on Linux). */
#include "rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    return 0;
}

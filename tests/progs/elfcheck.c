/* Tries to execve each hostile ELF file the test put in /bad and checks
 * that every one is refused with -ENOEXEC while this process, and the
 * kernel, run on. Then execs a good program to show exec still works. */
#include "crt.h"

static const char *bad[] = {
    "/bad/bad_magic", "/bad/elf64", "/bad/arm", "/bad/dyn", "/bad/kernel_segment",
    "/bad/wrap_segment", "/bad/huge_filesz", "/bad/truncated", "/bad/misaligned",
    "/bad/interp", "/bad/empty", "/bad/no_load", 0,
};

void _start(void) {
    int failed = 0;
    for (int i = 0; bad[i]; i++) {
        char *argv[] = {(char *)bad[i], 0};
        int r = sys_execve(bad[i], argv, 0);
        puts_("exec ");
        puts_(bad[i]);
        puts_(" -> ");
        putnum(r);
        if (r != -ENOEXEC) {
            puts_("  WRONG (expected -8, ENOEXEC)");
            failed++;
        }
        puts_("\n");
    }
    puts_(failed ? "elfcheck: FAILED\n" : "elfcheck: all hostile files refused\n");
    if (failed)
        sys_exit(1);
    char *argv[] = {"chello", 0};
    sys_execve("/bin/chello", argv, 0);
    puts_("exec of a good program failed\n");
    sys_exit(2);
}

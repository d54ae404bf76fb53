/* cfault: prints a line, then writes to address 0. The kernel must kill it
 * with SIGSEGV; reaching the last line means it did not. */
#include "crt.h"

SYS_START

int main(void)
{
    put_str("cfault: writing to NULL, expect SIGSEGV\n");
    *(volatile int *)0 = 42;
    put_str("cfault: the write to NULL did not fault!\n");
    return 1;
}

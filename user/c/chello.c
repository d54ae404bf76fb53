/* chello: a C program on the same ABI as the Rust ones. Prints one line. */
#include "crt.h"

SYS_START

int main(void)
{
    return put_str("hello from C\n") == 13 ? 0 : 1;
}

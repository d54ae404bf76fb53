/* segv: writes through a NULL pointer; Linux must kill it with SIGSEGV. */
#include "../rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    put_fd(1, "about to write to address 0\n");
    *(volatile int *)0 = 1;
    put_fd(1, "still alive: wrong\n");
    return 1;
}

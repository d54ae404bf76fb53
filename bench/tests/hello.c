/* hello: writes one line and exits 0: the smallest linux-run check. */
#include "../rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    put_fd(1, "hello from i386\n");
    return 0;
}

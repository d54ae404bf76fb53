/* exit42: exits with status 42 through exit(2), not exit_group, so the
 * exit status path of linux-run is tested apart from the runtime's own. */
#include "../rt.h"

int main(int argc, char **argv, char **envp)
{
    (void)argc, (void)argv, (void)envp;
    for (;;)
        sys1(__NR_exit, 42);
}

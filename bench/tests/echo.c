/* echo: prints its arguments one per line, then copies stdin to stdout,
 * so one run checks argv passing and linux-run --stdin. */
#include "../rt.h"

int main(int argc, char **argv, char **envp)
{
    static char buf[4096];
    long n;
    (void)envp;
    for (int i = 0; i < argc; i++) {
        put_fd(1, argv[i]);
        put_fd(1, "\n");
    }
    while ((n = sys3(__NR_read, 0, (long)buf, sizeof buf)) > 0)
        sys3(__NR_write, 1, (long)buf, n);
    return n < 0 ? 3 : 0;
}

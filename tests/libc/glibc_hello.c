/* A program built with glibc (gcc -m32 -static), unmodified: glibc's
 * start-up sets up thread-local storage with set_thread_area and reaches
 * it through %gs, so a __thread variable, printf and malloc work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static __thread int counter = 41;

int main(int argc, char **argv)
{
    counter++;
    char *buf = malloc(1 << 20);
    if (!buf) return 2;
    memset(buf, 'x', 1 << 20);
    unsigned gs;
    __asm__("movl %%gs, %0" : "=r"(gs));
    printf("glibc: hello, argc %d, __thread counter %d, %%gs = %#x, 1 MiB malloc'd: %s\n", argc, counter,
           gs & 0xffff, buf[12345] == 'x' ? "ok" : "BAD");
    free(buf);
    return argv[0] ? 0 : 1;
}

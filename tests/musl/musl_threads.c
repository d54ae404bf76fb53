/* tests/libc/glibc_threads.c's checks, built against musl (tools/musl-gcc),
 * which makes threads its own way: pthread_create is clone (no clone3) with
 * a user_desc for CLONE_SETTLS, condition variables and joins are plain
 * FUTEX_WAIT/FUTEX_WAKE, posix_spawn is clone(CLONE_VM|CLONE_VFORK) that
 * reports the exec error through a pipe. Prints
 * `musl_threads: all N checks passed`. */
#define TEST_NAME "musl_threads"
#include "../libc/glibc_threads.c"

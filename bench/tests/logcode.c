/* logcode: checks bench's exit-status fallback for cow_write: every value
 * must come back from log_code/log_decode within 4.5%. Runs on the host. */
#define main bench_main
#include "../bench.c"
#undef main

int main(int argc, char **argv, char **envp)
{
    u32 bad = 0;
    (void)argc, (void)argv, (void)envp;
    /* About 3% steps from 1 to 2^31, plus every small value. */
    for (u64 v = 1; v < (1ULL << 31); v += v < 64 ? 1 : (v >> 5)) {
        u64 back = log_decode(log_code(v));
        /* Within 4.5% of v, give or take 1 for rounding small values. */
        u64 diff = back > v ? back - v : v - back;
        if (diff > 1 && (diff - 1) * 1000 > v * 45) {
            char num[21];
            put_fd(2, "logcode: wrong for ");
            put_fd(2, u64_str(v, num));
            put_fd(2, "\n");
            bad++;
        }
    }
    put_fd(1, bad ? "logcode: FAILED\n" : "logcode: ok\n");
    return bad != 0;
}

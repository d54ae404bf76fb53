#!/usr/bin/env bash
# selftest.sh: checks bench/ itself: the programs on the host, then
# linux-run's verdicts and bench's smoke run under the QEMU Linux oracle.
# About 15 s once the kernel is cached. Ends with "N passed, N failed".
#   bench/selftest.sh [--host-only]
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
b=$here/build
make -s -C "$here" all || exit 1
passed=0 failed=0
out=$(mktemp -d "${TMPDIR:-/tmp}/bench-selftest.XXXXXX")
trap 'rm -rf "$out"' EXIT

# expect NAME WANT_STATUS WANT_REGEX CMD...: runs CMD, checks its status and
# that its stdout matches the extended regex (over the whole output).
expect() {
    local name=$1 want=$2 re=$3 got text
    shift 3
    "$@" > "$out/stdout" 2> "$out/stderr"
    got=$?
    text=$(tr '\n' '~' < "$out/stdout")
    if [ "$got" = "$want" ] && [[ $text =~ $re ]]; then
        echo "ok   $name"
        passed=$((passed + 1))
    else
        echo "FAIL $name (status $got, wanted $want)"
        sed 's/^/     | /' "$out/stdout" "$out/stderr" | head -n 20
        failed=$((failed + 1))
    fi
}

figures='getpid [0-9]+ cycles~demand_zero_write [0-9]+ cycles/page~zero_page_read [0-9]+ cycles/page~cow_write [0-9]+ cycles/page~fork_exit_wait_16m [0-9]+ cycles~sched_yield_switch [0-9]+ cycles~munmap_per_page [0-9]+ cycles/page~'
smoke=(--pages 16 --reps 3 --mb 1)

expect "host: bench smoke run" 0 "^bench: pages=16 reps=3 mb=1~${figures}bench: done~$" \
    "$b/bench" "${smoke[@]}"
expect "host: bench cow_write via exit status" 0 "cow_write [0-9]+ cycles/page" \
    "$b/bench" "${smoke[@]}" --cow-exit-status
expect "host: bench rejects a bad option" 2 "^$" "$b/bench" --pages 0
expect "host: cow fallback encoding" 0 "logcode: ok" "$b/tests/logcode"
printf 'getpid 100 cycles\nx 7 cycles/page\n' > "$out/l"
printf 'bench: pages=1 reps=1 mb=1\r\ngetpid 250 cycles\r\n' > "$out/m"
expect "host: compare table" 0 '\| getpid +\| +250 \| +100 \| +2\.50 \|.*\| x +\| +- \| +7 \| +- \|' \
    "$here/compare.sh" "$out/l" "$out/m"

if [ "${1:-}" != --host-only ]; then
    run=$here/linux-run.sh
    expect "linux: hello" 0 "^hello from i386~$" "$run" "$b/tests/hello"
    expect "linux: exit 42" 42 "^$" "$run" "$b/tests/exit42"
    expect "linux: NULL write is SIGSEGV" 139 "^about to write to address 0~$" "$run" "$b/tests/segv"
    grep -q 'killed by SIGSEGV (signal 11)' "$out/stderr" ||
        { echo "FAIL linux: verdict line"; failed=$((failed + 1)); }
    printf 'line one\nline two\n' > "$out/in"
    expect "linux: argv and --stdin" 0 "^echo~a b~~c~line one~line two~$" \
        "$run" --stdin "$out/in" "$b/tests/echo" "a b" "" c
    expect "linux: bench smoke run" 0 "^bench: pages=16 reps=3 mb=1~${figures}bench: done~$" \
        "$run" "$b/bench" "${smoke[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

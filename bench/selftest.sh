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
figures+='signal_deliver_return [0-9]+ cycles~segv_mprotect_fix [0-9]+ cycles/page~thread_create_join [0-9]+ cycles~futex_pingpong [0-9]+ cycles~fork_execve_exit_wait [0-9]+ cycles~pipe_pingpong [0-9]+ cycles~tmpfs_write_read_1m [0-9]+ cycles~open_close [0-9]+ cycles~'
smoke=(--pages 16 --reps 3 --mb 1)

# On the host the files go to a scratch directory (as root bench mounts a
# tmpfs there and unmounts it again) and exectarget is where make put it.
mkdir -p "$out/tmp"
expect "host: bench smoke run" 0 "^bench: pages=16 reps=3 mb=1~bench: / is [a-z ]+~${figures}bench: done~$" \
    "$b/bench" "${smoke[@]}" --exec "$b/exectarget" --tmp "$out/tmp/bench"
expect "host: bench leaves no directory behind" 0 "^$" find "$out/tmp" -mindepth 1
expect "host: exectarget exits 0" 0 "^$" "$b/exectarget"
expect "host: bench cow_write via exit status" 0 "cow_write [0-9]+ cycles/page" \
    "$b/bench" "${smoke[@]}" --cow-exit-status --tmp "$out/tmp/bench"
expect "host: bench rejects a bad option" 2 "^$" "$b/bench" --pages 0
expect "host: cow fallback encoding" 0 "logcode: ok" "$b/tests/logcode"
printf 'getpid 100 cycles\nx 7 cycles/page\n' > "$out/l"
printf 'bench: pages=1 reps=1 mb=1\r\ngetpid 250 cycles\r\n' > "$out/m"
expect "host: compare table" 0 '\| getpid +\| +250 \| +100 \| +- \| +2\.50 \| +- \|.*\| x +\| +- \| +7 \| +- \| +- \| +- \|' \
    "$here/compare.sh" "$out/l" "$out/m"
# The limit column: each row's sum of the limit_* prices (which are not rows).
printf 'getpid 100 cycles\ncow_write 9000 cycles/page\npipe_pingpong 50000 cycles\nmunmap_per_page 700 cycles/page\n' > "$out/l2"
printf 'getpid 250 cycles\ncow_write 6000 cycles/page\npipe_pingpong 40000 cycles\nmunmap_per_page 800 cycles/page\n' > "$out/m2"
printf 'limit_int_iret 50 cycles\nlimit_pf_set_p 1000 cycles/page\nlimit_rep_movsd_4k 2000 cycles\nlimit_cr3_reload 3000 cycles\n' >> "$out/m2"
expect "host: compare limit column" 0 \
    '\| getpid +\| +250 \| +100 \| +50 \| +2\.50 \| +5\.00 \|~\| cow_write +\| +6000 \| +9000 \| +3000 \| +0\.67 \| +2\.00 \|~\| pipe_pingpong +\| +40000 \| +50000 \| +6200 \| +0\.80 \| +6\.45 \|~\| munmap_per_page +\| +800 \| +700 \| +- \| +1\.14 \| +- \|~.*Limits .*int_iret=50 pf_set_p=1000 rep_movsd_4k=2000 cr3_reload=3000' \
    "$here/compare.sh" "$out/l2" "$out/m2"
expect "host: compare --tsv" 0 $'^getpid\t250\t100\t50\tcycles~cow_write\t6000\t9000\t3000\tcycles/page~pipe_pingpong\t40000\t50000\t6200\tcycles~munmap_per_page\t800\t700\t-\tcycles/page~$' \
    "$here/compare.sh" --tsv "$out/l2" "$out/m2"
printf 'bench: pages=1 reps=1 mb=1\na 5 cycles\nb 1 cycles/page\n' > "$out/r1"
printf 'a 1 cycles\r\nb 2 cycles/page\nc 9 cycles\nnoise\n' > "$out/r2"
printf 'a 3 cycles\nb 4 cycles/page\nboot_to_init 24670574553 cycles\n' > "$out/r3"
expect "host: merge runs (median per figure)" 0 \
    '^bench: pages=1 reps=1 mb=1~a 3 cycles~b 2 cycles/page~c 9 cycles~boot_to_init 24670574553 cycles~$' \
    "$here/merge.sh" "$out/r1" "$out/r2" "$out/r3"
expect "host: merge runs --min" 0 \
    '^bench: pages=1 reps=1 mb=1~a 1 cycles~b 1 cycles/page~c 9 cycles~boot_to_init 24670574553 cycles~$' \
    "$here/merge.sh" --min "$out/r1" "$out/r2" "$out/r3"
# The chart on a fixed input is a fixed file, and well-formed XML.
expect "host: chart.py on a fixed input" 0 "^$" \
    bash -c '"$1/chart.py" < "$1/tests/chart.tsv" | diff -u "$1/tests/chart.svg" -' _ "$here"
expect "host: the chart is XML" 0 "^svg 19~$" python3 -c \
    'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]).documentElement; print(d.tagName, len(d.getElementsByTagName("rect")))' \
    "$here/tests/chart.svg"

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
    "$here/linux-bench.sh" --exec-initrd "$out/exec.cpio"
    expect "linux: bench smoke run" 0 "^bench: pages=16 reps=3 mb=1~bench: / is [a-z ]+~${figures}bench: done~$" \
        "$run" --initrd-extra "$out/exec.cpio" "$b/bench" "${smoke[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]

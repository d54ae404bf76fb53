#!/usr/bin/env bash
# Differential tests: each tests/diff/*.c runs on Debian's Linux i386 (the
# spec, through bench/linux-run.sh) and on memguard; the normalised outputs
# are compared and a unified diff is shown per program.
#
#   tests/diff/run.sh [--mode init|wrapped|both] [--no-build] [NAME ...]
#
#   --mode init     (default) the program is memguard's process 1 (init=/prog),
#                   as a judge would start it.
#   --mode wrapped  memguard runs bench/build/init as process 1, which runs
#                   /prog as its child exactly as linux-run does on Linux
#                   (same argv, empty environment, stdin /dev/null, not pid 1).
#   --mode both     both of the above.
#   --no-build      do not rebuild the kernel (use target/.../kernel as is).
# On both systems the program is at /prog and /args holds its argv.
# Outputs: tests/diff/out/NAME.{linux,memguard-MODE}{.raw,} and NAME.MODE.diff.
# Exit status 0 only if every program's output matched in every mode run.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$here/build out=$here/out
mode=init kbuild=1
names=()
while [ $# -gt 0 ]; do
    case $1 in
        --mode) mode=$2; shift 2 ;;
        --no-build) kbuild=0; shift ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) names+=("$1"); shift ;;
    esac
done
case $mode in init) modes=(init) ;; wrapped) modes=(wrapped) ;; both) modes=(init wrapped) ;;
    *) echo "run.sh: bad --mode $mode" >&2; exit 2 ;; esac
if [ ${#names[@]} -eq 0 ]; then
    for f in "$here"/*.c; do names+=("$(basename "$f" .c)"); done
fi
mkdir -p "$build" "$out"

CFLAGS=(-m32 -static -nostdlib -fno-pie -no-pie -ffreestanding -fno-stack-protector
        -fno-tree-loop-distribute-patterns -fno-builtin -O2 -Wall -Wno-unused-function -Wno-infinite-recursion)
kernel=$top/target/i686-kernel/release/kernel
if [ $kbuild = 1 ]; then
    (cd "$top" && cargo +nightly build -q --target i686-kernel.json \
        -Z build-std=core,compiler_builtins,alloc -Z build-std-features=compiler-builtins-mem \
        --release --bin kernel) || { echo "run.sh: kernel build failed" >&2; exit 2; }
fi
# A private copy, so that a concurrent rebuild does not change it mid-run.
cp "$kernel" "$build/kernel" || exit 2
make -s -C "$top/bench" build/init >&2 || exit 2

# Linux side: the program's stdout; the verdict line from stderr.
norm_linux() {   # RAW ERR
    tr -d '\r' < "$1" | awk '/^--- start$/ { on = 1 } on'
    grep -aoE '\[linux-run\] (exit [0-9]+|killed by .*)' "$2" | tail -n 1 | sed 's/^\[linux-run\] /== /'
    grep -aq '\[linux-run\] \(exit\|killed\)' "$2" || { echo "== NO VERDICT"; grep -a 'TIME-OUT' "$2"; }
}
# memguard side: drop boot messages (everything before "--- start"), kill
# reports ("[pid N name] killed by ..." and their indented detail lines),
# kernel log lines, QEMU wrapper lines; turn init's end into a verdict.
norm_memguard() {   # RAW
    tr -d '\r' < "$1" | awk '
        /^--- start$/ { on = 1 }
        !on { next }
        /^\[pid [0-9]+ / || /^[ \t]/ { next }
        /^\[(error| warn| info|debug|trace)\] / { next }
        /^reboot: / { next }
        /^\[qemu-run\] TIME-OUT/ { print "== TIME-OUT"; next }
        /^\[qemu-run\] KERNEL PANIC/ { print "== KERNEL PANIC"; next }
        /^\[qemu-run\] / { next }
        /^\[linux-run\] (exit|killed)/ { sub(/^\[linux-run\] /, "== "); print; next }
        /^init \(pid 1\) / {
            s = $0; sub(/^init \(pid 1\) /, "", s); sub(/; powering off.*$/, "", s)
            sub(/^exited with status /, "exit ", s); print "== " s; next }
        { print }'
}

fail=0
summary=()
for name in "${names[@]}"; do
    src=$here/$name.c
    [ -f "$src" ] || { echo "run.sh: no such test: $src" >&2; fail=1; continue; }
    bin=$build/$name
    gcc "${CFLAGS[@]}" -o "$bin" "$src" || { echo "run.sh: cannot build $name" >&2; fail=1; summary+=("$name: BUILD FAILED"); continue; }
    printf '%s\0' "$name" > "$build/$name.args"

    echo "=== $name: Linux" >&2
    TIMEOUT=${LINUX_TIMEOUT:-180} "$top/bench/linux-run.sh" "$bin" > "$out/$name.linux.raw" 2> "$out/$name.linux.err"
    norm_linux "$out/$name.linux.raw" "$out/$name.linux.err" > "$out/$name.linux"

    for m in "${modes[@]}"; do
        echo "=== $name: memguard ($m)" >&2
        iso=$build/$name.$m.iso
        if [ "$m" = init ]; then
            "$top/tools/mkiso.sh" "$iso" "$build/kernel" "init=/prog" \
                "raw:$bin=/prog" "raw:$build/$name.args=/args" || { fail=1; continue; }
        else
            "$top/tools/mkiso.sh" "$iso" "$build/kernel" "init=/init" \
                "raw:$top/bench/build/init=/init" "raw:$bin=/prog" "raw:$build/$name.args=/args" || { fail=1; continue; }
        fi
        MEMGUARD_HEADLESS=1 "$top/tools/qemu-run.sh" --timeout "${MG_TIMEOUT:-180}" "$iso" \
            < /dev/null > "$out/$name.memguard-$m.raw" 2>&1
        norm_memguard "$out/$name.memguard-$m.raw" > "$out/$name.memguard-$m"
        rm -f "$iso"
        if diff -u --label "$name (Linux)" --label "$name (memguard, $m)" \
                "$out/$name.linux" "$out/$name.memguard-$m" > "$out/$name.$m.diff"; then
            summary+=("$name [$m]: same ($(wc -l < "$out/$name.linux") lines)")
        else
            cat "$out/$name.$m.diff"
            summary+=("$name [$m]: DIFFERENT ($(grep -c '^[-+][^-+]' "$out/$name.$m.diff") lines differ)")
            fail=1
        fi
    done
done
printf '%s\n' "${summary[@]}"
exit $fail

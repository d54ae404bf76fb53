#!/usr/bin/env bash
# Differential tests: each tests/diff/*.c runs on Debian's Linux i386 (the
# spec, through bench/linux-run.sh) and on memguard, and so does each
# tests/diff/*.sh, run by Debian's busybox (`busybox sh /test.sh`, with
# busybox's applet links in the root on both systems); the normalised outputs
# are compared, and every difference must be one that tests/diff/allowed.txt
# lists, with its reason (judge.awk decides).
#
#   tests/diff/run.sh [--mode init|wrapped|both] [--no-build] [--kernel FILE] [NAME ...]
#   tests/diff/run.sh --allowed      the allow-list as a table
#
#   --mode init     (default) the program is memguard's process 1 (init=/prog),
#                   as a judge would start it.
#   --mode wrapped  memguard runs bench/build/init as process 1, which runs
#                   /prog as its child exactly as linux-run does on Linux
#                   (same argv, empty environment, stdin /dev/null, not pid 1).
#   --mode both     both of the above.
#   --no-build      do not rebuild the kernel (use target/.../kernel as is).
#   --kernel FILE   test this memguard kernel ELF instead (also MG_KERNEL=FILE);
#                   implies --no-build.
# On both systems the program is at /prog and /args holds its argv.
# Prints, per program and mode, "matched", "matched with N allowed
# differences" or "FAILED" with the lines no entry allows; then
# "stale allow-list entry: ..." for entries that matched no difference (a
# note, not a failure); last "difftest: N passed, M failed", one count per
# program and mode.
# Exit status: 0 exactly when every difference is allowed, 1 if one is not,
# 2 if the run could not start (arguments, allow-list, build, Linux kernel).
# Outputs: tests/diff/out/NAME.{linux,memguard-MODE}{.raw,} and NAME.MODE.diff.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$here/build out=$here/out allowed=$here/allowed.txt
mode=init kbuild=1 kernel=${MG_KERNEL:-}
names=()
while [ $# -gt 0 ]; do
    case $1 in
        --mode|--kernel) [ $# -ge 2 ] || { echo "run.sh: $1 needs a value" >&2; exit 2; } ;;
    esac
    case $1 in
        --mode) mode=$2; shift 2 ;;
        --no-build) kbuild=0; shift ;;
        --kernel) kernel=$2; shift 2 ;;
        --allowed) exec awk -f "$here/judge.awk" -v table=1 "$allowed" ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        -*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
        *) names+=("$1"); shift ;;
    esac
done
case $mode in init) modes=(init) ;; wrapped) modes=(wrapped) ;; both) modes=(init wrapped) ;;
    *) echo "run.sh: bad --mode $mode" >&2; exit 2 ;; esac
if [ ${#names[@]} -eq 0 ]; then
    for f in "$here"/*.c "$here"/*.sh; do
        [ "$f" = "$here/run.sh" ] || { f=${f##*/}; names+=("${f%.*}"); }
    done
fi
for name in "${names[@]}"; do
    [ -f "$here/$name.c" ] || [ -f "$here/$name.sh" ] ||
        { echo "run.sh: no such test: $here/$name.c or .sh" >&2; exit 2; }
done
if [ -n "$kernel" ] && [ ! -f "$kernel" ]; then echo "run.sh: no such kernel: $kernel" >&2; exit 2; fi
awk -f "$here/judge.awk" -v check=1 "$allowed" || { echo "run.sh: fix $allowed" >&2; exit 2; }
mkdir -p "$build" "$out"

# Host tools (QEMU, GRUB, gcc -m32, rust-src), then Linux's: installed here
# if missing, so that a fresh clone needs nothing by hand. The Debian kernel
# is fetched once (bench/linux-kernel.sh), before anything is compared.
"$top/tools/deps.sh" run || exit 2
(
    set -eu -o pipefail; shopt -s inherit_errexit
    # shellcheck source=../../bench/linux-kernel.sh
    source "$top/bench/linux-kernel.sh"
    ensure_host_tools
    ensure_linux_kernel > /dev/null
) || { echo "run.sh: cannot get the Linux kernel or its tools (see above)" >&2; exit 2; }

CFLAGS=(-m32 -static -nostdlib -fno-pie -no-pie -ffreestanding -fno-stack-protector
        -fno-tree-loop-distribute-patterns -fno-builtin -O2 -Wall -Wno-unused-function -Wno-infinite-recursion)
if [ -z "$kernel" ]; then
    kernel=$top/target/i686-kernel/release/kernel
    if [ $kbuild = 1 ]; then
        (cd "$top" && cargo +nightly build -q --target i686-kernel.json \
            -Z build-std=core,compiler_builtins,alloc -Z build-std-features=compiler-builtins-mem \
            --release --bin kernel) || { echo "run.sh: kernel build failed" >&2; exit 2; }
    fi
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

passed=0 failed=0
failures=() stale=()
rel=${out#"$top"/}
# fail NAME MODE... WHY: counts and reports the modes as failed without a judgement.
fail() {
    local name=$1 why=${*: -1} m
    for m in "${@:2:$#-2}"; do
        echo "$name [$m]: FAILED ($why)"
        failures+=("$name [$m]")
        failed=$((failed + 1))
    done
}
for name in "${names[@]}"; do
    # A script: /prog is busybox, its argv `busybox sh /test.sh`, and an
    # archive with busybox's applet links and the script goes on both
    # kernels' initramfs (memguard's module `initramfs`; Linux's appended).
    script=() extra=() linux_extra=()
    if [ -f "$here/$name.sh" ]; then
        bin=$build/busybox
        { cp "$("$top/tools/busybox.sh" path)" "$bin" &&
          mapfile -t pairs < <("$top/tools/busybox.sh" pairs) &&
          "$top/tools/mkinitramfs.sh" "$build/$name.cpio" "${pairs[@]}" "raw:$here/$name.sh=/test.sh"; } ||
            { fail "$name" "${modes[@]}" "cannot fetch busybox or build $name.cpio"; continue; }
        script=(sh /test.sh) extra=("raw:$build/$name.cpio=initramfs")
        linux_extra=(--initrd-extra "$build/$name.cpio")
        printf '%s\0' busybox "${script[@]}" > "$build/$name.args"
    else
        bin=$build/$name
        gcc "${CFLAGS[@]}" -o "$bin" "$here/$name.c" || { fail "$name" "${modes[@]}" "cannot build $name.c"; continue; }
        printf '%s\0' "$name" > "$build/$name.args"
    fi

    echo "=== $name: Linux" >&2
    TIMEOUT=${LINUX_TIMEOUT:-180} "$top/bench/linux-run.sh" "${linux_extra[@]}" "$bin" "${script[@]}" \
        > "$out/$name.linux.raw" 2> "$out/$name.linux.err"
    norm_linux "$out/$name.linux.raw" "$out/$name.linux.err" > "$out/$name.linux"
    # Without Linux's verdict there is no specification to compare with.
    if grep -qx '== NO VERDICT' "$out/$name.linux"; then
        fail "$name" "${modes[@]}" "no verdict from Linux; see $rel/$name.linux.err"
        continue
    fi

    for m in "${modes[@]}"; do
        echo "=== $name: memguard ($m)" >&2
        iso=$build/$name.$m.iso
        if [ "$m" = init ] && [ ${#script[@]} -gt 0 ]; then
            # busybox picks the applet by argv[0]: init is its /bin/sh link.
            "$top/tools/mkiso.sh" "$iso" "$build/kernel" "init=/bin/sh -- /test.sh" \
                "raw:$bin=/prog" "raw:$build/$name.args=/args" "${extra[@]}" || { fail "$name" "$m" "mkiso failed"; continue; }
        elif [ "$m" = init ]; then
            "$top/tools/mkiso.sh" "$iso" "$build/kernel" "init=/prog" \
                "raw:$bin=/prog" "raw:$build/$name.args=/args" "${extra[@]}" || { fail "$name" "$m" "mkiso failed"; continue; }
        else
            "$top/tools/mkiso.sh" "$iso" "$build/kernel" "init=/init" \
                "raw:$top/bench/build/init=/init" "raw:$bin=/prog" "raw:$build/$name.args=/args" "${extra[@]}" ||
                { fail "$name" "$m" "mkiso failed"; continue; }
        fi
        MEMGUARD_HEADLESS=1 "$top/tools/qemu-run.sh" --timeout "${MG_TIMEOUT:-180}" "$iso" \
            < /dev/null > "$out/$name.memguard-$m.raw" 2>&1
        norm_memguard "$out/$name.memguard-$m.raw" > "$out/$name.memguard-$m"
        rm -f "$iso"
        diff -u --label "$name (Linux)" --label "$name (memguard, $m)" \
            "$out/$name.linux" "$out/$name.memguard-$m" > "$out/$name.$m.diff"
        judged=$(awk -f "$here/judge.awk" -v prog="$name" -v mode="$m" \
                     "$allowed" "$out/$name.linux" "$out/$name.memguard-$m")
        if [ $? = 0 ]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1)); failures+=("$name [$m]")
            judged+=$'\n'"    (whole diff: $rel/$name.$m.diff; console: $rel/$name.memguard-$m.raw)"
        fi
        grep -v '^stale allow-list entry: ' <<< "$judged"
        mapfile -t -O "${#stale[@]}" stale < <(grep '^stale allow-list entry: ' <<< "$judged")
    done
done
# Groups for programs that no longer exist match nothing either.
mapfile -t -O "${#stale[@]}" stale < <(
    awk '/^[a-z0-9_]+ (init|wrapped|both): / { print FNR, $1 }' "$allowed" |
    while read -r line prog; do
        [ -f "$here/$prog.c" ] || [ -f "$here/$prog.sh" ] ||
            echo "stale allow-list entry: allowed.txt:$line: no program $prog.c or .sh"
    done)

[ ${#stale[@]} -eq 0 ] || printf '%s\n' "${stale[@]}"
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "difftest: $passed passed, $failed failed"
[ "$failed" = 0 ]

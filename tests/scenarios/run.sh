#!/usr/bin/env bash
# Scenario tests: boot the real kernel with the user programs and judge the
# run by how it ended and what the console said. Each tests/scenarios/*.scn
# holds `key: value` lines:
#   init: /bin/usertests        process 1 (default /bin/init)
#   cmdline: log=debug          more kernel command-line words
#   mem: 128M   timeout: 120    QEMU memory, seconds before giving up
#   input: cow\npoweroff\n      bytes typed on the serial console (printf)
#   step: send sleep 100\n      instead of input, typed in turns (any number,
#   step: expect ^sleeping$      in order): send TEXT (printf escapes), expect
#   step: pause 1                ERE (wait for such a console line), pause SECS
#   disk: 4M                    attach a fresh zero-filled disk of that size
#   swap: 16M                   the same, with a swap header (tools/swapimg.sh)
#   disk-errors: FILE           QEMU blkdebug rules between the disk and its
#                                image (device errors on chosen sectors)
#   input-after: REGEX          type them only once a console line matches
#   expect-exit: success        success | failure | panic
#   expect-output: REGEX        a line that must appear (any number of these)
#   reject-output: REGEX        a line that must not appear
# Prints `PASS scenario/NAME (Ns)` or `FAIL scenario/NAME: why log=FILE`.
# Usage: tests/scenarios/run.sh [FILE.scn ...]   (default: all of them)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
out=build/test/scenarios
mkdir -p "$out" build/test/progs build/test/bad
ONLY=${ONLY:-}
kernel=target/i686-kernel/release/kernel

fail_all() { echo "FAIL scenario/build: $1 log=$2"; exit 0; }

# The kernel, the user programs, the C test programs, the hostile ELF files.
cargo +nightly build -q --target i686-kernel.json -Z build-std=core,compiler_builtins,alloc \
    -Z build-std-features=compiler-builtins-mem --release --bin kernel 2> "$out/build.log" \
    || fail_all "kernel build failed" "$out/build.log"
user/build.sh > "$out/user-build.log" 2>&1 || fail_all "user programs did not build" "$out/user-build.log"
for c in tests/progs/*.c; do
    name=$(basename "$c" .c)
    [ "$name" = mkhostile ] && continue
    gcc -m32 -static -nostdlib -fno-pie -no-pie -ffreestanding -fno-stack-protector -O2 \
        -o "build/test/progs/$name" "$c" 2>> "$out/build.log" || fail_all "gcc -m32 $c failed" "$out/build.log"
done
make -s -C bench build/bench > "$out/bench-build.log" 2>&1 || fail_all "bench did not build" "$out/bench-build.log"
# Programs built against a real C library (glibc, static), run unmodified.
mkdir -p build/test/libc
for c in tests/libc/*.c; do
    gcc -m32 -static -O2 -o "build/test/libc/$(basename "$c" .c)" "$c" 2>> "$out/build.log" \
        || fail_all "gcc -m32 -static $c failed" "$out/build.log"
done
# The same against musl (static i386): tools/musl-gcc fetches Debian's i386
# musl-dev into the user's cache on first use (tools/deps.sh test does it).
mkdir -p build/test/musl
for c in tests/musl/*.c; do
    tools/musl-gcc -O2 -o "build/test/musl/$(basename "$c" .c)" "$c" 2>> "$out/build.log" \
        || fail_all "tools/musl-gcc $c failed (tools/musl-gcc --fetch gets musl)" "$out/build.log"
done
gcc -O2 -o build/test/mkhostile tests/progs/mkhostile.c 2>> "$out/build.log" || fail_all "mkhostile" "$out/build.log"
build/test/mkhostile user/build/bin/chello build/test/bad || fail_all "mkhostile failed" "$out/build.log"

modules=()
for f in user/build/bin/* build/test/progs/* build/test/libc/* build/test/musl/* bench/build/bench; do
    modules+=("$f=/bin/$(basename "$f")")
done
for f in build/test/bad/*; do modules+=("raw:$f=/bad/$(basename "$f")"); done
# The root file system's archive, as `make run` builds it (the programs also
# stay modules, which the kernel puts over the archive's copies).
initramfs_files=()
for f in user/build/bin/*; do initramfs_files+=("$f=/bin/$(basename "$f")"); done
# Debian's busybox and its applet links, as in `make run`'s root.
tools/busybox.sh pairs > build/test/busybox.pairs 2>> "$out/build.log" \
    || fail_all "tools/busybox.sh could not fetch busybox" "$out/build.log"
mapfile -t busybox_pairs < build/test/busybox.pairs
tools/mkinitramfs.sh build/test/initramfs.cpio "${initramfs_files[@]}" "${busybox_pairs[@]}" >> "$out/build.log" 2>&1 \
    || fail_all "tools/mkinitramfs.sh failed" "$out/build.log"
modules+=("raw:build/test/initramfs.cpio=initramfs")
# A hostile initrd for initrd_hostile.scn: a real archive cut mid-file.
head -c 300 tests/cpio/gnu-newc.cpio > build/test/truncated.cpio
# A scenario may add an archive of its own: `initrd: FILE`.

# Scenario files: the arguments, or every tests/scenarios/*.scn.
[ $# -gt 0 ] || set -- tests/scenarios/*.scn
for scn in "$@"; do
    name=$(basename "$scn" .scn)
    [ -z "$ONLY" ] || [[ scenario/$name =~ $ONLY ]] || continue
    get() { sed -n "s|^$1: ||p" "$scn" | head -1; }
    init=$(get init); init=${init:-/bin/init}
    mem=$(get mem); mem=${mem:-128M}
    timeout=$(get timeout); timeout=${timeout:-60}
    expect=$(get expect-exit); expect=${expect:-success}
    input=$(get input)
    cmdline="init=$init $(get cmdline)"
    extra=()
    initrd=$(get initrd)
    [ -z "$initrd" ] || extra+=("raw:$initrd=initrd")
    log=$out/$name.log
    if ! tools/mkiso.sh "$out/$name.iso" "$kernel" "$cmdline" "${modules[@]}" "${extra[@]}" 2> "$log"; then
        echo "FAIL scenario/$name: could not build the ISO log=$log"; continue
    fi
    disk_args=()
    disk=$(get disk) swap=$(get swap) disk_errors=$(get disk-errors)
    if [ -n "$disk$swap" ]; then
        img=$out/$name.img
        if [ -n "$swap" ]; then
            tools/swapimg.sh "$swap" "$img" 2>> "$log" || { echo "FAIL scenario/$name: no swap image log=$log"; continue; }
        else
            rm -f "$img" && truncate -s "$disk" "$img"
        fi
        disk_args=(--disk "$img")
        [ -z "$disk_errors" ] || disk_args+=(--disk-errors "$disk_errors")
    fi
    steps=()
    if grep -q '^step: ' "$scn"; then
        sed -n 's|^step: ||p' "$scn" > "$out/$name.steps"
        steps=(--steps "$out/$name.steps")
    fi
    start=$(date +%s%N)
    # shellcheck disable=SC2059
    printf "$input" | MEMGUARD_HEADLESS=1 MEMGUARD_INPUT_AFTER="$(get input-after)" tools/qemu-run.sh \
        --mem "$mem" --timeout "$timeout" "${steps[@]}" "${disk_args[@]}" --quiet --log "$log" \
        "$out/$name.iso" > "$log.verdict"
    rc=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    sed -i 's/\r$//' "$log"
    case $rc in 0) got=success ;; 1) got=failure ;; 3) got=panic ;; 4) got=timeout ;; *) got=other ;; esac
    why=""
    [ "$got" = "$expect" ] || why="expected $expect, got: $(tail -1 "$log.verdict")"
    while IFS= read -r re; do
        [ -n "$why" ] || grep -qE -- "$re" "$log" || why="no line matching: $re"
    done < <(sed -n 's|^expect-output: ||p' "$scn")
    while IFS= read -r re; do
        [ -n "$why" ] || ! grep -qE -- "$re" "$log" || why="unexpected line matching: $re"
    done < <(sed -n 's|^reject-output: ||p' "$scn")
    if [ -z "$why" ]; then
        echo "PASS scenario/$name ($((ms / 1000)).$((ms % 1000 / 100))s)"
    else
        echo "FAIL scenario/$name: $why log=$log"
    fi
done

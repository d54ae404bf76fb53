#!/usr/bin/env bash
# `make bench`: the same benchmark program (bench/bench.c) on this kernel and
# on Debian's Linux i386 kernel, in the same QEMU with the same CPU, memory
# and accelerator, then a table with both columns and the ratio.
#   tools/bench.sh [bench arguments, e.g. --pages 256 --reps 5]
# MEM (default 256M), CPU (QEMU -cpu, default QEMU's) and KVM=1 apply to both.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/bench
mkdir -p "$out"
mem=${MEM:-256M}
args=("$@")

make -s -C bench build/bench
cargo +nightly build -q --target i686-kernel.json -Z build-std=core,compiler_builtins,alloc \
    -Z build-std-features=compiler-builtins-mem --release --bin kernel
tools/mkiso.sh "$out/memguard.iso" target/i686-kernel/release/kernel "init=/bin/bench -- ${args[*]}" \
    bench/build/bench=/bin/bench

qemu_opts=(--mem "$mem" --timeout 600 --quiet --log "$out/memguard.log")
[ -n "${KVM:-}" ] && qemu_opts+=(--kvm)
[ -n "${CPU:-}" ] && export QEMU_CPU=$CPU
echo "== memguard (QEMU $(qemu-system-i386 --version | head -1 | awk '{print $4}'), $mem)"
tools/qemu-run.sh "${qemu_opts[@]}" "$out/memguard.iso" < /dev/null || { tail -30 "$out/memguard.log"; exit 1; }
sed -i 's/\r$//' "$out/memguard.log"
{
    grep -E '^bench: pages=|^[a-z0-9_]+ [0-9]+ cycles' "$out/memguard.log"
    sed -n 's/^boot: init starts at TSC \([0-9]*\)$/boot_to_init \1 cycles/p' "$out/memguard.log"
} > "$out/memguard.txt"
cat "$out/memguard.txt"

echo "== Linux i386 (Debian's 686 kernel, same QEMU, $mem)"
linux_env=(MEM="$mem" ACCEL="$([ -n "${KVM:-}" ] && echo kvm || echo tcg)")
[ -n "${CPU:-}" ] && linux_env+=(CPU="$CPU")
env "${linux_env[@]}" bench/linux-bench.sh "${args[@]}" > "$out/linux.txt" 2> "$out/linux.err" || {
    cat "$out/linux.err"; exit 1; }
cat "$out/linux.txt"

echo
echo "== side by side (cycles; ratio < 1 means memguard is faster)"
bench/compare.sh "$out/linux.txt" "$out/memguard.txt" | tee "$out/table.md"
echo
sed -n 's/^boot: per-process kernel memory for init at exec: /memguard per-process overhead (a process at exec): /p' "$out/memguard.log"
grep -h 'linux-bench:' "$out/linux.err" || true
echo "host CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"

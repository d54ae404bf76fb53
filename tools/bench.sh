#!/usr/bin/env bash
# `make bench`: the same benchmark program (bench/bench.c) on this kernel and
# on Debian's Linux i386 kernel, in the same QEMU with the same CPU, memory
# and accelerator, then a table with both columns, the limit column (what
# the bare mechanisms cost on this emulator: memguard booted with `bench`
# runs bench's limit_* figures through its bench-only gates) and the
# ratios memguard/linux and memguard/limit; and a bar chart of the three,
# build/bench/bench.svg (bench/chart.py).
#   tools/bench.sh [bench arguments, e.g. --pages 256 --reps 5]
# MEM (default 256M), CPU (QEMU -cpu, default QEMU's) and KVM=1 apply to both.
# Then the swap rows (bench --swap-mb): both kernels again on a small
# machine, BENCH_SWAP_MEM (default 64M), each with a fresh 256 MiB swap image
# (tools/swapimg.sh) as its virtio disk, a working set of twice that RAM.
# BENCH_SWAP=0 leaves them out; if one kernel cannot run them (no swap) its
# column shows "-" for them.
# BENCH_RUNS=N (default 1) boots each kernel N times, alternating, and
# takes each figure's median over the runs (bench/merge.sh), or with
# BENCH_MERGE=min its smallest: on a host shared with other work one run's
# medians can move by 2x, and a run is only ever slowed down.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=build/bench
mkdir -p "$out"
mem=${MEM:-256M}
args=("$@")

make -s -C bench build/bench build/exectarget
cargo +nightly build -q --target i686-kernel.json -Z build-std=core,compiler_builtins,alloc \
    -Z build-std-features=compiler-builtins-mem --release --bin kernel
# `bench` on the command line turns on the gates the limit figures need.
tools/mkiso.sh "$out/memguard.iso" target/i686-kernel/release/kernel "bench init=/bin/bench -- ${args[*]}" \
    bench/build/bench=/bin/bench bench/build/exectarget=/bin/exectarget

qemu_opts=(--mem "$mem" --timeout 600 --quiet --log "$out/memguard.log")
[ -n "${KVM:-}" ] && qemu_opts+=(--kvm)
[ -n "${CPU:-}" ] && export QEMU_CPU=$CPU
linux_env=(MEM="$mem" ACCEL="$([ -n "${KVM:-}" ] && echo kvm || echo tcg)")
[ -n "${CPU:-}" ] && linux_env+=(CPU="$CPU")
runs=${BENCH_RUNS:-1}
rm -f "$out"/memguard.[0-9]*.txt "$out"/linux.[0-9]*.txt
for run in $(seq "$runs"); do
    echo "== memguard (QEMU $(qemu-system-i386 --version | head -1 | awk '{print $4}'), $mem), run $run of $runs"
    tools/qemu-run.sh "${qemu_opts[@]}" "$out/memguard.iso" < /dev/null || { tail -30 "$out/memguard.log"; exit 1; }
    sed -i 's/\r$//' "$out/memguard.log"
    {
        grep -E '^bench: pages=|^[a-z0-9_]+ [0-9]+ cycles' "$out/memguard.log"
        sed -n 's/^boot: init starts at TSC \([0-9]*\)$/boot_to_init \1 cycles/p' "$out/memguard.log"
    } > "$out/memguard.$run.txt"
    cat "$out/memguard.$run.txt"

    echo "== Linux i386 (Debian's 686 kernel, same QEMU, $mem), run $run of $runs"
    env "${linux_env[@]}" bench/linux-bench.sh "${args[@]}" > "$out/linux.$run.txt" 2> "$out/linux.err" || {
        cat "$out/linux.err"; exit 1; }
    cat "$out/linux.$run.txt"
done
merge=()
[ "${BENCH_MERGE:-median}" = min ] && merge=(--min)
bench/merge.sh "${merge[@]}" "$out"/memguard.[0-9]*.txt > "$out/memguard.txt"
bench/merge.sh "${merge[@]}" "$out"/linux.[0-9]*.txt > "$out/linux.txt"
[ "$runs" = 1 ] || echo "== each figure's ${BENCH_MERGE:-median} over $runs runs: $out/memguard.txt, $out/linux.txt"

if [ "${BENCH_SWAP:-1}" != 0 ]; then
    swap_mem=${BENCH_SWAP_MEM:-64M}
    swap_args=(--swap-mb $(( 2 * ${swap_mem%M} )) --pages 1024 --reps 3)
    echo "== swap rows: $swap_mem RAM, a 256 MiB swap disk, bench ${swap_args[*]}"
    tools/mkiso.sh "$out/memguard-swap.iso" target/i686-kernel/release/kernel \
        "init=/bin/bench -- ${swap_args[*]}" bench/build/bench=/bin/bench
    tools/swapimg.sh 256M "$out/swap.img"
    swap_opts=(--mem "$swap_mem" --timeout 600 --quiet --log "$out/memguard-swap.log" --disk "$out/swap.img")
    [ -n "${KVM:-}" ] && swap_opts+=(--kvm)
    if tools/qemu-run.sh "${swap_opts[@]}" "$out/memguard-swap.iso" < /dev/null; then
        sed -i 's/\r$//' "$out/memguard-swap.log"
        grep -E '^(swap_seq_pass_2x_ram|major_fault_swapin) [0-9]+ cycles' "$out/memguard-swap.log" |
            tee -a "$out/memguard.txt"
    else
        echo "memguard: no swap rows ($out/memguard-swap.log):"; tail -3 "$out/memguard-swap.log"
    fi
    tools/swapimg.sh 256M "$out/swap.img"
    if env "${linux_env[@]}" MEM="$swap_mem" bench/linux-run.sh --disk "$out/swap.img" bench/build/bench \
            "${swap_args[@]}" > "$out/linux-swap.txt" 2> "$out/linux-swap.err"; then
        grep -E '^(swap_seq_pass_2x_ram|major_fault_swapin) ' "$out/linux-swap.txt" | tee -a "$out/linux.txt"
    else
        echo "Linux: no swap rows:"; cat "$out/linux-swap.txt" "$out/linux-swap.err" | tail -5
    fi
fi

echo
echo "== side by side (cycles; memguard/linux < 1 means memguard is faster; memguard/limit is how far"
echo "   memguard is from the bare mechanisms it cannot do without)"
bench/compare.sh "$out/linux.txt" "$out/memguard.txt" | tee "$out/table.md"
bench/compare.sh --tsv "$out/linux.txt" "$out/memguard.txt" > "$out/table.tsv"
bench/chart.py < "$out/table.tsv" > "$out/bench.svg"
echo "chart: $out/bench.svg"
echo
sed -n 's/^boot: per-process kernel memory for init at exec: /memguard per-process overhead (a process at exec): /p' "$out/memguard.log"
grep -h 'linux-bench:' "$out/linux.err" || true
echo "host CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"

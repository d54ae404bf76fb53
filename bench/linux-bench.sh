#!/usr/bin/env bash
# linux-bench.sh: runs bench under the Linux oracle (linux-run.sh) and prints
# its output, then how long Linux took to reach its first user instruction.
#
#   [MEM=128M] [CPU=model] [ACCEL=tcg|kvm | KVM=1] [SMP=1] bench/linux-bench.sh [BENCH ARGS...]
#
# The QEMU settings are linux-run's (MEM, CPU, ACCEL, SMP, QEMU_EXTRA), so the
# oracle can be given the machine memguard is measured on; KVM=1 is accepted
# as in the top-level Makefile. After "bench: done" come:
#   boot_to_init CYCLES cycles   guest TSC when /init started: under TCG the
#                                host's TSC ticks since the virtual CPU began,
#                                so firmware and decompression are included
#   linux-bench: ... lines       the kernel's own clock at /init, and wall time
# The initramfs also holds /bin/exectarget (build/exectarget, through
# linux-run's --initrd-extra), the program bench's fork_execve_exit_wait
# row execs: at the path it has on memguard, where it is a boot module.
# `linux-bench.sh --exec-initrd OUT` only writes that archive (for
# tools/bench.sh's swap run and selftest.sh).
# Exit status: bench's, as linux-run reports it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ -n "${KVM:-}" ] && export ACCEL=${ACCEL:-kvm}
make -s -C "$here" build/bench build/exectarget build/init >&2

# exec_initrd OUT: a newc archive of /bin/exectarget.
exec_initrd() {
    # shellcheck source-path=SCRIPTDIR
    source "$here/newc.sh"
    { newc_dir bin; newc_file bin/exectarget "$here/build/exectarget" 100755; newc_trailer; } > "$1"
}
if [ "${1:-}" = --exec-initrd ]; then
    exec_initrd "${2:?--exec-initrd needs a file}"
    exit 0
fi

err=$(mktemp "${TMPDIR:-/tmp}/linux-bench.XXXXXX")
extra=$(mktemp "${TMPDIR:-/tmp}/linux-bench-initrd.XXXXXX")
trap 'rm -f "$err" "$extra"' EXIT
exec_initrd "$extra"
start=$(date +%s%N)
set +e
"$here/linux-run.sh" --boot-time --initrd-extra "$extra" "$here/build/bench" "$@" 2> "$err"
status=$?
set -e
wall_ms=$(( ($(date +%s%N) - start) / 1000000 ))

# linux-run's boot line goes to stdout as a figure; everything else it said
# (the verdict, any error) stays on stderr.
boot=$(grep -a '^\[linux-run\] boot ' "$err" || true)
grep -av '^\[linux-run\] boot ' "$err" >&2 || true
if [[ $boot =~ tsc=([0-9]+)\ monotonic_ns=([0-9]+) ]]; then
    echo "boot_to_init ${BASH_REMATCH[1]} cycles"
    echo "linux-bench: kernel clock at /init: $(( BASH_REMATCH[2] / 1000000 )) ms" \
         "(from the kernel's timekeeping start: no firmware, no decompression)"
else
    echo "linux-bench: no boot time reported" >&2
fi
echo "linux-bench: whole run ${wall_ms} ms wall (QEMU start to power-off)" \
     "accel=${ACCEL:-tcg} mem=${MEM:-128M} cpu=${CPU:-default}"
exit "$status"

#!/usr/bin/env bash
# linux-run.sh: runs one static i386 program under a stock Debian i386 Linux
# kernel in QEMU, the oracle that memguard's behaviour is compared with.
#
#   bench/linux-run.sh [--stdin FILE|-] [--boot-time] [--timeout SECS] [--initrd-extra CPIO] [--module NAME]... [--disk IMG] PROGRAM [ARGS...]
#
# stdout: the program's output (stdout and stderr, as the serial console
#         carries both), byte for byte.
# stderr: one verdict line, "[linux-run] exit N" or
#         "[linux-run] killed by SIGNAME (signal N)"; with --boot-time also
#         "[linux-run] boot tsc=CYCLES monotonic_ns=NS" (see README.md).
# exit:   the program's status; 128+N if signal N killed it; 124 on time-out;
#         125 if the run ended without a verdict (the raw console is shown).
#
# The program's stdin is /dev/null unless --stdin names a file ("-": ours).
# --initrd-extra adds an uncompressed newc archive after the run's own (Linux
# unpacks concatenated archives in order): busybox and its applet links for
# tests/diff's scripts.
# --module NAME loads that module of the kernel's own package (and what it
# depends on) before the program starts; --disk IMG attaches IMG as a
# virtio disk, /dev/vda, the way tools/qemu-run.sh attaches memguard's
# (raw), and loads virtio_pci and virtio_blk, which Debian builds as
# modules. Nothing creates /dev/vda: the program mknods it (block device,
# major "virtblk" in /proc/devices, minor 0).
# QEMU is set by the environment, so callers can match memguard's machine:
#   MEM=128M  CPU=<qemu -cpu model, default QEMU's>  ACCEL=tcg|kvm  SMP=1
#   QEMU_EXTRA="more qemu args"   LINUX_TUNING, LINUX_FASTBOOT,
#   LINUX_CMDLINE_EXTRA: kernel command line, below.  TIMEOUT=900 (seconds).
set -euo pipefail
shopt -s inherit_errexit   # a failed fetch inside $(...) stops the run
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR
source "$here/linux-kernel.sh"
source "$here/newc.sh"

usage() { sed -n '5p' "$0" | sed 's/^# */usage: /' >&2; exit 125; }
stdin_file="" boot_time=0 timeout_s=${TIMEOUT:-900} extra="" disk=""
modules=()
while [ $# -gt 0 ]; do
    case $1 in
        --stdin) stdin_file=${2:?--stdin needs a file}; shift 2 ;;
        --boot-time) boot_time=1; shift ;;
        --timeout) timeout_s=${2:?--timeout needs seconds}; shift 2 ;;
        --initrd-extra) extra=${2:?--initrd-extra needs a file}; shift 2 ;;
        --module) modules+=("${2:?--module needs a name}"); shift 2 ;;
        --disk) disk=${2:?--disk needs an image}; modules+=(virtio_pci virtio_blk); shift 2 ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -ge 1 ] || usage
prog=$1
[ -f "$prog" ] || { echo "linux-run: no such program: $prog" >&2; exit 125; }

ensure_host_tools
vmlinuz=$(ensure_linux_kernel)
make -s -C "$here" build/init >&2
[ -z "$disk" ] || [ -f "$disk" ] || { echo "linux-run: no such disk image: $disk" >&2; exit 125; }
kos=()
[ ${#modules[@]} -eq 0 ] || mapfile -t kos < <(ensure_linux_modules "$vmlinuz" "${modules[@]}")

work=$(mktemp -d "${TMPDIR:-/tmp}/linux-run.XXXXXX")
trap 'rm -rf "$work"' EXIT

# argv[0] is the program's own name, as a shell would give it.
printf '%s\0' "$(basename "$prog")" "${@:2}" > "$work/args"
if [ "$stdin_file" = - ]; then
    cat > "$work/stdin"
elif [ -n "$stdin_file" ]; then
    cp "$stdin_file" "$work/stdin"
fi
# Uncompressed: the kernel unpacks it faster than it could gunzip it under TCG.
{
    newc_dir dev
    newc_chardev dev/console 5 1
    newc_chardev dev/null 1 3
    # The rest of the usual nodes, with devtmpfs's modes, as memguard's /dev.
    newc_chardev dev/zero 1 5 020666
    newc_chardev dev/full 1 7 020666
    newc_chardev dev/random 1 8 020666
    newc_chardev dev/urandom 1 9 020666
    newc_chardev dev/tty 5 0 020666
    newc_file init "$here/build/init" 100755
    newc_file prog "$prog" 100755
    newc_file args "$work/args"
    [ -f "$work/stdin" ] && newc_file stdin "$work/stdin"
    for i in "${!kos[@]}"; do newc_file "mod$i.ko" "${kos[$i]}"; done
    newc_trailer
    [ -z "$extra" ] || cat "$extra"
} > "$work/initrd"

# quiet + loglevel=0 keep the kernel off the console; panic=-1 turns a panic
# into a reset, which -no-reboot turns into QEMU's exit. LINUX_TUNING makes
# the oracle comparable with memguard (4 KiB pages only, no Spectre/MDS
# work on each kernel exit, one fixed kernel address); LINUX_FASTBOOT skips the two slowest
# boot steps under TCG (crypto self-tests 1.1 s, ISA PnP scan 0.4 s), which
# do not touch what bench measures. Set either empty for the stock kernel;
# see README.md. LINUX_CMDLINE_EXTRA="loglevel=7" shows the kernel log.
tuning=${LINUX_TUNING-transparent_hugepage=never mitigations=off nokaslr}
fastboot=${LINUX_FASTBOOT-cryptomgr.notests noisapnp}
cmdline="console=ttyS0 quiet loglevel=0 panic=-1 $tuning $fastboot ${LINUX_CMDLINE_EXTRA:-}"
[ "$boot_time" = 1 ] && cmdline+=" linuxrun_boot=1"
qemu=(qemu-system-i386 -machine "pc,accel=${ACCEL:-tcg}" -m "${MEM:-128M}"
      -smp "${SMP:-1}" -display none -monitor none -serial stdio -no-reboot
      -kernel "$vmlinuz" -initrd "$work/initrd" -append "$cmdline")
[ -n "${CPU:-}" ] && qemu+=(-cpu "$CPU")
[ -z "$disk" ] || qemu+=(-drive "file=$disk,if=virtio,format=raw")
# shellcheck disable=SC2206 # QEMU_EXTRA is a list of words on purpose
[ -n "${QEMU_EXTRA:-}" ] && qemu+=(${QEMU_EXTRA})

# The console is streamed through a filter that takes out the verdict lines
# (they may follow output that lacks a final newline) and keeps a raw copy.
set +e
timeout -k 5 "$timeout_s" "${qemu[@]}" < /dev/null 2>&1 | tee "$work/console" |
    awk -v boot="$boot_time" '
        { i = index($0, "[linux-run] ") }
        i == 0 { print; fflush(); next }
        i > 1 { printf "%s", substr($0, 1, i - 1); fflush() }
        { tag = substr($0, i) }
        tag ~ /^\[linux-run\] boot / { if (boot == 1) print tag > "/dev/stderr"; next }
        { print tag > "/dev/stderr" }'
status=${PIPESTATUS[0]}
set -e

verdict=$(grep -aoE '\[linux-run\] (exit [0-9]+|killed by [A-Z0-9+]+ \(signal [0-9]+\))' \
          "$work/console" | tail -n 1 || true)
if [[ $verdict =~ exit\ ([0-9]+)$ ]]; then
    exit "${BASH_REMATCH[1]}"
elif [[ $verdict =~ signal\ ([0-9]+)\)$ ]]; then
    exit $(( 128 + BASH_REMATCH[1] ))
fi
if [ "$status" = 124 ] || [ "$status" = 137 ]; then
    echo "[linux-run] TIME-OUT after ${timeout_s}s" >&2
    exit 124
fi
echo "[linux-run] no verdict (QEMU status $status); last console lines" \
     "(LINUX_CMDLINE_EXTRA=loglevel=7 shows the kernel's log):" >&2
tail -n 20 "$work/console" | cat -v >&2
exit 125

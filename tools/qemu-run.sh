#!/usr/bin/env bash
# Boots an ISO in QEMU and says how the run ended.
#   tools/qemu-run.sh [options] ISO
#     --mem SIZE       guest memory (default 128M)
#     --timeout SECS   give up after SECS (default: none)
#     --log FILE       also copy the serial console to FILE
#     --quiet          do not echo the serial console (needs --log)
#     --gdb PORT       start stopped, waiting for gdb on PORT
#     --trace FILE     QEMU -d int,cpu_reset into FILE
#     --kvm            use KVM instead of TCG
#     --disk FILE      attach FILE (raw) as the first virtio disk (/dev/vda)
#     --disk-errors CONF  put QEMU's blkdebug between the disk and FILE, with
#                      CONF's [inject-error] rules (tests of device errors)
#     --steps FILE     type on the console as FILE says instead of copying
#                      stdin, one step a line: `send TEXT` (printf escapes:
#                      \n Enter, \003 ^C), `expect ERE` (wait until a console
#                      line after the last one matched matches it), `pause
#                      SECS`; ^D follows the last step, as after piped input
# QEMU_CPU in the environment picks the -cpu model; QEMU_GDB_PORT adds a gdb
# stub to a running machine. Piped input is fed once
# the kernel's banner appears, or once a console line matches the bash regex
# MEMGUARD_INPUT_AFTER if that is set (input a program must see while it
# waits, e.g. a ^C for its foreground job).
# Exit status: 0 success (the kernel wrote the success code), 1 failure
# (a test failed, or init ended badly), 3 kernel panic, 4 time-out,
# 2 anything else: triple fault, reset, or QEMU ending without a verdict.
set -uo pipefail
mem=128M timeout=0 log="" quiet=0 gdb="" trace="" accel=tcg steps="" disk="" disk_errors=""
while [ $# -gt 1 ]; do
    case $1 in
        --mem) mem=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --quiet) quiet=1; shift ;;
        --gdb) gdb=$2; shift 2 ;;
        --trace) trace=$2; shift 2 ;;
        --kvm) accel=kvm; shift ;;
        --steps) steps=$2; shift 2 ;;
        --disk) disk=$2; shift 2 ;;
        --disk-errors) disk_errors=$2; shift 2 ;;
        *) echo "qemu-run: unknown option $1" >&2; exit 2 ;;
    esac
done
iso=${1:?usage: qemu-run.sh [options] ISO}

args=(-machine pc,accel="$accel" -m "$mem" -cdrom "$iso" -boot d
      -monitor none -no-reboot
      -device isa-debug-exit,iobase=0xf4,iosize=0x04)

# A terminal is the serial console directly. Piped input instead goes
# through a FIFO and is held back until the kernel prints its first line, so
# nothing typed ahead is lost while the UART is being initialised.
piped=0
if { [ -t 0 ] && [ -z "$steps" ]; } || [ -n "$gdb" ]; then
    args+=(-serial stdio)
else
    piped=1
    fifo=$(mktemp -d "${TMPDIR:-/tmp}/memguard-serial.XXXXXX")
    mkfifo "$fifo/ser.in" "$fifo/ser.out"
    exec 3<&0
    args+=(-chardev "pipe,id=ser0,path=$fifo/ser" -serial chardev:ser0)
fi
if [ -n "${DISPLAY:-}" ] && [ "$quiet" = 0 ] && [ -z "${MEMGUARD_HEADLESS:-}" ]; then
    args+=(-display gtk)
else
    args+=(-display none)
fi
[ -n "$gdb" ] && args+=(-S -gdb "tcp:127.0.0.1:$gdb")
[ -n "$trace" ] && args+=(-d int,cpu_reset -D "$trace")
[ -n "${QEMU_CPU:-}" ] && args+=(-cpu "$QEMU_CPU")
# A gdb stub on a running machine (attach to a run that hangs: `gdb
# -ex 'target remote :PORT'`), unlike --gdb, which starts stopped.
[ -n "${QEMU_GDB_PORT:-}" ] && args+=(-gdb "tcp:127.0.0.1:$QEMU_GDB_PORT")
# The disk: a transitional virtio-blk-pci device (legacy and modern
# interfaces; the kernel's driver speaks the modern one).
if [ -n "$disk" ]; then
    [ -f "$disk" ] || { echo "qemu-run: no disk image $disk" >&2; exit 2; }
    if [ -n "$disk_errors" ]; then
        args+=(-drive "file=blkdebug:$disk_errors:$disk,if=virtio,format=raw")
    else
        args+=(-drive "file=$disk,if=virtio,format=raw")
    fi
fi

qemu() {
    if [ "$timeout" != 0 ]; then
        timeout -k 5 "$timeout" qemu-system-i386 "${args[@]}"
    else
        qemu-system-i386 "${args[@]}"
    fi
}

# --steps: types each `send`, waits for each `expect` in the console lines
# the reader keeps in $fifo/console (it ends when the run's FIFO directory
# is removed), sleeps for each `pause`.
type_steps() {
    local step seen=0 n
    while IFS= read -r step || [ -n "$step" ]; do
        case $step in
            send\ *)
                # shellcheck disable=SC2059 # the step's escapes are the point
                printf -- "${step#send }" ;;
            pause\ *) sleep "${step#pause }" ;;
            expect\ *)
                until n=$(awk -v from="$seen" -v re="${step#expect }" \
                              'NR > from && $0 ~ re { print NR; exit }' "$fifo/console" 2>/dev/null) &&
                      [ -n "$n" ]; do
                    [ -d "$fifo" ] || return 0
                    sleep 0.1
                done
                seen=$n ;;
            "" | "#"*) ;;
            *) echo "[qemu-run] bad step: $step" >&2 ;;
        esac
    done < "$steps"
}

# Piped mode: QEMU talks to the FIFOs; a reader copies the console out and
# feeds the saved input in once the kernel's banner appears.
run() {
    [ $piped = 1 ] || { qemu; return; }
    (
        fed=0
        while IFS= read -r line || [ -n "$line" ]; do
            printf '%s\n' "$line"
            [ -z "$steps" ] || printf '%s\n' "${line%$'\r'}" >> "$fifo/console"
            if [ $fed = 0 ] && { if [ -n "${MEMGUARD_INPUT_AFTER:-}" ]; then [[ $line =~ $MEMGUARD_INPUT_AFTER ]]
                                  else [[ $line == memguard:* ]]; fi; }; then
                fed=1
                # When the input ends, ^D tells the kernel (read returns 0),
                # as a terminal's end-of-file character does.
                if [ -n "$steps" ]; then
                    { type_steps; printf '\004'; } > "$fifo/ser.in" &
                else
                    { cat <&3; printf '\004'; } > "$fifo/ser.in" &
                fi
            fi
        done < "$fifo/ser.out"
    ) &
    reader=$!
    qemu
    local status=$?
    # QEMU is gone, so the reader sees the end of its output; it only needs
    # killing if QEMU never opened the FIFO at all.
    for _ in $(seq 1 50); do
        kill -0 $reader 2>/dev/null || break
        sleep 0.05
    done
    kill $reader 2>/dev/null
    wait $reader 2>/dev/null
    pkill -P $$ cat 2>/dev/null
    rm -rf "$fifo"
    return $status
}

if [ -n "$log" ]; then
    if [ "$quiet" = 1 ]; then
        run > "$log" 2>&1
    else
        run 2>&1 | tee "$log"
    fi
    status=${PIPESTATUS[0]}
else
    run
    status=$?
fi

case $status in
    33) echo "[qemu-run] success"; exit 0 ;;
    35) echo "[qemu-run] failure reported by the kernel"; exit 1 ;;
    37) echo "[qemu-run] KERNEL PANIC"; exit 3 ;;
    124|137) echo "[qemu-run] TIME-OUT after ${timeout}s"; exit 4 ;;
    0) echo "[qemu-run] QEMU stopped without a verdict: triple fault, reset or power-off (try: make trace)"; exit 2 ;;
    *) echo "[qemu-run] QEMU exited with status $status"; exit 2 ;;
esac

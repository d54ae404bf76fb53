#!/usr/bin/env bash
# linux-swaptests.sh: runs the swap test programs (tests/progs/swap*.c)
# on the Linux oracle, each with a fresh 128 MiB swap image as /dev/vda,
# the check that they are written to Linux's behaviour. Prints each
# program's output and "PASS linux/NAME" or "FAIL linux/NAME (status N)".
#   bench/linux-swaptests.sh [NAME...]     (default: all of them)
# MEM defaults to 40M: Debian's 686 kernel does not boot in memguard's
# 32M (it decompresses itself at 16 MiB), and at 40M it leaves 24 MiB of
# RAM to user space, near what memguard leaves at 32M.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/test/linux-swap
mkdir -p "$out"
[ $# -gt 0 ] || set -- $(cd "$top/tests/progs" && ls swap*.c | sed 's/\.c$//')
fails=0
for name in "$@"; do
    gcc -m32 -static -nostdlib -fno-pie -no-pie -ffreestanding -fno-stack-protector -O2 \
        -Wall -Wextra -Werror -o "$out/$name" "$top/tests/progs/$name.c" || { fails=$((fails + 1)); continue; }
    "$top/tools/swapimg.sh" 128M "$out/swap.img"
    MEM=${MEM:-40M} TIMEOUT=${TIMEOUT:-300} "$top/bench/linux-run.sh" --disk "$out/swap.img" "$out/$name"
    rc=$?
    if [ $rc = 0 ]; then echo "PASS linux/$name"; else echo "FAIL linux/$name (status $rc)"; fails=$((fails + 1)); fi
done
exit $((fails > 0))

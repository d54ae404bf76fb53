#!/usr/bin/env bash
# Writes a gdb script that attaches to QEMU on PORT with the kernel's symbols
# (and a user program's, if given) and stops at the Rust entry, kmain.
#   tools/gdbinit.sh PORT KERNEL [USER-PROGRAM]
set -eu
port=$1 kernel=$2 user=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
cat <<GDB
set pagination off
set confirm off
file $kernel
$( [ -n "$user" ] && echo "add-symbol-file $user" )
source $top/tools/gdb/memguard.gdb
source $top/tools/gdb/cost.py
target remote 127.0.0.1:$port
# The kernel runs at 0xC01xxxxx only once paging is on; a software breakpoint
# would be written through the physical view before that and be lost, so use
# a hardware one.
hbreak kmain
continue
GDB

#!/usr/bin/env bash
# Runs a user program on this Linux host (its IA32 emulation runs the same
# static i386 binaries memguard does), after building:
#     user/run-on-linux.sh NAME [ARGS...]      e.g.  user/run-on-linux.sh usertests
# BINDIR points sh, init and sharetext at build/bin instead of /bin. When sh
# or init runs on a terminal, the terminal's echo, line editing and signal
# keys are turned off meanwhile, so the shell sees raw keys as on memguard's
# console. The exit status is the program's (128+N if killed by signal N).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { echo "usage: $0 NAME [ARGS...]" >&2; exit 2; }
"$here/build.sh"
name=$1
shift
prog=$here/build/bin/$name
[ -x "$prog" ] || { echo "run-on-linux: no program '$name' in $here/build/bin" >&2; exit 2; }
export BINDIR=$here/build/bin
if [ -t 0 ] && { [ "$name" = sh ] || [ "$name" = init ]; }; then
    saved=$(stty -g)
    trap 'stty "$saved"' EXIT
    stty -echo -icanon -isig
fi
status=0
"$prog" "$@" || status=$?
exit "$status"

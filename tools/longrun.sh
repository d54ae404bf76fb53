#!/usr/bin/env bash
# The long runs, outside `make test`:
#   tools/longrun.sh fuzz SEED CALLS [PER_CHILD [NR]]   (make fuzz SEED=… CALLS=…)
#   tools/longrun.sh soak ROUNDS                        (make soak ROUNDS=…)
# Boots the kernel with tests/progs/{fuzz,soak}.c as process 1 (the
# scenario runner builds everything), prints the program's figures, and
# exits 0 only if it reported success. MEM sets the guest's memory (128M);
# HEAPTRACE=1 boots with `heaptrace`, so that a fuzz run whose heap does not
# come back lists the live allocations by caller (the kernel's `heap` view).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
what=${1:?usage: tools/longrun.sh fuzz SEED CALLS [PER_CHILD [NR]] | soak ROUNDS}
shift
case $what in
    fuzz) name=fuzz-${1:?seed}-${2:?calls}; ok='^fuzz: the kernel answered every call and gave everything back$' ;;
    soak) name=soak-${1:?rounds}; ok='^soak: every frame came back$' ;;
    *) echo "longrun: fuzz or soak, not $what" >&2; exit 2 ;;
esac
mkdir -p build/long
scn=build/long/$name.scn
cat > "$scn" <<SCN
init: /bin/$what
cmdline: ${HEAPTRACE:+heaptrace }-- $*
mem: ${MEM:-128M}
timeout: 14400
expect-exit: success
expect-output: $ok
reject-output: KERNEL PANIC
SCN
echo "[longrun] $what $* (mem ${MEM:-128M}); the console log is build/test/scenarios/$name.log"
start=$(date +%s)
result=$(tests/scenarios/run.sh "$scn")
# The program's own summary starts at its last "calls"/"rounds" line (fuzz
# children may print anything before that: they write random memory).
log=build/test/scenarios/$name.log
from=$(grep -anE "^$what: (calls|rounds) " "$log" | tail -n 1 | cut -d: -f1)
tail -n +"${from:-1}" "$log" | grep -a "^$what: "
echo "$result"
echo "[longrun] $(( $(date +%s) - start )) s"
[[ $result == PASS* ]]

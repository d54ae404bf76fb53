#!/usr/bin/env bash
# merge.sh: several runs of bench in one: each figure's median over the
# files that have it (the lower middle for an even count), or with --min
# its smallest, in the first file's order, after the first file's
# "bench: pages=" line.
#
#   bench/merge.sh [--min] RUN1 [RUN2 ...]
#
# --min suits a host busy with other work: there a run is only ever slowed
# down (the emulator's thread waits for a CPU while the TSC runs on), so
# the least-disturbed run is the closest to the cost itself.
#
# Figure lines are "name value unit" (cycles or cycles/page), as compare.sh
# reads them; every other line is dropped.
set -euo pipefail
pick=median
[ "${1:-}" = --min ] && { pick=min; shift; }
[ $# -ge 1 ] || { echo "usage: merge.sh [--min] RUN1 [RUN2 ...]" >&2; exit 2; }
awk -v pick="$pick" '
    { sub(/\r$/, "") }
    /^bench: pages=/ && header == "" { header = $0 }
    NF == 3 && $1 ~ /^[a-z0-9_]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^cycles(\/page)?$/ {
        if (!($1 in count)) { order[++n] = $1; unit[$1] = $3 }
        v[$1, ++count[$1]] = $2   # kept as text: printf %d stops at 2^31 in mawk
    }
    END {
        if (header != "") print header
        for (i = 1; i <= n; i++) {
            f = order[i]; k = count[f]
            for (a = 2; a <= k; a++)          # insertion sort of the few values
                for (b = a; b > 1 && v[f, b - 1] + 0 > v[f, b] + 0; b--) { t = v[f, b]; v[f, b] = v[f, b - 1]; v[f, b - 1] = t }
            printf "%s %s %s\n", f, v[f, pick == "min" ? 1 : int((k + 1) / 2)], unit[f]
        }
    }
' "$@"

#!/usr/bin/env bash
# merge.sh: several runs of bench in one: each figure's median over the
# files that have it (the lower middle for an even count), in the first
# file's order, after the first file's "bench: pages=" line.
#
#   bench/merge.sh RUN1 [RUN2 ...]
#
# Figure lines are "name value unit" (cycles or cycles/page), as compare.sh
# reads them; every other line is dropped.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: merge.sh RUN1 [RUN2 ...]" >&2; exit 2; }
awk '
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
            printf "%s %s %s\n", f, v[f, int((k + 1) / 2)], unit[f]
        }
    }
' "$@"

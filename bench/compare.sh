#!/usr/bin/env bash
# compare.sh: puts a Linux and a memguard run of bench side by side.
#
#   bench/compare.sh LINUX_OUTPUT MEMGUARD_OUTPUT
#
# Each file is whatever the run printed: lines other than "name value unit"
# figures (kernel log, the bench: lines, linux-run's verdict) are ignored,
# so a whole serial log will do. Prints a Markdown table, rows in the order
# of the Linux run; a figure only one side has shows "-" on the other.
# Warns when the two runs used different --pages/--reps/--mb, because their
# per-page figures are then not like for like.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: compare.sh LINUX_OUTPUT MEMGUARD_OUTPUT" >&2; exit 2; }
for f in "$1" "$2"; do
    [ -r "$f" ] || { echo "compare: cannot read $f" >&2; exit 2; }
done

awk '
    # A figure line: name, a whole number, a cycles unit. \r from a serial
    # console is dropped first.
    { sub(/\r$/, "") }
    /^bench: pages=/ { params[FILENAME == lin ? "linux" : "memguard"] = substr($0, 8) }
    NF == 3 && $1 ~ /^[a-z0-9_]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^cycles(\/page)?$/ {
        if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
        unit[$1] = $3
        if (FILENAME == lin) L[$1] = $2; else M[$1] = $2
    }
    function pad(s, w, right) {
        while (length(s) < w) s = right ? " " s : s " "
        return s
    }
    function dashes(w,   s) {
        s = ""
        while (length(s) < w) s = s "-"
        return s
    }
    function row(a, b, c, d) {
        print "| " pad(a, w1, 0) " | " pad(b, w2, 1) " | " pad(c, w3, 1) " | " pad(d, w4, 1) " |"
    }
    END {
        if (n == 0) { print "compare: no figures found" > "/dev/stderr"; exit 1 }
        h1 = "figure"; h2 = "memguard"; h3 = "linux"; h4 = "ratio (memguard/linux)"
        w1 = length(h1); w2 = length(h2); w3 = length(h3); w4 = length(h4)
        for (i = 1; i <= n; i++) {
            f = order[i]
            m[i] = (f in M) ? M[f] : "-"
            l[i] = (f in L) ? L[f] : "-"
            r[i] = (f in M && f in L && L[f] > 0) ? sprintf("%.2f", M[f] / L[f]) : "-"
            if (length(f) > w1) w1 = length(f)
            if (length(m[i]) > w2) w2 = length(m[i])
            if (length(l[i]) > w3) w3 = length(l[i])
        }
        if (params["linux"] != params["memguard"])
            printf "warning: different sizes: linux %s, memguard %s\n\n",
                params["linux"], params["memguard"] > "/dev/stderr"
        row(h1, h2, h3, h4)
        # Numbers are right-aligned, in the text and in rendered Markdown.
        print "|" dashes(w1 + 2) "|" dashes(w2 + 1) ":|" dashes(w3 + 1) ":|" dashes(w4 + 1) ":|"
        for (i = 1; i <= n; i++) row(order[i], m[i], l[i], r[i])
        units = ""
        for (i = 1; i <= n; i++) if (unit[order[i]] == "cycles/page") units = units " " order[i]
        print ""
        print "Cycles (rdtsc); per page for:" units "."
    }
' lin="$1" "$1" "$2"

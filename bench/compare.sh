#!/usr/bin/env bash
# compare.sh: puts a Linux and a memguard run of bench side by side, with
# the limit of each row: what the bare mechanism costs on the same emulator.
#
#   bench/compare.sh [--tsv] LINUX_OUTPUT MEMGUARD_OUTPUT
#
# Each file is whatever the run printed: lines other than "name value unit"
# figures (kernel log, the bench: lines, linux-run's verdict) are ignored,
# so a whole serial log will do. Prints a Markdown table, rows in the order
# of the Linux run; a figure only one side has shows "-" on the other.
# Warns when the two runs used different --pages/--reps/--mb, because their
# per-page figures are then not like for like.
#
# The limit_* figures (memguard booted with `bench`: bench/README.md) are
# not rows: they are the prices of the bare mechanisms, and each row's limit
# is a sum of them (LIMITS below; "-" where no sum means anything). They are
# taken from whichever file has them: Linux has no bench gates, and runs on
# the same emulator, so one limit column serves both kernels.
#
# --tsv prints "figure<TAB>memguard<TAB>linux<TAB>limit<TAB>unit" lines
# instead ("-" for a missing value), the input of bench/chart.py.
set -euo pipefail
tsv=0
[ "${1:-}" = --tsv ] && { tsv=1; shift; }
[ $# -eq 2 ] || { echo "usage: compare.sh [--tsv] LINUX_OUTPUT MEMGUARD_OUTPUT" >&2; exit 2; }
for f in "$1" "$2"; do
    [ -r "$f" ] || { echo "compare: cannot read $f" >&2; exit 2; }
done

# Row = the mechanisms its figure cannot do without, each N times
# (BENCHMARKS.md argues each line).
LIMITS='
getpid                 int_iret
demand_zero_write      pf_set_p + rep_stosd_4k
zero_page_read         pf_set_p
cow_write              pf_set_p + rep_movsd_4k
sched_yield_switch     int_iret + cr3_reload
signal_deliver_return  2*int_iret
segv_mprotect_fix      pf_set_p + 2*int_iret
thread_create_join     3*int_iret
futex_pingpong         4*int_iret
pipe_pingpong          4*int_iret + 2*cr3_reload
tmpfs_write_read_1m    2*int_iret + 512*rep_movsd_4k
open_close             2*int_iret
'

awk -v tsv="$tsv" -v limits="$LIMITS" '
    BEGIN {
        nl = split(limits, lines, "\n")
        for (i = 1; i <= nl; i++) {
            if (split(lines[i], ws, " ") < 2) continue
            f = ws[1]; sub(/^[^ ]+ +/, "", lines[i]); formula[f] = lines[i]
        }
    }
    # A figure line: name, a whole number, a cycles unit. \r from a serial
    # console is dropped first.
    { sub(/\r$/, "") }
    /^bench: pages=/ { params[FILENAME == lin ? "linux" : "memguard"] = substr($0, 8) }
    NF == 3 && $1 ~ /^[a-z0-9_]+$/ && $2 ~ /^[0-9]+$/ && $3 ~ /^cycles(\/page)?$/ {
        if ($1 ~ /^limit_/) { prim[substr($1, 7)] = $2; next }
        if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
        unit[$1] = $3
        if (FILENAME == lin) L[$1] = $2; else M[$1] = $2
    }
    # The limit of figure f, or "-" (no formula, or a price not measured).
    function limit_of(f,   terms, nt, i, k, name, sum) {
        if (!(f in formula)) return "-"
        nt = split(formula[f], terms, / *\+ */)
        sum = 0
        for (i = 1; i <= nt; i++) {
            k = 1; name = terms[i]
            if (name ~ /^[0-9]+\*/) { k = substr(name, 1, index(name, "*") - 1); name = substr(name, index(name, "*") + 1) }
            if (!(name in prim)) return "-"
            sum += k * prim[name]
        }
        return sprintf("%.0f", sum)
    }
    function ratio(a, b) { return (a != "-" && b != "-" && b > 0) ? sprintf("%.2f", a / b) : "-" }
    function pad(s, w, right) {
        while (length(s) < w) s = right ? " " s : s " "
        return s
    }
    function dashes(w,   s) {
        s = ""
        while (length(s) < w) s = s "-"
        return s
    }
    function row(a, b, c, d, e, g) {
        print "| " pad(a, w[1], 0) " | " pad(b, w[2], 1) " | " pad(c, w[3], 1) " | " pad(d, w[4], 1) \
              " | " pad(e, w[5], 1) " | " pad(g, w[6], 1) " |"
    }
    END {
        if (n == 0) { print "compare: no figures found" > "/dev/stderr"; exit 1 }
        for (i = 1; i <= n; i++) {
            f = order[i]
            m[i] = (f in M) ? M[f] : "-"
            l[i] = (f in L) ? L[f] : "-"
            lim[i] = limit_of(f)
        }
        if (tsv) {
            for (i = 1; i <= n; i++) printf "%s\t%s\t%s\t%s\t%s\n", order[i], m[i], l[i], lim[i], unit[order[i]]
            exit 0
        }
        split("figure|memguard|linux|limit|memguard/linux|memguard/limit", h, "|")
        for (j = 1; j <= 6; j++) w[j] = length(h[j])
        for (i = 1; i <= n; i++) {
            c[1] = order[i]; c[2] = m[i]; c[3] = l[i]; c[4] = lim[i]
            r1[i] = ratio(m[i], l[i]); r2[i] = ratio(m[i], lim[i])
            for (j = 1; j <= 4; j++) if (length(c[j]) > w[j]) w[j] = length(c[j])
        }
        if (params["linux"] != params["memguard"])
            printf "warning: different sizes: linux %s, memguard %s\n\n",
                params["linux"], params["memguard"] > "/dev/stderr"
        row(h[1], h[2], h[3], h[4], h[5], h[6])
        # Numbers are right-aligned, in the text and in rendered Markdown.
        line = "|" dashes(w[1] + 2)
        for (j = 2; j <= 6; j++) line = line "|" dashes(w[j] + 1) ":"
        print line "|"
        for (i = 1; i <= n; i++) row(order[i], m[i], l[i], lim[i], r1[i], r2[i])
        units = ""
        for (i = 1; i <= n; i++) if (unit[order[i]] == "cycles/page") units = units " " order[i]
        print ""
        print "Cycles (rdtsc); per page for:" units "."
        p = ""
        split("int_iret pf_set_p rep_stosd_4k rep_movsd_4k cr3_reload", pn, " ")
        for (j = 1; j <= 5; j++) if (pn[j] in prim) p = p " " pn[j] "=" prim[pn[j]]
        if (p != "") print "Limits (memguard with `bench`, the same emulator):" p "."
    }
' lin="$1" "$1" "$2"

#!/usr/bin/env python3
"""chart.py: make bench's bar chart, a hand-written SVG (python3 stdlib only).

    bench/compare.sh --tsv LINUX MEMGUARD | bench/chart.py [--title TEXT] > bench.svg

Reads "figure memguard linux limit unit" lines (tab-separated, "-" for a
missing value) and draws one group of three horizontal bars per figure
(memguard, linux, limit) on a shared logarithmic axis of cycles, each bar
labelled with its value. The output depends on the input alone, so a fixed
input gives a fixed file (bench/selftest.sh compares one).
"""
import math
import sys
from xml.sax.saxutils import escape

SERIES = (("memguard", "#2b6cb0"), ("linux", "#dd6b20"), ("limit", "#38a169"))
LABEL_W, PLOT_W, RIGHT_W = 230, 560, 70
BAR_H, BAR_GAP, GROUP_GAP = 9, 1, 10
TOP, BOTTOM = 56, 34


def parse(lines):
    """[(figure, unit, [memguard, linux, limit])], values int or None."""
    rows = []
    for line in lines:
        f = line.rstrip("\n").split("\t")
        if len(f) != 5:
            continue
        vals = [int(v) if v.isdigit() else None for v in f[1:4]]
        rows.append((f[0], f[4], vals))
    return rows


def short(v):
    """1234 -> 1.2k, 5400000 -> 5.4M: the label at a bar's end."""
    for div, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if v >= div:
            x = v / div
            return ("%.0f" if x >= 100 else "%.1f") % x + suffix
    return str(v)


def chart(rows, title):
    present = [v for _, _, vals in rows for v in vals if v]
    if not present:
        raise SystemExit("chart: no values")
    lo = 10 ** math.floor(math.log10(min(present)))
    hi = 10 ** math.ceil(math.log10(max(present)))
    if hi <= lo:
        hi = lo * 10
    span = math.log10(hi) - math.log10(lo)

    def x(v):
        return LABEL_W + PLOT_W * (math.log10(v) - math.log10(lo)) / span

    group_h = 3 * BAR_H + 2 * BAR_GAP
    height = TOP + len(rows) * (group_h + GROUP_GAP) + BOTTOM
    width = LABEL_W + PLOT_W + RIGHT_W
    out = [
        '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" '
        'font-family="sans-serif" font-size="11">' % (width, height, width, height),
        '<rect width="100%" height="100%" fill="white"/>',
        '<text x="%d" y="18" font-size="14" font-weight="bold">%s</text>' % (LABEL_W, escape(title)),
    ]
    for i, (name, color) in enumerate(SERIES):
        lx = LABEL_W + i * 110
        out.append('<rect x="%d" y="28" width="12" height="10" fill="%s"/>' % (lx, color))
        out.append('<text x="%d" y="37">%s</text>' % (lx + 16, name))
    plot_bottom = height - BOTTOM
    decade = lo
    while decade <= hi:
        gx = x(decade)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ccc"/>' % (gx, TOP - 4, gx, plot_bottom))
        out.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>'
                   % (gx, plot_bottom + 14, short(decade)))
        decade *= 10
    out.append('<text x="%d" y="%d" text-anchor="middle" fill="#555">cycles (rdtsc), log scale</text>'
               % (LABEL_W + PLOT_W // 2, plot_bottom + 28))
    y = TOP
    for figure, unit, vals in rows:
        label = figure + (" (per page)" if unit == "cycles/page" else "")
        out.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>'
                   % (LABEL_W - 6, y + group_h / 2 + 4, escape(label)))
        for i, ((_, color), v) in enumerate(zip(SERIES, vals)):
            by = y + i * (BAR_H + BAR_GAP)
            if v:
                bw = max(x(v) - LABEL_W, 1)
                out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (LABEL_W, by, bw, BAR_H, color))
                out.append('<text x="%.1f" y="%d" font-size="9">%s</text>' % (LABEL_W + bw + 3, by + BAR_H - 1, short(v)))
            else:
                out.append('<text x="%d" y="%d" font-size="9" fill="#999">-</text>' % (LABEL_W + 3, by + BAR_H - 1))
        y += group_h + GROUP_GAP
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    title = "make bench: memguard, Linux i386 and the bare-mechanism limit"
    if len(argv) >= 2 and argv[0] == "--title":
        title, argv = argv[1], argv[2:]
    if argv:
        raise SystemExit("usage: chart.py [--title TEXT] < TSV > SVG")
    sys.stdout.write(chart(parse(sys.stdin), title))


if __name__ == "__main__":
    main(sys.argv[1:])

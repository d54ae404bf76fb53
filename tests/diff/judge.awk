# judge.awk: decides whether memguard's normalised output differs from
# Linux's only as tests/diff/allowed.txt allows (its format is described at
# the top of that file). POSIX awk (Debian's mawk runs it).
#
#   awk -f judge.awk -v prog=NAME -v mode=init|wrapped allowed.txt LINUX MEMGUARD
#       prints "NAME [MODE]: matched", "... matched with N allowed
#       differences" or "... FAILED", the disallowed lines (- Linux,
#       + memguard), then "stale allow-list entry: ..." lines; exits 0 if
#       every difference is allowed, 1 if not.
#   awk -f judge.awk -v check=1 allowed.txt     only checks the list's syntax
#   awk -f judge.awk -v table=1 allowed.txt     prints the list as a table
# Exit 2 (with "allowed.txt:LINE: ...") if the list is malformed.
#
# Lines are compared by key, not as text: a line's key is its check name
# plus which occurrence of that name it is, and a ".. " line's key includes
# the check line above it. A key present on one side only, or with a
# different line, is a difference; each is allowed or not on its own, and
# keys in a different order fail.

BEGIN { shown_max = 40 }

# The check name of an output or allow-list line (see allowed.txt).
function name_of(s,    i) {
    if (substr(s, 1, 3) == "== ") return "=="
    i = index(s, ": ")
    return i ? substr(s, 1, i - 1) : s
}
# The value after the name; "" when the line is all name.
function value_of(s,    i) {
    if (substr(s, 1, 3) == "== ") return substr(s, 4)
    i = index(s, ": ")
    return i ? substr(s, i + 2) : ""
}
function pinned(s) { return substr(s, 1, 3) == "== " || index(s, ": ") > 0 }
# s matches p, where "*" in p stands for any text.
function glob(s, p,    part, n, i, pos, j, last) {
    n = split(p, part, "[*]")
    if (n <= 1) return s == p
    if (substr(s, 1, length(part[1])) != part[1]) return 0
    pos = length(part[1]) + 1
    for (i = 2; i < n; i++) {
        j = index(substr(s, pos), part[i])
        if (!j) return 0
        pos += j - 1 + length(part[i])
    }
    last = part[n]
    return length(s) - pos + 1 >= length(last) && substr(s, length(s) - length(last) + 1) == last
}
function bad(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; malformed = 1; exit 2 }

# ---- the allow-list (first file) ----
FILENAME == ARGV[1] {
    if ($0 ~ /^[ \t]*(#|$)/) next
    if ($0 !~ /^[ \t]/) {
        if (!match($0, /^[a-z0-9_]+ (init|wrapped|both): ./))
            bad("want \"PROGRAM init|wrapped|both: REASON\"")
        g_prog = $1; g_modes = $2; sub(/:$/, "", g_modes)
        ngroups++
        G_PROG[ngroups] = g_prog; G_MODES[ngroups] = g_modes
        G_WHY[ngroups] = substr($0, index($0, ": ") + 2); G_N[ngroups] = 0
        g_last = ""
        next
    }
    if (!ngroups) bad("a check before any \"PROGRAM MODES: REASON\" line")
    txt = $0; sub(/^[ \t]+/, "", txt); sub(/[ \t]+$/, "", txt)
    # A ".. " entry is a line of the check named on the entry above it.
    if (substr(txt, 1, 3) == ".. ") {
        if (g_last == "") bad("a \".. \" line must follow the entry of its check")
        key = g_last SUBSEP name_of(txt)
    } else {
        key = g_last = name_of(txt)
        G_N[ngroups]++
    }
    nentries++
    E_TEXT[nentries] = txt; E_LINE[nentries] = FNR; E_GROUP[nentries] = ngroups
    for (m = 1; m <= 2; m++) {
        md = m == 1 ? "init" : "wrapped"
        if (g_modes != "both" && g_modes != md) continue
        k = g_prog SUBSEP md SUBSEP key
        if (k in ENTRY) bad("\"" txt "\" is already allowed for " g_prog " [" md "] at line " E_LINE[ENTRY[k]])
        ENTRY[k] = nentries
    }
    next
}

# ---- the two normalised outputs ----
FNR == 1 { side = FILENAME == ARGV[2] ? "L" : "M"; root = "" }
{
    nm = name_of($0)
    if (substr($0, 1, 3) == ".. " && root != "") {
        id = root SUBSEP nm; key = rootname SUBSEP nm
    } else {
        id = key = rootname = nm
    }
    id = id SUBSEP (++occ[side, id])
    if (key == rootname) root = id
    n = ++N[side]
    ID[side, n] = id; LINE[side, id] = $0
    ROOT[id] = root; KEY[id] = key
}

# Whether the difference at line id is allowed; sets why_not when an entry
# exists but memguard's line is not the one it allows.
function allowed(id,    k, e) {
    why_not = ""
    k = prog SUBSEP mode SUBSEP KEY[id]
    if (!(k in ENTRY)) return 0
    e = ENTRY[k]; USED[e] = 1
    if (!pinned(E_TEXT[e])) return 1
    if (("M", id) in LINE && glob(value_of(LINE["M", id]), value_of(E_TEXT[e]))) return 1
    why_not = "allowed.txt:" E_LINE[e] " allows only \"" E_TEXT[e] "\""
    return 0
}
function show(s) { if (++shown <= shown_max) out[shown] = s }

END {
    if (malformed) exit 2
    if (table) {
        print "| program | modes | checks | why |"
        print "|---|---|---|---|"
        for (g = 1; g <= ngroups; g++)
            printf "| %s | %s | %d | %s |\n", G_PROG[g], G_MODES[g], G_N[g], G_WHY[g]
        exit 0
    }
    if (check) exit 0
    # Differences, Linux's order first, then what only memguard printed.
    for (i = 1; i <= N["L"]; i++) {
        id = ID["L", i]
        if (!(("M", id) in LINE) || LINE["M", id] != LINE["L", id]) { ndiff++; DIFF[ndiff] = id }
    }
    for (i = 1; i <= N["M"]; i++) {
        id = ID["M", i]
        if (!(("L", id) in LINE)) { ndiff++; DIFF[ndiff] = id }
    }
    for (d = 1; d <= ndiff; d++) {
        id = DIFF[d]
        CHANGED[ROOT[id]] = 1
        if (allowed(id)) { ALLOWED_ROOT[ROOT[id]] = 1; continue }
        r = ROOT[id]
        if (r != id && !(r in SHOWN)) {   # a ".. " line: show its check's line too
            side = ("L", r) in LINE ? "L" : "M"
            if ((side, r) in LINE) show("      " LINE[side, r])
        }
        BAD_ROOT[r] = SHOWN[id] = 1
        if (("L", id) in LINE) show("    - " LINE["L", id])
        if (("M", id) in LINE) show("    + " LINE["M", id])
        if (why_not != "") show("      (" why_not ")")
    }
    for (r in ALLOWED_ROOT) if (!(r in BAD_ROOT)) nallowed++
    for (r in BAD_ROOT) nbad++
    # Checks both sides printed must come in the same order.
    j = 0
    for (i = 1; i <= N["L"]; i++) if (("M", ID["L", i]) in LINE) COMMON[++j] = ID["L", i]
    j = 0
    for (i = 1; i <= N["M"]; i++) {
        id = ID["M", i]
        if (!(("L", id) in LINE)) continue
        if (COMMON[++j] != id) { order = LINE["M", id]; break }
    }

    head = prog " [" mode "]: "
    if (nbad || order != "") {
        msg = nbad ? nbad " check" (nbad == 1 ? "" : "s") " differ" (nbad == 1 ? "s" : "") " beyond the allow-list" : ""
        if (order != "") msg = msg (msg != "" ? "; " : "") "lines in a different order from \"" order "\""
        print head "FAILED (" msg ")"
        for (i = 1; i <= shown && i <= shown_max; i++) print out[i]
        if (shown > shown_max) print "    ... and " shown - shown_max " more lines"
    } else if (nallowed) {
        print head "matched with " nallowed " allowed difference" (nallowed == 1 ? "" : "s")
    } else {
        print head "matched"
    }
    # Entries for this program and mode that allowed nothing.
    for (e = 1; e <= nentries; e++) {
        g = E_GROUP[e]
        if (G_PROG[g] != prog || (G_MODES[g] != "both" && G_MODES[g] != mode)) continue
        if (e in USED) continue
        printf "stale allow-list entry: allowed.txt:%d: %s [%s]: %s (no difference)\n", E_LINE[e], prog, mode, E_TEXT[e]
    }
    exit (nbad || order != "") ? 1 : 0
}

#!/usr/bin/env bash
# The kernel's layers point one way (STYLE.md rule 10):
#
#   arch ← bootinfo ← mm ← console, symbols, time, dev ← fs ← task ← syscall ← trap ← init, panic, testing ← main, lib
#
# This reads every `crate::…` path in src/ (use lines, use groups, paths in
# code, and the exported macros kprint!/kprintln!/symbol_addr! by the module
# that defines them) and fails on an edge from a module to a higher layer,
# or a cycle between top-level modules. It also fails on a cycle between the
# files of one subsystem (mm::user ↔ mm::fault, say), which the one-way rule
# forbids inside a layer too.
#
#   tools/layers.sh            check; prints the edges that break the rule
#   tools/layers.sh --graph    also print every top-level edge with its count
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "$@" <<'PY'
import os, re, sys
from collections import defaultdict

RANK = {
    "arch": 0,
    "bootinfo": 1,
    "mm": 2,
    "console": 3, "symbols": 3, "time": 3, "dev": 3,
    "fs": 4,
    "task": 5,
    "syscall": 6,
    "trap": 7,
    "init": 8, "panic": 8, "testing": 8,
    "main": 9, "lib": 9,
}

def rust_files(root):
    for d, _, fs in os.walk(root):
        for f in sorted(fs):
            if f.endswith(".rs"):
                yield os.path.join(d, f)

def module_path(path):
    """src/mm/fault/apply.rs -> ["mm", "fault", "apply"]; mod.rs names its folder."""
    parts = os.path.relpath(path, "src")[:-3].split(os.sep)
    if parts[-1] == "mod":
        parts.pop()
    return parts

def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"//.*", "", line) for line in text.splitlines())

def expand_group(prefix, body):
    """`a::{b, c::{d, e}}` -> [a::b, a::c::d, a::c::e] (enough for our use lines)."""
    out, depth, cur = [], 0, ""
    for ch in body + ",":
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "," and depth == 0:
            item = cur.strip()
            cur = ""
            if not item:
                continue
            m = re.match(r"^([\w:]*?)::\{(.*)\}$", item, re.S)
            if m:
                out += expand_group(prefix + m.group(1) + "::", m.group(2))
            else:
                out.append(prefix + item)
        else:
            cur += ch
    return out

files = list(rust_files("src"))
texts = {f: strip_comments(open(f, encoding="utf-8").read()) for f in files}

# Exported macros live at the crate root; charge them to their module.
macro_home = {}
for f, t in texts.items():
    for m in re.finditer(r"#\[macro_export\]\s*macro_rules!\s*(\w+)", t):
        macro_home[m.group(1)] = module_path(f)

def targets(text, here):
    """Module paths `text` names: `crate::` ones as they are, `super::` ones
    made absolute from `here` (its own module path)."""
    paths = []
    for m in re.finditer(r"\buse\s+((?:super::)+)\{(.*?)\};", text, re.S):
        base = here[: len(here) - m.group(1).count("super::")]
        paths += ["::".join(base + [p]) for p in expand_group("", m.group(2))]
    for m in re.finditer(r"(?<![\w$:])((?:super::)+)([\w:]+)", text):
        base = here[: len(here) - m.group(1).count("super::")]
        if base:
            paths.append("::".join(base) + "::" + m.group(2))
    for m in re.finditer(r"\buse\s+crate::\{(.*?)\};", text, re.S):
        paths += expand_group("", m.group(1))
    for m in re.finditer(r"(?<![\w$])crate::([\w:]+)", text):
        paths.append(m.group(1))
    for m in re.finditer(r"(?<![\w$:])(\w+)!", text):
        if m.group(1) in macro_home:
            paths.append("::".join(macro_home[m.group(1)]) + "::" + m.group(1))
    return [p.split("::") for p in paths if p]

top_edges = defaultdict(int)
sub_edges = defaultdict(set)
for f, t in texts.items():
    src = module_path(f)
    for tgt in targets(t, src):
        tgt = [x for x in tgt if x and x != "self"]
        if not tgt:
            continue
        if tgt[0] in macro_home:  # a root-level macro path, `crate::kprintln`
            tgt = macro_home[tgt[0]] + [tgt[0]]
        if tgt[0] not in RANK:
            continue
        if tgt[0] != src[0]:
            top_edges[(src[0], tgt[0])] += 1
        elif len(src) > 1 and len(tgt) > 1 and src[1] != tgt[1] and os.path.exists(os.path.join("src", src[0])):
            sub_edges[src[0]].add((src[1], tgt[1]))

problems = []
for (a, b), n in sorted(top_edges.items()):
    if a not in RANK:
        problems.append(f"module {a} has no layer: add it to tools/layers.sh")
    elif RANK[b] > RANK[a]:
        problems.append(f"upward edge: {a} (layer {RANK[a]}) uses {b} (layer {RANK[b]}), {n} time(s)")

def cycles(edges):
    graph = defaultdict(set)
    for a, b in edges:
        graph[a].add(b)
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    def visit(v):
        index[v] = low[v] = counter[0]; counter[0] += 1
        stack.append(v); on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in list(graph):
        if v not in index:
            visit(v)
    return out

for comp in cycles(top_edges):
    problems.append("cycle between top-level modules: " + " ↔ ".join(comp))
for top, edges in sorted(sub_edges.items()):
    for comp in cycles(edges):
        problems.append(f"cycle inside {top}: " + " ↔ ".join(f"{top}::{c}" for c in comp))

if "--graph" in sys.argv:
    for (a, b), n in sorted(top_edges.items(), key=lambda e: (RANK.get(e[0][0], 99), e[0])):
        print(f"  {a} -> {b} ({n})")
for p in problems:
    print("layers: " + p)
print(f"layers: {len(files)} files, {len(top_edges)} edges between top-level modules, {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
PY

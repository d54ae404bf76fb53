# gdb command `cost ADDR [MAX]`: what a path costs, in instructions.
# Single-steps the machine from where it stopped until the PC reaches ADDR
# (at most MAX steps, 100000 by default) and prints how many instructions
# ran, how many of them were indirect jumps (every `ret`, `jmp *` and
# `call *`: under QEMU's TCG each is a lookup of the next translated
# block), the functions they ran in, most first, and the path through them.
# Stop on a user instruction just before a fault or `int $0x80` and give
# the address just after it: the count is the kernel's whole handling.
# QEMU's gdb stub keeps interrupts and timers off while stepping, so a run
# counts the same path every time. (BENCHMARKS.md's instruction counts
# were taken this way.)
import collections
import re

import gdb


def _function(pc):
    s = gdb.execute("info symbol 0x%x" % pc, to_string=True)
    if s.startswith("No symbol"):
        return "0x%08x" % pc
    name = s.split(" in section")[0].rsplit(" + ", 1)[0].strip()
    return re.sub(r"\[[0-9a-f]+\]", "", name)


class Cost(gdb.Command):
    """Count the instructions from here to ADDR: cost ADDR [MAX]"""

    def __init__(self):
        super().__init__("cost", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        args = gdb.string_to_argv(arg)
        if not args:
            raise gdb.GdbError("usage: cost ADDR [MAX]")
        end = int(gdb.parse_and_eval(args[0])) & 0xFFFFFFFF
        limit = int(args[1]) if len(args) > 1 else 100000
        start = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFF
        # Each step's stop line goes to /dev/null, not the terminal.
        gdb.execute("set logging file /dev/null", to_string=True)
        gdb.execute("set logging redirect on", to_string=True)
        gdb.execute("set logging enabled on", to_string=True)
        try:
            steps, indirect, pc, per_function, path = _walk(start, end, limit)
        finally:
            gdb.execute("set logging enabled off", to_string=True)
        if pc != end:
            print("cost: 0x%08x not reached in %d instructions" % (end, limit))
        print("cost: %d instructions from 0x%08x to 0x%08x, %d indirect jumps" % (steps, start, end, indirect))
        for name, n in per_function.most_common():
            print("%7d  %s" % (n, name))
        print("path: " + " > ".join("%s %d" % (n, c) for n, c in path))


def _walk(pc, end, limit):
    """Steps from `pc` to `end`: (steps, indirect jumps, last pc,
    instructions per function, runs of one function in order)."""
    names, texts = {}, {}
    per_function = collections.Counter()
    path = []
    steps = indirect = 0
    while pc != end and steps < limit:
        if pc not in names:
            names[pc] = _function(pc)
            texts[pc] = gdb.execute("x/i 0x%x" % pc, to_string=True).split(":", 1)[-1]
        name = names[pc]
        per_function[name] += 1
        if path and path[-1][0] == name:
            path[-1][1] += 1
        else:
            path.append([name, 1])
        if re.search(r"\bret\b|\b(jmp|call)\s+\*", texts[pc]):
            indirect += 1
        steps += 1
        gdb.execute("stepi", to_string=True)
        pc = int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFF
    return steps, indirect, pc, per_function, path


Cost()

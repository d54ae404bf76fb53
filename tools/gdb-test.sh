#!/usr/bin/env bash
# The debugging path, as `make debug` + `make gdb` use it: QEMU waits on a free
# port, gdb (batch mode) attaches with the kernel's symbols and a user
# program's, stops at kmain with a hardware breakpoint, shows the source
# line, reads a variable and walks a kernel address (`pte`). Then it lets
# process 1, tests/progs/pftouch.c, take a demand-zero page fault at a known
# address, stops on the user instruction right after the faulting store, and
# checks that `pf` reports that fault: CR2, EIP and the decoded error code.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kernel=target/i686-kernel/release/kernel
out=build/test/gdb
prog=$out/pftouch
# What pftouch does: a 4-byte store to PF_ADDR (its #define), a page never
# touched before, so the fault is not-present, a write, from ring 3.
want_addr=0x5a5a5abc
want_err='error 0x6 = NP (not present) W U (ring 3)'
mkdir -p "$out"
cargo +nightly build -q --target i686-kernel.json -Z build-std=core,compiler_builtins,alloc \
    -Z build-std-features=compiler-builtins-mem --release --bin kernel || exit 1
gcc -m32 -static -nostdlib -fno-pie -no-pie -ffreestanding -fno-stack-protector -O2 \
    -o "$prog" tests/progs/pftouch.c || exit 1
# The faulting store's address (the EIP the kernel must have recorded) and
# the next instruction's, where gdb stops. (nm, not gdb: the kernel's frames
# are Rust, whose expressions do not see a C program's bare labels.)
sym() { nm "$prog" | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
want_eip=$(sym pf_touch) stop_at=$(sym pf_recorded) read_at=$(sym pf_read) read_done=$(sym pf_read_done)
[ -n "$want_eip" ] && [ -n "$stop_at" ] && [ -n "$read_at" ] && [ -n "$read_done" ] ||
    { echo "gdb-test: no pf_touch/pf_recorded/pf_read/pf_read_done in $prog"; exit 1; }
tools/mkiso.sh "$out/gdb.iso" "$kernel" "init=/bin/pftouch" "$prog=/bin/pftouch" || exit 1
for attempt in 1 2 3; do
    port=$(tools/free-port.sh) || exit 1
    MEMGUARD_HEADLESS=1 tools/qemu-run.sh --timeout 60 --log "$out/serial.log" --quiet --gdb "$port" "$out/gdb.iso" > "$out/qemu.verdict" &
    qemu=$!
    # Wait until QEMU listens (or died because the port was taken after all).
    for _ in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
        kill -0 $qemu 2>/dev/null || break
        sleep 0.1
    done
    kill -0 $qemu 2>/dev/null && break
done
tools/gdbinit.sh "$port" "$kernel" "$prog" > "$out/gdbinit"
# pf_recorded is a user address: a hardware breakpoint is a PC comparison,
# so it needs no page there yet and never writes into the program's text.
cat >> "$out/gdbinit" <<GDB
info symbol \$pc
info line *\$pc
print kernel::init::BANNER
pte 0xC0100000
delete
hbreak *$stop_at
continue
echo == pf after the fault\n
pf
pte $want_addr
delete
hbreak *$read_at
continue
echo == cost of a zero-page read fault\n
cost $read_done
kill
quit
GDB
timeout 60 gdb -q -batch -x "$out/gdbinit" > "$out/gdb.out" 2>&1
pkill -P $qemu 2>/dev/null; kill $qemu 2>/dev/null; wait $qemu 2>/dev/null
cat "$out/gdb.out"
ok=1
grep -q 'kmain' "$out/gdb.out" || { echo "gdb-test: did not stop in kmain"; ok=0; }
grep -q 'Line [0-9]* of "src/main.rs"' "$out/gdb.out" || { echo "gdb-test: no source line for kmain"; ok=0; }
grep -q '"memguard' "$out/gdb.out" || { echo "gdb-test: could not read kernel::init::BANNER"; ok=0; }
grep -q 'PDE\[ 768\]' "$out/gdb.out" || { echo "gdb-test: the pte command did not walk"; ok=0; }
grep -q "^Breakpoint 2, $stop_at in" "$out/gdb.out" || { echo "gdb-test: did not stop after pftouch's store"; ok=0; }
# Only what pf prints after that stop counts.
after=$(sed -n '/^== pf after the fault$/,$p' "$out/gdb.out")
want="last page fault: address $want_addr  eip $want_eip  $want_err"
grep -qxF -- "$want" <<< "$after" || { echo "gdb-test: pf did not print: $want"; ok=0; }
grep -qxF -- "CR2 now: $want_addr" <<< "$after" || { echo "gdb-test: pf did not print: CR2 now: $want_addr"; ok=0; }
# The fault was resolved: the page is now present, writable, user.
grep -qE '^PTE\[ *[0-9]+\] = 0x[0-9a-f]{8}  +P RW U' <<< "$after" || { echo "gdb-test: $want_addr is not mapped after the fault"; ok=0; }
# cost stepped through the kernel's handling of the read fault and back.
cost=$(sed -n '/^== cost of a zero-page read fault$/,$p' "$out/gdb.out")
line=$(grep -E "^cost: [0-9]+ instructions from $read_at to $read_done, [0-9]+ indirect jumps\$" <<< "$cost")
n=$(sed -E 's/^cost: ([0-9]+) .*/\1/' <<< "$line")
[ -n "$n" ] && [ "$n" -ge 50 ] && [ "$n" -le 20000 ] ||
    { echo "gdb-test: cost did not count the read fault's path (got: ${line:-nothing})"; ok=0; }
# The fault's own stub saves the frame; its handling is inlined into
# page_fault_entry (see BENCHMARKS.md).
grep -qE '^ +[0-9]+  trap_stub_page_fault$' <<< "$cost" || { echo "gdb-test: cost did not list trap_stub_page_fault"; ok=0; }
grep -qE '^ +[0-9]+  page_fault_entry$' <<< "$cost" || { echo "gdb-test: cost did not list page_fault_entry"; ok=0; }
[ $ok = 1 ] && echo "gdb-test: ok"
[ $ok = 1 ]

#!/usr/bin/env bash
# The debugging path, as `make debug` + `make gdb` use it: QEMU waits on a free
# port, gdb (batch mode) attaches with the kernel's symbols, stops at kmain
# with a hardware breakpoint, shows the source line and reads a variable.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
kernel=target/i686-kernel/release/kernel
out=build/test/gdb
mkdir -p "$out"
cargo +nightly build -q --target i686-kernel.json -Z build-std=core,compiler_builtins,alloc \
    -Z build-std-features=compiler-builtins-mem --release --bin kernel || exit 1
tools/mkiso.sh "$out/gdb.iso" "$kernel" "" || exit 1
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
tools/gdbinit.sh "$port" "$kernel" > "$out/gdbinit"
cat >> "$out/gdbinit" <<'GDB'
info symbol $pc
info line *$pc
print kernel::init::BANNER
pte 0xC0100000
pf
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
grep -q 'last page fault: address' "$out/gdb.out" || { echo "gdb-test: the pf command failed"; ok=0; }
[ $ok = 1 ] && echo "gdb-test: ok"
[ $ok = 1 ]

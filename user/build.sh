#!/usr/bin/env bash
# Builds every user program (Rust and C) and installs it as build/bin/NAME.
# Release profile with debug info, so gdb can load a program's symbols.
# Prints nothing on success, the compiler's output on failure. Files whose
# contents did not change keep their timestamps (incremental, idempotent).
set -euo pipefail
cd "$(dirname "$0")"

out=build/bin
mkdir -p "$out" build/c
log=$(mktemp "${TMPDIR:-/tmp}/memguard-user.XXXXXX")
trap 'rm -f "$log"' EXIT

# install SRC NAME: copy SRC to build/bin/NAME unless identical.
install_bin() {
    cmp -s "$1" "$out/$2" 2>/dev/null || cp "$1" "$out/$2"
}

# Rust: build-std is passed here, not in .cargo/config.toml (as the kernel's
# Makefile does), so host tools are not forced through it.
if ! cargo +nightly build --release --quiet \
        -Z build-std=core,alloc,compiler_builtins \
        -Z build-std-features=compiler-builtins-mem >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
fi
for src in progs/src/bin/*.rs progs/src/bin/*/main.rs; do
    [ -e "$src" ] || continue
    name=$(basename "${src%/main.rs}" .rs)
    install_bin "target/i686-user/release/$name" "$name"
done

# C: freestanding, linked with the same layout script as the Rust programs;
# c/crt.h includes ../abi/c/memguard.h (Linux's numbers, the int 0x80 calls).
cflags=(-m32 -static -nostdlib -fno-pie -no-pie -ffreestanding -O2 -g
        -Wall -Wextra -Werror -fno-stack-protector -fno-asynchronous-unwind-tables
        -Wl,--build-id=none -Wl,-T,user.ld)
for src in c/*.c; do
    name=$(basename "$src" .c)
    obj=build/c/$name
    if [ ! -e "$obj" ] || [ "$src" -nt "$obj" ] || [ c/crt.h -nt "$obj" ] ||
       [ ../abi/c/memguard.h -nt "$obj" ] || [ user.ld -nt "$obj" ]; then
        if ! gcc "${cflags[@]}" -o "$obj" "$src" >"$log" 2>&1; then
            cat "$log" >&2
            exit 1
        fi
    fi
    install_bin "$obj" "$name"
done

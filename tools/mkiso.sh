#!/usr/bin/env bash
# Builds a GRUB rescue ISO that boots KERNEL with a command line and modules.
#   tools/mkiso.sh OUT.iso KERNEL.elf "CMDLINE" [FILE=NAME ...]
# Each FILE=NAME pair becomes a multiboot2 module whose command line is NAME
# (e.g. user/target/.../sh=/bin/sh). ELF files lose their debug sections on
# the way (gdb reads the originals); raw:FILE=NAME copies the file unchanged
# (the hostile ELF files of the tests must stay exactly as broken as they are). The kernel's own symbols are always
# added as /boot/kernel.sym so panics can name functions. A cpio archive for
# the kernel to unpack goes in raw, named `initramfs` (the Makefile's
# build/initramfs.cpio) or `initrd` (make run INITRD=my.cpio).
set -euo pipefail
out=$1 kernel=$2 cmdline=$3
shift 3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memguard-iso.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
stage=$tmp/root
mkdir -p "$stage/boot/grub" "$stage/boot/mod"
# GRUB reads the whole ELF file into memory: without debug sections the
# kernel boots in 16 MiB. gdb reads the unstripped original.
objcopy --strip-debug "$kernel" "$stage/boot/kernel.elf"
cp "$stage/boot/kernel.elf" "$stage/boot/kernel.sym"
modules="    module2 /boot/kernel.sym /boot/kernel.sym"
i=0
for pair in "$@"; do
    raw=0
    case $pair in raw:*) raw=1 pair=${pair#raw:} ;; esac
    file=${pair%%=*} name=${pair#*=}
    [ -f "$file" ] || { echo "mkiso: no such file: $file" >&2; exit 1; }
    if [ $raw = 1 ] || ! objcopy --strip-debug "$file" "$stage/boot/mod/$i" 2>/dev/null; then
        cp "$file" "$stage/boot/mod/$i"
    fi
    modules+=$'\n'"    module2 /boot/mod/$i $name"
    i=$((i + 1))
done
top=$(cd "$(dirname "$0")/.." && pwd)
awk -v cmdline="$cmdline" -v modules="$modules" \
    '{ gsub(/@CMDLINE@/, cmdline); if ($0 == "@MODULES@") print modules; else print }' \
    "$top/boot/grub.cfg.in" > "$stage/boot/grub/grub.cfg"
grub-mkrescue -o "$out" "$stage" >"$tmp/mkrescue.log" 2>&1 || { cat "$tmp/mkrescue.log" >&2; exit 1; }

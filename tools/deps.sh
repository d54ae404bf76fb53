#!/usr/bin/env bash
# Makes sure the host tools the build and tests need are here, installing
# what is missing when we are root (Debian/Ubuntu), or saying exactly what to
# run when we are not. Usage: tools/deps.sh [run|test]
set -euo pipefail
need_pkgs=()
have() { command -v "$1" >/dev/null 2>&1; }
have qemu-system-i386 || need_pkgs+=(qemu-system-x86)
have grub-mkrescue || need_pkgs+=(grub-common)
[ -d /usr/lib/grub/i386-pc ] || need_pkgs+=(grub-pc-bin)
have xorriso || need_pkgs+=(xorriso)
have mformat || need_pkgs+=(mtools)
have objcopy || need_pkgs+=(binutils)
# `make run SWAP=256M` and the disk scenarios make swap images with mkswap.
have mkswap || [ -x /sbin/mkswap ] || need_pkgs+=(util-linux)
# The C programs (user/c, bench, tests/diff) are built with gcc -m32
# -static -nostdlib, and the host unit tests are linked as i386 Linux
# programs: gcc-multilib brings gcc's 32-bit support and the 32-bit libc.
# <errno.h> needs its /usr/include/asm link (gcc-12-multilib alone lacks it;
# tests/libc's programs include it).
if ! printf '#include <errno.h>\nint main(void){return errno;}\n' |
        gcc -m32 -static -x c -o /dev/null - >/dev/null 2>&1; then
    need_pkgs+=(gcc-multilib)
fi
if [ "${1:-run}" = test ]; then
    have gdb || need_pkgs+=(gdb)
fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && have apt-get; then
        echo "[deps] installing: ${need_pkgs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq >/dev/null
        apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
    else
        echo "[deps] missing tools. Run:" >&2
        echo "    sudo apt-get install ${need_pkgs[*]}" >&2
        exit 1
    fi
fi
# The musl test programs (tests/musl, built by tests/scenarios/run.sh):
# tools/musl-gcc fetches Debian's i386 musl-dev once into the user's cache,
# through a private apt state (no root needed; see tools/musl-gcc for why it
# is not installed with apt).
if [ "${1:-run}" = test ] && ! "$(dirname "$0")/musl-gcc" --fetch >/dev/null; then
    echo "[deps] could not fetch musl for i386. Run: tools/musl-gcc --fetch" >&2
    exit 1
fi
# Debian's busybox-static for i386, in the default root (tools/busybox.sh).
if ! "$(dirname "$0")/busybox.sh" path >/dev/null; then
    echo "[deps] could not fetch busybox-static for i386. Run: tools/busybox.sh path" >&2
    exit 1
fi
if ! rustup component list --installed --toolchain nightly 2>/dev/null | grep -q '^rust-src'; then
    echo "[deps] adding rust-src to the nightly toolchain"
    rustup component add rust-src --toolchain nightly >/dev/null 2>&1 || {
        echo "[deps] could not add rust-src. Run: rustup component add rust-src --toolchain nightly" >&2
        exit 1
    }
fi

#!/usr/bin/env bash
# debian-i386.sh PACKAGE: fetches Debian's i386 build of PACKAGE once and
# unpacks it; prints the directory it is unpacked in:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/memguard/debian/PACKAGE/root
# apt-get download runs through a private apt state (no root needed, the
# host's apt configuration and architectures are left alone): installing
# i386 packages with apt would need `dpkg --add-architecture i386`, and some
# (musl-dev:i386) conflict with gcc-multilib. Used by tools/musl-gcc
# (musl-dev) and tools/busybox.sh (busybox-static).
# DEBIAN_MIRROR and DEBIAN_SUITE are read as bench/linux-kernel.sh reads them.
set -euo pipefail
pkg=${1:?usage: debian-i386.sh PACKAGE}
cache=${XDG_CACHE_HOME:-$HOME/.cache}/memguard/debian
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
suite=${DEBIAN_SUITE:-bookworm}
root=$cache/$pkg/root
apt=$cache/apt

[ -f "$root/.complete" ] && { echo "$root"; exit 0; }
mkdir -p "$cache"
# One fetch at a time: two first builds in parallel would race on apt state.
exec 9>"$cache/.lock"
flock 9
if [ ! -f "$root/.complete" ]; then
    for t in apt-get dpkg-deb; do
        command -v "$t" >/dev/null || { echo "debian-i386: needs $t (a Debian host)" >&2; exit 1; }
    done
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || {
        echo "debian-i386: needs the Debian archive key: apt-get install debian-archive-keyring" >&2; exit 1; }
    run_apt() {
        "$@" -o Dir::State="$apt/state" -o Dir::Cache="$apt/cache" \
            -o Dir::Etc::SourceList="$apt/sources.list" \
            -o Dir::Etc::SourceParts="$apt/empty" \
            -o Dir::Etc::Preferences="$apt/empty/preferences" \
            -o Dir::Etc::PreferencesParts="$apt/empty" -o Dir::State::status=/dev/null \
            -o APT::Architecture=i386 -o APT::Architectures::=i386 \
            -o Acquire::Languages=none -o APT::Sandbox::User="$(id -un)"
    }
    mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/empty" "$cache/$pkg"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
        > "$apt/sources.list"
    # The package lists are fetched once a day at most.
    if [ -z "$(find "$apt/state/lists" -maxdepth 1 -name '*Packages*' -mmin -1440 2>/dev/null)" ]; then
        echo "[debian-i386] fetching the package lists of $suite (i386)" >&2
        run_apt apt-get -qq update >&2
    fi
    rm -f "$cache/$pkg"/*.deb
    (cd "$cache/$pkg" && run_apt apt-get -qq download "$pkg" >&2) ||
        { echo "debian-i386: cannot download $pkg (i386)" >&2; exit 1; }
    debs=("$cache/$pkg"/*_i386.deb)
    rm -rf "$root.tmp" "$root"
    dpkg-deb -x "${debs[-1]}" "$root.tmp"
    basename "${debs[-1]}" > "$root.tmp/.complete"
    mv "$root.tmp" "$root"
    echo "[debian-i386] unpacked $(basename "${debs[-1]}") into $root" >&2
fi
echo "$root"

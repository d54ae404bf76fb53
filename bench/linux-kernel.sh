# shellcheck shell=bash
# linux-kernel.sh: finds, or fetches once, the Debian i386 kernel that
# linux-run.sh boots, and the host tools it needs. Sourced, not run.
#
# The kernel is Debian bookworm's non-PAE "686" flavour: the package that the
# metapackage linux-image-686 depends on (or LINUX_PKG, to pin one). It is
# fetched with apt-get download through a private apt state under the cache,
# so the host's apt configuration (and its list of architectures) is left
# alone. Cache layout, under ${XDG_CACHE_HOME:-$HOME/.cache}/memguard/linux/:
#   apt/          private apt lists for the i386 architecture
#   *.deb         the downloaded kernel package, kept
#   vmlinuz-VER   the kernel extracted from it; `current` names the one in use

linux_cache=${XDG_CACHE_HOME:-$HOME/.cache}/memguard/linux
debian_mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
debian_suite=${DEBIAN_SUITE:-bookworm}

# Installs what linux-run needs and this machine lacks (Debian, as root).
ensure_host_tools() {
    local need=()
    command -v qemu-system-i386 >/dev/null || need+=(qemu-system-x86)
    command -v make >/dev/null || need+=(make)
    command -v dpkg-deb >/dev/null || need+=(dpkg)
    command -v flock >/dev/null || need+=(util-linux)
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)
    command -v apt-get >/dev/null || { echo "linux-run: needs a Debian host (apt-get)" >&2; exit 125; }
    if ! echo 'int _start(void){return 0;}' |
            gcc -m32 -static -nostdlib -ffreestanding -x c -o /dev/null - >/dev/null 2>&1; then
        need+=(gcc gcc-multilib)
    fi
    [ ${#need[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "linux-run: missing tools; run: sudo apt-get install ${need[*]}" >&2
        exit 125
    fi
    echo "[linux-run] installing: ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# apt-get/apt-cache with a private state for i386 only. The host's
# sources are not read; the archive key is the one every Debian host has.
linux_apt() {
    local tool=$1; shift
    "$tool" -o Dir::State="$linux_cache/apt/state" -o Dir::Cache="$linux_cache/apt/cache" \
        -o Dir::Etc::SourceList="$linux_cache/apt/sources.list" \
        -o Dir::Etc::SourceParts="$linux_cache/apt/empty" \
        -o Dir::Etc::Preferences="$linux_cache/apt/empty/preferences" \
        -o Dir::Etc::PreferencesParts="$linux_cache/apt/empty" -o Dir::State::status=/dev/null \
        -o APT::Architecture=i386 -o APT::Architectures::=i386 \
        -o Acquire::Languages=none -o APT::Sandbox::User="$(id -un)" "$@"
}

# Prints the path of the vmlinuz to boot, fetching it on first use.
ensure_linux_kernel() {
    mkdir -p "$linux_cache"
    # One fetch at a time: two first runs in parallel would race on apt state.
    exec 9>"$linux_cache/.lock"
    flock 9
    local want
    if [ -n "${LINUX_PKG:-}" ]; then
        want=vmlinuz-${LINUX_PKG#linux-image-}
    else
        want=$(cat "$linux_cache/current" 2>/dev/null || true)
    fi
    if [ -z "$want" ] || [ ! -s "$linux_cache/$want" ]; then
        want=$(fetch_linux_kernel)
    fi
    exec 9>&-
    echo "$linux_cache/$want"
}

# Downloads the kernel package and extracts its vmlinuz; prints the
# vmlinuz's name. An unpinned fetch also makes it the `current` one.
fetch_linux_kernel() {
    local apt=$linux_cache/apt pkg deb ver
    mkdir -p "$apt/state/lists/partial" "$apt/cache/archives/partial" "$apt/empty"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $debian_mirror $debian_suite main" \
        > "$apt/sources.list"
    echo "[linux-run] fetching the i386 package lists ($debian_suite)" >&2
    linux_apt apt-get -qq update >&2
    pkg=${LINUX_PKG:-$(linux_apt apt-cache depends linux-image-686 |
                       awk '/Depends: linux-image-[0-9]/ { print $2; exit }')}
    [ -n "$pkg" ] || { echo "linux-run: cannot resolve linux-image-686" >&2; exit 125; }
    echo "[linux-run] downloading $pkg" >&2
    (cd "$linux_cache" && linux_apt apt-get -qq download "$pkg" >&2) ||
        { echo "linux-run: cannot download $pkg" >&2; exit 125; }
    local debs=("$linux_cache/${pkg}"_*_i386.deb)
    deb=${debs[-1]}   # last by name, should several builds of this ABI be cached
    ver=${pkg#linux-image-}
    dpkg-deb --fsys-tarfile "$deb" | tar -xO "./boot/vmlinuz-$ver" > "$linux_cache/vmlinuz-$ver.tmp"
    mv "$linux_cache/vmlinuz-$ver.tmp" "$linux_cache/vmlinuz-$ver"
    [ -n "${LINUX_PKG:-}" ] || echo "vmlinuz-$ver" > "$linux_cache/current"
    echo "[linux-run] cached $(basename "$deb") -> vmlinuz-$ver" >&2
    echo "vmlinuz-$ver"
}

# Prints, one per line, the .ko files that load module NAME... into the
# kernel VMLINUZ (the path ensure_linux_kernel printed), dependencies first,
# each once. They come from that kernel's own package (Debian builds
# virtio_pci and virtio_blk as modules, =m, and linux-run has no udev or
# modprobe), extracted once into the cache's modules-VERSION/. The order
# follows each module's `depends=` field (modinfo), as modprobe would.
ensure_linux_modules() {
    local vmlinuz=$1; shift
    local ver=${vmlinuz##*/vmlinuz-} dir debs
    dir=$linux_cache/modules-$ver
    if [ ! -d "$dir" ]; then
        debs=("$linux_cache/linux-image-${ver}"_*_i386.deb)
        [ -f "${debs[-1]}" ] || { echo "linux-run: no package for $ver in $linux_cache" >&2; exit 125; }
        mkdir -p "$dir.tmp"
        dpkg-deb --fsys-tarfile "${debs[-1]}" | tar -x -C "$dir.tmp" --wildcards './lib/modules/*.ko'
        mv "$dir.tmp" "$dir"
    fi
    local -A seen=()
    linux_module_order() {
        local name=$1 ko dep
        [ -n "${seen[$name]:-}" ] && return 0
        seen[$name]=1
        ko=$(find "$dir" -name "$name.ko" -print -quit)
        [ -n "$ko" ] || { echo "linux-run: no module $name in $ver" >&2; exit 125; }
        for dep in $(tr '\0' '\n' < "$ko" | sed -n 's/^depends=//p' | tr ',' ' '); do
            linux_module_order "$dep"
        done
        echo "$ko"
    }
    local m
    for m in "$@"; do linux_module_order "$m"; done
}

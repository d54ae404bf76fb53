#!/usr/bin/env bash
# Builds an initramfs: a cpio "newc" archive with Linux's usual root layout
# and the given files, for the kernel to unpack at boot (src/fs/cpio.rs).
#   tools/mkinitramfs.sh OUT.cpio [SRC=DEST ...]
# DEST is the file's absolute path in the archive (/bin/sh). Files get mode
# 0755, directories above them that the layout lacks 0755. ELF files lose
# their debug sections on the way (as tools/mkiso.sh does for modules);
# raw:SRC=DEST copies SRC unchanged; link:TARGET=DEST makes DEST a
# symbolic link to TARGET. A later pair with the same DEST replaces an
# earlier one (as a later cpio entry replaces an earlier file); keep:SRC=DEST
# and keeplink:TARGET=DEST add DEST only if no other pair names it (busybox's
# applet links step aside for the project's own /bin/sh, true, false).
#
# The layout: /bin /dev /etc /proc (0555) /root (0700) /sbin /sys (0555)
# /tmp (1777) /usr /usr/bin, and /etc/passwd, /etc/group, /etc/hostname
# (0644) unless given. /dev stays empty: the kernel makes the device nodes.
# When /bin/init is given, /init and /sbin/init are symlinks to it: where
# Linux looks for init in an initramfs, and on a root file system.
#
# Reproducible: entries sorted bytewise by name (a directory before what it
# holds), every mtime 0, uid and gid 0, inodes numbered in that order. The
# same inputs give the same bytes on any machine, which is why the archive
# is always written by bench/newc.sh's pure-bash writer, cpio installed or not.
set -euo pipefail
export LC_ALL=C # ${#name} counts bytes, sort compares bytes
top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../bench/newc.sh
. "$top/bench/newc.sh"

die() { echo "mkinitramfs: $*" >&2; exit 1; }
[ $# -ge 1 ] || { echo "usage: tools/mkinitramfs.sh OUT.cpio [SRC=DEST ...]" >&2; exit 2; }
out=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/memguard-initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# Each entry, by name without the leading /: its kind (d directory, f file,
# l symlink), its permissions (octal), and its source file or link target.
declare -A kind=() perm=() src=()
add() { kind[$1]=$2 perm[$1]=$3 src[$1]=${4:-}; }

for d in bin:755 dev:755 etc:755 proc:555 root:700 sbin:755 sys:555 tmp:1777 usr:755 usr/bin:755; do
    add "${d%:*}" d "${d#*:}"
done
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$tmp/passwd"
printf 'root:x:0:\n' > "$tmp/group"
printf 'memguard\n' > "$tmp/hostname"
for f in passwd group hostname; do add "etc/$f" f 644 "$tmp/$f"; done

# check_dest DEST: an absolute path of plain names.
check_dest() {
    local c comps
    [[ $1 == /?* && $1 != */ ]] || die "$1: DEST must be an absolute path to a file"
    [[ $1 != *[[:cntrl:]]* ]] || die "$1: control character in DEST"
    IFS=/ read -ra comps <<< "${1#/}"
    for c in "${comps[@]}"; do
        case $c in "" | . | ..) die "$1: empty, . or .. component in DEST" ;; esac
    done
}

# Every DEST named by a pair that is not keep:/keeplink:.
declare -A named=()
for pair in "$@"; do
    case $pair in keep:* | keeplink:*) ;; *) named[${pair#*=}]=1 ;; esac
done

n=0
for pair in "$@"; do
    how=file keep=0
    case $pair in keep:* | keeplink:*) keep=1 ;; esac
    case $pair in
        raw:*) how=raw pair=${pair#raw:} ;;
        link:*) how=link pair=${pair#link:} ;;
        keep:*) how=file pair=${pair#keep:} ;;
        keeplink:*) how=link pair=${pair#keeplink:} ;;
    esac
    [[ $pair == *=* ]] || die "not SRC=DEST: $pair"
    file=${pair%%=*} dest=${pair#*=}
    [ $keep = 0 ] || [ -z "${named[$dest]:-}" ] || continue
    [ $how = link ] || [ -f "$file" ] || die "no such file: $file"
    check_dest "$dest"
    name=${dest#/}
    case ${kind[$name]:-} in d) die "$dest: already a directory in the archive" ;; esac
    p=$name
    while [[ $p == */* ]]; do
        p=${p%/*}
        case ${kind[$p]:-} in
            d) ;;
            "") add "$p" d 755 ;;
            *) die "$dest: /$p is a file, not a directory" ;;
        esac
    done
    if [ $how = link ]; then
        [ -n "$file" ] || die "$dest: empty link target"
        add "$name" l 777 "$file"
        continue
    fi
    staged=$tmp/file$n
    n=$((n + 1))
    if [ $how = raw ] || [ "$(head -c 4 "$file" | od -An -tx1 | tr -d ' \n')" != 7f454c46 ] \
        || ! objcopy --strip-debug "$file" "$staged" 2>/dev/null; then
        cp "$file" "$staged"
    fi
    add "$name" f 755 "$staged"
done
if [ "${kind[bin/init]:-}" = f ]; then
    for l in init sbin/init; do [ -n "${kind[$l]:-}" ] || add "$l" l 777 /bin/init; done
fi

# octal PERM TYPE: the full mode in octal, file type bits included.
octal() { printf '%o' $((8#$2 | 8#$1)); }
{
    while IFS= read -r name; do
        case ${kind[$name]} in
            d) newc_entry "$name" "$(octal "${perm[$name]}" 40000)" 0 0 0 ;;
            f) newc_file "$name" "${src[$name]}" "$(octal "${perm[$name]}" 100000)" ;;
            l)
                newc_entry "$name" "$(octal "${perm[$name]}" 120000)" "${#src[$name]}" 0 0
                printf '%s' "${src[$name]}"
                newc_pad "${#src[$name]}"
                ;;
        esac
    done < <(printf '%s\n' "${!kind[@]}" | sort)
    newc_trailer
} > "$tmp/out.cpio"
mv -f "$tmp/out.cpio" "$out"

#!/usr/bin/env bash
# busybox.sh: Debian's busybox-static for i386, for the default root.
#   tools/busybox.sh pairs   fetch it once (tools/debian-i386.sh) and print
#                            tools/mkinitramfs.sh pairs: /bin/busybox and a
#                            symbolic link to it for each applet, where
#                            Debian's `busybox --list-full` puts it
#   tools/busybox.sh path    print the path of the busybox binary
# The applet links are keeplink: pairs, so the project's own /bin/sh, true
# and false stay (busybox's shell is /bin/ash, or `busybox sh`); busybox's
# init and linuxrc are left out: /sbin/init is the project's init.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$("$here/debian-i386.sh" busybox-static)
bin=$root/bin/busybox
[ -x "$bin" ] || { echo "busybox.sh: no busybox in $root" >&2; exit 1; }
case ${1:-pairs} in
    path) echo "$bin" ;;
    pairs)
        echo "raw:$bin=/bin/busybox"
        # The host runs i386 programs, so the binary lists its own applets.
        "$bin" --list-full | while IFS= read -r applet; do
            case $applet in sbin/init | linuxrc | bin/busybox) continue ;; esac
            echo "keeplink:/bin/busybox=/$applet"
        done
        ;;
    *) echo "usage: tools/busybox.sh [pairs|path]" >&2; exit 2 ;;
esac

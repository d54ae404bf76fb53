#!/usr/bin/env bash
# Remakes the GNU cpio fixtures of the host tests in cpio_tests.rs (needs
# GNU cpio; run as root for the device node). The tests pin the archives'
# contents, so remake them only when that is the point.
#   gnu-newc.cpio  find . | cpio -o -H newc   (magic 070701)
#   gnu-crc.cpio   find . | cpio -o -H crc    (magic 070702, data checksums)
# The tree: ., bin/, bin/hello (0755), bin/sh -> hello, etc/passwd (0644),
# etc/hard1 and etc/hard2 (one file, two links), tmp/ (1777),
# dev/console (char 5:1), run/fifo. Every mtime 1700000000, uid/gid 0,
# inodes renumbered (--reproducible), entries sorted.
#   mkinitramfs.cpio  tools/mkinitramfs.sh with hello.txt as /bin/init
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cpio-fixtures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
umask 022
cd "$tmp"
chmod 0755 . && mkdir -p bin etc tmp dev run
printf 'hello\n' > bin/hello && chmod 0755 bin/hello
ln -s hello bin/sh
printf 'root:x:0:0:root:/root:/bin/sh\n' > etc/passwd && chmod 0644 etc/passwd
printf 'linked\n' > etc/hard1 && ln etc/hard1 etc/hard2
chmod 1777 tmp
mknod dev/console c 5 1
mkfifo run/fifo
find . -exec touch -h -d @1700000000 {} +
for fmt in newc crc; do
    find . | LC_ALL=C sort | cpio --quiet -o -H "$fmt" -R 0:0 --reproducible > "$here/gnu-$fmt.cpio"
done
"$here/../../tools/mkinitramfs.sh" "$here/mkinitramfs.cpio" "$here/hello.txt=/bin/init"

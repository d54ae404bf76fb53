#!/usr/bin/env bash
# Makes a fresh swap image: FILE of SIZE bytes (truncate's sizes: 256M,
# 1G, 65536), zero-filled and sparse, with a Linux swap header written by
# the host's mkswap (util-linux; tools/deps.sh installs it).
#   tools/swapimg.sh SIZE FILE
# A swap area holds nothing across boots, so the image is made anew each
# time rather than kept.
set -euo pipefail
size=${1:?usage: swapimg.sh SIZE FILE} file=${2:?usage: swapimg.sh SIZE FILE}
mkswap=$(command -v mkswap || echo /sbin/mkswap)
[ -x "$mkswap" ] || { echo "swapimg: no mkswap (util-linux); run tools/deps.sh" >&2; exit 1; }
mkdir -p "$(dirname "$file")"
rm -f "$file"
truncate -s "$size" "$file"
# Linux needs at least 10 pages for a swap area; mkswap says so itself.
"$mkswap" -q "$file" >/dev/null

# shellcheck shell=bash
# newc.sh: writes a Linux initramfs (cpio "newc" format) without cpio or root.
# Sourced by linux-run.sh. Device nodes go straight into the archive, so
# nothing needs mknod; the kernel's unpacker (init/initramfs.c) creates them.
#
# One entry is a 110-byte ASCII header, then the NUL-terminated name, padded
# so header+name is a multiple of 4, then the data, padded to 4:
#   "070701" ino mode uid gid nlink mtime filesize devmaj devmin
#            rdevmaj rdevmin namesize check        (each 8 hex digits)
# The archive ends with an entry named TRAILER!!!.

newc_ino=1

# newc_pad BYTES: writes the NULs that bring BYTES up to a multiple of 4.
newc_pad() {
    local n=$(( (4 - $1 % 4) % 4 ))
    [ "$n" -gt 0 ] && head -c "$n" /dev/zero
    return 0
}

# newc_entry NAME MODE(octal, with type bits) SIZE RDEVMAJ RDEVMIN
# Writes one header and the padded name; the caller writes SIZE data bytes.
newc_entry() {
    local name=$1 mode=$(( 8#$2 )) size=$3 namesize=$(( ${#1} + 1 ))
    printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
        "$newc_ino" "$mode" 0 0 1 0 "$size" 0 0 "$4" "$5" "$namesize" 0
    printf '%s\0' "$name"
    newc_pad $(( 110 + namesize ))
    newc_ino=$(( newc_ino + 1 ))
}

newc_dir() { newc_entry "$1" 040755 0 0 0; }
newc_chardev() { newc_entry "$1" "${4:-020600}" 0 "$2" "$3"; }

# newc_file NAME HOSTFILE [MODE]: a regular file with HOSTFILE's bytes.
newc_file() {
    local size
    size=$(stat -c %s "$2")
    newc_entry "$1" "${3:-100644}" "$size" 0 0
    cat "$2"
    newc_pad "$size"
}

newc_trailer() { newc_entry 'TRAILER!!!' 0 0 0 0; }

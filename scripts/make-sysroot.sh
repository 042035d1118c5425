#!/usr/bin/env bash
# make-sysroot.sh - build an armhf sysroot (the directory given to tsqemu-arm / qemu-arm
# with -L) from Debian's own armhf packages, and print its path (last line of stdout;
# progress goes to stderr).
#
# Usage: scripts/make-sysroot.sh [--out DIR] [--programs] [PACKAGE...]
#   --out DIR   where to build it (default: <repo>/.cache/sysroot-armhf; keep it gitignored)
#   --programs  also unpack the Debian programs test-binaries/debian.test.ts runs
#               (coreutils, sed, grep, gawk, bc, dash (also /bin/sh), sqlite3, jq, bzip2,
#               xz-utils, lua5.4, python3.11 with its standard library, and the
#               libraries they need: ~16 MB of .debs)
#   PACKAGE     extra Debian package names (without :armhf) to unpack as well, e.g.
#               coreutils sed gawk. Always unpacked: libc6 libgcc-s1 libstdc++6.
#
# Idempotent: downloaded .debs are kept in DIR/debs and a package already unpacked is not
# unpacked again; a second run downloads nothing. Nothing is installed on the host: each
# .deb is only downloaded (apt-get download) and unpacked (dpkg -x). The first run needs
# root and network: it enables the armhf architecture in dpkg (dpkg --add-architecture)
# and runs apt-get update.
#
# Example:
#   SYSROOT=$(scripts/make-sysroot.sh) && arm-linux-gnueabihf-gcc -o hi hi.c \
#     && bin/tsqemu-arm -L "$SYSROOT" ./hi
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/.cache/sysroot-armhf"
PACKAGES=(libc6 libgcc-s1 libstdc++6)
# apt-get download fetches no dependencies: the programs' libraries are listed too.
# python3.11: libpython3.11-minimal has re and collections, libpython3.11-stdlib has json
# (its other dependencies are only needed by extension modules the tests do not load).
PROGRAMS=(coreutils libacl1 libattr1 libselinux1 libpcre2-8-0 libgmp10 sed grep gawk libmpfr6 libsigsegv2 libreadline8 libtinfo6 bc
    dash sqlite3 libsqlite3-0 zlib1g jq libjq1 libonig5 bzip2 libbz2-1.0 xz-utils liblzma5 lua5.4
    python3.11-minimal libpython3.11-minimal libpython3.11-stdlib libexpat1)
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift ;;
        --programs) PACKAGES+=("${PROGRAMS[@]}") ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
        -*) echo "make-sysroot.sh: unknown option: $1" >&2; exit 2 ;;
        *) PACKAGES+=("$1") ;;
    esac
    shift
done

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

mkdir -p "$OUT/debs" "$OUT/root"
OUT="$(cd "$OUT" && pwd)"
STAMPS="$OUT/unpacked"
mkdir -p "$STAMPS"

missing=()
for p in "${PACKAGES[@]}"; do
    [ -e "$STAMPS/$p" ] || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    echo "$OUT/root"
    exit 0
fi

if ! dpkg --print-foreign-architectures | grep -qx armhf && [ "$(dpkg --print-architecture)" != armhf ]; then
    echo "enabling dpkg architecture armhf" >&2
    as_root dpkg --add-architecture armhf
    update=1
elif ! apt-cache show "libc6:armhf" >/dev/null 2>&1; then
    update=1
fi
if [ "${update:-0}" = 1 ]; then
    # a partial failure (one mirror index mid-sync) is not fatal if the packages download
    as_root apt-get update >&2 || echo "warning: apt-get update reported errors" >&2
fi

# The downloaded .deb of a package ('' if none yet).
find_deb() {
    local f
    for f in "$1"_*_armhf.deb "$1"_*_all.deb; do
        if [ -e "$f" ]; then echo "$f"; return; fi
    done
}

cd "$OUT/debs"
for p in "${missing[@]}"; do
    deb="$(find_deb "$p")"
    if [ -z "$deb" ]; then
        echo "downloading $p:armhf" >&2
        apt-get download "$p:armhf" >&2
        deb="$(find_deb "$p")"
        [ -n "$deb" ] || { echo "make-sysroot.sh: apt-get download $p:armhf gave no .deb" >&2; exit 1; }
    fi
    echo "unpacking $deb" >&2
    dpkg -x "$deb" "$OUT/root"
    touch "$STAMPS/$p"
done

# Debian 12's armhf packages install under /lib and /usr/lib; the merged-/usr layout of
# newer releases installs under /usr only. Make both spellings of the library directories
# work, as on a real system, without clobbering what a package shipped.
for d in lib bin sbin; do
    if [ ! -e "$OUT/root/$d" ] && [ -d "$OUT/root/usr/$d" ]; then ln -s "usr/$d" "$OUT/root/$d"; fi
done

echo "$OUT/root"

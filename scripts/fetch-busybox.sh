#!/usr/bin/env bash
# fetch-busybox.sh - download Debian's statically linked busybox for a 32-bit
# ARM architecture and print the path of the extracted binary (last line of
# stdout; progress goes to stderr).
#
# Usage: scripts/fetch-busybox.sh [armel|armhf] [cache-dir]
#   arch       armel (default: ARMv5TE, soft-float) or armhf (ARMv7, VFP)
#   cache-dir  default: <repo>/.cache/busybox-<arch>   (keep it gitignored)
#
# Idempotent: if the binary is already extracted nothing is downloaded.
# The first run needs root and network: it enables the foreign architecture
# in dpkg (dpkg --add-architecture) and runs apt-get update; nothing is
# installed, the .deb is only downloaded (apt-get download) and unpacked
# (dpkg -x) into the cache directory.
#
# Example:
#   BB=$(scripts/fetch-busybox.sh armel) && bin/tsqemu-arm "$BB" echo hi
set -euo pipefail

ARCH="${1:-armel}"
case "$ARCH" in
    armel|armhf) ;;
    *) echo "usage: $0 [armel|armhf] [cache-dir]" >&2; exit 2 ;;
esac
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${2:-$ROOT/.cache/busybox-$ARCH}"
BIN="$CACHE/root/bin/busybox"

if [ -x "$BIN" ]; then
    echo "$BIN"
    exit 0
fi

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if ! dpkg --print-foreign-architectures | grep -qx "$ARCH" \
   && [ "$(dpkg --print-architecture)" != "$ARCH" ]; then
    echo "enabling dpkg architecture $ARCH" >&2
    as_root dpkg --add-architecture "$ARCH"
    update=1
elif ! apt-cache show "busybox-static:$ARCH" >/dev/null 2>&1; then
    update=1
fi
if [ "${update:-0}" = 1 ]; then
    # a partial failure (e.g. one mirror index mid-sync) is not fatal as long
    # as the package itself can be downloaded
    as_root apt-get update >&2 || echo "warning: apt-get update reported errors" >&2
fi

mkdir -p "$CACHE"
cd "$CACHE"
deb="$(ls busybox-static_*_"$ARCH".deb 2>/dev/null | head -n 1 || true)"
if [ -z "$deb" ]; then
    echo "downloading busybox-static:$ARCH" >&2
    apt-get download "busybox-static:$ARCH" >&2
    deb="$(ls busybox-static_*_"$ARCH".deb | head -n 1)"
fi
rm -rf root
dpkg -x "$deb" root
if [ ! -x "$BIN" ]; then
    echo "busybox binary not found in $deb" >&2
    exit 1
fi
echo "$deb unpacked" >&2
echo "$BIN"

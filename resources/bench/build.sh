#!/usr/bin/env bash
# Build the benchmark guests: resources/bench/<name>.S -> resources/bench/out/<name>.elf
# Incremental: a program is rebuilt when its source, bench.h, link.ld or this
# script is newer than it. Usage: build.sh [--clean]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out"
CROSS="${CROSS_COMPILE:-aarch64-linux-gnu-}"
CC="${CROSS}gcc"

if [ "${1:-}" = --clean ]; then rm -rf "$OUT"; fi
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "bench/build.sh: error: $CC not found." >&2
    echo "  Install Debian's AArch64 cross compiler: sudo apt-get install gcc-aarch64-linux-gnu" >&2
    exit 2
fi
mkdir -p "$OUT"

n=0
for src in "$HERE"/*.S; do
    name="$(basename "$src" .S)"
    elf="$OUT/$name.elf"
    n=$((n + 1))
    if [ -e "$elf" ] && [ ! "$src" -nt "$elf" ] && [ ! "$HERE/bench.h" -nt "$elf" ] &&
        [ ! "$HERE/link.ld" -nt "$elf" ] && [ ! "$HERE/build.sh" -nt "$elf" ]; then
        continue
    fi
    echo "  AS   resources/bench/out/$name.elf"
    "$CC" -march=armv8-a -nostdlib -static -no-pie -I "$HERE" -T "$HERE/link.ld" \
        -Wl,--build-id=none -Wl,--no-warn-rwx-segments "$src" -o "$elf.tmp"
    mv "$elf.tmp" "$elf"
done
echo "bench/build.sh: $n benchmark program(s) up to date in resources/bench/out"

#!/usr/bin/env bash
# Build the differential fuzzer's guest harness:
#   resources/fuzz/harness.S + link.ld -> resources/fuzz/out/harness.elf
# Incremental: rebuilt only when a source or this script is newer than the ELF.
# The fuzzer (cli/fuzz.ts, test/fuzz) patches copies of it; no compiler per run.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/out"
ELF="$OUT/harness.elf"
CROSS="${CROSS_COMPILE:-aarch64-linux-gnu-}"
CC="${CROSS}gcc"

newer() { # newer TARGET DEP...: true if TARGET is missing or older than a DEP
    local t="$1"; shift
    [ -e "$t" ] || return 0
    local d
    for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done
    return 1
}

if ! newer "$ELF" "$HERE/harness.S" "$HERE/link.ld" "$HERE/build.sh"; then
    echo "fuzz/build.sh: harness up to date"
    exit 0
fi
if ! command -v "$CC" >/dev/null 2>&1; then
    echo "fuzz/build.sh: error: $CC not found (apt-get install gcc-aarch64-linux-gnu, or set CROSS_COMPILE)" >&2
    exit 2
fi
mkdir -p "$OUT"
echo "  AS+LD  resources/fuzz/out/harness.elf"
"$CC" -nostdlib -static -no-pie -march=armv8-a -T "$HERE/link.ld" \
    -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack \
    "$HERE/harness.S" -o "$ELF.tmp"
mv "$ELF.tmp" "$ELF"

#!/usr/bin/env bash
# Build the armlab bare-metal guests:
#   resources/guest/tests/<name>.{c,S} -> resources/guest/out/<name>.elf
#   resources/demo/demo.c              -> resources/demo/demo.elf
# Incremental: a target is rebuilt only when its source, the runtime, the
# linker script or this script is newer than it.
#
# Per-program options are comment lines in the source:
#   //! cflags: -march=armv8.1-a      extra compiler flags
# (see test/guest/programs.ts for the run options //! qemu: / //! timeout:)
#
# Usage: build.sh [-j N] [--clean] [name ...]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/out"
RT="$HERE/rt"
CROSS="${CROSS_COMPILE:-aarch64-linux-gnu-}"
CC="${CROSS}gcc"
JOBS="$(nproc 2>/dev/null || echo 2)"

names=()
while [ $# -gt 0 ]; do
    case "$1" in
        -j) JOBS="$2"; shift 2 ;;
        --clean) rm -rf "$OUT" "$ROOT/resources/demo/demo.elf"; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) names+=("$1"); shift ;;
    esac
done

if ! command -v "$CC" >/dev/null 2>&1; then
    echo "build.sh: error: $CC not found." >&2
    echo "  Install Debian's AArch64 cross compiler: sudo apt-get install gcc-aarch64-linux-gnu" >&2
    echo "  (or set CROSS_COMPILE to another aarch64 toolchain prefix)." >&2
    exit 2
fi

COMMON=(-O2 -g -ffreestanding -nostdlib -fno-pie -fno-pic -fno-stack-protector
        -fno-asynchronous-unwind-tables -fno-unwind-tables -mno-outline-atomics
        -mcmodel=small -Wall -Wextra -Wno-unused-parameter -Wno-unused-function -I "$RT")
LDFLAGS=(-static -no-pie -nostdlib -T "$RT/link.ld" -Wl,--build-id=none
         -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack)
RT_FLAGS=(-march=armv8-a -mstrict-align -fno-tree-loop-distribute-patterns)

mkdir -p "$OUT/rt"

# newer TARGET DEP... : true if TARGET is missing or older than any DEP
newer() {
    local t="$1"; shift
    [ -e "$t" ] || return 0
    local d
    for d in "$@"; do [ "$d" -nt "$t" ] && return 0; done
    return 1
}

failed=0
running=0
# run a build step in the background, at most $JOBS at once
spawn() {
    if [ "$running" -ge "$JOBS" ]; then
        wait -n || failed=1
        running=$((running - 1))
    fi
    "$@" &
    running=$((running + 1))
}
drain() {
    while [ "$running" -gt 0 ]; do
        wait -n || failed=1
        running=$((running - 1))
    done
}

compile_rt() {
    local src="$1" obj="$2"
    echo "  CC   rt/$(basename "$src")"
    "$CC" "${COMMON[@]}" "${RT_FLAGS[@]}" -c "$src" -o "$obj.tmp" && mv "$obj.tmp" "$obj"
}

RT_OBJS=()
for src in "$RT"/*.c "$RT"/*.S; do
    obj="$OUT/rt/$(basename "$src").o"
    RT_OBJS+=("$obj")
    if newer "$obj" "$src" "$RT/rt.h" "$HERE/build.sh"; then spawn compile_rt "$src" "$obj"; fi
done
drain
if [ "$failed" -ne 0 ]; then echo "build.sh: runtime build failed" >&2; exit 1; fi

link_prog() {
    local src="$1" elf="$2" extra
    extra="$(sed -n 's@^//! *cflags: *@@p' "$src" | tr '\n' ' ')"
    echo "  LD   ${elf#"$ROOT"/}"
    # shellcheck disable=SC2086
    if "$CC" "${COMMON[@]}" -march=armv8-a $extra "${LDFLAGS[@]}" "$src" "${RT_OBJS[@]}" -lgcc -o "$elf.tmp"; then
        mv "$elf.tmp" "$elf"
    else
        rm -f "$elf.tmp"
        echo "build.sh: FAILED: ${src#"$ROOT"/}" >&2
        return 1
    fi
}

want() { # want NAME: true if NAME was selected (or nothing was)
    [ ${#names[@]} -eq 0 ] && return 0
    local n
    for n in "${names[@]}"; do [ "$n" = "$1" ] && return 0; done
    return 1
}

DEPS=("${RT_OBJS[@]}" "$RT/rt.h" "$RT/link.ld" "$HERE/build.sh" "$HERE"/tests/*.h)
count=0
shopt -s nullglob
for src in "$HERE"/tests/*.c "$HERE"/tests/*.S; do
    name="$(basename "${src%.*}")"
    want "$name" || continue
    elf="$OUT/$name.elf"
    count=$((count + 1))
    if newer "$elf" "$src" "${DEPS[@]}"; then spawn link_prog "$src" "$elf"; fi
done
if want demo; then
    demo_src="$ROOT/resources/demo/demo.c"
    if [ -e "$demo_src" ] && newer "$ROOT/resources/demo/demo.elf" "$demo_src" "${DEPS[@]}"; then
        spawn link_prog "$demo_src" "$ROOT/resources/demo/demo.elf"
    fi
fi
drain
if [ "$failed" -ne 0 ]; then echo "build.sh: some guests failed to build" >&2; exit 1; fi
echo "build.sh: $count guest test program(s) up to date in ${OUT#"$ROOT"/}"

#!/usr/bin/env bash
# Build the KVM addon (native/) with node-gyp against the installed Node headers.
#
#   scripts/build-native.sh              build native/build/Release/armlab_kvm.node when it is
#                                        missing or older than its sources; fail loudly
#   scripts/build-native.sh --optional   the same, but a failure only prints why (exit 0):
#                                        what ensure.sh uses, since armlab works without the addon
#   scripts/build-native.sh --force      rebuild even when up to date
#   scripts/build-native.sh --cross-check [OUT]
#                                        compile the addon's sources for aarch64 (arm64 hosts run
#                                        the vGIC / ONE_REG / VCPU_INIT code) with Debian's
#                                        aarch64-linux-gnu-g++ into objects under OUT (default a
#                                        temp dir); exit 0 only if every source compiles
#
# node-gyp comes with npm (npm's own node_modules); headers come from npm's
# `nodedir` setting, or /usr when Debian's nodejs headers are there, else node-gyp
# downloads them. Linux only: elsewhere it says so and does nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NATIVE="$ROOT/native"
OUT="$NATIVE/build/Release/armlab_kvm.node"
MODE=build
OPTIONAL=0
FORCE=0
CROSS_OUT=""
while [ $# -gt 0 ]; do
    case "$1" in
        --optional) OPTIONAL=1 ;;
        --force) FORCE=1 ;;
        --cross-check) MODE=cross; if [ $# -gt 1 ] && [[ "$2" != --* ]]; then CROSS_OUT="$2"; shift; fi ;;
        -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) echo "build-native: unknown option '$1'" >&2; exit 2 ;;
    esac
    shift
done

say() { echo "build-native: $*" >&2; }
fail() {
    if [ "$OPTIONAL" = 1 ]; then
        say "$* — armlab works without the KVM addon; 'armlab kvm' will say it is not built."
        exit 0
    fi
    say "error: $*"
    exit 1
}

[ "$(uname -s)" = Linux ] || { say "KVM exists only on Linux: not building the addon."; exit 0; }

# Node's headers: node-gyp's --nodedir, when we can name one that has node_api.h.
nodedir() {
    local d
    d="$(npm config get nodedir 2>/dev/null || true)"
    if [ -n "$d" ] && [ "$d" != undefined ] && [ -e "$d/include/node/node_api.h" ]; then echo "$d"; return; fi
    d="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
    if [ -e "$d/include/node/node_api.h" ]; then echo "$d"; return; fi
}

addon_api_include() { node -p "require('node-addon-api').include_dir" 2>/dev/null; }

if [ "$MODE" = cross ]; then
    CXX="${CROSS_CXX:-aarch64-linux-gnu-g++}"
    command -v "$CXX" >/dev/null 2>&1 || fail "$CXX is missing (Debian package g++-aarch64-linux-gnu; 'scripts/ensure.sh test' installs it)"
    nd="$(nodedir)"
    [ -n "$nd" ] || fail "no Node headers found (node_api.h) for the aarch64 compile"
    inc="$(cd "$ROOT" && addon_api_include)" || fail "node-addon-api is not installed (npm ci)"
    out="${CROSS_OUT:-$(mktemp -d)}"
    mkdir -p "$out"
    # Node's headers are architecture-independent for N-API; the kernel's KVM headers come
    # from the cross toolchain's sysroot (/usr/aarch64-linux-gnu/include: linux/kvm.h, asm/kvm.h).
    for src in "$NATIVE"/src/*.cc; do
        "$CXX" -std=c++17 -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -fPIC \
            -DNAPI_VERSION=8 -DNAPI_CPP_EXCEPTIONS -DNODE_ADDON_API_CPP_EXCEPTIONS_ALL -DNODE_ADDON_API_DISABLE_DEPRECATED \
            -I"$nd/include/node" -I"$inc" -c "$src" -o "$out/$(basename "$src" .cc).o" ||
            fail "aarch64 compile of $(basename "$src") failed"
    done
    say "aarch64 objects in $out"
    exit 0
fi

# Up to date? The .node must be newer than every source, binding.gyp and node-addon-api.
if [ "$FORCE" = 0 ] && [ -e "$OUT" ]; then
    stale=0
    for f in "$NATIVE"/binding.gyp "$NATIVE"/src/* "$ROOT"/node_modules/node-addon-api/package.json; do
        [ -e "$f" ] && [ "$f" -nt "$OUT" ] && { stale=1; break; }
    done
    [ "$stale" = 0 ] && exit 0
fi

command -v g++ >/dev/null 2>&1 || fail "no C++ compiler (Debian: apt-get install g++ make python3)"
command -v make >/dev/null 2>&1 || fail "make is missing (Debian: apt-get install make)"
[ -d "$ROOT/node_modules/node-addon-api" ] || fail "node-addon-api is not installed (npm ci)"
gyp="$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")/node_modules/node-gyp/bin/node-gyp.js"
[ -e "$gyp" ] || gyp="$(npm root -g 2>/dev/null)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -e "$gyp" ] || fail "node-gyp not found (it ships with npm: $gyp)"

args=(rebuild)
nd="$(nodedir)"
[ -n "$nd" ] && args+=("--nodedir=$nd")
say "building the KVM addon (node-gyp ${args[*]})"
log="$(mktemp)"
if ! (cd "$NATIVE" && node "$gyp" "${args[@]}") >"$log" 2>&1; then
    grep -vE '^gyp (info|http)' "$log" | tail -n 25 >&2
    rm -f "$log"
    fail "node-gyp could not build the addon"
fi
rm -f "$log"
[ -e "$OUT" ] || fail "node-gyp finished but $OUT is missing"
touch "$OUT"
say "built $OUT"

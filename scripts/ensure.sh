#!/usr/bin/env bash
# Make this checkout ready to run: Debian packages, npm packages, guest programs.
#
#   scripts/ensure.sh demo   what `npm run demo` needs: cross compiler, npm packages, the demo guest
#   scripts/ensure.sh test   what `npm test` and `npm run bench` need: also QEMU (the test oracle)
#                            and every guest, benchmark and fuzz-harness program
#
# Idempotent, and quick when everything is present (it only looks). Runs
# apt-get as root, or through `sudo -n` when that works without a password;
# otherwise it says what to run. Environment:
#   ARMLAB_NO_APT=1   never call apt-get; just report what is missing and fail
#   CROSS_COMPILE     another aarch64 toolchain prefix (default aarch64-linux-gnu-)
set -euo pipefail

MODE="${1:-demo}"
case "$MODE" in
    demo | test) ;;
    -h | --help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "ensure.sh: unknown mode '$MODE' (use demo or test)" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CROSS="${CROSS_COMPILE:-aarch64-linux-gnu-}"

say() { echo "ensure: $*" >&2; }
die() {
    echo "ensure: error: $*" >&2
    exit 1
}

# ------------------------------------------------------------------- Node
node_ok() {
    node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'
}
command -v node >/dev/null 2>&1 || die "Node.js is not installed. armlab needs Node 20.19 or newer (https://nodejs.org, or Debian/NodeSource packages)."
node_ok || die "Node.js $(node --version) is too old: armlab needs 20.19 or newer."
command -v npm >/dev/null 2>&1 || die "npm is not installed (it comes with Node.js; Debian packages it separately as 'npm')."

# ------------------------------------------------------- Debian packages
# Each requirement: a file or command that proves the package is there, and the package.
reqs=("cmd:${CROSS}gcc gcc-aarch64-linux-gnu"
      "cmd:${CROSS}as binutils-aarch64-linux-gnu"
      "cmd:${CROSS}objdump binutils-aarch64-linux-gnu")
if [ "$MODE" = test ]; then
    reqs+=("cmd:qemu-system-aarch64 qemu-system-arm"
           "cmd:${CROSS}g++ g++-aarch64-linux-gnu" # test/kvm compiles the KVM addon for arm64
           # QEMU's virt machine loads the virtio-net option ROM even with -nodefaults;
           # --no-install-recommends leaves this package out.
           "file:/usr/lib/ipxe/qemu/efi-virtio.rom ipxe-qemu"
           "file:/usr/bin/chromium chromium") # the UI tests (test/e2e) drive Debian's Chromium
fi
if [ -n "${CROSS_COMPILE:-}" ]; then
    # A user-supplied toolchain is the user's business: only check it exists.
    command -v "${CROSS}gcc" >/dev/null 2>&1 || die "CROSS_COMPILE=$CROSS_COMPILE but ${CROSS}gcc is not on PATH."
fi

missing=()
for r in "${reqs[@]}"; do
    probe="${r%% *}" pkg="${r#* }"
    case "$probe" in
        cmd:*) command -v "${probe#cmd:}" >/dev/null 2>&1 && continue ;;
        file:*) [ -e "${probe#file:}" ] && continue ;;
    esac
    if [ -n "${CROSS_COMPILE:-}" ] && [[ "$pkg" == *aarch64-linux-gnu ]]; then continue; fi
    [[ " ${missing[*]-} " == *" $pkg "* ]] || missing+=("$pkg")
done

apt_install() {
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "missing Debian packages: ${missing[*]}
  Installing them needs root. Run:
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}
  then run this command again."
        fi
    fi
    export DEBIAN_FRONTEND=noninteractive
    local log
    log="$(mktemp)"
    say "installing Debian packages: ${missing[*]}"
    # A fresh machine has no package lists yet, and old lists may name versions
    # the archive no longer has: update once when the first attempt fails.
    if ! "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >"$log" 2>&1; then
        say "apt-get install failed; updating the package lists and retrying"
        if ! "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update >>"$log" 2>&1 ||
            ! "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >>"$log" 2>&1; then
            tail -n 15 "$log" >&2
            if grep -qiE "could not resolve|temporary failure|failed to fetch|unable to connect|network is unreachable" "$log"; then
                die "could not reach the Debian archive (no network?). Install these packages when online: ${missing[*]}"
            fi
            die "apt-get could not install: ${missing[*]} (full log: $log)"
        fi
    fi
    rm -f "$log"
}

if [ ${#missing[@]} -gt 0 ]; then
    if [ -n "${ARMLAB_NO_APT:-}" ]; then
        die "missing Debian packages: ${missing[*]} (ARMLAB_NO_APT is set, so not installing them)"
    fi
    command -v apt-get >/dev/null 2>&1 ||
        die "missing: ${missing[*]}. This is not a Debian-like system (no apt-get): install an AArch64 cross toolchain (and, for the tests, qemu-system-aarch64) by hand, and set CROSS_COMPILE if its prefix is not aarch64-linux-gnu-."
    apt_install
fi

# ---------------------------------------------------------- npm packages
# node_modules/.package-lock.json is npm's record of what it installed; it is
# touched after a successful install so "older than package-lock.json" is exact.
stamp=node_modules/.package-lock.json
if [ ! -e "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
    # Electron's binary is not needed to build, lint or test, and cannot be downloaded everywhere.
    export ELECTRON_SKIP_BINARY_DOWNLOAD=1
    # A fresh checkout gets exactly the locked tree; an existing one is brought up to date in place.
    if [ -e package-lock.json ] && [ ! -d node_modules ]; then
        say "installing npm packages (npm ci)"
        cmd=(npm ci --no-audit --no-fund)
    else
        say "installing npm packages (npm install)"
        cmd=(npm install --no-audit --no-fund)
    fi
    if ! "${cmd[@]}" >&2; then
        die "'${cmd[*]}' failed. If the npm registry is unreachable, check the network or proxy settings (npm config get registry)."
    fi
    touch "$stamp"
fi

bash scripts/build-native.sh --optional >&2 # KVM addon (native/): skipped when up to date; optional
# ------------------------------------------------------- guest programs
build() { # build SCRIPT [ARGS...]: run a project build script, failing loudly
    local script="$1"
    shift
    bash "$script" "$@" >&2 || die "building guests with $script failed (see the messages above)"
}
if [ "$MODE" = demo ]; then
    [ -e resources/guest/build.sh ] || die "resources/guest/build.sh is missing: this checkout is incomplete."
    build resources/guest/build.sh demo
    [ -e resources/demo/demo.elf ] || die "resources/demo/demo.elf was not built (is resources/demo/demo.c missing?)."
else
    [ -e resources/guest/build.sh ] && build resources/guest/build.sh
    [ -e resources/bench/build.sh ] && build resources/bench/build.sh
    [ -e resources/fuzz/build.sh ] && build resources/fuzz/build.sh
fi
exit 0

#!/usr/bin/env bash
# Fetch the Debian arm64 packages the arm64 KVM lane boots (scripts/kvm-arm64-lane.sh):
#
#   - the generic arm64 kernel (linux-image-arm64 → linux-image-<abi>-arm64; KVM is built in)
#   - nodejs:arm64 and its runtime closure (libnode, libuv, libssl, libicu, … and the
#     arch-all node-* modules libnode loads at startup)
#   - busybox-static:arm64 (the initramfs's shell, mount, poweroff)
#
# into a per-user cache shared with other armlab tools:
#   ${XDG_CACHE_HOME:-~/.cache}/armlab/debian-arm64/debs/*.deb
# Writers hold an flock on ${XDG_CACHE_HOME:-~/.cache}/armlab/debian-arm64/.lock and move each
# file into place whole (download to a private dir, then rename), so a concurrent reader
# never sees half a .deb. Prints the .deb paths (one per line) on stdout.
#
# Needs root once for `dpkg --add-architecture arm64 && apt-get update` (done only when
# arm64 package lists are missing). Only apt's own clients talk to the archive.
set -euo pipefail

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/armlab/debian-arm64"
DEBS="$CACHE/debs"
LOCK="$CACHE/.lock"
mkdir -p "$DEBS"

say() { echo "kvm-arm64-fetch: $*" >&2; }
die() { echo "kvm-arm64-fetch: error: $*" >&2; exit 1; }

# apt's package lists for arm64.
if ! apt-cache show nodejs:arm64 >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || die "arm64 package lists are missing; as root run: dpkg --add-architecture arm64 && apt-get update"
    say "adding the arm64 architecture to apt"
    dpkg --add-architecture arm64
    apt-get update -qq
fi

# Runtime closure of nodejs:arm64: Depends/Pre-Depends, recursively, leaving out what only
# package installation needs (dpkg, tar, perl, python, debconf, certificates). The lane
# verifies afterwards that every DT_NEEDED library of node and libnode is in the rootfs.
# Prints apt specs: "name:arm64", or "name" for arch-all packages (node-acorn, …), which
# apt lists as virtual "<name:arm64>".
deny='^(dpkg|tar|perl|perl-base|perl-modules-.*|python3.*|libpython.*|debconf|cdebconf|debconf-2.0|ca-certificates|openssl|install-info|mailcap|media-types|mime-support|nodejs-doc|gcc-12-base|readline-common|libgcc1)$'
depends() { apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances "$1" 2>/dev/null || true; }
closure() {
    local -A seen=()
    local queue=("$@") p d deps spec
    while [ ${#queue[@]} -gt 0 ]; do
        p="${queue[0]}"
        queue=("${queue[@]:1}")
        [ -n "${seen[$p]:-}" ] && continue
        spec="$p:arm64"
        deps="$(depends "$spec")"
        if [ -z "$deps" ] || [[ "$deps" == "<"* ]]; then
            spec="$p"
            deps="$(depends "$p")"
            if [ -z "$deps" ] || [[ "$deps" == "<"* ]]; then seen[$p]=virtual; continue; fi
        fi
        seen[$p]="$spec"
        for d in $(sed -nE 's/^ +\|?(Pre)?Depends: <?([^ >]+)>?.*/\2/p' <<<"$deps" | sed -E 's/:(arm64|any|all)$//'); do
            [[ "$d" =~ $deny ]] && continue
            [ -z "${seen[$d]:-}" ] && queue+=("$d")
        done
    done
    for p in "${!seen[@]}"; do [ "${seen[$p]}" != virtual ] && echo "${seen[$p]}"; done | sort
}

kernel_pkg="$(depends linux-image-arm64:arm64 | sed -nE 's/^ +Depends: (linux-image-[0-9][^ :]*-arm64)(:arm64)?$/\1/p' | head -n1)"
[ -n "$kernel_pkg" ] || die "cannot resolve linux-image-arm64:arm64 to a kernel package"

# The closure takes ~50 apt-cache calls: remember it per nodejs version.
node_ver="$(apt-cache show --no-all-versions nodejs:arm64 | sed -n 's/^Version: //p' | head -n1)"
closure_file="$CACHE/closure-nodejs_${node_ver//[^A-Za-z0-9.+~-]/_}.txt"
if [ ! -s "$closure_file" ]; then
    closure nodejs >"$closure_file.$$"
    mv "$closure_file.$$" "$closure_file"
fi
mapfile -t specs <"$closure_file"
specs=("$kernel_pkg:arm64" busybox-static:arm64 "${specs[@]}")

# One apt call names every file; one more downloads the missing ones. The cache keeps the
# archive's pool names (no epoch); apt-get download saves as name_epoch%3aversion_arch.deb.
uris="$(apt-get download --print-uris "${specs[@]}" 2>&1)" || die "apt cannot download: $uris"
declare -A pool=() aptname=() # package name → file names (apt prints them in its own order)
while read -r uri file _; do
    uri="${uri//\'/}"
    pool[${file%%_*}]="$(basename "$uri" | sed 's/%2[bB]/+/g; s/%7[eE]/~/g; s/%3[aA]/:/g')"
    aptname[${file%%_*}]="$file"
done <<<"$uris"
for spec in "${specs[@]}"; do [ -n "${pool[${spec%:arm64}]:-}" ] || die "apt named no file for $spec: $uris"; done

exec 9>"$LOCK"
flock 9
want=()
for spec in "${specs[@]}"; do [ -s "$DEBS/${pool[${spec%:arm64}]}" ] || want+=("$spec"); done
if [ ${#want[@]} -gt 0 ]; then
    tmp="$(mktemp -d "$CACHE/.dl.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    say "downloading ${want[*]}"
    # As root, apt's _apt sandbox user cannot write into a private cache dir: download as root.
    (cd "$tmp" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "${want[@]}") >&2 || die "apt-get download failed"
    for spec in "${want[@]}"; do mv "$tmp/${aptname[${spec%:arm64}]}" "$DEBS/${pool[${spec%:arm64}]}"; done
fi
for spec in "${specs[@]}"; do echo "$DEBS/${pool[${spec%:arm64}]}"; done

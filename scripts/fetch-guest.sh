#!/usr/bin/env bash
# Fetch the Linux guest from Debian's archive and build its initramfs.
#
#   scripts/fetch-guest.sh [--update] [--print]     (npm run guest:fetch)
#
# Fetches, from Debian's package archive only (apt-get download: every .deb is
# checked against the signed Release/Packages files):
#   linux-image-<abi>-cloud-arm64   (what the metapackage linux-image-cloud-arm64 depends on)
#   linux-image-<abi>-arm64         (the plain flavour, via linux-image-arm64)
#   busybox-static:arm64
# into the per-user cache ${XDG_CACHE_HOME:-$HOME/.cache}/armlab/linux/, never the repository;
# records each file's sha256 (and the archive's) in SHA256SUMS and re-checks them on every
# run; extracts the kernels (vmlinuz-*, an uncompressed arm64 Image) and System.map-*; builds
# initramfs.cpio.gz (busybox, /init prints "ARMLAB-MARKER: init reached" and starts a shell).
#
# Output (also written to guest.env in the cache dir, sourceable):
#   KERNEL=…/vmlinuz-<ver>-cloud-arm64  KERNEL_ARM64=…  SYSTEM_MAP=…  INITRD=…/initramfs.cpio.gz
#
#   --update   run apt-get update first (root only), to pick up a newer kernel
#   --print    print guest.env and exit 0 when the cache is complete (no network), else fail
# Environment: ARMLAB_CACHE (cache dir; default as above); ARMLAB_APT_OPTS (extra options for
# apt-get and apt-cache, e.g. a private sources list and lists dir; when it sets APT::Architectures,
# dpkg's foreign architectures are left alone).
# Concurrent runs are serialised with flock on <cache>/.lock.
#
# Exit status: 0 ready; 1 any other failure (package missing, hash mismatch, …); 2 usage;
# 3 Debian's archive cannot be reached (no network, DNS, proxy); 4 root or sudo is needed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CACHE="${ARMLAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/armlab}/linux"
UPDATE=0 PRINT=0
for a in "$@"; do
    case "$a" in
        --update) UPDATE=1 ;;
        --print) PRINT=1 ;;
        -h | --help) sed -n '2,29p' "$0"; exit 0 ;;
        *) echo "fetch-guest: unknown option '$a'" >&2; exit 2 ;;
    esac
done

say() { echo "fetch-guest: $*" >&2; }
die() {
    echo "fetch-guest: error: $*" >&2
    exit 1
}
EXIT_OFFLINE=3 EXIT_NEED_ROOT=4
die_offline() {
    echo "fetch-guest: error: cannot reach Debian's archive: $* (no network, DNS or proxy failure; see above)" >&2
    exit "$EXIT_OFFLINE"
}
die_root() {
    echo "fetch-guest: error: root or sudo needed: $*" >&2
    exit "$EXIT_NEED_ROOT"
}
# apt reports an unreachable archive as warnings and still exits 0 (apt-get update) — read its log.
# "Failed to fetch" and "Err:" also come with an HTTP 404 (a package or suite gone): not a network fault.
unreachable() {
    grep -qiE 'could not resolve|temporary failure|could not connect|unable to connect|connection (failed|refused|timed out)|network is unreachable' "$1" ||
        { grep -qiE 'failed to fetch|^W: Failed|^Err:' "$1" && ! grep -qE '\b404\b' "$1"; }
}
read -r -a APT_OPTS <<<"${ARMLAB_APT_OPTS:-}"

case "$CACHE" in
    "$ROOT"/*) die "the cache dir $CACHE is inside the repository; set ARMLAB_CACHE or XDG_CACHE_HOME elsewhere" ;;
esac
mkdir -p "$CACHE/debs"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
    say "another fetch holds $CACHE/.lock; waiting"
    flock 9
fi

# Re-check what is cached: every file listed in SHA256SUMS must still match.
verify_cache() {
    [ -s "$CACHE/SHA256SUMS" ] && [ -s "$CACHE/guest.env" ] || return 1
    (cd "$CACHE" && sha256sum --quiet --strict -c SHA256SUMS >/dev/null 2>&1)
}

if [ "$PRINT" = 1 ]; then
    verify_cache || die "no verified guest in $CACHE: run 'npm run guest:fetch' first"
    cat "$CACHE/guest.env"
    exit 0
fi

for c in apt-get apt-cache dpkg-deb sha256sum node; do
    command -v "$c" >/dev/null 2>&1 || die "'$c' is missing: this script needs Debian's apt and dpkg tools (and Node.js)"
done

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif sudo -n true 2>/dev/null; then sudo -n "$@"
    else return 1; fi
}

can_root() { [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null; }

# arm64 package lists: dpkg must know the architecture and apt must have its Packages files.
case " ${APT_OPTS[*]:-} " in
    *APT::Architectures*) ;;
    *)
        if ! dpkg --print-foreign-architectures | grep -qx arm64 && [ "$(dpkg --print-architecture)" != arm64 ]; then
            say "adding the arm64 architecture to dpkg (package lists only; nothing is installed)"
            can_root || die_root "dpkg does not know arm64; run: sudo dpkg --add-architecture arm64 && sudo apt-get update"
            as_root dpkg --add-architecture arm64 || die "dpkg --add-architecture arm64 failed"
            UPDATE=1
        fi
        ;;
esac
if ! apt-cache "${APT_OPTS[@]}" show busybox-static:arm64 >/dev/null 2>&1; then UPDATE=1; fi
if [ "$UPDATE" = 1 ]; then
    say "apt-get update"
    can_root || die_root "apt-get update must run as root; run: sudo apt-get update (then this script again)"
    st=0
    as_root apt-get "${APT_OPTS[@]}" update -q >"$CACHE/apt-update.log" 2>&1 || st=$?
    if unreachable "$CACHE/apt-update.log"; then
        grep -iE '^(W|E|Err):' "$CACHE/apt-update.log" | head -20 | sed 's/^/  /' >&2
        die_offline "apt-get update could not download the package lists"
    fi
    if [ "$st" != 0 ]; then
        sed 's/^/  /' "$CACHE/apt-update.log" >&2
        die "apt-get update failed with status $st (see above)"
    fi
fi

# Concrete package behind a metapackage: linux-image-cloud-arm64 → linux-image-6.1.0-NN-cloud-arm64.
concrete() {
    local meta="$1" dep
    apt-cache "${APT_OPTS[@]}" show "$meta:arm64" >/dev/null 2>&1 || die "package $meta:arm64 is not in the apt lists (is Debian's main archive in sources.list? try --update)"
    dep="$(apt-cache "${APT_OPTS[@]}" depends "$meta:arm64" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -1)"
    [ -n "$dep" ] || die "cannot tell which kernel $meta:arm64 depends on"
    echo "$dep"
}

# apt-get download verifies the .deb against the signed archive (Release → Packages → SHA256);
# we also check the file's sha256 against the Packages entry ourselves and record it.
download() {
    local pkg="$1" ver want file
    ver="$(apt-cache "${APT_OPTS[@]}" policy "$pkg:arm64" | sed -n 's/^ *Candidate: //p')"
    [ -n "$ver" ] && [ "$ver" != "(none)" ] || die "package $pkg:arm64 has no candidate version in the apt lists (missing from the archive? try --update)"
    want="$(apt-cache "${APT_OPTS[@]}" show "$pkg:arm64=$ver" | sed -n 's/^SHA256: //p' | head -1)"
    [ -n "$want" ] || die "no SHA256 for $pkg:arm64=$ver in the apt lists"
    file="$(ls "$CACHE/debs/${pkg}_"*"_arm64.deb" 2>/dev/null | while read -r f; do
        [ "$(sha256sum <"$f" | cut -d' ' -f1)" = "$want" ] && echo "$f"
    done | head -1 || true)"
    if [ -z "$file" ]; then
        say "downloading $pkg:arm64 $ver"
        if ! (cd "$CACHE/debs" && apt-get "${APT_OPTS[@]}" download -q "$pkg:arm64=$ver") >"$CACHE/apt-download.log" 2>&1; then
            sed 's/^/  /' "$CACHE/apt-download.log" >&2
            unreachable "$CACHE/apt-download.log" && die_offline "cannot download $pkg:arm64"
            grep -qiE '404|not found' "$CACHE/apt-download.log" && die "$pkg:arm64 $ver is no longer in the archive: run with --update"
            die "apt-get download $pkg:arm64 failed (see above)"
        fi
        file="$(ls -t "$CACHE/debs/${pkg}_"*"_arm64.deb" | head -1)"
    fi
    [ "$(sha256sum <"$file" | cut -d' ' -f1)" = "$want" ] || die "$file does not match the archive's SHA256 $want"
    echo "$file"
}

# Extract one path (a glob inside the package) from a .deb to $2.
extract() {
    local deb="$1" pattern="$2" out="$3" tmp
    tmp="$(mktemp -d "$CACHE/.x.XXXXXX")"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards "./$pattern" 2>/dev/null || die "$pattern not found in $deb"
    mv -f "$(ls -d "$tmp"/$pattern | head -1)" "$out.tmp" || die "$pattern not found in $deb"
    mv -f "$out.tmp" "$out"
    rm -rf "$tmp"
}

CLOUD_PKG="$(concrete linux-image-cloud-arm64)"
PLAIN_PKG="$(concrete linux-image-arm64)"
CLOUD_VER="${CLOUD_PKG#linux-image-}"
PLAIN_VER="${PLAIN_PKG#linux-image-}"
CLOUD_DEB="$(download "$CLOUD_PKG")"
PLAIN_DEB="$(download "$PLAIN_PKG")"
BUSYBOX_DEB="$(download busybox-static)"

# Products, rebuilt only when missing or their input changed.
stamp="$CACHE/.inputs"
# (The .debs were just checked against the archive's hashes: their names identify them.)
inputs="$(basename -a "$CLOUD_DEB" "$PLAIN_DEB" "$BUSYBOX_DEB" | tr '\n' ' ') $(sha256sum <"$ROOT/scripts/mkinitramfs.mjs" | cut -d' ' -f1)"
if ! verify_cache || [ "$(cat "$stamp" 2>/dev/null)" != "$inputs" ]; then
    say "extracting kernels and building the initramfs"
    rm -f "$CACHE"/vmlinuz-* "$CACHE"/System.map-*
    extract "$CLOUD_DEB" "boot/vmlinuz-$CLOUD_VER" "$CACHE/vmlinuz-$CLOUD_VER"
    extract "$CLOUD_DEB" "boot/System.map-$CLOUD_VER" "$CACHE/System.map-$CLOUD_VER"
    extract "$PLAIN_DEB" "boot/vmlinuz-$PLAIN_VER" "$CACHE/vmlinuz-$PLAIN_VER"
    extract "$PLAIN_DEB" "boot/System.map-$PLAIN_VER" "$CACHE/System.map-$PLAIN_VER"
    extract "$BUSYBOX_DEB" "bin/busybox" "$CACHE/busybox"
    node "$ROOT/scripts/mkinitramfs.mjs" "$CACHE/busybox" "$CACHE/initramfs.cpio.gz"
    # Sourceable: every value single-quoted (a quote inside becomes '\'').
    q() { local s=$1 sq="'" esc="'\\''"; printf "'%s'" "${s//$sq/$esc}"; }
    {
        echo "KERNEL=$(q "$CACHE/vmlinuz-$CLOUD_VER")"
        echo "SYSTEM_MAP=$(q "$CACHE/System.map-$CLOUD_VER")"
        echo "KERNEL_ARM64=$(q "$CACHE/vmlinuz-$PLAIN_VER")"
        echo "SYSTEM_MAP_ARM64=$(q "$CACHE/System.map-$PLAIN_VER")"
        echo "INITRD=$(q "$CACHE/initramfs.cpio.gz")"
        echo "MARKER=$(q 'ARMLAB-MARKER: init reached')"
    } >"$CACHE/guest.env.tmp"
    mv -f "$CACHE/guest.env.tmp" "$CACHE/guest.env"
    (cd "$CACHE" && sha256sum "debs/$(basename "$CLOUD_DEB")" "debs/$(basename "$PLAIN_DEB")" "debs/$(basename "$BUSYBOX_DEB")" \
        "vmlinuz-$CLOUD_VER" "System.map-$CLOUD_VER" "vmlinuz-$PLAIN_VER" "System.map-$PLAIN_VER" busybox initramfs.cpio.gz guest.env >SHA256SUMS.tmp)
    mv -f "$CACHE/SHA256SUMS.tmp" "$CACHE/SHA256SUMS"
    echo "$inputs" >"$stamp"
    # Old .debs of superseded versions.
    for f in "$CACHE"/debs/*.deb; do
        case "$f" in "$CLOUD_DEB" | "$PLAIN_DEB" | "$BUSYBOX_DEB") ;; *) rm -f "$f" ;; esac
    done
fi
verify_cache || die "cache verification failed in $CACHE (SHA256SUMS mismatch); delete $CACHE and retry"
say "ready in $CACHE"
cat "$CACHE/guest.env"

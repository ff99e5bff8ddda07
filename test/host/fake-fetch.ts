// A stand-in for scripts/fetch-guest.sh (no network): prints the real script's status lines on stderr,
// grows a .deb in the cache while "downloading", writes a kernel, an initramfs and guest.env as the real
// script does, and prints guest.env. `fail` makes it stop with the real script's error line instead.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function writeFakeFetchScript(dir: string, opts: { fail?: boolean; stepMs?: number } = {}): string {
  const file = path.join(dir, opts.fail ? 'fake-fetch-fail.sh' : 'fake-fetch.sh');
  const pause = ((opts.stepMs ?? 300) / 1000).toFixed(2);
  const failure = [
    'echo "  E: Failed to fetch http://deb.debian.org/... Temporary failure resolving" >&2',
    `echo "fetch-guest: error: cannot download linux-image-6.1.0-99-cloud-arm64:arm64: no network access to Debian's archive" >&2`,
    'exit 1',
  ];
  const lines = [
    '#!/usr/bin/env bash',
    'set -euo pipefail',
    'CACHE="$ARMLAB_CACHE/linux"',
    'mkdir -p "$CACHE/debs"',
    'say() { echo "fetch-guest: $*" >&2; }',
    'say "apt-get update"',
    `sleep ${pause}`,
    'say "downloading linux-image-6.1.0-99-cloud-arm64:arm64 6.1.999-1"',
    ...(opts.fail ? failure : []),
    `for i in 1 2 3 4; do head -c 262144 /dev/zero >>"$CACHE/debs/linux-image-6.1.0-99-cloud-arm64_6.1.999-1_arm64.deb"; sleep ${pause}; done`,
    'say "downloading linux-image-6.1.0-99-arm64:arm64 6.1.999-1"',
    'head -c 1048576 /dev/zero >"$CACHE/debs/linux-image-6.1.0-99-arm64_6.1.999-1_arm64.deb"',
    `sleep ${pause}`,
    'say "downloading busybox-static:arm64 1:1.35.0-4+b3"',
    'head -c 65536 /dev/zero >"$CACHE/debs/busybox-static_1.35.0-4+b3_arm64.deb"',
    `sleep ${pause}`,
    'say "extracting kernels and building the initramfs"',
    `printf 'not a kernel' >"$CACHE/vmlinuz-6.1.0-99-cloud-arm64"`,
    `printf 'not an initramfs' >"$CACHE/initramfs.cpio.gz"`,
    `printf 'KERNEL=%s\\nINITRD=%s\\nMARKER=%s\\n' "$CACHE/vmlinuz-6.1.0-99-cloud-arm64" "$CACHE/initramfs.cpio.gz" "'ARMLAB-MARKER: init reached'" >"$CACHE/guest.env"`,
    'say "ready in $CACHE"',
    'cat "$CACHE/guest.env"',
  ];
  writeFileSync(file, lines.join('\n') + '\n');
  chmodSync(file, 0o755);
  return file;
}

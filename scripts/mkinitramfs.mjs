#!/usr/bin/env node
// Builds the busybox initramfs for the Linux guest: a gzip'd cpio "newc" archive
// written here (no root, no cpio binary needed: device nodes are just header fields).
//
//   node scripts/mkinitramfs.mjs <busybox> <out.cpio.gz>
//
// /init mounts proc, sys and devtmpfs, prints the marker line and starts a shell
// on the console. Deterministic: fixed mtimes and inode numbers, so the same
// busybox gives the same bytes (and sha256).
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export const MARKER = 'ARMLAB-MARKER: init reached';

const INIT = `#!/bin/busybox sh
/bin/busybox mkdir -p /proc /sys /dev /tmp /root
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
echo "${MARKER}"
cd /root
# A shell on the console with a controlling terminal (Ctrl-C works). (No fallback after an
# exec: a non-interactive shell whose exec fails exits, and the kernel panics with init's status.)
exec setsid cttyhack sh
`;

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

function header(ino, mode, nlink, size, rdevMajor, rdevMinor, name) {
  const hex = (v) => (v >>> 0).toString(16).padStart(8, '0');
  const fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdevMajor, rdevMinor, name.length + 1, 0];
  return Buffer.from('070701' + fields.map(hex).join('') + name + '\0', 'latin1');
}

function pad4(n) {
  return Buffer.alloc((4 - (n % 4)) % 4);
}

export function newc(entries) {
  const parts = [];
  let ino = 1;
  for (const e of [...entries, { name: 'TRAILER!!!', mode: 0, data: Buffer.alloc(0) }]) {
    const data = e.data ?? Buffer.alloc(0);
    const h = header(
      e.name === 'TRAILER!!!' ? 0 : ino++,
      e.mode,
      e.mode & S_IFDIR ? 2 : 1,
      data.length,
      e.major ?? 0,
      e.minor ?? 0,
      e.name,
    );
    parts.push(h, pad4(h.length), data, pad4(data.length));
  }
  const out = Buffer.concat(parts);
  // Pad the archive to a 512-byte multiple, as cpio does.
  return Buffer.concat([out, Buffer.alloc((512 - (out.length % 512)) % 512)]);
}

function main() {
  const [busybox, out] = process.argv.slice(2);
  if (!busybox || !out) {
    process.stderr.write('usage: mkinitramfs.mjs <busybox> <out.cpio.gz>\n');
    process.exit(2);
  }
  const dir = (name) => ({ name, mode: S_IFDIR | 0o755 });
  const entries = [
    dir('bin'),
    dir('sbin'),
    dir('usr'),
    dir('usr/bin'),
    dir('usr/sbin'),
    dir('dev'),
    // The kernel opens /dev/console before /init runs (devtmpfs is not mounted yet).
    { name: 'dev/console', mode: S_IFCHR | 0o600, major: 5, minor: 1 },
    { name: 'dev/null', mode: S_IFCHR | 0o666, major: 1, minor: 3 },
    dir('proc'),
    dir('sys'),
    dir('tmp'),
    dir('root'),
    dir('etc'),
    { name: 'bin/busybox', mode: S_IFREG | 0o755, data: readFileSync(busybox) },
    { name: 'bin/sh', mode: 0o120000 | 0o777, data: Buffer.from('busybox') },
    { name: 'init', mode: S_IFREG | 0o755, data: Buffer.from(INIT) },
  ];
  const gz = gzipSync(newc(entries), { level: 9 });
  writeFileSync(out + '.tmp', gz);
  renameSync(out + '.tmp', out);
}

if (import.meta.url === `file://${process.argv[1]}`) main();

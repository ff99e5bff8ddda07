#!/usr/bin/env node
// Write a directory tree as an uncompressed initramfs: the cpio "newc" format the
// Linux kernel unpacks (Documentation/driver-api/early-userspace/buffer-format.rst).
// Used by scripts/kvm-arm64-lane.sh, so the lane needs no cpio package. Every entry
// is owned by root; modes, symlinks and mtimes come from the tree.
//
//   node scripts/kvm-arm64-cpio.mjs <dir> <out.cpio>
//
// Uncompressed on purpose: under TCG the guest kernel spends seconds inflating a gzip'ed one.
import { closeSync, lstatSync, openSync, readFileSync, readdirSync, readlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) {
  process.stderr.write('usage: kvm-arm64-cpio.mjs <dir> <out.cpio>\n');
  process.exit(2);
}

const fd = openSync(out, 'w');
let offset = 0;
let ino = 1;
const write = (buf) => {
  writeSync(fd, buf);
  offset += buf.length;
};
const pad4 = () => {
  if (offset % 4) write(Buffer.alloc(4 - (offset % 4)));
};
const hex = (n) => (n >>> 0).toString(16).padStart(8, '0');

function entry(name, st, data) {
  const nameBuf = Buffer.from(name + '\0');
  const fields = [ino++, st.mode, 0, 0, st.nlink ?? 1, Math.floor(st.mtimeMs / 1000), data.length, 0, 0, 0, 0, nameBuf.length, 0];
  write(Buffer.from('070701' + fields.map(hex).join(''), 'ascii'));
  write(nameBuf);
  pad4();
  write(data);
  pad4();
}

function walk(rel) {
  const abs = rel === '.' ? dir : join(dir, rel);
  const st = lstatSync(abs);
  if (st.isSymbolicLink()) return entry(rel, { ...st, mode: st.mode, nlink: 1, mtimeMs: st.mtimeMs }, Buffer.from(readlinkSync(abs)));
  if (st.isDirectory()) {
    if (rel !== '.') entry(rel, { mode: st.mode, nlink: 2, mtimeMs: st.mtimeMs }, Buffer.alloc(0));
    for (const e of readdirSync(abs).sort()) walk(rel === '.' ? e : `${rel}/${e}`);
    return;
  }
  if (st.isFile()) return entry(rel, { mode: st.mode, nlink: 1, mtimeMs: st.mtimeMs }, readFileSync(abs));
  // Device nodes, FIFOs, sockets: the lane's /init mounts devtmpfs instead.
}

walk('.');
entry('TRAILER!!!', { mode: 0, nlink: 1, mtimeMs: 0 }, Buffer.alloc(0));
if (offset % 512) write(Buffer.alloc(512 - (offset % 512)));
closeSync(fd);

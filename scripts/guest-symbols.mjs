#!/usr/bin/env node
// Kernel symbols for triage. Debian's linux-image packages ship a placeholder System.map
// ("The real System.map is in the linux-image-<version>-dbg package"), so this boots the
// cached kernel once under QEMU with `nokaslr` (armlab passes no kaslr-seed, so its kernel
// is never randomised either: the addresses match) and saves /proc/kallsyms in the cache.
//
//   node scripts/guest-symbols.mjs [--kernel FILE] [PC ...]
//
// With PCs (hex, as the CLI prints them), prints symbol+offset for each.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let kernel;
const pcs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--kernel') kernel = args[++i];
  else pcs.push(args[i]);
}
const env = Object.fromEntries(
  execFileSync('bash', [path.join(root, 'scripts/fetch-guest.sh'), '--print'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^(\w+)=(.*)$/.exec(l))
    .filter(Boolean)
    .map((m) => [m[1], m[2].replace(/^'(.*)'$/, '$1')]),
);
kernel ??= env.KERNEL;
const out = kernel.replace(/vmlinuz-([^/]*)$/, 'kallsyms-$1.txt');

function dump() {
  return new Promise((resolve, reject) => {
    const q = spawn('qemu-system-aarch64', [
      ...['-M', 'virt,gic-version=3', '-cpu', 'cortex-a57', '-m', '512M', '-nographic', '-no-reboot'],
      ...['-kernel', kernel, '-initrd', env.INITRD, '-append', 'console=ttyAMA0 nokaslr'],
    ]);
    let text = '';
    let sent = false;
    const timer = setTimeout(() => {
      q.kill('SIGKILL');
      reject(new Error('QEMU did not reach the shell in 120 s'));
    }, 120_000);
    q.stdout.on('data', (b) => {
      text += b.toString('latin1');
      if (!sent && /init reached[\s\S]*# /.test(text)) {
        sent = true;
        q.stdin.write('cat /proc/kallsyms; poweroff -f\n');
      }
    });
    q.on('close', () => {
      clearTimeout(timer);
      const lines = text.split(/\r?\n/).filter((l) => /^[0-9a-f]{16} \w /.test(l));
      if (lines.length < 1000) reject(new Error('no /proc/kallsyms in the output'));
      else resolve(lines.join('\n') + '\n');
    });
  });
}

if (!existsSync(out)) {
  writeFileSync(out, await dump());
  process.stderr.write(`guest-symbols: wrote ${out}\n`);
}
if (pcs.length === 0) {
  console.log(out);
} else {
  const syms = readFileSync(out, 'utf8')
    .split('\n')
    .map((l) => l.split(' '))
    .filter((p) => p.length >= 3 && /[tTwW]/.test(p[1]))
    .map((p) => [BigInt('0x' + p[0]), p[2]])
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (const s of pcs) {
    const pc = BigInt(s.startsWith('0x') ? s : '0x' + s);
    let best;
    for (const e of syms) {
      if (e[0] > pc) break;
      best = e;
    }
    console.log(`${s} ${best ? `${best[1]}+0x${(pc - best[0]).toString(16)}` : '?'}`);
  }
}

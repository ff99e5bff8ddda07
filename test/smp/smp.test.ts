// SMP guests under armlab (one worker thread per vCPU) and under QEMU -smp N:
// identical output and status. The guests check their own invariants (exact
// spinlock/LSE totals, no stale translation after a completed TLBI VAE1IS + DSB).
import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { qemuArgs, qemuBinary } from '../guest/qemu';
import { runProcess } from '../guest/run';

const root = path.resolve(__dirname, '../..');
const out = path.join(root, 'resources/guest/out');
const hasQemu = spawnSync(qemuBinary, ['--version']).status === 0;
if (!hasQemu) console.log('smp.test: qemu-system-aarch64 not installed; the QEMU comparison is skipped');

function armlab(elf: string, cpus: number) {
  return runProcess(process.execPath, [path.join(root, 'bin/armlab.mjs'), 'run', elf, '--cpu', 'max', '--cpus', String(cpus), '--timeout', '60'], 70_000, root);
}

function qemu(elf: string, cpus: number) {
  const args = qemuArgs(elf, {});
  return runProcess(qemuBinary, [...args, '-smp', String(cpus)], 60_000, root);
}

describe('SMP guests', () => {
  beforeAll(() => {
    if (!existsSync(path.join(out, 'smp_counter.elf'))) spawnSync('bash', [path.join(root, 'resources/guest/build.sh')], { stdio: 'inherit' });
  });
  for (const prog of ['smp_counter', 'smp_shootdown']) {
    for (const cpus of [2, 4]) {
      it(`${prog} on ${cpus} vCPUs`, async () => {
        const elf = path.join(out, `${prog}.elf`);
        const a = await armlab(elf, cpus);
        expect(a.stderr).toBe('');
        expect(a.stdout).toContain(`cpus ${cpus}\n`);
        expect(a.status).toBe(0);
        if (hasQemu) {
          const q = await qemu(elf, cpus);
          expect(a.stdout).toBe(q.stdout);
          expect(a.status).toBe(q.status);
        }
      });
    }
  }
});

// SGIs between vCPUs through a GICv2 (armlab --gic 2, one worker per vCPU, the GIC state
// shared between them) against QEMU -M virt,gic-version=2 -smp N: identical output and
// status. The guest checks the sender each GICC_IAR names and the broadcast filter.
import { describe, it, expect, beforeAll } from 'vitest';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { qemuArgs, qemuBinary } from '../guest/qemu';
import { runProcess } from '../guest/run';

const root = path.resolve(__dirname, '../..');
const elf = path.join(root, 'resources/guest/out/smp_ipi_v2.elf');
const hasQemu = spawnSync(qemuBinary, ['--version']).status === 0;

describe('SMP guests on a GICv2', () => {
  beforeAll(() => {
    if (!existsSync(elf)) spawnSync('bash', [path.join(root, 'resources/guest/build.sh'), 'smp_ipi_v2'], { stdio: 'inherit' });
  });
  for (const cpus of [2, 4]) {
    it(`smp_ipi_v2 on ${cpus} vCPUs: SGIR target lists, GICC_IAR source CPU, the broadcast filter`, async () => {
      const cli = [path.join(root, 'bin/armlab.mjs'), 'run', elf, '--cpu', 'max', '--cpus', String(cpus), '--gic', '2', '--timeout', '60'];
      const a = await runProcess(process.execPath, cli, 70_000, root);
      expect(a.stderr).toBe('');
      expect(a.stdout).toContain(`cpus ${cpus}\n`);
      expect(a.stdout).toContain('wrong sources 0');
      expect(a.status).toBe(0);
      if (hasQemu) {
        const q = await runProcess(qemuBinary, [...qemuArgs(elf, { gic: 2 }), '-smp', String(cpus)], 60_000, root);
        expect(a.stdout).toBe(q.stdout);
        expect(a.status).toBe(q.status);
      }
    });
  }
});

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

function armlab(elf: string, cpus: number, cpu = 'max', ...extra: string[]) {
  return runProcess(
    process.execPath,
    [path.join(root, 'bin/armlab.mjs'), 'run', elf, '--cpu', cpu, '--cpus', String(cpus), '--timeout', '60', ...extra],
    70_000,
    root,
  );
}

function qemu(elf: string, cpus: number) {
  const args = qemuArgs(elf, {});
  return runProcess(qemuBinary, [...args, '-smp', String(cpus)], 60_000, root);
}

describe('SMP guests', () => {
  beforeAll(() => {
    if (!existsSync(path.join(out, 'smp_counter.elf')))
      spawnSync('bash', [path.join(root, 'resources/guest/build.sh')], { stdio: 'inherit' });
  });
  it('smp_whoami on 3 vCPUs: MPIDR and MIDR of every CPU as QEMU gives them', async () => {
    const elf = path.join(out, 'smp_whoami.elf');
    const a = await armlab(elf, 3);
    expect(a.stdout).toBe('cpu0 mpidr 0\ncpu1 mpidr 1 midr f0510\ncpu2 mpidr 2 midr f0510\n');
    if (hasQemu) expect(a.stdout).toBe((await qemu(elf, 3)).stdout);
  });

  it('big.LITTLE: 2x Cortex-A72 + 2x Cortex-A53 in two clusters, each with its own MIDR (Arm TRMs: A72 r0p3, A53 r0p4)', async () => {
    const elf = path.join(out, 'smp_whoami.elf');
    const a = await armlab(elf, 4, '2xcortex-a72,2xcortex-a53');
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe('cpu0 mpidr 0\ncpu1 mpidr 1 midr 410fd083\ncpu2 mpidr 100 midr 410fd034\ncpu3 mpidr 101 midr 410fd034\n');
  });

  for (const prog of ['smp_counter', 'smp_shootdown', 'smp_ipi', 'smp_atomic128']) {
    for (const cpus of [2, 3, 4]) {
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

  for (const prog of ['smp_counter', 'smp_shootdown']) {
    it(`${prog} on 8 vCPUs (the maximum)`, async () => {
      const a = await armlab(path.join(out, `${prog}.elf`), 8);
      expect(a.stderr).toBe('');
      expect(a.stdout).toContain('cpus 8\n');
      if (prog === 'smp_counter') {
        expect(a.stdout).toMatch(/locked total (\d+) \(expected \1\)/);
        expect(a.stdout).toMatch(/atomic total (\d+) \(expected \1\)/);
      } else expect(a.stdout).toContain('stale reads after the flush point: 0\n');
      expect(a.status).toBe(0);
    });
  }

  // Regression: plain 64-bit LDR/STR/LDP/STP were two 32-bit host accesses, so another vCPU
  // could read half of one store and half of the next (9658 torn of 1.2M reads before the fix).
  it('smp_tear: aligned 64-bit accesses are single-copy atomic across vCPU workers', async () => {
    const elf = path.join(out, 'smp_tear.elf');
    const a = await armlab(elf, 2, 'max', '--append', '1');
    expect(a.stdout).toBe('torn reads: 0\nwriter seen changing 20000 times: yes\n');
    if (hasQemu) {
      const b = await armlab(elf, 2);
      expect(b.stdout).toBe((await qemu(elf, 2)).stdout);
    }
  });

  // One vCPU (the board's run loop, not an SMP worker): the event stream alone wakes WFE
  // (before, only the WFE cap did: median "no"). QEMU 7.2's WFE does not sleep; same output.
  it('wfe_evtstream on one vCPU: the event stream wakes WFE', async () => {
    const elf = path.join(out, 'wfe_evtstream.elf');
    const a = await armlab(elf, 1, 'max', '--append', '1');
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe('event stream rounds: 20\nmedian wake-up under 5 ms: yes\n');
    if (hasQemu) expect((await armlab(elf, 1)).stdout).toBe((await qemu(elf, 1)).stdout);
  });

  // SEV was local only and WFE slept to its 10 ms cap; now SEV, a cleared exclusive monitor and
  // the event stream wake a WFE (base: every median "no").
  it('smp_sev: SEV, the exclusive monitor and the event stream wake WFE promptly', async () => {
    const elf = path.join(out, 'smp_sev.elf');
    const a = await armlab(elf, 2, 'max', '--append', '1');
    expect(a.stderr).toBe('');
    expect(a.stdout).toBe(
      'sevl+wfe: ok\nsev rounds: 20\nmonitor rounds: 20\nevent stream rounds: 20\n' +
        'event stream median wake-up under 5 ms: yes\nsev median wake-up under 2 ms: yes\nmonitor median wake-up under 2 ms: yes\n',
    );
    if (hasQemu) {
      const b = await armlab(elf, 2);
      expect(b.stdout).toBe((await qemu(elf, 2)).stdout);
    }
  });
});

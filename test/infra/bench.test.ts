// `npm run bench` tooling: the benchmark guests build, run to their exit under
// armlab and QEMU, and armlab counts exactly the instructions their loops
// should run (the bench refuses other counts). Speed is not asserted here:
// the runs are a few milliseconds long and the figures are ignored.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBench, type BenchReport } from '../../cli/bench.js';

const root = path.resolve(import.meta.dirname, '../..');

function have(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const haveToolchain = have(`${process.env.CROSS_COMPILE ?? 'aarch64-linux-gnu-'}gcc`);
const qemu = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';
const haveQemu = have(qemu);

describe.skipIf(!haveToolchain)('benchmark guests', () => {
  beforeAll(() => {
    execFileSync('bash', [path.join(root, 'resources/bench/build.sh')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
  }, 120_000);

  it(`run to their exit under armlab${haveQemu ? ' and QEMU' : ' (QEMU not installed: armlab only)'}`, () => {
    const r = runBench({
      programs: ['alu', 'hotload', 'pagestride'],
      targetSec: 0.05,
      repeat: 1,
      cpu: 'max',
      qemu: haveQemu ? qemu : undefined,
      command: 'test',
    });
    if ('error' in r) throw new Error(r.error);
    const report: BenchReport = r;
    expect(report.rows.map((row) => row.name)).toEqual(['alu', 'hotload', 'pagestride']);
    for (const row of report.rows) {
      expect(row.armlab, `${row.name} under armlab`).not.toHaveProperty('error');
      if (haveQemu) expect(row.qemu, `${row.name} under QEMU`).not.toHaveProperty('error');
    }
  }, 120_000);
});

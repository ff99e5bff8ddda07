// Differential fuzzing, armlab against QEMU: a few thousand random instruction
// sequences drawn from the decode table (seed fixed, so every run draws the
// same ones while the table stays the same), each run from a random initial
// state in the guest harness; registers, flags, FP status, vector registers,
// exceptions and memory writes must match. `npm run fuzz` runs more.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, runFuzz } from '../../cli/fuzz';

function haveCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const cross = process.env.CROSS_COMPILE ?? 'aarch64-linux-gnu-';
const haveTools =
  haveCommand(`${cross}gcc`) && haveCommand(`${cross}objdump`) && haveCommand(process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64');

describe.skipIf(!haveTools)('differential fuzzer', () => {
  it('runs 3000 random sequences with no mismatch against QEMU (seed 1)', async () => {
    const lines: string[] = [];
    const s = await runFuzz({ ...DEFAULTS, seed: 1, count: 3000, show: 5, log: (l) => lines.push(l) });
    // the counts are the point of this test: print them whatever the outcome
    console.log([...lines, s.report].join('\n'));
    expect(s.oracleFailures, 'QEMU (the oracle) failed to report some slots').toBe(0);
    expect(s.sequences).toBe(3000);
    expect(s.mismatches, s.report).toBe(0);
  }, 600_000);
});

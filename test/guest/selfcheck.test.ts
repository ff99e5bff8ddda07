// Self-checking guest programs that only armlab can run (`//! only: armlab` in the
// source): cases where QEMU 7.2 cannot serve as the oracle (RAM above 2^48, where its
// virt board cannot place any) or is wrong (the program cites the Arm rule). Each one
// computes its expected values from its own tables and the architecture, prints
// "FAIL ..." lines for mismatches and a final "PASS" line, and exits with its status.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runArmlab } from './armlab';
import { listPrograms, buildScript } from './programs';

function haveCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const cross = `${process.env.CROSS_COMPILE ?? 'aarch64-linux-gnu-'}gcc`;
const programs = listPrograms().filter((p) => p.armlabOnly);
const suite = haveCommand(cross) ? describe : describe.skip;

suite('armlab-only self-checking guest programs', () => {
  beforeAll(() => {
    execFileSync('bash', [buildScript, ...programs.map((p) => p.name)], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  }, 600_000);

  for (const p of programs) {
    it(
      `${p.name} passes`,
      async () => {
        expect(existsSync(p.elf), `${p.elf} was not built`).toBe(true);
        const r = await runArmlab(p.elf, p);
        const lines = r.stdout.split('\n');
        const report = `${p.name} output:\n${r.stdout}\n${r.stderr.trim()}`;
        expect(r.timedOut, report).toBe(false);
        expect(
          lines.filter((l) => l.startsWith('FAIL')),
          report,
        ).toEqual([]);
        expect(lines.includes('PASS'), report).toBe(true);
        expect(r.status, report).toBe(p.expectedStatus);
      },
      2 * p.timeoutMs + 30_000,
    );
  }
});

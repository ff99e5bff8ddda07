// Differential test: every guest program in resources/guest/tests must print
// the same console output and exit with the same status under armlab as under
// QEMU. A second check per program validates the oracle itself (QEMU finishes
// in time with the status the program expects).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { runArmlab } from './armlab';
import { listPrograms, buildScript, type GuestProgram } from './programs';
import { qemuBinary, runQemu } from './qemu';
import type { GuestRunResult } from './run';

function haveCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const haveToolchain = haveCommand(`${process.env.CROSS_COMPILE ?? 'aarch64-linux-gnu-'}gcc`);
const haveQemu = haveCommand(qemuBinary);
const programs = listPrograms().filter((p) => !p.armlabOnly); // armlab-only ones: selfcheck.test.ts

/** Runs at most `n` emulator processes at once (the suite targets 2 cores). */
function limiter(n: number): <T>(job: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (job) => {
    if (active >= n) await new Promise<void>((r) => waiting.push(r));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}
const limit = limiter(Math.max(2, os.availableParallelism()));

const qemuRuns = new Map<string, Promise<GuestRunResult>>();
function qemuResult(p: GuestProgram): Promise<GuestRunResult> {
  let r = qemuRuns.get(p.name);
  if (!r) {
    r = limit(() => runQemu(p.elf, p));
    qemuRuns.set(p.name, r);
  }
  return r;
}

/** A short, readable account of where two console outputs part. */
function describeDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  const n = Math.max(e.length, a.length);
  for (let i = 0; i < n; i++) {
    if (e[i] !== a[i]) {
      const ctx = e.slice(Math.max(0, i - 3), i).map((l) => `    ${l}`);
      return [
        `first difference at line ${i + 1}:`,
        ...ctx,
        `  - qemu:   ${e[i] === undefined ? '<end of output>' : JSON.stringify(e[i])}`,
        `  + armlab: ${a[i] === undefined ? '<end of output>' : JSON.stringify(a[i])}`,
      ].join('\n');
    }
  }
  return 'outputs are identical';
}

function failureReport(p: GuestProgram, q: GuestRunResult, a: GuestRunResult): string {
  const parts = [`guest ${p.name}:`];
  if (a.timedOut) parts.push(`armlab timed out after ${p.timeoutMs} ms`);
  if (q.status !== a.status) parts.push(`exit status: qemu ${q.status}, armlab ${a.status}`);
  if (q.stdout !== a.stdout) parts.push(describeDifference(q.stdout, a.stdout));
  if (!a.timedOut && q.status === a.status && a.stdout.length < q.stdout.length && q.stdout.startsWith(a.stdout)) {
    parts.push('note: armlab stdout is a truncated prefix of the expected output with the right status: output lost at exit?');
  }
  if (a.stderr.trim()) parts.push(`armlab stderr:\n${a.stderr.trim().split('\n').slice(-20).join('\n')}`);
  return parts.join('\n');
}

const missing = [haveToolchain ? '' : 'aarch64-linux-gnu-gcc', haveQemu ? '' : qemuBinary].filter(Boolean);
const suite = missing.length ? describe.skip : describe;
const title = missing.length
  ? `guest programs (skipped: ${missing.join(' and ')} not installed)`
  : `guest programs: armlab vs ${qemuBinary}`;

suite(title, () => {
  beforeAll(() => {
    execFileSync('bash', [buildScript], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 600_000 });
  }, 600_000);

  for (const p of programs) {
    const testTimeout = 4 * p.timeoutMs + 60_000;

    it.concurrent(
      `${p.name}: qemu oracle runs`,
      async () => {
        expect(existsSync(p.elf), `${p.elf} was not built`).toBe(true);
        const q = await qemuResult(p);
        expect(q.timedOut, `qemu timed out; output so far:\n${q.stdout}`).toBe(false);
        expect(q.status, `qemu exit status; output:\n${q.stdout}\n${q.stderr}`).toBe(p.expectedStatus);
      },
      testTimeout,
    );

    it.concurrent(
      `${p.name}: armlab matches qemu`,
      async () => {
        expect(existsSync(p.elf), `${p.elf} was not built`).toBe(true);
        const [q, a] = await Promise.all([qemuResult(p), limit(() => runArmlab(p.elf, p))]);
        const same = !a.timedOut && q.status === a.status && q.stdout === a.stdout;
        if (!same) {
          // The message carries the first differing line; toEqual adds the full diff.
          expect({ status: a.status, stdout: a.stdout }, failureReport(p, q, a)).toEqual({
            status: q.status,
            stdout: q.stdout,
          });
        }
        expect(a.timedOut).toBe(false);
      },
      testTimeout,
    );
  }
});

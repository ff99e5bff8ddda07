// `armlab matrix` end to end: a progress line per cell as it starts and ends, the final table (axis values,
// outcome, time, MIPS, PASS/FAIL), invalid cells reported without running, --json, and the exit status
// (0 only when every valid cell passed; 1 otherwise; 2 for usage errors). Also the axis parser.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MatrixRun } from '../../core/host/api.js';
import { buildMatrix, parseAxis } from '../../cli/matrix.js';

const root = path.resolve(import.meta.dirname, '../..');
const elf = (name: string): string => path.join(root, 'resources/guest/out', `${name}.elf`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'armlab-matrix-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function armlab(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/armlab.mjs'), 'matrix', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('armlab matrix', () => {
  it('runs exit_status.elf over CPU models × vCPU counts: progress lines, the table, an invalid cell, status 0', async () => {
    const json = path.join(tmp, 'r.json');
    const r = await armlab([
      elf('exit_status'),
      '--axis',
      'cpu=cortex-a53,max,bogus',
      '--axis',
      'cpus=1,2',
      '--expect-status',
      '42',
      '--timeout',
      '30',
      '--jobs',
      '1',
      '--json',
      json,
    ]);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines).toContain('[1/6] start    cpus.model=cortex-a53 cpus=1');
    expect(lines.some((l) => /^\[4\/6\] pass {5}cpus\.model=max cpus=2: exit 42, \d+\.\d\d s, [\d.]+ MIPS$/.test(l))).toBe(true);
    expect(lines.some((l) => l.startsWith("[5/6] invalid  cpus.model=bogus cpus=1: vCPU 0: unknown CPU model 'bogus'"))).toBe(true);
    // Invalid cells are reported before anything runs, every valid cell starts and ends in turn (one job).
    expect(lines.findIndex((l) => l.startsWith('[5/6] invalid'))).toBeLessThan(
      lines.indexOf('[1/6] start    cpus.model=cortex-a53 cpus=1'),
    );
    const table = r.stdout.slice(r.stdout.indexOf('\n#  '));
    expect(table).toMatch(/#\s+cpus\.model\s+cpus\s+outcome\s+time\s+MIPS\s+result/);
    expect(table).toMatch(/\n1\s+cortex-a53\s+1\s+exit 42\s+\d+\.\d\d s\s+[\d.]+\s+PASS/);
    expect(table).toMatch(/\n6\s+bogus\s+2\s+invalid: vCPU 0: unknown CPU model 'bogus'.*\s+invalid\n/);
    expect(table).toMatch(/6 cells: 4 passed, 0 failed, 2 invalid in \d+\.\d\d s\n$/);
    expect(r.status).toBe(0);
    const run = JSON.parse(readFileSync(json, 'utf8')) as MatrixRun;
    expect(run.cells.map((c) => c.state)).toEqual(['passed', 'passed', 'passed', 'passed', 'invalid', 'invalid']);
    expect(run.cells[0].console?.at(-1)).toBe('exiting with 42');
  }, 150_000);

  it('a failing cell makes the status 1 and says why; a console regex is judged', async () => {
    const r = await armlab([
      elf('exit_status'),
      '--axis',
      'append=a,b',
      '--expect',
      'exiting with 4[0-9]',
      '--expect-status',
      '0',
      '--timeout',
      '30',
    ]);
    expect(r.stdout).toMatch(
      /\[1\/2\] fail {5}boot\.append=a: exit 42, .* \(expected exit status 0, got exit 42; console matches \/exiting with 4\[0-9\]\/\)/,
    );
    expect(r.stdout).toMatch(/\n1\s+a\s+exit 42\s+.*FAIL\n/);
    expect(r.status).toBe(1);
  }, 150_000);

  it('a JSON matrix file with relative paths, a per-cell timeout ending a long guest', async () => {
    const file = path.join(tmp, 'm.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'from-json',
        base: {
          name: 'b',
          backend: 'tcg',
          cpus: [{ model: 'cortex-a57' }],
          memory: [{ base: 0x4000_0000, size: 2 ** 27 }],
          entryEl: 1,
          boot: { kind: 'program', path: path.relative(tmp, path.join(root, 'resources/bench/out/pagestride.elf')), append: '100000000' },
        },
        axes: [{ field: 'gic', values: [2, 3] }],
        timeoutMs: 1500,
      }),
    );
    const r = await armlab([file]);
    expect(r.stdout).toMatch(/\[1\/2\] fail {5}gic=2: timeout, /);
    expect(r.stdout).toMatch(/2 cells: 0 passed, 2 failed, 0 invalid/);
    expect(r.status).toBe(1);
  }, 60_000);

  it('usage errors: status 2 with the reason', async () => {
    const r = await armlab([elf('hello'), '--axis', 'colour=red']);
    expect(r.stderr).toMatch(/armlab matrix: --axis colour: unknown/);
    expect(r.status).toBe(2);
    const empty = await armlab([elf('hello'), '--axis', 'cpus=']);
    expect(empty.stderr).toMatch(/--axis cpus: '' is not a number/);
    expect(empty.status).toBe(2);
  });

  it('parses axes and base options as armlab run does', () => {
    expect(parseAxis('mem=128M,64M@0x100000000+1G@0x4000000000')).toEqual({
      field: 'memory',
      values: [
        [{ base: 0x4000_0000, size: 2 ** 27 }],
        [
          { base: 2 ** 32, size: 2 ** 26 },
          { base: 2 ** 38, size: 2 ** 30 },
        ],
      ],
    });
    // The same size and base rules as armlab run --mem/--ram (4 KiB multiples and alignment).
    expect(() => parseAxis('mem=1000')).toThrow(/not a multiple of 4 KiB/);
    expect(() => parseAxis('mem=128M,64M@0x100000001')).toThrow(/bad RAM base/);
    expect(parseAxis('el=1,2')).toEqual({ field: 'entryEl', values: [1, 2] });
    expect(parseAxis('check=off,on')).toEqual({ field: 'checkTlb', values: [false, true] });
    expect(parseAxis('append=console=ttyAMA0,quiet;console=ttyAMA0')).toEqual({
      field: 'boot.append',
      values: ['console=ttyAMA0,quiet', 'console=ttyAMA0'],
    });
    const { spec } = buildMatrix([
      '/x/prog.elf',
      '--cpu',
      '2xcortex-a72,2xcortex-a53',
      '--virtualization',
      '--mem',
      '256M',
      '--gic',
      '2',
      '--jobs',
      '2',
    ]);
    expect(spec.base.cpus).toEqual([
      { model: 'cortex-a72', cluster: 0 },
      { model: 'cortex-a72', cluster: 0 },
      { model: 'cortex-a53', cluster: 1 },
      { model: 'cortex-a53', cluster: 1 },
    ]);
    expect(spec.base).toMatchObject({
      entryEl: 2,
      gic: 2,
      memory: [{ base: 0x4000_0000, size: 2 ** 28 }],
      boot: { kind: 'program', path: '/x/prog.elf' },
    });
    expect(spec.jobs).toBe(2);
  });
});

/**
 * `npm run bench`: guest MIPS of armlab and of QEMU on the same bare-metal
 * programs (resources/bench/*.S), in the same run, with the ratio.
 *
 * armlab runs in this process (core/board/virt.ts VirtMachine), timed around
 * the run loop only, with the instruction count the CPU itself counted.
 * QEMU (`qemu-system-aarch64 -M virt -cpu max -semihosting -nographic -kernel`)
 * runs as a subprocess: its MIPS is the known instruction count divided by
 * (wall time − the wall time of an empty program), the best of --repeat runs.
 * Iteration counts are calibrated so each measured run takes about --seconds.
 *
 * Prints a table with the date and command line (and writes JSON with --json).
 * Speed is reported, never asserted: the exit status is non-zero only when a
 * program failed to run to its exit.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { VirtMachine } from '../core/board/virt.js';
import { detect } from '../core/loader/detect.js';
import { MODELS } from '../core/a64/models.js';

/** One benchmark guest: `instructions(n)` is the exact count of its loop for n iterations. */
interface Program {
  name: string;
  what: string;
  perIteration: number;
  /** Iterations for the first (calibration) run of each engine. */
  calibrate: { armlab: number; qemu: number };
  /** Instructions outside the loop that the program always runs (e.g. building page tables). */
  prologue?: number;
}

const PROGRAMS: Program[] = [
  { name: 'alu', what: 'dependent integer ops', perIteration: 8, calibrate: { armlab: 20_000, qemu: 20_000_000 } },
  { name: 'hotload', what: 'loads from a 64-byte buffer', perIteration: 18, calibrate: { armlab: 10_000, qemu: 10_000_000 } },
  { name: 'pagestride', what: 'one load per 4 KiB page, 8 MiB', perIteration: 2048 * 5 + 3, calibrate: { armlab: 20, qemu: 200 } },
  {
    name: 'pagestride_mmu',
    what: 'one load per 4 KiB page, 32 MiB, MMU on',
    perIteration: 8192 * 5 + 3,
    calibrate: { armlab: 5, qemu: 50 },
    // Table build: 16 L3 tables x (512 pages x 7 + 9) instructions, plus the MMU set-up.
    prologue: 16 * (512 * 7 + 9) + 60,
  },
];

/** Instructions outside the loop (command-line parsing, exit): ~10 per command-line byte, negligible at these counts. */
const instructions = (p: Program, n: number): number => p.perIteration * n + (p.prologue ?? 0);

const USAGE = `usage: npm run bench -- [options]

options:
  --only NAMES     comma-separated subset of: ${PROGRAMS.map((p) => p.name).join(', ')}
  --seconds S      target wall time of each measured run (default 2)
  --repeat N       QEMU runs per program, the best counts (default 3)
  --cpu MODEL      armlab CPU model (default max; QEMU always runs -cpu max)
  --no-qemu        measure armlab only
  --qemu PATH      QEMU binary (default qemu-system-aarch64, or $QEMU_SYSTEM_AARCH64)
  --json FILE      also write the results as JSON to FILE ('-' for stdout instead of the table)
  --quick          short runs (0.2 s, 1 repeat): checks the tooling, not the speed
`;

interface EngineResult {
  iterations: number;
  instructions: number;
  seconds: number;
  mips: number;
}
type Measurement = EngineResult | { error: string };
interface Row {
  name: string;
  what: string;
  armlab: Measurement;
  qemu?: Measurement;
  /** armlab MIPS / QEMU MIPS. */
  ratio?: number;
}

const root = findRoot();

function findRoot(): string {
  // dist/bench.js (bundled) and cli/bench.ts (source) both sit one level below the repository root.
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

const elfPath = (name: string): string => join(root, 'resources', 'bench', 'out', `${name}.elf`);

// ------------------------------------------------------------------ armlab

interface ArmlabRun {
  status: 'exit' | 'failed';
  message?: string;
  counted: number;
  seconds: number;
}

function runArmlabOnce(elf: Uint8Array, name: string, iterations: number, cpu: string, limitSec: number): ArmlabRun {
  const out: string[] = [];
  const vm = new VirtMachine(
    { cpu, mem: 128 * 2 ** 20, cmdline: String(iterations) },
    { write: (b) => out.push(Buffer.from(b).toString('latin1')) },
  );
  vm.load(detect(elf, name));
  const t0 = performance.now();
  const deadline = t0 + limitSec * 1000;
  for (;;) {
    const o = vm.runSlice(20_000_000);
    if (o.kind === 'budget') {
      if (performance.now() > deadline) return fail(`still running after ${limitSec} s`);
      continue;
    }
    const seconds = (performance.now() - t0) / 1000;
    if (o.kind === 'exit' && o.status === 0) return { status: 'exit', counted: vm.cpu.icount, seconds };
    if (o.kind === 'exit') return fail(`exit status ${o.status}`);
    if (o.kind === 'error') return fail(o.message);
    return fail(o.kind);
  }
  function fail(why: string): ArmlabRun {
    const console = out.join('').trim();
    return { status: 'failed', message: console ? `${why}; console: ${console.slice(-200)}` : why, counted: vm.cpu.icount, seconds: 0 };
  }
}

function measureArmlab(p: Program, cpu: string, targetSec: number): Measurement {
  const elf = new Uint8Array(readFileSync(elfPath(p.name)));
  let n = p.calibrate.armlab;
  let r = runArmlabOnce(elf, p.name, n, cpu, 60);
  // Grow the calibration run until it is long enough to time (a few ms of JIT warm-up would dominate).
  while (r.status === 'exit' && r.seconds < Math.min(0.2, targetSec / 4) && n < 2 ** 40) {
    n *= 8;
    r = runArmlabOnce(elf, p.name, n, cpu, 60);
  }
  if (r.status !== 'exit') return { error: r.message ?? 'failed' };
  n = Math.max(1, Math.round((n * targetSec) / r.seconds));
  r = runArmlabOnce(elf, p.name, n, cpu, targetSec * 10 + 30);
  if (r.status !== 'exit') return { error: r.message ?? 'failed' };
  const expected = instructions(p, n);
  // The CPU's own count is the truth; a count far from the loop's arithmetic means the guest did not run the loop.
  if (Math.abs(r.counted - expected) > 1000 + expected * 1e-6) {
    return { error: `counted ${r.counted} instructions, the loop should run ${expected}` };
  }
  return { iterations: n, instructions: r.counted, seconds: r.seconds, mips: r.counted / r.seconds / 1e6 };
}

// -------------------------------------------------------------------- QEMU

function qemuArgs(elf: string, iterations: number): string[] {
  // -nographic with stdin closed: no monitor on a terminal; semihosting console on stdout.
  return ['-M', 'virt', '-cpu', 'max', '-m', '128M', '-semihosting', '-nographic', '-kernel', elf, '-append', String(iterations)];
}

function runQemuOnce(qemu: string, elf: string, iterations: number, timeoutSec: number): { seconds: number } | { error: string } {
  const t0 = performance.now();
  const r = spawnSync(qemu, qemuArgs(elf, iterations), { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutSec * 1000 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) return { error: `${qemu}: ${r.error.message}` };
  if (r.signal) return { error: `killed by ${r.signal}${r.signal === 'SIGTERM' ? ` after ${timeoutSec} s` : ''}` };
  if (r.status !== 0) return { error: `exit status ${r.status}: ${r.stderr.toString().trim().slice(-300)}` };
  return { seconds };
}

function best(qemu: string, elf: string, iterations: number, repeat: number): { seconds: number } | { error: string } {
  let min = Infinity;
  for (let i = 0; i < repeat; i++) {
    const r = runQemuOnce(qemu, elf, iterations, 300);
    if ('error' in r) return r;
    min = Math.min(min, r.seconds);
  }
  return { seconds: min };
}

function measureQemu(p: Program, qemu: string, baseline: number, targetSec: number, repeat: number): Measurement {
  const elf = elfPath(p.name);
  let n = p.calibrate.qemu;
  let r = runQemuOnce(qemu, elf, n, 300);
  // The net time must stand well clear of the startup baseline before it can be scaled.
  while (!('error' in r) && r.seconds - baseline < Math.min(0.2, targetSec / 4) && n < 2 ** 40) {
    n *= 8;
    r = runQemuOnce(qemu, elf, n, 300);
  }
  if ('error' in r) return r;
  n = Math.max(1, Math.round((n * targetSec) / (r.seconds - baseline)));
  r = best(qemu, elf, n, repeat);
  if ('error' in r) return r;
  // A noisy calibration run (other work on the machine) can leave the measured run far too short: scale once more.
  if (r.seconds - baseline < targetSec / 2) {
    n = Math.max(1, Math.round((n * targetSec) / Math.max(r.seconds - baseline, 0.01)));
    r = best(qemu, elf, n, repeat);
    if ('error' in r) return r;
  }
  const net = r.seconds - baseline;
  const count = instructions(p, n);
  return { iterations: n, instructions: count, seconds: net, mips: count / net / 1e6 };
}

function qemuVersion(qemu: string): string | undefined {
  const r = spawnSync(qemu, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return /version (\S+)/.exec(r.stdout)?.[1] ?? r.stdout.split('\n')[0];
}

// ------------------------------------------------------------------ report

function commandLine(argv: string[]): string {
  const args = argv.map((a) => (/^[\w./=,:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  if (process.env.npm_lifecycle_event === 'bench') return `npm run bench${args ? ` -- ${args}` : ''}`;
  return `node ${relative(process.cwd(), process.argv[1] ?? 'dist/bench.js')}${args ? ` ${args}` : ''}`;
}

const fmt = (m: Measurement | undefined, f: (r: EngineResult) => string): string =>
  m === undefined ? '-' : 'error' in m ? 'failed' : f(m);

function mipsText(mips: number): string {
  return mips >= 100 ? mips.toFixed(0) : mips.toFixed(1);
}

function table(rows: Row[]): string {
  const head = ['program', 'loop', 'armlab MIPS', 'QEMU MIPS', 'armlab/QEMU'];
  const body = rows.map((r) => [
    r.name,
    r.what,
    fmt(r.armlab, (m) => mipsText(m.mips)),
    fmt(r.qemu, (m) => mipsText(m.mips)),
    r.ratio === undefined ? '-' : r.ratio >= 0.1 ? r.ratio.toFixed(2) : r.ratio.toFixed(4),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

function details(rows: Row[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    for (const [engine, m] of [
      ['armlab', r.armlab],
      ['qemu', r.qemu],
    ] as const) {
      if (m === undefined) continue;
      if ('error' in m) lines.push(`  ${r.name} ${engine}: FAILED: ${m.error}`);
      else
        lines.push(
          `  ${r.name} ${engine}: ${m.instructions.toExponential(3)} instructions (${m.iterations} iterations) in ${m.seconds.toFixed(3)} s`,
        );
    }
  }
  return lines.join('\n');
}

// -------------------------------------------------------------------- main

export interface BenchOptions {
  /** Program names (see PROGRAMS). */
  programs: string[];
  targetSec: number;
  repeat: number;
  /** armlab CPU model. */
  cpu: string;
  /** QEMU binary, or undefined to measure armlab only. */
  qemu?: string;
  command: string;
}

export interface BenchReport {
  date: string;
  command: string;
  host: { cpu: string; cores: number; node: string; qemu?: string; armlabCpu: string };
  targetSeconds: number;
  qemuRepeat: number;
  qemuBaselineSeconds?: number;
  rows: Row[];
}

/** Runs the benchmarks; `{ error, status }` when they cannot start (not built, no QEMU). */
export function runBench(opts: BenchOptions, log: (message: string) => void = () => {}): BenchReport | { error: string; status: number } {
  const programs = PROGRAMS.filter((p) => opts.programs.includes(p.name));
  const missing = ['empty', ...programs.map((p) => p.name)].filter((n) => !existsSync(elfPath(n)));
  if (missing.length > 0) {
    return {
      error: `not built: ${missing.map((n) => relative(root, elfPath(n))).join(', ')}\n  run: bash resources/bench/build.sh`,
      status: 2,
    };
  }
  const version = opts.qemu === undefined ? undefined : qemuVersion(opts.qemu);
  if (opts.qemu !== undefined && version === undefined) {
    return { error: `${opts.qemu} does not run (install Debian's qemu-system-arm, or pass --no-qemu)`, status: 2 };
  }
  const date = new Date().toISOString();
  let baseline: number | undefined;
  if (opts.qemu !== undefined) {
    const b = best(opts.qemu, elfPath('empty'), 1, Math.max(3, opts.repeat));
    if ('error' in b) return { error: `QEMU could not run the empty program: ${b.error}`, status: 1 };
    baseline = b.seconds;
    log(`bench: QEMU startup baseline (empty program, best of ${Math.max(3, opts.repeat)}): ${(baseline * 1000).toFixed(0)} ms\n`);
  }
  const rows: Row[] = [];
  for (const p of programs) {
    log(`bench: ${p.name}: armlab…`);
    const armlab = measureArmlab(p, opts.cpu, opts.targetSec);
    log(opts.qemu !== undefined ? ' qemu…' : '');
    const qemu = opts.qemu !== undefined ? measureQemu(p, opts.qemu, baseline ?? 0, opts.targetSec, opts.repeat) : undefined;
    log(' done\n');
    const ratio = qemu && !('error' in armlab) && !('error' in qemu) ? armlab.mips / qemu.mips : undefined;
    rows.push({ name: p.name, what: p.what, armlab, qemu, ratio });
  }
  return {
    date,
    command: opts.command,
    host: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.availableParallelism(),
      node: process.version,
      qemu: version,
      armlabCpu: opts.cpu,
    },
    targetSeconds: opts.targetSec,
    qemuRepeat: opts.repeat,
    qemuBaselineSeconds: baseline,
    rows,
  };
}

export async function main(argv: string[]): Promise<number> {
  let o;
  try {
    o = parseArgs({
      args: argv,
      options: {
        only: { type: 'string' },
        seconds: { type: 'string', default: '2' },
        repeat: { type: 'string', default: '3' },
        cpu: { type: 'string', default: 'max' },
        'no-qemu': { type: 'boolean', default: false },
        qemu: { type: 'string', default: process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64' },
        json: { type: 'string' },
        quick: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const targetSec = o.quick ? 0.2 : Number(o.seconds);
  const repeat = o.quick ? 1 : Number(o.repeat);
  if (!(targetSec > 0) || !Number.isInteger(repeat) || repeat < 1) {
    process.stderr.write(`bench: --seconds must be > 0 and --repeat a positive integer\n`);
    return 2;
  }
  if (!(o.cpu in MODELS)) {
    process.stderr.write(`bench: unknown CPU model '${o.cpu}' (known: ${Object.keys(MODELS).join(', ')})\n`);
    return 2;
  }
  const names = o.only?.split(',').map((s) => s.trim()) ?? PROGRAMS.map((p) => p.name);
  const unknown = names.filter((n) => !PROGRAMS.some((p) => p.name === n));
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown program(s) ${unknown.join(', ')} (known: ${PROGRAMS.map((p) => p.name).join(', ')})\n`);
    return 2;
  }
  const useQemu = !o['no-qemu'];
  const r = runBench(
    { programs: names, targetSec, repeat, cpu: o.cpu, qemu: useQemu ? o.qemu : undefined, command: commandLine(argv) },
    (m) => process.stderr.write(m),
  );
  if ('error' in r) {
    process.stderr.write(`bench: ${r.error}\n`);
    return r.status;
  }
  const report = r;
  const { rows, host } = report;
  if (o.json && o.json !== '-') writeFileSync(o.json, `${JSON.stringify(report, null, 2)}\n`);
  if (o.json === '-') {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(
      [
        `armlab benchmark, ${report.date}`,
        `command: ${report.command}`,
        `host: ${host.cpu}, ${host.cores} CPUs, Node ${host.node}${host.qemu ? `, QEMU ${host.qemu} (TCG)` : ''}; armlab -cpu ${host.armlabCpu}, QEMU -cpu max`,
        host.qemu
          ? `QEMU MIPS = instructions / (wall time − ${((report.qemuBaselineSeconds ?? 0) * 1000).toFixed(0)} ms startup), best of ${repeat}; armlab timed in-process`
          : 'armlab timed in-process',
        '',
        table(rows),
        '',
        details(rows),
        '',
      ].join('\n'),
    );
  }
  return report.rows.some((r) => 'error' in r.armlab || (r.qemu && 'error' in r.qemu)) ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}

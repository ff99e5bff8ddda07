/**
 * `npm run fuzz -- [--seed N] [--count N] [--len N|A-B] [--only REGEX] [--first N] …`:
 * the seeded random-instruction differential fuzzer, armlab against QEMU.
 *
 * Valid encodings drawn from the decode table (core/fuzz) fill the slots of the
 * guest harness (resources/fuzz); the patched ELF runs once under QEMU
 * (`qemu-system-aarch64 -M virt -cpu max`, the flags of test/guest/qemu.ts) and
 * once under armlab (`bin/armlab.mjs run --cpu max`), and the registers, flags,
 * FP status, vector registers, exceptions and data-buffer writes of every slot
 * are compared. For the mismatching slots a second run executes the prefixes of
 * each slot to name the first instruction whose result diverges (the culprit).
 *
 * The test suite (test/fuzz) calls runFuzz() with a fixed seed.
 */
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { a64Decoder } from '../core/a64/table/index.js';
import { MODELS } from '../core/a64/models.js';
import { Rng } from '../core/fuzz/prng.js';
import { buildPool, type Pool } from '../core/fuzz/generate.js';
import { planSlots, prefixPlans, type Disassembler, type SlotPlan } from '../core/fuzz/slots.js';
import { memoryImage } from '../core/fuzz/state.js';
import { openHarness, patchHarness, setRange, type Harness } from '../core/fuzz/harness.js';
import { compareResults, parseRecords, type Diff, type SlotResult } from '../core/fuzz/record.js';
import { FLAG_FLUSH_EACH, SLOT_BYTES } from '../core/fuzz/layout.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CROSS = process.env.CROSS_COMPILE ?? 'aarch64-linux-gnu-';
const QEMU = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';

export interface FuzzOptions {
  seed: number;
  /** Sequences to run, starting at global slot `first`. */
  count: number;
  first: number;
  minLen: number;
  maxLen: number;
  only?: RegExp;
  randomFpcr: boolean;
  /** Mismatching slots to attribute with prefix runs (0: none). */
  attribute: number;
  /** Mismatching slots to print in full. */
  show: number;
  /** Keep the patched ELFs and raw outputs in this directory. */
  keep?: string;
  /** The emulator under test: armlab, or QEMU itself (checks the fuzzer: must give no mismatches). */
  dut?: 'armlab' | 'qemu';
  log: (line: string) => void;
}

export interface SlotOutcome {
  plan: SlotPlan;
  diffs: Diff[];
  /** armlab did not report this slot (crash, timeout, harness failure). */
  armlabFailure?: string;
  /** Index of the first instruction whose prefix diverges (attribution), if known. */
  culprit?: number;
  /** Exception class that ended the slot under QEMU, if one did. */
  qemuEc?: number;
  /** armlab took UNDEFINED at this instruction where QEMU did not. */
  armlabUndefAt?: number;
  /** armlab took an alignment fault at this instruction where QEMU did not. */
  armlabAlignAt?: number;
  /** The mismatch is a known QEMU deviation from the architecture (not counted). */
  qemuDeviation?: string;
}

export interface FuzzSummary {
  sequences: number;
  mismatches: number;
  /** Slots armlab did not report (counted in mismatches too). */
  armlabFailures: number;
  /** Slots QEMU did not report (not compared). */
  oracleFailures: number;
  /** Mismatches explained by a known QEMU deviation from the architecture (not counted as mismatches). */
  qemuDeviations: number;
  poolSize: number;
  /** Mismatches by culprit encoding (attributed) or `(unattributed)`. */
  byEncoding: Map<string, number>;
  mismatched: SlotOutcome[];
  report: string;
}

export const DEFAULTS: Omit<FuzzOptions, 'log'> = {
  seed: 1,
  count: 3000,
  first: 0,
  minLen: 4,
  maxLen: 8,
  randomFpcr: false,
  attribute: 1000,
  show: 8,
};

// ---------------------------------------------------------------- subprocesses

interface ProcResult {
  stdout: Buffer;
  stderr: string;
  status: number;
  timedOut: boolean;
}

/**
 * Runs a command; with `stdoutFile` its stdout goes to that file, not a pipe:
 * QEMU's stdio chardev drops output when a pipe is full (measured: half of a
 * 2.5 MB semihosting output lost through `| cat`, none through a file).
 */
function run(cmd: string, args: string[], timeoutMs: number, stdoutFile?: string): Promise<ProcResult> {
  return new Promise((resolve) => {
    const fd = stdoutFile === undefined ? undefined : openSync(stdoutFile, 'w');
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', fd ?? 'pipe', 'pipe'] });
    if (fd !== undefined) closeSync(fd);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    const finish = (status: number, extra = ''): void => {
      clearTimeout(timer);
      resolve({
        stdout: stdoutFile === undefined ? Buffer.concat(out) : readFileSync(stdoutFile),
        stderr: Buffer.concat(err).toString('utf8') + extra,
        status,
        timedOut,
      });
    };
    child.on('error', (e) => finish(-1, `spawn ${cmd}: ${e.message}\n`));
    child.on('close', (code, signal) => finish(code ?? (signal ? 128 : -1)));
  });
}

/** QEMU command line of test/guest/qemu.ts. */
function qemuArgs(elf: string): string[] {
  return [
    '-M',
    'virt',
    '-cpu',
    'max',
    '-m',
    '128M',
    '-nodefaults',
    '-display',
    'none',
    '-monitor',
    'none',
    '-chardev',
    'stdio,id=con,mux=on',
    '-serial',
    'chardev:con',
    '-semihosting-config',
    'enable=on,target=native,chardev=con',
    '-kernel',
    elf,
  ];
}

type Emulator = 'qemu' | 'armlab';

/** QEMU runs beyond one per batch: the oracle stopped early (a harness or fuzzer bug if it happens). */
let qemuReruns = 0;

/** The emulator that runs in armlab's place (`--self-check`: QEMU). */
let dutIsQemu = false;

function runEmulator(emu: Emulator, elf: string, timeoutSec: number): Promise<ProcResult> {
  const out = `${elf}.out`;
  if (emu === 'qemu' || dutIsQemu) return run(QEMU, qemuArgs(elf), timeoutSec * 1000, out);
  const cli = path.join(repoRoot, 'bin/armlab.mjs');
  return run(process.execPath, [cli, 'run', elf, '--cpu', 'max', '--timeout', String(timeoutSec)], timeoutSec * 1000 + 10_000, out);
}

/** objdump as the decoding oracle: one call for all words. */
export function objdumpDisassembler(dir: string): Disassembler {
  let n = 0;
  return async (words) => {
    const file = path.join(dir, `cand${n++}.bin`);
    const buf = Buffer.alloc(4 * words.length);
    words.forEach((w, i) => buf.writeUInt32LE(w >>> 0, 4 * i));
    writeFileSync(file, buf);
    const r = await run(`${CROSS}objdump`, ['-D', '-z', '-b', 'binary', '-m', 'aarch64', file], 120_000);
    rmSync(file, { force: true });
    if (r.status !== 0) throw new Error(`${CROSS}objdump failed: ${r.stderr.trim()}`);
    const texts = new Array<string>(words.length).fill('');
    for (const line of r.stdout.toString('utf8').split('\n')) {
      const m = /^\s*([0-9a-f]+):\t[0-9a-f]{8}\s+\t?(.*)$/.exec(line);
      if (m) texts[parseInt(m[1], 16) / 4] = m[2].replace(/\t/g, ' ').trim();
    }
    return texts;
  };
}

// ---------------------------------------------------------------- running batches

interface EmuRun {
  /** Runs after the first one (resumes after a crash, per-slot flush runs). */
  reruns: number;
  results: Map<number, SlotResult>;
  /** Slots the emulator did not report, with the reason. */
  failures: Map<number, string>;
}

function failureText(emu: Emulator, r: ProcResult, trailer: string): string {
  const why = r.timedOut || r.status === 124 ? 'timeout' : `exit status ${r.status}`;
  // the CLI's first lines say why it stopped and where (describeCpu); the register dump follows
  const detail = [trailer.trim(), r.stderr.trim()].filter(Boolean).join('\n').split('\n').slice(0, 3).join('\n      ');
  return `${emu} stopped (${why})${detail ? `:\n      ${detail}` : ''}`;
}

/**
 * Runs slots [0, n) of the patched ELF. When the emulator stops early, the
 * slots after the last reported one run again with a flush after every slot
 * to find the slot it dies in; that slot is marked failed and the run resumes
 * after it.
 */
async function runAll(emu: Emulator, h: Harness, bytes: Uint8Array, n: number, dir: string, tag: string): Promise<EmuRun> {
  const results = new Map<number, SlotResult>();
  const failures = new Map<number, string>();
  const elf = path.join(dir, `${tag}-${emu}.elf`);
  const copy = bytes.slice();
  let start = 0;
  let flush = 0;
  let dead = 0;
  let restarts = 0;
  let runs = 0;
  while (start < n) {
    runs++;
    const end = flush ? Math.min(n, start + 200) : n;
    setRange(h, copy, start, end, flush);
    writeFileSync(elf, copy);
    const r = await runEmulator(emu, elf, Math.ceil(15 + (end - start) * (flush ? 0.05 : 0.01)));
    const parsed = parseRecords(new Uint8Array(r.stdout.buffer, r.stdout.byteOffset, r.stdout.length));
    let next = start;
    for (const rec of parsed.records) {
      if (rec.local !== next) break;
      results.set(rec.local, rec);
      next++;
    }
    if (next === end && r.status === 0 && !r.timedOut) {
      start = end;
      flush = 0;
      continue;
    }
    if (next === end && end < n) {
      start = end;
      flush = 0;
      continue;
    }
    if (!flush) {
      start = next;
      flush = FLAG_FLUSH_EACH;
      continue;
    }
    failures.set(next, failureText(emu, r, parsed.trailer));
    dead = next === start ? dead + 1 : 0;
    start = next + 1;
    flush = 0;
    if (dead >= 3 || ++restarts > 40) {
      const why =
        dead >= 3
          ? `${emu} could not run the harness (3 failed starts in a row); ${failures.get(next)}`
          : `${emu}: too many failures, gave up`;
      for (let s = start; s < n; s++) failures.set(s, why);
      break;
    }
  }
  return { results, failures, reruns: runs - 1 };
}

async function runBatch(h: Harness, plans: SlotPlan[], image: Uint8Array, dir: string, tag: string): Promise<SlotOutcome[]> {
  const bytes = patchHarness(h, plans, image);
  const [q, a] = await Promise.all([runAll('qemu', h, bytes, plans.length, dir, tag), runAll('armlab', h, bytes, plans.length, dir, tag)]);
  qemuReruns += q.reruns;
  return plans.map((plan, i) => {
    const slotAddr = h.codeAddr + BigInt(i * SLOT_BYTES);
    const qr = q.results.get(i);
    const ar = a.results.get(i);
    if (!qr) return { plan, diffs: [{ what: 'oracle', qemu: q.failures.get(i) ?? 'no record', armlab: '' }] };
    const qemuEc = qr.vec === undefined ? undefined : Number(qr.esr >> 26n) & 0x3f;
    if (!ar) return { plan, diffs: [], armlabFailure: a.failures.get(i) ?? 'no record', qemuEc };
    const at = Number((ar.elr - slotAddr) / 4n);
    const differs = qr.vec === undefined || qr.esr !== ar.esr || qr.elr !== ar.elr;
    const undef = ar.vec !== undefined && ar.esr >> 26n === 0n && differs;
    const align = ar.vec !== undefined && ar.esr >> 26n === 0x25n && (ar.esr & 0x3fn) === 0x21n && differs;
    return {
      plan,
      diffs: compareResults(qr, ar, slotAddr),
      qemuEc,
      armlabUndefAt: undef ? at : undefined,
      armlabAlignAt: align ? at : undefined,
    };
  });
}

const isOracleFailure = (o: SlotOutcome): boolean => o.diffs.length === 1 && o.diffs[0].what === 'oracle';
const isMismatch = (o: SlotOutcome): boolean => !isOracleFailure(o) && (o.armlabFailure !== undefined || o.diffs.length > 0);

// ---------------------------------------------------------------- report

function hex32(w: number): string {
  return (w >>> 0).toString(16).padStart(8, '0');
}

function lenArg(o: FuzzOptions): string {
  return o.minLen === o.maxLen ? `${o.minLen}` : `${o.minLen}-${o.maxLen}`;
}

function describeSlot(o: FuzzOptions, s: SlotOutcome): string {
  const p = s.plan;
  const only = o.only ? ` --only '${o.only.source}'` : '';
  const lines = [
    `MISMATCH seed ${o.seed} slot ${p.slot}  (reproduce: npm run fuzz -- --seed ${o.seed} --first ${p.slot} --count 1 --len ${lenArg(o)}${only}${o.randomFpcr ? ' --fpcr' : ''})`,
  ];
  if (s.culprit !== undefined)
    lines.push(`  culprit: insn ${s.culprit} ${p.names[s.culprit]} (the first prefix whose result differs ends there)`);
  for (let i = 0; i < p.len; i++) {
    const mark = i === s.culprit ? '>' : ' ';
    lines.push(`  ${mark}${String(i).padStart(2)}  ${hex32(p.words[i])}  ${p.disasm[i].padEnd(44)} ${p.names[i]}`);
  }
  const used = new Set<number>();
  for (const t of p.disasm) for (const m of t.matchAll(/\b[xw](\d+)\b/g)) used.add(Number(m[1]));
  const init = [...used]
    .filter((r) => r < 31)
    .sort((a, b) => a - b)
    .map((r) => `x${r}=0x${p.state.x[r].toString(16)}`);
  init.push(`nzcv=0x${(p.state.nzcv >>> 28).toString(16)}`, `sp=0x${p.state.sp.toString(16)}`);
  if (p.state.fpcr) init.push(`fpcr=0x${p.state.fpcr.toString(16)}`);
  lines.push(`  initial: ${init.join(' ')}`);
  if (s.armlabFailure !== undefined) lines.push(`  armlab did not report this slot: ${s.armlabFailure}`);
  else {
    lines.push('  differences (qemu | armlab):');
    for (const d of s.diffs.slice(0, 24)) lines.push(`    ${d.what.padEnd(10)} ${d.qemu.padEnd(40)} | ${d.armlab}`);
    if (s.diffs.length > 24) lines.push(`    … ${s.diffs.length - 24} more`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- the fuzzer

export function buildHarness(): string {
  execFileSync('bash', [path.join(repoRoot, 'resources/fuzz/build.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(repoRoot, 'resources/fuzz/out/harness.elf');
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const t0 = performance.now();
  dutIsQemu = o.dut === 'qemu';
  qemuReruns = 0;
  const h = openHarness(new Uint8Array(readFileSync(buildHarness())));
  const decoder = a64Decoder();
  const pool: Pool = buildPool(decoder.encodings, { features: MODELS.max.features, only: o.only });
  o.log(
    `fuzz: seed ${o.seed}, slots ${o.first}..${o.first + o.count - 1}, ${lenArg(o)} instructions each; ` +
      `drawing from ${pool.encodings.length} of ${decoder.encodings.length} table encodings` +
      (pool.dropped.length ? ` (${pool.dropped.length} not comparable or not in the model)` : ''),
  );
  if (pool.encodings.length === 0) o.log('fuzz: warning: no encodings to draw from; slots run NOPs only (checks the harness)');
  if (o.keep) mkdirSync(o.keep, { recursive: true });
  const dir = o.keep ?? mkdtempSync(path.join(os.tmpdir(), 'armlab-fuzz-'));
  const disassemble = objdumpDisassembler(dir);
  const image = memoryImage(new Rng(o.seed, -1), h.dataSize);
  const planOpts = {
    seed: o.seed,
    minLen: o.minLen,
    maxLen: o.maxLen,
    maxK: h.maxK,
    state: { dataAddr: h.dataAddr, randomFpcr: o.randomFpcr },
  };

  const outcomes: SlotOutcome[] = [];
  try {
    for (let b = 0; b < o.count; b += h.capacity) {
      const slots: number[] = [];
      for (let s = b; s < Math.min(o.count, b + h.capacity); s++) slots.push(o.first + s);
      const plans = await planSlots(slots, pool, decoder, planOpts, disassemble);
      outcomes.push(...(await runBatch(h, plans, image, dir, `batch${b / h.capacity}`)));
    }
    const candidates = outcomes.filter(isMismatch);
    await attribute(h, candidates.filter((m) => m.armlabFailure === undefined && m.plan.len > 1).slice(0, o.attribute), image, dir);
    for (const m of candidates) {
      if (m.culprit === undefined && m.plan.len === 1) m.culprit = 0;
      m.qemuDeviation = knownQemuDeviation(m);
    }
    const mismatched = candidates.filter((m) => m.qemuDeviation === undefined);

    const byEncoding = new Map<string, number>();
    const undefs = new Map<string, number>();
    for (const m of mismatched) {
      const key =
        m.culprit !== undefined ? m.plan.names[m.culprit] : m.armlabFailure !== undefined ? '(armlab failed to report)' : '(unattributed)';
      byEncoding.set(key, (byEncoding.get(key) ?? 0) + 1);
      if (m.culprit !== undefined && m.armlabUndefAt === m.culprit) undefs.set(key, (undefs.get(key) ?? 0) + 1);
    }
    const summary: FuzzSummary = {
      sequences: outcomes.filter((x) => !isOracleFailure(x)).length,
      mismatches: mismatched.length,
      armlabFailures: mismatched.filter((m) => m.armlabFailure !== undefined).length,
      oracleFailures: outcomes.filter(isOracleFailure).length,
      qemuDeviations: candidates.length - mismatched.length,
      poolSize: pool.encodings.length,
      byEncoding,
      mismatched,
      report: '',
    };
    summary.report = formatReport(o, summary, outcomes, undefs, (performance.now() - t0) / 1000);
    return summary;
  } finally {
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Mismatches where QEMU 7.2, not armlab, departs from the Arm ARM; they are
 * reported as a count and not as mismatches.
 */
function knownQemuDeviation(m: SlotOutcome): string | undefined {
  const c = m.culprit;
  if (c === undefined) return undefined;
  // AArch64.ExclusiveMonitorsPass checks alignment before the monitor; QEMU fails
  // a store-exclusive whose address does not match the monitor without that check.
  if (m.armlabAlignAt === c && /^stl?x[rp]/.test(m.plan.disasm[c])) {
    return 'store-exclusive to a misaligned address: QEMU fails it (status 1) instead of taking the alignment fault';
  }
  return undefined;
}

/** Runs the prefixes of each mismatching slot; the shortest prefix that mismatches ends at the culprit. */
async function attribute(h: Harness, mism: SlotOutcome[], image: Uint8Array, dir: string): Promise<void> {
  const prefixes: SlotPlan[] = [];
  for (const m of mism) prefixes.push(...prefixPlans(m.plan));
  const results: SlotOutcome[] = [];
  for (let b = 0; b < prefixes.length; b += h.capacity) {
    results.push(...(await runBatch(h, prefixes.slice(b, b + h.capacity), image, dir, `prefix${b / h.capacity}`)));
  }
  const byParent = new Map<SlotPlan, number>();
  for (const r of results) {
    if (!isMismatch(r) || !r.plan.prefixOf) continue;
    const cur = byParent.get(r.plan.prefixOf);
    if (cur === undefined || r.plan.len - 1 < cur) byParent.set(r.plan.prefixOf, r.plan.len - 1);
  }
  for (const m of mism) m.culprit = byParent.get(m.plan) ?? m.plan.len - 1;
}

const EC_NAMES: Record<number, string> = {
  0x00: 'UNDEFINED',
  0x07: 'SIMD&FP trap',
  0x15: 'SVC',
  0x22: 'PC alignment',
  0x25: 'data abort',
  0x26: 'SP alignment',
  0x2c: 'FP exception',
  0x3c: 'BRK',
};

function formatReport(o: FuzzOptions, s: FuzzSummary, outcomes: SlotOutcome[], undefs: Map<string, number>, secs: number): string {
  const lines: string[] = [];
  const dead = s.mismatched.filter((m) => m.armlabFailure?.includes('could not run the harness'));
  if (dead.length) lines.push(`armlab could not run the harness for ${dead.length} slots: ${dead[0].armlabFailure}`, '');
  const shown = s.mismatched.filter((m) => !dead.includes(m));
  for (const m of shown.slice(0, o.show)) lines.push(describeSlot(o, m), '');
  if (shown.length > o.show) lines.push(`(${shown.length - o.show} more mismatching slots not shown; --show N prints more)`, '');
  if (s.byEncoding.size) {
    lines.push('mismatches by culprit encoding (first instruction whose prefix diverges):');
    for (const [name, n] of [...s.byEncoding].sort((a, b) => b[1] - a[1])) {
      const u = undefs.get(name);
      lines.push(`  ${String(n).padStart(6)}  ${name.padEnd(28)}${u ? ` (${u} of them: armlab UNDEFINED where QEMU runs it)` : ''}`);
    }
  }
  const ecs = new Map<number, number>();
  for (const x of outcomes) if (x.qemuEc !== undefined) ecs.set(x.qemuEc, (ecs.get(x.qemuEc) ?? 0) + 1);
  const ecText = [...ecs]
    .sort((a, b) => b[1] - a[1])
    .map(([ec, n]) => `${EC_NAMES[ec] ?? `EC 0x${ec.toString(16)}`} ${n}`)
    .join(', ');
  lines.push(
    `slots ended by an exception under QEMU: ${[...ecs.values()].reduce((a, b) => a + b, 0)} of ${outcomes.length}${ecText ? ` (${ecText})` : ''}`,
  );
  if (s.qemuDeviations) {
    const kinds = new Set(outcomes.map((x) => x.qemuDeviation).filter((x): x is string => x !== undefined));
    lines.push(`known QEMU deviations from the architecture (not counted as mismatches): ${s.qemuDeviations}`);
    for (const k of kinds) lines.push(`  ${k}`);
  }
  if (qemuReruns) lines.push(`warning: QEMU stopped early and was restarted ${qemuReruns} times (harness or fuzzer bug?)`);
  const oracle = outcomes.find(isOracleFailure);
  if (oracle) lines.push(`oracle failures: ${s.oracleFailures} slots QEMU did not report, e.g. ${oracle.diffs[0].qemu}`);
  lines.push(
    `fuzz: seed ${o.seed}: ${s.sequences} sequences run, ${s.mismatches} mismatched` +
      (s.armlabFailures ? ` (${s.armlabFailures} not reported by armlab)` : '') +
      ` — ${s.poolSize} encodings drawn, ${secs.toFixed(1)} s`,
  );
  return lines.join('\n');
}

// ---------------------------------------------------------------- command line

const USAGE = `usage: npm run fuzz -- [options]
  --seed N        PRNG seed (default: random, printed)
  --count N       sequences to run (default 10000)
  --first N       global index of the first sequence (default 0); with --count 1 reproduces one slot
  --len N|A-B     instructions per sequence (default 4-8, at most 15)
  --only REGEX    draw only encodings whose name matches
  --fpcr          randomise FPCR rounding/flush/default-NaN modes
  --show N        mismatching sequences printed in full (default 8)
  --attribute N   mismatching sequences to attribute to an instruction (default 1000)
  --keep DIR      keep the patched ELFs and temporary files in DIR
  --self-check    run QEMU in armlab's place (tests the fuzzer: expect 0 mismatches)
`;

export async function main(argv: string[]): Promise<number> {
  let v;
  try {
    v = parseArgs({
      args: argv,
      options: {
        seed: { type: 'string' },
        count: { type: 'string', default: '10000' },
        first: { type: 'string', default: '0' },
        len: { type: 'string', default: '4-8' },
        only: { type: 'string' },
        fpcr: { type: 'boolean', default: false },
        show: { type: 'string', default: String(DEFAULTS.show) },
        attribute: { type: 'string', default: String(DEFAULTS.attribute) },
        keep: { type: 'string' },
        'self-check': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (v.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const int = (s: string, what: string, min: number): number => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < min) throw new Error(`${what} must be an integer >= ${min}, not '${s}'`);
    return n;
  };
  try {
    const lm = /^(\d+)(?:-(\d+))?$/.exec(v.len);
    if (!lm) throw new Error(`--len must be N or A-B, not '${v.len}'`);
    const minLen = Number(lm[1]);
    const maxLen = Number(lm[2] ?? lm[1]);
    if (minLen < 1 || maxLen < minLen || maxLen > 15) throw new Error('--len must lie within 1-15');
    const seed = v.seed === undefined ? (Math.random() * 0x7fffffff) | 0 : int(v.seed, '--seed', 0);
    const s = await runFuzz({
      seed,
      count: int(v.count, '--count', 1),
      first: int(v.first, '--first', 0),
      minLen,
      maxLen,
      only: v.only === undefined ? undefined : new RegExp(v.only),
      randomFpcr: v.fpcr,
      show: int(v.show, '--show', 0),
      attribute: int(v.attribute, '--attribute', 0),
      keep: v.keep,
      dut: v['self-check'] ? 'qemu' : 'armlab',
      log: (l) => process.stdout.write(`${l}\n`),
    });
    process.stdout.write(`${s.report}\n`);
    return s.mismatches === 0 && s.oracleFailures === 0 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n`);
    return 2;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(await main(process.argv.slice(2)));
}

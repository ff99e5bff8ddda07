/**
 * `armlab matrix <file> [--axis NAME=V1,V2 …] [options]`: runs a configuration matrix (core/host/matrix.ts)
 * through the host API in this process: one progress line per cell as it starts and ends, then a table of
 * the cells (values, outcome, time, MIPS, pass/fail), optionally the whole result as JSON.
 *
 * <file> is the program or kernel of the base configuration (the options build the rest, as for
 * `armlab run`), or a matrix as JSON (a MatrixSpec: name, base, axes …; relative paths are taken from
 * the JSON file's directory); --axis options add axes to either.
 *
 * Exit status: 0 when every valid cell passed, 1 when a cell failed (or none could run), 2 usage errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { HostEvent, MatrixAxis, MatrixCell, MatrixField, MatrixRun, MatrixSpec, MatrixValue, VmSpec } from '../core/host/api.js';
import { describeMatrixOutcome, formatValue, MATRIX_FIELDS } from '../core/host/matrix.js';
import { ApiFailure, VmHost } from '../core/host/vmhost.js';
import { parseTopology } from '../core/smp/topology.js';
import { LoadError } from '../core/loader/detect.js';
import { parseRegion } from './armlab.js';

export const MATRIX_USAGE = `usage: armlab matrix <file> [--axis NAME=V1,V2 …] [options]

Runs every combination of the axes' values (the cells) from a base configuration, each cell a VM
of its own; invalid cells are reported without running. <file> is the base's program or kernel,
or a matrix in JSON ({name, base: VmSpec, axes: [{field, values}], expect, timeoutMs, jobs}).

axes (--axis, repeatable; NAME=V1,V2,…):
  cpu=cortex-a53,max          CPU model of every vCPU          (field cpus.model)
  cpus=1,2,4                  vCPU count                       (field cpus)
  mem=128M,64M@0x100000000    RAM: SIZE[@BASE], + between regions (field memory)
  gic=2,3                     interrupt controller             (field gic)
  el=1,2,3                    entry exception level            (field entryEl)
  append=ARGS1,ARGS2          command line                     (field boot.append)
  backend=tcg,kvm             execution backend                (field backend)
  check=off,on                TLB-maintenance checker          (field checkTlb)
  program=FILE1,FILE2         program or kernel                (field boot.path)

base options (as armlab run): --cpu MODEL|LIST --cpus N --mem SIZE[@BASE] --ram SIZE@BASE
  --kernel FILE --initrd FILE --append ARGS --virtualization --secure --gic 2|3 --backend B --check

matrix options:
  --timeout SEC        wall-time limit of each cell (default 60)
  --expect-status N    a cell passes when the guest exits with N (default: 0, or a poweroff)
  --expect REGEX       a cell passes when its console matches REGEX (with --expect-status: both)
  --jobs N             cells run at once (default: one per two host cores)
  --json FILE          write the whole result (every cell, its console tail) to FILE
  --name NAME          the matrix's name (default: the file's name)

exit status: 0 every valid cell passed; 1 a cell failed, or no cell could run; 2 usage error
`;

export class MatrixUsageError extends Error {}

const ALIASES: Record<string, MatrixField> = {
  cpu: 'cpus.model',
  model: 'cpus.model',
  cpus: 'cpus',
  mem: 'memory',
  memory: 'memory',
  gic: 'gic',
  el: 'entryEl',
  entryel: 'entryEl',
  append: 'boot.append',
  backend: 'backend',
  check: 'checkTlb',
  checktlb: 'checkTlb',
  program: 'boot.path',
  kernel: 'boot.path',
};

/** SIZE[@BASE] as `armlab run --mem/--ram` takes it; the first region defaults to the virt board's RAM base. */
function region(s: string, index: number): { base: number; size: number } {
  const r = parseRegion(s, index > 0);
  return { base: r.base ?? 0x4000_0000, size: r.size };
}

function parseNumber(field: string, v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new MatrixUsageError(`--axis ${field}: '${v}' is not a number`);
  return n;
}

/** One value of an axis from the command line. */
export function parseAxisValue(field: MatrixField, v: string): MatrixValue {
  switch (field) {
    case 'cpus':
    case 'gic':
    case 'entryEl':
      return parseNumber(field, v);
    case 'memory':
      return v.split('+').map(region);
    case 'checkTlb':
      if (/^(on|true|yes|1)$/i.test(v)) return true;
      if (/^(off|false|no|0)$/i.test(v)) return false;
      throw new MatrixUsageError(`--axis check: '${v}' is not on or off`);
    case 'boot.path':
      return resolve(v);
    default:
      return v;
  }
}

/** NAME=V1,V2,… → an axis (NAME: an alias or a field name). */
export function parseAxis(s: string): MatrixAxis {
  const eq = s.indexOf('=');
  if (eq <= 0) throw new MatrixUsageError(`--axis '${s}': expected NAME=V1,V2,…`);
  const name = s.slice(0, eq).trim();
  const field = ALIASES[name.toLowerCase()] ?? MATRIX_FIELDS.find((f) => f === name);
  if (!field)
    throw new MatrixUsageError(
      `--axis ${name}: unknown (axes: ${Object.keys(ALIASES).join(', ')}, or a field: ${MATRIX_FIELDS.join(', ')})`,
    );
  const raw = s.slice(eq + 1);
  // A command line may hold commas: append values are separated by ';' when there is one.
  const values = (field === 'boot.append' && raw.includes(';') ? raw.split(';') : raw.split(',')).map((v) => parseAxisValue(field, v));
  return { field, values };
}

function baseSpec(o: Record<string, string | boolean | string[] | undefined>, file: string, given: (opt: string) => boolean): VmSpec {
  let cpus;
  try {
    cpus = parseTopology(String(o.cpu), given('cpus') ? Number(o.cpus) : undefined);
  } catch (e) {
    throw new MatrixUsageError((e as Error).message);
  }
  const clustered = cpus.some((c) => c.affinity >= 0x100);
  const memory = [region(String(o.mem), 0), ...(o.ram as string[]).map((r) => region(r, 1))];
  const path = resolve(file);
  const append = o.append as string | undefined;
  const spec: VmSpec = {
    name: 'base',
    backend: o.backend === 'kvm' ? 'kvm' : 'tcg',
    cpus: cpus.map((c) => (clustered ? { model: c.model, cluster: c.affinity >> 8 } : { model: c.model })),
    memory,
    entryEl: o.secure ? 3 : o.virtualization ? 2 : 1,
    boot: o.kernel
      ? { kind: 'kernel', path, initrd: o.initrd ? resolve(String(o.initrd)) : undefined, append }
      : { kind: 'program', path, append },
  };
  if (o.gic === '2') spec.gic = 2;
  if (o.check) spec.checkTlb = true;
  return spec;
}

/** A matrix from a JSON file: relative boot paths are taken from the file's directory. */
function readMatrixFile(file: string): MatrixSpec {
  let m: MatrixSpec;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as MatrixSpec;
  } catch (e) {
    throw new MatrixUsageError(`cannot read the matrix '${file}': ${(e as Error).message}`);
  }
  if (typeof m !== 'object' || m === null || typeof m.base !== 'object' || m.base === null)
    throw new MatrixUsageError(`${file}: a matrix needs a base configuration`);
  const dir = dirname(resolve(file));
  const abs = (p: string | undefined): string | undefined => (p === undefined || p === '' || isAbsolute(p) ? p : join(dir, p));
  m.base.boot = { ...m.base.boot, path: abs(m.base.boot?.path) ?? '' };
  if (m.base.boot.kind === 'kernel') m.base.boot.initrd = abs(m.base.boot.initrd);
  m.axes ??= [];
  for (const a of m.axes) if (a.field === 'boot.path') a.values = a.values.map((v) => (typeof v === 'string' ? abs(v)! : v));
  m.name ??= file;
  return m;
}

export function buildMatrix(args: string[]): { spec: MatrixSpec; json?: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        axis: { type: 'string', multiple: true, default: [] },
        cpu: { type: 'string', default: 'cortex-a57' },
        cpus: { type: 'string', default: '1' },
        mem: { type: 'string', default: '128M' },
        ram: { type: 'string', multiple: true, default: [] },
        kernel: { type: 'string' },
        initrd: { type: 'string' },
        append: { type: 'string' },
        virtualization: { type: 'boolean', default: false },
        secure: { type: 'boolean', default: false },
        gic: { type: 'string', default: '3' },
        backend: { type: 'string', default: 'tcg' },
        check: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        'expect-status': { type: 'string' },
        expect: { type: 'string' },
        jobs: { type: 'string' },
        json: { type: 'string' },
        name: { type: 'string' },
      },
    });
  } catch (e) {
    throw new MatrixUsageError((e as Error).message);
  }
  const o = parsed.values;
  const file = o.kernel ?? parsed.positionals[0];
  if (!file) throw new MatrixUsageError('no program, kernel or matrix file given');
  if (parsed.positionals.length > (o.kernel ? 0 : 1)) throw new MatrixUsageError(`unexpected argument '${parsed.positionals.at(-1)}'`);
  const given = (opt: string): boolean => args.some((a) => a === `--${opt}` || a.startsWith(`--${opt}=`));
  if (o.gic !== '2' && o.gic !== '3') throw new MatrixUsageError(`--gic must be 2 or 3, not '${o.gic}'`);
  if (o.backend !== 'tcg' && o.backend !== 'kvm') throw new MatrixUsageError(`--backend must be tcg or kvm, not '${o.backend}'`);
  const spec: MatrixSpec = file.endsWith('.json')
    ? readMatrixFile(file)
    : { name: file.split('/').at(-1)!, base: baseSpec(o, file, given), axes: [] };
  spec.axes = [...spec.axes, ...o.axis.map(parseAxis)];
  if (o.name) spec.name = o.name;
  const positive = (opt: string, v: string | undefined, int: boolean): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!(n > 0) || (int && !Number.isInteger(n)))
      throw new MatrixUsageError(`--${opt} must be a positive ${int ? 'whole ' : ''}number, not '${v}'`);
    return n;
  };
  const timeout = positive('timeout', o.timeout, false);
  if (timeout !== undefined) spec.timeoutMs = timeout * 1000;
  spec.jobs = positive('jobs', o.jobs, true) ?? spec.jobs;
  if (o['expect-status'] !== undefined || o.expect !== undefined) {
    const status = o['expect-status'] === undefined ? undefined : Number(o['expect-status']);
    if (status !== undefined && !Number.isInteger(status))
      throw new MatrixUsageError(`--expect-status must be a whole number, not '${o['expect-status']}'`);
    spec.expect = { ...spec.expect, ...(status !== undefined && { status }), ...(o.expect !== undefined && { console: o.expect }) };
  }
  return { spec, json: o.json };
}

const seconds = (ms: number | undefined): string => (ms === undefined ? '' : `${(ms / 1000).toFixed(2)} s`);
const mips = (c: MatrixCell): string => (c.mips === undefined || c.mips === 0 ? '' : c.mips.toFixed(1));
const RESULT: Record<MatrixCell['state'], string> = {
  queued: 'queued',
  running: 'running',
  passed: 'PASS',
  failed: 'FAIL',
  invalid: 'invalid',
  cancelled: 'cancelled',
};

/** A cell's outcome in the table (cut at 60 characters: the progress lines and --json have it whole). */
function outcomeOf(c: MatrixCell): string {
  const s = c.state === 'invalid' ? `invalid: ${c.problems?.join('; ')}` : describeMatrixOutcome(c.outcome);
  return s.length > 60 ? s.slice(0, 59) + '…' : s;
}

/** The final table: one row per cell, a column per axis, then outcome, time, MIPS and the result. */
export function formatTable(run: MatrixRun): string {
  const header = ['#', ...run.spec.axes.map((a) => a.field), 'outcome', 'time', 'MIPS', 'result'];
  const rows = run.cells.map((c) => [
    String(c.index + 1),
    ...c.values.map(formatValue),
    outcomeOf(c),
    seconds(c.wallMs),
    mips(c),
    RESULT[c.state],
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    r
      .map((v, i) => (i === 0 || i === header.length - 3 || i === header.length - 2 ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const s = run.summary;
  const total = s
    ? `${s.cells} cells: ${s.passed} passed, ${s.failed} failed, ${s.invalid} invalid${s.cancelled ? `, ${s.cancelled} cancelled` : ''} in ${seconds(s.wallMs)}`
    : '';
  return [line(header), ...rows.map(line), total].join('\n') + '\n';
}

function progressLine(e: Extract<HostEvent, { type: 'matrix' }>['event'], n: number): string | undefined {
  const at = (i: number): string => `[${String(i + 1).padStart(String(n).length)}/${n}]`;
  switch (e.kind) {
    case 'started':
      return e.run.cells
        .filter((c) => c.state === 'invalid')
        .map((c) => `${at(c.index)} invalid  ${c.label}: ${c.problems?.join('; ')}`)
        .join('\n');
    case 'cell-started':
      return `${at(e.cell.index)} start    ${e.cell.label}`;
    case 'cell-finished': {
      const c = e.cell;
      const figures = [describeMatrixOutcome(c.outcome), seconds(c.wallMs), mips(c) && `${mips(c)} MIPS`].filter(Boolean).join(', ');
      return `${at(c.index)} ${RESULT[c.state].toLowerCase().padEnd(8)} ${c.label}: ${figures}${c.state === 'failed' ? ` (${c.verdict})` : ''}`;
    }
    default:
      return undefined;
  }
}

export async function matrixCommand(args: string[]): Promise<number> {
  if (args.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(MATRIX_USAGE);
    return 0;
  }
  let built;
  try {
    built = buildMatrix(args);
  } catch (e) {
    if (e instanceof MatrixUsageError || e instanceof LoadError) {
      process.stderr.write(`armlab matrix: ${e.message}\n${MATRIX_USAGE}`);
      return 2;
    }
    throw e;
  }
  const { spec, json } = built;
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const host = new VmHost({ root, transport: 'cli', version });
  let total = 0;
  let resolveDone!: (r: MatrixRun) => void;
  const done = new Promise<MatrixRun>((r) => (resolveDone = r));
  host.on((e) => {
    if (e.type !== 'matrix') return;
    if (e.event.kind === 'started') total = e.event.run.cells.length;
    const line = progressLine(e.event, total);
    if (line) process.stdout.write(line + '\n');
    if (e.event.kind === 'finished') resolveDone(e.event.run);
  });
  let run: MatrixRun;
  try {
    run = await host.matrixStart(spec);
  } catch (e) {
    await host.dispose();
    if (e instanceof ApiFailure) {
      process.stderr.write(`armlab matrix: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const onInt = (): void => {
    process.stderr.write('armlab matrix: interrupted, stopping the running cells\n');
    void host.matrixCancel(run.id);
  };
  process.on('SIGINT', onInt);
  const result = await done;
  process.off('SIGINT', onInt);
  await host.dispose();
  process.stdout.write('\n' + formatTable(result));
  if (json) writeFileSync(json, JSON.stringify(result, null, 2) + '\n');
  const ran = result.cells.filter((c) => c.state !== 'invalid');
  return ran.length > 0 && ran.every((c) => c.state === 'passed') ? 0 : 1;
}

/**
 * The configuration-matrix runner: a base VmSpec and axes (a field and its values) make the cartesian
 * product of cells; every cell is validated up front (invalid ones are reported, never run), then the
 * valid ones run with bounded concurrency over the host API (create/start/stop/history/remove), each
 * with a wall-time limit, and are judged against a pass criterion (exit status and/or a console regex).
 *
 * Events (MatrixEvent): started (every cell) → per cell: cell-started, cell-progress …, cell-finished →
 * finished (summary). There is no second way of running VMs here: a cell is an ordinary VM of the host,
 * removed once its result is recorded.
 */
import { availableParallelism } from 'node:os';
import type {
  HostEvent,
  MatrixAxis,
  MatrixCell,
  MatrixEvent,
  MatrixExpect,
  MatrixField,
  MatrixId,
  MatrixOutcome,
  MatrixRun,
  MatrixSpec,
  MatrixSummary,
  MatrixValue,
  MemoryRegionSpec,
  Problem,
  VcpuSpec,
  VmHistory,
  VmId,
  VmSpec,
  VmSummary,
} from './api.js';

/** What the runner needs of the host: the API calls a user would make, and its event stream. */
export interface MatrixHost {
  validate(spec: VmSpec): Promise<Problem[]>;
  create(spec: VmSpec): Promise<VmSummary>;
  start(id: VmId): Promise<VmSummary>;
  stop(id: VmId): Promise<VmSummary>;
  history(id: VmId): Promise<VmHistory>;
  remove(id: VmId): Promise<void>;
  on(listener: (e: HostEvent) => void): () => void;
}

/** A matrix the runner refuses as a whole (no axes' values, unknown field, too many cells …). */
export class MatrixSpecError extends Error {}

export const MATRIX_FIELDS: readonly MatrixField[] = [
  'backend',
  'cpus.model',
  'cpus',
  'memory',
  'gic',
  'entryEl',
  'boot.append',
  'boot.path',
  'checkTlb',
];
export const MAX_CELLS = 256;
export const DEFAULT_CELL_TIMEOUT_MS = 60_000;
/** Console lines kept per cell. */
export const CONSOLE_LINES = 8;
/** Finished matrix runs the host remembers (matrixResult). */
const RUNS_KEEP = 20;
/** Cell progress events at most this often per cell (the VM's counters arrive at ~10 Hz). */
const PROGRESS_EVERY_MS = 250;
/** After a timeout's stop, how long a cell waits for its VM to end before giving up on it. */
const STOP_GRACE_MS = 10_000;

/** Cells run at once by default: one per two host cores (1 on 2 cores: a cell's vCPUs need the rest). */
export function defaultJobs(): number {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

const hex = (v: number): string => '0x' + v.toString(16);

function formatSize(n: number): string {
  for (const [u, s] of [
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const)
    if (n >= s && n % s === 0) return `${n / s}${u}`;
  return String(n);
}

/** One axis value in words: `2`, `cortex-a53`, `128M@0x40000000+1G@0x100000000`. */
export function formatValue(v: MatrixValue): string {
  if (!Array.isArray(v)) return String(v);
  return v
    .map((x) => ('model' in x ? x.model + (x.cluster !== undefined ? `@${x.cluster}` : '') : `${formatSize(x.size)}@${hex(x.base)}`))
    .join('+');
}

export function cellLabel(axes: MatrixAxis[], values: MatrixValue[]): string {
  return axes.map((a, i) => `${a.field}=${formatValue(values[i])}`).join(' ');
}

const isRegion = (x: unknown): x is MemoryRegionSpec =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as MemoryRegionSpec).base === 'number' &&
  typeof (x as MemoryRegionSpec).size === 'number';
const isVcpu = (x: unknown): x is VcpuSpec => typeof x === 'object' && x !== null && typeof (x as VcpuSpec).model === 'string';

/** Sets one field of `spec` to `v`; returns why it cannot (a value of the wrong kind), or undefined. */
export function applyValue(spec: VmSpec, field: MatrixField, v: MatrixValue): string | undefined {
  const want = (kind: string): string => `${field}=${formatValue(v)}: expected ${kind}`;
  switch (field) {
    case 'backend':
      if (v !== 'tcg' && v !== 'kvm') return want('tcg or kvm');
      spec.backend = v;
      return;
    case 'cpus.model':
      if (typeof v !== 'string') return want('a CPU model name');
      spec.cpus = spec.cpus.map((c) => ({ ...c, model: v }));
      return;
    case 'cpus':
      if (typeof v === 'number') {
        if (!Number.isInteger(v) || v < 1) return want('a vCPU count of at least 1');
        const first = spec.cpus[0] ?? { model: 'cortex-a57' };
        spec.cpus = Array.from({ length: v }, () => ({ ...first }));
        return;
      }
      if (!Array.isArray(v) || !v.every(isVcpu)) return want('a vCPU count or a list of vCPUs');
      spec.cpus = structuredClone(v as VcpuSpec[]);
      return;
    case 'memory':
      if (!Array.isArray(v) || !v.every(isRegion)) return want('a list of RAM regions {base, size}');
      spec.memory = structuredClone(v as MemoryRegionSpec[]);
      return;
    case 'gic':
      if (v !== 2 && v !== 3) return want('2 or 3');
      spec.gic = v;
      return;
    case 'entryEl':
      if (v !== 1 && v !== 2 && v !== 3) return want('1, 2 or 3');
      spec.entryEl = v;
      return;
    case 'boot.append':
      if (typeof v !== 'string') return want('a command line');
      spec.boot = { ...spec.boot, append: v };
      return;
    case 'boot.path':
      if (typeof v !== 'string') return want('a file path');
      spec.boot = { ...spec.boot, path: v };
      return;
    case 'checkTlb':
      if (typeof v !== 'boolean') return want('true or false');
      spec.checkTlb = v;
      return;
  }
}

/**
 * The VmSpec of one cell. A `cpus` axis (the vCPU list) applies before the others, so that a
 * `cpus.model` axis sets the model of every vCPU whatever the axis order.
 */
export function cellSpec(m: MatrixSpec, values: MatrixValue[], index: number): { spec: VmSpec; problems: string[] } {
  const spec = structuredClone(m.base);
  spec.name = `${m.name} #${index + 1}`;
  const order = m.axes.map((a, i) => i).sort((a, b) => Number(m.axes[b].field === 'cpus') - Number(m.axes[a].field === 'cpus'));
  const problems: string[] = [];
  for (const i of order) {
    const why = applyValue(spec, m.axes[i].field, values[i]);
    if (why) problems.push(why);
  }
  return { spec, problems };
}

/** The axis values of every cell, the last axis varying fastest. */
export function expand(axes: MatrixAxis[]): MatrixValue[][] {
  let out: MatrixValue[][] = [[]];
  for (const a of axes) out = out.flatMap((prefix) => a.values.map((v) => [...prefix, v]));
  return out;
}

/** Refuses a matrix that cannot be expanded at all; returns its cell count. */
export function checkMatrix(m: MatrixSpec): number {
  if (typeof m !== 'object' || m === null || typeof m.base !== 'object' || !Array.isArray(m.axes))
    throw new MatrixSpecError('a matrix needs a base configuration and a list of axes');
  if (typeof m.name !== 'string' || m.name.trim() === '') throw new MatrixSpecError('give the matrix a name');
  const seen = new Set<string>();
  for (const a of m.axes) {
    if (!MATRIX_FIELDS.includes(a.field))
      throw new MatrixSpecError(`unknown axis field '${String(a.field)}' (fields: ${MATRIX_FIELDS.join(', ')})`);
    if (seen.has(a.field)) throw new MatrixSpecError(`axis ${a.field} appears twice`);
    seen.add(a.field);
    if (!Array.isArray(a.values) || a.values.length === 0) throw new MatrixSpecError(`axis ${a.field} has no values`);
  }
  const n = m.axes.reduce((k, a) => k * a.values.length, 1);
  if (n > MAX_CELLS) throw new MatrixSpecError(`${n} cells: a matrix has at most ${MAX_CELLS}`);
  if (m.timeoutMs !== undefined && !(Number.isFinite(m.timeoutMs) && m.timeoutMs > 0))
    throw new MatrixSpecError(`cell timeout ${m.timeoutMs} ms: give a positive number`);
  if (m.jobs !== undefined && !(Number.isInteger(m.jobs) && m.jobs >= 1))
    throw new MatrixSpecError(`jobs ${m.jobs}: give a whole number ≥ 1`);
  if (m.expect?.console !== undefined) {
    try {
      new RegExp(m.expect.console);
    } catch (e) {
      throw new MatrixSpecError(`console expectation: ${(e as Error).message}`);
    }
  }
  return n;
}

/**
 * Whether a cell passed. With no criterion: exit status 0 (a poweroff counts as 0, as `armlab run` exits).
 * With a status: that status. With a console regex: the console matches, and the run did not fail to run
 * (a timeout may pass when only the console is judged: a boot that reached its milestone).
 */
export function judge(outcome: MatrixOutcome, consoleText: string, expect: MatrixExpect | undefined): { pass: boolean; verdict: string } {
  if (outcome.kind === 'error') return { pass: false, verdict: `error: ${outcome.message}` };
  const reasons: string[] = [];
  let pass = true;
  const status = expect?.status ?? (expect?.console === undefined ? 0 : undefined);
  if (status !== undefined) {
    const ok = (outcome.kind === 'exit' && outcome.status === status) || (status === 0 && outcome.kind === 'poweroff');
    pass &&= ok;
    reasons.push(ok ? `exit status ${status}` : `expected exit status ${status}, got ${describeMatrixOutcome(outcome)}`);
  }
  if (expect?.console !== undefined) {
    const ok = new RegExp(expect.console, 'm').test(consoleText);
    pass &&= ok;
    reasons.push(ok ? `console matches /${expect.console}/` : `console does not match /${expect.console}/`);
  }
  return { pass, verdict: reasons.join('; ') };
}

export function describeMatrixOutcome(o: MatrixOutcome | undefined): string {
  if (!o) return '—';
  switch (o.kind) {
    case 'exit':
      return `exit ${o.status}`;
    case 'error':
      return `error: ${o.message}`;
    default:
      return o.kind;
  }
}

/** The last `n` lines of console text (without a trailing empty line). */
export function lastLines(text: string, n = CONSOLE_LINES): string[] {
  const lines = text.replace(/\r/g, '').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-n);
}

export function summarise(cells: MatrixCell[], wallMs: number): MatrixSummary {
  const count = (s: MatrixCell['state']): number => cells.filter((c) => c.state === s).length;
  return {
    cells: cells.length,
    passed: count('passed'),
    failed: count('failed'),
    invalid: count('invalid'),
    cancelled: count('cancelled'),
    wallMs,
  };
}

interface Active {
  run: MatrixRun;
  specs: VmSpec[];
  queue: number[];
  /** Running cells: their VM, and how to stop them. */
  running: Map<number, VmId>;
  cancelled: boolean;
}

export class MatrixRunner {
  private readonly runs = new Map<MatrixId, Active>();
  private nextId = 1;

  constructor(
    private readonly host: MatrixHost,
    private readonly emit: (e: HostEvent) => void,
  ) {}

  /** Every cell of `m`, validated by the host (invalid cells carry their problems). */
  async cells(m: MatrixSpec): Promise<MatrixCell[]> {
    return (await this.plan(m)).cells;
  }

  private async plan(m: MatrixSpec): Promise<{ cells: MatrixCell[]; specs: VmSpec[] }> {
    checkMatrix(m);
    const cells: MatrixCell[] = [];
    const specs: VmSpec[] = [];
    for (const [index, values] of expand(m.axes).entries()) {
      const { spec, problems } = cellSpec(m, values, index);
      if (problems.length === 0) problems.push(...(await this.host.validate(spec)).map((p) => p.message));
      specs.push(spec);
      cells.push({
        index,
        values,
        label: cellLabel(m.axes, values),
        state: problems.length > 0 ? 'invalid' : 'queued',
        problems: problems.length > 0 ? problems : undefined,
      });
    }
    return { cells, specs };
  }

  async start(m: MatrixSpec): Promise<MatrixRun> {
    const { cells, specs } = await this.plan(m);
    const id = `matrix${this.nextId++}`;
    const jobs = m.jobs ?? defaultJobs();
    const run: MatrixRun = { id, spec: structuredClone(m), state: 'running', cells, jobs, startedAt: Date.now() };
    const a: Active = {
      run,
      specs,
      queue: cells.filter((c) => c.state === 'queued').map((c) => c.index),
      running: new Map(),
      cancelled: false,
    };
    this.runs.set(id, a);
    this.forgetOld();
    const started = structuredClone(run);
    this.send({ kind: 'started', matrix: id, run: started });
    void this.drive(a);
    return structuredClone(started);
  }

  async cancel(id: MatrixId): Promise<MatrixRun> {
    const a = this.get(id);
    if (a.run.state !== 'running') return structuredClone(a.run);
    a.cancelled = true;
    for (const i of a.queue.splice(0)) {
      const c = a.run.cells[i];
      c.state = 'cancelled';
      c.outcome = { kind: 'cancelled' };
      this.send({ kind: 'cell-finished', matrix: id, cell: structuredClone(c) });
    }
    await Promise.all([...a.running.values()].map((vm) => this.host.stop(vm).catch(() => undefined)));
    return structuredClone(a.run);
  }

  result(id: MatrixId): MatrixRun {
    return structuredClone(this.get(id).run);
  }

  list(): MatrixRun[] {
    return [...this.runs.values()].map((a) => structuredClone(a.run));
  }

  private get(id: MatrixId): Active {
    const a = this.runs.get(id);
    if (!a) throw new MatrixSpecError(`no matrix run '${id}'`);
    return a;
  }

  private send(event: MatrixEvent): void {
    this.emit({ type: 'matrix', event });
  }

  private forgetOld(): void {
    const done = [...this.runs.values()].filter((a) => a.run.state !== 'running');
    for (const a of done.slice(0, Math.max(0, done.length - RUNS_KEEP))) this.runs.delete(a.run.id);
  }

  /** `jobs` lanes take cells from the queue until it is empty (or the run is cancelled). */
  private async drive(a: Active): Promise<void> {
    const lane = async (): Promise<void> => {
      for (let i = a.queue.shift(); i !== undefined; i = a.queue.shift()) await this.runCell(a, i);
    };
    await Promise.all(Array.from({ length: Math.min(a.run.jobs, Math.max(1, a.queue.length)) }, lane));
    a.run.state = a.cancelled ? 'cancelled' : 'finished';
    a.run.summary = summarise(a.run.cells, Date.now() - a.run.startedAt);
    this.send({ kind: 'finished', matrix: a.run.id, run: structuredClone(a.run) });
  }

  private async runCell(a: Active, index: number): Promise<void> {
    const cell = a.run.cells[index];
    const matrix = a.run.id;
    const t0 = Date.now();
    cell.state = 'running';
    let vm: VmSummary;
    try {
      vm = await this.host.create(a.specs[index]);
    } catch (e) {
      return this.end(a, cell, { kind: 'error', message: (e as Error).message }, '', Date.now() - t0);
    }
    cell.vm = vm.id;
    a.running.set(index, vm.id);
    let timedOut = false;
    let lastProgress = 0;
    let ended!: (s: VmSummary | undefined) => void;
    const end = new Promise<VmSummary | undefined>((resolve) => (ended = resolve));
    const unsubscribe = this.host.on((e) => {
      if (!('vm' in e) || e.vm !== vm.id) return;
      if (e.type === 'state' && (e.state === 'exited' || e.state === 'failed')) ended(e.summary);
      else if (e.type === 'progress') {
        // Loading phases, then 'running', then a boot's milestones (with their fraction) when the guest is a kernel.
        cell.phase = e.phase;
        cell.fraction = e.fraction;
        cell.elapsedMs = Date.now() - t0;
        this.send({ kind: 'cell-progress', matrix, cell: index, elapsedMs: cell.elapsedMs, phase: e.phase, fraction: e.fraction });
      } else if (e.type === 'counters' && Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = Date.now();
        cell.elapsedMs = lastProgress - t0;
        cell.instructions = e.snapshot.cpus.reduce((s, c) => s + c.instructions, 0);
        cell.mips = e.snapshot.cpus.reduce((s, c) => s + c.mips, 0);
        this.send({
          kind: 'cell-progress',
          matrix,
          cell: index,
          elapsedMs: cell.elapsedMs,
          phase: cell.phase,
          fraction: cell.fraction,
          instructions: cell.instructions,
          mips: cell.mips,
        });
      }
    });
    this.send({ kind: 'cell-started', matrix, cell: structuredClone(cell) });
    const timeoutMs = a.run.spec.timeoutMs ?? DEFAULT_CELL_TIMEOUT_MS;
    let grace: ReturnType<typeof setTimeout> | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      this.host.stop(vm.id).catch(() => undefined);
      // A VM that does not end even when stopped must not hold the matrix up.
      grace = setTimeout(() => ended(undefined), STOP_GRACE_MS);
    }, timeoutMs);
    let outcome: MatrixOutcome;
    let final: VmSummary | undefined;
    try {
      // A cancel before the start: do not start it at all.
      if (a.cancelled) throw new Error('cancelled');
      await this.host.start(vm.id);
      final = await end;
      outcome = final?.error
        ? { kind: 'error', message: final.error }
        : !final?.outcome
          ? { kind: 'error', message: 'the VM did not stop after its timeout' }
          : final.outcome.kind === 'stopped' && timedOut
            ? { kind: 'timeout' }
            : final.outcome.kind === 'stopped' && a.cancelled
              ? { kind: 'cancelled' }
              : final.outcome;
    } catch (e) {
      outcome = a.cancelled ? { kind: 'cancelled' } : { kind: 'error', message: (e as Error).message };
    } finally {
      clearTimeout(timer);
      clearTimeout(grace);
      unsubscribe();
      a.running.delete(index);
    }
    const text = await this.host.history(vm.id).then(
      (h) => Buffer.from(h.console, 'base64').toString('utf8'),
      () => '',
    );
    if (final?.summary) {
      cell.instructions = final.summary.instructions;
      cell.mips = final.summary.mips;
    }
    await this.host.remove(vm.id).catch(() => undefined);
    this.end(a, cell, outcome, text, final?.summary?.wallMs ?? Date.now() - t0);
  }

  private end(a: Active, cell: MatrixCell, outcome: MatrixOutcome, consoleText: string, wallMs: number): void {
    cell.outcome = outcome;
    cell.wallMs = wallMs;
    cell.console = lastLines(consoleText);
    cell.phase = undefined;
    cell.fraction = undefined;
    if (outcome.kind === 'cancelled') {
      cell.state = 'cancelled';
      cell.verdict = 'cancelled';
    } else {
      const { pass, verdict } = judge(outcome, consoleText, a.run.spec.expect);
      cell.state = pass ? 'passed' : 'failed';
      cell.verdict = verdict;
    }
    this.send({ kind: 'cell-finished', matrix: a.run.id, cell: structuredClone(cell) });
  }
}

// The configuration-matrix runner (core/host/matrix.ts): expansion and per-cell specs, invalid cells
// reported without running, pass/fail criteria, event order, the concurrency bound, timeouts and cancel
// over a scripted host; then real matrices through VmHost (guest programs across CPU models × vCPU counts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent, MatrixEvent, MatrixRun, MatrixSpec, Problem, VmSpec, VmSummary } from '../../core/host/api.js';
import { cellSpec, checkMatrix, expand, judge, lastLines, MatrixRunner, MatrixSpecError, type MatrixHost } from '../../core/host/matrix.js';
import { ApiFailure, VmHost } from '../../core/host/vmhost.js';
import { ensureWorker, guest, root, until } from './worker.js';

const base = (over: Partial<VmSpec> = {}): VmSpec => ({
  name: 'm',
  backend: 'tcg',
  cpus: [{ model: 'cortex-a57' }],
  memory: [{ base: 0x4000_0000, size: 128 * 2 ** 20 }],
  entryEl: 1,
  boot: { kind: 'program', path: guest('hello') },
  ...over,
});

describe('matrix expansion', () => {
  it('expands the cartesian product, last axis fastest, and applies each value to its field', () => {
    const m: MatrixSpec = {
      name: 'x',
      base: base(),
      axes: [
        { field: 'cpus.model', values: ['cortex-a53', 'max'] },
        { field: 'cpus', values: [1, 2, 4] },
      ],
    };
    expect(checkMatrix(m)).toBe(6);
    const cells = expand(m.axes);
    expect(cells).toEqual([
      ['cortex-a53', 1],
      ['cortex-a53', 2],
      ['cortex-a53', 4],
      ['max', 1],
      ['max', 2],
      ['max', 4],
    ]);
    // The vCPU count applies before the model, whatever the axis order: every vCPU gets the model.
    const { spec, problems } = cellSpec(m, ['max', 4], 5);
    expect(problems).toEqual([]);
    expect(spec.cpus).toEqual([{ model: 'max' }, { model: 'max' }, { model: 'max' }, { model: 'max' }]);
    expect(spec.name).toBe('x #6');
    const mem = cellSpec(
      {
        ...m,
        axes: [
          { field: 'memory', values: [[{ base: 2 ** 32, size: 2 ** 27 }]] },
          { field: 'gic', values: [2] },
        ],
      },
      [[{ base: 2 ** 32, size: 2 ** 27 }], 2],
      0,
    ).spec;
    expect(mem.memory).toEqual([{ base: 2 ** 32, size: 2 ** 27 }]);
    expect(mem.gic).toBe(2);
    expect(m.base.cpus).toEqual([{ model: 'cortex-a57' }]); // the base is not touched
  });

  it('refuses a matrix that cannot expand: unknown field, empty axis, a field twice, too many cells, bad regex', () => {
    const m = (axes: MatrixSpec['axes'], more: Partial<MatrixSpec> = {}): MatrixSpec => ({ name: 'x', base: base(), axes, ...more });
    expect(() => checkMatrix(m([{ field: 'colour' as 'gic', values: [1] }]))).toThrow(/unknown axis field 'colour'/);
    expect(() => checkMatrix(m([{ field: 'gic', values: [] }]))).toThrow(/axis gic has no values/);
    expect(() =>
      checkMatrix(
        m([
          { field: 'gic', values: [2] },
          { field: 'gic', values: [3] },
        ]),
      ),
    ).toThrow(/appears twice/);
    const many = Array.from({ length: 300 }, (_, i) => `a${i}`);
    expect(() => checkMatrix(m([{ field: 'boot.append', values: many }]))).toThrow(/300 cells: a matrix has at most 256/);
    expect(() => checkMatrix(m([], { expect: { console: '(' } }))).toThrow(MatrixSpecError);
    expect(checkMatrix(m([]))).toBe(1); // no axes: the base alone
  });

  it('judges cells: status 0 (or poweroff) by default, an expected status, a console regex, both', () => {
    expect(judge({ kind: 'exit', status: 0 }, '', undefined).pass).toBe(true);
    expect(judge({ kind: 'poweroff' }, '', undefined).pass).toBe(true);
    expect(judge({ kind: 'exit', status: 42 }, '', undefined)).toEqual({ pass: false, verdict: 'expected exit status 0, got exit 42' });
    expect(judge({ kind: 'exit', status: 42 }, '', { status: 42 }).pass).toBe(true);
    expect(judge({ kind: 'timeout' }, '', undefined).pass).toBe(false);
    expect(judge({ kind: 'timeout' }, 'Run /init', { console: 'Run /init' }).pass).toBe(true);
    expect(judge({ kind: 'exit', status: 1 }, 'hello', { console: '^hel' }).pass).toBe(true);
    expect(judge({ kind: 'exit', status: 1 }, 'hello', { console: '^hel', status: 0 }).pass).toBe(false);
    expect(judge({ kind: 'exit', status: 0 }, 'bye', { console: 'hello', status: 0 }).verdict).toBe(
      'exit status 0; console does not match /hello/',
    );
    expect(judge({ kind: 'error', message: 'boom' }, 'hello', { console: 'hello' }).pass).toBe(false);
    expect(lastLines('a\r\nb\nc\n', 2)).toEqual(['b', 'c']);
  });
});

/**
 * A host whose VMs are scripted by their command line: `exit:N` ends with status N after `ms` (default
 * 30 ms) with console `out N`, `hang` never ends by itself (only a stop ends it), `fail-start` refuses to start.
 */
class ScriptedHost implements MatrixHost {
  listeners = new Set<(e: HostEvent) => void>();
  vms = new Map<string, { spec: VmSpec; console: string; timer?: ReturnType<typeof setTimeout>; state: VmSummary['state'] }>();
  running = 0;
  maxRunning = 0;
  removed: string[] = [];
  private next = 1;

  constructor(private readonly invalidModel = 'bogus') {}

  on(l: (e: HostEvent) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  private emit(e: HostEvent): void {
    for (const l of this.listeners) l(e);
  }
  private view(id: string): VmSummary {
    const v = this.vms.get(id)!;
    return { id, spec: v.spec, state: v.state };
  }
  async validate(spec: VmSpec): Promise<Problem[]> {
    return spec.cpus.some((c) => c.model === this.invalidModel)
      ? [{ field: 'cpus', message: `unknown CPU model '${this.invalidModel}'` }]
      : [];
  }
  async create(spec: VmSpec): Promise<VmSummary> {
    const id = `vm${this.next++}`;
    this.vms.set(id, { spec, console: '', state: 'created' });
    return this.view(id);
  }
  private end(id: string, outcome: VmSummary['outcome']): void {
    const v = this.vms.get(id)!;
    if (v.state === 'exited') return;
    clearTimeout(v.timer);
    v.state = 'exited';
    this.running--;
    this.emit({
      type: 'state',
      vm: id,
      state: 'exited',
      summary: {
        ...this.view(id),
        outcome,
        summary: { wallMs: 30, cpus: 1, instructions: 3e6, mips: 100, consoleBytes: v.console.length },
      },
    });
  }
  async start(id: string): Promise<VmSummary> {
    const v = this.vms.get(id)!;
    const script = v.spec.boot.append ?? '';
    if (script === 'fail-start') throw new ApiFailure('cannot start: scripted');
    v.state = 'running';
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.emit({ type: 'progress', vm: id, phase: 'loading the program into guest RAM' });
    this.emit({ type: 'counters', vm: id, snapshot: { t: 1, cpus: [{ cpu: 0, instructions: 1000, mips: 50 }] } });
    const m = /^exit:(\d+)$/.exec(script);
    if (m) {
      v.console = `boot\nout ${m[1]}\n`;
      v.timer = setTimeout(() => this.end(id, { kind: 'exit', status: Number(m[1]) }), 30);
    }
    return this.view(id);
  }
  async stop(id: string): Promise<VmSummary> {
    const v = this.vms.get(id)!;
    if (v.state !== 'running') throw new ApiFailure('not running');
    this.end(id, { kind: 'stopped' });
    return this.view(id);
  }
  async history(id: string): Promise<{ vm: VmSummary; console: string; counters: []; checker: [] }> {
    return { vm: this.view(id), console: Buffer.from(this.vms.get(id)!.console).toString('base64'), counters: [], checker: [] };
  }
  async remove(id: string): Promise<void> {
    this.removed.push(id);
  }
}

function scripted(invalidModel?: string): { host: ScriptedHost; runner: MatrixRunner; events: MatrixEvent[] } {
  const host = new ScriptedHost(invalidModel);
  const events: MatrixEvent[] = [];
  const runner = new MatrixRunner(host, (e) => {
    if (e.type === 'matrix') events.push(e.event);
  });
  return { host, runner, events };
}
const finished = (events: MatrixEvent[]): MatrixRun | undefined =>
  events.find((e): e is Extract<MatrixEvent, { kind: 'finished' }> => e.kind === 'finished')?.run;

describe('matrix runner (scripted host)', () => {
  it('reports invalid cells without running them, runs the rest, judges them, and streams events in order', async () => {
    const { host, runner, events } = scripted();
    const run = await runner.start({
      name: 'order',
      base: base(),
      jobs: 1,
      axes: [
        { field: 'cpus.model', values: ['cortex-a57', 'bogus'] },
        { field: 'boot.append', values: ['exit:0', 'exit:3'] },
      ],
    });
    expect(run.cells.map((c) => c.state)).toEqual(['queued', 'queued', 'invalid', 'invalid']);
    expect(run.cells[2].problems).toEqual(["unknown CPU model 'bogus'"]);
    const done = await until(() => finished(events));
    expect(done.summary).toMatchObject({ cells: 4, passed: 1, failed: 1, invalid: 2, cancelled: 0 });
    expect(done.cells[0]).toMatchObject({ state: 'passed', outcome: { kind: 'exit', status: 0 }, instructions: 3e6, mips: 100 });
    expect(done.cells[1]).toMatchObject({ state: 'failed', verdict: 'expected exit status 0, got exit 3', console: ['boot', 'out 3'] });
    expect(host.vms.size).toBe(2); // the invalid cells never became VMs
    expect(host.removed).toEqual(['vm1', 'vm2']); // the cells' VMs are removed once recorded
    // started → (cell-started, cell-progress…, cell-finished) per cell in turn (one lane) → finished
    const seq = events.map((e) => ('cell' in e ? `${e.kind}:${typeof e.cell === 'number' ? e.cell : e.cell.index}` : e.kind));
    const compact = seq.filter((s, i) => s !== seq[i - 1]);
    expect(compact).toEqual([
      'started',
      'cell-started:0',
      'cell-progress:0',
      'cell-finished:0',
      'cell-started:1',
      'cell-progress:1',
      'cell-finished:1',
      'finished',
    ]);
    expect(runner.result(run.id)).toEqual(done);
    expect(runner.list().map((r) => r.id)).toEqual([run.id]);
  });

  it('runs at most `jobs` cells at once', async () => {
    const { host, runner, events } = scripted();
    await runner.start({ name: 'jobs', base: base(), jobs: 2, axes: [{ field: 'boot.append', values: Array(7).fill('exit:0') }] });
    expect((await until(() => finished(events))).summary?.passed).toBe(7);
    expect(host.maxRunning).toBe(2);
  });

  it('honours an expected status and a console regex', async () => {
    const { runner, events } = scripted();
    await runner.start({
      name: 'expect',
      base: base(),
      expect: { status: 3, console: 'out \\d' },
      axes: [{ field: 'boot.append', values: ['exit:3', 'exit:0'] }],
    });
    const done = await until(() => finished(events));
    expect(done.cells.map((c) => c.state)).toEqual(['passed', 'failed']);
    expect(done.cells[0].verdict).toBe('exit status 3; console matches /out \\d/');
  });

  it('stops a cell at its timeout (outcome timeout) and records a cell that cannot start as an error', async () => {
    const { runner, events } = scripted();
    await runner.start({ name: 'slow', base: base(), timeoutMs: 100, axes: [{ field: 'boot.append', values: ['hang', 'fail-start'] }] });
    const done = await until(() => finished(events));
    expect(done.cells[0]).toMatchObject({ state: 'failed', outcome: { kind: 'timeout' } });
    expect(done.cells[1]).toMatchObject({ state: 'failed', outcome: { kind: 'error', message: 'cannot start: scripted' } });
  });

  it('cancel stops the running cell and cancels the queued ones', async () => {
    const { host, runner, events } = scripted();
    const run = await runner.start({
      name: 'cancel',
      base: base(),
      jobs: 1,
      axes: [{ field: 'boot.append', values: ['hang', 'exit:0', 'exit:0'] }],
    });
    await until(() => events.some((e) => e.kind === 'cell-started'));
    await runner.cancel(run.id);
    const done = await until(() => finished(events));
    expect(done.state).toBe('cancelled');
    expect(done.cells.map((c) => c.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(done.summary).toMatchObject({ cancelled: 3, passed: 0 });
    expect(host.vms.size).toBe(1);
  });
});

describe('matrix runner through VmHost (real guests)', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'armlab-matrix-'));
  let host: VmHost;
  const events: HostEvent[] = [];
  const matrixEvents = (): MatrixEvent[] => events.flatMap((e) => (e.type === 'matrix' ? [e.event] : []));

  beforeAll(async () => {
    host = new VmHost({ root, workerUrl: await ensureWorker(), dataDir, transport: 'serve', version: 'test' });
    host.on((e) => events.push(e));
  }, 120_000);
  afterAll(async () => {
    await host.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs exit_status.elf across CPU models × 1, 2 vCPUs: every cell exits 42 and passes; MIPS measured', async () => {
    const run = await host.matrixStart({
      name: 'models',
      base: base({ boot: { kind: 'program', path: guest('exit_status') } }),
      axes: [
        { field: 'cpus.model', values: ['cortex-a53', 'max'] },
        { field: 'cpus', values: [1, 2] },
      ],
      expect: { status: 42, console: 'exiting with 42' },
      jobs: 1,
      timeoutMs: 30_000,
    });
    expect(run.cells.map((c) => c.label)).toEqual([
      'cpus.model=cortex-a53 cpus=1',
      'cpus.model=cortex-a53 cpus=2',
      'cpus.model=max cpus=1',
      'cpus.model=max cpus=2',
    ]);
    const done = await until(() => finished(matrixEvents()), 120_000);
    for (const c of done.cells) {
      expect(c, c.label).toMatchObject({ state: 'passed', outcome: { kind: 'exit', status: 42 } });
      expect(c.instructions).toBeGreaterThan(1000);
      expect(c.mips).toBeGreaterThan(0);
      expect(c.wallMs).toBeGreaterThan(0);
      expect(c.console?.at(-1)).toBe('exiting with 42');
    }
    expect(done.summary).toMatchObject({ cells: 4, passed: 4, failed: 0, invalid: 0 });
    expect(await host.matrixResult(run.id)).toEqual(done);
    expect(await host.list()).toEqual([]); // the cells' VMs are gone
  }, 150_000);

  it('validates every cell with the host: RAM above 4 GiB is fine, GICv2 at EL3 and an unknown model are not', async () => {
    const cells = await host.matrixCells({
      name: 'v',
      base: base(),
      axes: [
        { field: 'memory', values: [[{ base: 0x4000_0000, size: 2 ** 27 }], [{ base: 2 ** 32, size: 2 ** 27 }]] },
        { field: 'gic', values: [2] },
        { field: 'entryEl', values: [1, 3] },
      ],
    });
    expect(cells.map((c) => c.state)).toEqual(['queued', 'invalid', 'invalid', 'invalid']);
    // hello.elf is linked at 0x40080000: outside RAM at 4 GiB.
    expect(cells[2].problems?.join(' ')).toMatch(/outside RAM region 0/);
    expect(cells[1].problems?.join(' ')).toMatch(/GICv2 has no Security Extensions/);
    await expect(host.matrixCells({ name: 'v', base: base(), axes: [{ field: 'cpus', values: [] }] })).rejects.toThrow(ApiFailure);
  });

  it("a kernel-style cell reports its boot milestones as cell progress (lab_boot_log's console)", async () => {
    const before = matrixEvents().length;
    const run = await host.matrixStart({
      name: 'boot',
      base: base({ boot: { kind: 'kernel', path: guest('lab_boot_log') } }),
      axes: [{ field: 'cpus', values: [1] }],
      expect: { console: 'Run /init' },
    });
    const done = await until(() => finished(matrixEvents().slice(before)), 60_000);
    expect(done.cells[0]).toMatchObject({ state: 'passed', verdict: 'console matches /Run /init/' });
    const phases = matrixEvents()
      .slice(before)
      .flatMap((e) => (e.kind === 'cell-progress' && e.matrix === run.id && e.phase ? [e.phase] : []));
    expect(phases).toContain('running');
    expect(phases.some((p) => p.startsWith('booting: '))).toBe(true);
    const fractions = matrixEvents()
      .slice(before)
      .flatMap((e) => (e.kind === 'cell-progress' && e.fraction !== undefined ? [e.fraction] : []));
    expect(fractions.at(-1)).toBeGreaterThan(0);
  }, 60_000);

  it('cancels a long real cell: the VM stops and the matrix ends cancelled', async () => {
    const before = matrixEvents().length;
    const run = await host.matrixStart({
      name: 'long',
      base: base({ boot: { kind: 'program', path: path.join(root, 'resources', 'bench', 'out', 'pagestride.elf'), append: '1000000' } }),
      axes: [{ field: 'cpus.model', values: ['cortex-a57', 'max'] }],
      jobs: 1,
    });
    await until(
      () =>
        matrixEvents()
          .slice(before)
          .some((e) => e.kind === 'cell-progress' && e.instructions !== undefined),
      30_000,
    );
    await host.matrixCancel(run.id);
    const done = await until(() => finished(matrixEvents().slice(before)), 30_000);
    expect(done.state).toBe('cancelled');
    expect(done.cells.map((c) => c.state)).toEqual(['cancelled', 'cancelled']);
    expect(await host.list()).toEqual([]);
  }, 60_000);
});

/**
 * VmHost: the host side of the API (api.ts). Owns the VMs, one worker thread
 * each (vm-worker.ts), their lifecycle, console and counter history, and the
 * saved configurations. Both transports (Electron IPC, WebSocket) call it
 * through `dispatch` (dispatch.ts); the CLI may call it directly.
 *
 * Lifecycle (VmState): created → starting → running ⇄ paused → stopping → exited,
 * or failed. A VM that ended may be started again (a new run of the same spec).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MODELS } from '../a64/models.js';
import type {
  BackendInfo,
  CheckerReport,
  CounterSnapshot,
  FetchResult,
  HostApi,
  HostEvent,
  HostInfo,
  Inspection,
  InspectQuery,
  MatrixCell,
  MatrixId,
  MatrixRun,
  MatrixSpec,
  Outcome,
  Problem,
  RunControls,
  RunSummary,
  VmHistory,
  VmId,
  VmSpec,
  VmState,
  VmSummary,
} from './api.js';
import { backends, checkSpec, cpuModelInfo, MAX_CPUS, presets } from './config.js';
import { fetchScript, runFetchGuest } from './fetch-guest.js';
import { MatrixRunner, MatrixSpecError } from './matrix.js';
import { defaultDataDir, SavedSpecs } from './saved.js';
import { summaryOf } from './summary.js';
import { CTRL, PAUSE, RUN, STOP, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol.js';

/** An API call that failed for a reason the user should see (bad id, wrong state, invalid configuration). */
export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

/** A matrix refused as a whole becomes an API failure the user sees. */
async function matrixCall<T>(f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    if (e instanceof MatrixSpecError) throw new ApiFailure(e.message);
    throw e;
  }
}

export interface VmHostOptions {
  /** Repository (or app resources) root: presets and resources are found from here. */
  root: string;
  /** The bundled worker (dist/vm-worker.js, out/main/vm-worker.js). Default: vm-worker.js next to this module's bundle. */
  workerUrl?: URL | string;
  /**
   * The bundled vCPU worker of SMP machines (dist/vcpu-worker.js, out/main/vcpu-worker.js), which the
   * VM worker starts once per vCPU. Default: vcpu-worker.js next to the VM worker.
   */
  vcpuWorkerUrl?: URL | string;
  dataDir?: string;
  transport: HostInfo['transport'];
  version: string;
  /** How long pause/resume/stop wait for the worker to acknowledge (ms). */
  ackTimeoutMs?: number;
}

const CONSOLE_KEEP = 256 * 1024;
/** Checker reports kept per run (and sent as events); the summary counts all of them. */
const CHECKER_KEEP = 500;
const COUNTERS_KEEP = 6000;
/** Ended VMs keep their worker (for the inspector); beyond this many, the oldest are released. */
const ENDED_WORKERS_KEEP = 4;

type WorkerKind = FromWorker['kind'];

interface Run {
  worker: Worker;
  control: Int32Array;
  ended: boolean;
  waiters: { kinds: WorkerKind[]; resolve: (m: FromWorker | undefined) => void }[];
  inspections: Map<number, { resolve: (r: Inspection) => void; reject: (e: Error) => void }>;
}

interface VmRecord {
  id: VmId;
  spec: VmSpec;
  state: VmState;
  startedAt?: number;
  outcome?: Outcome;
  error?: string;
  summary?: RunSummary;
  console: Uint8Array[];
  consoleBytes: number;
  counters: CounterSnapshot[];
  checker: CheckerReport[];
  /** Every checker report of the run, also those beyond CHECKER_KEEP. */
  checkerTotal: number;
  controls?: RunControls;
  run?: Run;
  endedAt?: number;
}

export class VmHost implements HostApi {
  private readonly vms = new Map<VmId, VmRecord>();
  private readonly listeners = new Set<(e: HostEvent) => void>();
  private readonly saved: SavedSpecs;
  private readonly backendList: BackendInfo[];
  private readonly workerUrl: URL | string;
  private readonly vcpuWorkerUrl: URL;
  private nextId = 1;
  private nextInspect = 1;
  private fetching: Promise<FetchResult> | undefined;
  /** Configuration matrices (core/host/matrix.ts): their cells are ordinary VMs of this host. */
  private readonly matrices = new MatrixRunner(this, (e) => this.emit(e));

  constructor(private readonly opts: VmHostOptions) {
    this.saved = new SavedSpecs(opts.dataDir ?? defaultDataDir());
    this.backendList = backends();
    this.workerUrl = opts.workerUrl ?? new URL('./vm-worker.js', import.meta.url);
    const asUrl = (u: URL | string): URL => (u instanceof URL ? u : /^[a-z]+:\/\//i.test(u) ? new URL(u) : pathToFileURL(u));
    this.vcpuWorkerUrl = opts.vcpuWorkerUrl ? asUrl(opts.vcpuWorkerUrl) : new URL('./vcpu-worker.js', asUrl(this.workerUrl));
  }

  /** Subscribes to events of every VM; returns the unsubscribe function. */
  on(listener: (e: HostEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: HostEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A broken listener (closed socket, destroyed window) must not stop the VM's events.
      }
    }
  }

  private get(id: VmId): VmRecord {
    const r = this.vms.get(id);
    if (!r) throw new ApiFailure(`no VM '${id}'`);
    return r;
  }

  private view(r: VmRecord): VmSummary {
    return {
      id: r.id,
      spec: r.spec,
      state: r.state,
      startedAt: r.startedAt,
      outcome: r.outcome,
      error: r.error,
      summary: r.summary,
      controls: r.controls,
    };
  }

  private setState(r: VmRecord, state: VmState): void {
    r.state = state;
    this.emit({ type: 'state', vm: r.id, state, summary: this.view(r) });
  }

  // ------------------------------------------------------------ API

  async info(): Promise<HostInfo> {
    return {
      version: this.opts.version,
      transport: this.opts.transport,
      backends: this.backendList,
      cpuModels: Object.values(MODELS).map(cpuModelInfo),
      presets: presets(this.opts.root),
      maxCpus: MAX_CPUS,
      dataDir: this.saved.dir,
    };
  }

  async validate(spec: VmSpec): Promise<Problem[]> {
    return checkSpec(spec, this.backendList).problems;
  }

  async create(spec: VmSpec): Promise<VmSummary> {
    const { problems } = checkSpec(spec, this.backendList);
    if (problems.length > 0)
      throw new ApiFailure(`the configuration cannot launch: ${problems.map((p) => p.message).join('; ')}`, problems);
    const r: VmRecord = {
      id: `vm${this.nextId++}`,
      spec: structuredClone(spec),
      state: 'created',
      console: [],
      consoleBytes: 0,
      counters: [],
      checker: [],
      checkerTotal: 0,
    };
    this.vms.set(r.id, r);
    this.setState(r, 'created');
    return this.view(r);
  }

  async list(): Promise<VmSummary[]> {
    return [...this.vms.values()].map((r) => this.view(r));
  }

  async history(id: VmId): Promise<VmHistory> {
    const r = this.get(id);
    return { vm: this.view(r), console: Buffer.concat(r.console).toString('base64'), counters: r.counters, checker: r.checker };
  }

  async start(id: VmId): Promise<VmSummary> {
    const r = this.get(id);
    if (!['created', 'exited', 'failed'].includes(r.state))
      throw new ApiFailure(`${r.spec.name} is ${r.state}: only a VM that is not running can be started`);
    this.emit({ type: 'progress', vm: id, phase: 'reading the boot files' });
    const checked = checkSpec(r.spec, this.backendList);
    if (!checked.files)
      throw new ApiFailure(`the configuration cannot launch: ${checked.problems.map((p) => p.message).join('; ')}`, checked.problems);
    if (r.spec.cpus.length > 1 && this.vcpuWorkerUrl.protocol === 'file:' && !existsSync(fileURLToPath(this.vcpuWorkerUrl)))
      throw new ApiFailure(
        `${r.spec.name} has ${r.spec.cpus.length} vCPUs, but the vCPU worker bundle is missing (${fileURLToPath(this.vcpuWorkerUrl)}): build it with npm run build:cli (or npm run build for the app)`,
      );
    this.release(r);
    Object.assign(r, {
      outcome: undefined,
      error: undefined,
      summary: undefined,
      endedAt: undefined,
      console: [],
      consoleBytes: 0,
      counters: [],
      checker: [],
      checkerTotal: 0,
      controls: undefined,
    });
    r.startedAt = Date.now();
    const control = new SharedArrayBuffer(4 * 4);
    const init: WorkerInit = {
      spec: r.spec,
      program: checked.files.program,
      initrd: checked.files.initrd,
      control,
      vcpuWorkerUrl: this.vcpuWorkerUrl.href,
    };
    const worker = new Worker(this.workerUrl, { workerData: init, name: `armlab ${r.spec.name}` });
    const run: Run = { worker, control: new Int32Array(control), ended: false, waiters: [], inspections: new Map() };
    r.run = run;
    worker.on('message', (m: FromWorker) => this.onWorkerMessage(r, run, m));
    worker.on('error', (e) => this.onWorkerGone(r, run, `the VM worker crashed: ${e.message}`));
    worker.on('exit', (code) => this.onWorkerGone(r, run, `the VM worker exited (code ${code})`));
    this.setState(r, 'starting');
    this.emit({ type: 'progress', vm: id, phase: 'loading the program into guest RAM' });
    const m = await this.waitFor(run, ['loaded', 'failed', 'ended'], 30_000);
    if (m?.kind === 'failed') throw new ApiFailure(`${r.spec.name} failed to start: ${m.message}`);
    return this.view(r);
  }

  async pause(id: VmId): Promise<VmSummary> {
    const r = this.get(id);
    if (r.state !== 'running' || !r.run) throw new ApiFailure(`${r.spec.name} is ${r.state}: only a running VM can be paused`);
    if (r.controls && !r.controls.pause)
      throw new ApiFailure(`${r.spec.name}: ${r.controls.notes.find((n) => n.startsWith('pause')) ?? 'this machine cannot pause'}`);
    const m = await this.signal(r.run, PAUSE, ['paused', 'pause-refused', 'ended', 'failed']);
    if (m?.kind === 'pause-refused') throw new ApiFailure(`${r.spec.name}: ${m.message}`);
    return this.view(r);
  }

  async resume(id: VmId): Promise<VmSummary> {
    const r = this.get(id);
    if (r.state !== 'paused' || !r.run) throw new ApiFailure(`${r.spec.name} is ${r.state}: only a paused VM can be resumed`);
    await this.signal(r.run, RUN, ['resumed', 'ended', 'failed']);
    return this.view(r);
  }

  async stop(id: VmId): Promise<VmSummary> {
    const r = this.get(id);
    const run = r.run;
    if (!run || run.ended || !['starting', 'running', 'paused'].includes(r.state))
      throw new ApiFailure(`${r.spec.name} is ${r.state}: it is not running`);
    this.setState(r, 'stopping');
    const m = await this.signal(run, STOP, ['ended', 'failed']);
    if (m === undefined) {
      // The worker did not answer in time (stuck in a very long slice): end it the hard way.
      const last = r.counters.at(-1);
      this.finish(r, run, { kind: 'stopped' }, undefined, last?.t ?? 0);
      void run.worker.terminate();
    }
    return this.view(r);
  }

  async remove(id: VmId): Promise<void> {
    const r = this.get(id);
    if (r.run && !r.run.ended) throw new ApiFailure(`${r.spec.name} is ${r.state}: stop it first`);
    this.release(r);
    this.vms.delete(id);
    this.emit({ type: 'removed', vm: id });
  }

  async input(id: VmId, text: string): Promise<void> {
    const r = this.get(id);
    if (!r.run || r.run.ended) throw new ApiFailure(`${r.spec.name} is ${r.state}: it takes no input`);
    this.post(r.run, { kind: 'input', bytes: new TextEncoder().encode(text) });
  }

  async inspect(id: VmId, query: InspectQuery): Promise<Inspection> {
    const r = this.get(id);
    const run = r.run;
    if (!run) throw new ApiFailure(`${r.spec.name} has no machine to inspect (${r.state})`);
    const cpu = query.cpu ?? 0;
    if (!Number.isInteger(cpu) || cpu < 0 || cpu >= r.spec.cpus.length)
      throw new ApiFailure(`vCPU ${query.cpu} does not exist (${r.spec.name} has ${r.spec.cpus.length})`);
    if (r.controls && !r.controls.inspect)
      throw new ApiFailure(
        `${r.spec.name}: ${r.controls.notes.find((n) => n.includes('inspector')) ?? 'this machine cannot be inspected'}`,
      );
    const n = this.nextInspect++;
    return new Promise<Inspection>((resolve, reject) => {
      run.inspections.set(n, { resolve, reject });
      this.post(run, { kind: 'inspect', id: n, query });
    });
  }

  async listSaved(): Promise<VmSpec[]> {
    return this.saved.list();
  }

  async save(spec: VmSpec): Promise<VmSpec[]> {
    if (spec.name.trim() === '')
      throw new ApiFailure('a saved configuration needs a name', [{ field: 'name', message: 'give the VM a name' }]);
    const list = this.saved.save(spec);
    this.emit({ type: 'saved', saved: list });
    return list;
  }

  async deleteSaved(name: string): Promise<VmSpec[]> {
    const list = this.saved.delete(name);
    this.emit({ type: 'saved', saved: list });
    return list;
  }

  async fetchGuest(): Promise<FetchResult> {
    if (this.fetching) throw new ApiFailure('the Debian guest is already being fetched');
    this.fetching = runFetchGuest(fetchScript(this.opts.root), (task) => this.emit({ type: 'task', task }));
    try {
      return await this.fetching;
    } finally {
      this.fetching = undefined;
    }
  }

  async matrixCells(spec: MatrixSpec): Promise<MatrixCell[]> {
    return matrixCall(() => this.matrices.cells(spec));
  }

  async matrixStart(spec: MatrixSpec): Promise<MatrixRun> {
    return matrixCall(() => this.matrices.start(spec));
  }

  async matrixCancel(id: MatrixId): Promise<MatrixRun> {
    return matrixCall(() => this.matrices.cancel(id));
  }

  async matrixResult(id: MatrixId): Promise<MatrixRun> {
    return matrixCall(async () => this.matrices.result(id));
  }

  async matrixList(): Promise<MatrixRun[]> {
    return this.matrices.list();
  }

  /** Ends every worker (app quit, server shutdown, tests). */
  async dispose(): Promise<void> {
    await Promise.all([...this.vms.values()].map((r) => r.run?.worker.terminate()));
    this.vms.clear();
    this.listeners.clear();
  }

  // ------------------------------------------------------------ workers

  private post(run: Run, m: ToWorker): void {
    run.worker.postMessage(m);
  }

  private signal(run: Run, value: number, kinds: WorkerKind[]): Promise<FromWorker | undefined> {
    const answer = this.waitFor(run, kinds, this.opts.ackTimeoutMs ?? 5000);
    Atomics.store(run.control, CTRL, value);
    Atomics.notify(run.control, CTRL);
    return answer;
  }

  private waitFor(run: Run, kinds: WorkerKind[], timeoutMs: number): Promise<FromWorker | undefined> {
    return new Promise((resolve) => {
      const w = {
        kinds,
        resolve: (m: FromWorker | undefined) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        run.waiters = run.waiters.filter((x) => x !== w);
        resolve(undefined);
      }, timeoutMs);
      run.waiters.push(w);
    });
  }

  private onWorkerMessage(r: VmRecord, run: Run, m: FromWorker): void {
    if (r.run !== run) return;
    switch (m.kind) {
      case 'loaded':
        r.controls = m.controls;
        this.setState(r, 'running');
        this.emit({ type: 'progress', vm: r.id, phase: 'running' });
        break;
      case 'paused':
        this.setState(r, 'paused');
        break;
      case 'resumed':
        this.setState(r, 'running');
        break;
      case 'console': {
        r.console.push(m.bytes);
        r.consoleBytes += m.bytes.length;
        this.trimConsole(r);
        this.emit({ type: 'console', vm: r.id, data: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length).toString('base64') });
        break;
      }
      case 'counters':
        this.addCounters(r, m.snapshot);
        break;
      case 'progress':
        this.emit({
          type: 'progress',
          vm: r.id,
          phase: `booting: ${m.phase}`,
          fraction: m.fraction,
          step: m.step,
          steps: m.steps,
          elapsedMs: m.elapsedMs,
        });
        break;
      case 'checker':
        r.checkerTotal = Math.max(r.checkerTotal, m.total);
        for (const report of m.reports) {
          if (r.checker.length >= CHECKER_KEEP) break;
          r.checker.push(report);
          this.emit({ type: 'checker', vm: r.id, report });
        }
        break;
      case 'pause-refused':
        break;
      case 'inspected': {
        const p = run.inspections.get(m.id);
        run.inspections.delete(m.id);
        if (m.result) p?.resolve(m.result);
        else p?.reject(new ApiFailure(m.error ?? 'inspection failed'));
        break;
      }
      case 'ended':
        r.checkerTotal = Math.max(r.checkerTotal, m.checkerTotal);
        this.finish(r, run, m.outcome, m.snapshot, m.wallMs);
        break;
      case 'failed':
        run.ended = true;
        r.error = m.message;
        r.endedAt = Date.now();
        this.setState(r, 'failed');
        this.emit({ type: 'error', vm: r.id, message: m.message });
        void run.worker.terminate();
        break;
    }
    const waiters = run.waiters.filter((w) => w.kinds.includes(m.kind));
    run.waiters = run.waiters.filter((w) => !w.kinds.includes(m.kind));
    for (const w of waiters) w.resolve(m);
  }

  private addCounters(r: VmRecord, s: CounterSnapshot): void {
    r.counters.push(s);
    if (r.counters.length > COUNTERS_KEEP) r.counters.splice(0, r.counters.length - COUNTERS_KEEP);
    this.emit({ type: 'counters', vm: r.id, snapshot: s });
  }

  private trimConsole(r: VmRecord): void {
    let kept = r.console.reduce((a, b) => a + b.length, 0);
    while (kept > CONSOLE_KEEP && r.console.length > 1) kept -= r.console.shift()!.length;
  }

  private finish(r: VmRecord, run: Run, outcome: Outcome, last: CounterSnapshot | undefined, wallMs: number): void {
    if (run.ended) return;
    run.ended = true;
    if (last) this.addCounters(r, last);
    const final = last ?? r.counters.at(-1);
    r.outcome = outcome;
    r.summary = final ? summaryOf(final, wallMs, r.consoleBytes, r.spec.checkTlb ? r.checkerTotal : undefined) : undefined;
    r.endedAt = Date.now();
    if (r.summary) this.emit({ type: 'exit', vm: r.id, outcome, summary: r.summary });
    this.setState(r, 'exited');
    this.releaseOldWorkers();
  }

  private onWorkerGone(r: VmRecord, run: Run, message: string): void {
    for (const p of run.inspections.values()) p.reject(new ApiFailure(`${r.spec.name}: the machine is gone`));
    run.inspections.clear();
    for (const w of run.waiters) w.resolve(undefined);
    run.waiters = [];
    if (run.ended || r.run !== run) return;
    run.ended = true;
    r.error = message;
    this.setState(r, 'failed');
    this.emit({ type: 'error', vm: r.id, message });
  }

  /** Lets go of a VM's worker (and its guest RAM). */
  private release(r: VmRecord): void {
    const run = r.run;
    if (!run) return;
    run.ended = true;
    r.run = undefined;
    void run.worker.terminate();
  }

  private releaseOldWorkers(): void {
    const ended = [...this.vms.values()].filter((r) => r.run?.ended).sort((a, b) => (a.endedAt ?? 0) - (b.endedAt ?? 0));
    for (const r of ended.slice(0, Math.max(0, ended.length - ENDED_WORKERS_KEEP))) this.release(r);
  }
}

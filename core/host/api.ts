/**
 * The host API: the one typed interface the UI (Electron or browser) and the
 * CLI use to drive VMs. Types only, plus the message protocol both transports
 * carry (Electron IPC through the preload, WebSocket in browser mode).
 *
 * Everything here is plain JSON-safe data (no bigint, no typed arrays): the
 * same messages cross structured clone (IPC) and JSON (WebSocket). Addresses
 * are numbers: physical addresses are at most 52 bits, which a double holds
 * exactly; virtual addresses travel as 0x-prefixed hex strings.
 *
 * The renderer imports only types from this file (lint rule armlab/layers).
 */

// ---------------------------------------------------------------- configuration

export type Backend = 'tcg' | 'kvm';

/** One vCPU: its CPU model (core/a64/models.ts) and cluster (big.LITTLE: clusters of different models). */
export interface VcpuSpec {
  model: string;
  cluster?: number;
}

/** A RAM region in the guest physical address space (bytes). The first region is where kernels and the DTB go. */
export interface MemoryRegionSpec {
  base: number;
  size: number;
}

/** What to boot: a bare-metal program (ELF/raw) or a Linux kernel with optional initrd and command line. */
export type BootSpec =
  { kind: 'program'; path: string; append?: string } | { kind: 'kernel'; path: string; initrd?: string; append?: string };

/** The exception level the guest enters at: EL1, or EL2 (QEMU virtualization=on), or EL3 (secure=on). */
export type EntryEl = 1 | 2 | 3;

/** A VM configuration as the user edits and saves it. */
export interface VmSpec {
  name: string;
  backend: Backend;
  cpus: VcpuSpec[];
  memory: MemoryRegionSpec[];
  boot: BootSpec;
  entryEl: EntryEl;
  /**
   * Check TLB maintenance (DESIGN §3): every vCPU re-walks on TLB hits and watches page-table
   * pages; stale translations and break-before-make violations arrive as checker reports.
   * Slower: the memory fast path is off.
   */
  checkTlb?: boolean;
  /** Interrupt controller (QEMU virt gic-version): 3 (default) or 2 (GICv2: TCG only, not with entry at EL3). */
  gic?: 2 | 3;
}

/** One reason a configuration cannot launch, tied to the field the user must change. */
export interface Problem {
  field: 'name' | 'backend' | 'cpus' | 'memory' | 'boot' | 'entryEl' | 'checkTlb' | 'gic';
  /** Index of the vCPU or memory region the problem is about. */
  index?: number;
  message: string;
}

export interface Preset {
  id: string;
  title: string;
  description: string;
  spec: VmSpec;
  /** Why the preset cannot run here (e.g. its program is not built), if it cannot. */
  unavailable?: string;
}

export interface CpuModelInfo {
  name: string;
  /** MIDR_EL1 as 0x-prefixed hex. */
  midr: string;
  paBits: number;
  /** Translation features of the model (granules, VA/PA extensions) for the setup screen. */
  granules: string[];
  features: string[];
}

export interface BackendInfo {
  kind: Backend;
  available: boolean;
  /** Why the backend cannot be used, when it cannot. */
  reason?: string;
  /** What it offers, when it can be used (KVM: the host's IPA size). */
  detail?: string;
}

export interface HostInfo {
  version: string;
  /** 'electron' inside the desktop app, 'serve' in browser mode, 'cli' under `armlab matrix`. */
  transport: 'electron' | 'serve' | 'cli';
  backends: BackendInfo[];
  cpuModels: CpuModelInfo[];
  presets: Preset[];
  /** How many vCPUs a VM may have (more than one: the SMP machine, one worker thread per vCPU). */
  maxCpus: number;
  /** Where saved VM configurations live. */
  dataDir: string;
}

// ---------------------------------------------------------------- VMs and runs

export type VmId = string;

/**
 * VM lifecycle:
 *   created → starting → running ⇄ paused → stopping → exited
 *                      ↘ failed (could not load / emulator error)
 */
export type VmState = 'created' | 'starting' | 'running' | 'paused' | 'stopping' | 'exited' | 'failed';

/** How a run ended. */
export type Outcome =
  { kind: 'exit'; status: number } | { kind: 'poweroff' } | { kind: 'reset' } | { kind: 'stopped' } | { kind: 'error'; message: string };

/**
 * Cumulative counters of one vCPU at one instant. Which fields exist depends on the machine:
 * one vCPU (VirtMachine in the VM worker) measures the memory path, walks, exceptions, MMIO and
 * blocks; the SMP machine (one worker per vCPU) measures instructions and the shootdown protocol
 * (TLBIs, DSB waits, acknowledgement latency) and whatever else its shared counters offer.
 * A missing field is "not measured by this machine", never 0.
 */
export interface VcpuCounters {
  cpu: number;
  instructions: number;
  /** Millions of instructions per second over the interval since the previous snapshot. */
  mips: number;
  /** Software-TLB fills on the memory fast path (MemPath.tlbMisses). */
  tlbFills?: number;
  /** Page-table walks (Mmu.walks). */
  walks?: number;
  /** Translation faults reported by the MMU (Mmu.faults). */
  translationFaults?: number;
  /** Exceptions taken (Cpu.excCount). */
  exceptions?: number;
  mmioAccesses?: number;
  /** Translated blocks decoded (BlockCache.blocksBuilt). */
  blocksDecoded?: number;
  /** SMP: broadcast TLBI requests this vCPU posted to the others. */
  tlbiSent?: number;
  /** SMP: shootdown requests this vCPU received (drained from its mailbox) and acknowledged. */
  tlbiReceived?: number;
  /** SMP: DSBs that had to wait for acknowledgements, and the time spent waiting (µs). */
  dsbWaits?: number;
  dsbWaitUs?: number;
  /** SMP: acknowledgement latency of the requests this vCPU received, average and maximum over the run (µs). */
  ackLatencyAvgUs?: number;
  ackLatencyMaxUs?: number;
  /**
   * Translations a TLB answered without a walk: one vCPU counts fast-path and architectural-TLB hits
   * (Mmu.tlbHits); the SMP machine counts architectural-TLB hits after a fast-path miss (core/smp counters).
   */
  tlbHits?: number;
  /** TLB lookups that needed a walk (Mmu.tlbMisses); where absent, walks stand in for misses. */
  tlbMisses?: number;
  /** TLBIs this vCPU applied, all scopes (executed here or received by broadcast; Mmu.tlbiByScope). */
  tlbiLocal?: number;
  /** SMP: GIC kicks (SGIs, routed SPIs) sent to and received from other vCPUs. */
  ipisSent?: number;
  ipisReceived?: number;
  /** SMP: time asleep in WFI/WFE (µs). */
  wfiUs?: number;
  /** SMP: median and 99th percentile of acknowledgement latency over the run (µs, upper bound of a log2 bucket). */
  ackLatencyP50Us?: number;
  ackLatencyP99Us?: number;
  /** KVM: exits from KVM_RUN (every reason), and time inside KVM_RUN and in userspace between runs (ms). */
  kvmExits?: number;
  kvmGuestMs?: number;
  kvmUserMs?: number;
  /** Further per-vCPU counters the machine offers (name → cumulative value), shown as they are. */
  other?: Record<string, number>;
}

/** One counter sample of a VM (~10 per second while it runs, and one when it ends). */
export interface CounterSnapshot {
  /** Milliseconds of run time since start (paused time excluded). */
  t: number;
  cpus: VcpuCounters[];
}

/** A problem the TLB-maintenance checker found (core/mmu/checker.ts CheckerReport, as plain data). */
export interface CheckerReport {
  /** 'stale-tlb' (a TLB hit on a translation the tables no longer give) or 'bbm' (break-before-make violation). */
  kind: string;
  cpu: number;
  /** PC of the translated block that made the access (hex). */
  pc: string;
  /** The VA translated, or '' when unknown. */
  va: string;
  /** Physical address of the descriptor that changed (hex). */
  descriptorPa: string;
  /** The descriptor before and after (hex). */
  old: string;
  new: string;
  detail: string;
  /** One line: everything above, as `armlab run --check` prints it. */
  message: string;
}

/** Summary figures of a run, for the run and compare views. Optional figures: not measured by this machine. */
export interface RunSummary {
  wallMs: number;
  /** vCPUs the run had. */
  cpus: number;
  instructions: number;
  /** Average over the run time. */
  mips: number;
  tlbFills?: number;
  walks?: number;
  exceptions?: number;
  mmioAccesses?: number;
  blocksDecoded?: number;
  consoleBytes: number;
  /** SMP: broadcast TLBIs sent (all vCPUs), DSB waits and the time spent in them, worst acknowledgement latency, IPIs sent. */
  tlbiSent?: number;
  ipisSent?: number;
  dsbWaits?: number;
  dsbWaitUs?: number;
  ackLatencyMaxUs?: number;
  /** KVM: exits from KVM_RUN (all vCPUs) and time inside KVM_RUN (ms, summed over vCPUs). */
  kvmExits?: number;
  kvmGuestMs?: number;
  /** Checker runs: reports found (all of them, also those beyond what the host keeps). */
  checkerReports?: number;
}

/** What a run of this VM supports (some controls are not available on every machine yet). */
export interface RunControls {
  pause: boolean;
  inspect: boolean;
  /** Why a control is missing, in words for the user. */
  notes: string[];
}

export interface VmSummary {
  id: VmId;
  spec: VmSpec;
  state: VmState;
  /** Wall-clock start time (ms since the epoch), once started. */
  startedAt?: number;
  outcome?: Outcome;
  /** The reason a VM failed. */
  error?: string;
  summary?: RunSummary;
  /** What the current (or last) run supports, once it is loaded. */
  controls?: RunControls;
}

/** Everything a view needs to show a run that was already going: console so far and counter history. */
export interface VmHistory {
  vm: VmSummary;
  /** Console output so far (base64; the host keeps the most recent bytes). */
  console: string;
  counters: CounterSnapshot[];
  /** The first reports of the run (the host keeps at most a few hundred; summary.checkerReports counts all). */
  checker: CheckerReport[];
}

// ---------------------------------------------------------------- inspector

export type AccessKind = 'read' | 'write' | 'exec';

export interface InspectQuery {
  /** Virtual address, 0x-prefixed hex. */
  va: string;
  access: AccessKind;
  /** Exception level to translate for (default: the vCPU's current EL). */
  el?: number;
  /** Which vCPU's registers and TLB (default 0). */
  cpu?: number;
}

/** One level of a walk (core/mmu/inspect.ts InspectLevel). */
export interface InspectionLevel {
  stage: 1 | 2;
  level: number;
  tableBase: string;
  index: number;
  descPa: string;
  desc?: string;
  kind: string;
  next?: string;
  fields: Record<string, number | string>;
}

/** The translation of one VA as the inspector reports it (core/mmu/inspect.ts InspectResult). */
export interface Inspection {
  va: string;
  el: number;
  access: AccessKind;
  regime: string;
  stage1: boolean;
  stage2: boolean;
  levels: InspectionLevel[];
  ok: boolean;
  pa?: string;
  attrs?: Record<string, number | string>;
  fault?: {
    kind: string;
    level: number;
    stage: 1 | 2;
    s1ptw: boolean;
    dfsc: string;
    esr: string;
    far: string;
    hpfar?: string;
    ipa?: string;
  };
}

// ---------------------------------------------------------------- events

export type HostEvent =
  | { type: 'state'; vm: VmId; state: VmState; summary: VmSummary }
  /** Guest console output, base64 (batched: one event per ~50 ms at most per VM). */
  | { type: 'console'; vm: VmId; data: string }
  | { type: 'counters'; vm: VmId; snapshot: CounterSnapshot }
  | { type: 'exit'; vm: VmId; outcome: Outcome; summary: RunSummary }
  | { type: 'error'; vm: VmId; message: string }
  | { type: 'checker'; vm: VmId; report: CheckerReport }
  /**
   * Long work on a VM: what is happening, and how far it is when that is known (0..1). Linux boots: milestone
   * `step` of `steps` read from the console (core/host/boot-progress.ts), at `elapsedMs` of run time.
   */
  | { type: 'progress'; vm: VmId; phase: string; fraction?: number; step?: number; steps?: number; elapsedMs?: number }
  /** Long work not tied to a VM: the Debian guest download (fetchGuest), one event per step and while bytes arrive. */
  | { type: 'task'; task: TaskProgress }
  /** Browser mode: the server dropped counter snapshots of this VM for this client (it fell behind); `history` restores them. */
  | { type: 'dropped'; vm: VmId }
  | { type: 'saved'; saved: VmSpec[] }
  | { type: 'removed'; vm: VmId }
  /** A configuration-matrix run (matrixStart): its cells as they start, progress and end. */
  | { type: 'matrix'; event: MatrixEvent };

/** Progress of the Debian guest download (scripts/fetch-guest.sh, run by fetchGuest). */
export interface TaskProgress {
  task: 'fetch-guest';
  /** What the script is doing (the package being downloaded, building the initramfs …). */
  phase: string;
  /** Step k of n (a cached package's step is skipped). */
  step: number;
  steps: number;
  /** Bytes downloaded into the cache so far in this step, when known. */
  bytes?: number;
  /** Run time so far (ms). */
  elapsedMs: number;
  /** The last event of the task; `error` when it failed. */
  done?: boolean;
  error?: string;
}

/** How a guest download ended. */
export interface FetchResult {
  ok: boolean;
  /** The script's last words: where the guest is, or why it could not be fetched. */
  message: string;
}

// ---------------------------------------------------------------- configuration matrix (core/host/matrix.ts)

/**
 * A VmSpec field an axis varies: `cpus.model` sets every vCPU's model; `cpus` is a vCPU count (copies of the
 * first vCPU) or a list of vCPUs; `memory` a list of RAM regions; `boot.append` the command line.
 */
export type MatrixField = 'backend' | 'cpus.model' | 'cpus' | 'memory' | 'gic' | 'entryEl' | 'boot.append' | 'boot.path' | 'checkTlb';

/** A value of an axis (JSON): a string, number or boolean, or for `cpus`/`memory` a list. */
export type MatrixValue = string | number | boolean | VcpuSpec[] | MemoryRegionSpec[];

export interface MatrixAxis {
  field: MatrixField;
  values: MatrixValue[];
}

/** When a cell passes: by default, exit status 0 (or PSCI SYSTEM_OFF, as `armlab run` exits 0). */
export interface MatrixExpect {
  /** The semihosting exit status the guest must end with (0 also accepts a poweroff). */
  status?: number;
  /** A regular expression (JavaScript syntax) the console output must match. */
  console?: string;
}

/** A configuration matrix: a base VmSpec and the axes whose cartesian product gives the cells. */
export interface MatrixSpec {
  name: string;
  base: VmSpec;
  axes: MatrixAxis[];
  /** Wall-time limit of each cell (ms); default 60 s. */
  timeoutMs?: number;
  /** Cells run at once; default: one per two host cores (1 on 2 cores). */
  jobs?: number;
  expect?: MatrixExpect;
}

export type MatrixCellState = 'queued' | 'running' | 'passed' | 'failed' | 'invalid' | 'cancelled';

/** How a cell ended: a run's outcome, or the runner's own (timeout, cancelled, could not start). */
export type MatrixOutcome = Outcome | { kind: 'timeout' } | { kind: 'cancelled' };

/** One cell: its axis values, state and, once it ended, its result. */
export interface MatrixCell {
  index: number;
  /** The value of each axis, in axis order. */
  values: MatrixValue[];
  /** The values in words, e.g. `cpus.model=cortex-a53 cpus=2`. */
  label: string;
  state: MatrixCellState;
  /** Invalid cells: every reason the configuration cannot launch (never run). */
  problems?: string[];
  /** The VM of the cell while it runs (removed from the host when the cell ends). */
  vm?: VmId;
  outcome?: MatrixOutcome;
  /** Wall time of the run, start to end (ms). */
  wallMs?: number;
  instructions?: number;
  /** Average over the run (TCG; KVM counts no instructions). */
  mips?: number;
  /** The last lines of the console. */
  console?: string[];
  /** Why the cell passed or failed, in words. */
  verdict?: string;
  /** While it runs: what the VM is doing (its progress phase, a boot's milestone). */
  phase?: string;
  fraction?: number;
  elapsedMs?: number;
}

export interface MatrixSummary {
  cells: number;
  passed: number;
  failed: number;
  invalid: number;
  cancelled: number;
  wallMs: number;
}

export type MatrixId = string;

export interface MatrixRun {
  id: MatrixId;
  spec: MatrixSpec;
  state: 'running' | 'finished' | 'cancelled';
  cells: MatrixCell[];
  /** Cells run at once. */
  jobs: number;
  startedAt: number;
  summary?: MatrixSummary;
}

/** A matrix run as it goes: started (every cell, invalid ones marked), cells start, progress and end, then the summary. */
export type MatrixEvent =
  | { kind: 'started'; matrix: MatrixId; run: MatrixRun }
  | { kind: 'cell-started'; matrix: MatrixId; cell: MatrixCell }
  | {
      kind: 'cell-progress';
      matrix: MatrixId;
      cell: number;
      elapsedMs: number;
      phase?: string;
      fraction?: number;
      instructions?: number;
      mips?: number;
    }
  | { kind: 'cell-finished'; matrix: MatrixId; cell: MatrixCell }
  | { kind: 'finished'; matrix: MatrixId; run: MatrixRun };

// ---------------------------------------------------------------- the API

/**
 * The operations, as a map from method name to parameters and result. One
 * table drives the server dispatch, both transports and the client, so a
 * method cannot exist on one side only.
 */
export interface ApiMethods {
  info: { params: []; result: HostInfo };
  /** Problems that would prevent launching this configuration (empty: it can launch). */
  validate: { params: [spec: VmSpec]; result: Problem[] };
  /** Creates a VM (validated first; fails with the problems). */
  create: { params: [spec: VmSpec]; result: VmSummary };
  list: { params: []; result: VmSummary[] };
  history: { params: [id: VmId]; result: VmHistory };
  start: { params: [id: VmId]; result: VmSummary };
  pause: { params: [id: VmId]; result: VmSummary };
  resume: { params: [id: VmId]; result: VmSummary };
  stop: { params: [id: VmId]; result: VmSummary };
  /** Forgets a VM that is not running. */
  remove: { params: [id: VmId]; result: void };
  /** Console input (UTF-8 text) to the guest's UART. */
  input: { params: [id: VmId, text: string]; result: void };
  /** Translate a VA on a paused (or ended) VM without disturbing its TLB. */
  inspect: { params: [id: VmId, query: InspectQuery]; result: Inspection };
  /** Saved configurations (persisted in the user's data directory). */
  listSaved: { params: []; result: VmSpec[] };
  save: { params: [spec: VmSpec]; result: VmSpec[] };
  deleteSaved: { params: [name: string]; result: VmSpec[] };
  /**
   * Downloads Debian's kernel and builds the initramfs for the Debian preset (scripts/fetch-guest.sh), with
   * `task` events on the way; resolves when the script ends (one download at a time).
   */
  fetchGuest: { params: []; result: FetchResult };
  /** The cells of a matrix, each validated (invalid ones say why), without running any. */
  matrixCells: { params: [spec: MatrixSpec]; result: MatrixCell[] };
  /** Starts a matrix run; resolves at once (cells queued), `matrix` events follow. */
  matrixStart: { params: [spec: MatrixSpec]; result: MatrixRun };
  /** Stops a matrix run: running cells are stopped, queued ones cancelled. */
  matrixCancel: { params: [id: MatrixId]; result: MatrixRun };
  /** A matrix run as it is now (while it runs, and after). */
  matrixResult: { params: [id: MatrixId]; result: MatrixRun };
  matrixList: { params: []; result: MatrixRun[] };
}

export type Method = keyof ApiMethods;
export type Params<M extends Method> = ApiMethods[M]['params'];
export type Result<M extends Method> = ApiMethods[M]['result'];

/** The API as an object: what the host implements and what the client offers. */
export type HostApi = { [M in Method]: (...params: Params<M>) => Promise<Result<M>> };

// ---------------------------------------------------------------- wire protocol

/** Client → host. */
export type Request = { [M in Method]: { kind: 'request'; id: number; method: M; params: Params<M> } }[Method];

export interface ApiError {
  message: string;
  /** Set when a configuration was refused. */
  problems?: Problem[];
}

/** Host → client. */
export type Reply = { kind: 'reply'; id: number; ok: true; result: unknown } | { kind: 'reply'; id: number; ok: false; error: ApiError };

export type ServerMessage = Reply | { kind: 'event'; event: HostEvent };

/** What the Electron preload exposes as `window.armlab` (the IPC transport). */
export interface IpcBridge {
  request(req: Request): Promise<Reply>;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (e: HostEvent) => void): () => void;
}

/* eslint-disable svelte/prefer-svelte-reactivity -- the console and counter streams are deliberately not reactive (they grow at 10 Hz); `rev` signals growth. */
/**
 * The renderer's view of the host: info, VMs, saved configurations, and the
 * per-VM streams (console bytes, counter snapshots, checker reports) kept as
 * the events arrive. Counter and console streams are not deeply reactive (they
 * grow at 10 Hz): `rev` changes when a VM's stream grows, and views read the
 * arrays when it does.
 */
import type {
  CheckerReport,
  CounterSnapshot,
  FetchResult,
  HostEvent,
  HostInfo,
  TaskProgress,
  VmId,
  VmSpec,
  VmSummary,
} from '../../../core/host/api';
import { decodeBase64, type Client, type Connection } from './client';

export type View = 'setup' | 'run' | 'compare' | 'matrix';

/** Long work on a VM as the run view shows it: loading phases, then a Linux boot's milestones. */
export interface VmProgress {
  phase: string;
  fraction?: number;
  step?: number;
  steps?: number;
  elapsedMs?: number;
}

/** As the host keeps them (core/host/vmhost.ts COUNTERS_KEEP, CONSOLE_KEEP): a long run does not grow the page without bound. */
export const COUNTERS_KEEP = 6000;
export const CONSOLE_KEEP = 256 * 1024;

export class Lab {
  info: HostInfo | undefined = $state();
  vms: VmSummary[] = $state([]);
  saved: VmSpec[] = $state([]);
  view: View = $state('setup');
  selected: VmId | undefined = $state();
  compare: [VmId | undefined, VmId | undefined] = $state([undefined, undefined]);
  connection: Connection = $state('connecting');
  connectionDetail: string | undefined = $state();
  /** Per VM: the current phase of long work (starting, loading …), when there is one. */
  progress: Record<VmId, VmProgress> = $state({});
  /** The Debian guest download, while it runs and its last event after. */
  fetch: TaskProgress | undefined = $state();
  /** Bumped when a VM's counters grow (per VM). */
  rev: Record<VmId, number> = $state({});
  checker: Record<VmId, CheckerReport[]> = $state({});
  lastError: string | undefined = $state();

  private readonly counters = new Map<VmId, CounterSnapshot[]>();
  private readonly consoleChunks = new Map<VmId, Uint8Array[]>();
  private readonly consoleListeners = new Map<VmId, Set<(b: Uint8Array | null) => void>>();
  /** VMs whose counter history is being re-fetched after the server dropped snapshots (slow connection). */
  private readonly refetching = new Set<VmId>();

  constructor(readonly client: Client) {
    client.onConnection((c, d) => {
      this.connection = c;
      this.connectionDetail = d;
    });
    client.onEvent((e) => this.onEvent(e));
  }

  async load(): Promise<void> {
    this.info = await this.client.call('info');
    this.saved = await this.client.call('listSaved');
    const vms = await this.client.call('list');
    for (const v of vms) {
      const h = await this.client.call('history', v.id);
      this.counters.set(v.id, h.counters.slice(-COUNTERS_KEEP));
      this.consoleChunks.set(v.id, [decodeBase64(h.console)]);
      this.checker[v.id] = h.checker;
      this.rev[v.id] = 1;
    }
    this.vms = vms;
    this.selected = vms.at(-1)?.id;
  }

  vm(id: VmId | undefined): VmSummary | undefined {
    return this.vms.find((v) => v.id === id);
  }

  countersOf(id: VmId): CounterSnapshot[] {
    return this.counters.get(id) ?? [];
  }

  /** Checker reports of a run with the checker on (as far as they arrived), or undefined when it is off. */
  checkerTotal(id: VmId): number | undefined {
    const v = this.vm(id);
    if (!v?.spec.checkTlb) return undefined;
    return Math.max(v.summary?.checkerReports ?? 0, this.checker[id]?.length ?? 0);
  }

  /** Runs the Debian guest download (scripts/fetch-guest.sh on the host), then reloads the presets. */
  async fetchGuest(): Promise<FetchResult> {
    const r = await this.client.call('fetchGuest');
    this.info = await this.client.call('info');
    return r;
  }

  consoleBytes(id: VmId): number {
    return (this.consoleChunks.get(id) ?? []).reduce((a, c) => a + c.length, 0);
  }

  /** Console output so far, then every new chunk (null: the VM restarted, clear the screen). */
  subscribeConsole(id: VmId, fn: (b: Uint8Array | null) => void): () => void {
    for (const c of this.consoleChunks.get(id) ?? []) fn(c);
    let set = this.consoleListeners.get(id);
    if (!set) this.consoleListeners.set(id, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /**
   * The server dropped counter snapshots of `id` for this page (its connection fell behind): take the host's
   * history, plus whatever arrived meanwhile after it.
   */
  private async refetchCounters(id: VmId): Promise<void> {
    if (this.refetching.has(id)) return;
    this.refetching.add(id);
    try {
      const h = await this.client.call('history', id);
      const last = h.counters.at(-1)?.t ?? -1;
      const newer = (this.counters.get(id) ?? []).filter((s) => s.t > last);
      this.counters.set(id, [...h.counters, ...newer].slice(-COUNTERS_KEEP));
      this.rev[id] = (this.rev[id] ?? 0) + 1;
    } catch {
      // The VM is gone (removed) or the connection closed: nothing to restore.
    } finally {
      this.refetching.delete(id);
    }
  }

  private upsert(s: VmSummary): void {
    const i = this.vms.findIndex((v) => v.id === s.id);
    if (i >= 0) this.vms[i] = s;
    else this.vms.push(s);
  }

  private onEvent(e: HostEvent): void {
    switch (e.type) {
      case 'state':
        if (e.state === 'starting') {
          this.counters.set(e.vm, []);
          this.consoleChunks.set(e.vm, []);
          this.checker[e.vm] = [];
          for (const l of this.consoleListeners.get(e.vm) ?? []) l(null);
          this.rev[e.vm] = (this.rev[e.vm] ?? 0) + 1;
        }
        if (e.state === 'starting') delete this.progress[e.vm];
        // Loading phases end with the run; a boot's milestones stay (how far it got, and when).
        else if (this.progress[e.vm]?.steps === undefined && e.state !== 'running' && e.state !== 'paused') delete this.progress[e.vm];
        this.upsert(e.summary);
        break;
      case 'console': {
        const bytes = decodeBase64(e.data);
        const chunks = this.consoleChunks.get(e.vm) ?? [];
        chunks.push(bytes);
        let kept = chunks.reduce((a, c) => a + c.length, 0);
        while (kept > CONSOLE_KEEP && chunks.length > 1) kept -= chunks.shift()!.length;
        this.consoleChunks.set(e.vm, chunks);
        for (const l of this.consoleListeners.get(e.vm) ?? []) l(bytes);
        break;
      }
      case 'counters': {
        const list = this.counters.get(e.vm) ?? [];
        list.push(e.snapshot);
        // Trim in steps of 10 %: plots rebuild their series when the front moves, not on every snapshot.
        if (list.length > COUNTERS_KEEP) list.splice(0, list.length - Math.floor(COUNTERS_KEEP * 0.9));
        this.counters.set(e.vm, list);
        this.rev[e.vm] = (this.rev[e.vm] ?? 0) + 1;
        break;
      }
      case 'dropped':
        void this.refetchCounters(e.vm);
        break;
      case 'task':
        this.fetch = e.task;
        break;
      case 'checker':
        (this.checker[e.vm] ??= []).push(e.report);
        break;
      case 'progress':
        if (e.phase === 'running') delete this.progress[e.vm];
        else this.progress[e.vm] = { phase: e.phase, fraction: e.fraction, step: e.step, steps: e.steps, elapsedMs: e.elapsedMs };
        break;
      case 'error':
        this.lastError = e.message;
        break;
      case 'saved':
        this.saved = e.saved;
        break;
      case 'removed':
        this.vms = this.vms.filter((v) => v.id !== e.vm);
        this.counters.delete(e.vm);
        this.consoleChunks.delete(e.vm);
        if (this.selected === e.vm) this.selected = this.vms.at(-1)?.id;
        break;
      case 'exit':
        break;
    }
  }
}

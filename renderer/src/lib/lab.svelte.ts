/* eslint-disable svelte/prefer-svelte-reactivity -- the console and counter streams are deliberately not reactive (they grow at 10 Hz); `rev` signals growth. */
/**
 * The renderer's view of the host: info, VMs, saved configurations, and the
 * per-VM streams (console bytes, counter snapshots, checker reports) kept as
 * the events arrive. Counter and console streams are not deeply reactive (they
 * grow at 10 Hz): `rev` changes when a VM's stream grows, and views read the
 * arrays when it does.
 */
import type { CheckerReport, CounterSnapshot, HostEvent, HostInfo, VmId, VmSpec, VmSummary } from '../../../core/host/api';
import { decodeBase64, type Client, type Connection } from './client';

export type View = 'setup' | 'run' | 'compare';

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
  progress: Record<VmId, string> = $state({});
  /** Bumped when a VM's counters grow (per VM). */
  rev: Record<VmId, number> = $state({});
  checker: Record<VmId, CheckerReport[]> = $state({});
  lastError: string | undefined = $state();

  private readonly counters = new Map<VmId, CounterSnapshot[]>();
  private readonly consoleChunks = new Map<VmId, Uint8Array[]>();
  private readonly consoleListeners = new Map<VmId, Set<(b: Uint8Array | null) => void>>();

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
      this.counters.set(v.id, h.counters);
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
        if (e.state !== 'starting') delete this.progress[e.vm];
        this.upsert(e.summary);
        break;
      case 'console': {
        const bytes = decodeBase64(e.data);
        const chunks = this.consoleChunks.get(e.vm) ?? [];
        chunks.push(bytes);
        this.consoleChunks.set(e.vm, chunks);
        for (const l of this.consoleListeners.get(e.vm) ?? []) l(bytes);
        break;
      }
      case 'counters': {
        const list = this.counters.get(e.vm) ?? [];
        list.push(e.snapshot);
        this.counters.set(e.vm, list);
        this.rev[e.vm] = (this.rev[e.vm] ?? 0) + 1;
        break;
      }
      case 'checker':
        (this.checker[e.vm] ??= []).push(e.report);
        break;
      case 'progress':
        if (e.phase === 'running') delete this.progress[e.vm];
        else this.progress[e.vm] = e.phase;
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

/**
 * The matrix screen's model: a base configuration (a preset, a saved configuration or a VM of this
 * session), axes as the user types them, the host's plan (every cell validated, matrixCells), and the
 * run as its events arrive (core/host/matrix.ts on the host).
 */
import type {
  HostEvent,
  MatrixCell,
  MatrixField,
  MatrixRun,
  MatrixSpec,
  MatrixValue,
  MemoryRegionSpec,
  VmSpec,
} from '../../../core/host/api';
import type { Lab } from './lab.svelte';
import { parseAddress, parseSize } from './units';

/** Fields the screen offers, with how their values are entered: picked from a list, or typed. */
export const FIELDS: { field: MatrixField; title: string; hint?: string }[] = [
  { field: 'cpus.model', title: 'CPU model (every vCPU)' },
  { field: 'cpus', title: 'vCPU count', hint: 'counts, e.g. 1, 2, 4' },
  { field: 'memory', title: 'RAM regions', hint: 'SIZE@BASE, + between regions, e.g. 128M@0x40000000, 128M@0x40000000+1G@0x100000000' },
  { field: 'gic', title: 'GIC version' },
  { field: 'entryEl', title: 'entry EL' },
  { field: 'backend', title: 'backend' },
  { field: 'boot.append', title: 'command line', hint: 'one per value, separated by ;' },
  { field: 'checkTlb', title: 'TLB checker' },
];

export interface AxisDraft {
  field: MatrixField;
  /** Choice fields: the values picked. */
  picked: string[];
  /** Typed fields: the values as typed. */
  text: string;
}

export interface BaseChoice {
  id: string;
  title: string;
  spec: VmSpec;
}

/** The values a choice field offers (undefined: the field is typed). */
export function choicesOf(field: MatrixField, models: string[]): string[] | undefined {
  switch (field) {
    case 'cpus.model':
      return models;
    case 'gic':
      return ['2', '3'];
    case 'entryEl':
      return ['1', '2', '3'];
    case 'backend':
      return ['tcg', 'kvm'];
    case 'checkTlb':
      return ['off', 'on'];
    default:
      return undefined;
  }
}

function parseRegions(s: string): MemoryRegionSpec[] | string {
  const out: MemoryRegionSpec[] = [];
  for (const [i, r] of s.split('+').entries()) {
    const [size, base] = r.split('@');
    const n = parseSize(size ?? '');
    if (typeof n === 'string') return n;
    if (base === undefined && i > 0) return `'${r}': a further region needs a base (SIZE@BASE)`;
    const b = base === undefined ? 0x4000_0000 : parseAddress(base);
    if (typeof b === 'string') return b;
    out.push({ base: b, size: n });
  }
  return out;
}

/** An axis's values as the host takes them, or why they cannot be read. */
export function axisValues(a: AxisDraft, models: string[]): MatrixValue[] | string {
  const choices = choicesOf(a.field, models);
  if (choices) {
    const picked = choices.filter((c) => a.picked.includes(c));
    if (a.field === 'gic' || a.field === 'entryEl') return picked.map(Number);
    if (a.field === 'checkTlb') return picked.map((p) => p === 'on');
    return picked;
  }
  const parts = a.text
    .split(a.field === 'boot.append' ? ';' : ',')
    .map((p) => p.trim())
    .filter((p, i, all) => p !== '' || (a.field === 'boot.append' && all.length > 1));
  const out: MatrixValue[] = [];
  for (const p of parts) {
    if (a.field === 'cpus') {
      const n = Number(p);
      if (!Number.isInteger(n) || n < 1) return `'${p}' is not a vCPU count`;
      out.push(n);
    } else if (a.field === 'memory') {
      const r = parseRegions(p);
      if (typeof r === 'string') return r;
      out.push(r);
    } else out.push(p);
  }
  return out;
}

const DONE: MatrixCell['state'][] = ['passed', 'failed', 'cancelled'];

export class MatrixLab {
  name = $state('matrix');
  baseId = $state('');
  axes: AxisDraft[] = $state([]);
  timeoutSec = $state(60);
  jobs: number | undefined = $state();
  expectStatus = $state('');
  expectConsole = $state('');
  /** The host's plan of the current draft: every cell, invalid ones with their reasons. */
  plan: MatrixCell[] | undefined = $state();
  planError: string | undefined = $state();
  planning = $state(false);
  /** The run on screen (the latest one started, from this page or another). */
  run: MatrixRun | undefined = $state();
  runError: string | undefined = $state();
  /** The cell whose details are open. */
  open: number | undefined = $state();
  private planned: string | undefined;

  constructor(readonly lab: Lab) {
    lab.client.onEvent((e) => this.onEvent(e));
  }

  /** Picks up a run that was going (or ended) before the page loaded. */
  async load(): Promise<void> {
    const runs = await this.lab.client.call('matrixList');
    if (!this.run && runs.length > 0) this.run = runs.at(-1);
  }

  get models(): string[] {
    return this.lab.info?.cpuModels.map((m) => m.name) ?? [];
  }

  /** What the base may be: available presets, saved configurations, and the VMs of this session. */
  get bases(): BaseChoice[] {
    const out: BaseChoice[] = [];
    for (const p of this.lab.info?.presets ?? [])
      if (!p.unavailable) out.push({ id: `preset:${p.id}`, title: `preset: ${p.title}`, spec: p.spec });
    for (const s of this.lab.saved) out.push({ id: `saved:${s.name}`, title: `saved: ${s.name}`, spec: s });
    // The VMs of this session, but not the cells of a matrix run (ordinary VMs of the host while they run).
    const cells = this.run?.cells.map((c) => c.vm) ?? [];
    for (const v of this.lab.vms)
      if (!cells.includes(v.id) && !/ #\d+$/.test(v.spec.name))
        out.push({ id: `vm:${v.id}`, title: `VM ${v.id}: ${v.spec.name}`, spec: v.spec });
    return out;
  }

  get base(): BaseChoice | undefined {
    const all = this.bases;
    return all.find((b) => b.id === this.baseId) ?? all[0];
  }

  addAxis(): void {
    const used = this.axes.map((a) => a.field);
    const f = FIELDS.find((x) => !used.includes(x.field));
    if (f) this.axes.push({ field: f.field, picked: [], text: '' });
  }

  /** The matrix as the host takes it, or why the draft cannot be read yet. */
  get spec(): MatrixSpec | string {
    const base = this.base;
    if (!base) return 'choose a base configuration';
    const axes = [];
    for (const a of this.axes) {
      const values = axisValues(a, this.models);
      if (typeof values === 'string') return `${a.field}: ${values}`;
      if (values.length === 0) return `${a.field}: give at least one value`;
      axes.push({ field: a.field, values });
    }
    const m: MatrixSpec = {
      name: this.name.trim() || 'matrix',
      base: $state.snapshot(base.spec) as VmSpec,
      axes,
      timeoutMs: this.timeoutSec * 1000,
    };
    if (this.jobs) m.jobs = this.jobs;
    const status = this.expectStatus.trim();
    if (status !== '') {
      if (!/^-?\d+$/.test(status)) return `expected exit status '${status}' is not a number`;
      m.expect = { status: Number(status) };
    }
    if (this.expectConsole !== '') m.expect = { ...m.expect, console: this.expectConsole };
    return m;
  }

  /** Asks the host for the cells of the draft (each validated). */
  async replan(spec: MatrixSpec | string): Promise<void> {
    // The draft is re-derived whenever the VM list changes (a running matrix's cells): ask only when it changed.
    const key = JSON.stringify(spec);
    if (key === this.planned) return;
    this.planned = key;
    if (typeof spec === 'string') {
      this.plan = undefined;
      this.planError = spec;
      return;
    }
    this.planning = true;
    try {
      this.plan = await this.lab.client.call('matrixCells', spec);
      this.planError = undefined;
    } catch (e) {
      this.plan = undefined;
      this.planError = (e as Error).message;
    } finally {
      this.planning = false;
    }
  }

  get running(): boolean {
    return this.run?.state === 'running';
  }

  async start(): Promise<void> {
    const spec = this.spec;
    if (typeof spec === 'string') return;
    this.runError = undefined;
    this.open = undefined;
    try {
      const run = await this.lab.client.call('matrixStart', spec);
      // The 'started' event may have come first, and cell events after it: keep the newer state.
      if (this.run?.id !== run.id) this.run = run;
    } catch (e) {
      this.runError = (e as Error).message;
    }
  }

  async cancel(): Promise<void> {
    if (this.run) await this.lab.client.call('matrixCancel', this.run.id);
  }

  /** Cells that ran or will run, and how far they are (0..1; a running cell counts by its progress when known). */
  get progress(): { done: number; total: number; fraction: number } {
    const cells = this.run?.cells.filter((c) => c.state !== 'invalid') ?? [];
    const done = cells.filter((c) => DONE.includes(c.state)).length;
    const partial = cells.filter((c) => c.state === 'running').reduce((s, c) => s + (c.fraction ?? 0), 0);
    return { done, total: cells.length, fraction: cells.length === 0 ? 0 : (done + partial) / cells.length };
  }

  private cell(index: number): MatrixCell | undefined {
    return this.run?.cells[index];
  }

  private onEvent(e: HostEvent): void {
    if (e.type !== 'matrix') return;
    const ev = e.event;
    if (ev.kind === 'started') {
      this.run = ev.run;
      return;
    }
    if (!this.run || this.run.id !== ev.matrix) return;
    switch (ev.kind) {
      case 'cell-started':
      case 'cell-finished':
        this.run.cells[ev.cell.index] = ev.cell;
        break;
      case 'cell-progress': {
        const c = this.cell(ev.cell);
        if (!c) break;
        c.elapsedMs = ev.elapsedMs;
        if (ev.phase !== undefined) c.phase = ev.phase;
        if (ev.fraction !== undefined) c.fraction = ev.fraction;
        if (ev.instructions !== undefined) c.instructions = ev.instructions;
        if (ev.mips !== undefined) c.mips = ev.mips;
        break;
      }
      case 'finished':
        this.run = ev.run;
        break;
    }
  }
}

/**
 * A VM under KVM: guest RAM (page-aligned SharedArrayBuffers), one worker per
 * vCPU (vcpu-loop.ts), and the device side of the MMIO path (MmioServer over a
 * PhysBus holding the same Device objects TCG uses).
 *
 *   owner thread                         vCPU worker i
 *   ────────────                         ─────────────
 *   KVM_CREATE_VM, memory slots  ──fd──▶ openVm(dup), KVM_CREATE_VCPU, init regs ─▶ READY
 *   (arm64: vGICv3 after all READY)
 *   start(): REQ=RUN ─────────────────▶ KVM_RUN loop ── MMIO slot ──▶ MmioServer → Device
 *   pause()/stop(): REQ + kick ───────▶ 'intr' exit → PAUSED / DONE
 */
import { Worker } from 'node:worker_threads';
import type { Device } from '../mem/bus.js';
import { PhysBus } from '../mem/bus.js';
import { addonPath, requireKvmAddon, type KvmAddon, type KvmDevice, type KvmSystem, type KvmVm } from './addon.js';
import { counterWords, readCounters, type KvmVcpuCounters } from './counters.js';
import { MmioServer } from './mmio-server.js';
import { allocGuestRam, type GuestRam } from './ram.js';
import { CTRL_WORDS, REQ, REQ_HOLD, REQ_PAUSE, REQ_RUN, REQ_STOP, SLOT_WORDS, ST_DONE, ST_PAUSED, STATE, waitAsync } from './shared.js';
import type { VcpuBoot, VcpuOutcome, VcpuWorkerInit } from './vcpu-loop.js';
import type { FromVcpuWorker } from './vcpu-worker.js';
import { kvmWorkerUrl } from './worker-bundle.js';

export interface KvmMachineConfig {
  ram: { base: number; size: number }[];
  devices?: { base: number; size: number; device: Device }[];
  /** One entry per vCPU. */
  vcpus: VcpuBoot[];
  /** KVM_CREATE_VM type (arm64: the IPA size). */
  vmType?: number;
  /** HLT ends the vCPU's run (x86 self-tests, no in-kernel irqchip). */
  hltEndsRun?: boolean;
  /** arm64: MMIO to no device becomes a synchronous external abort (needs KVM_CAP_ARM_INJECT_EXT_DABT). */
  injectExtDabt?: boolean;
  /** arm64: the in-kernel vGICv3, created after the vCPUs exist. */
  gicV3?: { dist: number; redist: number; nrIrqs: number };
}

export type MachineState = 'ready' | 'running' | 'paused' | 'done' | 'closed';

export class KvmMachine {
  readonly bus = new PhysBus();
  readonly ram: GuestRam[] = [];
  state: MachineState = 'ready';
  private readonly control: Int32Array;
  private readonly slots: Int32Array;
  private readonly countersF64: Float64Array;
  private readonly server: MmioServer;
  private readonly workers: Worker[] = [];
  private readonly kickTokens: number[] = [];
  private readonly outcomes: (VcpuOutcome | undefined)[] = [];
  private gic?: KvmDevice;
  private readonly finished: Promise<VcpuOutcome[]>;

  private constructor(
    readonly addon: KvmAddon,
    private readonly kvm: KvmSystem,
    readonly vm: KvmVm,
    readonly config: KvmMachineConfig,
  ) {
    const n = config.vcpus.length;
    this.control = new Int32Array(new SharedArrayBuffer(4 * CTRL_WORDS * n));
    this.slots = new Int32Array(new SharedArrayBuffer(4 * SLOT_WORDS * n));
    this.countersF64 = new Float64Array(new SharedArrayBuffer(8 * counterWords(n)));
    for (const d of config.devices ?? []) this.bus.addDevice(d.base, d.size, d.device);
    this.server = new MmioServer(this.bus, this.slots, n);
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  private resolveFinished!: (o: VcpuOutcome[]) => void;

  /** Opens /dev/kvm, creates the VM, maps RAM and starts the vCPU workers; they hold until start(). */
  static async create(config: KvmMachineConfig, workerUrl?: URL): Promise<KvmMachine> {
    const addon = requireKvmAddon();
    const url = workerUrl ?? (await kvmWorkerUrl());
    const kvm = new addon.Kvm();
    let vm: KvmVm;
    try {
      vm = kvm.createVm(config.vmType ?? 0);
    } catch (e) {
      kvm.close();
      throw e;
    }
    const m = new KvmMachine(addon, kvm, vm, config);
    try {
      config.ram.forEach((r, slot) => {
        const g = allocGuestRam(addon, r.base, r.size);
        m.ram.push(g);
        vm.setUserMemoryRegion(slot, r.base, g.u8);
      });
      await m.startWorkers(url);
      if (config.gicV3) m.createGic(config.gicV3);
    } catch (e) {
      await m.close();
      throw e;
    }
    return m;
  }

  private startWorkers(url: URL): Promise<void> {
    const n = this.config.vcpus.length;
    let ready = 0;
    return new Promise((resolve, reject) => {
      this.config.vcpus.forEach((boot, id) => {
        const init: VcpuWorkerInit = {
          addonPath: addonPath(),
          vmFd: this.vm.fd,
          mmapSize: this.vm.mmapSize,
          id,
          boot,
          control: this.control.buffer as SharedArrayBuffer,
          slots: this.slots.buffer as SharedArrayBuffer,
          counters: this.countersF64.buffer as SharedArrayBuffer,
          hltEndsRun: this.config.hltEndsRun ?? false,
          injectExtDabt: this.config.injectExtDabt ?? false,
        };
        Atomics.store(this.control, id * CTRL_WORDS + REQ, REQ_HOLD);
        const w = new Worker(url, { workerData: init, name: `armlab kvm vcpu ${id}` });
        this.workers.push(w);
        w.on('message', (m: FromVcpuWorker) => {
          if (m.kind === 'ready') {
            this.kickTokens[id] = m.kickToken;
            if (++ready === n) resolve();
          } else {
            this.onDone(id, m.outcome);
            if (ready < n) reject(new Error(`vCPU ${id}: ${m.outcome.kind === 'error' ? m.outcome.message : m.outcome.kind}`));
          }
        });
        w.on('error', (e) => {
          this.onDone(id, { kind: 'error', message: `vCPU worker ${id} crashed: ${e.message}` });
          reject(e);
        });
        w.on('exit', () => this.onDone(id, { kind: 'error', message: `vCPU worker ${id} exited without reporting` }));
      });
    });
  }

  private createGic(g: { dist: number; redist: number; nrIrqs: number }): void {
    const k = this.addon.constants;
    const d = this.vm.createDevice(k.KVM_DEV_TYPE_ARM_VGIC_V3);
    this.gic = d;
    d.setAttr(k.KVM_DEV_ARM_VGIC_GRP_ADDR, k.KVM_VGIC_V3_ADDR_TYPE_DIST, g.dist);
    d.setAttr(k.KVM_DEV_ARM_VGIC_GRP_ADDR, k.KVM_VGIC_V3_ADDR_TYPE_REDIST, g.redist);
    d.setAttr(k.KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, g.nrIrqs);
    d.setAttr(k.KVM_DEV_ARM_VGIC_GRP_CTRL, k.KVM_DEV_ARM_VGIC_CTRL_INIT);
  }

  /** arm64: raise or lower an SPI (INTID 32…) on the in-kernel vGIC. */
  setSpi(intid: number, level: boolean): void {
    const k = this.addon.constants;
    this.vm.irqLine((k.KVM_ARM_IRQ_TYPE_SPI << k.KVM_ARM_IRQ_TYPE_SHIFT) | intid, level);
  }

  private onDone(id: number, o: VcpuOutcome): void {
    if (this.outcomes[id]) return;
    this.outcomes[id] = o;
    // The guest stopping on one vCPU (power-off, HLT, error) stops the machine.
    if (o.kind !== 'stopped') this.request(REQ_STOP);
    if (this.outcomes.filter(Boolean).length === this.config.vcpus.length) {
      if (this.state !== 'closed') this.state = 'done';
      this.resolveFinished(this.outcomes as VcpuOutcome[]);
    }
  }

  /** Write the request word of every vCPU, wake the ones waiting, kick the ones in KVM_RUN. */
  private request(req: number): void {
    for (let i = 0; i < this.config.vcpus.length; i++) {
      Atomics.store(this.control, i * CTRL_WORDS + REQ, req);
      Atomics.notify(this.control, i * CTRL_WORDS + REQ);
      if (req !== REQ_RUN && this.kickTokens[i] !== undefined) this.addon.kick(this.kickTokens[i]);
    }
  }

  start(): void {
    if (this.state !== 'ready' && this.state !== 'paused') throw new Error(`cannot start a KVM machine that is ${this.state}`);
    this.state = 'running';
    this.request(REQ_RUN);
  }

  /** Pause every vCPU; resolves once all are paused (or done). */
  async pause(): Promise<void> {
    if (this.state !== 'running') return;
    this.request(REQ_PAUSE);
    await this.waitStates((s) => s === ST_PAUSED || s === ST_DONE);
    if (this.state === 'running') this.state = 'paused';
  }

  resume(): void {
    if (this.state === 'paused') this.start();
  }

  /** Resolves with each vCPU's outcome once every vCPU has finished. */
  wait(): Promise<VcpuOutcome[]> {
    return this.finished;
  }

  /** Stop every vCPU (kicking those in KVM_RUN) and wait for them. */
  async stop(): Promise<VcpuOutcome[]> {
    this.request(REQ_STOP);
    return this.finished;
  }

  /** Stop, then release everything: workers, the MMIO server, the VM and /dev/kvm fds. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    if (this.workers.length > 0) {
      await this.stop();
      await Promise.all(this.workers.map((w) => w.terminate()));
    }
    this.state = 'closed';
    await this.server.stop();
    this.gic?.close();
    this.vm.close();
    this.kvm.close();
  }

  counters(): KvmVcpuCounters[] {
    return this.config.vcpus.map((_, i) => readCounters(this.countersF64, i));
  }

  /** The RAM region holding [pa, pa+len), or throws. */
  ramAt(pa: number, len = 1): { ram: GuestRam; off: number } {
    for (const r of this.ram) if (pa >= r.base && pa + len <= r.base + r.size) return { ram: r, off: pa - r.base };
    throw new Error(`no KVM RAM at 0x${pa.toString(16)}+${len}`);
  }

  writeBytes(pa: number, bytes: Uint8Array): void {
    const { ram, off } = this.ramAt(pa, bytes.length);
    ram.u8.set(bytes, off);
  }

  readBytes(pa: number, len: number): Uint8Array {
    const { ram, off } = this.ramAt(pa, len);
    return ram.u8.slice(off, off + len);
  }

  private async waitStates(ok: (s: number) => boolean): Promise<void> {
    for (let i = 0; i < this.config.vcpus.length; i++) {
      const at = i * CTRL_WORDS + STATE;
      for (;;) {
        const s = Atomics.load(this.control, at);
        if (ok(s) || this.outcomes[i]) break;
        const w = waitAsync(this.control, at, s, 1000);
        if (w.async) await w.value;
      }
    }
  }
}

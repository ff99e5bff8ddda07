/**
 * One vCPU of an SMP machine, as it runs inside its worker thread: the CPU, MMU
 * and block cache over the machine's shared RAM; PSCI CPU_ON/OFF/AFFINITY_INFO
 * through the shared control blocks; TLB shootdowns and IC maintenance through
 * the mailboxes; console through per-vCPU rings. The loop is synchronous: it
 * sleeps in Atomics.wait (powered off, WFI) and checks PENDING between slices.
 */
import { parentPort } from 'node:worker_threads';
import type { Cpu, CpuEnv } from '../a64/cpu.js';
import { runBlocks } from '../a64/blocks.js';
import { getModel } from '../a64/models.js';
import { enterAt } from '../a64/reset.js';
import { PhysBus } from '../mem/bus.js';
import { createVcpu } from '../board/vcpu.js';
import { Pl011 } from '../board/pl011.js';
import { RemoteDevice } from './remote-device.js';
import { SLOT_WORDS } from '../kvm/shared.js';
import { semihostingCall, type SemihostingHost } from '../board/semihosting.js';
import { psciCall, PSCI_ALREADY_ON, PSCI_INVALID_PARAMETERS, PSCI_SUCCESS, type PsciHost } from '../board/psci.js';
import type { Mmu, ResolvedTlbi } from '../mmu/mmu.js';
import { CheckerShared, type CheckerSharedInit } from '../mmu/checker-shared.js';
import type { BlockCache } from '../a64/blocks.js';
import {
  C_EXC,
  C_EXC_CLASS,
  C_SGI_RECV,
  C_SGI_SENT,
  C_TLBI_ISSUED,
  EXC_CLASSES,
  C_INSNS_HI,
  C_INSNS_LO,
  C_IPI_RECV,
  C_IPI_SENT,
  C_MMIO,
  C_TLB_FILLS,
  C_TLB_HITS,
  C_WALKS,
  C_WFI_US,
  CTX_HI,
  CTX_LO,
  ENTRY_EL,
  ENTRY_HI,
  ENTRY_LO,
  M_FENCE,
  M_LOCK128,
  M_STATUS,
  M_STOP,
  M_STOP_KIND,
  PENDING,
  P_CPU_ON,
  P_EVENT,
  P_IRQ,
  P_PAUSE,
  M_PARKED,
  REQ_WORDS,
  P_SHOOTDOWN,
  STATE,
  S_OFF,
  S_ON,
  S_ON_PENDING,
  WAKE,
  cpuBase,
  wake,
} from './layout.js';
import { broadcast, drain, waitAcks, K_IC_ALL, K_TLBI, R_KIND } from './shootdown.js';
import { attachGic, createGic, type Gic, type GicVersion } from '../board/gic.js';
import { VIRT } from '../board/virt.js';
import { PENDING_GIC } from '../a64/exceptions.js';
import { describeCpu } from '../a64/describe.js';
import { nextWakeNs, wake as wakeVcpu, wakeReady } from '../a64/interrupts.js';
import { setAtomic128Lock } from '../a64/exec/ldstx.js';
import { Ring, ringBytes } from './rings.js';

export interface VcpuInit {
  id: number;
  ncpus: number;
  model: string;
  /** MPIDR affinity of every vCPU (index = vCPU id), for PSCI targets. */
  affinities: number[];
  ram: { base: number; size: number; sab: SharedArrayBuffer }[];
  shared: SharedArrayBuffer;
  rings: SharedArrayBuffer;
  hasEl2: boolean;
  hasEl3: boolean;
  cntfrqHz: number;
  /** Host time origin of the machine (ns, performance.timeOrigin based). */
  startNs: number;
  uartBase: number;
  psciConduit: 'hvc' | 'smc' | 'none';
  cmdline: string;
  heap: { base: number; limit: number };
  /** The GIC's shared state and the UART's shared registers (created by the main thread). */
  gicSab: SharedArrayBuffer;
  /** GIC version (QEMU gic-version): 3, or 2 (GICD + GICC MMIO, no ICC_* registers). */
  gicVersion: GicVersion;
  uartState: Int32Array;
  /** MMIO request slots to the io worker (core/kvm/shared.ts layout), SLOT_WORDS per vCPU. */
  ioSlots: SharedArrayBuffer;
  /** Checker mode: shared checker state; reports are posted to the main thread. */
  check?: CheckerSharedInit;
  /** CPU 0 starts here; the others start powered off. */
  boot?: { pc: string; el: number; x: string[] };
}

export const STOP_EXIT = 1;
export const STOP_POWEROFF = 2;
export const STOP_RESET = 3;
export const STOP_ERROR = 4;

const SLICE = 20_000;
/** A pendingCheck bit no core code owns: keeps checkPending (and the SMP poll) running at block boundaries. */
const PENDING_SMP = 1 << 16;

function absNs(): number {
  return (performance.timeOrigin + performance.now()) * 1e6;
}

export class SmpVcpu {
  readonly cpu: Cpu;
  readonly mmu: Mmu;
  readonly blocks: BlockCache;
  private readonly w: Int32Array;
  private readonly base: number;
  private readonly consoleRing: Ring;
  private readonly inputRing: Ring;
  private readonly req = new Int32Array(REQ_WORDS);
  private readonly gic: Gic;
  private readonly uart: Pl011;
  private readonly rtc: RemoteDevice;
  /** Error message for a STOP_ERROR stop, read by the worker wrapper. */
  errorMessage = '';

  constructor(private readonly init: VcpuInit) {
    this.w = new Int32Array(init.shared);
    this.base = cpuBase(init.id);
    this.consoleRing = new Ring(init.rings, init.id * ringBytes());
    this.inputRing = new Ring(init.rings, init.ncpus * ringBytes());
    const bus = new PhysBus();
    for (const r of init.ram) bus.addRam(r.base, r.size, r.sab);
    this.gic = createGic(init.gicVersion, init.ncpus, init.gicSab);
    this.gic.onRemoteKick = (k) => {
      Atomics.add(this.w, this.base + C_IPI_SENT, 1);
      Atomics.or(this.w, cpuBase(k) + PENDING, P_IRQ);
      wake(this.w, k);
    };
    this.countSgis();
    this.gic.mapInto(bus);
    this.uart = new Pl011(
      (b) => this.out(Uint8Array.of(b)),
      (level) => this.gic.raiseSpi(32 + VIRT.UART0_SPI, level),
      this.inputRing,
      init.uartState,
    );
    bus.addDevice(init.uartBase, 0x1000, this.uart);
    // Devices served by the io worker, reached through this vCPU's MMIO request slot.
    this.rtc = new RemoteDevice('pl031 (io worker)', VIRT.RTC, new Int32Array(init.ioSlots), init.id * SLOT_WORDS, this.stopped);
    bus.addDevice(VIRT.RTC, 0x1000, this.rtc);
    const v = createVcpu({
      id: init.id,
      model: getModel(init.model),
      env: this.env(),
      bus,
      hasEl2: init.hasEl2,
      hasEl3: init.hasEl3,
      cntfrqHz: init.cntfrqHz,
      affinity: init.affinities[init.id],
    });
    this.cpu = v.cpu;
    this.mmu = v.mmu;
    this.blocks = v.blocks;
    // RAM is shared with the other vCPU workers: aligned doubleword accesses single-copy atomic,
    // 128-bit atomics serialised by one machine-wide lock word.
    this.cpu.mem.atomic64 = true;
    setAtomic128Lock(this.w, M_LOCK128);
    // The CPU interface of this vCPU (and ID_AA64PFR0_EL1.GIC), as the board does.
    attachGic(this.gic, init.id, this.cpu);
    this.wireSmp();
    this.pollAtBlocks();
    if (init.check) {
      this.mmu.enableChecker((r) => parentPort?.postMessage({ kind: 'check', report: r }), new CheckerShared(init.check));
      this.mmu.beforeStaleCheck = () => drain(this.w, this.init.id, (req) => this.applyRequest(req));
    }
    if (init.boot) {
      enterAt(this.cpu, init.boot.el, BigInt(init.boot.pc));
      init.boot.x.forEach((x, i) => this.cpu.setX(i, BigInt(x)));
      Atomics.store(this.w, this.base + STATE, S_ON);
    }
  }

  private stopped = (): boolean => Atomics.load(this.w, M_STOP) !== 0;

  private out(b: Uint8Array): void {
    this.consoleRing.write(b, this.stopped);
  }

  private stopMachine(kind: number, status: number): void {
    if (Atomics.compareExchange(this.w, M_STOP_KIND, 0, kind) === 0) Atomics.store(this.w, M_STATUS, status);
    Atomics.store(this.w, M_STOP, 1);
    for (let i = 0; i < this.init.ncpus; i++) wake(this.w, i);
    this.cpu.stopRequested = true;
  }

  /** Barriers, broadcast TLBI and IC maintenance through the shared mailboxes. */
  private wireSmp(): void {
    const c = this.cpu;
    const apply = (req: Int32Array): void => this.applyRequest(req);
    c.onBarrier = (_c, dsb) => {
      Atomics.add(this.w, M_FENCE, 0); // a sequentially consistent fence
      if (dsb) waitAcks(this.w, this.init.id, apply, this.stopped);
    };
    // SEV: set every other PE's event register (P_EVENT) and wake it if it sleeps in WFE.
    c.onSev = () => this.signalEvent();
    this.mmu.onBroadcast = (t) => {
      encodeTlbi(this.req, t);
      broadcast(this.w, this.init.ncpus, this.init.id, this.req, () => drain(this.w, this.init.id, apply));
    };
    const localIc = c.onIcMaintenance;
    c.onIcMaintenance = (cpu, all, pa) => {
      localIc(cpu, all, pa);
      // IC IVAU and IC IALLUIS reach every PE of the Inner Shareable domain.
      this.req.fill(0);
      this.req[R_KIND] = K_IC_ALL;
      broadcast(this.w, this.init.ncpus, this.init.id, this.req, () => drain(this.w, this.init.id, apply));
    };
  }

  /**
   * Poll the shared PENDING word at block boundaries (every 16 blocks): shootdowns are
   * drained and GIC kicks taken within microseconds instead of at the end of a slice.
   */
  private pollAtBlocks(): void {
    const c = this.cpu;
    const w = this.w;
    const k = this.base + PENDING;
    const apply = (req: Int32Array): void => this.applyRequest(req);
    const inner = c.checkPending;
    let n = 0;
    c.checkPending = (cpu) => {
      if ((++n & 15) === 0) {
        const p = Atomics.load(w, k);
        if (p !== 0) {
          if ((p & P_SHOOTDOWN) !== 0) drain(w, this.init.id, apply);
          this.takeSignals(p);
        }
        // Stop or pause: leave the slice now; the run loop stops or parks.
        if ((p & P_PAUSE) !== 0 || Atomics.load(w, M_STOP) !== 0) cpu.stopRequested = true;
      }
      return inner(cpu);
    };
    c.pendingCheck |= PENDING_SMP;
  }

  private applyRequest(req: Int32Array): void {
    if (req[R_KIND] === K_TLBI) this.mmu.applyTlbi(decodeTlbi(req));
    else if (req[R_KIND] === K_IC_ALL) this.blocks.invalidateAll(this.cpu);
  }

  private env(): CpuEnv {
    const init = this.init;
    const sh: SemihostingHost = {
      write: (b) => this.out(b),
      readByte: () => this.inputRing.takeByte(),
      elapsedNs: () => absNs() - init.startNs,
      heapInfo: () => ({
        heapBase: BigInt(init.heap.base),
        heapLimit: BigInt(init.heap.limit),
        stackBase: BigInt(init.heap.limit),
        stackLimit: BigInt(init.heap.base),
      }),
      exit: (status) => this.stopMachine(STOP_EXIT, status),
      cmdline: init.cmdline,
      handles: new Map(),
    };
    const psci: PsciHost = {
      systemOff: () => this.stopMachine(STOP_POWEROFF, 0),
      systemReset: () => this.stopMachine(STOP_RESET, 0),
      cpuOn: (c, mpidr, entry, context) => this.cpuOn(c, mpidr, entry, context),
      cpuOff: (c) => {
        Atomics.store(this.w, this.base + STATE, S_OFF);
        c.halted = true;
        return PSCI_SUCCESS;
      },
      affinityInfo: (mpidr) => {
        const t = this.targetOf(mpidr);
        return t < 0 ? PSCI_INVALID_PARAMETERS : Atomics.load(this.w, cpuBase(t) + STATE);
      },
    };
    return {
      nowNs: () => absNs() - init.startNs,
      semihosting: (c) => {
        semihostingCall(c, sh);
        return true;
      },
      firmwareCall: (c, conduit) => (conduit === init.psciConduit ? psciCall(c, psci) : false),
      requestStop: (r) => {
        if (r.kind === 'error') this.errorMessage = r.message;
        this.stopMachine(
          r.kind === 'exit' ? STOP_EXIT : r.kind === 'poweroff' ? STOP_POWEROFF : r.kind === 'reset' ? STOP_RESET : STOP_ERROR,
          r.kind === 'exit' ? r.status : 0,
        );
      },
    };
  }

  /** vCPU index for an MPIDR (Aff3..Aff0; other bits ignored), or -1. */
  private targetOf(mpidr: bigint): number {
    if ((mpidr & 0xff_00ff_0000n) !== 0n) return -1; // Aff3, Aff2: one level of clusters only
    return this.init.affinities.indexOf(Number(mpidr & 0xffffn));
  }

  private cpuOn(c: Cpu, mpidr: bigint, entry: bigint, context: bigint): number {
    const t = this.targetOf(mpidr);
    if (t < 0) return PSCI_INVALID_PARAMETERS;
    const b = cpuBase(t);
    const prev = Atomics.compareExchange(this.w, b + STATE, S_OFF, S_ON_PENDING);
    if (prev === S_ON) return PSCI_ALREADY_ON;
    if (prev === S_ON_PENDING) return -5; // ON_PENDING
    Atomics.store(this.w, b + ENTRY_LO, Number(entry & 0xffffffffn) | 0);
    Atomics.store(this.w, b + ENTRY_HI, Number((entry >> 32n) & 0xffffffffn) | 0);
    Atomics.store(this.w, b + CTX_LO, Number(context & 0xffffffffn) | 0);
    Atomics.store(this.w, b + CTX_HI, Number((context >> 32n) & 0xffffffffn) | 0);
    Atomics.store(this.w, b + ENTRY_EL, c.el);
    Atomics.or(this.w, b + PENDING, P_CPU_ON);
    wake(this.w, t);
    return PSCI_SUCCESS;
  }

  /** Power on at the CPU_ON entry point: EL as the caller's, x0 = context, caches and TLB empty. */
  private boot(): void {
    const b = this.base;
    const c = this.cpu;
    const u = (k: number): bigint => BigInt(Atomics.load(this.w, b + k) >>> 0);
    c.x.fill(0);
    c.halted = false;
    c.stopRequested = false;
    this.mmu.invalidateAll();
    this.blocks.invalidateAll(c);
    enterAt(c, Atomics.load(this.w, b + ENTRY_EL), (u(ENTRY_HI) << 32n) | u(ENTRY_LO));
    c.setX(0, (u(CTX_HI) << 32n) | u(CTX_LO));
    Atomics.and(this.w, b + PENDING, ~P_CPU_ON);
    Atomics.store(this.w, b + STATE, S_ON);
  }

  /** The worker's whole life: returns when the machine stops. */
  run(): void {
    const w = this.w;
    const b = this.base;
    const c = this.cpu;
    const apply = (req: Int32Array): void => this.applyRequest(req);
    let insns = 0;
    while (!this.stopped()) {
      const pending = Atomics.load(w, b + PENDING);
      if ((pending & P_SHOOTDOWN) !== 0) drain(w, this.init.id, apply);
      if ((pending & P_PAUSE) !== 0) {
        this.park(apply);
        continue;
      }
      if ((pending & P_CPU_ON) !== 0) this.boot();
      this.takeSignals(pending);
      if (this.inputRing.available() > 0) this.uart.rxArrived();
      const state = Atomics.load(w, b + STATE);
      if (state !== S_ON) {
        this.sleep(50);
        continue;
      }
      if (c.halted) {
        // WFI/WFE: wake on an interrupt (from the GIC, a timer, another vCPU) or a timer deadline;
        // WFE also on an event (SEV, the event stream: interrupts.ts wakeReady; the exclusive monitor cleared).
        const wfe = c.wfeUntilNs !== 0;
        if (!wakeReady(c) && !(wfe && this.monitorEvent())) {
          const t0 = performance.now();
          this.sleep(this.sleepMs(wfe));
          Atomics.add(w, b + C_WFI_US, Math.round((performance.now() - t0) * 1000));
          continue;
        }
        this.wfePoll = 0;
        wakeVcpu(c);
      }
      insns += runBlocks(c, this.blocks, SLICE);
      c.stopRequested = false;
      if (insns >= 0x40000000) {
        Atomics.add(w, b + C_INSNS_HI, 1);
        insns -= 0x40000000;
      }
      Atomics.store(w, b + C_INSNS_LO, insns);
      this.publishCounters();
    }
    this.publishCounters();
  }

  /** Called while parked, between waits (vcpu-worker.ts answers inspector requests here). */
  whileParked: (() => void) | undefined;

  /** Parked at a slice boundary until P_PAUSE clears (or the machine stops); keeps acknowledging shootdowns. */
  private park(apply: (req: Int32Array) => void): void {
    const w = this.w;
    const b = this.base;
    this.publishCounters();
    Atomics.add(w, M_PARKED, 1);
    Atomics.notify(w, M_PARKED);
    for (;;) {
      const seen = Atomics.load(w, b + WAKE);
      const p = Atomics.load(w, b + PENDING);
      if ((p & P_PAUSE) === 0 || this.stopped()) break;
      if ((p & P_SHOOTDOWN) !== 0) drain(w, this.init.id, apply);
      else {
        this.whileParked?.();
        Atomics.wait(w, b + WAKE, seen, 50);
      }
    }
    Atomics.sub(w, M_PARKED, 1);
    Atomics.notify(w, M_PARKED);
  }

  /** Error report: the CPU state, and whether PSCI has it powered off. */
  describe(): string {
    const st = Atomics.load(this.w, this.base + STATE);
    const off = st === S_ON ? '' : st === S_ON_PENDING ? ' [PSCI: CPU_ON pending]' : ' [PSCI: powered off]';
    const [first, ...rest] = describeCpu(this.cpu).split('\n');
    return [first + off, ...rest].join('\n');
  }

  /** Local counters → the shared control block (read by the host at ~10 Hz). */
  private publishCounters(): void {
    const w = this.w;
    const b = this.base;
    const c = this.cpu;
    Atomics.store(w, b + C_TLB_FILLS, c.mem.tlbMisses | 0);
    Atomics.store(w, b + C_WALKS, this.mmu.walks | 0);
    Atomics.store(w, b + C_EXC, c.excCount | 0);
    Atomics.store(w, b + C_TLB_HITS, this.mmu.tlbHits | 0); // fast-path + architectural-TLB hits, as one vCPU
    Atomics.store(w, b + C_MMIO, c.mem.mmioAccesses | 0);
    let tlbis = 0;
    for (const n of this.mmu.tlbiByOp.values()) tlbis += n;
    Atomics.store(w, b + C_TLBI_ISSUED, tlbis);
    for (let k = 0; k < EXC_CLASSES; k++) Atomics.store(w, b + C_EXC_CLASS + k, c.excByClass[k]);
  }

  /**
   * The PENDING bits other PEs set for this one, given the word as just read: P_IRQ (the GIC
   * changed this vCPU's interrupt state: re-evaluate it) and P_EVENT (SEV: set the event register).
   */
  private takeSignals(pending: number): void {
    const w = this.w;
    if ((pending & P_IRQ) !== 0) {
      Atomics.and(w, this.base + PENDING, ~P_IRQ);
      Atomics.add(w, this.base + C_IPI_RECV, 1);
      this.cpu.pendingCheck |= PENDING_GIC;
    }
    if ((pending & P_EVENT) !== 0) {
      Atomics.and(w, this.base + PENDING, ~P_EVENT);
      this.cpu.eventRegister = true;
    }
  }

  /** SGI counters (C_SGI_SENT here, C_SGI_RECV at the target), apart from the other GIC kicks: one per target. */
  private countSgis(): void {
    this.gic.onSgi = (_from, to) => {
      Atomics.add(this.w, this.base + C_SGI_SENT, 1);
      Atomics.add(this.w, cpuBase(to) + C_SGI_RECV, 1);
    };
  }

  /** SEV: an event for every other powered-on PE. */
  private signalEvent(): void {
    for (let k = 0; k < this.init.ncpus; k++) {
      if (k === this.init.id || Atomics.load(this.w, cpuBase(k) + STATE) !== S_ON) continue;
      Atomics.or(this.w, cpuBase(k) + PENDING, P_EVENT);
      wake(this.w, k);
    }
  }

  /** Polling interval (ms) for a WFE with an armed exclusive monitor: doubles while nothing happens. */
  private wfePoll = 0;

  /** How long a halted vCPU may sleep: to its next timer deadline or event-stream transition (nextWakeNs); in WFE also to the monitor poll. */
  private sleepMs(wfe: boolean): number {
    const c = this.cpu;
    const now = absNs() - this.init.startNs;
    let until = nextWakeNs(c);
    if (wfe && c.exclusiveArmed) {
      this.wfePoll = this.wfePoll === 0 ? 0.02 : Math.min(1, this.wfePoll * 2);
      until = Math.min(until, now + this.wfePoll * 1e6);
    }
    return Math.min(50, Math.max(0, (until - now) / 1e6));
  }

  /**
   * Whether the exclusive monitor was cleared by another PE's store to the marked location
   * (a value-based monitor: the location no longer holds what LDXR read; Linux's
   * smp_cond_load_* waits on this): an event that wakes this PE from WFE (consumed). The
   * other events (the event register set by SEV from another PE or SEVL, the event stream)
   * are wakeReady's (interrupts.ts).
   */
  private monitorEvent(): boolean {
    const c = this.cpu;
    if (c.exclusiveArmed && this.monitorCleared()) {
      c.exclusiveArmed = false;
      return true;
    }
    return false;
  }

  private monitorCleared(): boolean {
    const c = this.cpu;
    const r = c.mem.bus.find(c.exclusivePa);
    if (r === undefined || r.kind !== 'ram') return true;
    const i = (c.exclusivePa - r.base) >> 2;
    switch (c.exclusiveSize) {
      case 1:
        return Atomics.load(r.u8, c.exclusivePa - r.base) !== (c.exclusiveLo & 0xff);
      case 2:
        return Atomics.load(r.u16, (c.exclusivePa - r.base) >> 1) !== (c.exclusiveLo & 0xffff);
      case 4:
        return Atomics.load(r.i32, i) !== c.exclusiveLo;
      default:
        return (
          Atomics.load(r.i32, i) !== c.exclusiveLo ||
          Atomics.load(r.i32, i + 1) !== c.exclusiveHi ||
          (c.exclusiveSize === 16 && (Atomics.load(r.i32, i + 2) !== c.exclusiveLo2 || Atomics.load(r.i32, i + 3) !== c.exclusiveHi2))
        );
    }
  }

  /** Sleep on this vCPU's WAKE word (bumped by kicks, CPU_ON, shootdowns, stop) for at most `ms`. */
  private sleep(ms: number): void {
    const k = this.base + WAKE;
    const seen = Atomics.load(this.w, k);
    if ((Atomics.load(this.w, this.base + PENDING) & (P_SHOOTDOWN | P_CPU_ON | P_IRQ | P_PAUSE | P_EVENT)) !== 0 || this.stopped()) return;
    Atomics.wait(this.w, k, seen, ms);
  }
}

/**
 * ResolvedTlbi ↔ request words (see shootdown.ts for the header words): 2 scope, 3 regimes,
 * 4 VMID, 5 ASID, 6 VA range, 7–8 address, 9 flags (1 range form, 2 all VMIDs, 4 len present),
 * 11 input size, 12–13 the range length in bytes (FEAT_TLBIRANGE), so a broadcast range TLBI
 * invalidates exactly [addr, addr + len) on every vCPU.
 */
export function encodeTlbi(req: Int32Array, t: ResolvedTlbi): void {
  req.fill(0);
  req[R_KIND] = K_TLBI;
  req[2] = t.scope;
  req[3] = t.regimes;
  req[4] = t.vmid;
  req[5] = t.asid;
  req[6] = t.range;
  req[7] = (t.addr % 4294967296) | 0;
  req[8] = Math.floor(t.addr / 4294967296);
  req[9] = (t.opRange ? 1 : 0) | (t.allVmids ? 2 : 0) | (t.len !== undefined ? 4 : 0);
  req[11] = t.inputSize;
  if (t.len !== undefined) {
    req[12] = (t.len % 4294967296) | 0;
    req[13] = Math.floor(t.len / 4294967296);
  }
}

export function decodeTlbi(req: Int32Array): ResolvedTlbi {
  return {
    scope: req[2],
    regimes: req[3],
    vmid: req[4],
    asid: req[5],
    range: req[6],
    addr: (req[8] >>> 0) * 4294967296 + (req[7] >>> 0),
    opRange: (req[9] & 1) !== 0,
    allVmids: (req[9] & 2) !== 0,
    inputSize: req[11],
    len: (req[9] & 4) !== 0 ? (req[13] >>> 0) * 4294967296 + (req[12] >>> 0) : undefined,
  };
}

export { WAKE };

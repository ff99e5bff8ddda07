/**
 * The `virt` board, laid out like QEMU's (hw/arm/virt.c) so existing kernels,
 * DTBs and bare-metal programs make sense:
 *
 *   0x0000_0000 ─ 0x0800_0000  (flash in QEMU; unmapped here: accesses abort)
 *   0x0800_0000 ─ 0x0801_0000  GICv3 distributor
 *   0x080A_0000 ─ …            GICv3 redistributors, 0x2_0000 per vCPU
 *   0x0900_0000 ─ 0x0900_1000  PL011 UART (SPI 1 = INTID 33, level-high)
 *   0x0901_0000 ─ 0x0901_1000  PL031 RTC (SPI 2 = INTID 34, level-high)
 *   0x4000_0000 ─ …            RAM (size and base configurable; more regions above 4 GiB)
 *
 * This class runs one vCPU in the calling thread; with more than one, core/smp runs each
 * vCPU in its own worker and the devices in an io worker, on the same map.
 */
import { randomBytes } from 'node:crypto';
import type { Cpu, CpuEnv, StopReason } from '../a64/cpu.js';
import { runBlocks, type BlockCache } from '../a64/blocks.js';
import { getModel } from '../a64/models.js';
import { enterAt } from '../a64/reset.js';
import { PhysBus } from '../mem/bus.js';
import type { Mmu } from '../mmu/mmu.js';
import { createVcpu } from './vcpu.js';
import { Pl011 } from './pl011.js';
import { Pl031 } from './pl031.js';
import { READC_WAIT, semihostingCall, type SemihostingHost } from './semihosting.js';
import { psciCall, PSCI_ALREADY_ON, PSCI_INVALID_PARAMETERS, PSCI_SUCCESS, type PsciHost } from './psci.js';
import { LoadError } from '../loader/elf.js';
import { planBoot } from './boot-layout.js';
import type { Loadable } from '../loader/detect.js';
import { virtDtb } from './virt-dt.js';
import { GICD_BASE, GICR_BASE } from './gicv3.js';
import { attachGic, createGic, gicDtConfig, type Gic, type GicVersion } from './gic.js';
import { nextWakeNs, wake, wakeReady } from '../a64/interrupts.js';

export const VIRT = {
  GICD: GICD_BASE,
  GICR: GICR_BASE,
  UART0: 0x0900_0000,
  /** The PL011's SPI number (INTID 32 + 1), as QEMU virt. */
  UART0_SPI: 1,
  /** PL031 RTC and its SPI (INTID 32 + 2), as QEMU virt. */
  RTC: 0x0901_0000,
  RTC_SPI: 2,
  RAM: 0x4000_0000,
} as const;

/**
 * Generic timer frequency: 62.5 MHz, as QEMU's virt (a 16 ns tick). The counter follows host
 * time (timer.ts); the timers' PPIs go to the GIC (CNTP 30, CNTV 27, CNTHP 26, CNTPS 29).
 */
export const CNTFRQ_HZ = 62_500_000;

export interface VmConfig {
  cpu: string;
  /** RAM size in bytes. */
  mem: number;
  ramBase?: number;
  /** More RAM regions anywhere the PA size allows (above 4 GiB, above 2^48 with 52-bit PA). */
  extraRam?: { base: number; size: number }[];
  /** EL2 exists and the guest starts there (QEMU `virtualization=on`). */
  virtualization?: boolean;
  /** EL3 exists and the guest starts there (QEMU `secure=on`); no PSCI emulation. */
  secure?: boolean;
  /** Number of vCPUs the device tree describes (the SMP machine runs them; default 1). */
  cpus?: number;
  /** Per-vCPU model and MPIDR affinity (heterogeneous clusters); `cpu` is then vCPU 0's model. */
  topology?: { model: string; affinity: number }[];
  /** Kernel command line (DTB /chosen/bootargs; semihosting SYS_GET_CMDLINE). */
  cmdline?: string;
  /** Bytes for the DTB's /chosen/rng-seed (default: 32 random bytes per machine, as QEMU). */
  rngSeed?: Uint8Array;
  /** Interrupt controller: 3 (default, GICD + GICR + ICC_* registers) or 2 (GICD + GICC MMIO), as QEMU gic-version. */
  gic?: GicVersion;
}

export interface ConsoleIo {
  write(bytes: Uint8Array): void;
}

export type RunOutcome =
  | { kind: 'exit'; status: number }
  | { kind: 'poweroff' }
  | { kind: 'reset' }
  | { kind: 'error'; message: string }
  | { kind: 'timeout' }
  | { kind: 'budget' };

export class VirtMachine {
  readonly bus = new PhysBus();
  readonly uart: Pl011;
  readonly rtc: Pl031;
  readonly gic: Gic;
  readonly cpu: Cpu;
  readonly blocks: BlockCache;
  readonly mmu: Mmu;
  readonly ramBase: number;
  private stop: StopReason | undefined;
  private readonly input: number[] = [];
  /**
   * Console input source: 'none' (nothing attached: SYS_READC returns -1 at once), 'open' (a
   * stream is attached: SYS_READC waits for its next byte), 'ended' (EOF: -1 once drained).
   */
  private inputState: 'none' | 'open' | 'ended' = 'none';
  /** The vCPU is halted in SYS_READC until input arrives or ends. */
  private readcWaiting = false;
  private readonly startNs = hrNow();
  private imageEnd = 0;
  private readonly rngSeed: Uint8Array;
  /** Resolves a pending `waitForWake` early (input arrived, an interrupt was raised). */
  private wakeWaiter: (() => void) | undefined;

  constructor(
    readonly config: VmConfig,
    private readonly console: ConsoleIo,
  ) {
    const model = getModel(config.cpu);
    this.rngSeed = config.rngSeed ?? new Uint8Array(randomBytes(32));
    this.ramBase = config.ramBase ?? VIRT.RAM;
    if (!Number.isSafeInteger(config.mem) || config.mem < 1 << 20)
      throw new LoadError(`memory size ${config.mem} is too small (at least 1 MiB)`);
    if (this.ramBase + config.mem > 2 ** model.paBits) {
      throw new LoadError(
        `RAM 0x${this.ramBase.toString(16)}+0x${config.mem.toString(16)} does not fit the ${model.paBits}-bit physical address space of ${model.name}`,
      );
    }
    this.bus.addRam(this.ramBase, config.mem);
    for (const r of config.extraRam ?? []) {
      if (r.base % 4096 !== 0 || r.size % 4096 !== 0 || r.size <= 0)
        throw new LoadError(`RAM region 0x${r.base.toString(16)}+0x${r.size.toString(16)} must be 4 KiB aligned`);
      if (r.base + r.size > 2 ** model.paBits) {
        throw new LoadError(
          `RAM 0x${r.base.toString(16)}+0x${r.size.toString(16)} does not fit the ${model.paBits}-bit physical address space of ${model.name}`,
        );
      }
      try {
        this.bus.addRam(r.base, r.size);
      } catch (e) {
        throw new LoadError((e as Error).message);
      }
    }
    this.gic = createGic(config.gic ?? 3, 1);
    this.gic.onKick = () => this.wakeWaiter?.();
    this.gic.mapInto(this.bus);
    this.uart = new Pl011(
      (b) => this.console.write(Uint8Array.of(b)),
      (level) => this.gic.raiseSpi(32 + VIRT.UART0_SPI, level),
    );
    this.bus.addDevice(VIRT.UART0, 0x1000, this.uart);
    this.rtc = new Pl031(
      () => Date.now() / 1000,
      (level) => this.gic.raiseSpi(32 + VIRT.RTC_SPI, level),
    );
    this.bus.addDevice(VIRT.RTC, 0x1000, this.rtc);

    const v = createVcpu({
      id: 0,
      model,
      env: this.makeEnv(),
      bus: this.bus,
      hasEl2: !!config.virtualization,
      hasEl3: !!config.secure,
      cntfrqHz: CNTFRQ_HZ,
    });
    this.cpu = v.cpu;
    this.blocks = v.blocks;
    this.mmu = v.mmu;
    // The CPU interface (GICv3: ICC_* registers, ID_AA64PFR0_EL1.GIC = 1; GICv2: GICC MMIO, GIC = 0).
    attachGic(this.gic, 0, this.cpu);
  }

  /** Exception level a directly booted kernel starts at (QEMU -kernel semantics). */
  get entryEl(): number {
    return this.cpu.hasEl3 ? 3 : this.cpu.hasEl2 ? 2 : 1;
  }

  /** The conduit of the emulated PSCI firmware, or none when EL3 firmware is the guest's own. */
  get psciConduit(): 'hvc' | 'smc' | 'none' {
    if (this.cpu.hasEl3) return 'none';
    return this.cpu.hasEl2 ? 'smc' : 'hvc';
  }

  /** The device tree for this machine (see virt-dt.ts). */
  deviceTree(initrd?: { start: number; end: number }): Uint8Array {
    return virtDtb({
      ram: [{ base: this.ramBase, size: this.config.mem }, ...(this.config.extraRam ?? [])],
      cpuCompatible: `arm,${this.cpu.model.name === 'max' ? 'armv8' : this.cpu.model.name}`,
      cpus: this.config.cpus ?? 1,
      cpuList: this.config.topology?.map((t) => ({ compatible: `arm,${t.model === 'max' ? 'armv8' : t.model}`, affinity: t.affinity })),
      psciMethod: this.psciConduit,
      uartBase: VIRT.UART0,
      uartSpi: VIRT.UART0_SPI,
      rtc: { base: VIRT.RTC, spi: VIRT.RTC_SPI },
      gic: gicDtConfig(this.config.gic ?? 3, this.config.cpus ?? 1),
      bootargs: this.config.cmdline,
      initrd,
      rngSeed: this.rngSeed,
    });
  }

  /** Load a program or kernel and set the entry state (placement: boot-layout.ts planBoot). */
  load(l: Loadable, initrd?: Uint8Array): void {
    const plan = planBoot(l, this.ramBase, this.config.mem, (r) => this.deviceTree(r), initrd);
    for (const w of plan.writes) this.bus.writeBytes(w.pa, w.data);
    this.imageEnd = plan.imageEnd;
    // A kernel boot (Image or raw binary) finds every interrupt in Group 1, as under QEMU.
    if (plan.kernel) this.gic.resetNonSecure();
    enterAt(this.cpu, this.entryEl, plan.entry);
    if (plan.x0 !== undefined) this.cpu.setX(0, plan.x0);
  }

  /** Host → guest console input (UART receive, semihosting SYS_READC). */
  sendInput(bytes: Uint8Array): void {
    for (const b of bytes) this.input.push(b);
    this.uart.input(bytes);
    this.wakeWaiter?.();
  }

  /** A console input stream is attached (the CLI's stdin): SYS_READC waits for its bytes. */
  openInput(): void {
    if (this.inputState === 'none') this.inputState = 'open';
  }

  /** The input stream ended (EOF): SYS_READC returns what is buffered, then -1. */
  endInput(): void {
    this.inputState = 'ended';
    this.wakeWaiter?.();
  }

  /** True while the vCPU waits in SYS_READC for console input. */
  get waitingForInput(): boolean {
    return this.readcWaiting;
  }

  /**
   * Run for at most `budget` instructions. Returns an outcome when the guest
   * stopped, or `budget` when it is still running.
   */
  runSlice(budget: number): RunOutcome {
    const c = this.cpu;
    this.rtc.poll();
    if (this.stop) return this.outcome();
    // SYS_READC resumes (re-executing its HLT) once a byte is buffered or the input ended; interrupts
    // do not end the wait, as under QEMU, where the vCPU thread blocks in the call.
    if (this.readcWaiting) {
      if (this.input.length === 0 && this.inputState === 'open') return { kind: 'budget' };
      this.readcWaiting = false;
      wake(c);
    }
    // A vCPU sleeping in WFI/WFE resumes once an interrupt or its WFE deadline is due.
    if (c.halted) {
      if (!wakeReady(c)) return { kind: 'budget' };
      wake(c);
    }
    runBlocks(c, this.blocks, budget);
    if (this.stop) return this.outcome();
    return { kind: 'budget' };
  }

  /**
   * For the run loop while the vCPU sleeps (`cpu.halted`): resolves at the next timer
   * deadline (or WFE timeout), when input arrives or an interrupt is raised, and after
   * `maxMs` at the latest.
   */
  waitForWake(maxMs: number): Promise<void> {
    const c = this.cpu;
    if (!c.halted) return Promise.resolve();
    // Waiting in SYS_READC: only input (or its end) matters, not timer deadlines.
    const dueNs = this.readcWaiting ? Infinity : nextWakeNs(c) - (hrNow() - this.startNs);
    const ms = Math.max(0, Math.min(maxMs, dueNs / 1e6));
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        if (this.wakeWaiter === done) this.wakeWaiter = undefined;
        resolve();
      };
      const t = setTimeout(done, Math.ceil(ms));
      this.wakeWaiter = done;
    });
  }

  private outcome(): RunOutcome {
    const s = this.stop!;
    return s;
  }

  private makeEnv(): CpuEnv {
    const sh: SemihostingHost = {
      write: (b) => this.console.write(b),
      readByte: () => {
        const b = this.input.shift();
        if (b !== undefined) return b;
        if (this.inputState !== 'open') return -1;
        this.readcWaiting = true;
        return READC_WAIT;
      },
      elapsedNs: () => hrNow() - this.startNs,
      heapInfo: () => {
        const ramEnd = BigInt(this.ramBase + this.config.mem);
        const heapBase = BigInt(Math.ceil(Math.max(this.imageEnd, this.ramBase) / 16) * 16);
        return { heapBase, heapLimit: ramEnd, stackBase: ramEnd, stackLimit: heapBase };
      },
      exit: (status) => this.requestStop({ kind: 'exit', status }),
      cmdline: this.config.cmdline ?? '',
      handles: new Map(),
    };
    const psci: PsciHost = {
      systemOff: () => this.requestStop({ kind: 'poweroff' }),
      systemReset: () => this.requestStop({ kind: 'reset' }),
      cpuOn: (_c, mpidr) => ((mpidr & 0xff00ffffffn) === 0n ? PSCI_ALREADY_ON : PSCI_INVALID_PARAMETERS),
      cpuOff: () => {
        // The only CPU going off leaves nothing running: QEMU keeps the machine up; we report it.
        this.requestStop({ kind: 'error', message: 'PSCI CPU_OFF on the last running CPU: nothing left to run' });
        return PSCI_SUCCESS;
      },
      affinityInfo: (mpidr) => ((mpidr & 0xff00ffffffn) === 0n ? 0 : PSCI_INVALID_PARAMETERS),
    };
    return {
      nowNs: () => hrNow() - this.startNs,
      semihosting: (c) => {
        semihostingCall(c, sh);
        return true;
      },
      firmwareCall: (c, conduit) => (conduit === this.psciConduit ? psciCall(c, psci) : false),
      requestStop: (r) => this.requestStop(r),
    };
  }

  private requestStop(r: StopReason): void {
    this.stop ??= r;
    this.cpu.stopRequested = true;
  }
}

function hrNow(): number {
  return performance.now() * 1e6;
}

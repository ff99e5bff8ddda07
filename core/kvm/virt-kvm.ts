/**
 * The `virt` board under KVM (arm64 hosts): the same addresses, device models,
 * device tree and boot placement as TCG's VirtMachine (board/virt.ts, boot-layout.ts),
 * with the CPUs, the GICv3 (in-kernel vGICv3 at GICD/GICR), the generic timer and
 * PSCI (KVM's, through HVC) provided by the host kernel.
 *
 *   VmSpec-like config ─ kvmBoardPlan() ─▶ KvmMachineConfig + BootPlan (pure: tested on any host)
 *   KvmVirt.create()   ─▶ KvmMachine (vCPU workers, RAM slots) + PL011/PL031 on its MMIO bus
 *
 * What differs from TCG, by construction of KVM: no semihosting (HLT #0xF000 is UNDEFINED
 * in the guest; the bare-metal runtime then powers off through PSCI), the counter frequency is
 * the host's, and no instruction counts. An access outside RAM and devices is a synchronous
 * external abort as under TCG where KVM can inject one (KVM_CAP_ARM_INJECT_EXT_DABT), else it
 * reads 0 / is dropped; either way it is counted (`mmioUnmapped`).
 */
import { randomBytes } from 'node:crypto';
import { planBoot, type BootPlan } from '../board/boot-layout.js';
import { GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE, GIC_NUM_IRQ } from '../board/gicv3.js';
import { Pl011 } from '../board/pl011.js';
import { Pl031 } from '../board/pl031.js';
import { VIRT, type ConsoleIo, type RunOutcome } from '../board/virt.js';
import { virtDtb } from '../board/virt-dt.js';
import type { Loadable } from '../loader/detect.js';
import { LoadError } from '../loader/elf.js';
import { formatKvmCounters, type KvmVcpuCounters } from './counters.js';
import type { KvmHostInfo } from './info.js';
import { KvmMachine, type KvmMachineConfig } from './machine.js';
import type { VcpuOutcome } from './vcpu-loop.js';

/** The board KVM runs: RAM regions (the first is where the program, initrd and DTB go), vCPUs, command line. */
export interface KvmVirtConfig {
  cpus: number;
  memory: { base: number; size: number }[];
  cmdline?: string;
  rngSeed?: Uint8Array;
  /** Interrupt controller version; the KVM board has an in-kernel vGICv3 only (2 is refused). */
  gic?: 2 | 3;
}

/** What this host's KVM offers that the plan depends on (describeKvm's caps / ipaBits). */
export interface KvmHostLimits {
  /** KVM_CAP_ARM_VM_IPA_SIZE (0: the capability is absent, VMs have the 40-bit default). */
  ipaSizeCap: number;
  /** KVM_CAP_MAX_VCPUS (0: unknown). */
  maxVcpus?: number;
  /** KVM_CAP_ARM_INJECT_EXT_DABT: an access to no device can become a synchronous external abort. */
  injectExtDabt?: boolean;
}

/** The limits of this host's KVM as describeKvm() reports them. */
export function kvmHostLimits(info: KvmHostInfo): KvmHostLimits {
  return {
    ipaSizeCap: info.caps.KVM_CAP_ARM_VM_IPA_SIZE ?? 0,
    maxVcpus: info.caps.KVM_CAP_MAX_VCPUS,
    injectExtDabt: (info.caps.KVM_CAP_ARM_INJECT_EXT_DABT ?? 0) > 0 && process.env.ARMLAB_KVM_NO_EXT_DABT !== '1',
  };
}

export interface KvmBoardPlan {
  machine: KvmMachineConfig;
  boot: BootPlan;
  /** The IPA size the VM is created with. */
  ipaBits: number;
}

const UART_IRQ = 32 + VIRT.UART0_SPI;
const RTC_IRQ = 32 + VIRT.RTC_SPI;

/** Bits needed to address [0, end). */
function bitsFor(end: number): number {
  let b = 32;
  while (2 ** b < end) b++;
  return b;
}

/**
 * Pure: the KVM VM for `cfg` (IPA size, RAM slots, vCPUs, vGICv3) and where `program` goes.
 * Throws a LoadError naming the limit when this host's KVM cannot hold the configuration.
 */
export function kvmBoardPlan(cfg: KvmVirtConfig, host: KvmHostLimits, program: Loadable, initrd?: Uint8Array): KvmBoardPlan {
  if (!Number.isInteger(cfg.cpus) || cfg.cpus < 1 || cfg.cpus > 8) throw new LoadError(`KVM: ${cfg.cpus} vCPUs (1 to 8)`);
  if (host.maxVcpus && cfg.cpus > host.maxVcpus) throw new LoadError(`KVM: ${cfg.cpus} vCPUs, but this host's KVM allows ${host.maxVcpus}`);
  if (cfg.memory.length === 0) throw new LoadError('KVM: no RAM');
  if ((cfg.gic ?? 3) !== 3)
    throw new LoadError(
      'KVM: gic-version 2 is not offered: the KVM board creates an in-kernel vGICv3 (KVM_DEV_TYPE_ARM_VGIC_V3) and has no GICv2 (KVM_DEV_TYPE_ARM_VGIC_V2) wiring; use the TCG backend for a GICv2',
    );
  const pageOk = (v: number): boolean => v % 65536 === 0;
  for (const r of cfg.memory) {
    if (!pageOk(r.base) || !pageOk(r.size) || r.size <= 0)
      throw new LoadError(
        `KVM: RAM region 0x${r.base.toString(16)}+0x${r.size.toString(16)} must be 64 KiB aligned (memory slots must be page-aligned for any host page size)`,
      );
    if (r.base < 0x4000_0000 && r.base + r.size > 0x0800_0000)
      throw new LoadError(
        `KVM: RAM region 0x${r.base.toString(16)}+0x${r.size.toString(16)} overlaps the board's device window below 0x40000000`,
      );
  }
  const top = Math.max(...cfg.memory.map((r) => r.base + r.size), GICR_BASE + GICR_STRIDE * cfg.cpus);
  const need = Math.max(bitsFor(top), 40);
  const maxIpa = host.ipaSizeCap || 40;
  if (need > maxIpa)
    throw new LoadError(
      `KVM: RAM up to 0x${top.toString(16)} needs a ${need}-bit IPA space; this host's KVM offers ${maxIpa} bits (KVM_CAP_ARM_VM_IPA_SIZE${host.ipaSizeCap ? '' : ' absent'})`,
    );
  const boot0 = cfg.memory[0];
  const deviceTree = (initrdRange?: { start: number; end: number }): Uint8Array =>
    virtDtb({
      ram: cfg.memory,
      cpuCompatible: 'arm,armv8',
      cpus: cfg.cpus,
      psciMethod: 'hvc',
      uartBase: VIRT.UART0,
      uartSpi: VIRT.UART0_SPI,
      rtc: { base: VIRT.RTC, spi: VIRT.RTC_SPI },
      gic: { distBase: GICD_BASE, distSize: GICD_SIZE, redistBase: GICR_BASE, redistSize: GICR_STRIDE * cfg.cpus },
      bootargs: cfg.cmdline,
      initrd: initrdRange,
      rngSeed: cfg.rngSeed ?? new Uint8Array(randomBytes(32)),
    });
  const boot = planBoot(program, boot0.base, boot0.size, deviceTree, initrd);
  const machine: KvmMachineConfig = {
    ram: cfg.memory.map((r) => ({ base: r.base, size: r.size })),
    vcpus: Array.from({ length: cfg.cpus }, (_, i) =>
      i === 0 ? { arch: 'arm64' as const, pc: boot.entry, x0: boot.x0, powerOff: false } : { arch: 'arm64' as const, powerOff: true },
    ),
    // KVM_VM_TYPE_ARM_IPA_SIZE(n); 0 (the 40-bit default) where the capability is absent.
    vmType: host.ipaSizeCap ? need : 0,
    injectExtDabt: host.injectExtDabt ?? false,
    gicV3: { dist: GICD_BASE, redist: GICR_BASE, nrIrqs: GIC_NUM_IRQ },
  };
  return { machine, boot, ipaBits: need };
}

/** The outcome of a KVM run as the board reports it (same kinds as TCG's RunOutcome). */
export function kvmOutcome(outcomes: VcpuOutcome[], shutdown: number, reset: number): RunOutcome | { kind: 'stopped' } {
  for (const [i, o] of outcomes.entries()) {
    if (o.kind === 'system-event') {
      if (o.type === shutdown) return { kind: 'poweroff' };
      if (o.type === reset) return { kind: 'reset' };
      return { kind: 'error', message: `vCPU ${i}: KVM system event ${o.type}` };
    }
    if (o.kind === 'shutdown') return { kind: 'error', message: `vCPU ${i}: KVM_EXIT_SHUTDOWN` };
    if (o.kind === 'error') return { kind: 'error', message: `vCPU ${i}: ${o.message}` };
    if (o.kind === 'hlt') return { kind: 'error', message: `vCPU ${i}: unexpected HLT exit` };
  }
  return { kind: 'stopped' };
}

export class KvmVirt {
  private rtcTimer: NodeJS.Timeout | undefined;
  private final: VcpuOutcome[] | undefined;

  private constructor(
    readonly machine: KvmMachine,
    readonly plan: KvmBoardPlan,
    readonly uart: Pl011,
    readonly rtc: Pl031,
    private readonly trace: ((m: string) => void) | undefined,
  ) {}

  /**
   * Create the VM (RAM slots, vCPU workers, vGICv3), place the program and wait for start().
   * `workerUrl`: the bundled KVM vCPU worker (default: next to this module's bundle).
   */
  static async create(
    cfg: KvmVirtConfig,
    host: KvmHostLimits,
    program: Loadable,
    console: ConsoleIo,
    initrd?: Uint8Array,
    workerUrl?: URL,
  ): Promise<KvmVirt> {
    const plan = kvmBoardPlan(cfg, host, program, initrd);
    // The devices interrupt through the in-kernel vGIC; they exist before the machine does.
    const ref: { machine?: KvmMachine } = {};
    // ARMLAB_KVM_TRACE=1: every device interrupt line change (and console input) on stderr, timed.
    const trace =
      process.env.ARMLAB_KVM_TRACE === '1'
        ? (m: string) => process.stderr.write(`kvm-trace ${performance.now().toFixed(1)} ${m}\n`)
        : undefined;
    // KVM_IRQ_LINE only when a line changes (the models report their level on every register access).
    const lines = new Map<number, boolean>();
    const irq = (intid: number) => (level: boolean) => {
      if (!ref.machine || lines.get(intid) === level) return;
      trace?.(`SPI ${intid} ${level ? 'high' : 'low'}`);
      lines.set(intid, level);
      ref.machine.setSpi(intid, level);
    };
    const uart = new Pl011((b) => console.write(Uint8Array.of(b)), irq(UART_IRQ));
    const rtc = new Pl031(() => Date.now() / 1000, irq(RTC_IRQ));
    const machine = (ref.machine = await KvmMachine.create(
      {
        ...plan.machine,
        devices: [
          { base: VIRT.UART0, size: 0x1000, device: uart },
          { base: VIRT.RTC, size: 0x1000, device: rtc },
        ],
      },
      workerUrl,
    ));
    for (const w of plan.boot.writes) machine.writeBytes(w.pa, w.data);
    return new KvmVirt(machine, plan, uart, rtc, trace);
  }

  start(): void {
    this.machine.start();
    this.rtcTimer ??= setInterval(() => this.rtc.poll(), 50);
  }

  pause(): Promise<void> {
    return this.machine.pause();
  }

  resume(): void {
    this.machine.resume();
  }

  sendInput(bytes: Uint8Array): void {
    this.trace?.(`input ${bytes.length} bytes`);
    this.uart.input(bytes);
  }

  /** Resolves when the guest stops (power-off, reset, error) or stop() was called. */
  async wait(): Promise<RunOutcome | { kind: 'stopped' }> {
    const o = await this.machine.wait();
    this.final = o;
    const k = this.machine.addon.constants;
    return kvmOutcome(o, k.KVM_SYSTEM_EVENT_SHUTDOWN, k.KVM_SYSTEM_EVENT_RESET);
  }

  async stop(): Promise<void> {
    await this.machine.stop();
  }

  counters(): KvmVcpuCounters[] {
    return this.machine.counters();
  }

  /** After the run: each vCPU's registers as KVM left them (ONE_REG), and its exit counters. */
  describe(): string {
    const counters = this.counters();
    return (this.final ?? [])
      .map((o, i) => `vCPU ${i}: ${o.state ?? '(no register state)'}\n  ${counters[i] ? formatKvmCounters(counters[i]) : ''}`)
      .join('\n');
  }

  /** Release the VM, its workers and every fd. */
  async close(): Promise<void> {
    if (this.rtcTimer) clearInterval(this.rtcTimer);
    this.rtcTimer = undefined;
    await this.machine.close();
  }
}

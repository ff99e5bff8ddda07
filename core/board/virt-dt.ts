/**
 * The device tree the `virt` board hands a kernel, generated from the VM
 * configuration (node names and compatibles as QEMU's virt so kernels and tools
 * recognise them): the GICv3 or GICv2 node (intc@8000000, the root's interrupt-parent), the
 * generic timer's PPIs and the PL011's SPI, with QEMU's flags (level-high, 4).
 */
import { cells64, empty, node, str, u32, u64, writeDtb, type DtNode } from './fdt.js';

export interface DtConfig {
  ram: { base: number; size: number }[];
  cpuCompatible: string;
  cpus: number;
  /** Per-vCPU compatible and MPIDR affinity (heterogeneous systems); default: cpuCompatible, reg = index. */
  cpuList?: { compatible: string; affinity: number }[];
  psciMethod: 'hvc' | 'smc' | 'none';
  uartBase: number;
  /** The UART's SPI number (interrupts = <0 spi 4>). */
  uartSpi?: number;
  /** PL031 RTC base and SPI (QEMU virt: 0x0901_0000, SPI 2). */
  rtc?: { base: number; spi: number };
  /**
   * GICv3 distributor and redistributor regions, or (version 2) the GICv2 distributor and
   * CPU interface; `cpus` (GICv2) goes into the timer PPIs' CPU mask, as QEMU writes it.
   */
  gic?:
    | { version?: 3; distBase: number; distSize: number; redistBase: number; redistSize: number }
    | { version: 2; distBase: number; distSize: number; cpuBase: number; cpuSize: number; cpus: number };
  bootargs?: string;
  initrd?: { start: number; end: number };
  /**
   * /chosen/rng-seed (QEMU virt passes 32 random bytes). Without it the kernel's CRNG stays
   * empty and every get_random_bytes() re-extracts the input pool (blake2s).
   */
  rngSeed?: Uint8Array;
}

const PHANDLE_APB_PCLK = 0x8000;
/** As QEMU virt: the GIC's phandle. */
const PHANDLE_GIC = 0x8002;
/** Interrupt specifier: type (0 SPI, 1 PPI), number, flags (4 = level-high, as QEMU). */
const GIC_SPI = 0;
const GIC_PPI = 1;
const IRQ_LEVEL_HIGH = 4;

export function virtDeviceTree(cfg: DtConfig): DtNode {
  const uartName = `pl011@${cfg.uartBase.toString(16)}`;
  const chosen: Record<string, ReturnType<typeof str>> = { 'stdout-path': str(`/${uartName}`) };
  if (cfg.bootargs !== undefined) chosen.bootargs = str(cfg.bootargs);
  if (cfg.initrd) {
    chosen['linux,initrd-start'] = u64(cfg.initrd.start);
    chosen['linux,initrd-end'] = u64(cfg.initrd.end);
  }
  if (cfg.rngSeed) chosen['rng-seed'] = { kind: 'bytes', value: cfg.rngSeed };
  const cpus: DtNode[] = [];
  for (let i = 0; i < cfg.cpus; i++) {
    const one = cfg.cpuList?.[i];
    const reg = one?.affinity ?? i;
    const props: Record<string, ReturnType<typeof str>> = {
      device_type: str('cpu'),
      compatible: str(one?.compatible ?? cfg.cpuCompatible),
      reg: u32(reg),
    };
    if (cfg.cpus > 1 && cfg.psciMethod !== 'none') props['enable-method'] = str('psci');
    cpus.push(node(`cpu@${reg.toString(16)}`, props));
  }
  const children: DtNode[] = [];
  if (cfg.gic) {
    const g = cfg.gic;
    const common = {
      '#interrupt-cells': u32(3),
      'interrupt-controller': empty(),
      '#address-cells': u32(2),
      '#size-cells': u32(2),
      ranges: empty(),
    };
    // GICv2 (QEMU gic-version=2): 'arm,cortex-a15-gic' with the distributor and CPU interface.
    const intc =
      g.version === 2
        ? {
            compatible: str('arm,cortex-a15-gic'),
            ...common,
            reg: u32(...cells64(g.distBase, g.distSize), ...cells64(g.cpuBase, g.cpuSize)),
          }
        : {
            compatible: str('arm,gic-v3'),
            ...common,
            '#redistributor-regions': u32(1),
            reg: u32(...cells64(g.distBase, g.distSize), ...cells64(g.redistBase, g.redistSize)),
          };
    // A GICv2 PPI specifier carries the mask of CPUs it is wired to in flags [15:8] (QEMU: all CPUs).
    const ppi = g.version === 2 ? IRQ_LEVEL_HIGH | ((((1 << g.cpus) - 1) & 0xff) << 8) : IRQ_LEVEL_HIGH;
    children.push(
      node(`intc@${g.distBase.toString(16)}`, { ...intc, phandle: u32(PHANDLE_GIC) }),
      // Secure physical, non-secure physical, virtual, hypervisor timer PPIs (INTIDs 29, 30, 27, 26).
      node('timer', {
        compatible: str('arm,armv8-timer', 'arm,armv7-timer'),
        interrupts: u32(GIC_PPI, 13, ppi, GIC_PPI, 14, ppi, GIC_PPI, 11, ppi, GIC_PPI, 10, ppi),
        'always-on': empty(),
      }),
    );
  }
  if (cfg.psciMethod !== 'none') {
    children.push(node('psci', { compatible: str('arm,psci-1.0', 'arm,psci-0.2', 'arm,psci'), method: str(cfg.psciMethod) }));
  }
  for (const r of cfg.ram) {
    children.push(node(`memory@${r.base.toString(16)}`, { device_type: str('memory'), reg: u32(...cells64(r.base, r.size)) }));
  }
  children.push(
    node('cpus', { '#address-cells': u32(1), '#size-cells': u32(0) }, cpus),
    node('apb-pclk', {
      compatible: str('fixed-clock'),
      '#clock-cells': u32(0),
      'clock-frequency': u32(24_000_000),
      'clock-output-names': str('clk24mhz'),
      phandle: u32(PHANDLE_APB_PCLK),
    }),
    node(uartName, {
      compatible: str('arm,pl011', 'arm,primecell'),
      reg: u32(...cells64(cfg.uartBase, 0x1000)),
      'clock-names': str('uartclk', 'apb_pclk'),
      clocks: u32(PHANDLE_APB_PCLK, PHANDLE_APB_PCLK),
      ...(cfg.gic && cfg.uartSpi !== undefined ? { interrupts: u32(GIC_SPI, cfg.uartSpi, IRQ_LEVEL_HIGH) } : {}),
    }),
    ...(cfg.rtc
      ? [
          node(`pl031@${cfg.rtc.base.toString(16)}`, {
            compatible: str('arm,pl031', 'arm,primecell'),
            reg: u32(...cells64(cfg.rtc.base, 0x1000)),
            ...(cfg.gic ? { interrupts: u32(GIC_SPI, cfg.rtc.spi, IRQ_LEVEL_HIGH) } : {}),
            'clock-names': str('apb_pclk'),
            clocks: u32(PHANDLE_APB_PCLK),
          }),
        ]
      : []),
    node('chosen', chosen),
  );
  return node(
    '',
    {
      ...(cfg.gic ? { 'interrupt-parent': u32(PHANDLE_GIC) } : {}),
      compatible: str('linux,dummy-virt'),
      model: str('armlab virt'),
      '#address-cells': u32(2),
      '#size-cells': u32(2),
      'dma-coherent': empty(),
    },
    children,
  );
}

export function virtDtb(cfg: DtConfig): Uint8Array {
  return writeDtb(virtDeviceTree(cfg));
}

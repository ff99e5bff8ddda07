/**
 * The device tree the `virt` board hands a kernel, generated from the VM
 * configuration (node names and compatibles as QEMU's virt so kernels and tools
 * recognise them). Interrupt properties and the GIC node arrive with the GIC.
 */
import { cells64, empty, node, str, u32, u64, writeDtb, type DtNode } from './fdt.js';

export interface DtConfig {
  ram: { base: number; size: number }[];
  cpuCompatible: string;
  cpus: number;
  psciMethod: 'hvc' | 'smc' | 'none';
  uartBase: number;
  bootargs?: string;
  initrd?: { start: number; end: number };
}

const PHANDLE_APB_PCLK = 0x8000;

export function virtDeviceTree(cfg: DtConfig): DtNode {
  const uartName = `pl011@${cfg.uartBase.toString(16)}`;
  const chosen: Record<string, ReturnType<typeof str>> = { 'stdout-path': str(`/${uartName}`) };
  if (cfg.bootargs !== undefined) chosen.bootargs = str(cfg.bootargs);
  if (cfg.initrd) {
    chosen['linux,initrd-start'] = u64(cfg.initrd.start);
    chosen['linux,initrd-end'] = u64(cfg.initrd.end);
  }
  const cpus: DtNode[] = [];
  for (let i = 0; i < cfg.cpus; i++) {
    const props: Record<string, ReturnType<typeof str>> = { device_type: str('cpu'), compatible: str(cfg.cpuCompatible), reg: u32(i) };
    if (cfg.cpus > 1 && cfg.psciMethod !== 'none') props['enable-method'] = str('psci');
    cpus.push(node(`cpu@${i}`, props));
  }
  const children: DtNode[] = [];
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
    }),
    node('chosen', chosen),
  );
  return node(
    '',
    {
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

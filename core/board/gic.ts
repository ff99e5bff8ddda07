/**
 * The virt board's interrupt controller, either version (QEMU `-M virt,gic-version=2|3`):
 * construction over a shared state buffer, attaching a vCPU, and what the device tree
 * says about it. The board, the SMP vCPU workers and the io worker all go through here.
 */
import type { Cpu } from '../a64/cpu.js';
import { R } from '../a64/sysregs.js';
import { GicV2, GICV2_CPU_BASE, GICV2_CPU_SIZE, GICV2_DIST_BASE, GICV2_DIST_SIZE, GICV2_NUM_IRQ } from './gicv2.js';
import { GicV3, GICD_BASE, GICD_SIZE, GICR_BASE, GICR_STRIDE, GIC_NUM_IRQ } from './gicv3.js';
import type { DtConfig } from './virt-dt.js';

export type GicVersion = 2 | 3;
export type Gic = GicV2 | GicV3;

/** A GIC for `numCpu` vCPUs; with `sab`, a view of the state another thread created. */
export function createGic(version: GicVersion, numCpu: number, sab?: SharedArrayBuffer): Gic {
  return version === 2 ? new GicV2(numCpu, GICV2_NUM_IRQ, sab) : new GicV3(numCpu, GIC_NUM_IRQ, sab);
}

/**
 * Give vCPU `index` its CPU interface and set ID_AA64PFR0_EL1.GIC [27:24] as QEMU does:
 * 1 (System register interface to GICv3) with a GICv3, 0 with a GICv2.
 */
export function attachGic(gic: Gic, index: number, cpu: Cpu): void {
  if (gic.version === 3) {
    const mpidr = cpu.sys.get64(R.MPIDR_EL1);
    gic.attachCpu(index, cpu, Number(((mpidr >> 8n) & 0xff000000n) | (mpidr & 0xffffffn)));
  } else {
    gic.attachCpu(index, cpu);
  }
  const field = gic.version === 3 ? 1n : 0n;
  cpu.sys.set64(R.ID_AA64PFR0_EL1, (cpu.sys.get64(R.ID_AA64PFR0_EL1) & ~(0xfn << 24n)) | (field << 24n));
}

/** The GIC node of the device tree for `cpus` vCPUs. */
export function gicDtConfig(version: GicVersion, cpus: number): NonNullable<DtConfig['gic']> {
  if (version === 2)
    return { version: 2, distBase: GICV2_DIST_BASE, distSize: GICV2_DIST_SIZE, cpuBase: GICV2_CPU_BASE, cpuSize: GICV2_CPU_SIZE, cpus };
  return { distBase: GICD_BASE, distSize: GICD_SIZE, redistBase: GICR_BASE, redistSize: GICR_STRIDE * cpus };
}

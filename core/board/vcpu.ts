/**
 * Builds one vCPU with its memory path, MMU and decoded-block cache, reset and
 * wired together. The board and the unit-test harness both use this.
 */
import { Cpu, type CpuEnv } from '../a64/cpu.js';
import { BlockCache } from '../a64/blocks.js';
import { a64Decoder } from '../a64/table/index.js';
import type { CpuModel } from '../a64/models.js';
import { resetCpu } from '../a64/reset.js';
import type { PhysBus } from '../mem/bus.js';
import { MemPath } from '../mem/mempath.js';
import { Mmu } from '../mmu/mmu.js';

export interface VcpuOptions {
  id: number;
  model: CpuModel;
  env: CpuEnv;
  bus: PhysBus;
  hasEl2: boolean;
  hasEl3: boolean;
  cntfrqHz: number;
  /** MPIDR affinity (Aff1 << 8 | Aff0); default QEMU virt's layout from the id. */
  affinity?: number;
}

export interface Vcpu {
  cpu: Cpu;
  blocks: BlockCache;
  mmu: Mmu;
}

export function createVcpu(o: VcpuOptions): Vcpu {
  const mem = new MemPath(o.bus, o.model.paBits);
  const cpu = new Cpu(o.id, o.model, o.env, mem);
  if (o.affinity !== undefined) cpu.affinity = o.affinity;
  cpu.hasEl2 = o.hasEl2 && o.model.features.el2;
  cpu.hasEl3 = o.hasEl3 && o.model.features.el3;
  const blocks = new BlockCache(a64Decoder());
  mem.onCodeWrite = (pa) => blocks.invalidatePage(pa);
  resetCpu(cpu, { cntfrqHz: o.cntfrqHz, blocks });
  const mmu = new Mmu(cpu);
  const base = cpu.onContextChange;
  cpu.onContextChange = (c) => {
    base(c);
    mmu.contextChanged();
  };
  return { cpu, blocks, mmu };
}

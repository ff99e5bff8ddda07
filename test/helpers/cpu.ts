/**
 * Unit-test harness: a bare CPU with RAM at 0x4000_0000, code placed at CODE,
 * run until the appended `HLT #0xF000` (which stops the run) or a budget.
 *
 *   const c = runCode([0x91000420], (c) => c.setX(1, 5n)); // add x0, x1, #1
 *   expect(c.getX(0)).toBe(6n);
 */
import type { Cpu, CpuEnv } from '../../core/a64/cpu.js';
import { runBlocks, type BlockCache } from '../../core/a64/blocks.js';
import { getModel, type CpuModel } from '../../core/a64/models.js';
import { enterAt } from '../../core/a64/reset.js';
import { R } from '../../core/a64/sysregs.js';
import { PhysBus } from '../../core/mem/bus.js';
import type { Mmu } from '../../core/mmu/mmu.js';
import { createVcpu } from '../../core/board/vcpu.js';
import { contextChanged } from '../../core/a64/exceptions.js';

export const RAM_BASE = 0x4000_0000;
export const RAM_SIZE = 16 * 1024 * 1024;
export const CODE = 0x4008_0000;
/** A scratch data area tests may use freely. */
export const DATA = 0x4010_0000;
export const HLT_STOP = 0xd45e0000; // HLT #0xF000

export interface TestMachine {
  c: Cpu;
  bus: PhysBus;
  blocks: BlockCache;
  mmu: Mmu;
  /** Run until stop or `budget` instructions. */
  run(budget?: number): void;
  /** Write little-endian 32-bit words at a physical address. */
  poke32(pa: number, words: number[]): void;
  peek64(pa: number): bigint;
  poke64(pa: number, v: bigint): void;
}

export interface MachineOptions {
  model?: string | CpuModel;
  el?: number;
  /** FP/SIMD enabled at EL1/EL0 (CPACR_EL1.FPEN = 3); default true. */
  fp?: boolean;
  el2?: boolean;
  el3?: boolean;
  /** Additional RAM regions (e.g. above 4 GiB or 2^48 for page tables). */
  extraRam?: { base: number; size: number }[];
  /**
   * Turn on an identity-mapped MMU (4K granule, 39-bit VA, 1 GiB blocks) so RAM is
   * Normal memory (misaligned accesses allowed when SCTLR.A=0; with the MMU off,
   * data accesses are Device-nGnRnE and misaligned ones always fault). Tables live
   * in the last 64 KiB of RAM.
   */
  normalMemory?: boolean;
}

/** Identity map with 1 GiB level-1 blocks: [0, 1 GiB) Device, the rest Normal write-back, EL1 RW (EL0 no access). */
export function enableIdentityMmu(m: TestMachine): void {
  const l1 = RAM_BASE + RAM_SIZE - 0x10000;
  for (let i = 0; i < 512; i++) {
    const attrIdx = i === 0 ? 0n : 1n; // MAIR attr0 Device-nGnRnE, attr1 Normal WB
    // AP=00: EL1 read/write. (Memory writable at EL0 is never executable at EL1.)
    m.poke64(l1 + 8 * i, (BigInt(i) << 30n) | 1n | (attrIdx << 2n) | (3n << 8n) | (1n << 10n));
  }
  const c = m.c;
  c.sys.set64(R.MAIR_EL1, 0xff00n);
  c.sys.set64(R.TCR_EL1, 25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (1n << 23n) | (1n << 32n));
  c.sys.set64(R.TTBR0_EL1, BigInt(l1));
  c.sys.set64(R.SCTLR_EL1, (c.sys.get64(R.SCTLR_EL1) | 1n) & ~2n);
  contextChanged(c);
}

export function makeMachine(opts: MachineOptions = {}): TestMachine {
  const model = typeof opts.model === 'object' ? opts.model : getModel(opts.model ?? 'max');
  const bus = new PhysBus();
  bus.addRam(RAM_BASE, RAM_SIZE);
  for (const r of opts.extraRam ?? []) bus.addRam(r.base, r.size);
  let stopped = false;
  const env: CpuEnv = {
    nowNs: () => performance.now() * 1e6,
    semihosting: (c) => {
      stopped = true;
      c.stopRequested = true;
      return true;
    },
    firmwareCall: () => false,
    requestStop: () => {
      stopped = true;
    },
  };
  const { cpu: c, blocks, mmu } = createVcpu({ id: 0, model, env, bus, hasEl2: !!opts.el2, hasEl3: !!opts.el3, cntfrqHz: 62_500_000 });
  if (opts.fp !== false) c.sys.set(R.CPACR_EL1, 3 << 20, 0);
  enterAt(c, opts.el ?? 1, BigInt(CODE));
  const dv = (pa: number): DataView => {
    const r = bus.find(pa);
    if (!r || r.kind !== 'ram') throw new Error(`no RAM at ${pa.toString(16)}`);
    return new DataView(r.sab, pa - r.base);
  };
  const tm: TestMachine = {
    c,
    bus,
    blocks,
    mmu,
    run(budget = 1_000_000) {
      stopped = false;
      c.stopRequested = false;
      runBlocks(c, blocks, budget);
      void stopped;
    },
    poke32(pa, words) {
      const b = new Uint8Array(words.length * 4);
      const d = new DataView(b.buffer);
      words.forEach((w, i) => d.setUint32(i * 4, w >>> 0, true));
      bus.writeBytes(pa, b);
    },
    peek64: (pa) => dv(pa).getBigUint64(0, true),
    poke64: (pa, v) => dv(pa).setBigUint64(0, v, true),
  };
  if (opts.normalMemory) enableIdentityMmu(tm);
  return tm;
}

/** Place `words` at CODE followed by HLT #0xF000, apply `init`, run, return the CPU. */
export function runCode(words: number[], init?: (c: Cpu, m: TestMachine) => void, opts: MachineOptions = {}): Cpu {
  const m = makeMachine(opts);
  m.poke32(CODE, [...words, HLT_STOP]);
  init?.(m.c, m);
  m.run();
  return m.c;
}

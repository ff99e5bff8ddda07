/**
 * Advanced SIMD structure loads/stores: LD1–LD4/ST1–ST4 multiple structures,
 * single structure to one lane, LD1R–LD4R; post-index by immediate and register.
 * The expected register/memory images come from a small model of the Arm ARM
 * pseudocode (LD1 (multiple structures) … "Shared decode" and "Operation") below.
 * Encodings from aarch64-linux-gnu-as.
 */
import { describe, it, expect } from 'vitest';
import { DATA } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { DFSC_ALIGN, DFSC_TRANS_L3, ESR_UNDEF, UNMAPPED, dabt, ec, esr, peekBytes, pokeBytes, run } from './ldst_helpers.js';

interface Spec {
  name: string;
  insn: number;
  load: boolean;
  q: boolean;
  esize: number;
  /** multiple: registers per structure group (rpt) and structure elements (selem). */
  rpt: number;
  selem: number;
  t: number;
  /** single structure: lane index; replicate. */
  lane?: number;
  rep?: boolean;
  /** post-index: 'imm' (by the transfer size) or 'x2'. */
  post?: 'imm' | 'x2';
}

const MULTI: Spec[] = [
  { name: 'ld1 {v0.16b}, [x1]', insn: 0x4c407020, load: true, q: true, esize: 1, rpt: 1, selem: 1, t: 0 },
  { name: 'ld2 {v0.8h, v1.8h}, [x1]', insn: 0x4c408420, load: true, q: true, esize: 2, rpt: 1, selem: 2, t: 0 },
  { name: 'ld3 {v0.4s-v2.4s}, [x1]', insn: 0x4c404820, load: true, q: true, esize: 4, rpt: 1, selem: 3, t: 0 },
  { name: 'ld4 {v0.8b-v3.8b}, [x1]', insn: 0x0c400020, load: true, q: false, esize: 1, rpt: 1, selem: 4, t: 0 },
  { name: 'ld2 {v0.2d, v1.2d}, [x1]', insn: 0x4c408c20, load: true, q: true, esize: 8, rpt: 1, selem: 2, t: 0 },
  { name: 'ld1 {v4.2d-v7.2d}, [x1], #64', insn: 0x4cdf2c24, load: true, q: true, esize: 8, rpt: 4, selem: 1, t: 4, post: 'imm' },
  { name: 'ld1 {v30.2s, v31.2s, v0.2s}, [x1], x2', insn: 0x0cc2683e, load: true, q: false, esize: 4, rpt: 3, selem: 1, t: 30, post: 'x2' },
  { name: 'st1 {v0.16b}, [x1]', insn: 0x4c007020, load: false, q: true, esize: 1, rpt: 1, selem: 1, t: 0 },
  { name: 'st2 {v0.8h, v1.8h}, [x1]', insn: 0x4c008420, load: false, q: true, esize: 2, rpt: 1, selem: 2, t: 0 },
  { name: 'st3 {v0.4s-v2.4s}, [x1]', insn: 0x4c004820, load: false, q: true, esize: 4, rpt: 1, selem: 3, t: 0 },
  { name: 'st4 {v0.8b-v3.8b}, [x1], #32', insn: 0x0c9f0020, load: false, q: false, esize: 1, rpt: 1, selem: 4, t: 0, post: 'imm' },
  { name: 'st1 {v0.16b, v1.16b}, [x1]', insn: 0x4c00a020, load: false, q: true, esize: 1, rpt: 2, selem: 1, t: 0 },
];

const SINGLE: Spec[] = [
  { name: 'ld1 {v0.s}[1], [x1]', insn: 0x0d409020, load: true, q: false, esize: 4, rpt: 1, selem: 1, t: 0, lane: 1 },
  { name: 'ld2 {v0.h, v1.h}[7], [x1], #4', insn: 0x4dff5820, load: true, q: true, esize: 2, rpt: 1, selem: 2, t: 0, lane: 7, post: 'imm' },
  { name: 'ld3 {v0.b-v2.b}[15], [x1]', insn: 0x4d403c20, load: true, q: true, esize: 1, rpt: 1, selem: 3, t: 0, lane: 15 },
  { name: 'ld4 {v0.d-v3.d}[1], [x1], x2', insn: 0x4de2a420, load: true, q: true, esize: 8, rpt: 1, selem: 4, t: 0, lane: 1, post: 'x2' },
  { name: 'ld1r {v0.4s}, [x1]', insn: 0x4d40c820, load: true, q: true, esize: 4, rpt: 1, selem: 1, t: 0, rep: true },
  { name: 'ld3r {v0.8h-v2.8h}, [x1]', insn: 0x4d40e420, load: true, q: true, esize: 2, rpt: 1, selem: 3, t: 0, rep: true },
  {
    name: 'ld4r {v0.8b-v3.8b}, [x1], #4',
    insn: 0x0dffe020,
    load: true,
    q: false,
    esize: 1,
    rpt: 1,
    selem: 4,
    t: 0,
    rep: true,
    post: 'imm',
  },
  { name: 'ld2r {v0.1d, v1.1d}, [x1]', insn: 0x0d60cc20, load: true, q: false, esize: 8, rpt: 1, selem: 2, t: 0, rep: true },
  { name: 'st1 {v0.d}[1], [x1]', insn: 0x4d008420, load: false, q: true, esize: 8, rpt: 1, selem: 1, t: 0, lane: 1 },
  { name: 'st4 {v0.s-v3.s}[2], [x1]', insn: 0x4d20a020, load: false, q: true, esize: 4, rpt: 1, selem: 4, t: 0, lane: 2 },
];

const BASE = DATA + 0x100;
const X2 = 0x30; // post-index register value

/** Register images: 32 × 16 bytes, initialised to a recognisable pattern. */
function initRegs(): Uint8Array {
  const v = new Uint8Array(512);
  for (let i = 0; i < 512; i++) v[i] = (0xa0 + i * 7) & 0xff;
  return v;
}

function memInit(): number[] {
  return Array.from({ length: 128 }, (_, i) => (i * 13 + 5) & 0xff);
}

/** Arm ARM pseudocode model: returns [registers, memory, bytes transferred]. */
function model(s: Spec, regs: Uint8Array, mem: number[]): [Uint8Array, number[], number] {
  const r = regs.slice();
  const m = mem.slice();
  let off = 0;
  if (s.lane === undefined && !s.rep) {
    const elements = (s.q ? 16 : 8) / s.esize;
    if (s.load) for (let k = 0; k < s.rpt * s.selem; k++) if (!s.q) r.fill(0, 16 * ((s.t + k) % 32) + 8, 16 * ((s.t + k) % 32) + 16);
    for (let rr = 0; rr < s.rpt; rr++)
      for (let e = 0; e < elements; e++)
        for (let x = 0; x < s.selem; x++) {
          const reg = (s.t + rr + x) % 32;
          for (let b = 0; b < s.esize; b++) {
            if (s.load) r[16 * reg + e * s.esize + b] = m[off + b];
            else m[off + b] = r[16 * reg + e * s.esize + b];
          }
          off += s.esize;
        }
    return [r, m, off];
  }
  for (let x = 0; x < s.selem; x++) {
    const reg = (s.t + x) % 32;
    if (s.rep) {
      const bytes = s.q ? 16 : 8;
      for (let d = 0; d < 16; d++) r[16 * reg + d] = d < bytes ? m[off + (d % s.esize)] : 0;
    } else {
      for (let b = 0; b < s.esize; b++) {
        if (s.load) r[16 * reg + s.lane! * s.esize + b] = m[off + b];
        else m[off + b] = r[16 * reg + s.lane! * s.esize + b];
      }
    }
    off += s.esize;
  }
  return [r, m, off];
}

function setRegs(c: Cpu, regs: Uint8Array): void {
  c.v8.set(regs);
}

describe('SIMD structure loads/stores against the pseudocode model', () => {
  for (const s of [...MULTI, ...SINGLE]) {
    it(s.name, () => {
      const regs = initRegs();
      const mem = memInit();
      const { c, m } = run([s.insn], (c, m) => {
        pokeBytes(m, BASE, mem);
        setRegs(c, regs);
        c.setX(1, BigInt(BASE));
        c.setX(2, BigInt(X2));
      });
      expect(esr(c)).toBe(-1);
      const [wantRegs, wantMem, total] = model(s, regs, mem);
      expect([...c.v8]).toEqual([...wantRegs]);
      expect(peekBytes(m, BASE, 128)).toEqual(wantMem);
      const wb = s.post === 'imm' ? total : s.post === 'x2' ? X2 : 0;
      expect(c.getX(1)).toBe(BigInt(BASE + wb));
    });
  }
});

describe('SIMD structures: faults, alignment, traps, reserved encodings', () => {
  it('a load crossing into an unmapped page faults and writes no register', () => {
    const regs = initRegs();
    const { c } = run(
      [0x4c40a020 /* ld1 {v0.16b, v1.16b}, [x1] */],
      (c) => {
        setRegs(c, regs);
        c.setX(1, BigInt(UNMAPPED - 16));
      },
      { mmu: true },
    );
    expect(esr(c)).toBe(dabt(DFSC_TRANS_L3));
    expect([...c.v8]).toEqual([...regs]);
  });
  it('a store crossing into an unmapped page faults and writes nothing (misaligned too)', () => {
    for (const below of [16, 13]) {
      const { c, m } = run(
        [0x4c00a020 /* st1 {v0.16b, v1.16b}, [x1] */],
        (c) => {
          setRegs(c, initRegs());
          c.setX(1, BigInt(UNMAPPED - below));
        },
        { mmu: true },
      );
      expect(esr(c)).toBe(dabt(DFSC_TRANS_L3, true));
      expect(peekBytes(m, UNMAPPED - 16, 16)).toEqual(new Array(16).fill(0));
      expect(c.getX(1)).toBe(BigInt(UNMAPPED - below));
    }
  });
  it('byte elements need no alignment, even on Device memory (MMU off)', () => {
    const mem = memInit();
    const { c } = run([0x4c407020 /* ld1 {v0.16b}, [x1] */], (c, m) => {
      pokeBytes(m, BASE, mem);
      c.setX(1, BigInt(BASE + 1));
    });
    expect(esr(c)).toBe(-1);
    expect([...c.v8.subarray(0, 16)]).toEqual(mem.slice(1, 17));
  });
  it('word elements must be aligned under SCTLR.A', () => {
    const { c } = run([0x4c407820 /* ld1 {v0.4s}, [x1] */], (c) => c.setX(1, BigInt(BASE + 2)), { alignCheck: true });
    expect(esr(c)).toBe(dabt(DFSC_ALIGN));
  });
  it('FP access trap when SIMD&FP is disabled', () => {
    for (const insn of [0x4c407020, 0x4d40c820, 0x4c007020]) {
      const { c } = run([insn], (c) => c.setX(1, BigInt(BASE)), { fp: false });
      expect(ec(esr(c))).toBe(0x07);
    }
  });
  it('ld2 {v0.1d, v1.1d} (size 11, Q 0, selem > 1) is reserved', () => {
    const { c } = run([0x0c408c20], (c) => c.setX(1, BigInt(BASE)));
    expect(esr(c)).toBe(ESR_UNDEF);
  });
});

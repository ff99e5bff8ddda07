/**
 * Output records of the harness (layout.ts REC) and their comparison.
 */
import { REC } from './layout.js';

export interface SlotResult {
  /** Slot index inside the harness run. */
  local: number;
  x: bigint[];
  sp: bigint;
  nzcv: bigint;
  fpcr: bigint;
  fpsr: bigint;
  /** Vector offset of the exception that ended the slot, or undefined. */
  vec?: number;
  esr: bigint;
  far: bigint;
  elr: bigint;
  spsr: bigint;
  v: Uint8Array;
  /** Changed 8-byte words of the data buffer: offset → value. */
  mem: Map<number, bigint>;
}

export interface ParsedOutput {
  records: SlotResult[];
  /** Console bytes after the last record that are not records (harness messages), as text. */
  trailer: string;
}

export function parseRecords(out: Uint8Array): ParsedOutput {
  const dv = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const records: SlotResult[] = [];
  let off = 0;
  while (off + REC.MEM <= out.length && dv.getUint32(off, true) === REC.MAGIC) {
    const q = (o: number): bigint => dv.getBigUint64(off + o, true);
    const nmem = Number(q(REC.NMEM));
    const size = REC.MEM + 16 * nmem + 16;
    if (nmem > 4096 || off + size > out.length || q(size - 16) !== q(0) || q(size - 8) !== q(0)) break;
    const x: bigint[] = [];
    for (let i = 0; i < 31; i++) x.push(q(REC.X + 8 * i));
    const mem = new Map<number, bigint>();
    for (let i = 0; i < nmem; i++) mem.set(Number(q(REC.MEM + 16 * i)), q(REC.MEM + 16 * i + 8));
    const vec = q(REC.VEC);
    records.push({
      local: dv.getUint32(off + 4, true),
      x,
      sp: q(REC.SP),
      nzcv: q(REC.NZCV),
      fpcr: q(REC.FPCR),
      fpsr: q(REC.FPSR),
      vec: vec === 0xffffffffffffffffn ? undefined : Number(vec),
      esr: q(REC.ESR),
      far: q(REC.FAR),
      elr: q(REC.ELR),
      spsr: q(REC.SPSR),
      v: out.slice(off + REC.V, off + REC.V + 512),
      mem,
    });
    off += size;
  }
  return { records, trailer: new TextDecoder('latin1').decode(out.subarray(off)) };
}

export interface Diff {
  what: string;
  qemu: string;
  armlab: string;
}

const hex = (v: bigint): string => `0x${v.toString(16)}`;

/** Exception classes whose FAR is architecturally valid (aborts, PC alignment, watchpoints). */
const FAR_VALID = new Set([0x20, 0x21, 0x22, 0x24, 0x25, 0x34, 0x35]);

function vreg(v: Uint8Array, i: number): string {
  let s = '';
  for (let b = 15; b >= 0; b--) s += v[16 * i + b].toString(16).padStart(2, '0');
  return `0x${s}`;
}

function describeExc(r: SlotResult, slotAddr: bigint): string {
  if (r.vec === undefined) return 'none';
  const ec = Number(r.esr >> 26n) & 0x3f;
  const at = (r.elr - slotAddr) / 4n;
  return `vector 0x${r.vec.toString(16)} EC 0x${ec.toString(16)} ESR ${hex(r.esr)} at insn ${at}`;
}

/** Everything that differs between the two results of one slot; `slotAddr` is where the slot's code sits. */
export function compareResults(q: SlotResult, a: SlotResult, slotAddr: bigint): Diff[] {
  const d: Diff[] = [];
  const cmp = (what: string, x: bigint, y: bigint): void => {
    if (x !== y) d.push({ what, qemu: hex(x), armlab: hex(y) });
  };
  if (q.vec !== a.vec || q.esr !== a.esr || q.elr !== a.elr) {
    d.push({ what: 'exception', qemu: describeExc(q, slotAddr), armlab: describeExc(a, slotAddr) });
  } else if (q.vec !== undefined) {
    if (FAR_VALID.has(Number(q.esr >> 26n) & 0x3f)) cmp('FAR', q.far, a.far);
    cmp('SPSR', q.spsr, a.spsr);
  }
  for (let i = 0; i < 31; i++) cmp(`x${i}`, q.x[i], a.x[i]);
  cmp('sp', q.sp, a.sp);
  cmp('nzcv', q.nzcv, a.nzcv);
  cmp('fpcr', q.fpcr, a.fpcr);
  cmp('fpsr', q.fpsr, a.fpsr);
  for (let i = 0; i < 32; i++) {
    const x = vreg(q.v, i);
    const y = vreg(a.v, i);
    if (x !== y) d.push({ what: `v${i}`, qemu: x, armlab: y });
  }
  const offs = [...new Set([...q.mem.keys(), ...a.mem.keys()])].sort((x, y) => x - y);
  for (const o of offs) {
    const x = q.mem.get(o);
    const y = a.mem.get(o);
    if (x !== y)
      d.push({
        what: `mem[+0x${o.toString(16)}]`,
        qemu: x === undefined ? 'unchanged' : hex(x),
        armlab: y === undefined ? 'unchanged' : hex(y),
      });
  }
  return d;
}

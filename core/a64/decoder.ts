/**
 * Declarative A64 decoding.
 *
 * Each encoding is one line: a name (the Arm ARM's encoding name), a pattern of
 * 32 bits written most-significant first, and an emitter that turns the field
 * values into an Op. Pattern tokens, separated by spaces:
 *   `0101`       fixed bits
 *   `x`/`xxx`    bits that do not take part in decoding (ignored)
 *   `Rn:5`       a named field of that width (names as in the Arm ARM)
 *   `op:2=01`    a named field whose value is also fixed for decoding
 *
 * buildDecoder() checks that the patterns are 32 bits wide and that no two
 * patterns can match the same word unless one lists the other in `over`
 * (it then takes precedence), and builds a decision tree on the fixed bits.
 */
import type { Cpu, Op } from './cpu.js';
import type { Features } from './models.js';

export type Fields = Record<string, number>;

export interface DecodeCtx {
  /** Address of the instruction (virtual), as (lo, hi). */
  pcLo: number;
  pcHi: number;
  /** The raw instruction word. */
  insn: number;
  features: Features;
}

/** Returns the op, or null when this encoding is UNDEFINED for these field values. */
export type Emitter = (f: Fields, ctx: DecodeCtx) => Op | null;

export interface Encoding {
  name: string;
  pattern: string;
  emit: Emitter;
  /** The block ends after this instruction (unconditional control flow, exception generation). */
  end?: boolean;
  /** Feature gate: UNDEFINED unless the CPU model has it. */
  feat?: keyof Features;
  /** Names of encodings this one overrides where both match (more specific first). */
  over?: string[];
}

export interface FieldSpec {
  name: string;
  lsb: number;
  width: number;
}

export interface CompiledEncoding extends Encoding {
  mask: number;
  value: number;
  fields: FieldSpec[];
  /** Precedence: a lower number wins when several encodings match. */
  rank: number;
}

/** Helper used by the tables: `enc('ADD_32_addsub_imm', 'sf:1 0 0 100010 sh:1 imm12:12 Rn:5 Rd:5', emitAddSubImm)`. */
export function enc(name: string, pattern: string, emit: Emitter, opts: Omit<Encoding, 'name' | 'pattern' | 'emit'> = {}): Encoding {
  return { name, pattern, emit, ...opts };
}

export function compilePattern(e: Encoding): CompiledEncoding {
  let pos = 32;
  let mask = 0;
  let value = 0;
  const fields: FieldSpec[] = [];
  for (const tok of e.pattern.trim().split(/\s+/)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*):(\d+)(?:=([01]+))?$/.exec(tok);
    if (m) {
      const width = Number(m[2]);
      pos -= width;
      if (pos < 0) throw new Error(`${e.name}: pattern wider than 32 bits`);
      fields.push({ name: m[1], lsb: pos, width });
      if (m[3] !== undefined) {
        if (m[3].length !== width) throw new Error(`${e.name}: fixed value of ${m[1]} must have ${width} bits`);
        for (let i = 0; i < width; i++) {
          const bit = pos + width - 1 - i;
          mask |= 1 << bit;
          if (m[3][i] === '1') value |= 1 << bit;
        }
      }
      continue;
    }
    if (!/^[01x]+$/.test(tok)) throw new Error(`${e.name}: bad pattern token '${tok}'`);
    for (const ch of tok) {
      pos--;
      if (pos < 0) throw new Error(`${e.name}: pattern wider than 32 bits`);
      if (ch !== 'x') {
        mask |= 1 << pos;
        if (ch === '1') value |= 1 << pos;
      }
    }
  }
  if (pos !== 0) throw new Error(`${e.name}: pattern is ${32 - pos} bits, not 32`);
  return { ...e, mask: mask >>> 0, value: value >>> 0, fields, rank: 0 };
}

/** True when some instruction word matches both encodings. */
export function overlaps(a: CompiledEncoding, b: CompiledEncoding): boolean {
  return ((a.value ^ b.value) & a.mask & b.mask) >>> 0 === 0;
}

/** Orders encodings so that every `over` relation puts the overriding one first; rejects cycles. */
function rankEncodings(list: CompiledEncoding[]): void {
  const byName = new Map<string, CompiledEncoding>();
  for (const e of list) {
    if (byName.has(e.name)) throw new Error(`duplicate encoding name ${e.name}`);
    byName.set(e.name, e);
  }
  // rank = length of the longest chain of encodings that override this one.
  const state = new Map<string, number>();
  const visit = (e: CompiledEncoding): number => {
    const s = state.get(e.name);
    if (s === -1) throw new Error(`cycle in 'over' relations at ${e.name}`);
    if (s !== undefined) return s;
    state.set(e.name, -1);
    let r = 0;
    for (const o of list) if (o.over?.includes(e.name)) r = Math.max(r, visit(o) + 1);
    state.set(e.name, r);
    e.rank = r;
    return r;
  };
  for (const e of list) {
    for (const o of e.over ?? []) if (!byName.has(o)) throw new Error(`${e.name}: over names unknown encoding ${o}`);
    visit(e);
  }
}

/** Reports every overlapping pair not resolved by `over`. */
export function findUnorderedOverlaps(list: CompiledEncoding[]): string[] {
  const problems: string[] = [];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i];
      const b = list[j];
      if (!overlaps(a, b)) continue;
      if (a.over?.includes(b.name) || b.over?.includes(a.name)) continue;
      problems.push(`${a.name} (${a.pattern}) overlaps ${b.name} (${b.pattern})`);
    }
  }
  return problems;
}

interface Node {
  /** Bits switched on at this node (mask) and the shift-free index computation. */
  bits: number[];
  children: (Node | CompiledEncoding[])[];
}

function extractIndex(insn: number, bits: number[]): number {
  let idx = 0;
  for (let i = 0; i < bits.length; i++) idx |= ((insn >>> bits[i]) & 1) << i;
  return idx;
}

const MAX_SWITCH_BITS = 6;

function buildNode(cands: CompiledEncoding[], used: number): Node | CompiledEncoding[] {
  if (cands.length <= 1) return cands;
  // Bits fixed by every candidate and not yet switched on.
  let common = ~used >>> 0;
  for (const c of cands) common &= c.mask;
  let bits: number[] = [];
  for (let b = 31; b >= 0 && bits.length < MAX_SWITCH_BITS; b--) if ((common >>> b) & 1) bits.push(b);
  if (bits.length === 0) {
    // No bit is fixed in all: split on the bit fixed in the most candidates.
    let best = -1;
    let bestCount = 0;
    for (let b = 31; b >= 0; b--) {
      if ((used >>> b) & 1) continue;
      let n = 0;
      for (const c of cands) if ((c.mask >>> b) & 1) n++;
      if (n > bestCount) {
        best = b;
        bestCount = n;
      }
    }
    // Nothing left to split on, or splitting would not separate anything: leaf.
    if (best < 0 || bestCount === 0) return [...cands].sort((a, b) => a.rank - b.rank);
    bits = [best];
  }
  const size = 1 << bits.length;
  const children: (Node | CompiledEncoding[])[] = [];
  let usedNext = used;
  for (const b of bits) usedNext |= 1 << b;
  for (let idx = 0; idx < size; idx++) {
    const sub = cands.filter((c) => {
      for (let i = 0; i < bits.length; i++) {
        const b = bits[i];
        if (((c.mask >>> b) & 1) === 0) continue;
        if (((c.value >>> b) & 1) !== ((idx >>> i) & 1)) return false;
      }
      return true;
    });
    if (sub.length === cands.length && bits.length === 1 && sub.every((c) => ((c.mask >>> bits[0]) & 1) === 0)) {
      children.push([...sub].sort((a, b) => a.rank - b.rank));
    } else {
      children.push(buildNode(sub, usedNext >>> 0));
    }
  }
  return { bits, children };
}

export interface Decoder {
  /** The encodings in precedence order (for the disassembler, tests and the fuzzer). */
  readonly encodings: readonly CompiledEncoding[];
  /** The matching encoding for a word, or undefined if it is unallocated in our tables. */
  lookup(insn: number): CompiledEncoding | undefined;
}

export function buildDecoder(table: Encoding[]): Decoder {
  const compiled = table.map(compilePattern);
  rankEncodings(compiled);
  const problems = findUnorderedOverlaps(compiled);
  if (problems.length) throw new Error(`decode table has ${problems.length} unordered overlaps:\n  ${problems.slice(0, 20).join('\n  ')}`);
  const root = buildNode(compiled, 0);
  const lookup = (insn: number): CompiledEncoding | undefined => {
    let n: Node | CompiledEncoding[] = root;
    while (!Array.isArray(n)) n = n.children[extractIndex(insn, n.bits)];
    for (const c of n) if ((insn & c.mask) >>> 0 === c.value) return c;
    return undefined;
  };
  return { encodings: compiled, lookup };
}

/** Field values of a word under an encoding. */
export function extractFields(e: CompiledEncoding, insn: number): Fields {
  const f: Fields = {};
  for (const s of e.fields) f[s.name] = s.width >= 32 ? insn >>> 0 : (insn >>> s.lsb) & ((1 << s.width) - 1);
  return f;
}

/** Sign-extend the low `bits` bits of v. */
export function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

/** Register index for a read where field value 31 means XZR. */
export function rz(n: number): number {
  return n === 31 ? 32 : n;
}

/** Register index for a write where field value 31 means XZR (the sink). */
export function wz(n: number): number {
  return n === 31 ? 33 : n;
}

export type { Cpu, Op };

/**
 * Second opinion on a candidate word from its disassembly (GNU objdump, our
 * decoding oracle): reject what objdump cannot decode, what would write a
 * reserved register or SP, addresses that could leave the data buffer, and
 * the CONSTRAINED UNPREDICTABLE register combinations of loads and stores.
 */
import type { Kind } from './classify.js';

export interface Disasm {
  mnemonic: string;
  operands: string[];
  /** The text as objdump printed it (comments removed). */
  text: string;
}

/** Parses the instruction part of an objdump line (`mnemonic\toperands  // comment`). */
export function parseDisasm(insnText: string): Disasm {
  const text = insnText.replace(/\s*(\/\/|;).*$/, '').trim();
  const m = /^(\S+)\s*(.*)$/.exec(text);
  if (!m) return { mnemonic: '', operands: [], text };
  return { mnemonic: m[1], operands: splitOperands(m[2]), text };
}

/** Splits on commas outside brackets and braces. */
export function splitOperands(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '[' || ch === '{') depth++;
    if (ch === ']' || ch === '}') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** General-register number of an operand (x0-x30/w0-w30 → n, xzr/wzr → 31, sp/wsp → 32), or undefined. */
export function gpr(op: string): number | undefined {
  const m = /^([xw])(\d+)$/.exec(op);
  if (m) return Number(m[2]);
  if (op === 'xzr' || op === 'wzr') return 31;
  if (op === 'sp' || op === 'wsp') return 32;
  return undefined;
}

const RESERVED = new Set([26, 27, 28, 32]);
/** Mnemonics whose first operand is only read. */
const READS_FIRST = /^(cmp|cmn|tst|ccmp|ccmn|msr)$/;
/** Offsets (immediate and writeback) that keep every access inside the data buffer. */
const MAX_OFFSET = 1024;

function immediates(s: string): number[] {
  return [...s.matchAll(/#(-?)(0x[0-9a-f]+|\d+)/g)].map((m) => (m[1] ? -1 : 1) * Number(m[2]));
}

/** Returns why the candidate must be rejected, or undefined when it may run. */
export function rejectReason(kind: Kind, literal: boolean, d: Disasm): string | undefined {
  if (!d.mnemonic || d.mnemonic === '.inst' || d.mnemonic === 'undefined') return 'objdump cannot decode it';
  if (kind !== 'ldst') {
    const first = d.operands.length ? gpr(d.operands[0]) : undefined;
    if (first !== undefined && RESERVED.has(first) && !READS_FIRST.test(d.mnemonic)) return 'writes a reserved register or SP';
    return undefined;
  }
  // loads and stores
  if (/^(cpy|set)/.test(d.mnemonic) || /^(ld64b|st64b)/.test(d.mnemonic)) return 'memory copy/set or 64-byte access';
  const memIdx = d.operands.findIndex((o) => o.startsWith('['));
  if (memIdx < 0) return literal ? undefined : 'no memory operand';
  const transfer = d.operands
    .slice(0, memIdx)
    .map(gpr)
    .filter((r): r is number => r !== undefined);
  if (transfer.some((r) => RESERVED.has(r))) return 'transfers a reserved register';
  // LDP Rt == Rt2 (also SIMD&FP), STXR Rs == Rt, …: CONSTRAINED UNPREDICTABLE
  const regs = d.operands
    .slice(0, memIdx)
    .map((o) => {
      const g = gpr(o);
      if (g !== undefined) return g === 31 ? undefined : `r${g}`;
      const v = /^[bhsdqv](\d+)(?:\.|$)/.exec(o);
      return v ? `v${v[1]}` : undefined;
    })
    .filter((r): r is string => r !== undefined);
  if (new Set(regs).size !== regs.length) return 'repeated transfer register';
  const mem = d.operands[memIdx];
  const inner = splitOperands(mem.replace(/^\[/, '').replace(/\]!?$/, ''));
  const base = gpr(inner[0] ?? '');
  if (base !== 27 && base !== 28 && base !== 32) return 'base is not X27, X28 or SP';
  if (inner.length > 1) {
    const index = gpr(inner[1]);
    if (index !== undefined && index !== 26 && index !== 31) return 'index register is not X26';
  }
  const after = d.operands.slice(memIdx + 1);
  for (const o of after) {
    const r = gpr(o);
    if (r !== undefined && r !== 26 && r !== 31) return 'post-index register is not X26';
  }
  for (const v of immediates([mem, ...after].join(' '))) if (Math.abs(v) > MAX_OFFSET) return 'offset too large';
  return undefined;
}

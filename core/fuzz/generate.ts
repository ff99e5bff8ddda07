/**
 * Random instruction words drawn from the decode table: pick an encoding, fill
 * its fields, then constrain them so the slot stays comparable (see
 * classify.ts for what may run at all and validate.ts for the objdump check).
 *
 * Loads and stores address only the data buffer: the base is X27, X28 or SP,
 * a register index is X26 (0..63) or XZR, immediates are kept small and mostly
 * aligned, literal loads stay within 16 KiB of the slot. Branches jump forward inside the slot.
 * Bits the table marks `x` (ignored for decoding) are filled the way the Arm
 * ARM writes should-be fields: a 5-bit run (a register field) as 11111,
 * anything else as zeros.
 */
import { extractFields, type CompiledEncoding, type Decoder, type FieldSpec } from '../a64/decoder.js';
import type { Features } from '../a64/models.js';
import { Rng } from './prng.js';
import { branchField, isLiteralLoad, kindOf, wordAllowed } from './classify.js';

export interface PoolOptions {
  features: Features;
  /** Only encodings whose name matches. */
  only?: RegExp;
}

export interface Pool {
  encodings: CompiledEncoding[];
  /** Encodings of the table the fuzzer never draws, with the reason. */
  dropped: { name: string; why: string }[];
  /** The CPU model's features: a word is drawn only if the model allocates it (its emitter makes an op). */
  features: Features;
}

/**
 * True when `word` is an instruction of the model: the decoder matches it, the
 * encoding's feature is present and its emitter returns an op (not UNDEFINED for
 * these field values — e.g. half-precision forms on a model without FEAT_FP16).
 */
export function allocated(decoder: Decoder, word: number, features: Features): boolean {
  const e = decoder.lookup(word);
  if (e === undefined || (e.feat !== undefined && !features[e.feat])) return false;
  return e.emit(extractFields(e, word), { pcLo: 0x40000000, pcHi: 0, insn: word, features }) !== null;
}

function widthMask(width: number): number {
  return width >= 32 ? 0xffffffff : (1 << width) - 1;
}

/** The bits of `e` that are neither fixed nor in a named field. */
function ignoredBits(e: CompiledEncoding): number {
  let fields = 0;
  for (const f of e.fields) fields |= widthMask(f.width) << f.lsb;
  return ~(e.mask | fields) >>> 0;
}

function fillIgnored(e: CompiledEncoding, w: number): number {
  const free = ignoredBits(e);
  let b = 31;
  while (b >= 0) {
    if (((free >>> b) & 1) === 0) {
      b--;
      continue;
    }
    let lsb = b;
    while (lsb > 0 && ((free >>> (lsb - 1)) & 1) === 1) lsb--;
    const len = b - lsb + 1;
    if (len === 5) w |= 31 << lsb;
    b = lsb - 1;
  }
  return w >>> 0;
}

const REG_FIELD = /^R[a-z]*\d*$/;

/** A field value before the load/store constraints: registers favour X0-X7 so instructions feed each other. */
function fieldValue(f: FieldSpec, r: Rng, ldst: boolean): number {
  if (ldst) {
    switch (f.name) {
      case 'Rn':
        return r.pick([27, 28, 31]);
      case 'Rm':
        return r.pick([26, 31]);
      case 'imm12':
        return r.range(0, 63);
      case 'imm9':
        // unscaled: mostly 16-byte multiples, or nearly every access takes an alignment fault (SCTLR_EL1.A = 1)
        return (r.chance(0.7) ? 16 * r.range(-8, 7) : r.range(-128, 127)) & 0x1ff;
      case 'imm7':
        return r.range(-8, 7) & 0x7f;
    }
  }
  if (f.width === 5 && REG_FIELD.test(f.name)) return r.chance(0.5) ? r.below(8) : r.below(32);
  return r.u32() & widthMask(f.width);
}

function setBits(w: number, lsb: number, width: number, v: number, keep: number): number {
  const m = (widthMask(width) << lsb) & ~keep;
  return ((w & ~m) | ((v << lsb) & m)) >>> 0;
}

/**
 * A random word of encoding `e` for position `pos` of a slot of `maxK` words,
 * or undefined when this attempt gave something the harness cannot compare.
 */
export function randomWord(e: CompiledEncoding, r: Rng, pos: number, maxK: number): number | undefined {
  let w = fillIgnored(e, e.value);
  for (const f of e.fields) w = setBits(w, f.lsb, f.width, r.u32(), e.mask);
  const kind = kindOf(w);
  const ldst = kind === 'ldst';
  for (const f of e.fields) w = setBits(w, f.lsb, f.width, fieldValue(f, r, ldst), e.mask);
  if (ldst && isLiteralLoad(w)) {
    // slots are 64-byte aligned: a multiple of 4 words from the slot start is 16-byte aligned
    const words = r.chance(0.75) ? 4 * r.range(-1024, 1023) - pos : r.range(-4096, 4095);
    w = setBits(w, 5, 19, words, e.mask);
  }
  const bf = branchField(kind);
  if (bf) w = setBits(w, bf[0], bf[1], r.range(1, maxK - pos), e.mask);
  if ((w & e.mask) >>> 0 !== e.value || kindOf(w) !== kind || !wordAllowed(w)) return undefined;
  if (bf && ((w >>> bf[0]) & widthMask(bf[1])) > maxK - pos) return undefined;
  return w;
}

/** The encodings of the table the fuzzer draws from. */
export function buildPool(table: readonly CompiledEncoding[], o: PoolOptions): Pool {
  const encodings: CompiledEncoding[] = [];
  const dropped: Pool['dropped'] = [];
  table.forEach((e, i) => {
    if (o.only && !o.only.test(e.name)) return;
    if (e.feat && !o.features[e.feat]) {
      dropped.push({ name: e.name, why: `feature ${e.feat} not in the CPU model` });
      return;
    }
    const r = new Rng(0x5eed, i);
    for (let t = 0; t < 64; t++) {
      if (randomWord(e, r, 0, 15) !== undefined) {
        encodings.push(e);
        return;
      }
    }
    dropped.push({ name: e.name, why: 'not comparable (control flow out of the slot, system state, time, …)' });
  });
  return { encodings, dropped, features: o.features };
}

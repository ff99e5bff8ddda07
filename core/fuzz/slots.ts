/**
 * Slot plans: the instruction words and initial state of each sequence. A slot
 * is generated from its own PRNG streams (seed, global slot index), so
 * `--seed S --first N --count 1` reproduces slot N of any run with seed S.
 *
 * Candidates are validated in batches by a disassembler callback (objdump
 * in the CLI): every round proposes a few words for each unfilled position,
 * the first acceptable one wins.
 */
import type { CompiledEncoding, Decoder } from '../a64/decoder.js';
import { Rng } from './prng.js';
import { kindOf, isLiteralLoad } from './classify.js';
import { allocated, randomWord, type Pool } from './generate.js';
import { parseDisasm, rejectReason } from './validate.js';
import { randomState, type SlotState, type StateOptions } from './state.js';
import { NOP } from './layout.js';

export interface SlotPlan {
  /** Global slot index (the PRNG stream). */
  slot: number;
  /** Instructions in the slot (the rest of `words` is NOPs). */
  len: number;
  /** maxK words: the instructions, then NOP padding. */
  words: number[];
  /** Encoding name of each instruction (what armlab's decoder matches). */
  names: string[];
  /** objdump's text of each instruction. */
  disasm: string[];
  state: SlotState;
  /** For attribution runs: the plan this one is a prefix of. */
  prefixOf?: SlotPlan;
}

export interface PlanOptions {
  seed: number;
  minLen: number;
  maxLen: number;
  maxK: number;
  state: StateOptions;
}

/** Disassembles words (one objdump call); returns the instruction text of each (`mnemonic operands`). */
export type Disassembler = (words: number[]) => Promise<string[]>;

const CANDIDATES_PER_ROUND = 4;
const ROUNDS = 12;
const TRIES = 32;

interface Pending {
  plan: SlotPlan;
  rng: Rng;
  filled: boolean[];
}

interface Candidate {
  p: Pending;
  pos: number;
  word: number;
  enc: CompiledEncoding;
}

export async function planSlots(
  slots: number[],
  pool: Pool,
  decoder: Decoder,
  o: PlanOptions,
  disassemble: Disassembler,
): Promise<SlotPlan[]> {
  const pend: Pending[] = slots.map((slot) => {
    const sr = new Rng(o.seed, 2 * slot);
    const rng = new Rng(o.seed, 2 * slot + 1);
    const len = Math.min(o.maxK, rng.range(o.minLen, o.maxLen));
    const plan: SlotPlan = {
      slot,
      len,
      words: new Array<number>(o.maxK).fill(NOP),
      names: new Array<string>(len).fill('NOP (filler)'),
      disasm: new Array<string>(len).fill('nop'),
      state: randomState(sr, o.state),
    };
    return { plan, rng, filled: new Array<boolean>(len).fill(pool.encodings.length === 0) };
  });
  for (let round = 0; round < ROUNDS; round++) {
    const cands: Candidate[] = [];
    for (const p of pend) {
      for (let pos = 0; pos < p.plan.len; pos++) {
        if (p.filled[pos]) continue;
        for (let c = 0; c < CANDIDATES_PER_ROUND; c++) {
          for (let t = 0; t < TRIES; t++) {
            const enc = p.rng.pick(pool.encodings);
            const word = randomWord(enc, p.rng, pos, o.maxK);
            if (word === undefined || !allocated(decoder, word, pool.features)) continue;
            cands.push({ p, pos, word, enc });
            break;
          }
        }
      }
    }
    if (cands.length === 0) break;
    const texts = await disassemble(cands.map((c) => c.word));
    cands.forEach((c, i) => {
      if (c.p.filled[c.pos]) return;
      const d = parseDisasm(texts[i] ?? '');
      if (rejectReason(kindOf(c.word), isLiteralLoad(c.word), d) !== undefined) return;
      c.p.filled[c.pos] = true;
      c.p.plan.words[c.pos] = c.word;
      c.p.plan.names[c.pos] = decoder.lookup(c.word)?.name ?? c.enc.name;
      c.p.plan.disasm[c.pos] = d.text;
    });
  }
  return pend.map((p) => p.plan);
}

/** Plans that run the first 1..len-1 instructions of `p` from the same initial state (to find the first diverging instruction). */
export function prefixPlans(p: SlotPlan): SlotPlan[] {
  const out: SlotPlan[] = [];
  for (let n = 1; n < p.len; n++) {
    const words = p.words.map((w, i) => (i < n ? w : NOP));
    out.push({ ...p, len: n, words, names: p.names.slice(0, n), disasm: p.disasm.slice(0, n), prefixOf: p });
  }
  return out;
}

/**
 * Decoded blocks: straight-line runs of ops decoded once and cached per physical
 * page; looked up by virtual PC through a direct-mapped jump cache.
 *
 * A block is valid for the VA it was decoded at (its ops capture their own PC)
 * and the PA it was fetched from. Stores to a page with blocks invalidate them
 * (MemPath keeps such pages out of the write TLB); IC maintenance and any
 * translation change flush the jump cache.
 */
import { JUMP, NEXT, type Cpu, type Op } from './cpu.js';
import { extractFields, type DecodeCtx, type Decoder } from './decoder.js';
import { instructionAbort, pcAlignmentFault, undefinedInstruction } from './exceptions.js';
import { ACC_EXEC, ACC_UNPRIV } from '../mem/mempath.js';

export interface Block {
  readonly vaLo: number;
  readonly vaHi: number;
  readonly pa: number;
  readonly ops: Op[];
  /** Address after the last instruction (where execution continues if no op jumps). */
  readonly endLo: number;
  readonly endHi: number;
  valid: boolean;
}

const JMP_BITS = 12;
const JMP_SIZE = 1 << JMP_BITS;
const MAX_BLOCK_INSNS = 128;

export class BlockCache {
  private readonly jmp: (Block | undefined)[] = new Array<Block | undefined>(JMP_SIZE).fill(undefined);
  /** Blocks by physical page number. */
  private readonly byPage = new Map<number, Block[]>();
  blocksBuilt = 0;
  invalidations = 0;

  constructor(private readonly decoder: Decoder) {}

  /** Forget all VA→block associations (translation or IC change). Blocks stay cached by PA. */
  flushJmp(): void {
    this.jmp.fill(undefined);
  }

  /** Drop every block of a physical page (a store hit it, or IC IVAU/IALLU). */
  invalidatePage(pa: number): void {
    const page = Math.floor(pa / 4096);
    const list = this.byPage.get(page);
    if (!list) return;
    for (const b of list) b.valid = false;
    this.byPage.delete(page);
    this.invalidations++;
  }

  /** Drop every block (IC IALLU, IC IALLUIS). */
  invalidateAll(c: Cpu): void {
    for (const list of this.byPage.values()) for (const b of list) b.valid = false;
    this.byPage.clear();
    this.jmp.fill(undefined);
    for (const code of c.mem.code) code.fill(0);
  }

  /**
   * The block at the current PC, or undefined when fetching it raised an
   * exception (PC already moved to the vector).
   */
  lookup(c: Cpu): Block | undefined {
    const lo = c.pcLo;
    const hi = c.pcHi;
    const b = this.jmp[(lo >>> 2) & (JMP_SIZE - 1)];
    if (b !== undefined && b.vaLo === lo && b.vaHi === hi && b.valid) return b;
    return this.miss(c, lo, hi);
  }

  private miss(c: Cpu, lo: number, hi: number): Block | undefined {
    if ((lo & 3) !== 0) {
      pcAlignmentFault(c, lo, hi);
      return undefined;
    }
    const m = c.mem;
    m.fault = 0;
    const pa = m.translate(m, lo, hi, ACC_EXEC | (c.el === 0 ? ACC_UNPRIV : 0));
    if (pa < 0) {
      instructionAbort(c, lo, hi);
      return undefined;
    }
    const page = Math.floor(pa / 4096);
    let b = this.byPage.get(page)?.find((x) => x.pa === pa && x.vaLo === lo && x.vaHi === hi);
    if (b === undefined) {
      b = this.build(c, lo, hi, pa);
      if (b === undefined) return undefined;
    }
    this.jmp[(lo >>> 2) & (JMP_SIZE - 1)] = b;
    return b;
  }

  private build(c: Cpu, lo: number, hi: number, pa: number): Block | undefined {
    const m = c.mem;
    const r = m.bus.find(pa);
    if (r === undefined || r.kind !== 'ram') {
      // Executing from a device or from nothing: synchronous external abort on the fetch.
      m.setFault(0x10, lo, hi, ACC_EXEC);
      instructionAbort(c, lo, hi);
      return undefined;
    }
    const ops: Op[] = [];
    const off = pa - r.base;
    const inPage = 1024 - ((off & 4095) >> 2);
    // Checker mode: one instruction per block, so its reports carry the exact PC.
    const count = Math.min(inPage, c.mem.checking ? 1 : MAX_BLOCK_INSNS);
    const ctx: DecodeCtx = { pcLo: lo, pcHi: hi, insn: 0, features: c.model.features };
    let pcLo = lo;
    for (let k = 0; k < count; k++) {
      const insn = r.i32[(off >> 2) + k];
      ctx.pcLo = pcLo;
      ctx.insn = insn;
      const e = this.decoder.lookup(insn);
      let op: Op | null = null;
      if (e !== undefined && (e.feat === undefined || c.model.features[e.feat])) op = e.emit(extractFields(e, insn), ctx);
      if (op === null) {
        ops.push(undefOp(pcLo, hi));
        pcLo = (pcLo + 4) | 0;
        break;
      }
      ops.push(op);
      pcLo = (pcLo + 4) | 0;
      if (e?.end) break;
    }
    // A block never crosses a page, so the high word of its end address only changes at the 4 GiB boundary.
    const endHi = pcLo >>> 0 < lo >>> 0 ? (hi + 1) | 0 : hi;
    const b: Block = { vaLo: lo, vaHi: hi, pa, ops, endLo: pcLo, endHi, valid: true };
    const page = Math.floor(pa / 4096);
    let list = this.byPage.get(page);
    if (!list) {
      list = [];
      this.byPage.set(page, list);
    }
    list.push(b);
    const codePage = Math.floor(off / 4096);
    if (m.code[r.index][codePage] === 0) {
      m.code[r.index][codePage] = 1;
      m.protectCodePage(r.index, codePage * 4096);
    }
    this.blocksBuilt++;
    return b;
  }
}

function undefOp(pcLo: number, pcHi: number): Op {
  return (c: Cpu) => undefinedInstruction(c, pcLo, pcHi);
}

/**
 * Run until `budget` instructions have retired, the CPU halts (WFI) or a stop is
 * requested. Returns the number of instructions retired.
 */
export function runBlocks(c: Cpu, cache: BlockCache, budget: number): number {
  const start = c.icount;
  const stopAt = start + budget;
  while (c.icount < stopAt && !c.stopRequested && !c.halted) {
    if (c.pendingCheck !== 0 && c.checkPending(c) !== 0) continue;
    const b = cache.lookup(c);
    if (b === undefined) continue;
    const ops = b.ops;
    const n = ops.length;
    let i = 0;
    while (i < n && ops[i](c) === NEXT) i++;
    if (i === n) {
      c.pcLo = b.endLo;
      c.pcHi = b.endHi;
      c.icount += n;
    } else {
      c.icount += i + 1;
    }
  }
  return c.icount - start;
}

export { JUMP };

// Branches, unit level: B.cond for every condition and NZCV, CBZ/CBNZ and
// TBZ/TBNZ on both words, B/BL/BR/BLR/RET, targets and return addresses that
// carry into or borrow from the high word, AArch64.BranchAddr (top-byte ignore),
// and the encodings we leave UNDEFINED. Encodings come from aarch64-linux-gnu-as
// (hand-built ones are checked with objdump, its output quoted in the comment).
import { describe, it, expect } from 'vitest';
import { makeMachine, CODE, DATA, HLT_STOP, type TestMachine } from '../helpers/cpu.js';
import { enterAt } from '../../core/a64/reset.js';
import { R } from '../../core/a64/sysregs.js';
import { JUMP, NEXT, type Cpu } from '../../core/a64/cpu.js';
import { a64Decoder } from '../../core/a64/table/index.js';
import { extractFields } from '../../core/a64/decoder.js';
import { branchAddr } from '../../core/a64/exec/int-branch.js';
import { pcRel } from '../../core/a64/table/branch.js';

const M64 = (1n << 64n) - 1n;
const hex = (v: bigint): string => '0x' + v.toString(16);
const COND_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al', 'nv'];

/** ConditionHolds, from the pseudocode. */
function condHolds(cond: number, nzcv: number): boolean {
  const [n, z, c, v] = [(nzcv >> 3) & 1, (nzcv >> 2) & 1, (nzcv >> 1) & 1, nzcv & 1];
  const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, n === v && z === 0, true][cond >> 1];
  return (cond & 1) === 1 && cond !== 15 ? !base : base;
}

const VBAR = DATA;
const SYNC_VECTOR = BigInt(VBAR + 0x200);
let mach: TestMachine | undefined;
let loaded = '';

function machine(): TestMachine {
  if (!mach) {
    mach = makeMachine();
    mach.poke32(VBAR + 0x200, [HLT_STOP]);
  }
  return mach;
}

/** Run `words` (+ HLT) at CODE from EL1 with the given registers and NZCV. */
function exec(words: number[], regs: Record<number, bigint> = {}, nzcv = 0, setup?: (c: Cpu) => void): Cpu {
  const m = machine();
  const c = m.c;
  const key = words.join(',');
  if (key !== loaded) {
    m.poke32(CODE, [...words, HLT_STOP]);
    m.blocks.invalidateAll(c);
    loaded = key;
  }
  c.sys.set(R.VBAR_EL1, VBAR, 0);
  c.sys.set(R.TCR_EL1, 0, 0);
  setup?.(c);
  enterAt(c, 1, BigInt(CODE));
  for (let i = 0; i < 31; i++) c.setX(i, 0n);
  for (const [k, v] of Object.entries(regs)) c.setX(Number(k), v & M64);
  c.nzcv = nzcv;
  m.run(1000);
  return c;
}

/** Decode one word as if at (pcLo, pcHi) and run its op once on the test CPU. */
function runAt(word: number, pc: bigint, regs: Record<number, bigint> = {}, nzcv = 0): { c: Cpu; ret: number } {
  const c = machine().c;
  enterAt(c, 1, BigInt(CODE));
  for (const [k, v] of Object.entries(regs)) c.setX(Number(k), v & M64);
  c.nzcv = nzcv;
  const e = a64Decoder().lookup(word)!;
  const op = e.emit(extractFields(e, word), {
    pcLo: Number(pc & 0xffffffffn) | 0,
    pcHi: Number(pc >> 32n) | 0,
    insn: word,
    features: c.model.features,
  })!;
  return { c, ret: op(c) };
}

function expectUndefined(word: number, what: string): void {
  const c = exec([word]);
  expect({ what, pc: hex(c.pc), ec: Number(c.sys.get64(R.ESR_EL1) >> 26n), elr: hex(c.sys.get64(R.ELR_EL1)) }).toEqual({
    what,
    pc: hex(SYNC_VECTOR),
    ec: 0,
    elr: hex(BigInt(CODE)),
  });
}

const MOV_X0_1 = 0xd2800020; /* mov x0, #1 */
const CODE_N = BigInt(CODE);

describe('B.cond', () => {
  const words = [
    0x54000040 /* b.eq .+8 */, 0x54000041 /* b.ne .+8 */, 0x54000042 /* b.cs .+8 */, 0x54000043 /* b.cc .+8 */, 0x54000044 /* b.mi .+8 */,
    0x54000045 /* b.pl .+8 */, 0x54000046 /* b.vs .+8 */, 0x54000047 /* b.vc .+8 */, 0x54000048 /* b.hi .+8 */, 0x54000049 /* b.ls .+8 */,
    0x5400004a /* b.ge .+8 */, 0x5400004b /* b.lt .+8 */, 0x5400004c /* b.gt .+8 */, 0x5400004d /* b.le .+8 */, 0x5400004e /* b.al .+8 */,
    0x5400004f /* b.nv .+8 */,
  ];
  it('is taken exactly when ConditionHolds, for every condition and NZCV', () => {
    const fails: string[] = [];
    for (let cond = 0; cond < 16; cond++)
      for (let nz = 0; nz < 16; nz++) {
        // Taken: skips the MOV and stops in a new block at CODE + 8; not taken: X0 = 1, same block.
        const c = exec([words[cond], MOV_X0_1], {}, nz);
        const taken = condHolds(cond, nz);
        const want = taken ? [0n, CODE_N + 8n] : [1n, CODE_N];
        if (c.getX(0) !== want[0] || c.pc !== want[1] || c.nzcv !== nz) fails.push(`b.${COND_NAMES[cond]} nzcv=${nz}`);
      }
    expect(fails).toEqual([]);
  });
  it('loops backwards', () => {
    const c = exec(
      [
        0xd2800140 /* mov x0, #10 */,
        0x91000c21 /* add x1, x1, #3 */, // 1:
        0xf1000400 /* subs x0, x0, #1 */,
        0x54ffffc1 /* b.ne .-8 */,
        0x91000442 /* add x2, x2, #1 */,
      ],
      {},
    );
    expect([c.getX(0), c.getX(1), c.getX(2)]).toEqual([0n, 30n, 1n]);
  });
  it('returns NEXT when not taken and JUMP with the target when taken (far offsets)', () => {
    const back = runAt(0x54800000 /* b.eq .-0x100000 */, 0x1_0000_0000n, {}, 0b0100);
    expect([back.ret, hex(back.c.pc)]).toEqual([JUMP, '0xfff00000']);
    const fwd = runAt(0x547fffe1 /* b.ne .+0xffffc */, 0xffff_fff0n, {}, 0b0000);
    expect([fwd.ret, hex(fwd.c.pc)]).toEqual([JUMP, '0x1000fffec']);
    const not = runAt(0x547fffe1 /* b.ne .+0xffffc */, 0xffff_fff0n, {}, 0b0100);
    expect(not.ret).toBe(NEXT);
  });
});

describe('CBZ/CBNZ', () => {
  it('tests the W register (low word only) or the whole X register', () => {
    const rows: [number, (v: bigint) => boolean][] = [
      [0xb4000041 /* cbz x1, .+8 */, (v) => v === 0n],
      [0xb5000041 /* cbnz x1, .+8 */, (v) => v !== 0n],
      [0x34000041 /* cbz w1, .+8 */, (v) => (v & 0xffffffffn) === 0n],
      [0x35000041 /* cbnz w1, .+8 */, (v) => (v & 0xffffffffn) !== 0n],
    ];
    const fails: string[] = [];
    for (const [w, taken] of rows)
      for (const v of [0n, 1n, 0x8000_0000n, 0x1_0000_0000n, 0x8000_0000_0000_0000n, M64, 0xffff_ffff_0000_0000n]) {
        const c = exec([w, MOV_X0_1], { 1: v });
        if ((c.getX(0) === 0n) !== taken(v)) fails.push(`0x${(w >>> 0).toString(16)} x1=${hex(v)}`);
      }
    expect(fails).toEqual([]);
  });
  it('reaches far targets across the 4 GiB boundary', () => {
    const r = runAt(0xb4e00001 /* cbz x1, .-0x40000 */, 0x1_0000_0010n, { 1: 0n });
    expect([r.ret, hex(r.c.pc)]).toEqual([JUMP, '0xfffc0010']);
    expect(runAt(0xb4e00001 /* cbz x1, .-0x40000 */, 0x1_0000_0010n, { 1: 1n << 40n }).ret).toBe(NEXT);
  });
});

describe('TBZ/TBNZ', () => {
  it('tests the selected bit in either word', () => {
    const rows: [number, number, boolean][] = [
      [0x36000041 /* tbz x1, #0, .+8 */, 0, false],
      [0x37000041 /* tbnz x1, #0, .+8 */, 0, true],
      [0x36280041 /* tbz w1, #5, .+8 */, 5, false],
      [0x37f80041 /* tbnz w1, #31, .+8 */, 31, true],
      [0xb6000041 /* tbz x1, #32, .+8 */, 32, false],
      [0xb7400041 /* tbnz x1, #40, .+8 */, 40, true],
      [0xb6f80041 /* tbz x1, #63, .+8 */, 63, false],
      [0xb7f80041 /* tbnz x1, #63, .+8 */, 63, true],
    ];
    const fails: string[] = [];
    for (const [w, bit, ifOne] of rows)
      for (const v of [0n, M64, 1n << BigInt(bit), M64 ^ (1n << BigInt(bit)), 0x5555_5555_5555_5555n, 0xaaaa_aaaa_aaaa_aaaan]) {
        const c = exec([w, MOV_X0_1], { 1: v });
        const set = ((v >> BigInt(bit)) & 1n) === 1n;
        if ((c.getX(0) === 0n) !== (set === ifOne)) fails.push(`0x${(w >>> 0).toString(16)} x1=${hex(v)}`);
      }
    expect(fails).toEqual([]);
  });
  it('branches backwards by the full imm14 range', () => {
    const r = runAt(0xb7fc0001 /* tbnz x1, #63, .-0x8000 */, 0x1_0000_4000n, { 1: 1n << 63n });
    expect([r.ret, hex(r.c.pc)]).toEqual([JUMP, '0xffffc000']);
  });
});

describe('B/BL', () => {
  it('B skips forward, BL links to the next instruction', () => {
    const c = exec([
      0x94000003 /* bl .+12 */, 0xd2800020 /* mov x0, #1 */, 0x14000003 /* b .+12 */, 0x91001442 /* add x2, x2, #5 */, 0xd65f03c0 /* ret */,
      0xd28000e3 /* mov x3, #7 */,
    ]);
    // bl -> add x2; ret -> mov x0, #1; b -> mov x3.
    expect([c.getX(0), c.getX(2), c.getX(3), hex(c.getX(30))]).toEqual([1n, 5n, 7n, hex(CODE_N + 4n)]);
  });
  it('computes targets and X30 across the 4 GiB boundary', () => {
    const bl = runAt(0x94000008 /* bl .+0x20 */, 0xffff_fffcn);
    expect([bl.ret, hex(bl.c.pc), hex(bl.c.getX(30))]).toEqual([JUMP, '0x10000001c', '0x100000000']);
    const b = runAt(0x16000000 /* b .-0x8000000 */, 0x1_0000_0000n);
    expect([hex(b.c.pc)]).toEqual(['0xf8000000']);
    const top = runAt(0x95ffffff /* bl .+0x7fffffc */, 0xffff_ffff_ffff_fffcn);
    expect([hex(top.c.pc), hex(top.c.getX(30))]).toEqual(['0x7fffff8', '0x0']);
  });
  it('pcRel handles negative offsets that borrow from the high word', () => {
    const ctx = { pcLo: 0x10, pcHi: 5, insn: 0, features: machine().c.model.features };
    expect(pcRel(ctx, -0x20)).toEqual([-0x10, 4]);
    expect(pcRel({ ...ctx, pcLo: -4, pcHi: 0 }, 8)).toEqual([4, 1]);
    expect(pcRel({ ...ctx, pcLo: 0, pcHi: 0 }, -0x1_0000_0000)).toEqual([0, -1]);
    expect(pcRel({ ...ctx, pcLo: -1, pcHi: 1 }, 0x1_0000_0001)).toEqual([0, 3]);
  });
});

describe('BR/BLR/RET', () => {
  it('BR and RET go to the register; BLR links after reading it', () => {
    const c = exec(
      [
        0x10000070 /* adr x16, .+12 */,
        0xd61f0200 /* br x16 */,
        0xd2800020 /* mov x0, #1 */, // skipped
        0x1000007e /* adr x30, .+12 */, // target of br; x30 = the mov x4 below
        0xd63f03c0 /* blr x30 */, // to x30 (the mov below), x30 = address of the next instruction
        0x14000003 /* b .+12 */,
        0xd2800084 /* mov x4, #4 */,
        0xd65f03c0 /* ret */, // back to the b
        0xd28000a5 /* mov x5, #5 */,
      ],
      {},
    );
    expect([c.getX(0), c.getX(4), c.getX(5), hex(c.getX(30))]).toEqual([0n, 4n, 5n, hex(CODE_N + 20n)]);
  });
  it('RET Xn and BLR with the return address carrying into the high word', () => {
    const r = runAt(0xd65f00a0 /* ret x5 */, CODE_N, { 5: 0x1234_5678_9abc_def0n });
    expect([r.ret, hex(r.c.pc)]).toEqual([JUMP, '0x123456789abcdef0']);
    const b = runAt(0xd63f00e0 /* blr x7 */, 0xffff_fffcn, { 7: 0x8000n });
    expect([hex(b.c.pc), hex(b.c.getX(30))]).toEqual(['0x8000', '0x100000000']);
  });
  it('BranchAddr: with TCR_EL1.TBI0 the tag byte of a BR target is dropped', () => {
    const tagged = (0x5an << 56n) | (CODE_N + 12n);
    const c = exec(
      [0xd61f0020 /* br x1 */, 0xd2800020 /* mov x0, #1 */, 0xd2800040 /* mov x0, #2 */, 0xd2800062 /* mov x2, #3 */],
      { 1: tagged },
      0,
      (cpu) => cpu.sys.set(R.TCR_EL1, 0, 1 << 5),
    );
    expect([c.getX(0), c.getX(2), hex(c.pc)]).toEqual([0n, 3n, hex(CODE_N + 12n)]);
  });
  it('BranchAddr: sign-extends at EL1 (TBI1), zero-extends at EL2 (TCR_EL2.TBI), keeps tags without TBI', () => {
    const c = machine().c;
    const at = (el: number, v: bigint, setup: () => void): string => {
      c.sys.set(R.TCR_EL1, 0, 0);
      c.sys.set(R.TCR_EL2, 0, 0);
      c.sys.set(R.HCR_EL2, 0, 0);
      setup();
      c.el = el;
      expect(branchAddr(c, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0)).toBe(JUMP);
      return hex(c.pc);
    };
    expect(at(1, 0x12ff_8000_0000_1000n, () => c.sys.set(R.TCR_EL1, 0, 1 << 6))).toBe('0xffff800000001000');
    expect(at(1, 0x12ff_8000_0000_1000n, () => c.sys.set(R.TCR_EL1, 0, 1 << 5))).toBe('0x12ff800000001000');
    expect(at(0, 0xab00_0000_0000_1000n, () => c.sys.set(R.TCR_EL1, 0, 1 << 5))).toBe('0x1000');
    expect(at(2, 0xffff_0000_0000_1000n, () => c.sys.set(R.TCR_EL2, 1 << 20, 0))).toBe('0xff000000001000');
    expect(at(2, 0xffff_0000_0000_1000n, () => {})).toBe('0xffff000000001000');
    expect(at(3, 0x7700_0000_0000_1000n, () => c.sys.set(R.TCR_EL3, 1 << 20, 0))).toBe('0x1000');
  });
});

describe('encodings that are not ours or not implemented', () => {
  it('leaves ERET, DRPS and the exception-generating group to system.ts', () => {
    const d = a64Decoder();
    for (const w of [0xd69f03e0 /* eret */, 0xd6bf03e0 /* drps */, 0xd4000001 /* svc #0 */, 0xd4200020 /* brk #1 */])
      expect(['BR', 'BLR', 'RET', 'B_uncond', 'B_cond']).not.toContain(d.lookup(w)?.name);
  });
  it('is UNDEFINED for BC.cond, the PAuth branches and reserved register-branch fields', () => {
    expectUndefined(0x54000010, 'bc.eq .+0 (FEAT_HBC)');
    expectUndefined(0xd61f0bff, 'braaz xzr (FEAT_PAuth)');
    expectUndefined(0xd63f081f, 'blraaz x0 (FEAT_PAuth)');
    expectUndefined(0xd65f0bff, 'retaa (FEAT_PAuth)');
    expectUndefined(0xd71f0820, 'braa x1, x0 (FEAT_PAuth)');
    expectUndefined(0xd61f0001, 'br x0 with op4 = 00001');
    expectUndefined(0xd61e0000, 'br x0 with op2 = 11110');
  });
});

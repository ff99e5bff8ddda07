/**
 * Integer and SIMD&FP single-register and pair loads/stores: every addressing form,
 * extension, writeback, PRFM, literals, SP alignment, unprivileged forms, and faults
 * (strict alignment, page crossing on Normal memory with the MMU on, no partial effects).
 * Encodings from aarch64-linux-gnu-as; expectations from the Arm ARM pseudocode.
 */
import { describe, it, expect } from 'vitest';
import { DATA } from '../helpers/cpu.js';
import {
  CODE,
  DFSC_ALIGN,
  DFSC_EXT,
  NOPA,
  UNMAPPED,
  DFSC_TRANS_L3,
  ec,
  ESR_SP_ALIGN,
  ESR_UNDEF,
  GARBAGE,
  RAM_END,
  dabt,
  elr,
  esr,
  far,
  peekBytes,
  run,
  setV,
  vreg,
} from './ldst_helpers.js';

const MEM0 = 0x80f1e2d3c4b5a697n; // bytes 97 a6 b5 c4 d3 e2 f1 80

describe('integer loads: sizes and extension (unsigned offset)', () => {
  const cases: [string, number, number, bigint][] = [
    // [mnemonic, encoding, Rt, expected]
    ['ldr x0, [x1]', 0xf9400020, 0, MEM0],
    ['ldr w2, [x1, #4]', 0xb9400422, 2, 0x80f1e2d3n],
    ['ldrb w3, [x1, #1]', 0x39400423, 3, 0xa6n],
    ['ldrh w4, [x1, #2]', 0x79400424, 4, 0xc4b5n],
    ['ldrsb x5, [x1, #7]', 0x39801c25, 5, 0xffffffffffffff80n],
    ['ldrsb w6, [x1, #7]', 0x39c01c26, 6, 0xffffff80n],
    ['ldrsh x7, [x1, #6]', 0x79800c27, 7, 0xffffffffffff80f1n],
    ['ldrsh w8, [x1, #6]', 0x79c00c28, 8, 0xffff80f1n],
    ['ldrsw x9, [x1, #4]', 0xb9800429, 9, 0xffffffff80f1e2d3n],
  ];
  for (const [name, insn, rt, want] of cases) {
    it(name, () => {
      const { c } = run([insn], (c, m) => {
        m.poke64(DATA, MEM0);
        c.setX(1, BigInt(DATA));
        c.setX(rt, GARBAGE);
      });
      expect(esr(c)).toBe(-1);
      expect(c.getX(rt)).toBe(want);
    });
  }
  it('ldr x10, [x1, #32760] (largest scaled offset)', () => {
    const { c } = run([0xf97ffc2a], (c, m) => {
      m.poke64(DATA + 32760, 0x1122334455667788n);
      c.setX(1, BigInt(DATA));
    });
    expect(c.getX(10)).toBe(0x1122334455667788n);
  });
  it('address arithmetic carries and borrows across the 32-bit halves (seen in FAR)', () => {
    // ldr x0, [x1, #16] with x1 = 0xfffffff8 -> 0x1_0000_0008 (unmapped: external abort)
    let r = run([0xf9400820], (c) => c.setX(1, 0xfffffff8n));
    expect(esr(r.c)).toBe(dabt(DFSC_EXT));
    expect(far(r.c)).toBe(0x100000008n);
    // ldur x0, [x1, #-8] with x1 = 0x1_0000_0004 -> 0xffff_fffc
    r = run([0xf85f8020], (c) => c.setX(1, 0x100000004n));
    expect(far(r.c)).toBe(0xfffffffcn);
    // ldr x0, [x1, x2] with x2 = -1 (64-bit) and x1 = 0x1_0000_0000 -> 0xffff_ffff (misaligned: alignment fault)
    r = run([0xf8626820], (c) => {
      c.setX(1, 0x100000000n);
      c.setX(2, 0xffffffffffffffffn);
    });
    expect(esr(r.c)).toBe(dabt(DFSC_ALIGN));
    expect(far(r.c)).toBe(0xffffffffn);
  });
});

describe('integer stores', () => {
  it('str x/w/h/b and str xzr', () => {
    const { c, m } = run(
      [
        0xf9000422, // str x2, [x1, #8]
        0xb9001023, // str w3, [x1, #16]
        0x79002824, // strh w4, [x1, #20]
        0x39005825, // strb w5, [x1, #22]
        0xf9000c3f, // str xzr, [x1, #24]
      ],
      (c, m) => {
        for (let i = 0; i < 32; i += 8) m.poke64(DATA + i, 0xffffffffffffffffn);
        c.setX(1, BigInt(DATA));
        c.setX(2, 0x0123456789abcdefn);
        c.setX(3, 0xaaaaaaaa11223344n);
        c.setX(4, 0xbbbb5566n);
        c.setX(5, 0x77n | (0xccn << 8n));
      },
    );
    expect(esr(c)).toBe(-1);
    expect(m.peek64(DATA + 8)).toBe(0x0123456789abcdefn);
    expect(m.peek64(DATA + 16)).toBe(0xff77556611223344n);
    expect(m.peek64(DATA + 24)).toBe(0n);
    expect(m.peek64(DATA)).toBe(0xffffffffffffffffn);
  });
});

describe('unscaled, pre- and post-indexed, writeback', () => {
  it('ldur/stur/ldursb/ldurh', () => {
    const { c, m } = run(
      [
        0xf85f8020, // ldur x0, [x1, #-8]
        0xb81fd022, // stur w2, [x1, #-3]
        0x389ff023, // ldursb x3, [x1, #-1]
        0x784ff024, // ldurh w4, [x1, #255]
      ],
      (c, m) => {
        m.poke64(DATA + 0x100, MEM0);
        m.poke64(DATA + 0x200, 0x1111111111111111n);
        c.setX(1, BigInt(DATA + 0x108));
        c.setX(2, 0xdeadbeefn);
        m.poke64(DATA + 0x200, 0xffff_0000_0000_0000n);
      },
      { mmu: true },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(MEM0);
    // stur w2 at DATA+0x105 overwrites bytes 5..8; ldursb reads byte 7 = 0xde
    expect(m.peek64(DATA + 0x100)).toBe(0xadbeefd3c4b5a697n);
    expect(c.getX(3)).toBe(0xffffffffffffffadn);
    expect(c.getX(4)).toBe(0xffn); // DATA+0x207 = 0xff, DATA+0x208 = 0x00
  });
  it('pre/post-index loads and stores update the base', () => {
    const { c, m } = run(
      [
        0xf8410c20, // ldr x0, [x1, #16]!
        0xf85f8462, // ldr x2, [x3], #-8
        0xf81f0ca4, // str x4, [x5, #-16]!
        0x380014e6, // strb w6, [x7], #1
        0xb8804d28, // ldrsw x8, [x9, #4]!
      ],
      (c, m) => {
        m.poke64(DATA + 16, 0x1616161616161616n);
        m.poke64(DATA + 0x40, 0x4040404040404040n);
        m.poke64(DATA + 0x84, 0x00000000_8000_0001n);
        c.setX(1, BigInt(DATA));
        c.setX(3, BigInt(DATA + 0x40));
        c.setX(4, 0xabcdn);
        c.setX(5, BigInt(DATA + 0x70));
        c.setX(6, 0x5an);
        c.setX(7, BigInt(DATA + 0x90));
        c.setX(9, BigInt(DATA + 0x80));
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x1616161616161616n);
    expect(c.getX(1)).toBe(BigInt(DATA + 16));
    expect(c.getX(2)).toBe(0x4040404040404040n);
    expect(c.getX(3)).toBe(BigInt(DATA + 0x38));
    expect(m.peek64(DATA + 0x60)).toBe(0xabcdn);
    expect(c.getX(5)).toBe(BigInt(DATA + 0x60));
    expect(peekBytes(m, DATA + 0x90, 1)).toEqual([0x5a]);
    expect(c.getX(7)).toBe(BigInt(DATA + 0x91));
    expect(c.getX(8)).toBe(0xffffffff80000001n);
    expect(c.getX(9)).toBe(BigInt(DATA + 0x84));
  });
  it('ldr x1, [x1, #8]! (Rt == Rn): writeback wins, as QEMU', () => {
    const { c } = run([0xf8408c21], (c, m) => {
      m.poke64(DATA + 8, 0x1234n);
      c.setX(1, BigInt(DATA));
    });
    expect(c.getX(1)).toBe(BigInt(DATA + 8));
  });
  it('str x1, [x1, #-8]! (Rt == Rn): stores the base before writeback, as QEMU', () => {
    const { c, m } = run([0xf81f8c21], (c) => c.setX(1, BigInt(DATA + 8)));
    expect(m.peek64(DATA)).toBe(BigInt(DATA + 8));
    expect(c.getX(1)).toBe(BigInt(DATA));
  });
});

describe('register offset', () => {
  it('every extend and shift', () => {
    const { c, m } = run(
      [
        0xf8627820, // ldr x0, [x1, x2, lsl #3]
        0xb8625823, // ldr w3, [x1, w2, uxtw #2]
        0xf865c824, // ldr x4, [x1, w5, sxtw]
        0x38626826, // ldrb w6, [x1, x2]
        0xf865e827, // ldr x7, [x1, x5, sxtx]
        0x78a5d828, // ldrsh x8, [x1, w5, sxtw #1]
        0xf8227823, // str x3, [x1, x2, lsl #3]  (after the loads: x3 = word at +8)
        0x3825c823, // strb w3, [x1, w5, sxtw]
      ],
      (c, m) => {
        c.setX(1, BigInt(DATA + 0x100));
        // x2: high word garbage matters for LSL (64-bit) but not for UXTW
        c.setX(2, 2n);
        c.setX(5, 0xffffffff_fffffff8n); // w5 = -8 (sxtw), x5 = -8 (sxtx)
        m.poke64(DATA + 0x100, 0x0706050403020100n);
        m.poke64(DATA + 0x108, 0x0f0e0d0c0b0a0908n);
        m.poke64(DATA + 0x110, 0x1716151413121110n);
        m.poke64(DATA + 0xf8, 0xf7f6f5f4f3f2f1f0n);
        m.poke64(DATA + 0xf0, 0xefeeedecebeae9e8n);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x1716151413121110n); // +16
    expect(c.getX(3)).toBe(0x0b0a0908n); // +8
    expect(c.getX(4)).toBe(0xf7f6f5f4f3f2f1f0n); // -8
    expect(c.getX(6)).toBe(0x02n); // +2
    expect(c.getX(7)).toBe(0xf7f6f5f4f3f2f1f0n); // -8
    expect(c.getX(8)).toBe(0xffffffffffffe9e8n); // -16
    expect(m.peek64(DATA + 0x110)).toBe(0x0b0a0908n);
    expect(peekBytes(m, DATA + 0xf8, 1)).toEqual([0x08]);
  });
  it('uxtw ignores the high word of Rm; sxtw sign-extends', () => {
    const { c } = run(
      [
        0xb8625823, // ldr w3, [x1, w2, uxtw #2]
        0xf865c824, // ldr x4, [x1, w5, sxtw]
      ],
      (c, m) => {
        c.setX(1, BigInt(DATA));
        c.setX(2, 0x12345678_00000001n);
        c.setX(5, 0x7fffffff_00000010n);
        m.poke64(DATA, 0x99999999_88888888n);
        m.poke64(DATA + 16, 0x4444n);
      },
    );
    expect(c.getX(3)).toBe(0x99999999n);
    expect(c.getX(4)).toBe(0x4444n);
  });
  it('option field with bit 1 clear is UNDEFINED', () => {
    // ldr x0, [x1, x2] = 0xf8626820 (option 011); option 001 -> 0xf8622820, option 100 -> 0xf862c820 & ~(2<<13)
    for (const insn of [0xf8622820, 0xf8620820, 0xf8628820, 0xf862a820]) {
      const { c } = run([insn], (c) => c.setX(1, BigInt(DATA)));
      expect(esr(c)).toBe(ESR_UNDEF);
      expect(elr(c)).toBe(BigInt(CODE));
    }
  });
});

describe('literal', () => {
  it('ldr x/w/ldrsw/s/d/q/prfm (literal) all at CODE+0x100, and a negative offset', () => {
    const { c } = run(
      [
        0x58000800, // ldr x0, .+0x100
        0x980007e1, // ldrsw x1, .+0xfc
        0x180007c2, // ldr w2, .+0xf8
        0x1c0007a3, // ldr s3, .+0xf4
        0x5c000784, // ldr d4, .+0xf0
        0x9c000765, // ldr q5, .+0xec
        0xd8000740, // prfm pldl1keep, .+0xe8
        0x58ffffa6, // ldr x6, .-12 (the ldr d4 and ldr q5 words)
      ],
      (c, m) => {
        m.poke64(CODE + 0x100, 0x89abcdef_f0000001n);
        m.poke64(CODE + 0x108, 0x1122334455667788n);
        c.setX(2, GARBAGE);
        setV(c, 3, GARBAGE, GARBAGE);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x89abcdef_f0000001n);
    expect(c.getX(1)).toBe(0xfffffffff0000001n);
    expect(c.getX(2)).toBe(0xf0000001n);
    expect(vreg(c, 3)).toEqual([0xf0000001n, 0n]);
    expect(vreg(c, 4)).toEqual([0x89abcdef_f0000001n, 0n]);
    expect(vreg(c, 5)).toEqual([0x89abcdef_f0000001n, 0x1122334455667788n]);
    // words at CODE+0x10 (ldr d4) and CODE+0x14 (ldr q5), relative to ldr x6 at CODE+0x1c
    expect(c.getX(6)).toBe(0x9c0007655c000784n);
  });
});

describe('SP as base', () => {
  it('aligned SP works with the check enabled; writeback to SP', () => {
    const { c } = run(
      [
        0xf94007e0, // ldr x0, [sp, #8]
        0xa8c107e0, // ldp x0, x1, [sp], #16
      ],
      (c, m) => {
        c.setX(31, BigInt(DATA + 0x40));
        c.spAlignCheck = true;
        m.poke64(DATA + 0x40, 0xaan);
        m.poke64(DATA + 0x48, 0xbbn);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0xaan);
    expect(c.getX(1)).toBe(0xbbn);
    expect(c.getX(31)).toBe(BigInt(DATA + 0x50));
  });
  it('misaligned SP faults with EC 0x26 when checking is on, registers untouched', () => {
    for (const insn of [0xf94007e0 /* ldr x0, [sp, #8] */, 0xa9bf7bfd /* stp x29, x30, [sp, #-16]! */]) {
      const { c, m } = run([insn], (c, m) => {
        c.setX(31, BigInt(DATA + 0x48));
        c.setX(0, GARBAGE);
        c.spAlignCheck = true;
        m.poke64(DATA + 0x50, 0xaan);
      });
      expect(esr(c)).toBe(ESR_SP_ALIGN);
      expect(elr(c)).toBe(BigInt(CODE));
      expect(c.getX(0)).toBe(GARBAGE);
      expect(m.peek64(DATA + 0x38)).toBe(0n);
    }
  });
  it('misaligned SP is fine when checking is off', () => {
    const { c } = run([0xf94007e0], (c, m) => {
      c.setX(31, BigInt(DATA + 0x48));
      c.spAlignCheck = false;
      m.poke64(DATA + 0x50, 0xaan);
    });
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0xaan);
  });
});

describe('unprivileged (LDTR/STTR) at EL1 and EL0', () => {
  for (const el of [1, 0]) {
    it(`EL${el}`, () => {
      const { c, m } = run(
        [
          0xf8408820, // ldtr x0, [x1, #8]
          0x38807822, // ldtrsb x2, [x1, #7]
          0x78402823, // ldtrh w3, [x1, #2]
          0xb8010824, // sttr w4, [x1, #16]
          0x38014825, // sttrb w5, [x1, #20]
          0xb8804826, // ldtrsw x6, [x1, #4]
        ],
        (c, m) => {
          m.poke64(DATA, MEM0);
          m.poke64(DATA + 8, 0x5555n);
          c.setX(1, BigInt(DATA));
          c.setX(4, 0x11223344n);
          c.setX(5, 0x66n);
        },
        { el },
      );
      // At EL0 the final HLT #0xF000 is UNDEFINED: that is the stop (ELR = the HLT).
      if (el === 1) expect(esr(c)).toBe(-1);
      else expect(elr(c)).toBe(BigInt(CODE + 24));
      expect(c.getX(0)).toBe(0x5555n);
      expect(c.getX(2)).toBe(0xffffffffffffff80n);
      expect(c.getX(3)).toBe(0xc4b5n);
      expect(m.peek64(DATA + 16)).toBe(0x66_11223344n);
      expect(c.getX(6)).toBe(0xffffffff80f1e2d3n);
    });
  }
});

describe('PRFM: all forms are hints and never fault', () => {
  it('prfm imm, prfum, prfm reg, prfm literal on unmapped addresses', () => {
    const { c } = run(
      [
        0xf9800420, // prfm pldl1keep, [x1, #8]
        0xf89fd033, // prfum pstl2strm, [x1, #-3]
        0xf8a27824, // prfm pldl3keep, [x1, x2, lsl #3]
      ],
      (c) => {
        c.setX(1, 0xffff_0000_0000_0003n);
        c.setX(2, 5n);
      },
    );
    expect(esr(c)).toBe(-1);
  });
  it('PRFM with writeback (size 11, opc 10, idx 01/11) is UNDEFINED', () => {
    // prfum pstl2strm, [x1, #-3] = 0xf89fd033 (idx 00); idx 01 -> 0xf89fd433, idx 11 -> 0xf89fdc33, idx 10 -> 0xf89fd833
    for (const insn of [0xf89fd433, 0xf89fdc33, 0xf89fd833]) {
      const { c } = run([insn], (c) => c.setX(1, BigInt(DATA)));
      expect(esr(c)).toBe(ESR_UNDEF);
    }
  });
});

describe('pairs', () => {
  it('ldp/ldpsw/ldnp/stnp/stp with xzr', () => {
    const { c, m } = run(
      [
        0xa9400440, // ldp x0, x1, [x2]
        0x29411043, // ldp w3, w4, [x2, #8]
        0x69401845, // ldpsw x5, x6, [x2]
        0xa8412047, // ldnp x7, x8, [x2, #16]
        0x283f2849, // stnp w9, w10, [x2, #-8]
        0xa91f8c5f, // stp xzr, x3, [x2, #504]
      ],
      (c, m) => {
        m.poke64(DATA + 0x100, 0x8000000112345678n);
        m.poke64(DATA + 0x108, 0xfedcba9876543210n);
        m.poke64(DATA + 0x110, 0x1010n);
        m.poke64(DATA + 0x118, 0x1818n);
        c.setX(2, BigInt(DATA + 0x100));
        c.setX(3, GARBAGE);
        c.setX(4, GARBAGE);
        c.setX(9, 0x99999999_00000009n);
        c.setX(10, 0xaaaaaaaa_0000000an);
        m.poke64(DATA + 0x100 + 504, GARBAGE);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x8000000112345678n);
    expect(c.getX(1)).toBe(0xfedcba9876543210n);
    expect(c.getX(3)).toBe(0x76543210n);
    expect(c.getX(4)).toBe(0xfedcba98n);
    expect(c.getX(5)).toBe(0x12345678n);
    expect(c.getX(6)).toBe(0xffffffff80000001n);
    expect(c.getX(7)).toBe(0x1010n);
    expect(c.getX(8)).toBe(0x1818n);
    expect(m.peek64(DATA + 0xf8)).toBe(0x0000000a_00000009n);
    expect(m.peek64(DATA + 0x100 + 504)).toBe(0n);
    expect(m.peek64(DATA + 0x100 + 512)).toBe(0x76543210n);
  });
  it('push/pop: stp pre-index and ldp post-index on SP', () => {
    const { c, m } = run(
      [
        0xa9bf7bfd, // stp x29, x30, [sp, #-16]!
        0xa8c17bfd, // ldp x29, x30, [sp], #16  (restores after clobbering below? no: same values)
      ],
      (c) => {
        c.setX(31, BigInt(DATA + 0x200));
        c.setX(29, 0x2929n);
        c.setX(30, 0x3030n);
        c.spAlignCheck = true;
      },
    );
    expect(esr(c)).toBe(-1);
    expect(m.peek64(DATA + 0x1f0)).toBe(0x2929n);
    expect(m.peek64(DATA + 0x1f8)).toBe(0x3030n);
    expect(c.getX(31)).toBe(BigInt(DATA + 0x200));
  });
  it('ldp x0, x0 (Rt == Rt2): Rt (lower address) wins, as QEMU', () => {
    // ldp x0, x1, [x2] = 0xa9400440; Rt2 = 0 -> 0xa9400040
    const { c } = run([0xa9400040], (c, m) => {
      m.poke64(DATA, 0x1111n);
      m.poke64(DATA + 8, 0x2222n);
      c.setX(2, BigInt(DATA));
    });
    expect(c.getX(0)).toBe(0x1111n);
  });
  it('ldp x2, x1, [x2], #16 (Rt == Rn, writeback): writeback wins', () => {
    // ldp x29, x30, [sp], #16 = 0xa8c17bfd -> Rt=2, Rt2=1, Rn=2: 0xa8c10442
    const { c } = run([0xa8c10442], (c, m) => {
      m.poke64(DATA, 0x1111n);
      m.poke64(DATA + 8, 0x2222n);
      c.setX(2, BigInt(DATA));
    });
    expect(c.getX(2)).toBe(BigInt(DATA + 16));
    expect(c.getX(1)).toBe(0x2222n);
  });
  it('SIMD&FP pairs: ldp q, stp d, ldp s, stp q pre-index, ldnp d', () => {
    const { c, m } = run(
      [
        0xad400440, // ldp q0, q1, [x2]
        0x6d010c42, // stp d2, d3, [x2, #16]  (d2/d3 set below; overwrites q1's memory after the load)
        0x2d7f1444, // ldp s4, s5, [x2, #-8]
        0xadbf1c46, // stp q6, q7, [x2, #-32]!
        0x6c402448, // ldnp d8, d9, [x2]
      ],
      (c, m) => {
        for (let i = 0; i < 4; i++) m.poke64(DATA + 0x100 + 8 * i, 0x1000n * BigInt(i + 1) + 0x11n);
        m.poke64(DATA + 0xf8, 0xbbbbbbbb_aaaaaaaan);
        c.setX(2, BigInt(DATA + 0x100));
        setV(c, 2, 0x22n, GARBAGE);
        setV(c, 3, 0x33n, GARBAGE);
        setV(c, 4, GARBAGE, GARBAGE);
        setV(c, 6, 0x60n, 0x61n);
        setV(c, 7, 0x70n, 0x71n);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(vreg(c, 0)).toEqual([0x1011n, 0x2011n]);
    expect(vreg(c, 1)).toEqual([0x3011n, 0x4011n]);
    expect(m.peek64(DATA + 0x110)).toBe(0x22n);
    expect(m.peek64(DATA + 0x118)).toBe(0x33n);
    expect(vreg(c, 4)).toEqual([0xaaaaaaaan, 0n]);
    expect(vreg(c, 5)).toEqual([0xbbbbbbbbn, 0n]);
    expect(c.getX(2)).toBe(BigInt(DATA + 0xe0));
    expect(m.peek64(DATA + 0xe0)).toBe(0x60n);
    expect(m.peek64(DATA + 0xe8)).toBe(0x61n);
    expect(m.peek64(DATA + 0xf0)).toBe(0x70n);
    expect(vreg(c, 8)).toEqual([0x60n, 0n]);
    expect(vreg(c, 9)).toEqual([0x61n, 0n]);
  });
  it('unallocated pair encodings: LDPSW no-allocate, STGP, opc 11', () => {
    // ldpsw x5, x6, [x2] = 0x69401845 (idx 10) -> idx 00: 0x68401845; STGP: L=0 -> 0x69001845; opc 11: 0xe9400440
    for (const insn of [0x68401845, 0x69001845, 0xe9400440, 0xed400440]) {
      const { c } = run([insn], (c) => c.setX(2, BigInt(DATA)));
      expect(esr(c)).toBe(ESR_UNDEF);
    }
  });
});

describe('SIMD&FP single registers', () => {
  it('ldr/str b, h, s, d, q; scalar loads clear the rest of the register', () => {
    const { c, m } = run(
      [
        0x3d400020, // ldr b0, [x1]
        0x7d400421, // ldr h1, [x1, #2]
        0xbd400422, // ldr s2, [x1, #4]
        0xfd400423, // ldr d3, [x1, #8]
        0x3dc00424, // ldr q4, [x1, #16]
        0x3d008020, // str b0, [x1, #32]
        0x7d004421, // str h1, [x1, #34]
        0xbd002422, // str s2, [x1, #36]
        0xfd001423, // str d3, [x1, #40]
        0x3d800c24, // str q4, [x1, #48]
      ],
      (c, m) => {
        m.poke64(DATA, MEM0);
        m.poke64(DATA + 8, 0x0807060504030201n);
        m.poke64(DATA + 16, 0xa1a2a3a4a5a6a7a8n);
        m.poke64(DATA + 24, 0xb1b2b3b4b5b6b7b8n);
        c.setX(1, BigInt(DATA));
        for (let i = 0; i < 5; i++) setV(c, i, GARBAGE, GARBAGE);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(vreg(c, 0)).toEqual([0x97n, 0n]);
    expect(vreg(c, 1)).toEqual([0xc4b5n, 0n]);
    expect(vreg(c, 2)).toEqual([0x80f1e2d3n, 0n]);
    expect(vreg(c, 3)).toEqual([0x0807060504030201n, 0n]);
    expect(vreg(c, 4)).toEqual([0xa1a2a3a4a5a6a7a8n, 0xb1b2b3b4b5b6b7b8n]);
    expect(m.peek64(DATA + 32)).toBe(0x80f1e2d3_c4b5_0097n);
    expect(m.peek64(DATA + 40)).toBe(0x0807060504030201n);
    expect(m.peek64(DATA + 48)).toBe(0xa1a2a3a4a5a6a7a8n);
    expect(m.peek64(DATA + 56)).toBe(0xb1b2b3b4b5b6b7b8n);
  });
  it('ldur q (misaligned, Normal memory), ldr q reg offset, str q post, ldr d pre', () => {
    const { c, m } = run(
      [
        0x3cc01025, // ldur q5, [x1, #1]
        0x3ce27826, // ldr q6, [x1, x2, lsl #4]
        0x3c810427, // str q7, [x1], #16
        0xfc5f8c28, // ldr d8, [x1, #-8]!
      ],
      (c, m) => {
        for (let i = 0; i < 8; i++) m.poke64(DATA + 8 * i, 0x0101010101010101n * BigInt(i + 1));
        c.setX(1, BigInt(DATA));
        c.setX(2, 2n);
        setV(c, 7, 0x7777n, 0x8888n);
      },
      { mmu: true },
    );
    expect(esr(c)).toBe(-1);
    expect(vreg(c, 5)).toEqual([0x0201010101010101n, 0x0302020202020202n]);
    expect(vreg(c, 6)).toEqual([0x0505050505050505n, 0x0606060606060606n]);
    expect(m.peek64(DATA)).toBe(0x7777n);
    expect(m.peek64(DATA + 8)).toBe(0x8888n);
    expect(c.getX(1)).toBe(BigInt(DATA + 8));
    expect(vreg(c, 8)).toEqual([0x8888n, 0n]);
  });
  it('SIMD&FP loads/stores take the FP access trap (EC 0x07) when FP is disabled', () => {
    for (const insn of [0x3dc00424 /* ldr q4, [x1, #16] */, 0xad400440 /* ldp q0, q1, [x2] */, 0x1c0007a3 /* ldr s3, lit */]) {
      const { c } = run([insn], (c) => c.setX(1, BigInt(DATA)), { fp: false });
      expect(ec(esr(c))).toBe(0x07);
    }
  });
  it('unallocated SIMD&FP sizes and unprivileged SIMD&FP forms are UNDEFINED', () => {
    // ldr q4, [x1, #16] = 0x3dc00424 (size 00 opc 11); size 01 opc 11 -> 0x7dc00424;
    // ldur q5 = 0x3cc01025 with idx 10 (unprivileged) -> 0x3cc01825
    for (const insn of [0x7dc00424, 0x3cc01825, 0xdc000765 /* ldr literal V opc 11 */]) {
      const { c } = run([insn], (c) => c.setX(1, BigInt(DATA)));
      expect(esr(c)).toBe(ESR_UNDEF);
    }
  });
});

describe('alignment and page-crossing faults', () => {
  const PAGE_END = DATA + 0x1000;
  it('SCTLR.A: misaligned accesses fault, destination and memory untouched', () => {
    const cases: [string, number][] = [
      ['ldr x0, [x1]', 0xf9400020],
      ['ldp x3, x4, [x2]', 0xa9401043],
      ['str x0, [x1]', 0xf9000020],
      ['str q0, [x1]', 0x3d800020],
    ];
    for (const [name, insn] of cases) {
      const { c, m } = run(
        [insn],
        (c) => {
          c.setX(1, BigInt(PAGE_END - 4));
          c.setX(2, BigInt(PAGE_END - 4));
          c.setX(0, GARBAGE);
          c.setX(3, GARBAGE);
        },
        { alignCheck: true },
      );
      const write = name.startsWith('st');
      expect(esr(c), name).toBe(dabt(DFSC_ALIGN, write));
      expect(far(c), name).toBe(BigInt(PAGE_END - 4));
      expect(c.getX(0), name).toBe(GARBAGE);
      expect(c.getX(3), name).toBe(GARBAGE);
      expect(m.peek64(PAGE_END - 8), name).toBe(0n);
    }
  });
  it('Normal memory (MMU on, SCTLR.A = 0): page-crossing loads and stores work', () => {
    const { c, m } = run(
      [
        0xf9400020, // ldr x0, [x1]
        0xa9401043, // ldp x3, x4, [x2]
        0xf9000025, // str x5, [x1]  (str x0, [x1] = 0xf9000020 with Rt = 5)
      ],
      (c, m) => {
        m.poke64(PAGE_END - 8, 0x4444333322221111n);
        m.poke64(PAGE_END, 0x8888777766665555n);
        m.poke64(PAGE_END + 8, 0xccccbbbbaaaa9999n);
        c.setX(1, BigInt(PAGE_END - 4));
        c.setX(2, BigInt(PAGE_END - 4));
        c.setX(5, 0x0123456789abcdefn);
      },
      { mmu: true },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x6666555544443333n);
    expect(c.getX(3)).toBe(0x6666555544443333n);
    expect(c.getX(4)).toBe(0xaaaa999988887777n);
    expect(m.peek64(PAGE_END - 8)).toBe(0x89abcdef22221111n);
    expect(m.peek64(PAGE_END)).toBe(0x8888777701234567n);
  });
  for (const [next, dfsc] of [
    [UNMAPPED, DFSC_TRANS_L3],
    [NOPA, DFSC_EXT],
  ] as const) {
    it(`Normal memory: a fault on the second page (${dfsc === DFSC_EXT ? 'no PA' : 'translation'}) has no effect`, () => {
      const cases: [string, number, number][] = [
        // [name, encoding, base offset below the faulting page]
        ['ldr x0, [x1]', 0xf9400020, 4],
        ['ldp x0, x3, [x1]', 0xa9400c20, 8],
        ['ldr q0, [x1]', 0x3dc00020, 8],
        ['str x0, [x1]', 0xf9000020, 4],
        ['str w0, [x1]', 0xb9000020, 2],
        ['strh w0, [x1]', 0x79000020, 1],
        ['stp x0, x3, [x1]', 0xa9000c20, 8],
        ['stp w0, w3, [x1]', 0x29000c20, 4],
        ['str q0, [x1]', 0x3d800020, 8],
        ['stp q0, q1, [x1]', 0xad000420, 16],
        ['stp d0, d1, [x1]', 0x6d000420, 12],
        ['sttr x0, [x1]', 0xf8000820, 4],
      ];
      for (const [name, insn, below] of cases) {
        const base = next - below;
        const { c, m } = run(
          [insn],
          (c, m) => {
            c.setX(0, GARBAGE);
            c.setX(3, GARBAGE);
            c.setX(1, BigInt(base));
            setV(c, 0, GARBAGE, GARBAGE);
            setV(c, 1, GARBAGE, GARBAGE);
            m.poke64(next - 16, 0n);
            m.poke64(next - 8, 0n);
          },
          { mmu: true },
        );
        const write = name.startsWith('st');
        expect(esr(c), name).toBe(dabt(dfsc, write));
        expect(far(c), name).toBe(BigInt(next));
        expect(c.getX(0), name).toBe(GARBAGE);
        expect(c.getX(3), name).toBe(GARBAGE);
        expect(c.getX(1), name).toBe(BigInt(base));
        expect(vreg(c, 0), name).toEqual([GARBAGE, GARBAGE]);
        expect(m.peek64(next - 16), name).toBe(0n);
        expect(m.peek64(next - 8), name).toBe(0n);
      }
    });
  }
  it('MMU off (Device memory): a page-crossing misaligned load faults', () => {
    const { c } = run([0xf9400020 /* ldr x0, [x1] */], (c) => c.setX(1, BigInt(DATA + 0x1000 - 4)));
    expect(esr(c)).toBe(dabt(DFSC_ALIGN));
  });
  it('MMU off (Device memory): misaligned loads within a page fault', () => {
    const { c } = run([0xb9400020 /* ldr w0, [x1] */], (c) => {
      c.setX(1, BigInt(DATA + 2));
      c.setX(0, GARBAGE);
    });
    expect(esr(c)).toBe(dabt(DFSC_ALIGN));
    expect(c.getX(0)).toBe(GARBAGE);
  });
  it('the fault flag does not leak: a load after a handled abort succeeds', () => {
    // ldr x0, [x1] faults (unmapped); the vector returns nothing, so run a second program after it.
    const { c, m } = run([0xf9400020], (c) => c.setX(1, BigInt(RAM_END)));
    expect(esr(c)).toBe(dabt(DFSC_EXT));
    expect(c.mem.fault).toBe(0);
    m.poke32(CODE + 0x40, [0xf9400040 /* ldr x0, [x2] */, 0xd45e0000]);
    m.poke64(DATA, 0x77n);
    c.setX(2, BigInt(DATA));
    const before = c.excCount;
    c.pc = BigInt(CODE + 0x40);
    m.run(100);
    expect(c.excCount).toBe(before);
    expect(c.getX(0)).toBe(0x77n);
  });
});

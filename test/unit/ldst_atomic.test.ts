/**
 * Exclusives (local monitor, value-checked STXR), load-acquire/store-release,
 * CAS/CASP and the LSE atomic memory operations. Encodings from
 * aarch64-linux-gnu-as -march=armv8.1-a+lse+lor; expectations from the Arm ARM.
 */
import { describe, it, expect } from 'vitest';
import { DATA, HLT_STOP } from '../helpers/cpu.js';
import type { Cpu } from '../../core/a64/cpu.js';
import type { TestMachine } from '../helpers/cpu.js';
import { CODE, DFSC_ALIGN, DFSC_EXT, ESR_UNDEF, GARBAGE, RAM_END, dabt, esr, far, peekBytes, run } from './ldst_helpers.js';

const SECOND = CODE + 0x40;

/**
 * Run `first` (ending in HLT), then `between` (e.g. a store by "another CPU"),
 * then `second` from SECOND.
 */
function run2(first: number[], second: number[], init: (c: Cpu, m: TestMachine) => void, between?: (c: Cpu, m: TestMachine) => void) {
  const r = run(first, (c, m) => {
    m.poke32(SECOND, [...second, HLT_STOP]);
    init(c, m);
  });
  between?.(r.c, r.m);
  r.c.pc = BigInt(SECOND);
  r.m.run(1000);
  return r;
}

describe('exclusives: LDXR/STXR and the local monitor', () => {
  const LDXR = 0xc85f7c20; // ldxr x0, [x1]
  const STXR = 0xc8027c23; // stxr w2, x3, [x1]
  const init = (c: Cpu, m: TestMachine) => {
    m.poke64(DATA, 0x1111222233334444n);
    c.setX(1, BigInt(DATA));
    c.setX(2, GARBAGE);
    c.setX(3, 0x5555666677778888n);
  };
  it('success: Ws = 0 and the store happens', () => {
    const { c, m } = run2([LDXR], [STXR], init);
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x1111222233334444n);
    expect(c.getX(2)).toBe(0n);
    expect(m.peek64(DATA)).toBe(0x5555666677778888n);
    expect(c.exclusiveArmed).toBe(false);
  });
  it('failure after another CPU stored a different value', () => {
    const { c, m } = run2([LDXR], [STXR], init, (_c, m) => m.poke64(DATA, 0x9999n));
    expect(c.getX(2)).toBe(1n);
    expect(m.peek64(DATA)).toBe(0x9999n);
  });
  it('failure after the monitor was cleared (CLREX, exception entry)', () => {
    const { c, m } = run2([LDXR], [STXR], init, (c) => {
      c.exclusiveArmed = false;
    });
    expect(c.getX(2)).toBe(1n);
    expect(m.peek64(DATA)).toBe(0x1111222233334444n);
  });
  it('failure without a preceding LDXR', () => {
    const { c, m } = run([STXR], init);
    expect(c.getX(2)).toBe(1n);
    expect(m.peek64(DATA)).toBe(0x1111222233334444n);
  });
  it('STXR to another address fails and disarms: a second STXR to the armed address fails too', () => {
    const { c, m } = run2(
      [LDXR],
      [
        0xc8027ca3, // stxr w2, x3, [x5]
        0xc8047c23, // stxr w4, x3, [x1]
      ],
      (c, m) => {
        init(c, m);
        c.setX(5, BigInt(DATA + 64));
      },
    );
    expect(c.getX(2)).toBe(1n);
    expect(c.getX(4)).toBe(1n);
    expect(m.peek64(DATA)).toBe(0x1111222233334444n);
    expect(m.peek64(DATA + 64)).toBe(0n);
  });
  it('STXR of a different size than the LDXR fails', () => {
    const { c } = run2([LDXR], [0x88027c23 /* stxr w2, w3, [x1] */], init);
    expect(c.getX(2)).toBe(1n);
  });
  it('stxr w3, x3, [x1] (Rs == Rt): stores the original Rt, then the status, as QEMU', () => {
    const { c, m } = run2([LDXR], [0xc8037c23], init);
    expect(m.peek64(DATA)).toBe(0x5555666677778888n);
    expect(c.getX(3)).toBe(0n);
  });
  it('byte, halfword and word forms, acquire/release variants; results zero-extended', () => {
    const cases: [string, number, number, bigint, bigint][] = [
      // [name, load, store, loaded, memory after storing w3 = 0xa5a6a7a8]
      ['ldxrb/stxrb', 0x085f7c20, 0x08027c23, 0x44n, 0x11112222333344a8n],
      ['ldxrh/stlxrh', 0x485f7c20, 0x4802fc23, 0x4444n, 0x111122223333a7a8n],
      ['ldaxr w/stlxr w', 0x885ffc20, 0x8802fc23, 0x33334444n, 0x11112222a5a6a7a8n],
    ];
    for (const [name, ld, st, loaded, after] of cases) {
      const { c, m } = run2([ld], [st], (c, m) => {
        init(c, m);
        c.setX(0, GARBAGE);
        c.setX(3, 0xffffffffa5a6a7a8n);
      });
      expect(c.getX(0), name).toBe(loaded);
      expect(c.getX(2), name).toBe(0n);
      expect(m.peek64(DATA), name).toBe(after);
    }
  });
  it('LDXP/STXP (X pair, 16-byte aligned) and LDAXP/STLXP (W pair)', () => {
    let r = run2([0xc87f1020 /* ldxp x0, x4, [x1] */], [0xc8221423 /* stxp w2, x3, x5, [x1] */], (c, m) => {
      init(c, m);
      m.poke64(DATA + 8, 0xaaaabbbbccccddddn);
      c.setX(5, 0x0123456789abcdefn);
    });
    expect(r.c.getX(0)).toBe(0x1111222233334444n);
    expect(r.c.getX(4)).toBe(0xaaaabbbbccccddddn);
    expect(r.c.getX(2)).toBe(0n);
    expect(r.m.peek64(DATA)).toBe(0x5555666677778888n);
    expect(r.m.peek64(DATA + 8)).toBe(0x0123456789abcdefn);
    // The second doubleword changed in between: failure, nothing written.
    r = run2(
      [0xc87f1020],
      [0xc8221423],
      (c, m) => {
        init(c, m);
        c.setX(5, 0x0123456789abcdefn);
      },
      (_c, m) => m.poke64(DATA + 8, 7n),
    );
    expect(r.c.getX(2)).toBe(1n);
    expect(r.m.peek64(DATA)).toBe(0x1111222233334444n);
    expect(r.m.peek64(DATA + 8)).toBe(7n);
    r = run2([0x887f9020 /* ldaxp w0, w4, [x1] */], [0x88229423 /* stlxp w2, w3, w5, [x1] */], (c, m) => {
      init(c, m);
      c.setX(3, 0xffffffff_0000000an);
      c.setX(5, 0xffffffff_0000000bn);
    });
    expect(r.c.getX(0)).toBe(0x33334444n);
    expect(r.c.getX(4)).toBe(0x11112222n);
    expect(r.c.getX(2)).toBe(0n);
    expect(r.m.peek64(DATA)).toBe(0x0000000b_0000000an);
  });
  it('misaligned exclusives always take an alignment fault, even on Normal memory', () => {
    for (const insn of [0xc85f7c20 /* ldxr x0 */, 0xc8027c23 /* stxr w2, x3 */, 0xc87f1020 /* ldxp x0, x4: needs 16 */]) {
      const { c } = run(
        [insn],
        (c) => {
          c.setX(1, BigInt(DATA + 8 + (insn === 0xc87f1020 ? 0 : 4)));
          c.setX(0, GARBAGE);
          c.setX(2, GARBAGE);
        },
        { mmu: true },
      );
      expect((esr(c) & ~(1 << 6)) >>> 0).toBe(dabt(DFSC_ALIGN));
      expect(c.getX(0)).toBe(GARBAGE);
      expect(c.getX(2)).toBe(GARBAGE);
    }
  });
  it('exclusives outside RAM take an external abort', () => {
    const { c } = run([0xc85f7c20], (c) => {
      c.setX(1, BigInt(RAM_END));
      c.setX(0, GARBAGE);
    });
    expect(esr(c)).toBe(dabt(DFSC_EXT));
    expect(far(c)).toBe(BigInt(RAM_END));
    expect(c.getX(0)).toBe(GARBAGE);
  });
});

describe('load-acquire / store-release', () => {
  it('ldar/stlr all sizes', () => {
    const { c, m } = run(
      [
        0xc8dffc20, // ldar x0, [x1]
        0x889ffc22, // stlr w2, [x1]
        0x08dffc23, // ldarb w3, [x1]
        0x489ffc24, // stlrh w4, [x1]
        0x88dffc25, // ldar w5, [x1]
        0xc89ffc26, // stlr x6, [x1]
      ],
      (c, m) => {
        m.poke64(DATA, 0x8877665544332211n);
        c.setX(1, BigInt(DATA));
        c.setX(2, 0xffffffff_a1a2a3a4n);
        c.setX(3, GARBAGE);
        c.setX(4, 0xb1b2n);
        c.setX(5, GARBAGE);
        c.setX(6, 0x0102030405060708n);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(0x8877665544332211n);
    expect(c.getX(3)).toBe(0xa4n);
    expect(c.getX(5)).toBe(0xa1a2b1b2n);
    expect(m.peek64(DATA)).toBe(0x0102030405060708n);
  });
  it('misaligned ldar/stlr fault', () => {
    for (const insn of [0xc8dffc20, 0x889ffc22]) {
      const { c, m } = run(
        [insn],
        (c) => {
          c.setX(1, BigInt(DATA + 2));
          c.setX(0, GARBAGE);
        },
        { mmu: true },
      );
      expect((esr(c) & ~(1 << 6)) >>> 0).toBe(dabt(DFSC_ALIGN));
      expect(c.getX(0)).toBe(GARBAGE);
      expect(m.peek64(DATA)).toBe(0n);
    }
  });
  it('LDLAR/STLLR (FEAT_LOR) are UNDEFINED', () => {
    for (const insn of [0xc8df7c20 /* ldlar x0, [x1] */, 0xc89f7c20 /* stllr x0, [x1] */]) {
      const { c } = run([insn], (c) => c.setX(1, BigInt(DATA)));
      expect(esr(c)).toBe(ESR_UNDEF);
    }
  });
});

describe('compare and swap', () => {
  it('cas x: success and failure; Rs gets the old value', () => {
    const CAS = 0xc8a07c41; // cas x0, x1, [x2]
    let r = run([CAS], (c, m) => {
      m.poke64(DATA, 0x1234n);
      c.setX(0, 0x1234n);
      c.setX(1, 0xabcdn);
      c.setX(2, BigInt(DATA));
    });
    expect(r.c.getX(0)).toBe(0x1234n);
    expect(r.m.peek64(DATA)).toBe(0xabcdn);
    r = run([CAS], (c, m) => {
      m.poke64(DATA, 0x9999n);
      c.setX(0, 0x1234n);
      c.setX(1, 0xabcdn);
      c.setX(2, BigInt(DATA));
    });
    expect(r.c.getX(0)).toBe(0x9999n);
    expect(r.m.peek64(DATA)).toBe(0x9999n);
  });
  it('casb/cash compare only the low bits; W results are zero-extended', () => {
    const cases: [string, number, bigint, bigint, bigint, bigint][] = [
      // [name, insn, mem, Rs, Rs after, mem after]  (Rt = 0xffffffff_c3c2c1c0)
      ['casb hit', 0x08a07c41, 0x8877665544332211n, 0xffffff11n, 0x11n, 0x88776655443322c0n],
      ['casb miss', 0x08a07c41, 0x8877665544332211n, 0x12n, 0x11n, 0x8877665544332211n],
      ['cash hit', 0x48a07c41, 0x8877665544332211n, 0xabcd2211n, 0x2211n, 0x887766554433c1c0n],
      ['casal w hit', 0x88e0fc41, 0x8877665544332211n, 0x44332211n, 0x44332211n, 0x88776655c3c2c1c0n],
      ['casa x miss', 0xc8e07c41, 0x8877665544332211n, 0x44332211n, 0x8877665544332211n, 0x8877665544332211n],
    ];
    for (const [name, insn, mem, rs, rsAfter, memAfter] of cases) {
      const { c, m } = run([insn], (c, m) => {
        m.poke64(DATA, mem);
        c.setX(0, rs);
        c.setX(1, 0xffffffff_c3c2c1c0n);
        c.setX(2, BigInt(DATA));
      });
      expect(esr(c), name).toBe(-1);
      expect(c.getX(0), name).toBe(rsAfter);
      expect(m.peek64(DATA), name).toBe(memAfter);
    }
  });
  it('casp x (128 bits) and caspal w (64 bits)', () => {
    const init = (mem0: bigint) => (c: Cpu, m: TestMachine) => {
      m.poke64(DATA, mem0);
      m.poke64(DATA + 8, 0x2222n);
      c.setX(0, 0x1111n);
      c.setX(1, 0x2222n);
      c.setX(4, 0xaaaan);
      c.setX(5, 0xbbbbn);
      c.setX(2, BigInt(DATA));
    };
    let r = run([0x48207c44 /* casp x0, x1, x4, x5, [x2] */], init(0x1111n));
    expect(r.m.peek64(DATA)).toBe(0xaaaan);
    expect(r.m.peek64(DATA + 8)).toBe(0xbbbbn);
    expect(r.c.getX(0)).toBe(0x1111n);
    expect(r.c.getX(1)).toBe(0x2222n);
    r = run([0x48207c44], init(0x1110n));
    expect(r.m.peek64(DATA)).toBe(0x1110n);
    expect(r.m.peek64(DATA + 8)).toBe(0x2222n);
    expect(r.c.getX(0)).toBe(0x1110n);
    expect(r.c.getX(1)).toBe(0x2222n);
    // caspal w0, w1, w4, w5: compares [DATA] = w0:w1 (little-endian: w0 first)
    r = run([0x0860fc44], (c, m) => {
      m.poke64(DATA, 0x00002222_00001111n);
      c.setX(0, 0xffffffff_00001111n);
      c.setX(1, 0x2222n);
      c.setX(4, 0xaaaan);
      c.setX(5, 0xbbbbn);
      c.setX(2, BigInt(DATA));
    });
    expect(r.m.peek64(DATA)).toBe(0x0000bbbb_0000aaaan);
    expect(r.c.getX(0)).toBe(0x1111n);
    expect(r.c.getX(1)).toBe(0x2222n);
  });
  it('CASP with an odd register, CAS with Rt2 != 11111, and LSE on a model without it are UNDEFINED', () => {
    for (const insn of [0x48217c44, 0x48207c45, 0xc8a07841]) {
      const { c } = run([insn], (c) => c.setX(2, BigInt(DATA)));
      expect(esr(c)).toBe(ESR_UNDEF);
    }
    for (const insn of [0xc8a07c41 /* cas */, 0xf8200041 /* ldadd */, 0x48207c44 /* casp */]) {
      const { c } = run([insn], (c) => c.setX(2, BigInt(DATA)), { model: 'cortex-a53' });
      expect(esr(c)).toBe(ESR_UNDEF);
    }
  });
});

describe('LSE atomic memory operations', () => {
  const M = 0xffffffffffffffffn;
  const cases: [string, number, bigint, bigint, bigint, bigint][] = [
    // [name, insn (Rs = x0, Rt = x1, [x2]), memory, Rs, expected Rt (old), expected memory]
    ['ldadd x', 0xf8200041, 5n, 3n, 5n, 8n],
    ['ldclr x', 0xf8201041, 0xffn, 0x0fn, 0xffn, 0xf0n],
    ['ldeor x', 0xf8202041, 0xff00n, 0x0ff0n, 0xff00n, 0xf0f0n],
    ['ldset x', 0xf8203041, 0xf0n, 0x0fn, 0xf0n, 0xffn],
    ['ldsmax x', 0xf8204041, M, 1n, M, 1n],
    ['ldsmin x', 0xf8205041, 1n, M, 1n, M],
    ['ldumax x', 0xf8206041, 1n, M, 1n, M],
    ['ldumin x', 0xf8207041, M, 1n, M, 1n],
    ['swp x', 0xf8208041, 0x1234n, 0x5678n, 0x1234n, 0x5678n],
    ['ldaddb', 0x38200041, 0xaaaaaaaaaaaaaaffn, 2n, 0xffn, 0xaaaaaaaaaaaaaa01n],
    ['ldsmaxb', 0x38204041, 0x80n, 0x7fn, 0x80n, 0x7fn],
    ['ldsminh', 0x78205041, 0x0001n, 0x8000n, 0x0001n, 0x8000n],
    ['ldumaxh', 0x78206041, 0x8000n, 0x7fffn, 0x8000n, 0x8000n],
    ['ldaddal w', 0xb8e00041, 0x77777777ffffffffn, 1n, 0xffffffffn, 0x7777777700000000n],
    ['ldclrl w', 0xb8601041, 0xf0f0f0f0n, 0xffff0000n, 0xf0f0f0f0n, 0x0000f0f0n],
    ['ldeora w', 0xb8a02041, 0x0n, 0x80000001n, 0x0n, 0x80000001n],
    ['ldsetb', 0x38203041, 0x1101n, 0xf0n, 0x01n, 0x11f1n],
    ['swpal w', 0xb8e08041, 0x5555555580000000n, 0x1n, 0x80000000n, 0x5555555500000001n],
    ['ldsmin w', 0xb8205041, 0x80000000n, 5n, 0x80000000n, 0x80000000n],
    ['ldumin w', 0xb8207041, 0x80000000n, 5n, 0x80000000n, 5n],
    ['ldumaxb', 0x38206041, 0x7fn, 0x80n, 0x7fn, 0x80n],
    ['ldsmax w', 0xb8204041, 0xfffffffen, 0xffffffffn, 0xfffffffen, 0xffffffffn],
  ];
  for (const [name, insn, mem, rs, rt, memAfter] of cases) {
    it(name, () => {
      const { c, m } = run([insn], (c, m) => {
        m.poke64(DATA, mem);
        c.setX(0, rs);
        c.setX(1, GARBAGE);
        c.setX(2, BigInt(DATA));
      });
      expect(esr(c)).toBe(-1);
      expect(c.getX(1)).toBe(rt);
      expect(m.peek64(DATA)).toBe(memAfter);
      expect(c.getX(0)).toBe(rs);
    });
  }
  it('stadd x0, [x2] (Rt = XZR)', () => {
    const { c, m } = run([0xf820005f], (c, m) => {
      m.poke64(DATA, 40n);
      c.setX(0, 2n);
      c.setX(2, BigInt(DATA));
    });
    expect(esr(c)).toBe(-1);
    expect(m.peek64(DATA)).toBe(42n);
  });
  it('misaligned atomics fault without effect; atomics outside RAM take an external abort', () => {
    let r = run(
      [0xf8200041],
      (c, m) => {
        m.poke64(DATA, 5n);
        c.setX(1, GARBAGE);
        c.setX(2, BigInt(DATA + 4));
      },
      { mmu: true },
    );
    expect((esr(r.c) & ~(1 << 6)) >>> 0).toBe(dabt(DFSC_ALIGN));
    expect(r.c.getX(1)).toBe(GARBAGE);
    expect(peekBytes(r.m, DATA, 16)).toEqual([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    r = run([0xf8200041], (c) => {
      c.setX(1, GARBAGE);
      c.setX(2, BigInt(RAM_END));
    });
    expect((esr(r.c) & ~(1 << 6)) >>> 0).toBe(dabt(DFSC_EXT));
    expect(r.c.getX(1)).toBe(GARBAGE);
  });
  it('the TLB fast path and the slow path reach the same memory (atomics after ordinary accesses)', () => {
    const { c, m } = run(
      [
        0xf9400040, // ldr x0, [x2]  (installs the read TLB entry)
        0xf9000041, // str x1, [x2]  (installs the write TLB entry)
        0xf8230044, // ldadd x3, x4, [x2]
      ],
      (c, m) => {
        m.poke64(DATA, 1n);
        c.setX(1, 10n);
        c.setX(2, BigInt(DATA));
        c.setX(3, 5n);
      },
    );
    expect(esr(c)).toBe(-1);
    expect(c.getX(0)).toBe(1n);
    expect(c.getX(4)).toBe(10n);
    expect(m.peek64(DATA)).toBe(15n);
  });
});

describe('LDAPR (FEAT_LRCPC)', () => {
  it('loads like LDAR at every size, and is UNDEFINED without the feature', async () => {
    const { runCode, DATA } = await import('../helpers/cpu.js');
    const { getModel } = await import('../../core/a64/models.js');
    const words = [
      0xf8bfc041, // ldapr x1, [x2]
      0x38bfc0a3, // ldaprb w3, [x5]
      0x78bfc0a4, // ldaprh w4, [x5]
      0xb8bfc046, // ldapr w6, [x2]
    ];
    const c = runCode(words, (c, m) => {
      m.poke64(DATA, 0x8877_6655_4433_2211n);
      c.setX(2, BigInt(DATA));
      c.setX(5, BigInt(DATA));
    });
    expect(c.getX(1)).toBe(0x8877_6655_4433_2211n);
    expect(c.getX(3)).toBe(0x11n);
    expect(c.getX(4)).toBe(0x2211n);
    expect(c.getX(6)).toBe(0x4433_2211n);
    const { R } = await import('../../core/a64/sysregs.js');
    const { CODE, HLT_STOP } = await import('../helpers/cpu.js');
    const vbar = CODE + 0x800;
    const a57 = runCode(
      [words[0]],
      (c, m) => {
        c.setX(2, BigInt(DATA));
        c.sys.set64(R.VBAR_EL1, BigInt(vbar));
        m.poke32(vbar + 0x200, [HLT_STOP]); // current EL with SP_ELx, synchronous
      },
      { model: getModel('cortex-a57') },
    );
    expect(a57.getX(1)).toBe(0n);
    expect(a57.sys.get64(R.ESR_EL1) >> 26n).toBe(0n); // EC 0: UNDEFINED
    expect(a57.sys.get64(R.ELR_EL1)).toBe(BigInt(CODE));
  });
});

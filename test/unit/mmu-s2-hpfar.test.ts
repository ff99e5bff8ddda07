// HPFAR_EL2 for a stage-2 fault on an IPA at or above 2^40: FIPA, bits [43:4], holds
// IPA[51:12] (Arm ARM D19.2 HPFAR_EL2; bits [43:40] = IPA[51:48] with FEAT_LPA). The
// QEMU 2585 bug class: address bits lost or misplaced in address arithmetic.
// Found by resources/guest/tests/mmu_matrix_s2.c (IPA 42 bits: QEMU HPFAR_EL2=3ff000010,
// armlab 30ff000010 for IPA 0x3ff_0000_1010: the word above bit 32 is shifted by 4 twice).
import { describe, it, expect } from 'vitest';
import { makeMachine, CODE, HLT_STOP } from '../helpers/cpu.js';
import { TableBuilder, AF, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';

const ARENA = 0x1_0000_0000n;
const VECTORS = 0x4010_0000; // VBAR_EL2: HLT #0xF000 at the lower-EL sync vector

describe('HPFAR_EL2 for IPAs above 2^40', () => {
  for (const ipa of [0x3ff_0000_1010n, 0x123_4567_8010n, 0x80_1234_5678n]) {
    it(`LDR at EL1 (stage 1 off) from unmapped IPA ${ipa.toString(16)}`, () => {
      const m = makeMachine({ el: 1, el2: true, extraRam: [{ base: Number(ARENA), size: 8 << 20 }] });
      const g: Geometry = { grain: 12, inputSize: 42, fmt: 'bits48' };
      const s2 = new TableBuilder(m, g, ARENA, 8, 1); // start level 1, 8 concatenated tables
      s2.map(0x4000_0000n, 0x4000_0000n, 2, AF | (3n << 6n) | (0xfn << 2n)); // code and data RAM
      m.c.sys.set64(R.VTCR_EL2, 22n | (1n << 6n) | (4n << 16n) | (1n << 31n)); // T0SZ=22, SL0=1, 4K, PS=44
      m.c.sys.set64(R.VTTBR_EL2, s2.root);
      m.c.sys.set64(R.HCR_EL2, (1n << 31n) | 1n); // RW, VM
      m.c.sys.set64(R.VBAR_EL2, BigInt(VECTORS));
      m.poke32(VECTORS + 0x400, [HLT_STOP]);
      m.poke32(CODE, [0xf9400020, HLT_STOP]); // ldr x0, [x1]
      m.c.setX(1, ipa);
      contextChanged(m.c);
      m.run(100);
      expect((m.c.sys.get64(R.ESR_EL2) >> 26n).toString(16)).toBe('24'); // data abort from a lower EL
      expect(m.c.sys.get64(R.FAR_EL2).toString(16)).toBe(ipa.toString(16));
      expect(m.c.sys.get64(R.HPFAR_EL2).toString(16)).toBe(((ipa >> 12n) << 4n).toString(16));
    });
  }
});

import { describe, it, expect } from 'vitest';
import { run, esr, elr, ec, iss, CODE, withVectors, enableEl1Mmu } from './system-vectors.js';
import { R } from '../../core/a64/sysregs.js';
import { DATA } from '../helpers/cpu.js';
import type { TlbiOp, TlbiOperand } from '../../core/a64/sysreg-ops.js';

const BIG = 0x1234_5678_9abc_def0n;

describe('MRS identification registers', () => {
  it('reads MIDR, MPIDR, CTR, DCZID, CurrentEL, ID_AA64PFR0 on max at EL1', () => {
    const { c } = run([
      0xd5380000, // mrs x0, midr_el1
      0xd53800a1, // mrs x1, mpidr_el1
      0xd53b0022, // mrs x2, ctr_el0
      0xd53b00e3, // mrs x3, dczid_el0
      0xd5384244, // mrs x4, currentel
      0xd5380405, // mrs x5, id_aa64pfr0_el1
      0xd53b9c06 | 0, // mrs x6, pmcr_el0
    ]);
    expect(c.getX(0)).toBe(0x000f0510n);
    expect(c.getX(1)).toBe(0x80000000n);
    expect(c.getX(2)).toBe(0x8444c004n);
    expect(c.getX(3)).toBe(4n); // BS = 4 (64 bytes), DZP = 0 at EL1
    expect(c.getX(4)).toBe(1n << 2n);
    // EL2/EL3 fields cleared: the test machine has neither.
    expect(c.getX(5)).toBe(0x1100000000000011n);
    expect(c.getX(6)).toBe(0x41013000n);
  });

  it('models differ: cortex-a53 MIDR, PA size and cache type', () => {
    const { c } = run(
      [
        0xd5380000, // mrs x0, midr_el1
        0xd5380700, // mrs x0, id_aa64mmfr0_el1 (overwrites: read into x0 last)
      ]
        .slice(0, 1)
        .concat([0xd53b0022 /* mrs x2, ctr_el0 */]),
      undefined,
      { model: 'cortex-a53' },
    );
    expect(c.getX(0)).toBe(0x410fd034n);
    expect(c.getX(2)).toBe(0x84448004n);
  });

  it('EL1 reads of MIDR/MPIDR see VPIDR_EL2/VMPIDR_EL2 when EL2 exists', () => {
    const { c } = run(
      [
        0xd5380000, // mrs x0, midr_el1
        0xd53800a1, // mrs x1, mpidr_el1
      ],
      (c) => {
        c.sys.set(R.VPIDR_EL2, 0x410fd034, 0);
        c.sys.set(R.VMPIDR_EL2, 0x80000101 | 0, 0);
      },
      { el2: true },
    );
    expect(c.getX(0)).toBe(0x410fd034n);
    expect(c.getX(1)).toBe(0x80000101n);
  });
});

describe('MRS/MSR round trips and masks', () => {
  it('TPIDR_EL1 keeps 64 bits; VBAR_EL1 drops bits [10:0]', () => {
    const { c } = run(
      [
        0xd518d080, // msr tpidr_el1, x0
        0xd538d081, // mrs x1, tpidr_el1
        0xd518c000, // msr vbar_el1, x0
        0xd538c002 | 0, // mrs x2, vbar_el1
      ],
      (c) => c.setX(0, BIG),
    );
    expect(c.getX(1)).toBe(BIG);
    expect(c.getX(2)).toBe(BIG & ~0x7ffn);
  });

  it('FPCR keeps AHP/DN/FZ/RMode/Stride/Len, trap enables RAZ/WI; FPSR keeps the cumulative bits', () => {
    const { c } = run(
      [
        0xd51b4400, // msr fpcr, x0
        0xd53b4401, // mrs x1, fpcr
        0xd51b4420, // msr fpsr, x0
        0xd53b4422 | 0, // mrs x2, fpsr
      ],
      (c) => c.setX(0, 0xffffffffffffffffn),
    );
    expect(c.getX(1)).toBe(0x07f70000n);
    expect(c.getX(2)).toBe(0xf800009fn);
  });

  it('SP_EL0 is reachable from EL1h and lands in the banked copy', () => {
    const { c } = run(
      [
        0xd5184100, // msr sp_el0, x0
        0xd5384101, // mrs x1, sp_el0
      ],
      (c) => c.setX(0, 0x4000_1230n),
    );
    expect(c.getX(1)).toBe(0x4000_1230n);
    expect(c.sys.get64(R.SP_EL0)).toBe(0x4000_1230n);
  });

  it('MSR SP_EL0 with PSTATE.SP = 0 is UNDEFINED', () => {
    const { c } = run([
      0xd50040bf, // msr spsel, #0
      0xd5184100, // msr sp_el0, x0
    ]);
    expect(ec(esr(c, 1))).toBe(0);
    expect(elr(c, 1)).toBe(BigInt(CODE + 4));
    expect(c.getX(28)).toBe(0n); // current EL with SP_EL0
  });

  it('SCTLR_EL1 write masks PAuth/EE/IESB/nAA/EnRCTX bits (M left 0)', () => {
    const { c } = run(
      [
        0xd5181000, // msr sctlr_el1, x0
        0xd5381001 | 0, // mrs x1, sctlr_el1
      ],
      (c) => c.setX(0, 0x00000000_fffffffen),
    );
    const cleared = (1 << 6) | (1 << 10) | (1 << 13) | (1 << 17) | (1 << 21) | (1 << 24) | (1 << 25) | (1 << 27) | (1 << 30) | (1 << 31);
    expect(c.getX(1)).toBe(BigInt((0xfffffffe & ~cleared) >>> 0));
  });

  it('NZCV and DAIF through MRS/MSR; DAIFSet/DAIFClr', () => {
    const { c } = run(
      [
        0xd51b4201, // msr nzcv, x1
        0xd53b4200, // mrs x0, nzcv
        0xd50342ff, // msr daifclr, #0x2
        0xd53b4222 | 0, // mrs x2, daif
        0xd50342df, // msr daifset, #0x2
        0xd53b4223 | 0, // mrs x3, daif
      ],
      (c) => c.setX(1, 0xa0000000n),
    );
    expect(c.getX(0)).toBe(0xa0000000n);
    expect(c.getX(2)).toBe(0x340n);
    expect(c.getX(3)).toBe(0x3c0n);
  });

  it('MSR PAN, #1 sets PSTATE.PAN (max has FEAT_PAN), a53 has no PAN: UNDEFINED', () => {
    const { c } = run([
      0xd500419f, // msr pan, #0x1
      0xd5384262, // mrs x2, pan
    ]);
    expect(c.getX(2)).toBe(1n << 22n);
    const { c: a53 } = run([0xd500419f /* msr pan, #0x1 */], undefined, { model: 'cortex-a53' });
    expect(ec(esr(a53, 1))).toBe(0);
  });

  it('OSLAR_EL1 clears OSLSR_EL1.OSLK (reset value 0xa)', () => {
    const { c } = run([
      0xd5301181, // mrs x1, oslsr_el1
      0xd5101080, // msr oslar_el1, x0
      0xd5301180, // mrs x0, oslsr_el1
    ]);
    expect(c.getX(1)).toBe(0xan);
    expect(c.getX(0)).toBe(0x8n);
  });
});

describe('access rules', () => {
  it('EL0 MRS of an EL1 register is UNDEFINED (EC 0 to EL1, lower-EL vector)', () => {
    const { c } = run([0xd538d081 /* mrs x1, tpidr_el1 */], undefined, { el: 0 });
    expect(c.el).toBe(1);
    expect(ec(esr(c, 1))).toBe(0);
    expect(elr(c, 1)).toBe(BigInt(CODE));
    expect(c.getX(28)).toBe(8n);
  });

  it('EL0 CTR_EL0 traps to EL1 with EC 0x18 unless SCTLR_EL1.UCT', () => {
    const { c } = run([0xd53b0022 /* mrs x2, ctr_el0 */], (c) => c.sys.set(R.SCTLR_EL1, 0x00c50838 & ~(1 << 15), 0), { el: 0 });
    const e = esr(c, 1);
    expect(ec(e)).toBe(0x18);
    // Op0=3 [21:20], Op2=1 [19:17], Op1=3 [16:14], CRn=0, Rt=2 [9:5], CRm=0, Direction=1 (read).
    expect(iss(e)).toBe((3 << 20) | (1 << 17) | (3 << 14) | (2 << 5) | 1);
    const ok = run([0xd53b0022 /* mrs x2, ctr_el0 */], (c) => c.sys.set(R.SCTLR_EL1, 0x00c50838 | (1 << 15), 0), { el: 0 });
    // The run ends with HLT at EL0, itself UNDEFINED: ELR points after the MRS.
    expect(ok.c.getX(2)).toBe(0x8444c004n);
    expect(elr(ok.c, 1)).toBe(BigInt(CODE + 4));
  });

  it('registers of an unimplemented EL are UNDEFINED; EL2 registers at EL3 without EL2 are RAZ/WI', () => {
    const { c } = run([0xd53c1000 /* mrs x0, sctlr_el2 */]);
    expect(ec(esr(c, 1))).toBe(0);
    const el2 = run([0xd53e1100 /* mrs x0, scr_el3 */], undefined, { el: 2, el2: true });
    expect(el2.c.el).toBe(2);
    expect(ec(esr(el2.c, 2))).toBe(0);
    const el3 = run(
      [
        0xd51c1100, // msr hcr_el2, x0
        0xd53c1000, // mrs x0, sctlr_el2
      ],
      (c) => c.setX(0, 5n),
      { el: 3, el3: true },
    );
    expect(el3.c.getX(28)).toBe(0xdeadn);
    expect(el3.c.getX(0)).toBe(0n);
  });

  it('a higher EL register from EL1 is UNDEFINED even when that EL exists', () => {
    const { c } = run([0xd53c4100 /* mrs x0, sp_el1 */], undefined, { el2: true });
    expect(c.el).toBe(1);
    expect(ec(esr(c, 1))).toBe(0);
  });

  it('HCR_EL2.TID3 traps EL1 ID register reads to EL2 with the access ISS', () => {
    const { c } = run([0xd5380705 /* mrs x5, id_aa64mmfr0_el1 */], (c) => c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 18), 0), { el2: true });
    expect(c.el).toBe(2);
    const e = esr(c, 2);
    expect(ec(e)).toBe(0x18);
    expect(iss(e)).toBe((3 << 20) | (0 << 17) | (0 << 14) | (0 << 10) | (5 << 5) | (7 << 1) | 1);
    expect(c.getX(28)).toBe(8n);
  });

  it('HCR_EL2.TVM traps EL1 writes of SCTLR_EL1, TRVM traps reads', () => {
    const w = run([0xd5181000 /* msr sctlr_el1, x0 */], (c) => c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 26), 0), { el2: true });
    expect(w.c.el).toBe(2);
    expect(ec(esr(w.c, 2))).toBe(0x18);
    expect(iss(esr(w.c, 2)) & 1).toBe(0);
    const r = run([0xd5381000 /* mrs x0, sctlr_el1 */], (c) => c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 30), 0), { el2: true });
    expect(r.c.el).toBe(2);
    expect(iss(esr(r.c, 2)) & 1).toBe(1);
  });

  it('MRS FPCR with CPACR_EL1.FPEN = 0 takes the SIMD&FP trap (EC 0x07)', () => {
    const { c } = run([0xd53b4401 /* mrs x1, fpcr */], undefined, { fp: false });
    expect(ec(esr(c, 1))).toBe(0x07);
    expect(elr(c, 1)).toBe(BigInt(CODE));
  });

  it('EL0 timer access follows CNTKCTL_EL1', () => {
    const t = run([0xd53be041 /* mrs x1, cntvct_el0 */], undefined, { el: 0 });
    expect(ec(esr(t.c, 1))).toBe(0x18);
    const ok = run([0xd53be041 /* mrs x1, cntvct_el0 */], (c) => c.sys.set(R.CNTKCTL_EL1, 2, 0), { el: 0 });
    expect(ok.c.getX(1)).toBeGreaterThan(0n);
    expect(elr(ok.c, 1)).toBe(BigInt(CODE + 4));
  });
});

describe('generic timer', () => {
  it('CNTPCT is monotonic and CNTVCT = CNTPCT - CNTVOFF_EL2', () => {
    const off = 0x10_0000_0000n;
    const { c } = run(
      [
        0xd53be020, // mrs x0, cntpct_el0
        0xd53be041, // mrs x1, cntvct_el0
        0xd53be022 | 0, // mrs x2, cntpct_el0
      ],
      (c) => c.sys.set64(R.CNTVOFF_EL2, off),
      { el2: true },
    );
    const p0 = c.getX(0);
    const v = c.getX(1);
    const p1 = c.getX(2);
    expect(p1 >= p0).toBe(true);
    const vplus = (v + off) & 0xffffffffffffffffn;
    expect(vplus >= p0 && vplus <= p1).toBe(true);
  });

  it('CNTFRQ_EL0 reads 62.5 MHz', () => {
    const { c } = run([0xd53be000 /* mrs x0, cntfrq_el0 */]);
    expect(c.getX(0)).toBe(62_500_000n);
  });

  it('CNTV_TVAL write sets CVAL = CNTVCT + TVAL; ISTATUS once the count passes CVAL', () => {
    const { c } = run(
      [
        0xd51be300, // msr cntv_tval_el0, x0
        0xd51be322, // msr cntv_ctl_el0, x2
        0xd53be321, // mrs x1, cntv_ctl_el0
        0xd53be343, // mrs x3, cntv_cval_el0
        0xd53be044 | 0, // mrs x4, cntvct_el0
      ],
      (c) => {
        c.setX(0, 0xfffffffffffffff0n); // TVAL = -16: already expired
        c.setX(2, 1n);
      },
    );
    expect(c.getX(1)).toBe(5n); // ENABLE | ISTATUS
    expect(c.getX(3) <= c.getX(4)).toBe(true);
    const future = run(
      [
        0xd51be300, // msr cntv_tval_el0, x0
        0xd51be322, // msr cntv_ctl_el0, x2
        0xd53be321, // mrs x1, cntv_ctl_el0
      ],
      (c) => {
        c.setX(0, 0x7fffffffn);
        c.setX(2, 1n);
      },
    );
    expect(future.c.getX(1)).toBe(1n);
  });
});

describe('cache maintenance', () => {
  it('DC ZVA with the MMU off is an alignment fault (Device memory), FAR = Xt', () => {
    const { c } = run([0xd50b7420 /* dc zva, x0 */], (c) => c.setX(0, BigInt(DATA + 0x48)));
    const e = esr(c, 1);
    expect(ec(e)).toBe(0x25);
    expect(e & 0x3f).toBe(0x21);
    expect((e >> 6) & 1).toBe(1); // WnR
    expect(c.sys.get64(R.FAR_EL1)).toBe(BigInt(DATA + 0x48));
  });

  it('DC ZVA on Normal memory zeroes the aligned 64-byte block only', () => {
    const m = run([0xd50b7420 /* dc zva, x0 */], (c, m) => {
      for (let i = 0; i < 32; i++) m.poke64(DATA + 8 * i, 0x1111111111111111n);
      c.setX(0, BigInt(DATA + 0x48));
      enableEl1Mmu(m);
    });
    expect(m.c.getX(28)).toBe(0xdeadn);
    expect(m.peek64(DATA + 0x38)).toBe(0x1111111111111111n);
    for (let i = 0x40; i < 0x80; i += 8) expect(m.peek64(DATA + i)).toBe(0n);
    expect(m.peek64(DATA + 0x80)).toBe(0x1111111111111111n);
  });

  it('DC ZVA at EL0 traps (EC 0x18) unless SCTLR_EL1.DZE; DCZID.DZP reflects it', () => {
    const { c } = run(
      [
        0xd53b00e3, // mrs x3, dczid_el0
        0xd50b7420, // dc zva, x0
      ],
      (c) => c.setX(0, BigInt(DATA)),
      { el: 0 },
    );
    expect(c.getX(3)).toBe(0x14n);
    expect(ec(esr(c, 1))).toBe(0x18);
  });

  it('DC IVAC at EL0 is UNDEFINED; DC CVAC at EL0 needs SCTLR_EL1.UCI', () => {
    const ivac = run([0xd5087620 /* dc ivac, x0 */], undefined, { el: 0 });
    expect(ec(esr(ivac.c, 1))).toBe(0);
    const cvac = run([0xd50b7a20 /* dc cvac, x0 */], undefined, { el: 0 });
    expect(ec(esr(cvac.c, 1))).toBe(0x18);
  });

  it('IC IVAU invalidates a modified block (self-modifying code)', () => {
    // CODE: b target; target: add x0, x0, #1; hlt. Run, patch `target` behind the emulator's
    // back (no store through the memory path), run: the stale block runs; IC IVAU + ISB: the new one.
    const target = CODE + 0x100;
    const m = withVectors();
    const c = m.c;
    m.poke32(CODE, [0x14000040 /* b +0x100 */]);
    m.poke32(target, [0x91000400 /* add x0, x0, #1 */, 0xd45e0000 /* hlt #0xf000 */]);
    const restart = (): void => {
      c.pc = BigInt(CODE);
      m.run(1000);
    };
    restart();
    expect(c.getX(0)).toBe(1n);
    m.bus.writeBytes(target, Uint8Array.of(0x00, 0x14, 0x00, 0x91)); // add x0, x0, #5
    restart();
    expect(c.getX(0)).toBe(2n); // stale decoded block
    m.bus.writeBytes(CODE + 0x200, Uint8Array.of(0x21, 0x75, 0x0b, 0xd5, 0xdf, 0x3f, 0x03, 0xd5, 0xbe, 0xff, 0xff, 0x17));
    // CODE+0x200: ic ivau, x1 (0xd50b7521); isb (0xd5033fdf); b .-0x108 (0x17ffffbe)
    c.setX(1, BigInt(target));
    c.pc = BigInt(CODE + 0x200);
    m.run(1000);
    expect(c.getX(0)).toBe(7n);
  });
});

describe('AT, TLBI, hints, barriers', () => {
  it('AT S1E1R with the MMU off: PAR_EL1 = PA, NS, SH = Outer Shareable, Device-nGnRnE', () => {
    const { c } = run(
      [
        0xd5087800, // at s1e1r, x0
        0xd5387401, // mrs x1, par_el1
      ],
      (c) => c.setX(0, 0x4000_1234n),
    );
    expect(c.getX(1)).toBe(0x4000_1000n | (1n << 11n) | (1n << 9n) | (2n << 7n));
  });

  it('AT S1E1R beyond the PA size reports an address size fault in PAR_EL1', () => {
    const { c } = run(
      [
        0xd5087800, // at s1e1r, x0
        0xd5387401, // mrs x1, par_el1
      ],
      (c) => c.setX(0, 0x0010_0000_0000_0000n), // 2^52: beyond max's 52-bit PA
    );
    expect(c.getX(1) & 1n).toBe(1n);
    expect(c.getX(28)).toBe(0xdeadn);
  });

  it('TLBI VAE1IS hands the decoded ASID and VA to the MMU hook', () => {
    let seen: { name: string; asid: number; lo: number; hi: number; sh: number } | undefined;
    run([0xd5088320 /* tlbi vae1is, x0 */], (c) => {
      c.setX(0, (0x42n << 48n) | ((0xffff_8000_1234_5000n >> 12n) & 0xfff_ffff_ffffn));
      c.onTlbi = (_c, op: TlbiOp, o: TlbiOperand) => {
        seen = { name: op.name, asid: o.asid, lo: o.addrLo, hi: o.addrHi, sh: op.shareable };
      };
    });
    expect(seen).toEqual({ name: 'VAE1IS', asid: 0x42, lo: 0x12345000, hi: 0xffff8000 | 0, sh: 1 });
  });

  it('TLBI at EL0 is UNDEFINED; range TLBI is UNDEFINED without FEAT_TLBIRANGE', () => {
    const el0 = run([0xd508871f /* tlbi vmalle1 */], undefined, { el: 0 });
    expect(ec(esr(el0.c, 1))).toBe(0);
    const rng = run([0xd5088620 /* tlbi rvae1, x0 */]);
    expect(ec(esr(rng.c, 1))).toBe(0);
  });

  it('hints (incl. PAuth and BTI hints without the features) and barriers execute', () => {
    const { c } = run([
      0xd503201f, // nop
      0xd503203f, // yield
      0xd503209f, // sev
      0xd503205f, // wfe (consumes the event)
      0xd503207f, // wfi
      0xd503233f, // paciasp
      0xd50323bf, // autiasp
      0xd50320ff, // xpaclri
      0xd503245f, // bti c
      0xd503229f, // csdb
      0xd503221f, // esb
      0xd50330ff, // sb
      0xd5033f9f, // dsb sy
      0xd5033bbf, // dmb ish
      0xd503309f, // ssbb
      0xd503349f, // pssbb
      0xd5033f5f, // clrex
      0xd5033fdf, // isb
      0x91000400, // add x0, x0, #1
    ]);
    expect(c.getX(28)).toBe(0xdeadn);
    expect(c.getX(0)).toBe(1n);
    expect(c.eventRegister).toBe(false);
  });

  it('WFI at EL0 traps to EL1 (EC 0x01) when SCTLR_EL1.nTWI = 0', () => {
    const { c } = run([0xd503207f /* wfi */], (c) => c.sys.set(R.SCTLR_EL1, 0x00c50838 & ~(1 << 16), 0), { el: 0 });
    expect(ec(esr(c, 1))).toBe(0x01);
    expect(iss(esr(c, 1))).toBe((1 << 24) | (0xe << 20));
  });

  it('DCPS1 outside Debug state is UNDEFINED', () => {
    const { c } = run([0xd4a00001 /* dcps1 */]);
    expect(ec(esr(c, 1))).toBe(0);
  });
});

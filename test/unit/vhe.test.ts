// FEAT_VHE (HCR_EL2.E2H): register redirection at EL2, the _EL12/_EL02 aliases, the EL2 virtual
// timer, the EL2&0 translation regime (TTBR0_EL2/TTBR1_EL2, ASIDs, EL0 permissions) and the
// routing of EL0 exceptions to EL2 with {E2H,TGE} = {1,1}.
import { describe, it, expect } from 'vitest';
import { run, esr, spsr, SLOT_CUR_SPX_SYNC, SLOT_LOWER_SYNC } from './system-vectors.js';
import { CODE, DATA, HLT_STOP, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, NG, AP_EL0, UXN, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged, physicalInterruptTarget, PSTATE_PAN } from '../../core/a64/exceptions.js';
import type { Cpu } from '../../core/a64/cpu.js';
import { ACC_EXEC, ACC_READ, ACC_WRITE } from '../../core/mem/mempath.js';
import { Regime } from '../../core/mmu/params.js';
import { TIMER_HV } from '../../core/a64/timer.js';

type Enc = [number, number, number, number, number];

/** MSR <op0,op1,CRn,CRm,op2>, Xt / MRS Xt, <…> (C6.2.194 / C6.2.193). */
const sysBits = ([op0, op1, crn, crm, op2]: Enc): number => ((op0 & 1) << 19) | (op1 << 16) | (crn << 12) | (crm << 8) | (op2 << 5);
const MSR = (e: Enc, rt: number): number => (0xd5100000 | sysBits(e) | rt) >>> 0;
const MRS = (e: Enc, rt: number): number => (0xd5300000 | sysBits(e) | rt) >>> 0;

const E2H = 1n << 34n;
const TGE = 1n << 27n;
const RW = 1n << 31n;

/** HCR_EL2 = RW | extra, then the context change MSR HCR_EL2 would make. */
function hcr(c: Cpu, extra: bigint): void {
  c.sys.set64(R.HCR_EL2, RW | extra);
  contextChanged(c);
}

const atEl2 = { el: 2, el2: true };

/** TCR_EL2 in the E2H layout: T0SZ = T1SZ = 25, 4K granules (TG1 = 0b10), WB, Inner Shareable, IPS 48 bits. */
const TCR_E2H =
  25n | (1n << 8n) | (1n << 10n) | (3n << 12n) | (25n << 16n) | (1n << 24n) | (1n << 26n) | (3n << 28n) | (2n << 30n) | (5n << 32n);

describe('HCR_EL2.E2H and ID_AA64MMFR1_EL1.VH', () => {
  it('max: E2H and TGE are writable and VH = 1', () => {
    const { c } = run(
      [
        0xd51c1100, // msr hcr_el2, x0
        0xd53c1101, // mrs x1, hcr_el2
        0xd5380722, // mrs x2, id_aa64mmfr1_el1
      ],
      (c) => c.setX(0, E2H | TGE | RW),
      atEl2,
    );
    expect(c.getX(1)).toBe(E2H | TGE | RW);
    expect((c.getX(2) >> 8n) & 0xfn).toBe(1n);
  });

  it('cortex-a57 (no FEAT_VHE): E2H reads back as 0, VH = 0, _EL12 and CNTHV_*_EL2 are UNDEFINED', () => {
    const { c } = run(
      [
        0xd51c1100, // msr hcr_el2, x0
        0xd53c1101, // mrs x1, hcr_el2
        0xd5380722, // mrs x2, id_aa64mmfr1_el1
        0xd53d1003, // mrs x3, sctlr_el12
      ],
      (c) => c.setX(0, E2H | TGE | RW),
      { ...atEl2, model: 'cortex-a57' },
    );
    expect(c.getX(1) & E2H).toBe(0n);
    expect((c.getX(2) >> 8n) & 0xfn).toBe(0n);
    expect(c.getX(28)).toBe(BigInt(SLOT_CUR_SPX_SYNC));
    expect(esr(c, 2) >>> 26).toBe(0); // EC 0: UNDEFINED
    const m = run([0xd53ce320 /* mrs x0, cnthv_ctl_el2 */], undefined, { ...atEl2, model: 'cortex-a57' });
    expect(m.c.getX(28)).toBe(BigInt(SLOT_CUR_SPX_SYNC));
  });
});

// [EL1 register encoding, EL1 storage, EL2 storage, a value both write masks keep]
const REDIRECTED: [string, Enc, number, number, bigint][] = [
  ['SCTLR_EL1', [3, 0, 1, 0, 0], R.SCTLR_EL1, R.SCTLR_EL2, 0x1000n],
  ['CPACR_EL1', [3, 0, 1, 0, 2], R.CPACR_EL1, R.CPTR_EL2, 0x300000n],
  ['TTBR0_EL1', [3, 0, 2, 0, 0], R.TTBR0_EL1, R.TTBR0_EL2, 0x0005_0000_4000_1000n],
  ['TTBR1_EL1', [3, 0, 2, 0, 1], R.TTBR1_EL1, R.TTBR1_EL2, 0x4000_2000n],
  ['TCR_EL1', [3, 0, 2, 0, 2], R.TCR_EL1, R.TCR_EL2, 0x5_b519_3519n],
  ['SPSR_EL1', [3, 0, 4, 0, 0], R.SPSR_EL1, R.SPSR_EL2, 0x3c5n],
  ['ELR_EL1', [3, 0, 4, 0, 1], R.ELR_EL1, R.ELR_EL2, 0xffff_0000_1234_5678n],
  ['AFSR0_EL1', [3, 0, 5, 1, 0], R.AFSR0_EL1, R.AFSR0_EL2, 0x55n],
  ['AFSR1_EL1', [3, 0, 5, 1, 1], R.AFSR1_EL1, R.AFSR1_EL2, 0x66n],
  ['ESR_EL1', [3, 0, 5, 2, 0], R.ESR_EL1, R.ESR_EL2, 0x5600_0001n],
  ['FAR_EL1', [3, 0, 6, 0, 0], R.FAR_EL1, R.FAR_EL2, 0xdead_beef_0000n],
  ['MAIR_EL1', [3, 0, 10, 2, 0], R.MAIR_EL1, R.MAIR_EL2, 0xff44n],
  ['AMAIR_EL1', [3, 0, 10, 3, 0], R.AMAIR_EL1, R.AMAIR_EL2, 0x1n],
  ['VBAR_EL1', [3, 0, 12, 0, 0], R.VBAR_EL1, R.VBAR_EL2, 0x4020_0800n],
  ['CONTEXTIDR_EL1', [3, 0, 13, 0, 1], R.CONTEXTIDR_EL1, R.CONTEXTIDR_EL2, 0x77n],
  ['CNTKCTL_EL1', [3, 0, 14, 1, 0], R.CNTKCTL_EL1, R.CNTHCTL_EL2, 0x3n],
];

const el12 = (e: Enc): Enc => [3, 5, e[2], e[3], e[4]];

describe('E2H redirection at EL2 and the _EL12 aliases', () => {
  it.each(REDIRECTED)('%s reaches the EL2 register, its _EL12 alias the EL1 register', (_name, enc, el1, el2, v) => {
    const { c } = run(
      [
        MRS(enc, 1), // the EL1 encoding reads the EL2 register
        MRS(el12(enc), 2), // the _EL12 encoding reads the EL1 register
        MSR(enc, 0),
        MSR(el12(enc), 3),
      ],
      (c) => {
        hcr(c, E2H | TGE);
        c.sys.set64(el1, 0xa0n);
        c.sys.set64(el2, 0xb0n);
        c.setX(0, v);
        c.setX(3, v);
      },
      atEl2,
    );
    expect(c.getX(28)).toBe(0xdeadn); // no exception
    expect(c.getX(1)).toBe(0xb0n);
    expect(c.getX(2)).toBe(0xa0n);
    expect(c.sys.get64(el2) & v).toBe(v);
    expect(c.sys.get64(el1) & v).toBe(v);
  });

  it('with E2H = 0 the EL1 encodings reach the EL1 registers and _EL12 is UNDEFINED at EL2', () => {
    const { c } = run(
      [
        0xd5381001, // mrs x1, sctlr_el1
        0xd53d1002, // mrs x2, sctlr_el12
      ],
      (c) => {
        c.sys.set64(R.SCTLR_EL1, 0xa0n);
        c.sys.set64(R.SCTLR_EL2, 0xb0n);
      },
      atEl2,
    );
    expect(c.getX(1)).toBe(0xa0n);
    expect(c.getX(28)).toBe(BigInt(SLOT_CUR_SPX_SYNC));
    expect(esr(c, 2)).toBe(0x0200_0000); // EC 0, IL 1
    expect(c.sys.get64(R.ELR_EL2)).toBe(BigInt(CODE + 4));
  });

  it('_EL12 at EL1 is UNDEFINED even with E2H = 1 (no FEAT_NV)', () => {
    const { c } = run([0xd53d1002 /* mrs x2, sctlr_el12 */], (c) => hcr(c, E2H), { el: 1, el2: true });
    expect(c.getX(28)).toBe(BigInt(SLOT_CUR_SPX_SYNC));
    expect(c.el).toBe(1);
    expect(esr(c, 1) >>> 26).toBe(0);
  });

  it('_EL12 from EL3 reaches the EL1 register when E2H is in effect (SCR_EL3.NS = 1), UNDEFINED when Secure', () => {
    const init = (ns: bigint) => (c: Cpu) => {
      c.sys.set64(R.SCR_EL3, 0x430n | ns);
      hcr(c, E2H);
      c.sys.set64(R.SCTLR_EL1, 0xa0n);
    };
    const ns = run([0xd53d1002 /* mrs x2, sctlr_el12 */], init(1n), { el: 3, el2: true, el3: true });
    expect(ns.c.getX(2)).toBe(0xa0n);
    expect(ns.c.getX(28)).toBe(0xdeadn);
    const s = run([0xd53d1002], init(0n), { el: 3, el2: true, el3: true });
    expect(s.c.getX(28)).toBe(BigInt(SLOT_CUR_SPX_SYNC));
  });

  it('CPACR_EL1 at EL2 with E2H is CPTR_EL2 in its E2H layout: FPEN = 0 traps FP at EL2 (EC 0x07)', () => {
    const { c } = run(
      [
        MSR([3, 0, 1, 0, 2], 0), // msr cpacr_el1, x0 (CPTR_EL2.FPEN = 0)
        0x1e604020, // fmov d0, d1
      ],
      (c) => {
        hcr(c, E2H | TGE);
        c.sys.set64(R.CPTR_EL2, 3n << 20n);
        c.setX(0, 0n);
      },
      atEl2,
    );
    expect(c.getX(28)).toBe(BigInt(SLOT_CUR_SPX_SYNC));
    expect(esr(c, 2) >>> 26).toBe(0x07);
    expect(c.sys.get64(R.ELR_EL2)).toBe(BigInt(CODE + 4));
  });
});

describe('timers under E2H', () => {
  it('CNTV_*/CNTP_* at EL2 reach CNTHV_*/CNTHP_*; _EL02 reach the EL1 timers; CNTHV drives its line (PPI 28)', () => {
    const { c } = run(
      [
        0xd51be340, // msr cntv_cval_el0, x0 -> CNTHV_CVAL_EL2
        0xd51be321, // msr cntv_ctl_el0, x1  -> CNTHV_CTL_EL2
        0xd53ce322, // mrs x2, cnthv_ctl_el2
        0xd51de343, // msr cntv_cval_el02, x3
        0xd51be224, // msr cntp_ctl_el0, x4  -> CNTHP_CTL_EL2 (IMASK)
        0xd53be325, // mrs x5, cntv_ctl_el0 (CNTHV_CTL_EL2, ISTATUS set)
      ],
      (c) => {
        hcr(c, E2H | TGE);
        c.setX(0, 0n);
        c.setX(1, 1n);
        c.setX(3, 0x1234n);
        c.setX(4, 3n);
      },
      atEl2,
    );
    expect(c.getX(28)).toBe(0xdeadn);
    expect(c.sys.get64(R.CNTHV_CTL_EL2)).toBe(1n);
    expect(c.sys.get64(R.CNTV_CTL_EL0)).toBe(0n);
    expect(c.getX(2)).toBe(5n); // ENABLE | ISTATUS (CVAL = 0 has passed)
    expect(c.sys.get64(R.CNTV_CVAL_EL0)).toBe(0x1234n);
    expect(c.sys.get64(R.CNTHP_CTL_EL2)).toBe(3n);
    expect(c.sys.get64(R.CNTP_CTL_EL0)).toBe(0n);
    expect(c.getX(5)).toBe(5n); // ENABLE | ISTATUS
    expect(c.timerLines).toBe(1 << TIMER_HV);
  });

  it('CNTVCT_EL0 at EL2 ignores CNTVOFF_EL2 with E2H = 1 and subtracts it with E2H = 0', () => {
    const read = (extra: bigint): bigint =>
      run([0xd53be040 /* mrs x0, cntvct_el0 */], (c) => (hcr(c, extra), c.sys.set64(R.CNTVOFF_EL2, 1n << 62n)), atEl2).c.getX(0);
    expect(read(E2H)).toBeLessThan(1n << 61n);
    expect(read(0n)).toBeGreaterThanOrEqual(1n << 62n);
  });

  it('EL0 in the host: CNTP_CTL_EL0 reaches CNTHP_CTL_EL2 under CNTHCTL_EL2.EL0PTEN, else traps to EL2', () => {
    const el0 = (cnthctl: bigint): TestMachine =>
      run(
        [0xd53be220 /* mrs x0, cntp_ctl_el0 */],
        (c) => {
          hcr(c, E2H | TGE);
          c.sys.set64(R.CNTKCTL_EL1, 0x3ffn); // ignored in the host
          c.sys.set64(R.CNTHCTL_EL2, cnthctl);
          c.sys.set64(R.CNTHP_CTL_EL2, 2n);
        },
        { el: 0, el2: true },
      );
    const ok = el0(1n << 9n);
    expect(ok.c.getX(0)).toBe(2n);
    expect(esr(ok.c, 2) >>> 26).not.toBe(0x18); // (the final HLT is UNDEFINED at EL0)
    const trap = el0(0x3n);
    expect(trap.c.getX(28)).toBe(BigInt(SLOT_LOWER_SYNC));
    expect(trap.c.el).toBe(2);
    expect(esr(trap.c, 2) >>> 26).toBe(0x18);
  });

  it('EL1 with E2H = 1, TGE = 0: CNTPCT_EL0 needs CNTHCTL_EL2.EL1PCTEN at bit 10, not bit 0', () => {
    const el1 = (cnthctl: bigint): TestMachine =>
      run([0xd53be020 /* mrs x0, cntpct_el0 */], (c) => (hcr(c, E2H), c.sys.set64(R.CNTHCTL_EL2, cnthctl)), { el: 1, el2: true });
    const trap = el1(0x3n);
    expect(trap.c.el).toBe(2);
    expect(esr(trap.c, 2) >>> 26).toBe(0x18);
    expect(el1(1n << 10n).c.getX(28)).toBe(0xdeadn);
  });
});

describe('E2H = 1 with TGE = 0 (a VHE host running a guest)', () => {
  it('EL0 belongs to EL1&0: SVC goes to EL1, CNTP_CTL_EL0 is the EL1 timer', () => {
    const { c } = run(
      [
        0xd53be220, // mrs x0, cntp_ctl_el0
        0xd4000ee1, // svc #0x77
      ],
      (c) => {
        hcr(c, E2H);
        c.sys.set64(R.CNTKCTL_EL1, 1n << 9n); // EL0PTEN
        c.sys.set64(R.CNTHCTL_EL2, 3n << 10n); // EL1PCTEN, EL1PCEN (E2H layout)
        c.sys.set64(R.CNTP_CTL_EL0, 2n);
        c.sys.set64(R.CNTHP_CTL_EL2, 3n);
      },
      { el: 0, el2: true },
    );
    expect(c.getX(0)).toBe(2n);
    expect(c.el).toBe(1);
    expect(c.getX(28)).toBe(BigInt(SLOT_LOWER_SYNC));
    expect(esr(c, 1)).toBe(0x5600_0077);
  });

  it('EL1: CNTP_CTL_EL0 traps to EL2 unless CNTHCTL_EL2.EL1PCEN (bit 11) is set', () => {
    const el1 = (cnthctl: bigint): TestMachine =>
      run([0xd53be220 /* mrs x0, cntp_ctl_el0 */], (c) => (hcr(c, E2H), c.sys.set64(R.CNTHCTL_EL2, cnthctl)), { el: 1, el2: true });
    const trap = el1(0x3n | (1n << 10n));
    expect(trap.c.el).toBe(2);
    // EC 0x18, IL, Op0 3, Op2 1, Op1 3, CRn 14, Rt 0, CRm 2, read.
    expect(esr(trap.c, 2)).toBe(((0x18 << 26) | (1 << 25) | (3 << 20) | (1 << 17) | (3 << 14) | (14 << 10) | (2 << 1) | 1) >>> 0);
    expect(el1(1n << 11n).c.getX(28)).toBe(0xdeadn);
  });

  it('CPTR_EL2 keeps TCPAC, TTA (20 and 28), FPEN [21:20], TFP and the E2H = 0 RES1 bits; nothing else', () => {
    const { c } = run(
      [MSR([3, 0, 1, 0, 2], 0) /* msr cpacr_el1, x0 */, MRS([3, 4, 1, 1, 2], 1) /* mrs x1, cptr_el2 */],
      (c) => {
        hcr(c, E2H | TGE);
        c.setX(0, 0xffff_ffff_ffff_ffffn);
      },
      atEl2,
    );
    expect(c.getX(1)).toBe(0x9030_37ffn);
  });

  it('TCR_EL2 keeps both layouts: written at E2H = 0, T1SZ/TG1/A1/AS survive for E2H = 1', () => {
    const v = TCR_E2H | (1n << 22n) | (1n << 36n);
    const { c } = run([0xd51c2040 /* msr tcr_el2, x0 */, 0xd53c2041 /* mrs x1, tcr_el2 */], (c) => c.setX(0, v), atEl2);
    expect(c.getX(1)).toBe(v);
  });
});

describe('EL0 exceptions with {E2H,TGE} = {1,1}', () => {
  it('SVC from EL0 is taken to EL2 (EC 0x15), SPSR_EL2 = EL0t; ELR_EL1 at EL2 reads ELR_EL2', () => {
    const { c } = run([0xd4000ee1 /* svc #0x77 */], (c) => hcr(c, E2H | TGE), { el: 0, el2: true });
    expect(c.el).toBe(2);
    expect(c.getX(28)).toBe(BigInt(SLOT_LOWER_SYNC));
    expect(esr(c, 2)).toBe(0x5600_0077);
    expect(spsr(c, 2) & 0xf).toBe(0);
    expect(c.sys.get64(R.ELR_EL2)).toBe(BigInt(CODE + 4));
    expect(c.sys.get64(R.ESR_EL1)).toBe(0n);
    // Entry to EL2 in the host with SCTLR_EL2.SPAN = 0 sets PSTATE.PAN (FEAT_PAN).
    expect(c.pstateOther & PSTATE_PAN).toBe(PSTATE_PAN);
  });

  it('IRQs from EL0 are routed to EL2 by TGE and taken whatever PSTATE.I; at EL2 they obey PSTATE.I', () => {
    const m = run([], (c) => hcr(c, E2H | TGE), { el: 0, el2: true });
    const c = m.c;
    c.el = 0;
    c.daif = 0xf;
    expect(physicalInterruptTarget(c, false)).toBe(2);
    c.el = 2;
    expect(physicalInterruptTarget(c, false)).toBe(0);
    c.daif = 0;
    expect(physicalInterruptTarget(c, false)).toBe(2);
  });
});

// ---- the EL2&0 regime -----------------------------------------------------------------

const G: Geometry = { grain: 12, inputSize: 39, fmt: 'bits48' };
const UPPER = 0xffff_ff80_0000_1000n; // TTBR1_EL2 range (T1SZ = 25)
const USER = 0x8000_0000n; // TTBR0_EL2, non-global, EL0 RW
const ARENA = 0x40c0_0000n;
const ISH = 3n << 8n;

function el20(asid = 5n): { m: TestMachine; leaf: bigint } {
  const m = run([], undefined, atEl2);
  const tb0 = new TableBuilder(m, G, ARENA);
  const tb1 = new TableBuilder(m, G, ARENA + 0x10_0000n);
  tb0.map(0x4000_0000n, 0x4000_0000n, 1, AF); // RAM: global, EL2 only
  const leaf = tb0.map(USER, BigInt(DATA), 3, AF | ISH | NG | AP_EL0 | UXN);
  tb1.map(UPPER, BigInt(DATA + 0x1000), 3, AF | ISH);
  const c = m.c;
  c.sys.set64(R.TCR_EL2, TCR_E2H);
  c.sys.set64(R.MAIR_EL2, 0xffn);
  c.sys.set64(R.TTBR0_EL2, encodeTtbr(tb0.root, 'bits48', asid));
  c.sys.set64(R.TTBR1_EL2, encodeTtbr(tb1.root, 'bits48'));
  c.sys.set64(R.SCTLR_EL2, 1n);
  hcr(c, E2H | TGE);
  return { m, leaf };
}

const lohi = (va: bigint): [number, number] => [Number(va & 0xffffffffn) | 0, Number(va >> 32n) | 0];

describe('the EL2&0 translation regime', () => {
  it('EL2 translates the upper VA range through TTBR1_EL2 (range 1, global)', () => {
    const { m } = el20();
    const [lo, hi] = lohi(UPPER + 0x18n);
    const r = m.mmu.translate(lo, hi, ACC_READ, 2);
    expect(r.ok && r.pa).toBe(DATA + 0x1018);
    if (!r.ok) return;
    expect(r.entry.regime).toBe(Regime.EL20);
    expect(r.entry.range).toBe(1);
    expect(r.entry.asid).toBe(-1);
  });

  it('EL0 (TGE) uses the same regime with EL0 permissions: AP[1], UXN, EL2-only pages', () => {
    const { m } = el20();
    const user = m.mmu.translate(Number(USER) + 8, 0, ACC_WRITE, 0);
    expect(user.ok && user.pa).toBe(DATA + 8);
    if (user.ok) expect(user.entry.regime).toBe(Regime.EL20);
    expect(m.mmu.translate(Number(USER), 0, ACC_EXEC, 0)).toMatchObject({ ok: false, kind: 'permission', level: 3 });
    const [lo, hi] = lohi(UPPER);
    expect(m.mmu.translate(lo, hi, ACC_READ, 0)).toMatchObject({ ok: false, kind: 'permission' });
    // EL2 may not execute from EL0-writable memory.
    expect(m.mmu.translate(Number(USER), 0, ACC_EXEC, 2)).toMatchObject({ ok: false, kind: 'permission' });
  });

  it('non-global entries are tagged with the ASID of TTBR0_EL2 (TCR_EL2.A1 = 0): a forgotten TLBI shows', () => {
    const { m, leaf } = el20();
    const c = m.c;
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 0)).toMatchObject({ ok: true, pa: DATA, entry: { asid: 5 } });
    // Remap the page without TLBI, switch to ASID 6: a fresh walk sees the new mapping.
    m.poke64(Number(leaf), (m.peek64(Number(leaf)) & ~0xfffff000n) | BigInt(DATA + 0x2000));
    c.sys.set64(R.TTBR0_EL2, (c.sys.get64(R.TTBR0_EL2) & ~(0xffffn << 48n)) | (6n << 48n));
    contextChanged(c);
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 0)).toMatchObject({ ok: true, pa: DATA + 0x2000, entry: { asid: 6 } });
    // Back to ASID 5: its stale entry is still there.
    c.sys.set64(R.TTBR0_EL2, (c.sys.get64(R.TTBR0_EL2) & ~(0xffffn << 48n)) | (5n << 48n));
    contextChanged(c);
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 0)).toMatchObject({ ok: true, pa: DATA });
  });

  it('PSTATE.PAN at EL2 with E2H = 1: EL2 data accesses to EL0-accessible pages fault, fetches of EL2 pages do not', () => {
    const { m } = el20();
    m.c.pstateOther |= PSTATE_PAN;
    contextChanged(m.c);
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 2)).toMatchObject({ ok: false, kind: 'permission', level: 3 });
    expect(m.mmu.translate(CODE, 0, ACC_EXEC, 2)).toMatchObject({ ok: true, pa: CODE });
  });

  it('TCR_EL2.A1 = 1 takes the ASID from TTBR1_EL2', () => {
    const { m } = el20();
    const c = m.c;
    c.sys.set64(R.TCR_EL2, TCR_E2H | (1n << 22n));
    c.sys.set64(R.TTBR1_EL2, c.sys.get64(R.TTBR1_EL2) | (9n << 48n));
    contextChanged(c);
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 0)).toMatchObject({ ok: true, entry: { asid: 9 } });
  });

  it('TLBI ASIDE1 at EL2 with {E2H,TGE} = {1,1} removes the EL2&0 entries of that ASID', () => {
    const { m, leaf } = el20();
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 0)).toMatchObject({ ok: true, pa: DATA });
    m.poke64(Number(leaf), (m.peek64(Number(leaf)) & ~0xfffff000n) | BigInt(DATA + 0x3000));
    m.poke32(CODE + 0x200, [0xd5088740 /* tlbi aside1, x0 */, 0xd5033f9f /* dsb sy */, HLT_STOP]);
    m.c.setX(0, 5n << 48n);
    m.c.pc = BigInt(CODE + 0x200);
    m.run(100);
    expect(m.c.getX(28)).toBe(0xdeadn);
    expect(m.mmu.translate(Number(USER), 0, ACC_READ, 0)).toMatchObject({ ok: true, pa: DATA + 0x3000 });
  });

  it('AT S1E2R through TTBR1_EL2 and AT S1E0R (EL0 in the host) write PAR_EL1', () => {
    const { m } = el20();
    m.poke32(CODE + 0x100, [
      0xd50c7801, // at s1e2r, x1
      0xd5387402, // mrs x2, par_el1
      0xd5087843, // at s1e0r, x3
      0xd5387404, // mrs x4, par_el1
      0xd5087841, // at s1e0r, x1 (EL2-only page: permission fault)
      0xd5387405, // mrs x5, par_el1
      HLT_STOP,
    ]);
    const c = m.c;
    c.setX(1, UPPER);
    c.setX(3, USER);
    c.pc = BigInt(CODE + 0x100);
    m.run(100);
    expect(c.getX(28)).toBe(0xdeadn);
    expect(c.getX(2)).toBe(0xff00_0000_4010_1b80n); // PA 0x40101000, NS, SH Inner, attr 0xff
    // The EL2&0 regime's MMU is on (SCTLR_EL2.M), not EL1's: MAIR_EL2 attr 0xff, SH Inner.
    expect(c.getX(4)).toBe(0xff00_0000_4010_0b80n);
    expect(c.getX(5) & 0x7fn).toBe(1n | (0xfn << 1n)); // F, FST = permission fault level 3
  });

  it('ERET to EL0 under the host, then SVC back to EL2; EL0 code runs from an EL0 page of TTBR0_EL2', () => {
    const m = run([], undefined, atEl2);
    const tb0 = new TableBuilder(m, G, ARENA);
    tb0.map(0x4000_0000n, 0x4000_0000n, 1, AF); // EL2 code, vectors
    tb0.map(0x10_0000n, BigInt(CODE + 0x1000), 3, AF | NG | AP_EL0); // EL0 text
    const c = m.c;
    m.poke32(CODE + 0x1000, [0xd2800540 /* mov x0, #42 */, 0xd4000ee1 /* svc #0x77 */]);
    m.poke32(CODE + 0x300, [
      0xd5184020, // msr elr_el1, x0 (ELR_EL2)
      0xd518401f, // msr spsr_el1, xzr (SPSR_EL2: EL0t)
      0xd69f03e0, // eret
    ]);
    c.setX(0, 0x10_0000n);
    c.sys.set64(R.TCR_EL2, TCR_E2H);
    c.sys.set64(R.MAIR_EL2, 0xffn);
    c.sys.set64(R.TTBR0_EL2, encodeTtbr(tb0.root, 'bits48', 3n));
    c.sys.set64(R.SCTLR_EL2, 1n);
    hcr(c, E2H | TGE);
    c.pc = BigInt(CODE + 0x300); // (CODE holds the HLT the first run decoded)
    m.run(100);
    expect(c.el).toBe(2);
    expect(c.getX(0)).toBe(42n);
    expect(c.getX(28)).toBe(BigInt(SLOT_LOWER_SYNC));
    expect(esr(c, 2)).toBe(0x5600_0077);
    expect(c.sys.get64(R.ELR_EL2)).toBe(0x10_0008n); // after the SVC
  });
});

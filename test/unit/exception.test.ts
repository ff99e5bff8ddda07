import { describe, it, expect } from 'vitest';
import { run, esr, elr, spsr, ec, iss, CODE } from './system-vectors.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { R } from '../../core/a64/sysregs.js';
import type { Cpu, CpuEnv } from '../../core/a64/cpu.js';

const HVC_55 = 0xd4000aa2; // hvc #0x55
const SMC_66 = 0xd4000cc3; // smc #0x66
const SVC_1234 = 0xd4024681; // svc #0x1234
const BRK_77 = 0xd4200ee0; // brk #0x77
const ERET = 0xd69f03e0; // eret
const NOP = 0xd503201f; // nop

function setFirmware(c: Cpu, handler: (c: Cpu, conduit: 'hvc' | 'smc') => boolean): void {
  const env: CpuEnv = { ...c.env, firmwareCall: handler };
  (c as unknown as { env: CpuEnv }).env = env;
}

describe('SVC, BRK', () => {
  it('SVC at EL1h: EC 0x15, ISS imm16, ELR = next, SPSR = old PSTATE, current-EL SPx vector', () => {
    const { c } = run([NOP, SVC_1234]);
    const e = esr(c, 1);
    expect(ec(e)).toBe(0x15);
    expect((e >>> 25) & 1).toBe(1);
    expect(iss(e)).toBe(0x1234);
    expect(elr(c, 1)).toBe(BigInt(CODE + 8));
    expect(spsr(c, 1)).toBe(0x3c5);
    expect(c.getX(28)).toBe(4n);
  });

  it('SVC at EL1t uses the current-EL SP0 vector', () => {
    const { c } = run([0xd50040bf /* msr spsel, #0 */, SVC_1234]);
    expect(c.getX(28)).toBe(0n);
    expect(spsr(c, 1)).toBe(0x3c4);
  });

  it('SVC from EL0 goes to EL1 through the lower-EL vector; with HCR_EL2.TGE to EL2', () => {
    const { c } = run([SVC_1234], undefined, { el: 0 });
    expect(c.el).toBe(1);
    expect(c.getX(28)).toBe(8n);
    expect(spsr(c, 1) & 0xf).toBe(0);
    const tge = run([SVC_1234], (c) => c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 27), 0), { el: 0, el2: true });
    expect(tge.c.el).toBe(2);
    expect(ec(esr(tge.c, 2))).toBe(0x15);
  });

  it('BRK: EC 0x3C, ISS imm16, ELR = the BRK itself', () => {
    const { c } = run([NOP, BRK_77]);
    expect(ec(esr(c, 1))).toBe(0x3c);
    expect(iss(esr(c, 1))).toBe(0x77);
    expect(elr(c, 1)).toBe(BigInt(CODE + 4));
  });
});

describe('HVC and SMC routing', () => {
  it('HVC from EL1 goes to EL2 (EC 0x16, ELR = next)', () => {
    const { c } = run([HVC_55], undefined, { el2: true });
    expect(c.el).toBe(2);
    expect(ec(esr(c, 2))).toBe(0x16);
    expect(iss(esr(c, 2))).toBe(0x55);
    expect(elr(c, 2)).toBe(BigInt(CODE + 4));
    expect(c.getX(28)).toBe(8n);
  });

  it('HVC is UNDEFINED without EL2, at EL0, and with SCR_EL3.HCE = 0', () => {
    expect(ec(esr(run([HVC_55]).c, 1))).toBe(0);
    const el0 = run([HVC_55], undefined, { el: 0, el2: true });
    expect(el0.c.el).toBe(1);
    expect(ec(esr(el0.c, 1))).toBe(0);
    const hce0 = run([HVC_55], (c) => c.sys.set(R.SCR_EL3, 0x431, 0), { el2: true, el3: true });
    expect(hce0.c.el).toBe(1);
    expect(ec(esr(hce0.c, 1))).toBe(0);
    const hce1 = run([HVC_55], (c) => c.sys.set(R.SCR_EL3, 0x531, 0), { el2: true, el3: true });
    expect(hce1.c.el).toBe(2);
  });

  it('the board firmware answers HVC first (PSCI), execution continues after it', () => {
    const { c } = run([HVC_55, 0x91000400 /* add x0, x0, #1 */], (c) => {
      setFirmware(c, (cpu, conduit) => {
        if (conduit !== 'hvc') return false;
        cpu.setX(0, 41n);
        return true;
      });
    });
    expect(c.getX(0)).toBe(42n);
    expect(c.getX(28)).toBe(0xdeadn);
  });

  it('SMC from EL1 goes to EL3 (EC 0x17, ELR = next)', () => {
    const { c } = run([SMC_66], (c) => c.sys.set(R.SCR_EL3, 0x431, 0), { el3: true });
    expect(c.el).toBe(3);
    expect(ec(esr(c, 3))).toBe(0x17);
    expect(iss(esr(c, 3))).toBe(0x66);
    expect(elr(c, 3)).toBe(BigInt(CODE + 4));
  });

  it('SMC is UNDEFINED without EL3 and with SCR_EL3.SMD; HCR_EL2.TSC traps it to EL2 with ELR = the SMC', () => {
    expect(ec(esr(run([SMC_66]).c, 1))).toBe(0);
    const smd = run([SMC_66], (c) => c.sys.set(R.SCR_EL3, 0x4b1, 0), { el3: true });
    expect(smd.c.el).toBe(1);
    expect(ec(esr(smd.c, 1))).toBe(0);
    const tsc = run([NOP, SMC_66], (c) => c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 19), 0), { el2: true });
    expect(tsc.c.el).toBe(2);
    expect(ec(esr(tsc.c, 2))).toBe(0x17);
    expect(iss(esr(tsc.c, 2))).toBe(0x66);
    expect(elr(tsc.c, 2)).toBe(BigInt(CODE + 4));
  });
});

describe('ERET', () => {
  it('returns from EL1 to EL0 at ELR with PSTATE from SPSR; ERET at EL0 is UNDEFINED', () => {
    const { c } = run(
      [ERET],
      (c) => {
        c.sys.set(R.SPSR_EL1, 0x6000_0000, 0); // EL0t, Z and C set, DAIF clear
        c.sys.set64(R.ELR_EL1, BigInt(CODE + 0x40));
        c.exclusiveArmed = true;
      },
      {},
    );
    // At CODE+0x40 there is nothing (UDF): the EL0 UNDEFINED exception is taken to EL1.
    expect(c.el).toBe(1);
    expect(elr(c, 1)).toBe(BigInt(CODE + 0x40));
    expect(spsr(c, 1)).toBe(0x6000_0000);
    expect(c.getX(28)).toBe(8n);
    const el0 = run([ERET], undefined, { el: 0 });
    expect(ec(esr(el0.c, 1))).toBe(0);
    expect(elr(el0.c, 1)).toBe(BigInt(CODE));
  });

  it('restores SP selection: ERET to EL1t uses SP_EL0', () => {
    const { c } = run([ERET], (c) => {
      c.sys.set(R.SPSR_EL1, 0x3c4, 0);
      c.sys.set64(R.ELR_EL1, BigInt(CODE + 4));
      c.sys.set64(R.SP_EL0, 0x4000_8000n);
    });
    expect(c.getX(28)).toBe(0xdeadn);
    expect(c.spsel).toBe(0);
    expect(c.getX(31)).toBe(0x4000_8000n);
  });

  it('an illegal return (to a higher EL) sets PSTATE.IL, keeps EL, and the next instruction takes EC 0x0E', () => {
    const { c } = run(
      [ERET],
      (c) => {
        c.sys.set(R.SPSR_EL1, 0x3c9, 0); // EL2h from EL1: illegal
        c.sys.set64(R.ELR_EL1, BigInt(CODE + 0x20));
      },
      { el2: true },
    );
    expect(c.el).toBe(1);
    expect(ec(esr(c, 1))).toBe(0x0e);
    expect(elr(c, 1)).toBe(BigInt(CODE + 0x20));
    // SPSR of the Illegal State exception has IL set; EL/SP unchanged (EL1h).
    expect(spsr(c, 1) & ((1 << 20) | 0xf)).toBe((1 << 20) | 0x5);
    expect(c.getX(28)).toBe(4n);
  });

  it('illegal returns: to EL2 when EL2 is absent, to EL1 with HCR_EL2.TGE, to EL2 with SCR_EL3.NS = 0, to AArch32 on max', () => {
    const cases: [number, number, { el2?: boolean; el3?: boolean }, ((c: Cpu) => void)?][] = [
      [2, 0x3c9, {}],
      [2, 0x3c5, { el2: true }, (c) => c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 27), 0)],
      [3, 0x3c9, { el2: true, el3: true }, (c) => c.sys.set(R.SCR_EL3, 0x530, 0)],
      [2, 0x3d0, { el2: true }],
    ];
    for (const [el, value, opts, init] of cases) {
      const { c } = run(
        [ERET],
        (c) => {
          init?.(c);
          c.sys.set(R.SPSR_EL1 + el - 1, value, 0);
          c.sys.set64(R.ELR_EL1 + el - 1, BigInt(CODE + 0x20));
        },
        { ...opts, el },
      );
      expect(c.el, `EL${el} SPSR ${value.toString(16)}`).toBe(el);
      expect(ec(esr(c, el))).toBe(0x0e);
    }
  });

  it('a legal ERET from EL2 to EL1 (HCR_EL2.RW = 1) lands in EL1h', () => {
    const { c } = run(
      [ERET],
      (c) => {
        c.sys.set(R.SPSR_EL2, 0x3c5, 0);
        c.sys.set64(R.ELR_EL2, BigInt(CODE + 4));
      },
      { el: 2, el2: true },
    );
    expect(c.el).toBe(1);
    expect(c.getX(28)).toBe(0xdeadn);
  });
});

describe('SIMD&FP access traps', () => {
  it('CPTR_EL2.TFP traps EL1 FP accesses to EL2, CPTR_EL3.TFP to EL3 (EC 0x07, CV=1 COND=0xE)', () => {
    const a = run(
      [0xd53b4401 /* mrs x1, fpcr */],
      (c) => {
        c.sys.set(R.CPTR_EL2, 0x33ff | (1 << 10), 0);
        contextChanged(c);
      },
      { el2: true },
    );
    expect(a.c.el).toBe(2);
    expect(esr(a.c, 2) >>> 0).toBe(((0x07 << 26) | (1 << 25) | (1 << 24) | (0xe << 20)) >>> 0);
    const b = run(
      [0xd53b4401 /* mrs x1, fpcr */],
      (c) => {
        c.sys.set(R.CPTR_EL3, 1 << 10, 0);
        contextChanged(c);
      },
      { el3: true },
    );
    expect(b.c.el).toBe(3);
    expect(ec(esr(b.c, 3))).toBe(0x07);
  });

  it('CPACR_EL1.FPEN = 01 traps EL0 only; with HCR_EL2.TGE the EL0 trap goes to EL2 as EC 0', () => {
    const el1 = run([0xd53b4401 /* mrs x1, fpcr */], (c) => {
      c.sys.set(R.CPACR_EL1, 1 << 20, 0);
      contextChanged(c);
    });
    expect(el1.c.getX(28)).toBe(0xdeadn);
    const el0 = run(
      [0xd53b4401 /* mrs x1, fpcr */],
      (c) => {
        c.sys.set(R.CPACR_EL1, 1 << 20, 0);
        contextChanged(c);
      },
      { el: 0 },
    );
    expect(el0.c.el).toBe(1);
    expect(ec(esr(el0.c, 1))).toBe(0x07);
    const tge = run(
      [0xd53b4401 /* mrs x1, fpcr */],
      (c) => {
        c.sys.set(R.CPACR_EL1, 0, 0);
        c.sys.set(R.HCR_EL2, (1 << 31) | (1 << 27), 0);
        contextChanged(c);
      },
      { el: 0, el2: true },
    );
    expect(tge.c.el).toBe(2);
    expect(ec(esr(tge.c, 2))).toBe(0);
  });
});

// A broadcast range TLBI (FEAT_TLBIRANGE: RVAE1IS …) crosses to the other vCPUs as mailbox
// request words (core/smp/vcpu.ts encodeTlbi/decodeTlbi). The words carry the range length,
// so the remote vCPU invalidates exactly [addr, addr + len): an entry outside the range
// survives there, as on the issuing vCPU. Before, the length was dropped and the remote
// vCPU invalidated the whole VA range of the ASID (a superset the architecture allows).
import { describe, it, expect } from 'vitest';
import { makeMachine, type TestMachine } from '../helpers/cpu.js';
import { TableBuilder, encodeTtbr, AF, NG, type Geometry } from '../helpers/pagetables.js';
import { R } from '../../core/a64/sysregs.js';
import { contextChanged } from '../../core/a64/exceptions.js';
import { ACC_READ } from '../../core/mem/mempath.js';
import type { TlbEntry } from '../../core/mmu/tlb.js';
import type { TlbiOp } from '../../core/a64/sysreg-ops.js';
import { decodeTlbi, encodeTlbi } from '../../core/smp/vcpu.js';
import { REQ_WORDS } from '../../core/smp/layout.js';

const G: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
const A = 0x10_0000n;
const B = 0x10_4000n; // 16 KiB above A: outside an 8 KiB range at A

/** A vCPU with non-global pages A and B of ASID 1 in its TLB. */
function vcpu(): { m: TestMachine; cached: () => string[] } {
  const m = makeMachine({ extraRam: [{ base: 0x1_0000_0000, size: 4 << 20 }] });
  const tb = new TableBuilder(m, G, 0x1_0000_0000n);
  tb.map(A, 0x4000_0000n, 3, AF | NG);
  tb.map(B, 0x4000_1000n, 3, AF | NG);
  const c = m.c;
  c.sys.set64(R.TCR_EL1, 16n | (1n << 23n) | (5n << 32n) | (1n << 36n));
  c.sys.set64(R.MAIR_EL1, 0xffn);
  c.sys.set64(R.SCTLR_EL1, c.sys.get64(R.SCTLR_EL1) | 1n);
  c.sys.set64(R.TTBR0_EL1, encodeTtbr(tb.root, 'bits48', 1n));
  contextChanged(c);
  for (const va of [A, B]) expect(m.mmu.translate(Number(va), 0, ACC_READ, 1).ok).toBe(true);
  const cached = (): string[] => [...m.mmu.tlb.entries()].map((e: TlbEntry) => `${e.iaBase.toString(16)}/${e.asid}`).sort();
  return { m, cached };
}

const RVAE1IS: TlbiOp = { name: 'RVAE1IS', regime: 1, scope: 'va', lastLevel: false, range: true, shareable: 1, el1Form: true };
// TG = 4K, SCALE = 0, NUM = 0: (0 + 1) << (0 + 1) granules = 8 KiB from BaseADDR = A >> 12.
const OPERAND = { asid: 1, ttl: 0, addrLo: Number(A >> 12n), addrHi: 0, tg: 1, scale: 0, num: 0 };

describe('broadcast range TLBI', () => {
  it('the mailbox words carry the range length: the remote vCPU keeps the entry outside the range', () => {
    const issuer = vcpu();
    const remote = vcpu();
    const t = issuer.m.mmu.resolveTlbi(RVAE1IS, OPERAND);
    expect([t.addr, t.len]).toEqual([Number(A), 8192]);
    const req = new Int32Array(REQ_WORDS);
    encodeTlbi(req, t);
    const back = decodeTlbi(req);
    expect(back).toEqual(t);
    issuer.m.mmu.applyTlbi(t);
    remote.m.mmu.applyTlbi(back);
    expect(issuer.cached()).toEqual(['104000/1']);
    expect(remote.cached()).toEqual(['104000/1']);
  });

  it('a length of 2^32 bytes or more survives the words; a record without len still means the whole range', () => {
    const req = new Int32Array(REQ_WORDS);
    const t = { ...vcpu().m.mmu.resolveTlbi(RVAE1IS, { ...OPERAND, scale: 3, num: 31 }) };
    expect(t.len).toBe(32 * 2 ** 16 * 4096); // 2^33
    encodeTlbi(req, t);
    expect(decodeTlbi(req).len).toBe(2 ** 33);
    // The old request format (no length): the remote vCPU drops both entries.
    const remote = vcpu();
    const noLen = { ...t, len: undefined, addr: Number(A) };
    encodeTlbi(req, noLen);
    expect(decodeTlbi(req).len).toBeUndefined();
    remote.m.mmu.applyTlbi(decodeTlbi(req));
    expect(remote.cached()).toEqual([]);
  });
});

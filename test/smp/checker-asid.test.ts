// The checker's TLBI coverage is ASID-aware (core/mmu/checker.ts covers): an entry tagged with
// ASID a is covered by ASIDE1/VAE1 with ASID a and by VAAE1, VMALLE1, ALLE1; a global entry by
// VAE1 with any ASID (Arm ARM D8.13) and the forms without an ASID, never by ASIDE1. Walk tags
// merge in the shared record (checker-shared.ts): different ASIDs leave a mixed tag, which every
// TLBI by ASID covers (a superset, so no false report).
import { describe, it, expect } from 'vitest';
import { covers, type CheckerTlbi } from '../../core/mmu/checker.js';
import { ASID_GLOBAL, ASID_MIXED, ASID_UNKNOWN, CheckerShared } from '../../core/mmu/checker-shared.js';

const IA = 0x8000_0000;
const SPAN = 12;
const tag = (asid: number): number => asid + 1;
const t = (scopeName: string, asid?: number, addr = IA): CheckerTlbi => ({ scopeName, addr, opRange: false, asid });

describe('checker: TLBI coverage by ASID', () => {
  it('ASIDE1 covers only the entries of its ASID, never global ones', () => {
    expect(covers(t('asid', 5), IA, SPAN, tag(5))).toBe(true);
    expect(covers(t('asid', 6), IA, SPAN, tag(5))).toBe(false);
    expect(covers(t('asid', 5), IA, SPAN, ASID_GLOBAL)).toBe(false);
    expect(covers(t('asid', 0), IA, SPAN, tag(0))).toBe(true);
    expect(covers(t('asid', 0), IA, SPAN, tag(1))).toBe(false);
  });

  it('VAE1 covers the VA for its ASID and global entries of the VA', () => {
    expect(covers(t('va', 5), IA, SPAN, tag(5))).toBe(true);
    expect(covers(t('va', 6), IA, SPAN, tag(5))).toBe(false);
    expect(covers(t('va', 6), IA, SPAN, ASID_GLOBAL)).toBe(true);
    expect(covers(t('va', 5, IA + 0x1000), IA, SPAN, tag(5))).toBe(false); // another page
  });

  it('VAAE1, VMALLE1, ALLE1 cover every ASID; unknown or mixed tags and TLBIs without an ASID count as covered', () => {
    for (const tg of [tag(5), ASID_GLOBAL, ASID_MIXED, ASID_UNKNOWN]) {
      expect(covers(t('vaa', 9), IA, SPAN, tg)).toBe(true);
      expect(covers(t('vmall', 0), IA, SPAN, tg)).toBe(true);
      expect(covers(t('all', 0), IA, SPAN, tg)).toBe(true);
    }
    for (const tg of [ASID_MIXED, ASID_UNKNOWN]) {
      expect(covers(t('asid', 9), IA, SPAN, tg)).toBe(true);
      expect(covers(t('va', 9), IA, SPAN, tg)).toBe(true);
    }
    expect(covers(t('asid'), IA, SPAN, tag(5))).toBe(true);
  });

  it('walk tags merge in the shared record', () => {
    const sh = CheckerShared.create([1 << 20], 2);
    sh.walked(0x4000_0000, 0, IA, SPAN, tag(3));
    expect(sh.read(0x4000_0000)?.asidTag).toBe(tag(3));
    sh.walked(0x4000_0000, 1, IA, SPAN); // a walk that made no entry: no change
    sh.walked(0x4000_0000, 1, IA, SPAN, tag(3));
    expect(sh.read(0x4000_0000)?.asidTag).toBe(tag(3));
    sh.walked(0x4000_0000, 1, IA, SPAN, tag(4));
    expect(sh.read(0x4000_0000)?.asidTag).toBe(ASID_MIXED);
    sh.walked(0x4000_0008, 0, IA, SPAN, ASID_GLOBAL);
    expect(sh.read(0x4000_0008)?.asidTag).toBe(ASID_GLOBAL);
  });
});

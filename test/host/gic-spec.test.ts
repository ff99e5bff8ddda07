// The VM spec's interrupt controller field: default GICv3, GICv2 on TCG; what cannot run is
// a problem on the `gic` field (KVM has no GICv2 wiring; the GICv2 has no Security Extensions).
import { describe, expect, it } from 'vitest';
import type { BackendInfo, VmSpec } from '../../core/host/api.js';
import { checkSpec } from '../../core/host/config.js';
import { DEMO } from './worker.js';

const both: BackendInfo[] = [
  { kind: 'tcg', available: true },
  { kind: 'kvm', available: true },
];
const spec = (extra: Partial<VmSpec>): VmSpec => ({
  name: 'v',
  backend: 'tcg',
  cpus: [{ model: 'max' }, { model: 'max' }],
  memory: [{ base: 0x4000_0000, size: 2 ** 27 }],
  entryEl: 1,
  boot: { kind: 'program', path: DEMO },
  ...extra,
});
const gicProblems = (s: VmSpec): string[] =>
  checkSpec(s, both)
    .problems.filter((p) => p.field === 'gic')
    .map((p) => p.message);

describe('VmSpec.gic', () => {
  it('accepts 3 (or nothing) anywhere and 2 on TCG at EL1/EL2', () => {
    expect(gicProblems(spec({}))).toEqual([]);
    expect(gicProblems(spec({ gic: 3, backend: 'kvm' }))).toEqual([]);
    expect(gicProblems(spec({ gic: 2 }))).toEqual([]);
    expect(gicProblems(spec({ gic: 2, entryEl: 2 }))).toEqual([]);
  });

  it('refuses other versions, GICv2 on KVM and GICv2 with EL3, saying why', () => {
    expect(gicProblems(spec({ gic: 4 as unknown as 3 }))).toEqual(['GIC version 4: choose 2 (GICv2) or 3 (GICv3)']);
    expect(gicProblems(spec({ gic: 2, backend: 'kvm' }))[0]).toMatch(/KVM backend has an in-kernel GICv3 only/);
    expect(gicProblems(spec({ gic: 2, entryEl: 3 }))[0]).toMatch(/no Security Extensions/);
  });
});

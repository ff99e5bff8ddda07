// What the desktop app's first screen lists comes from main/info.ts.
import { describe, expect, it } from 'vitest';
import { MODELS } from '../../core/a64/models.js';
import { appInfo, describeMidr, summarizeModel } from '../../main/info.js';

describe('app info', () => {
  it('decodes MIDR_EL1 (Implementer[31:24] Variant[23:20] PartNum[15:4] Revision[3:0])', () => {
    expect(describeMidr(0x410fd034n)).toBe('Arm Cortex-A53 r0p4');
    expect(describeMidr(0x411fd070n)).toBe('Arm Cortex-A57 r1p0');
    expect(describeMidr(0x510f8000n)).toBe('Qualcomm part 0x800 r0p0');
  });
  it('lists every CPU model, as IPC-safe values', () => {
    const info = appInfo({ name: 'armlab', version: '0.1.0' }, process.versions, 'linux');
    expect(info.cpuModels.map((m) => m.name)).toEqual(Object.keys(MODELS));
    expect(() => structuredClone(info)).not.toThrow();
    expect(JSON.parse(JSON.stringify(info))).toEqual(info); // no bigint, no undefined
  });
  it('lists the enabled features only', () => {
    const s = summarizeModel(MODELS.max);
    expect(s.midr).toMatch(/^0x[0-9a-f]{8}$/);
    for (const [f, on] of Object.entries(MODELS.max.features)) expect(s.features.includes(f)).toBe(on);
  });
});

/** Builds the app information the renderer shows; pure so it can be unit-tested without Electron. */
import { MODELS, type CpuModel } from '../core/a64/models.js';
import type { AppInfo, CpuModelSummary } from './api.js';

/** MIDR_EL1.Implementer codes (Arm ARM D23.2); 0x00 is reserved for software use. */
const IMPLEMENTERS: Record<number, string> = { 0x00: 'software-defined', 0x41: 'Arm', 0x51: 'Qualcomm', 0x61: 'Apple' };
const ARM_PARTS: Record<number, string> = {
  0xd03: 'Cortex-A53',
  0xd07: 'Cortex-A57',
  0xd08: 'Cortex-A72',
  0xc0f: 'Cortex-A15',
  0xc07: 'Cortex-A7',
};

/** MIDR_EL1 fields: Implementer[31:24], Variant[23:20], Architecture[19:16], PartNum[15:4], Revision[3:0]. */
export function describeMidr(midr: bigint): string {
  const v = Number(midr & 0xffffffffn);
  const implementer = (v >>> 24) & 0xff;
  const variant = (v >>> 20) & 0xf;
  const part = (v >>> 4) & 0xfff;
  const revision = v & 0xf;
  const who = IMPLEMENTERS[implementer] ?? `implementer 0x${implementer.toString(16)}`;
  const what = (implementer === 0x41 ? ARM_PARTS[part] : undefined) ?? `part 0x${part.toString(16).padStart(3, '0')}`;
  return `${who} ${what} r${variant}p${revision}`;
}

export function summarizeModel(m: CpuModel): CpuModelSummary {
  return {
    name: m.name,
    midr: `0x${m.midr.toString(16).padStart(8, '0')}`,
    midrText: describeMidr(m.midr),
    paBits: m.paBits,
    features: Object.entries(m.features)
      .filter(([, on]) => on)
      .map(([name]) => name),
  };
}

export function appInfo(app: { name: string; version: string }, versions: NodeJS.ProcessVersions, platform: string): AppInfo {
  return {
    name: app.name,
    version: app.version,
    versions: { electron: versions.electron ?? '', chrome: versions.chrome ?? '', node: versions.node },
    platform,
    cpuModels: Object.values(MODELS).map(summarizeModel),
  };
}

/**
 * vCPU topology: which CPU model each vCPU is and its MPIDR affinity.
 *
 *   "cortex-a57"                 every vCPU the same, QEMU virt's layout (Aff0 = id % 8, Aff1 = id / 8)
 *   "2xcortex-a72,2xcortex-a53"  one cluster per group (Aff1 = group, Aff0 = index in the group),
 *                                as on a big.LITTLE system
 */
import { MODELS } from '../a64/models.js';
import { LoadError } from '../loader/elf.js';

export interface CpuSpec {
  model: string;
  /** MPIDR_EL1 affinity: Aff1 << 8 | Aff0. */
  affinity: number;
}

export function parseTopology(spec: string, cpus: number | undefined): CpuSpec[] {
  const groups = spec.split(',').map((g) => {
    const m = /^(?:(\d+)x)?([a-z0-9-]+)$/.exec(g.trim());
    if (!m) throw new LoadError(`bad CPU list entry '${g}' (examples: cortex-a57, 2xcortex-a72,2xcortex-a53)`);
    if (!(m[2] in MODELS)) throw new LoadError(`unknown CPU model '${m[2]}' (known: ${Object.keys(MODELS).join(', ')})`);
    return { count: m[1] === undefined ? undefined : Number(m[1]), model: m[2] };
  });
  if (groups.length === 1 && groups[0].count === undefined) {
    const n = cpus ?? 1;
    return Array.from({ length: n }, (_, id) => ({ model: groups[0].model, affinity: ((id >> 3) << 8) | (id & 7) }));
  }
  if (groups.some((g) => g.count === undefined || g.count < 1 || g.count > 8)) {
    throw new LoadError(`in a CPU list every entry needs a count of 1..8, e.g. 2xcortex-a72,2xcortex-a53`);
  }
  const out: CpuSpec[] = [];
  groups.forEach((g, cluster) => {
    for (let i = 0; i < g.count!; i++) out.push({ model: g.model, affinity: (cluster << 8) | i });
  });
  if (cpus !== undefined && cpus !== out.length)
    throw new LoadError(`--cpus ${cpus} does not match the CPU list '${spec}' (${out.length} CPUs)`);
  return out;
}

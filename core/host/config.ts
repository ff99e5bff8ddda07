/**
 * VM configurations: what the host knows about CPU models and backends, the
 * presets, and validation before launch (every problem with the field it is
 * about, in words a user can act on).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { MODELS, idField, type CpuModel } from '../a64/models.js';
import { VIRT } from '../board/virt.js';
import { detect, LoadError, type Loadable } from '../loader/detect.js';
import type { BackendInfo, CpuModelInfo, Preset, Problem, VmSpec } from './api.js';

/** vCPUs per VM until the SMP work lands. */
export const MAX_CPUS = 1;
export const MIN_RAM = 1 << 20;
/** Largest total RAM the host allocates for one VM (SharedArrayBuffers are real memory). */
export const MAX_TOTAL_RAM = 16 * 2 ** 30;

/** MMIO windows of the virt board that RAM must not overlap. */
const MMIO_WINDOWS = [{ base: VIRT.UART0, size: 0x1000, name: 'the PL011 UART' }];

const hex = (v: number): string => '0x' + v.toString(16);

/** TCR granules the model's ID_AA64MMFR0_EL1 advertises (TGran4 [31:28], TGran64 [27:24], TGran16 [23:20]). */
export function granules(m: CpuModel): string[] {
  const g: string[] = [];
  const t4 = idField(m, 'ID_AA64MMFR0_EL1', 28);
  const t16 = idField(m, 'ID_AA64MMFR0_EL1', 20);
  const t64 = idField(m, 'ID_AA64MMFR0_EL1', 24);
  if (t4 !== 0xf) g.push(t4 === 1 ? '4K (52-bit)' : '4K');
  if (t16 !== 0) g.push(t16 === 2 ? '16K (52-bit)' : '16K');
  if (t64 !== 0xf) g.push('64K');
  return g;
}

export function cpuModelInfo(m: CpuModel): CpuModelInfo {
  return {
    name: m.name,
    midr: '0x' + m.midr.toString(16).padStart(8, '0'),
    paBits: m.paBits,
    granules: granules(m),
    features: Object.entries(m.features)
      .filter(([, on]) => on)
      .map(([name]) => name),
  };
}

/** The backends and whether they can run here. KVM arrives with the native addon (native/, core/kvm). */
export function backends(root: string): BackendInfo[] {
  const kvm: BackendInfo = existsSync(join(root, 'core', 'kvm'))
    ? { kind: 'kvm', available: false, reason: 'KVM backend not wired into the host yet' }
    : {
        kind: 'kvm',
        available: false,
        reason: 'KVM backend not built' + (existsSync('/dev/kvm') ? '' : ' (and this host has no /dev/kvm)'),
      };
  return [{ kind: 'tcg', available: true }, kvm];
}

/** Presets: the demo guest, and a TLB-bound loop that runs long enough to watch. */
export function presets(root: string): Preset[] {
  const demo = join(root, 'resources', 'demo', 'demo.elf');
  const stride = join(root, 'resources', 'bench', 'out', 'pagestride.elf');
  const base = { backend: 'tcg', cpus: [{ model: 'cortex-a57' }], memory: [{ base: VIRT.RAM, size: 128 * 2 ** 20 }], entryEl: 1 } as const;
  const list: Preset[] = [
    {
      id: 'demo',
      title: 'Demo guest',
      description:
        'resources/demo/demo.elf: banner, Mandelbrot, prime sieve and CRC-32 on the UART, then exit(0). About 0.7 million instructions.',
      spec: {
        ...base,
        cpus: [{ model: 'cortex-a57' }],
        memory: [{ ...base.memory[0] }],
        name: 'demo',
        boot: { kind: 'program', path: demo },
      },
    },
    {
      id: 'pagestride',
      title: 'Page-stride loop',
      description:
        'resources/bench/out/pagestride.elf: one load per 4 KiB page over 8 MiB, 10,243 instructions per pass; the command line is the number of passes (20000 ≈ 200 million instructions).',
      spec: {
        ...base,
        cpus: [{ model: 'cortex-a57' }],
        memory: [{ ...base.memory[0] }],
        name: 'pagestride',
        boot: { kind: 'program', path: stride, append: '20000' },
      },
    },
  ];
  for (const p of list) {
    if (!existsSync(p.spec.boot.path)) {
      p.unavailable = `${p.spec.boot.path} is not built (run ${p.id === 'demo' ? 'npm run demo' : 'npm run build:guests'} once)`;
    }
  }
  return list;
}

/** A file the user named, read; problems go to `problems` instead of throwing. */
function readFile(path: string, what: string, problems: Problem[]): Uint8Array | undefined {
  if (path.trim() === '') {
    problems.push({ field: 'boot', message: `no ${what} given` });
    return undefined;
  }
  if (!isAbsolute(path)) {
    problems.push({ field: 'boot', message: `${what} '${path}': give an absolute path` });
    return undefined;
  }
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    problems.push({
      field: 'boot',
      message: `cannot read ${what} '${path}': ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'it is a directory' : err.message}`,
    });
    return undefined;
  }
}

export interface CheckedSpec {
  problems: Problem[];
  /** The boot files, read and recognised (only when there are no problems). */
  files?: { program: Uint8Array; initrd?: Uint8Array };
}

function checkCpus(spec: VmSpec, problems: Problem[]): CpuModel | undefined {
  if (spec.cpus.length === 0) problems.push({ field: 'cpus', message: 'a VM needs at least one vCPU' });
  if (spec.cpus.length > MAX_CPUS) {
    problems.push({
      field: 'cpus',
      message: `${spec.cpus.length} vCPUs: SMP is not implemented yet, so a VM has ${MAX_CPUS} vCPU for now`,
    });
  }
  spec.cpus.forEach((c, i) => {
    if (!(c.model in MODELS))
      problems.push({
        field: 'cpus',
        index: i,
        message: `vCPU ${i}: unknown CPU model '${c.model}' (known: ${Object.keys(MODELS).join(', ')})`,
      });
  });
  return MODELS[spec.cpus[0]?.model ?? ''];
}

function checkMemory(spec: VmSpec, model: CpuModel | undefined, problems: Problem[]): void {
  const regions = spec.memory;
  if (regions.length === 0) problems.push({ field: 'memory', message: 'a VM needs at least one RAM region' });
  let total = 0;
  regions.forEach((r, i) => {
    const where = `RAM region ${i} (${hex(r.base)}, ${formatBytes(r.size)})`;
    const bad = (message: string): void => void problems.push({ field: 'memory', index: i, message });
    if (!Number.isSafeInteger(r.base) || !Number.isSafeInteger(r.size) || r.base < 0)
      return bad(`RAM region ${i}: base and size must be whole non-negative numbers`);
    if (r.size < MIN_RAM) return bad(`${where}: too small, at least 1 MiB`);
    if (r.base % 4096 !== 0 || r.size % 4096 !== 0) return bad(`${where}: base and size must be multiples of 4 KiB`);
    if (model && r.base + r.size > 2 ** model.paBits) {
      return bad(`${where} ends at ${hex(r.base + r.size)}, beyond the ${model.paBits}-bit physical address space of ${model.name}`);
    }
    for (const w of MMIO_WINDOWS) {
      if (r.base < w.base + w.size && w.base < r.base + r.size) return bad(`${where} overlaps ${w.name} at ${hex(w.base)}`);
    }
    regions.slice(0, i).forEach((o, j) => {
      if (r.base < o.base + o.size && o.base < r.base + r.size) bad(`${where} overlaps RAM region ${j}`);
    });
    total += r.size;
  });
  if (total > MAX_TOTAL_RAM)
    problems.push({
      field: 'memory',
      message: `${formatBytes(total)} of RAM in all: more than the ${formatBytes(MAX_TOTAL_RAM)} this host allocates for one VM`,
    });
}

/** The loaded image must land in the first RAM region (where the board loads kernels, programs and the DTB). */
function checkPlacement(l: Loadable, ram: { base: number; size: number }, problems: Problem[]): void {
  const end = ram.base + ram.size;
  const outside = (a: number, n: number): boolean => a < ram.base || a + n > end;
  const range = `${hex(ram.base)}..${hex(end)}`;
  switch (l.kind) {
    case 'elf':
      for (const s of l.elf.segments) {
        if (outside(s.paddr, s.memSize)) {
          problems.push({
            field: 'boot',
            message: `the program's segment at ${hex(s.paddr)}..${hex(s.paddr + s.memSize)} is outside RAM region 0 (${range})`,
          });
          return;
        }
      }
      return;
    case 'image': {
      const size = Math.max(l.image.imageSize, l.image.data.length);
      if (outside(ram.base + l.image.textOffset, size))
        problems.push({ field: 'boot', message: `the kernel (${formatBytes(size)}) does not fit RAM region 0 (${range})` });
      return;
    }
    case 'raw':
      if (outside(ram.base + 0x80000, l.data.length))
        problems.push({ field: 'boot', message: `the raw binary (${formatBytes(l.data.length)}) does not fit RAM region 0 at +0x80000` });
  }
}

/** Every problem that would stop this configuration from launching, and the boot files when there is none. */
export function checkSpec(spec: VmSpec, available: BackendInfo[]): CheckedSpec {
  const problems: Problem[] = [];
  if (spec.name.trim() === '') problems.push({ field: 'name', message: 'give the VM a name' });
  const backend = available.find((b) => b.kind === spec.backend);
  if (!backend) problems.push({ field: 'backend', message: `unknown backend '${spec.backend}'` });
  else if (!backend.available)
    problems.push({ field: 'backend', message: `${spec.backend.toUpperCase()} is unavailable: ${backend.reason}` });
  const model = checkCpus(spec, problems);
  checkMemory(spec, model, problems);
  if (![1, 2, 3].includes(spec.entryEl)) problems.push({ field: 'entryEl', message: `entry EL${spec.entryEl}: choose EL1, EL2 or EL3` });
  else if (model && spec.entryEl === 2 && !model.features.el2) problems.push({ field: 'entryEl', message: `${model.name} has no EL2` });
  else if (model && spec.entryEl === 3 && !model.features.el3) problems.push({ field: 'entryEl', message: `${model.name} has no EL3` });

  const boot = spec.boot;
  const program = readFile(boot.path, boot.kind === 'kernel' ? 'kernel' : 'program', problems);
  const initrd = boot.kind === 'kernel' && boot.initrd ? readFile(boot.initrd, 'initrd', problems) : undefined;
  if (program) {
    try {
      const l = detect(program, boot.path);
      if (boot.kind === 'kernel' && l.kind === 'elf' && initrd)
        problems.push({ field: 'boot', message: 'an initrd needs a Linux kernel Image, not an ELF program' });
      if (spec.memory.length > 0 && problems.every((p) => p.field !== 'memory')) checkPlacement(l, spec.memory[0], problems);
    } catch (e) {
      if (!(e instanceof LoadError)) throw e;
      problems.push({ field: 'boot', message: `not loadable: ${e.message}` });
    }
  }
  if (problems.length > 0 || !program) return { problems };
  return { problems, files: { program, initrd } };
}

export function formatBytes(n: number): string {
  for (const [unit, size] of [
    ['TiB', 2 ** 40],
    ['GiB', 2 ** 30],
    ['MiB', 2 ** 20],
    ['KiB', 2 ** 10],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}

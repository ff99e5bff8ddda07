/**
 * VM configurations: what the host knows about CPU models and backends, the
 * presets, and validation before launch (every problem with the field it is
 * about, in words a user can act on).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { homedir } from 'node:os';
import { MODELS, idField, type CpuModel } from '../a64/models.js';
import { VIRT } from '../board/virt.js';
import { detect, LoadError, type Loadable } from '../loader/detect.js';
import { MAX_CPUS as SMP_MAX_CPUS } from '../smp/layout.js';
import { describeKvm } from '../kvm/info.js';
import type { BackendInfo, CpuModelInfo, Preset, Problem, VmSpec } from './api.js';

/** vCPUs per VM: one runs VirtMachine in the VM worker, more run the SMP machine (one worker per vCPU). */
export const MAX_CPUS = SMP_MAX_CPUS;
/** vCPUs per cluster (MPIDR Aff0 0..7, as core/smp/topology.ts allows). */
export const MAX_CLUSTER_CPUS = 8;
export const MAX_CLUSTER = 255;
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

/**
 * The backends and whether they can run here. KVM runs AArch64 guests only on an arm64
 * host with /dev/kvm and the native addon built; otherwise the reason says which is missing
 * (describeKvm: on x86_64, why KVM cannot execute A64 code at all).
 */
export function backends(): BackendInfo[] {
  let kvm: BackendInfo;
  try {
    const info = describeKvm();
    const a64 = info.guests.find((g) => g.arch === 'aarch64');
    kvm = a64?.runnable
      ? { kind: 'kvm', available: true, detail: a64.why }
      : { kind: 'kvm', available: false, reason: a64?.why ?? 'unknown' };
  } catch (e) {
    kvm = { kind: 'kvm', available: false, reason: `KVM probe failed: ${(e as Error).message}` };
  }
  return [{ kind: 'tcg', available: true }, kvm];
}

/** Presets: the demo guest, a TLB-bound loop that runs long enough to watch, and the SMP / checker guests. */
export function presets(root: string): Preset[] {
  const demo = join(root, 'resources', 'demo', 'demo.elf');
  const stride = join(root, 'resources', 'bench', 'out', 'pagestride.elf');
  const guest = (name: string): string => join(root, 'resources', 'guest', 'out', `${name}.elf`);
  const ram = (): VmSpec['memory'] => [{ base: VIRT.RAM, size: 128 * 2 ** 20 }];
  const base = { backend: 'tcg', entryEl: 1 } as const;
  const list: Preset[] = [
    {
      id: 'demo',
      title: 'Demo guest',
      description:
        'resources/demo/demo.elf: banner, Mandelbrot, prime sieve and CRC-32 on the UART, then exit(0). About 0.7 million instructions.',
      spec: { ...base, cpus: [{ model: 'cortex-a57' }], memory: ram(), name: 'demo', boot: { kind: 'program', path: demo } },
    },
    {
      id: 'pagestride',
      title: 'Page-stride loop',
      description:
        'resources/bench/out/pagestride.elf: one load per 4 KiB page over 8 MiB, 10,243 instructions per pass; the command line is the number of passes (20000 ≈ 200 million instructions).',
      spec: {
        ...base,
        cpus: [{ model: 'cortex-a57' }],
        memory: ram(),
        name: 'pagestride',
        boot: { kind: 'program', path: stride, append: '20000' },
      },
    },
    {
      id: 'smp-shootdown',
      title: 'SMP shootdown storm',
      description:
        'smp_shootdown.elf on 2 vCPUs (one worker thread each): vCPU 0 remaps a page 300 times (break-before-make, TLBI VAE1IS, DSB) while vCPU 1 reads through it; TLBIs, DSB waits and acknowledgement latency per vCPU.',
      spec: {
        ...base,
        cpus: [{ model: 'max' }, { model: 'max' }],
        memory: ram(),
        name: 'smp-shootdown',
        boot: { kind: 'program', path: guest('smp_shootdown') },
      },
    },
    {
      id: 'biglittle',
      title: 'big.LITTLE',
      description: 'smp_whoami.elf on 2× Cortex-A72 (cluster 0) + 2× Cortex-A53 (cluster 1): every vCPU prints its MPIDR and MIDR.',
      spec: {
        ...base,
        cpus: [
          { model: 'cortex-a72', cluster: 0 },
          { model: 'cortex-a72', cluster: 0 },
          { model: 'cortex-a53', cluster: 1 },
          { model: 'cortex-a53', cluster: 1 },
        ],
        memory: ram(),
        name: 'biglittle',
        boot: { kind: 'program', path: guest('smp_whoami') },
      },
    },
    {
      id: 'tlb-check',
      title: 'TLB-maintenance checker',
      description:
        'tlb_maint.elf with the checker on: a valid→valid remap without break-before-make and a new entry written before any TLBI are reported; the correct sequence is not.',
      spec: {
        ...base,
        cpus: [{ model: 'max' }],
        memory: ram(),
        name: 'tlb-check',
        boot: { kind: 'program', path: guest('tlb_maint') },
        checkTlb: true,
      },
    },
  ];
  for (const p of list) {
    if (!existsSync(p.spec.boot.path)) {
      p.unavailable = `${p.spec.boot.path} is not built (run ${p.id === 'demo' ? 'npm run demo' : 'npm run build:guests'} once)`;
    }
  }
  list.push(linuxPreset());
  return list;
}

/** Where `npm run guest:fetch` (scripts/fetch-guest.sh) caches Debian's kernel and the initramfs. */
export function linuxCacheDir(): string {
  return join(process.env.ARMLAB_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'armlab'), 'linux');
}

/** Debian's arm64 kernel with the busybox initramfs on 2 vCPUs, once `npm run guest:fetch` has cached them. */
function linuxPreset(): Preset {
  const env = join(linuxCacheDir(), 'guest.env');
  const vars = new Map<string, string>();
  if (existsSync(env)) {
    for (const line of readFileSync(env, 'utf8').split('\n')) {
      const m = /^([A-Z_0-9]+)=['"]?(.*?)['"]?$/.exec(line.trim());
      if (m) vars.set(m[1], m[2]);
    }
  }
  const kernel = vars.get('KERNEL') ?? '';
  const initrd = vars.get('INITRD') ?? '';
  const p: Preset = {
    id: 'debian-linux',
    title: 'Debian arm64 Linux',
    description:
      "Debian 12's cloud-arm64 kernel with a busybox initramfs on 2 Cortex-A57 vCPUs and 512 MiB: boots to an interactive shell on the console (about 20–25 s to init here).",
    spec: {
      backend: 'tcg',
      entryEl: 1,
      name: 'debian-linux',
      cpus: [{ model: 'cortex-a57' }, { model: 'cortex-a57' }],
      memory: [{ base: VIRT.RAM, size: 512 * 2 ** 20 }],
      boot: { kind: 'kernel', path: kernel, initrd, append: 'console=ttyAMA0 earlycon=pl011,0x9000000' },
    },
  };
  if (!kernel || !initrd || !existsSync(kernel) || !existsSync(initrd)) {
    p.unavailable = `Debian's kernel and initramfs are not in ${linuxCacheDir()} yet: run npm run guest:fetch once (downloads from Debian's archive)`;
  }
  return p;
}

/**
 * The MPIDR affinity of each vCPU, or undefined for QEMU virt's layout (Aff0 = id % 8, Aff1 = id / 8)
 * when every vCPU has the same model and no cluster is given. Clusters: Aff1 = cluster, Aff0 = the
 * vCPU's index within its cluster, in vCPU order (core/smp/topology.ts does the same for CPU lists).
 */
export function topologyOf(spec: VmSpec): { model: string; affinity: number }[] | undefined {
  const clustered = spec.cpus.some((c) => c.cluster !== undefined && c.cluster !== null);
  const mixed = spec.cpus.some((c) => c.model !== spec.cpus[0]?.model);
  if (!clustered && !mixed) return undefined;
  const seen = new Map<number, number>();
  return spec.cpus.map((c, id) => {
    if (!clustered) return { model: c.model, affinity: ((id >> 3) << 8) | (id & 7) };
    const cl = c.cluster ?? 0;
    const k = seen.get(cl) ?? 0;
    seen.set(cl, k + 1);
    return { model: c.model, affinity: (cl << 8) | k };
  });
}

/**
 * The last few boot files read, by path, kept while their size and mtime stay the same: the setup screen
 * validates after every edit, and a kernel is tens of MiB (stat only, unless the file changed).
 */
const fileCache = new Map<string, { size: number; mtimeMs: number; bytes: Uint8Array }>();
const FILE_CACHE_KEEP = 4;

function readCached(path: string): Uint8Array {
  const st = statSync(path);
  if (st.isDirectory()) throw Object.assign(new Error(`'${path}' is a directory`), { code: 'EISDIR' });
  const hit = fileCache.get(path);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) {
    fileCache.delete(path);
    fileCache.set(path, hit);
    return hit.bytes;
  }
  const bytes = new Uint8Array(readFileSync(path));
  fileCache.delete(path);
  fileCache.set(path, { size: st.size, mtimeMs: st.mtimeMs, bytes });
  while (fileCache.size > FILE_CACHE_KEEP) fileCache.delete(fileCache.keys().next().value!);
  return bytes;
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
    return readCached(path);
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

/** Checks the vCPU list; returns the models (known ones only) of every vCPU. */
function checkCpus(spec: VmSpec, problems: Problem[]): CpuModel[] {
  if (spec.cpus.length === 0) problems.push({ field: 'cpus', message: 'a VM needs at least one vCPU' });
  if (spec.cpus.length > MAX_CPUS) {
    problems.push({
      field: 'cpus',
      message: `${spec.cpus.length} vCPUs: a VM has at most ${MAX_CPUS} vCPUs (one worker thread each)`,
    });
  }
  const models: CpuModel[] = [];
  const perCluster = new Map<number, number>();
  spec.cpus.forEach((c, i) => {
    const m = MODELS[c.model];
    if (!m)
      problems.push({
        field: 'cpus',
        index: i,
        message: `vCPU ${i}: unknown CPU model '${c.model}' (known: ${Object.keys(MODELS).join(', ')})`,
      });
    else models.push(m);
    if (c.cluster !== undefined && c.cluster !== null) {
      if (!Number.isInteger(c.cluster) || c.cluster < 0 || c.cluster > MAX_CLUSTER)
        problems.push({ field: 'cpus', index: i, message: `vCPU ${i}: cluster ${c.cluster}: give a whole number 0..${MAX_CLUSTER}` });
      else perCluster.set(c.cluster, (perCluster.get(c.cluster) ?? 0) + 1);
    }
  });
  for (const [cl, n] of perCluster) {
    if (n > MAX_CLUSTER_CPUS)
      problems.push({ field: 'cpus', message: `cluster ${cl} has ${n} vCPUs: at most ${MAX_CLUSTER_CPUS} per cluster` });
  }
  return models;
}

function checkMemory(spec: VmSpec, models: CpuModel[], problems: Problem[]): void {
  // RAM must be addressable by every vCPU: the smallest PA size of the models decides.
  const model = models.reduce<CpuModel | undefined>((a, m) => (a === undefined || m.paBits < a.paBits ? m : a), undefined);
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
  if (spec.backend === 'kvm') {
    if (spec.entryEl !== 1)
      problems.push({ field: 'entryEl', message: 'KVM enters guests at EL1 (this backend does not offer nested virtualization)' });
    if (spec.checkTlb) problems.push({ field: 'checkTlb', message: "the TLB checker watches TCG's software TLB: choose TCG to use it" });
  }
  const models = checkCpus(spec, problems);
  checkMemory(spec, models, problems);
  if (![1, 2, 3].includes(spec.entryEl)) problems.push({ field: 'entryEl', message: `entry EL${spec.entryEl}: choose EL1, EL2 or EL3` });
  else {
    // Every vCPU enters at the same EL: each model must have it.
    const el = spec.entryEl === 2 ? 'el2' : spec.entryEl === 3 ? 'el3' : undefined;
    const lacking = el ? [...new Set(models.filter((m) => !m.features[el]).map((m) => m.name))] : [];
    for (const name of lacking) problems.push({ field: 'entryEl', message: `${name} has no EL${spec.entryEl}` });
  }
  if (spec.checkTlb !== undefined && typeof spec.checkTlb !== 'boolean')
    problems.push({ field: 'checkTlb', message: 'checkTlb must be true or false' });
  checkGic(spec, problems);

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

/** The interrupt controller version (default 3); a GICv2 has no KVM wiring and no Security Extensions here. */
function checkGic(spec: VmSpec, problems: Problem[]): void {
  const gic = spec.gic ?? 3;
  if (gic !== 2 && gic !== 3) {
    problems.push({ field: 'gic', message: `GIC version ${String(gic)}: choose 2 (GICv2) or 3 (GICv3)` });
    return;
  }
  if (gic !== 2) return;
  if (spec.backend === 'kvm')
    problems.push({ field: 'gic', message: 'the KVM backend has an in-kernel GICv3 only: choose TCG for a GICv2' });
  if (spec.entryEl === 3)
    problems.push({
      field: 'gic',
      message: 'the GICv2 has no Security Extensions here (QEMU adds them with EL3): choose a GICv3 or entry at EL1/EL2',
    });
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

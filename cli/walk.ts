/**
 * `armlab walk`: the translation inspector from the command line.
 *
 *   armlab walk <program> --va ADDR [--access read|write|exec] [--el N] [--json] [run options]
 *       runs the program to its end (exit, power-off or --timeout) and walks ADDR
 *       in the final translation context.
 *   armlab walk --image FILE --load PA --va ADDR --tcr V --ttbr0 V [--ttbr1 V] [--mair V]
 *               [--el N] [--hcr V --vtcr V --vttbr V] [--cpu MODEL] [--json]
 *       offline: FILE is physical memory at PA (e.g. a dump of the page tables).
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { VirtMachine } from '../core/board/virt.js';
import { detect, LoadError } from '../core/loader/detect.js';
import { MODELS } from '../core/a64/models.js';
import { R } from '../core/a64/sysregs.js';
import { contextChanged } from '../core/a64/exceptions.js';
import { inspectTranslation, formatInspection, type AccessKind } from '../core/mmu/inspect.js';

export const WALK_USAGE = `usage: armlab walk <program> --va ADDR [--access read|write|exec] [--el N] [--json] [--cpu M] [--mem S] [--timeout S] [--virtualization]
       armlab walk --image FILE --load PA --va ADDR --tcr V --ttbr0 V [--ttbr1 V] [--mair V] [--sctlr V] [--el N]
                   [--hcr V --vtcr V --vttbr V] [--cpu MODEL] [--json]
`;

function num(s: string | undefined, what: string): bigint {
  if (s === undefined) throw new LoadError(`missing ${what}`);
  try {
    const v = BigInt(s.replace(/_/g, ''));
    if (v < 0n || v >= 1n << 64n) throw new Error('range');
    return v;
  } catch {
    throw new LoadError(`${what}: '${s}' is not a 64-bit number (use 0x… for hex)`);
  }
}

export async function walkCommand(
  args: string[],
  run: (vm: VirtMachine, timeoutSec: number | undefined) => Promise<number>,
): Promise<number> {
  let p;
  try {
    p = parseArgs({
      args,
      allowPositionals: true,
      options: {
        va: { type: 'string' },
        access: { type: 'string', default: 'read' },
        el: { type: 'string' },
        json: { type: 'boolean', default: false },
        cpu: { type: 'string', default: 'max' },
        mem: { type: 'string', default: '128M' },
        timeout: { type: 'string', default: '30' },
        virtualization: { type: 'boolean', default: false },
        image: { type: 'string' },
        load: { type: 'string' },
        tcr: { type: 'string' },
        ttbr0: { type: 'string' },
        ttbr1: { type: 'string' },
        mair: { type: 'string' },
        sctlr: { type: 'string' },
        hcr: { type: 'string' },
        vtcr: { type: 'string' },
        vttbr: { type: 'string' },
      },
    });
  } catch (e) {
    throw new LoadError(`${(e as Error).message}\n${WALK_USAGE}`);
  }
  const o = p.values;
  const va = num(o.va, '--va');
  const access = o.access as AccessKind;
  if (!['read', 'write', 'exec'].includes(access)) throw new LoadError(`--access must be read, write or exec`);
  if (!(o.cpu in MODELS)) throw new LoadError(`unknown CPU model '${o.cpu}'`);
  let vm: VirtMachine;
  if (o.image !== undefined) {
    const bytes = new Uint8Array(readFileSync(o.image));
    const load = Number(num(o.load, '--load'));
    if (load % 4096 !== 0) throw new LoadError('--load must be 4 KiB aligned');
    const size = Math.max(1 << 20, Math.ceil(bytes.length / 4096) * 4096);
    vm = new VirtMachine(
      { cpu: o.cpu, mem: size, ramBase: load, virtualization: o.hcr !== undefined || o.virtualization },
      { write: () => {} },
    );
    vm.bus.writeBytes(load, bytes);
    const c = vm.cpu;
    const el = o.el === undefined ? 1 : Number(o.el);
    const tcrIdx = el === 3 ? R.TCR_EL3 : el === 2 ? R.TCR_EL2 : R.TCR_EL1;
    const base = el === 3 ? 2 : el === 2 ? 1 : 0;
    c.sys.set64(tcrIdx, num(o.tcr, '--tcr'));
    c.sys.set64([R.TTBR0_EL1, R.TTBR0_EL2, R.TTBR0_EL3][base], num(o.ttbr0, '--ttbr0'));
    if (o.ttbr1 !== undefined) c.sys.set64(el === 2 ? R.TTBR1_EL2 : R.TTBR1_EL1, num(o.ttbr1, '--ttbr1'));
    c.sys.set64([R.MAIR_EL1, R.MAIR_EL2, R.MAIR_EL3][base], o.mair === undefined ? 0xffn : num(o.mair, '--mair'));
    const sctlr = [R.SCTLR_EL1, R.SCTLR_EL2, R.SCTLR_EL3][base];
    c.sys.set64(sctlr, o.sctlr === undefined ? c.sys.get64(sctlr) | 1n : num(o.sctlr, '--sctlr'));
    if (o.hcr !== undefined) c.sys.set64(R.HCR_EL2, num(o.hcr, '--hcr'));
    if (o.vtcr !== undefined) c.sys.set64(R.VTCR_EL2, num(o.vtcr, '--vtcr'));
    if (o.vttbr !== undefined) c.sys.set64(R.VTTBR_EL2, num(o.vttbr, '--vttbr'));
    c.el = el;
    contextChanged(c);
  } else {
    const file = p.positionals[0];
    if (!file) throw new LoadError(`no program or --image given\n${WALK_USAGE}`);
    let data: Uint8Array;
    try {
      data = new Uint8Array(readFileSync(file));
    } catch (e) {
      throw new LoadError(`cannot read program '${file}': ${(e as Error).message}`);
    }
    const { parseSize } = await import('./armlab.js');
    vm = new VirtMachine(
      { cpu: o.cpu, mem: parseSize(o.mem), virtualization: o.virtualization },
      { write: (b) => process.stderr.write(b) },
    );
    vm.load(detect(data, file));
    await run(vm, Number(o.timeout));
  }
  const el = o.el === undefined ? vm.cpu.el : Number(o.el);
  const res = inspectTranslation(vm.cpu, vm.mmu, va, access, el);
  process.stdout.write(o.json ? JSON.stringify(res, null, 2) + '\n' : formatInspection(res) + '\n');
  return res.ok ? 0 : 1;
}

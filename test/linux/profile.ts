/**
 * Triage tool for the Linux guest (not a test): boots a kernel on one vCPU in-process and
 * samples the PC after every slice of N instructions; prints time to the marker and the
 * hottest kernel symbols (from a kallsyms file: `address type name` lines).
 *
 *   npx esbuild test/linux/profile.ts --bundle --platform=node --format=esm --outfile=/tmp/profile.mjs
 *   node /tmp/profile.mjs --kernel K --initrd I --kallsyms F [--mem 512M] [--until-marker] [--seconds S] [--slice N]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VirtMachine } from '../../core/board/virt.js';
import { detect } from '../../core/loader/detect.js';

const { values: o } = parseArgs({
  options: {
    kernel: { type: 'string' },
    initrd: { type: 'string' },
    kallsyms: { type: 'string' },
    mem: { type: 'string', default: '512' },
    append: { type: 'string', default: 'console=ttyAMA0' },
    seconds: { type: 'string', default: '60' },
    slice: { type: 'string', default: '5000' },
    input: { type: 'string' },
    cpu: { type: 'string', default: 'cortex-a57' },
    ram: { type: 'string' },
    base: { type: 'string' },
  },
});
const syms: { a: bigint; n: string }[] = [];
if (o.kallsyms) {
  for (const l of readFileSync(o.kallsyms, 'utf8').split('\n')) {
    const m = /^([0-9a-f]{16}) [tTwW] (\S+)/.exec(l);
    if (m) syms.push({ a: BigInt('0x' + m[1]), n: m[2] });
  }
  syms.sort((x, y) => (x.a < y.a ? -1 : x.a > y.a ? 1 : 0));
}
function sym(pc: bigint): string {
  if (pc < 0xffff000000000000n) return 'user';
  let lo = 0,
    hi = syms.length - 1;
  if (hi < 0 || pc < syms[0].a) return pc.toString(16);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (syms[mid].a <= pc) lo = mid;
    else hi = mid - 1;
  }
  return syms[lo].n;
}
let out = '';
let markerAt = 0;
let markerInsns = 0;
const t0 = performance.now();
const extraRam = o.ram ? [{ size: Number(o.ram.split('@')[0]) * 2 ** 20, base: Number(o.ram.split('@')[1]) }] : [];
const vm = new VirtMachine(
  { cpu: o.cpu!, mem: Number(o.mem) * 2 ** 20, ramBase: o.base ? Number(o.base) : undefined, extraRam, cmdline: o.append },
  {
    write: (b) => {
      const s = Buffer.from(b).toString('latin1');
      process.stdout.write(s);
      out += s;
      if (!markerAt && out.includes('ARMLAB-MARKER')) {
        markerAt = performance.now() - t0;
        markerInsns = vm.cpu.icount;
        if (o.input) vm.sendInput(Buffer.from(o.input.replace(/\\n/g, '\n')));
      }
    },
  },
);
vm.load(detect(readFileSync(o.kernel!), o.kernel!), readFileSync(o.initrd!));
const hist = new Map<string, number>();
const slice = Number(o.slice);
const end = t0 + Number(o.seconds) * 1000;
let idle = 0;
for (;;) {
  if (vm.cpu.halted) {
    idle++;
    await vm.waitForWake(5);
  }
  const r = vm.runSlice(slice);
  const s = sym(vm.cpu.pc);
  hist.set(s, (hist.get(s) ?? 0) + 1);
  if (r.kind !== 'budget' || performance.now() > end) break;
}
const secs = (performance.now() - t0) / 1000;
const total = [...hist.values()].reduce((a, b) => a + b, 0);
process.stderr.write(
  `\n--- ${secs.toFixed(1)} s, ${vm.cpu.icount} insns (${(vm.cpu.icount / secs / 1e6).toFixed(1)} MIPS), marker at ${(markerAt / 1000).toFixed(2)} s after ${markerInsns} insns, idle waits ${idle}, TLB fills ${vm.cpu.mem.tlbMisses}, exceptions ${vm.cpu.excCount}\n`,
);
for (const [n, k] of [...hist].sort((a, b) => b[1] - a[1]).slice(0, 40))
  process.stderr.write(`${((100 * k) / total).toFixed(1).padStart(5)}% ${n}\n`);

/**
 * armlab CLI. `armlab run <file> [options]` boots a guest headless: console to
 * stdout, exit status = the guest's semihosting exit status (0 after PSCI SYSTEM_OFF).
 *
 * Exit statuses of our own (documented in README.md):
 *   2    usage error, unreadable or malformed input file, invalid configuration
 *   123  the guest kernel panicked ("Kernel panic - not syncing" on the console)
 *   124  timeout (--timeout)
 *   125  the guest could not go on (recursive exception loop, CPU_OFF of the last CPU, …)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { VirtMachine } from '../core/board/virt.js';
import { detect, LoadError } from '../core/loader/detect.js';
import { MODELS } from '../core/a64/models.js';
import { describeCpu } from '../core/a64/describe.js';
import { walkCommand, WALK_USAGE } from './walk.js';
import { relayStdin } from './escape.js';
import { EXIT_PANIC, EXIT_TIMEOUT, EXIT_USAGE, consoleTail, exitStatus, quitReport, type CliOutcome } from './outcome.js';
import { SmpMachine, formatSmpCounterExtras } from '../core/smp/machine.js';
import { parseTopology, type CpuSpec } from '../core/smp/topology.js';
import { formatReport, type CheckerReport } from '../core/mmu/checker.js';

const USAGE = `usage: armlab run <file> [options]
       armlab walk …            translation inspector (below)
       armlab serve [--port N]  the lab in a browser
       armlab matrix <file> --axis NAME=V1,V2 …  a configuration matrix (armlab matrix -h)
       armlab kvm [--selftest]  what this host's KVM offers; the KVM backend's self-tests
       armlab run --kernel <Image> [--initrd <file>] [--append <args>] [options]

options:
  --cpu MODEL        CPU model: ${Object.keys(MODELS).join(', ')} (default cortex-a57);
                     or a list of clusters, e.g. 2xcortex-a72,2xcortex-a53 (big.LITTLE)
  --cpus N           number of vCPUs (1..8; more than one runs each vCPU in its own worker thread)
  --mem SIZE[@BASE]  RAM size, e.g. 128M, 1G (default 128M at 0x40000000), optionally placed at BASE
  --ram SIZE@BASE    another RAM region (repeatable), e.g. --ram 64M@0x8000000000 above 512 GiB
  --timeout SEC      stop with status ${EXIT_TIMEOUT} after SEC seconds of wall time
                     (a Linux "Kernel panic - not syncing" stops the run with status ${EXIT_PANIC};
                     both print the vCPUs' PC, EL, ESR/FAR and the last console lines)
  --virtualization   EL2 exists; the guest starts at EL2 (QEMU virt,virtualization=on)
  --secure           EL3 exists; the guest starts at EL3 (QEMU virt,secure=on)
  --gic 2|3          interrupt controller (QEMU virt,gic-version=N): 3 (default) GICv3 with
                     ICC_* registers; 2 GICv2, distributor + memory-mapped CPU interface
  --kernel FILE      kernel or program to boot (instead of <file>)
  --append ARGS      kernel command line
  --initrd FILE      initial ramdisk
  --stats            print run statistics to stderr at the end
  --backend B        tcg (default: armlab's emulator) or kvm (Linux KVM on an arm64 host:
                     the host CPU, in-kernel vGICv3, the same board devices and memory layout)
  --check            TLB-maintenance checker: report stale translations (missing TLBI/DSB)
                     and break-before-make violations, with vCPU, PC, VA, descriptor PA, old/new

${WALK_USAGE}`;

export function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?$/i.exec(s.trim());
  if (!m) throw new LoadError(`bad size '${s}' (examples: 128M, 1G, 1048576)`);
  const mult = { '': 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 }[m[2].toLowerCase()] ?? 1;
  const v = Math.round(Number(m[1]) * mult);
  if (v % 4096 !== 0) throw new LoadError(`size '${s}' is not a multiple of 4 KiB`);
  return v;
}

/** SIZE[@BASE] (BASE hex or decimal); BASE is required for extra regions. */
export function parseRegion(s: string, needBase: boolean): { base: number | undefined; size: number } {
  const [size, base] = s.split('@');
  if (needBase && base === undefined) throw new LoadError(`RAM region '${s}' needs a base: SIZE@BASE, e.g. 64M@0x100000000`);
  let b: number | undefined;
  if (base !== undefined) {
    b = Number(base.replace(/_/g, ''));
    if (!Number.isSafeInteger(b) || b < 0 || b % 4096 !== 0)
      throw new LoadError(`bad RAM base '${base}' (a 4 KiB aligned address, e.g. 0x100000000)`);
  }
  return { base: b, size: parseSize(size) };
}

class UsageError extends Error {}

/** --check: TLB-maintenance checker reports on stderr as they come (the first 50), and a summary. */
class CheckPrinter {
  private n = 0;
  private readonly byKind = new Map<string, number>();
  add = (r: CheckerReport): void => {
    this.n++;
    this.byKind.set(r.kind, (this.byKind.get(r.kind) ?? 0) + 1);
    if (this.n <= 50) process.stderr.write(formatReport(r) + '\n');
  };
  summary(): void {
    const kinds = [...this.byKind].map(([k, v]) => `${k} ${v}`).join(', ');
    process.stderr.write(`armlab: checker: ${this.n} report(s)${kinds ? ': ' + kinds : ''}\n`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if ((cmd === 'run' || cmd === 'walk' || cmd === 'serve') && wantsHelp(rest)) {
    process.stdout.write(cmd === 'serve' ? (await import('./serve.js')).SERVE_USAGE : cmd === 'walk' ? WALK_USAGE : USAGE);
    return 0;
  }
  try {
    switch (cmd) {
      case 'run':
        return await runCommand(rest);
      case 'serve':
        return await (await import('./serve.js')).serveCommand(rest);
      case 'kvm':
        return await (await import('./kvm.js')).kvmCommand(rest);
      case 'matrix':
        return await (await import('./matrix.js')).matrixCommand(rest);
      case 'walk':
        return await walkCommand(rest, async (vm, t) => {
          await runToEnd(vm, t, false);
          return 0;
        });
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        process.stdout.write(USAGE);
        return cmd === undefined ? EXIT_USAGE : 0;
      default:
        throw new UsageError(`unknown command '${cmd}'`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof LoadError) {
      process.stderr.write(`armlab: ${e.message}\n`);
      if (e instanceof UsageError) process.stderr.write(USAGE);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/** `-h`/`--help` among a command's options (before a `--`). */
function wantsHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new LoadError(`cannot read ${what} '${path}': ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
  }
}

async function runCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        cpu: { type: 'string', default: 'cortex-a57' },
        cpus: { type: 'string', default: '1' },
        mem: { type: 'string', default: '128M' },
        ram: { type: 'string', multiple: true, default: [] },
        timeout: { type: 'string' },
        virtualization: { type: 'boolean', default: false },
        secure: { type: 'boolean', default: false },
        gic: { type: 'string', default: '3' },
        kernel: { type: 'string' },
        append: { type: 'string' },
        initrd: { type: 'string' },
        stats: { type: 'boolean', default: false },
        check: { type: 'boolean', default: false },
        backend: { type: 'string', default: 'tcg' },
      },
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const o = parsed.values;
  const checker = o.check ? new CheckPrinter() : undefined;
  const file = o.kernel ?? parsed.positionals[0];
  if (!file) throw new UsageError('no program or kernel given');
  if (o.kernel && parsed.positionals.length > 0) throw new UsageError('give either <file> or --kernel, not both');
  if (parsed.positionals.length > 1) throw new UsageError(`unexpected argument '${parsed.positionals[1]}'`);
  const cpusGiven = args.some((a) => a === '--cpus' || a.startsWith('--cpus='));
  let topology: CpuSpec[];
  try {
    topology = parseTopology(o.cpu, cpusGiven ? Number(o.cpus) : undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const cpus = topology.length;
  if (!Number.isInteger(cpus) || cpus < 1) throw new UsageError(`--cpus must be a positive integer, not '${o.cpus}'`);
  const timeoutSec = o.timeout === undefined ? undefined : Number(o.timeout);
  if (timeoutSec !== undefined && !(timeoutSec > 0))
    throw new UsageError(`--timeout must be a positive number of seconds, not '${o.timeout}'`);
  if (o.backend !== 'tcg' && o.backend !== 'kvm') throw new UsageError(`--backend must be tcg or kvm, not '${o.backend}'`);
  if (o.gic !== '2' && o.gic !== '3') throw new UsageError(`--gic must be 2 or 3, not '${o.gic}'`);
  const gic: 2 | 3 = o.gic === '2' ? 2 : 3;
  if (gic === 2 && o.secure)
    throw new UsageError('--gic 2 with --secure: the GICv2 model has no Security Extensions (QEMU adds them with secure=on)');
  const loadable = detect(readInput(file, 'program'), file);
  const main = parseRegion(o.mem, false);
  if (o.backend === 'kvm') {
    const cpuGiven = args.some((a) => a === '--cpu' || a.startsWith('--cpu='));
    const tcgOnly = [
      cpuGiven && '--cpu (KVM vCPUs are the host CPU)',
      o.virtualization && '--virtualization',
      o.secure && '--secure',
      o.check && '--check',
    ];
    const bad = tcgOnly.filter(Boolean);
    if (bad.length > 0) throw new UsageError(`--backend kvm does not take ${bad.join(', ')}`);
    const { runKvm } = await import('./run-kvm.js');
    return runKvm(
      {
        config: {
          cpus,
          memory: [
            { base: main.base ?? 0x4000_0000, size: main.size },
            ...o.ram.map((r) => parseRegion(r, true) as { base: number; size: number }),
          ],
          cmdline: o.append,
          gic,
        },
        program: loadable,
        initrd: o.initrd ? readInput(o.initrd, 'initrd') : undefined,
        timeoutSec,
        stats: o.stats,
      },
      consoleOut,
      flushConsole,
    );
  }
  const config = {
    cpu: topology[0].model,
    cpus,
    topology: topology.some((t) => t.model !== topology[0].model || t.affinity >= 8) ? topology : undefined,
    mem: main.size,
    ramBase: main.base,
    extraRam: o.ram.map((r) => parseRegion(r, true) as { base: number; size: number }),
    virtualization: o.virtualization,
    secure: o.secure,
    cmdline: o.append,
    gic,
  };
  if (cpus > 1) {
    const smp = new SmpMachine(config, consoleOut, new URL('./vcpu-worker.js', import.meta.url), checker?.add);
    smp.load(loadable, o.initrd ? readInput(o.initrd, 'initrd') : undefined);
    const st = await runSmp(smp, timeoutSec, o.stats);
    checker?.summary();
    return st;
  }
  const vm = new VirtMachine(config, consoleOut);
  if (checker) vm.mmu.enableChecker(checker.add);
  vm.load(loadable, o.initrd ? readInput(o.initrd, 'initrd') : undefined);
  const st = await runToEnd(vm, timeoutSec, o.stats);
  checker?.summary();
  return st;
}

/**
 * Guest console → stdout, buffered per slice: one write per slice instead of one
 * per character, and `flushConsole()` resolves once the bytes reached the OS, so
 * exiting right after cannot truncate piped output.
 */
const pending: Uint8Array[] = [];
let pendingBytes = 0;
const consoleOut = {
  write(b: Uint8Array): void {
    consoleTail.write(b);
    pending.push(b.slice());
    pendingBytes += b.length;
    if (pendingBytes > 1 << 16) void flushConsole();
  },
};

export function flushConsole(): Promise<void> {
  if (pending.length === 0) return Promise.resolve();
  const chunk = Buffer.concat(pending);
  pending.length = 0;
  pendingBytes = 0;
  return new Promise((resolve) => process.stdout.write(chunk, () => resolve()));
}

/** Runs an SMP machine: the vCPUs run in workers; this thread relays the console and watches the clock. */
async function runSmp(smp: SmpMachine, timeoutSec: number | undefined, stats: boolean): Promise<number> {
  const t0 = performance.now();
  const deadline = timeoutSec === undefined ? Infinity : t0 + timeoutSec * 1000;
  const { esc, detach } = relayStdin((b) => smp.sendInput(b));
  smp.start();
  let timedOut = false;
  let panicked = false;
  try {
    while (!smp.stopped) {
      await new Promise((r) => setTimeout(r, 5));
      smp.drainConsole();
      await flushConsole();
      if (esc.quit) {
        await smp.finish(false);
        await flushConsole();
        quitReport(() => smp.describe());
        return 0;
      }
      if (consoleTail.panicDue()) {
        panicked = true;
        break;
      }
      if (performance.now() > deadline) {
        timedOut = true;
        break;
      }
    }
  } finally {
    detach();
  }
  const outcome = await smp.finish(timedOut);
  await flushConsole();
  const secs = (performance.now() - t0) / 1000;
  if (stats) {
    for (const k of smp.counters()) {
      process.stderr.write(
        `armlab: vCPU ${k.cpu}: ${k.instructions} instructions (${(k.instructions / secs / 1e6).toFixed(1)} MIPS), ${k.exceptions} exceptions, ` +
          `TLB fills ${k.tlbFills} hits ${k.tlbHits} walks ${k.walks}, IPIs sent ${k.ipisSent} received ${k.ipisReceived}, WFI ${(k.wfiUs / 1000).toFixed(1)} ms, ` +
          `TLBI sent ${k.tlbiSent} received ${k.tlbiReceived}, DSB waits ${k.dsbWaits} (${(k.dsbWaitUs / 1000).toFixed(1)} ms), ` +
          `ack latency avg ${k.ackLatencyAvgUs.toFixed(0)} p50 ≤${k.ackLatencyP50Us} p99 ≤${k.ackLatencyP99Us} max ${k.ackLatencyMaxUs} µs, ` +
          `${formatSmpCounterExtras(k)}\n`,
      );
    }
  }
  return exitStatus(panicked ? { kind: 'panic' } : outcome, () => smp.describe(), timeoutSec);
}

/** Runs slices of guest code, yielding to the event loop between them (stdin, timers). */
async function runToEnd(vm: VirtMachine, timeoutSec: number | undefined, stats: boolean): Promise<number> {
  const t0 = performance.now();
  const deadline = timeoutSec === undefined ? Infinity : t0 + timeoutSec * 1000;
  // stdin feeds the UART and semihosting SYS_READC, which waits for it until EOF.
  vm.openInput();
  const { esc, detach } = relayStdin(
    (b) => vm.sendInput(b),
    () => vm.endInput(),
  );
  let outcome: CliOutcome;
  let slice = 1_000_000;
  try {
    for (;;) {
      const s0 = performance.now();
      try {
        outcome = vm.runSlice(slice);
      } catch (e) {
        // A JavaScript exception inside the core is an emulator bug, never the guest's fault:
        // report it with the guest state instead of crashing.
        outcome = { kind: 'error', message: `internal error (an armlab bug, please report it): ${(e as Error).stack ?? String(e)}` };
        break;
      }
      const dt = performance.now() - s0;
      // Aim for ~20 ms slices so input and timeouts stay responsive.
      if (dt < 10) slice = Math.min(slice * 2, 50_000_000);
      else if (dt > 40) slice = Math.max(slice >> 1, 10_000);
      const flushed = flushConsole();
      if (outcome.kind !== 'budget') {
        await flushed;
        break;
      }
      if (esc.quit) {
        await flushed;
        quitReport(() => describeCpu(vm.cpu));
        outcome = { kind: 'poweroff' };
        break;
      }
      if (consoleTail.panicDue()) {
        outcome = { kind: 'panic' };
        break;
      }
      if (performance.now() > deadline) {
        outcome = { kind: 'timeout' };
        break;
      }
      // WFI/WFE: sleep until the next timer deadline, input or an interrupt (at most 50 ms at a time).
      if (vm.cpu.halted) await vm.waitForWake(50);
      else await new Promise((r) => setImmediate(r));
    }
  } finally {
    await flushConsole();
    detach();
  }
  const secs = (performance.now() - t0) / 1000;
  if (stats) {
    const c = vm.cpu;
    process.stderr.write(
      `armlab: ${c.icount} instructions in ${secs.toFixed(3)} s (${(c.icount / secs / 1e6).toFixed(1)} MIPS), ` +
        `${vm.blocks.blocksBuilt} blocks decoded, ${c.excCount} exceptions, ${c.mem.tlbMisses} TLB fills\n`,
    );
    const detail = Object.entries(vm.mmu.detailCounters()).map(([k, v]) => `${k} ${v}`);
    if (detail.length > 0) process.stderr.write(`armlab: MMU: ${detail.join(', ')}\n`);
  }
  const waiting = (): string => (vm.waitingForInput ? 'vCPU 0 is waiting in semihosting SYS_READC for console input\n' : '');
  return exitStatus(outcome, () => waiting() + describeCpu(vm.cpu), timeoutSec);
}

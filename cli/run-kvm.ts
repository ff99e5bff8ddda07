/**
 * `armlab run --backend kvm …`: the same guest on the virt board under Linux KVM
 * (arm64 hosts; core/kvm/virt-kvm.ts). Console to stdout, stdin to the UART,
 * Ctrl-A x quits (with the vCPUs' state), a Linux panic ends the run with status 123,
 * --timeout and --stats as with TCG. Where KVM cannot run AArch64
 * guests (an x86_64 host, no /dev/kvm, addon not built) it says why and exits 2.
 */
import type { ConsoleIo } from '../core/board/virt.js';
import { formatKvmCounters } from '../core/kvm/counters.js';
import { describeKvm } from '../core/kvm/info.js';
import { KvmVirt, kvmHostLimits, type KvmVirtConfig } from '../core/kvm/virt-kvm.js';
import type { Loadable } from '../core/loader/detect.js';
import { relayStdin } from './escape.js';
import { EXIT_USAGE, consoleTail, exitStatus, quitReport } from './outcome.js';

export interface KvmRunOptions {
  config: KvmVirtConfig;
  program: Loadable;
  initrd?: Uint8Array;
  timeoutSec?: number;
  stats: boolean;
}

export async function runKvm(o: KvmRunOptions, console: ConsoleIo, flushConsole: () => Promise<void>): Promise<number> {
  const info = describeKvm();
  const a64 = info.guests.find((g) => g.arch === 'aarch64');
  if (!a64?.runnable) {
    process.stderr.write(`armlab: the KVM backend cannot run AArch64 guests here: ${a64?.why ?? 'unknown'}\n`);
    return EXIT_USAGE;
  }
  const t0 = performance.now();
  const vm = await KvmVirt.create(
    o.config,
    kvmHostLimits(info),
    o.program,
    console,
    o.initrd,
    new URL('./kvm-vcpu-worker.js', import.meta.url),
  );
  const { esc, detach } = relayStdin((b) => vm.sendInput(b));
  const ended = vm.wait();
  let finished = false;
  void ended.then(() => (finished = true));
  let why: 'timeout' | 'quit' | 'panic' | undefined;
  vm.start();
  try {
    const deadline = o.timeoutSec === undefined ? Infinity : t0 + o.timeoutSec * 1000;
    while (!finished) {
      await Promise.race([ended, new Promise((r) => setTimeout(r, 10))]);
      await flushConsole();
      if (esc.quit) why = 'quit';
      else if (consoleTail.panicDue()) why = 'panic';
      else if (performance.now() > deadline) why = 'timeout';
      if (why) {
        await vm.stop();
        break;
      }
    }
  } finally {
    detach();
  }
  const outcome = await ended;
  await flushConsole();
  const secs = (performance.now() - t0) / 1000;
  const counters = vm.counters();
  const state = vm.describe();
  await vm.close();
  if (o.stats) {
    process.stderr.write(`armlab: KVM, ${secs.toFixed(3)} s, IPA ${vm.plan.ipaBits} bits\n`);
    for (const k of counters) process.stderr.write(`armlab: ${formatKvmCounters(k)}\n`);
  }
  if (why === 'quit') {
    quitReport(() => state);
    return 0;
  }
  const end = why === 'timeout' ? { kind: 'timeout' as const } : why === 'panic' ? { kind: 'panic' as const } : outcome;
  return exitStatus(end, () => state, o.timeoutSec, ' (KVM)');
}

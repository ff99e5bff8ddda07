// Device under test: run a bare-metal guest ELF with our CLI as a subprocess,
// `node bin/armlab.mjs run <elf> --timeout <sec>`. CLI contract: guest console
// on stdout, exit status = the guest's semihosting exit status (0 after PSCI
// SYSTEM_OFF). The CPU model is always `max`, as the QEMU oracle's
// `-cpu max` (the guests use LSE, CRC32, RCpc); entry-EL and RAM options are
// passed only when a program asks for them (--virtualization / --secure /
// --mem <n>M), mirroring QEMU's virt machine options.
import path from 'node:path';
import { repoRoot } from './programs';
import { runProcess, type GuestRunOptions, type GuestRunResult } from './run';

export type { GuestRunOptions, GuestRunResult } from './run';

const cli = path.join(repoRoot, 'bin/armlab.mjs');

export function armlabArgs(elf: string, opts: GuestRunOptions): string[] {
  const timeoutSec = String(Math.max(1, Math.ceil(opts.timeoutMs / 1000)));
  const args = [cli, 'run', path.resolve(elf), '--cpu', 'max', '--timeout', timeoutSec];
  if (opts.virtualization) args.push('--virtualization');
  if (opts.secure) args.push('--secure');
  if (opts.mem !== undefined) args.push('--mem', `${opts.mem}M`);
  if (opts.armlabArgs) args.push(...opts.armlabArgs);
  return args;
}

export function runArmlab(elf: string, opts: GuestRunOptions): Promise<GuestRunResult> {
  // The CLI enforces --timeout itself; the extra margin only catches a hung CLI.
  return runProcess(process.execPath, armlabArgs(elf, opts), opts.timeoutMs + 5000, repoRoot);
}

// Shared subprocess runner for the guest oracles (QEMU and armlab).
import { spawn } from 'node:child_process';

export interface GuestRunOptions {
  /** Wall-clock limit; the process is killed (SIGKILL) after it. */
  timeoutMs: number;
  /** Enter at EL2 (QEMU `-M virt,virtualization=on`). */
  virtualization?: boolean;
  /** Enter at EL3 (QEMU `-M virt,secure=on`). */
  secure?: boolean;
  /** Guest RAM in MiB (default 128, as QEMU). */
  mem?: number;
  /** GIC version (QEMU -M virt,gic-version=N; default 3). */
  gic?: 2 | 3;
  /** Extra arguments for armlab's CLI (armlab-only programs). */
  armlabArgs?: readonly string[];
}

export interface GuestRunResult {
  /** Guest console output: PL011 UART and semihosting, interleaved. */
  stdout: string;
  /** Exit status: the guest's semihosting exit status (0 after PSCI SYSTEM_OFF). */
  status: number;
  timedOut: boolean;
  /** Diagnostics from the emulator itself (not compared). */
  stderr: string;
}

export function runProcess(cmd: string, args: readonly string[], timeoutMs: number, cwd?: string): Promise<GuestRunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const finish = (status: number, extraErr = ''): void => {
      clearTimeout(timer);
      resolve({
        stdout: Buffer.concat(out).toString('latin1'),
        stderr: Buffer.concat(err).toString('utf8') + extraErr,
        status,
        timedOut,
      });
    };
    child.on('error', (e) => finish(-1, `spawn ${cmd}: ${e.message}\n`));
    child.on('close', (code, signal) => {
      finish(code ?? (signal ? 128 + (signalNumbers[signal] ?? 0) : -1));
    });
  });
}

const signalNumbers: Record<string, number> = { SIGINT: 2, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGTERM: 15 };

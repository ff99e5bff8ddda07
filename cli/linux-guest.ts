/**
 * The Linux guest of the test:linux lane and `npm run bench:linux`: where `npm run guest:fetch`
 * (scripts/fetch-guest.sh) put it, how armlab and QEMU boot it (same kernel, initramfs, command
 * line, CPU model), and a console driver: wait for output matching a pattern, then type a line
 * (armlab forwards stdin to the PL011; so does QEMU with -nographic).
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ConsoleResult {
  /** Everything the guest printed. */
  output: string;
  status: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export class GuestConsole {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  stderr = '';
  /** Offset after the last match: waits only look at newer output. */
  private cursor = 0;
  private readonly done: Promise<ConsoleResult>;
  private listeners: (() => void)[] = [];
  exited = false;

  constructor(cmd: string, args: readonly string[]) {
    this.child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (b: Buffer) => {
      this.output += b.toString('latin1');
      this.notify();
    });
    this.child.stderr.on('data', (b: Buffer) => {
      this.stderr += b.toString('utf8');
    });
    this.child.stdin.on('error', () => {});
    this.done = new Promise((resolve) => {
      const end = (status: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exited) return;
        this.exited = true;
        this.notify();
        resolve({ output: this.output, status, signal, stderr: this.stderr });
      };
      // Spawn failures (no such program: ENOENT) come as 'error', and then no 'close' may follow.
      this.child.on('error', (e) => {
        this.stderr += `cannot run ${cmd}: ${e.message}\n`;
        end(null, null);
      });
      this.child.on('close', end);
    });
  }

  private notify(): void {
    const l = this.listeners;
    this.listeners = [];
    for (const f of l) f();
  }

  /** Waits until the output after the cursor matches `re`; returns the match and moves the cursor past it. */
  async waitFor(re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const t0 = Date.now();
    for (;;) {
      const tail = this.output.slice(this.cursor);
      const m = re.exec(tail);
      if (m) {
        this.cursor += m.index + m[0].length;
        return m;
      }
      if (this.exited) throw new Error(`guest exited before ${re}; last output:\n${this.output.slice(-2000)}\nstderr:\n${this.stderr}`);
      const left = timeoutMs - (Date.now() - t0);
      if (left <= 0) throw new Error(`timeout waiting for ${re}; last output:\n${this.output.slice(-2000)}\nstderr:\n${this.stderr}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 1000));
        this.listeners.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  send(text: string): void {
    this.child.stdin.write(text);
  }

  /** Types a command, then waits for a unique end marker it echoes; returns what the command printed. */
  async run(cmd: string, timeoutMs: number): Promise<string> {
    const tag = `__END${Math.floor(Math.random() * 1e9)}__`;
    const typed = `${tag.slice(0, 5)}''${tag.slice(5)}`;
    this.send(`${cmd}; echo ${typed}\n`);
    // The echo of the typed line contains `__END''N__`; the output contains `__ENDN__`.
    const start = this.cursor;
    await this.waitFor(new RegExp(tag), timeoutMs);
    const text = this.output.slice(start, this.cursor - tag.length);
    // Drop everything up to the end of the echoed command line (prompt, terminal queries, echo).
    // The line can be echoed twice: by the tty in cooked mode when it arrives before the shell's
    // prompt, and again by the shell's line editor.
    const echo = text.lastIndexOf(typed);
    const nl = text.indexOf('\n', echo < 0 ? 0 : echo);
    return (nl >= 0 ? text.slice(nl + 1) : text).replace(/\r/g, '');
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  wait(timeoutMs: number): Promise<ConsoleResult> {
    const t = setTimeout(() => this.kill(), timeoutMs);
    return this.done.finally(() => clearTimeout(t));
  }
}

/** The repository root (this file is cli/linux-guest.ts, or dist/bench-linux.js once bundled). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Guest {
  /** linux-image-*-cloud-arm64's vmlinuz (an uncompressed arm64 Image). */
  kernel: string;
  /** The plain linux-image-*-arm64 flavour's vmlinuz. */
  kernelArm64: string;
  initrd: string;
  marker: string;
}

/** The cached guest (scripts/fetch-guest.sh --print re-checks its sha256 sums); throws with the fix when absent. */
export function cachedGuest(): Guest {
  let env: string;
  try {
    env = execFileSync('bash', [path.join(repoRoot, 'scripts/fetch-guest.sh'), '--print'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(`no Linux guest: run 'npm run guest:fetch' first (${((e as { stderr?: string }).stderr ?? String(e)).trim()})`, {
      cause: e,
    });
  }
  const v: Record<string, string> = {};
  for (const line of env.split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    // guest.env single-quotes every value; a quote inside is written '\''.
    if (m) v[m[1]] = m[2].replace(/^'(.*)'$/, '$1').replace(/'\\''/g, "'");
  }
  return { kernel: v.KERNEL, kernelArm64: v.KERNEL_ARM64, initrd: v.INITRD, marker: v.MARKER };
}

export const APPEND = 'console=ttyAMA0 earlycon=pl011,0x9000000';
export const CPU = 'cortex-a57';

export interface BootOptions {
  cpus: number;
  /** armlab --cpu (default CPU, cortex-a57). */
  cpu?: string;
  /** armlab --mem (SIZE[@BASE]); QEMU -m takes the size only. */
  mem?: string;
  kernel?: string;
  append?: string;
  timeoutSec?: number;
}

export function armlabCommand(g: Guest, o: BootOptions): [string, string[]] {
  const args = [
    path.join(repoRoot, 'bin/armlab.mjs'),
    'run',
    '--kernel',
    o.kernel ?? g.kernel,
    '--initrd',
    g.initrd,
    '--append',
    o.append ?? APPEND,
  ];
  args.push('--cpu', o.cpu ?? CPU, '--cpus', String(o.cpus), '--mem', o.mem ?? '512M');
  if (o.timeoutSec) args.push('--timeout', String(o.timeoutSec));
  return [process.execPath, args];
}

export const qemuBinary = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';

export function qemuCommand(g: Guest, o: BootOptions): [string, string[]] {
  const mem = (o.mem ?? '512M').split('@')[0];
  return [
    qemuBinary,
    [
      '-M',
      'virt,gic-version=3',
      '-cpu',
      CPU,
      '-smp',
      String(o.cpus),
      '-m',
      mem,
      '-kernel',
      o.kernel ?? g.kernel,
      '-initrd',
      g.initrd,
      '-append',
      o.append ?? APPEND,
      '-nographic',
      '-no-reboot',
    ],
  ];
}

/** Starts a boot and waits for the marker and the shell prompt; returns the console and the time to the marker (ms). */
export async function bootToShell(
  cmd: [string, string[]],
  marker: string,
  timeoutMs: number,
): Promise<{ con: GuestConsole; markerMs: number }> {
  const t0 = performance.now();
  const con = new GuestConsole(cmd[0], cmd[1]);
  try {
    await con.waitFor(new RegExp(marker), timeoutMs);
    const markerMs = performance.now() - t0;
    // The prompt: input typed before the shell opened the console would be lost.
    await con.waitFor(/# /, timeoutMs);
    return { con, markerMs };
  } catch (e) {
    con.kill();
    throw e;
  }
}

/**
 * A command's output without the kernel's own messages: printk lines (`[  199.288868] hrtimer:
 * interrupt took … ns`) reach the console whenever the kernel prints, in the middle of a
 * command's output too.
 */
export function withoutKernelLog(out: string): string {
  return out
    .split('\n')
    .filter((l) => !/^\[\s*\d+\.\d+\] /.test(l))
    .join('\n');
}

/** Kernel log lines that mean something went wrong (the lane's acceptance: none of these). */
export function badLogLines(log: string): string[] {
  return log
    .split(/\r?\n/)
    .filter((l) =>
      /\bWARNING:|\bWARN\b|\bBUG\b|BUG:|Oops|SANITY CHECK|Kernel panic|Call trace:|rcu_sched self-detected stall|rcu: INFO/.test(l),
    );
}

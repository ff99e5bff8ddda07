/**
 * How `armlab run` ends, whatever ran the guest (TCG on one vCPU, SMP workers, KVM): the CLI's
 * exit statuses (README.md) and the report on stderr of where a run that did not finish stopped:
 * the vCPUs' state (PC, exception level, ESR/FAR of the last exception) and the last console lines.
 */
import type { RunOutcome } from '../core/board/virt.js';

export const EXIT_USAGE = 2;
/** The guest's kernel printed "Kernel panic - not syncing" (Linux's panic()). */
export const EXIT_PANIC = 123;
export const EXIT_TIMEOUT = 124;
export const EXIT_GUEST_ERROR = 125;

/** Lines of guest console kept for failure reports. */
export const TAIL_LINES = 20;
/** How long a panicking kernel may go on printing (its backtrace, "---[ end Kernel panic") before the run stops. */
export const PANIC_GRACE_MS = 3000;

const PANIC = 'Kernel panic - not syncing';
const PANIC_END = '---[ end Kernel panic';

/**
 * The guest console as it passes to stdout: keeps the last `TAIL_LINES` lines for the report and
 * watches for a Linux panic. Fed with raw bytes (latin1; the console is a byte stream).
 */
export class ConsoleTail {
  private lines: string[] = [];
  private partial = '';
  /** performance.now() when the panic line appeared, or 0. */
  panicAt = 0;
  /** The kernel printed its "---[ end Kernel panic" line. */
  panicEnded = false;

  write(b: Uint8Array): void {
    let text = this.partial + Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
    const nl = text.lastIndexOf('\n');
    if (nl >= 0) {
      for (const l of text.slice(0, nl).split('\n')) this.addLine(l.replace(/\r$/, ''));
      text = text.slice(nl + 1);
    }
    // A line without its newline yet (a prompt, a long line): keep its end only.
    this.partial = text.length > 4096 ? text.slice(-4096) : text;
    if (this.panicAt === 0 && this.partial.includes(PANIC)) this.panicAt = performance.now();
  }

  private addLine(l: string): void {
    if (this.panicAt === 0 && l.includes(PANIC)) this.panicAt = performance.now();
    if (this.panicAt !== 0 && l.includes(PANIC_END)) this.panicEnded = true;
    this.lines.push(l);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
  }

  /** The kernel panicked and has had time to finish its message: stop the run now. */
  panicDue(): boolean {
    return this.panicAt !== 0 && (this.panicEnded || performance.now() - this.panicAt > PANIC_GRACE_MS);
  }

  /** The last console lines (the unfinished one too), oldest first. */
  tail(): string[] {
    const all = this.partial === '' ? this.lines : [...this.lines, this.partial];
    return all.slice(-TAIL_LINES);
  }

  /** The tail as a report block, or '' when the guest printed nothing. */
  report(): string {
    const t = this.tail();
    if (t.length === 0) return 'armlab: the guest printed nothing on the console\n';
    // Control characters other than tab would garble the terminal the report goes to.
    // eslint-disable-next-line no-control-regex
    const clean = t.map((l) => '  | ' + l.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '.'));
    return `armlab: last ${t.length} console line(s):\n${clean.join('\n')}\n`;
  }
}

/** The console tail of this process's run (the CLI runs one guest). */
export const consoleTail = new ConsoleTail();

/** What a run can end in beyond the board's own outcomes: the CLI stopped it after a guest panic. */
export type CliOutcome = RunOutcome | { kind: 'stopped' } | { kind: 'panic' };

/**
 * The exit status for `o`; timeouts, panics and errors also print `describe()` (the vCPUs' state)
 * and the last console lines. `backend` is appended to the timeout line (e.g. " (KVM)").
 */
export function exitStatus(o: CliOutcome, describe: () => string, timeoutSec?: number, backend = ''): number {
  const report = (head: string): void => {
    process.stderr.write(`${head}\n${describe()}\n${consoleTail.report()}`);
  };
  switch (o.kind) {
    case 'exit':
      return o.status;
    case 'poweroff':
      return 0;
    case 'reset':
      process.stderr.write('armlab: guest requested a system reset; stopping (reset is not emulated as a reboot)\n');
      return 0;
    case 'timeout':
      report(`armlab: timeout after ${timeoutSec} s${backend}`);
      return EXIT_TIMEOUT;
    case 'panic':
      report(`armlab: the guest kernel panicked (status ${EXIT_PANIC})${backend}`);
      return EXIT_PANIC;
    case 'error':
      report(`armlab: ${o.message}`);
      return EXIT_GUEST_ERROR;
    default:
      report(`armlab: the run ended without a guest outcome (${o.kind})`);
      return EXIT_GUEST_ERROR;
  }
}

/**
 * Ctrl-A x: a short "where it was" (PC, exception level, last ESR/FAR per vCPU), not the full
 * register dump — the user asked to quit, nothing failed.
 */
export function quitReport(describe: () => string): void {
  const all = describe().split('\n');
  const picked = all.filter((l) => /PC=|last exception/.test(l));
  const short = picked.length > 0 ? picked : all.slice(0, 3);
  process.stderr.write(`\narmlab: terminated by Ctrl-A x; vCPU state at quit:\n${short.map((l) => '  ' + l.trim()).join('\n')}\n`);
}

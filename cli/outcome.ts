/**
 * How `armlab run` ends, whatever ran the guest (TCG on one vCPU, SMP workers, KVM): the CLI's
 * exit statuses (README.md) and the report on stderr of where a run that did not finish stopped.
 */
import type { RunOutcome } from '../core/board/virt.js';

export const EXIT_USAGE = 2;
export const EXIT_TIMEOUT = 124;
export const EXIT_GUEST_ERROR = 125;

/**
 * The exit status for `o`; timeouts and errors also print `describe()` (the vCPUs' state).
 * `backend` is appended to the timeout line (e.g. " (KVM)").
 */
export function exitStatus(o: RunOutcome | { kind: 'stopped' }, describe: () => string, timeoutSec?: number, backend = ''): number {
  switch (o.kind) {
    case 'exit':
      return o.status;
    case 'poweroff':
      return 0;
    case 'reset':
      process.stderr.write('armlab: guest requested a system reset; stopping (reset is not emulated as a reboot)\n');
      return 0;
    case 'timeout':
      process.stderr.write(`armlab: timeout after ${timeoutSec} s${backend}\n${describe()}\n`);
      return EXIT_TIMEOUT;
    case 'error':
      process.stderr.write(`armlab: ${o.message}\n${describe()}\n`);
      return EXIT_GUEST_ERROR;
    default:
      process.stderr.write(`armlab: the run ended without a guest outcome (${o.kind})\n${describe()}\n`);
      return EXIT_GUEST_ERROR;
  }
}

// Reference oracle: run a bare-metal guest ELF under Debian's qemu-system-aarch64.
//
// The command line (see qemuArgs) gives a stdout with exactly the guest's PL011
// output and semihosting console output, interleaved in order, and nothing
// else: no default devices (-nodefaults), no display, no monitor, and one
// stdio chardev multiplexed (mux=on is required: a chardev without a mux can
// have only one frontend) between the UART and semihosting. QEMU exits with
// the guest's semihosting SYS_EXIT status, and with 0 on PSCI SYSTEM_OFF.
import { runProcess, type GuestRunOptions, type GuestRunResult } from './run';

export type { GuestRunOptions, GuestRunResult } from './run';

export const qemuBinary = process.env.QEMU_SYSTEM_AARCH64 ?? 'qemu-system-aarch64';

export function qemuArgs(elf: string, opts: Omit<GuestRunOptions, 'timeoutMs'> = {}): string[] {
  // armlab's virt board has a GICv3 unless a program asks for a GICv2 (QEMU 7.2's virt defaults to a GICv2).
  const machine = ['virt', `gic-version=${opts.gic ?? 3}`];
  if (opts.virtualization) machine.push('virtualization=on');
  if (opts.secure) machine.push('secure=on');
  const options: [string, string][] = [
    ['-M', machine.join(',')],
    ['-cpu', 'max'],
    ['-m', `${opts.mem ?? 128}M`],
    ['-display', 'none'],
    ['-monitor', 'none'],
    ['-chardev', 'stdio,id=con,mux=on'],
    ['-serial', 'chardev:con'],
    ['-semihosting-config', 'enable=on,target=native,chardev=con'],
    ['-kernel', elf],
  ];
  return ['-nodefaults', ...options.flat()];
}

export function runQemu(elf: string, opts: GuestRunOptions): Promise<GuestRunResult> {
  return runProcess(qemuBinary, qemuArgs(elf, opts), opts.timeoutMs);
}

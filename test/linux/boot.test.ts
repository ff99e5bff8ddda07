// test:linux — Debian's arm64 kernel with the busybox initramfs, under armlab and QEMU.
// Needs `npm run guest:fetch` (the npm script runs it first). Slow: minutes per boot under armlab.
import { describe, it, expect, beforeAll } from 'vitest';
import {
  armlabCommand,
  badLogLines,
  bootToShell,
  cachedGuest,
  qemuCommand,
  withoutKernelLog,
  type BootOptions,
  type Guest,
} from '../../cli/linux-guest';

/** The workload, run once (1 vCPU): about a minute under armlab. */
export const WORKLOAD_FULL = 'seq 1 100000 | sort -n | md5sum';
/** Small enough for an interpreter, big enough to exercise sort's allocator and page faults (2 vCPUs). */
export const WORKLOAD = 'seq 1 20000 | sort -n | md5sum';
const workloadFor = (cpus: number): string => (cpus === 1 ? WORKLOAD_FULL : WORKLOAD);

const BOOT_MS = 600_000;

let guest: Guest;
const qemuAnswer = new Map<number, string>();

beforeAll(() => {
  guest = cachedGuest();
});

async function workload(
  cmd: [string, string[]],
  work: string,
): Promise<{ answer: string; cpuinfo: string; year: string; log: string; status: number | null; markerMs: number; interruptMs: number }> {
  const { con, markerMs } = await bootToShell(cmd, guest.marker, BOOT_MS);
  try {
    const cpuinfo = await con.run('cat /proc/cpuinfo', 60_000);
    // The PL031 RTC sets the clock at boot (rtc-pl031: "setting system clock to …").
    const year = withoutKernelLog(await con.run('date +%Y', 60_000)).trim();
    // Interactive: the shell owns the console as its controlling tty, so Ctrl-C interrupts a foreground command.
    con.send('sleep 600\n');
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = performance.now();
    con.send('\x03');
    await con.run('true', 60_000);
    const interruptMs = performance.now() - t0;
    // The 2026-11-21 lane run got QEMU's md5 with "[  199.288868] hrtimer: interrupt took 42830560 ns" before it.
    const answer = withoutKernelLog(await con.run(work, BOOT_MS)).trim();
    con.send('poweroff -f\n');
    const r = await con.wait(120_000);
    return { answer, cpuinfo, year, log: r.output, status: r.status, markerMs, interruptMs };
  } finally {
    con.kill();
  }
}

type Console = Awaited<ReturnType<typeof bootToShell>>['con'];

/** Boot `cmd` to the shell, run `fn` there, then `poweroff -f`: a clean kernel log and status 0. Returns fn's result. */
async function inShell<T>(cmd: [string, string[]], fn: (con: Console) => Promise<T>): Promise<T> {
  const { con } = await bootToShell(cmd, guest.marker, BOOT_MS);
  try {
    const v = await fn(con);
    con.send('poweroff -f\n');
    const end = await con.wait(120_000);
    expect(badLogLines(end.output)).toEqual([]);
    expect(end.status).toBe(0);
    return v;
  } finally {
    con.kill();
  }
}

/** The host's year: the guest's clock comes from the PL031, which counts host time. */
const hostYear = String(new Date().getUTCFullYear());

describe.each([1, 2])('Debian cloud-arm64 kernel, %i vCPU(s)', (cpus) => {
  const opts: BootOptions = { cpus };

  it(`QEMU oracle: boots to the shell, Ctrl-C, answers \`${workloadFor(cpus)}\``, { timeout: 300_000 }, async () => {
    const r = await workload(qemuCommand(guest, opts), workloadFor(cpus));
    expect(r.answer).toMatch(/^[0-9a-f]{32} {2}-$/);
    expect(r.interruptMs).toBeLessThan(60_000);
    expect(r.status).toBe(0);
    qemuAnswer.set(cpus, r.answer);
  });

  it(
    `armlab: marker, /proc/cpuinfo, the RTC's year, Ctrl-C, the same \`${workloadFor(cpus)}\` answer as QEMU, a clean log, poweroff -f → status 0`,
    { timeout: 3 * BOOT_MS },
    async () => {
      const r = await workload(armlabCommand(guest, opts), workloadFor(cpus));
      expect(badLogLines(r.log)).toEqual([]);
      expect(r.cpuinfo.match(/^processor\s*:/gm)?.length).toBe(cpus);
      expect(r.log).toMatch(/rtc-pl031 9010000\.pl031: setting system clock to/);
      expect(Number(r.year)).toBeGreaterThanOrEqual(2025);
      expect(r.year).toBe(hostYear);
      expect(r.answer).toBe(qemuAnswer.get(cpus) ?? '(QEMU did not answer)');
      expect(r.status).toBe(0);
      console.log(`armlab ${cpus} vCPU(s): marker after ${(r.markerMs / 1000).toFixed(1)} s`);
    },
  );
});

describe('--virtualization: entry at EL2', () => {
  // armlab's DT gives the GIC node no maintenance interrupt, so the guest's KVM finds no vGIC
  // (QEMU's log has "kvm [1]: vgic interrupt IRQ9"; armlab's does not): KVM initialises without
  // an in-kernel irqchip and never uses the list registers, which armlab does not deliver.
  // cortex-a57 has no FEAT_VHE: the kernel keeps EL2 for its hypervisor stub (nVHE, "Hyp mode").
  // max has FEAT_VHE (ID_AA64MMFR1_EL1.VH = 1): the kernel itself runs at EL2 with HCR_EL2.E2H = 1,
  // its EL1 register accesses redirected to EL2 and its timer the EL2 physical timer ("VHE mode").
  it.each([
    ['cortex-a57', 'Hyp mode initialized successfully'],
    ['max', 'VHE mode initialized successfully'],
  ])(
    'armlab --cpu %s boots at EL2: "CPU: All CPU(s) started at EL2", KVM says "%s", a clean log, poweroff -f → 0',
    { timeout: 3 * BOOT_MS },
    async (cpu, kvmLine) => {
      const [cmd, args] = armlabCommand(guest, { cpus: 1, cpu });
      const { con } = await bootToShell([cmd, [...args, '--virtualization']], guest.marker, BOOT_MS);
      try {
        con.send('poweroff -f\n');
        const end = await con.wait(120_000);
        expect(end.output).toMatch(/CPU: All CPU\(s\) started at EL2/);
        expect(end.output).toContain(`kvm [1]: ${kvmLine}`);
        expect(badLogLines(end.output)).toEqual([]);
        expect(end.status).toBe(0);
      } finally {
        con.kill();
      }
    },
  );
});

describe('RAM above 4 GiB', () => {
  it('armlab boots with all RAM at 0x1_0000_0000 (--mem 1G@0x100000000) and powers off', { timeout: 3 * BOOT_MS }, async () => {
    const meminfo = await inShell(armlabCommand(guest, { cpus: 1, mem: '1G@0x100000000' }), async (con) =>
      withoutKernelLog(await con.run('head -1 /proc/meminfo; cat /proc/iomem | grep -i ram', 60_000)),
    );
    expect(meminfo).toMatch(/100000000-13fffffff : System RAM/);
  });
});

describe('RAM across 4 GiB, as QEMU -m 5G', () => {
  it('armlab --mem 5G: the same System RAM range as QEMU -m 5G, and powers off', { timeout: 3 * BOOT_MS }, async () => {
    const ram = async (cmd: [string, string[]]): Promise<string> =>
      withoutKernelLog(await inShell(cmd, (con) => con.run('grep -i "system ram" /proc/iomem', 60_000))).trim();
    const qemu = await ram(qemuCommand(guest, { cpus: 1, mem: '5G' }));
    expect(qemu).toBe('40000000-17fffffff : System RAM');
    expect(await ram(armlabCommand(guest, { cpus: 1, mem: '5G' }))).toBe(qemu);
  });
});

describe('RAM in two regions with a hole', () => {
  // Took ~2 minutes in ftrace_process_locs while every TLBI by VA scanned the whole TLB (fixed in a60b5bb).
  it('armlab --mem 1G --ram 1G@0x100000000: both ranges are System RAM, and powers off', { timeout: 3 * BOOT_MS }, async () => {
    const [cmd, args] = armlabCommand(guest, { cpus: 1, mem: '1G' });
    const r = withoutKernelLog(
      await inShell([cmd, [...args, '--ram', '1G@0x100000000']], (con) => con.run('grep -i "system ram" /proc/iomem', 60_000)),
    );
    expect(r.trim().split('\n')).toEqual(['40000000-7fffffff : System RAM', '100000000-13fffffff : System RAM']);
  });
});

describe('plain arm64 flavour', () => {
  it('armlab boots linux-image-*-arm64 to the marker and powers off', { timeout: 3 * BOOT_MS }, async () => {
    await inShell(armlabCommand(guest, { cpus: 1, kernel: guest.kernelArm64 }), async () => undefined);
  });
});

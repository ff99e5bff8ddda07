// test:linux — Debian's arm64 kernel with the busybox initramfs, under armlab and QEMU.
// Needs `npm run guest:fetch` (the npm script runs it first). Slow: minutes per boot under armlab.
import { describe, it, expect, beforeAll } from 'vitest';
import { armlabCommand, badLogLines, bootToShell, cachedGuest, qemuCommand, type BootOptions, type Guest } from '../../cli/linux-guest';

/** Small enough for an interpreter, big enough to exercise sort's allocator and page faults. */
export const WORKLOAD = 'seq 1 20000 | sort -n | md5sum';

const BOOT_MS = 600_000;

let guest: Guest;
const qemuAnswer = new Map<number, string>();

beforeAll(() => {
  guest = cachedGuest();
});

async function workload(
  cmd: [string, string[]],
): Promise<{ answer: string; cpuinfo: string; log: string; status: number | null; markerMs: number; interruptMs: number }> {
  const { con, markerMs } = await bootToShell(cmd, guest.marker, BOOT_MS);
  try {
    const cpuinfo = await con.run('cat /proc/cpuinfo', 60_000);
    // Interactive: the shell owns the console as its controlling tty, so Ctrl-C interrupts a foreground command.
    con.send('sleep 600\n');
    await new Promise((r) => setTimeout(r, 2000));
    const t0 = performance.now();
    con.send('\x03');
    await con.run('true', 60_000);
    const interruptMs = performance.now() - t0;
    const answer = (await con.run(WORKLOAD, BOOT_MS)).trim();
    con.send('poweroff -f\n');
    const r = await con.wait(120_000);
    return { answer, cpuinfo, log: r.output, status: r.status, markerMs, interruptMs };
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

describe.each([1, 2])('Debian cloud-arm64 kernel, %i vCPU(s)', (cpus) => {
  const opts: BootOptions = { cpus };

  it('QEMU oracle: boots to the shell, Ctrl-C, answers the workload', { timeout: 300_000 }, async () => {
    const r = await workload(qemuCommand(guest, opts));
    expect(r.answer).toMatch(/^[0-9a-f]{32} {2}-$/);
    expect(r.interruptMs).toBeLessThan(60_000);
    expect(r.status).toBe(0);
    qemuAnswer.set(cpus, r.answer);
  });

  it(
    'armlab: marker, /proc/cpuinfo, Ctrl-C, the same workload answer as QEMU, a clean log, poweroff -f → status 0',
    { timeout: 3 * BOOT_MS },
    async () => {
      const r = await workload(armlabCommand(guest, opts));
      expect(badLogLines(r.log)).toEqual([]);
      expect(r.cpuinfo.match(/^processor\s*:/gm)?.length).toBe(cpus);
      expect(r.answer).toBe(qemuAnswer.get(cpus) ?? '(QEMU did not answer)');
      expect(r.status).toBe(0);
      console.log(`armlab ${cpus} vCPU(s): marker after ${(r.markerMs / 1000).toFixed(1)} s`);
    },
  );
});

describe('RAM above 4 GiB', () => {
  it('armlab boots with all RAM at 0x1_0000_0000 (--mem 1G@0x100000000) and powers off', { timeout: 3 * BOOT_MS }, async () => {
    const meminfo = await inShell(armlabCommand(guest, { cpus: 1, mem: '1G@0x100000000' }), (con) =>
      con.run('head -1 /proc/meminfo; cat /proc/iomem | grep -i ram', 60_000),
    );
    expect(meminfo).toMatch(/100000000-13fffffff : System RAM/);
  });
});

describe('RAM across 4 GiB, as QEMU -m 5G', () => {
  it('armlab --mem 5G: the same System RAM range as QEMU -m 5G, and powers off', { timeout: 3 * BOOT_MS }, async () => {
    const ram = async (cmd: [string, string[]]): Promise<string> =>
      (await inShell(cmd, (con) => con.run('grep -i "system ram" /proc/iomem', 60_000))).trim();
    const qemu = await ram(qemuCommand(guest, { cpus: 1, mem: '5G' }));
    expect(qemu).toBe('40000000-17fffffff : System RAM');
    expect(await ram(armlabCommand(guest, { cpus: 1, mem: '5G' }))).toBe(qemu);
  });
});

describe('RAM in two regions with a hole', () => {
  // Took ~2 minutes in ftrace_process_locs while every TLBI by VA scanned the whole TLB (fixed in a60b5bb).
  it('armlab --mem 1G --ram 1G@0x100000000: both ranges are System RAM, and powers off', { timeout: 3 * BOOT_MS }, async () => {
    const [cmd, args] = armlabCommand(guest, { cpus: 1, mem: '1G' });
    const r = await inShell([cmd, [...args, '--ram', '1G@0x100000000']], (con) => con.run('grep -i "system ram" /proc/iomem', 60_000));
    expect(r.trim().split('\n')).toEqual(['40000000-7fffffff : System RAM', '100000000-13fffffff : System RAM']);
  });
});

describe('plain arm64 flavour', () => {
  it('armlab boots linux-image-*-arm64 to the marker and powers off', { timeout: 3 * BOOT_MS }, async () => {
    await inShell(armlabCommand(guest, { cpus: 1, kernel: guest.kernelArm64 }), async () => undefined);
  });
});

// cli/linux-guest.ts's console driver (the test:linux lane and bench:linux): a missing emulator
// binary is a failed boot with a reason, not an unhandled 'error' event that kills the run.
import { describe, it, expect } from 'vitest';
import { GuestConsole, withoutKernelLog } from '../cli/linux-guest';

describe('GuestConsole', () => {
  it('reports a program that cannot be started (ENOENT) as an exit with the reason', async () => {
    const con = new GuestConsole('/nonexistent/qemu-system-aarch64', ['-M', 'virt']);
    await expect(con.waitFor(/login/, 10_000)).rejects.toThrow(
      /guest exited before .*cannot run \/nonexistent\/qemu-system-aarch64: spawn .* ENOENT/s,
    );
    const r = await con.wait(10_000);
    expect(r.status).toBeNull();
    expect(r.stderr).toMatch(/ENOENT/);
  });

  it('reads output up to a pattern and then the exit status', async () => {
    const con = new GuestConsole('sh', ['-c', 'echo "boot ok"; read l; echo "got $l"; exit 7']);
    await con.waitFor(/boot ok/, 10_000);
    con.send('hello\n');
    await con.waitFor(/got hello/, 10_000);
    expect((await con.wait(10_000)).status).toBe(7);
  });

  it("withoutKernelLog: a printk line inside a command's output is not part of the answer (lane run of 2026-11-21)", () => {
    const out = '[  199.288868] hrtimer: interrupt took 42830560 ns\ndea9193b768319cbb4ff1a137ac03113  -\n';
    expect(withoutKernelLog(out).trim()).toBe('dea9193b768319cbb4ff1a137ac03113  -');
    expect(withoutKernelLog('2026\n[    3.5] x\n').trim()).toBe('2026');
    expect(withoutKernelLog('[not a timestamp] kept\n')).toBe('[not a timestamp] kept\n');
  });
});

// cli/linux-guest.ts's console driver (the test:linux lane and bench:linux): a missing emulator
// binary is a failed boot with a reason, not an unhandled 'error' event that kills the run.
import { describe, it, expect } from 'vitest';
import { GuestConsole } from '../cli/linux-guest';

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
});

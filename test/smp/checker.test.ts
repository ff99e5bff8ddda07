// The TLB-maintenance checker (`armlab run --check`): deliberately wrong guests must be
// reported (with vCPU, PC, VA, descriptor PA, old and new values), correct ones not.
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { runProcess } from '../guest/run';

const root = path.resolve(__dirname, '../..');
const elf = (p: string): string => path.join(root, 'resources/guest/out', `${p}.elf`);
const run = (p: string, ...args: string[]) =>
  runProcess(process.execPath, [path.join(root, 'bin/armlab.mjs'), 'run', elf(p), '--cpu', 'max', '--check', '--timeout', '60', ...args], 70_000, root);

describe('checker', () => {
  it('reports a valid→valid remap (BBM) and the stale uses after it, not the correct break-TLBI-DSB-make', async () => {
    const r = await run('tlb_maint');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('done\n');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('checker:'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^checker: vCPU 0 bbm at PC 0x[0-9a-f]+: VA 0x80000000 descriptor @0x[0-9a-f]+ 0x[0-9a-f]{16} → 0x[0-9a-f]{16}/);
    expect(lines[1]).toMatch(/vCPU 0 stale-tlb .* VA 0x80000000 .*the tables now map it to PA/);
    expect(lines[2]).toMatch(/vCPU 0 stale-tlb .* VA 0x80001000 /);
    expect(r.stderr).not.toMatch(/VA 0x80002000/); // the correct sequence
    expect(r.stderr).toMatch(/checker: 3 report\(s\): bbm 1, stale-tlb 2/);
  });

  it('stays silent on the correct SMP shootdown storm (break-before-make + TLBI VAE1IS + DSB)', async () => {
    const r = await run('smp_shootdown', '--cpus', '2');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('armlab: checker: 0 report(s)\n');
  });

  it('reports the other CPU using a stale translation after a local (non-broadcast) TLBI', async () => {
    const r = await run('smp_tlbi_local', '--cpus', '2');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/checker: vCPU 1 stale-tlb at PC 0x[0-9a-f]+: VA 0x80000000 .*changed by vCPU 0/);
    expect(r.stderr).not.toMatch(/ bbm /);
  });
});

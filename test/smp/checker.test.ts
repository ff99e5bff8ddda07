// The TLB-maintenance checker (`armlab run --check`): deliberately wrong guests must be
// reported (with vCPU, exact PC, VA, descriptor PA, old and new values), correct ones not.
// Reports are armlab-only; the guests' own output is compared with QEMU in smp.test.ts terms
// (deterministic: "cpus N" and "done").
import { describe, it, expect } from 'vitest';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { runProcess } from '../guest/run';
import { qemuArgs, qemuBinary } from '../guest/qemu';

const root = path.resolve(__dirname, '../..');
const elf = (p: string): string => path.join(root, 'resources/guest/out', `${p}.elf`);
const run = (p: string, ...args: string[]) =>
  runProcess(
    process.execPath,
    [path.join(root, 'bin/armlab.mjs'), 'run', elf(p), '--cpu', 'max', '--check', '--timeout', '60', ...args],
    70_000,
    root,
  );
const hasQemu = spawnSync(qemuBinary, ['--version']).status === 0;

const HEX16 = '0x[0-9a-f]{16}';
const reports = (stderr: string): string[] => stderr.split('\n').filter((l) => l.startsWith('checker:'));

/** The instruction at `pc` in the guest's disassembly (reports must name the exact instruction). */
function insnAt(prog: string, pc: string): string {
  const d = spawnSync('aarch64-linux-gnu-objdump', ['-d', elf(prog)], { encoding: 'utf8' });
  if (d.status !== 0) return '(no objdump)';
  const line = d.stdout.split('\n').find((l) => l.trimStart().startsWith(BigInt(pc).toString(16) + ':'));
  return line ?? '';
}

describe('checker', () => {
  it('single vCPU: reports a valid→valid remap and a make before any TLBI, not the correct break-TLBI-DSB-make', async () => {
    const r = await run('tlb_maint');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('done\n');
    const lines = reports(r.stderr);
    expect(lines[0]).toMatch(
      new RegExp(
        `^checker: vCPU 0 bbm at PC ${HEX16}: VA 0x80000000 descriptor @0x[0-9a-f]+ ${HEX16} → ${HEX16}: valid descriptor replaced`,
      ),
    );
    expect(lines[1]).toMatch(/vCPU 0 bbm .* VA 0x80001000 .*before a TLBI covering its address/);
    expect(r.stderr).not.toMatch(/VA 0x80002000/); // the correct sequence
  });

  for (const cpus of [2, 4]) {
    it(`stays silent on the correct SMP shootdown storm and counters on ${cpus} vCPUs`, async () => {
      for (const prog of ['smp_shootdown', 'smp_counter']) {
        const r = await run(prog, '--cpus', String(cpus));
        expect(r.status).toBe(0);
        expect(r.stderr).toBe('armlab: checker: 0 report(s)\n');
      }
    });

    it(`missing TLBI (break, DSB, make) on ${cpus} vCPUs: bbm at the make store, stale uses by the readers`, async () => {
      const r = await run('smp_missing_tlbi', '--cpus', String(cpus));
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`cpus ${cpus}\ndone\n`);
      const bbm = reports(r.stderr).find((l) => l.includes(' bbm '));
      expect(bbm).toMatch(
        new RegExp(`^checker: vCPU 0 bbm at PC (${HEX16}): VA 0x80000000 descriptor .*before a TLBI covering its address`),
      );
      expect(insnAt('smp_missing_tlbi', /at PC (0x[0-9a-f]+)/.exec(bbm ?? '')![1])).toMatch(/\tstr\t/);
      const stale = reports(r.stderr).find((l) => l.includes(' stale-tlb '));
      expect(stale).toMatch(new RegExp(`vCPU [1-9] stale-tlb at PC ${HEX16}: VA 0x80000000 .*changed by vCPU 0 at PC ${HEX16}`));
      expect(insnAt('smp_missing_tlbi', /at PC (0x[0-9a-f]+)/.exec(stale ?? '')![1])).toMatch(/\tldr\t/);
    });

    it(`missing DSB after TLBI VAE1IS on ${cpus} vCPUs: bbm`, async () => {
      const r = await run('smp_missing_dsb', '--cpus', String(cpus));
      expect(r.stdout).toBe(`cpus ${cpus}\ndone\n`);
      expect(r.stderr).toMatch(/vCPU 0 bbm at PC .*before a DSB completed the TLBI/);
    });

    it(`DSB NSH after a broadcast TLBI on ${cpus} vCPUs: bbm`, async () => {
      const r = await run('smp_dsb_nsh', '--cpus', String(cpus));
      expect(r.stdout).toBe(`cpus ${cpus}\ndone\n`);
      expect(r.stderr).toMatch(/vCPU 0 bbm at PC .*completed only by DSB NSH/);
    });
  }

  it('DSB ISHST does not complete a TLBI (only reads-and-writes DSBs do): bbm', async () => {
    const r = await run('smp_dsb_ishst', '--cpus', '2');
    expect(r.stderr).toMatch(/vCPU 0 bbm at PC .*completed only by DSB …ST\/…LD/);
  });

  it('break-before-make skipped (valid → valid, new output address) on 2 vCPUs: bbm', async () => {
    const r = await run('smp_bbm_skipped', '--cpus', '2');
    expect(r.stdout).toBe('cpus 2\ndone\n');
    expect(r.stderr).toMatch(/vCPU 0 bbm at PC .*valid descriptor replaced by a different valid one/);
    expect(r.stderr).not.toMatch(/stale-tlb/); // the TLBI VAE1IS + DSB ISH after it is correct
  });

  it('local TLBI while another vCPU holds the entry: bbm at the make, stale use by the other CPU', async () => {
    const r = await run('smp_tlbi_local', '--cpus', '2');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/vCPU 0 bbm at PC .*the TLBI was local \(not …IS\)/);
    expect(r.stderr).toMatch(/checker: vCPU 1 stale-tlb at PC 0x[0-9a-f]+: VA 0x80000000 .*changed by vCPU 0/);
  });

  // Before, a TLBI by ASID counted as covering every entry: the wrong ASID went unreported.
  it('TLBI ASIDE1IS with the wrong ASID after a remap of a non-global page: bbm and stale uses; the right ASID: silent', async () => {
    const r = await run('smp_wrong_asid', '--cpus', '2');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('cpus 2\ndone\n');
    expect(r.stderr).toMatch(/checker: vCPU 0 bbm at PC 0x[0-9a-f]+: VA 0x80000000 .*before a TLBI covering its address/);
    expect(r.stderr).toMatch(/checker: vCPU 1 stale-tlb at PC 0x[0-9a-f]+: VA 0x80000000 .*changed by vCPU 0/);
    const ok = await run('smp_wrong_asid', '--cpus', '2', '--append', '1');
    expect(ok.status).toBe(0);
    expect(ok.stderr).toBe('armlab: checker: 0 report(s)\n');
  });

  it.skipIf(!hasQemu)('the wrong guests print the same as under QEMU -smp 2', async () => {
    for (const prog of ['smp_missing_tlbi', 'smp_missing_dsb', 'smp_dsb_nsh', 'smp_dsb_ishst', 'smp_bbm_skipped', 'smp_wrong_asid']) {
      const a = await runProcess(
        process.execPath,
        [path.join(root, 'bin/armlab.mjs'), 'run', elf(prog), '--cpu', 'max', '--cpus', '2', '--timeout', '60'],
        70_000,
        root,
      );
      const q = await runProcess(qemuBinary, [...qemuArgs(elf(prog), {}), '-smp', '2'], 60_000, root);
      expect(a.stdout).toBe(q.stdout);
      expect(a.status).toBe(q.status);
    }
  });
});

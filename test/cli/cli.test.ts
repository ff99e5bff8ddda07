// The CLI's contract (issue 2): exit statuses and clear messages for bad input, timeouts and guest failures.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'armlab-cli-'));
function file(name: string, words: number[] | Uint8Array): string {
  const p = join(dir, name);
  if (words instanceof Uint8Array) writeFileSync(p, words);
  else {
    const b = Buffer.alloc(words.length * 4);
    words.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
    writeFileSync(p, b);
  }
  return p;
}

function armlab(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/armlab.mjs', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('armlab run', () => {
  it('refuses a missing file with status 2', () => {
    const r = armlab('run', join(dir, 'nope.elf'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot read program .*no such file/);
  });

  it('refuses a malformed ELF with status 2', () => {
    const bad = new Uint8Array(64);
    bad.set([0x7f, 0x45, 0x4c, 0x46, 1, 1]);
    const r = armlab('run', file('bad.elf', bad));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/not a 64-bit ELF/);
  });

  it('refuses more than 8 vCPUs, and unknown CPU models', () => {
    const prog = file('loop.bin', [0x14000000]);
    expect(armlab('run', prog, '--cpus', '9').stderr).toMatch(/2 to 8 vCPUs/);
    expect(armlab('run', prog, '--cpus', '0').status).toBe(2);
    expect(armlab('run', prog, '--cpu', 'cortex-z9').status).toBe(2);
    expect(armlab('run', prog, '--mem', '12Q').status).toBe(2);
  });

  it('stops a guest that never ends with status 124 and says where it was', () => {
    const r = armlab('run', file('loop.bin', [0x14000000]), '--timeout', '1'); // b .
    expect(r.status).toBe(124);
    expect(r.stderr).toMatch(/timeout after 1 s/);
    expect(r.stderr).toMatch(/PC=0000000040080000 EL1h/);
  });

  it('says when a vCPU sleeps in WFI with nothing left to wake it (1 and 2 vCPUs)', () => {
    // msr daifset, #2 ; 1: wfi ; b 1b — the secondary (2 vCPUs) stays powered off.
    const prog = file('wfi.bin', [0xd50342df, 0xd503207f, 0x17ffffff]);
    for (const cpus of ['1', '2']) {
      const r = armlab('run', prog, '--cpus', cpus, '--timeout', '1');
      expect(r.status).toBe(124);
      expect(r.stderr).toMatch(/PC=0000000040080008 EL1h/);
      expect(r.stderr).toMatch(/halted in WFI: no interrupt line asserted, no timer armed — nothing can wake this vCPU/);
      expect(r.stderr).toMatch(/GIC: nothing pending for this CPU \(PMR 0x0,/);
      if (cpus === '2') expect(r.stderr).toMatch(/vCPU 1: .* \[PSCI: powered off\]/);
    }
  });

  it('--backend: kvm says why it cannot run here (x86_64) and refuses TCG-only options; unknown backends are usage errors', () => {
    const prog = file('k.bin', [0x14000000]);
    expect(armlab('run', prog, '--backend', 'qemu').stderr).toMatch(/--backend must be tcg or kvm, not 'qemu'/);
    const tcgOnly = armlab('run', prog, '--backend', 'kvm', '--check', '--virtualization');
    expect(tcgOnly.status).toBe(2);
    expect(tcgOnly.stderr).toMatch(/--backend kvm does not take --virtualization, --check/);
    if (process.arch === 'x64') {
      const r = armlab('run', prog, '--backend', 'kvm');
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/the KVM backend cannot run AArch64 guests here: .*this x64 CPU cannot execute A64 code/);
    }
  });

  it('detects a recursive exception loop (no vectors installed) with status 125', () => {
    // udf #0 at entry; VBAR_EL1 = 0 (reset) and nothing is mapped at 0x200, so the
    // vector fetch itself aborts, again and again.
    const r = armlab('run', file('udf.bin', [0x00000000]), '--timeout', '20');
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(/recursive exception loop/);
  });

  it('returns 0 after PSCI SYSTEM_OFF via HVC', () => {
    // movz w0, #8 ; movk w0, #0x8400, lsl #16 ; hvc #0
    const r = armlab('run', file('off.bin', [0x52800100, 0x72b08000, 0xd4000002]), '--timeout', '10');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

/**
 * A bare-metal program that prints `text` on the PL011 and then spins (`b .`):
 *   movz x1, #0x900, lsl #16 ; adr x2, msg ; 1: ldrb w3, [x2], #1 ; cbz w3, 2f ; strb w3, [x1] ; b 1b ; 2: b 2b ; msg: .asciz text
 */
function printThenLoop(name: string, text: string): string {
  const code = Buffer.alloc(7 * 4);
  [0xd2a12001, 0x100000c2, 0x38401443, 0x34000063, 0x39000023, 0x17fffffd, 0x14000000].forEach((w, i) => code.writeUInt32LE(w, i * 4));
  return file(name, new Uint8Array(Buffer.concat([code, Buffer.from(text + '\0', 'latin1')])));
}

describe('armlab run: where a failed boot stopped (issue 5)', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `console line ${i}`);

  it('a timeout report has PC, EL, ESR/FAR and the last 20 console lines (1 and 2 vCPUs)', () => {
    const prog = printThenLoop('chatty.bin', lines.join('\n') + '\nno newline yet');
    for (const cpus of ['1', '2']) {
      const r = armlab('run', prog, '--cpus', cpus, '--timeout', '1');
      expect(r.status).toBe(124);
      expect(r.stderr).toMatch(/PC=0000000040080018 EL1h/);
      expect(r.stderr).toMatch(/ESR_EL1=[0-9a-f]{8} FAR_EL1=[0-9a-f]{16}/);
      expect(r.stderr).toMatch(/last 20 console line\(s\):/);
      expect(r.stderr).toContain('  | console line 29\n  | no newline yet\n');
      expect(r.stderr).toContain('  | console line 11\n');
      expect(r.stderr).not.toContain('console line 10\n');
    }
  });

  it('stops a guest that prints "Kernel panic - not syncing" with status 123 and the report, without --timeout', () => {
    const prog = printThenLoop('panic.bin', 'booting\nKernel panic - not syncing: test\n');
    for (const cpus of ['1', '2']) {
      const t0 = Date.now();
      const r = armlab('run', prog, '--cpus', cpus);
      expect(r.status).toBe(123);
      expect(r.stdout).toContain('Kernel panic - not syncing: test');
      expect(r.stderr).toMatch(/the guest kernel panicked \(status 123\)/);
      expect(r.stderr).toMatch(/PC=0000000040080018 EL1h/);
      expect(r.stderr).toMatch(/ESR_EL1=[0-9a-f]{8} FAR_EL1=/);
      expect(r.stderr).toContain('  | booting\n  | Kernel panic - not syncing: test\n');
      // The grace period (3 s) lets the panic message finish; the run does not hang.
      expect(Date.now() - t0).toBeLessThan(30_000);
    }
  });

  it('prints usage and exits 0 for run/walk/serve --help', () => {
    for (const cmd of ['run', 'walk', 'serve']) {
      const r = armlab(cmd, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`usage: armlab ${cmd}`));
    }
  });
});

describe('armlab run: RAM placement', () => {
  it('places extra RAM above 4 GiB and above 2^48 on a 52-bit PA model, and refuses what does not fit', () => {
    const off = file('off2.bin', [0x52800100, 0x72b08000, 0xd4000002]); // PSCI SYSTEM_OFF via HVC
    expect(armlab('run', off, '--cpu', 'max', '--ram', '64M@0x100000000', '--ram', '2M@0x1000000000000').status).toBe(0);
    const big = armlab('run', off, '--cpu', 'cortex-a57', '--ram', '2M@0x1000000000000');
    expect(big.status).toBe(2);
    expect(big.stderr).toMatch(/does not fit the 44-bit physical address space of cortex-a57/);
    expect(armlab('run', off, '--ram', '64M').stderr).toMatch(/needs a base/);
    expect(armlab('run', off, '--ram', '64M@0x40000000').stderr).toMatch(/overlaps RAM/);
  });
});

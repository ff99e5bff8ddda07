// The Debian Linux preset appears once `npm run guest:fetch` has cached the guest, and says how to get it otherwise.
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VmSpec } from '../../core/host/api.js';
import { checkSpec, presets } from '../../core/host/config.js';
import { DEMO } from './worker.js';

const saved = process.env.ARMLAB_CACHE;
afterEach(() => {
  if (saved === undefined) delete process.env.ARMLAB_CACHE;
  else process.env.ARMLAB_CACHE = saved;
});

describe('Debian Linux preset', () => {
  it('is unavailable, with the command to run, when the guest is not cached', () => {
    process.env.ARMLAB_CACHE = mkdtempSync(join(tmpdir(), 'armlab-cache-'));
    const p = presets(process.cwd()).find((x) => x.id === 'debian-linux')!;
    expect(p.unavailable).toMatch(/run npm run guest:fetch once/);
  });

  it('boots the cached kernel and initramfs (guest.env) on 2 vCPUs when they exist', () => {
    const cache = mkdtempSync(join(tmpdir(), 'armlab-cache-'));
    mkdirSync(join(cache, 'linux'));
    const kernel = join(cache, 'linux', 'vmlinuz-6.1.0-56-cloud-arm64');
    const initrd = join(cache, 'linux', 'initramfs.cpio.gz');
    writeFileSync(kernel, 'k');
    writeFileSync(initrd, 'i');
    writeFileSync(join(cache, 'linux', 'guest.env'), `KERNEL=${kernel}\nINITRD=${initrd}\nMARKER='ARMLAB-MARKER: init reached'\n`);
    process.env.ARMLAB_CACHE = cache;
    const p = presets(process.cwd()).find((x) => x.id === 'debian-linux')!;
    expect(p.unavailable).toBeUndefined();
    expect(p.spec.boot).toEqual({ kind: 'kernel', path: kernel, initrd, append: 'console=ttyAMA0 earlycon=pl011,0x9000000' });
    expect(p.spec.cpus).toHaveLength(2);
  });
});

describe('boot files while the setup screen validates', () => {
  it('are re-read when they change (size or mtime), not on every edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'armlab-validate-'));
    const path = join(dir, 'prog.elf');
    const spec = (): VmSpec => ({
      name: 'v',
      backend: 'tcg',
      cpus: [{ model: 'cortex-a57' }],
      memory: [{ base: 0x4000_0000, size: 2 ** 27 }],
      entryEl: 1,
      boot: { kind: 'program', path },
    });
    const tcg = [{ kind: 'tcg' as const, available: true }];
    // A truncated ELF header: not loadable.
    writeFileSync(path, '\x7fELF truncated');
    expect(
      checkSpec(spec(), tcg)
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/not loadable/);
    writeFileSync(path, readFileSync(DEMO));
    const ok = checkSpec(spec(), tcg);
    expect(ok.problems).toEqual([]);
    // Same file, unchanged: the bytes come from the cache (the same array).
    expect(checkSpec(spec(), tcg).files?.program).toBe(ok.files?.program);
    writeFileSync(path, '\x7fELF truncated, again');
    expect(
      checkSpec(spec(), tcg)
        .problems.map((p) => p.message)
        .join(),
    ).toMatch(/not loadable/);
    expect(checkSpec({ ...spec(), boot: { kind: 'program', path: dir } }, tcg).problems[0].message).toMatch(/it is a directory/);
  });
});

/**
 * The addon's arm64 path (KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT, ONE_REG,
 * vGICv3 device attributes) only runs on arm64 hosts; this proves it at least
 * compiles there: every native/src/*.cc built for aarch64 with Debian's
 * aarch64-linux-gnu-g++ (installed by `scripts/ensure.sh test`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const hasCross = spawnSync('aarch64-linux-gnu-g++', ['--version']).status === 0;
if (!hasCross) process.stdout.write('test/kvm: arm64 compile skipped: aarch64-linux-gnu-g++ is missing (run scripts/ensure.sh test)\n');

it.skipIf(!hasCross)('the KVM addon compiles for aarch64 (arm64 code path included)', () => {
  const out = mkdtempSync(join(tmpdir(), 'armlab-kvm-a64-'));
  try {
    execFileSync('bash', [join(root, 'scripts', 'build-native.sh'), '--cross-check', out], { stdio: 'pipe' });
    const objs = readdirSync(out).filter((f) => f.endsWith('.o'));
    const sources = readdirSync(join(root, 'native', 'src')).filter((f) => f.endsWith('.cc'));
    expect(objs.sort()).toEqual(sources.map((s) => s.replace(/\.cc$/, '.o')).sort());
    // The arm64-only ioctls are really in the objects (not #ifdef'd away): their error strings are.
    const strings = execFileSync('strings', [join(out, 'addon.o'), join(out, 'vcpu.o')]).toString();
    for (const s of ['KVM_ARM_PREFERRED_TARGET', 'KVM_ARM_VCPU_INIT', 'KVM_GET_ONE_REG', 'KVM_CREATE_DEVICE']) expect(strings).toContain(s);
    expect(strings).not.toContain('KVM_ARM_VCPU_INIT exists only on arm64 hosts');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

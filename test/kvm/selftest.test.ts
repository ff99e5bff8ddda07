/**
 * The KVM backend on this host: x86 real-mode guests on the same shared-RAM,
 * worker and MMIO path AArch64 guests use (core/kvm/selftest.ts). Skipped, with
 * the reason printed, where /dev/kvm or the addon is missing.
 */
import { describe, expect, it } from 'vitest';
import { kvmBench, SELFTESTS, selftestSkipReason } from '../../core/kvm/selftest.js';

const skip = selftestSkipReason();
if (skip) process.stdout.write(`test/kvm: KVM self-tests skipped: ${skip}\n`);

describe.skipIf(skip !== undefined)('KVM self-tests (x86 guests)', () => {
  for (const t of SELFTESTS) {
    it(t.name, async () => {
      const r = await t();
      expect(r.status, `${r.name}: ${r.detail}`).toBe('pass');
    });
  }

  it('exit round trips (figures printed, not asserted)', async () => {
    const b = await kvmBench(5_000);
    process.stdout.write(
      `test/kvm: MMIO exit round trip ${b.mmioRoundTripUs.toFixed(1)} µs, port-I/O exit ${b.kvmRunRoundTripUs.toFixed(1)} µs\n`,
    );
    expect(b.mmioExitsPerSec).toBeGreaterThan(0);
  });
});

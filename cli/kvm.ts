/**
 * `armlab kvm [--selftest] [--bench] [--json]`: what this host's KVM offers, and
 * the KVM backend's self-tests. Without --selftest it always exits 0, even
 * where /dev/kvm or the addon is missing (it says so). --selftest exits 1 when
 * a self-test fails (skipped tests, e.g. no /dev/kvm, are not failures).
 */
import { parseArgs } from 'node:util';
import { describeKvm, type KvmHostInfo } from '../core/kvm/info.js';
import { kvmBench, runSelftests, selftestSkipReason } from '../core/kvm/selftest.js';

export const KVM_USAGE = `usage: armlab kvm [--selftest] [--bench] [--json]
  (no option)  what this host's KVM offers: API version, capabilities, guest architectures
  --selftest   run the KVM backend's self-tests (exit status 1 if one fails)
  --bench      measure MMIO and KVM_RUN exit round trips
  --json       machine-readable output
`;

function printInfo(i: KvmHostInfo): void {
  const w = (s: string) => process.stdout.write(s + '\n');
  w(`host:        ${process.platform} ${i.hostArch}`);
  w(`/dev/kvm:    ${i.device.accessible ? 'present and accessible' : `not usable: ${i.device.reason}`}`);
  w(`addon:       ${i.addon.loaded ? `loaded (${i.addon.path})` : `not loaded: ${i.addon.reason}`}`);
  if (i.apiVersion !== undefined) w(`API version: ${i.apiVersion}${i.apiVersion === 12 ? '' : ' (expected 12)'}`);
  if (i.ipaBits !== undefined) w(`IPA size:    ${i.ipaBits} bits`);
  if (i.error) w(`error:       ${i.error}`);
  const caps = Object.entries(i.caps);
  if (caps.length > 0) {
    w('capabilities:');
    for (const [n, v] of caps) w(`  ${n.padEnd(30)} ${v === 0 ? 'no' : v === 1 ? 'yes' : String(v)}`);
  }
  w('guests:');
  for (const g of i.guests) w(`  ${g.arch.padEnd(8)} ${g.runnable ? 'yes' : 'no '}  ${g.why}`);
}

export async function kvmCommand(args: string[]): Promise<number> {
  let o;
  try {
    o = parseArgs({
      args,
      options: {
        selftest: { type: 'boolean', default: false },
        bench: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`armlab kvm: ${(e as Error).message}\n${KVM_USAGE}`);
    return 2;
  }
  const info = describeKvm();
  if (!o.selftest && !o.bench) {
    if (o.json) process.stdout.write(JSON.stringify(info, null, 2) + '\n');
    else printInfo(info);
    return 0;
  }
  let status = 0;
  const json: Record<string, unknown> = { info };
  if (o.selftest) {
    const results = await runSelftests((r) => {
      if (!o.json) process.stdout.write(`${r.status.toUpperCase().padEnd(4)}  ${r.name}: ${r.detail}\n`);
    });
    json.selftests = results;
    if (results.some((r) => r.status === 'fail')) status = 1;
  }
  if (o.bench) {
    const skip = selftestSkipReason();
    if (skip) {
      json.bench = { skipped: skip };
      if (!o.json) process.stdout.write(`bench skipped: ${skip}\n`);
    } else {
      const b = await kvmBench();
      json.bench = b;
      if (!o.json) {
        process.stdout.write(
          `MMIO exit → device model → resume: ${b.mmioRoundTripUs.toFixed(1)} µs (${Math.round(b.mmioExitsPerSec)} exits/s, ${(b.guestShare * 100).toFixed(0)}% inside KVM_RUN)\n` +
            `port-I/O exit handled in the vCPU worker: ${b.kvmRunRoundTripUs.toFixed(1)} µs (${Math.round(b.ioExitsPerSec)} exits/s)\n`,
        );
      }
    }
  }
  if (o.json) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
  return status;
}

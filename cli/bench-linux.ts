/**
 * `npm run bench:linux`: time from process start to the initramfs marker line
 * ("ARMLAB-MARKER: init reached") for Debian's arm64 cloud kernel with the busybox
 * initramfs, under armlab (`armlab run`, as a user runs it) and under QEMU
 * (`qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a57 -m 512M -nographic`),
 * same kernel, initramfs and command line, in the same run; 1 and 2 vCPUs.
 *
 *   node dist/bench-linux.js [--cpus 1,2] [--repeat N] [--json FILE]
 *
 * QEMU: best of --repeat runs (default 3). armlab: one run per vCPU count unless
 * --repeat-armlab says otherwise (a boot takes tens of seconds). Each run is
 * stopped right after the marker. Speed is reported, never asserted.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { armlabCommand, bootToShell, cachedGuest, qemuCommand, type Guest } from './linux-guest.js';

const { values: o } = parseArgs({
  options: {
    cpus: { type: 'string', default: '1,2' },
    repeat: { type: 'string', default: '3' },
    'repeat-armlab': { type: 'string', default: '1' },
    json: { type: 'string' },
    mem: { type: 'string', default: '512M' },
  },
});

async function markerSeconds(cmd: [string, string[]], g: Guest): Promise<number> {
  const { con, markerMs } = await bootToShell(cmd, g.marker, 900_000);
  con.kill();
  await con.wait(10_000);
  return markerMs / 1000;
}

async function main(): Promise<number> {
  let g: Guest;
  try {
    g = cachedGuest();
  } catch (e) {
    process.stderr.write(`bench-linux: ${(e as Error).message}\n`);
    return 1;
  }
  const rows: { cpus: number; armlab: number[]; qemu: number[] }[] = [];
  for (const cpus of o.cpus!.split(',').map(Number)) {
    const row = { cpus, armlab: [] as number[], qemu: [] as number[] };
    for (let i = 0; i < Number(o.repeat); i++) row.qemu.push(await markerSeconds(qemuCommand(g, { cpus, mem: o.mem }), g));
    for (let i = 0; i < Number(o['repeat-armlab']); i++) row.armlab.push(await markerSeconds(armlabCommand(g, { cpus, mem: o.mem }), g));
    rows.push(row);
    process.stderr.write(
      `bench-linux: ${cpus} vCPU(s): armlab ${row.armlab.map((s) => s.toFixed(2)).join(', ')} s; QEMU ${row.qemu.map((s) => s.toFixed(2)).join(', ')} s\n`,
    );
  }
  const best = (v: number[]): number => Math.min(...v);
  const lines = [
    `bench-linux ${new Date().toISOString()} on ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, load average ${os.loadavg()[0].toFixed(2)}`,
    `kernel ${g.kernel.split('/').pop()}, -cpu cortex-a57, ${o.mem} RAM; time from process start to "${g.marker}"`,
    '',
    'vCPUs   armlab (s)   QEMU best (s)   armlab / QEMU',
    ...rows.map(
      (r) =>
        `${String(r.cpus).padStart(5)}   ${best(r.armlab).toFixed(2).padStart(10)}   ${best(r.qemu).toFixed(2).padStart(13)}   ${(best(r.armlab) / best(r.qemu)).toFixed(1).padStart(13)}×`,
    ),
  ];
  process.stdout.write(lines.join('\n') + '\n');
  if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), kernel: g.kernel, rows }, null, 2));
  return 0;
}

process.exitCode = await main();

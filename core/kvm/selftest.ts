/**
 * KVM self-tests with tiny host-ISA guests (x86 16-bit real mode on x86_64
 * hosts) on the same machinery AArch64 guests use: guest RAM in SharedArrayBuffers
 * mapped with KVM_SET_USER_MEMORY_REGION, one worker per vCPU, MMIO exits answered
 * by the board's Device objects (the PL011 model), counters, kick, teardown.
 * `armlab kvm --selftest` and test/kvm run these.
 */
import { readdirSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { Device } from '../mem/bus.js';
import { Pl011 } from '../board/pl011.js';
import { isKvmError, requireKvmAddon } from './addon.js';
import { describeKvm } from './info.js';
import { KvmMachine, type KvmMachineConfig } from './machine.js';
import { allocGuestRam } from './ram.js';
import type { VcpuOutcome } from './vcpu-loop.js';
import * as g from './x86-guests.js';

/** Where the x86 guests see things: RAM at 0 (real mode starts there), the UART where the virt board has it. */
export const X86_RAM = { base: 0, size: 0x1_0000 };
export const X86_UART = 0x0900_0000;
export const X86_SCRATCH = 0x0900_1000;

export interface SelftestResult {
  name: string;
  status: 'pass' | 'fail' | 'skip';
  detail: string;
}

/** Why the self-tests cannot run here, or undefined. */
export function selftestSkipReason(): string | undefined {
  const info = describeKvm();
  if (!info.device.accessible) return info.device.reason;
  if (!info.addon.loaded) return info.addon.reason;
  if (process.arch !== 'x64')
    return `the self-test guests are x86; this host is ${process.arch} (the arm64 lane boots AArch64 guests instead)`;
  return undefined;
}

export function x86Machine(code: Uint8Array, extra: Partial<KvmMachineConfig> & { es?: number; rcx?: number } = {}): Promise<KvmMachine> {
  return KvmMachine.create({
    ram: [X86_RAM],
    hltEndsRun: true,
    vcpus: [{ arch: 'x86-real', rip: g.X86_LOAD, segments: { es: extra.es ?? 0 }, regs: { rcx: extra.rcx ?? 0 } }],
    ...extra,
  }).then((m) => {
    m.writeBytes(g.X86_LOAD, code);
    return m;
  });
}

async function runToEnd(m: KvmMachine, timeoutMs = 10_000): Promise<VcpuOutcome> {
  m.start();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<VcpuOutcome[]>((resolve) => {
    timer = setTimeout(() => void m.stop().then(resolve), timeoutMs);
  });
  const [o] = await Promise.race([m.wait(), timeout]);
  clearTimeout(timer);
  return o;
}

const fmt = (o: VcpuOutcome): string => (o.kind === 'error' ? `error: ${o.message}` : o.kind);

/** A JS worker (not the vCPU's) reads guest RAM through the SharedArrayBuffer and checks the pattern. */
function checkPatternInWorker(sab: SharedArrayBuffer, offset: number): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const u16 = new Uint16Array(workerData.sab, workerData.offset + 0x2000, 2048);
    let bad = 0;
    for (let k = 0; k < 2048; k++) if (u16[k] !== ((k * 0x0301) & 0xffff)) bad++;
    parentPort.postMessage(bad);`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData: { sab, offset } });
    w.once('message', (bad: number) => resolve(bad));
    w.once('error', reject);
  });
}

export async function testRamPattern(): Promise<SelftestResult> {
  const name = 'guest writes RAM, a JS worker sees it in the SharedArrayBuffer';
  const m = await x86Machine(g.pattern);
  try {
    const o = await runToEnd(m);
    if (o.kind !== 'hlt') return { name, status: 'fail', detail: `guest ended with ${fmt(o)}, expected HLT` };
    const bad = await checkPatternInWorker(m.ram[0].sab, m.ram[0].offset);
    return bad === 0
      ? { name, status: 'pass', detail: '2048 words at 0x2000 match' }
      : { name, status: 'fail', detail: `${bad} of 2048 words differ` };
  } finally {
    await m.close();
  }
}

export async function testUartMmio(): Promise<SelftestResult> {
  const name = 'guest writes a string to the PL011 model through MMIO exits';
  const out: number[] = [];
  const uart = new Pl011((b) => out.push(b));
  const m = await x86Machine(g.uart, { es: X86_UART, devices: [{ base: X86_UART, size: 0x1000, device: uart }] });
  try {
    const o = await runToEnd(m);
    const text = Buffer.from(out).toString('latin1');
    const want = 'Hello from a KVM guest through the PL011 model\n';
    const fr = m.readBytes(0x3000, 1)[0];
    const c = m.counters()[0];
    const detail = `${JSON.stringify(text)}; FR read back 0x${fr.toString(16)}; ${c.mmioWrites} MMIO writes, ${c.mmioReads} reads`;
    if (o.kind !== 'hlt') return { name, status: 'fail', detail: `guest ended with ${fmt(o)}; ${detail}` };
    if (text !== want) return { name, status: 'fail', detail: `UART got ${detail}` };
    if (fr !== 0x90) return { name, status: 'fail', detail: `FR should read 0x90 (TXFE|RXFE): ${detail}` };
    if (c.mmioWrites !== want.length || c.exits.MMIO !== c.mmioReads + c.mmioWrites)
      return { name, status: 'fail', detail: `counters: ${detail}` };
    return { name, status: 'pass', detail };
  } finally {
    await m.close();
  }
}

export async function testHlt(): Promise<SelftestResult> {
  const name = 'guest halts: one HLT exit ends the run';
  const m = await x86Machine(g.ioLoop, { rcx: 3 });
  try {
    const o = await runToEnd(m);
    const c = m.counters()[0];
    if (o.kind !== 'hlt') return { name, status: 'fail', detail: `ended with ${fmt(o)}` };
    if (c.exits.HLT !== 1 || c.exits.IO !== 3) return { name, status: 'fail', detail: `exits ${JSON.stringify(c.exits)}` };
    return { name, status: 'pass', detail: `exits ${JSON.stringify(c.exits)}` };
  } finally {
    await m.close();
  }
}

export async function testKick(): Promise<SelftestResult> {
  const name = 'pause, resume and stop kick a vCPU spinning in the guest';
  const m = await x86Machine(g.spin);
  try {
    m.start();
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await m.pause();
    const pauseMs = performance.now() - t0;
    if (m.state !== 'paused') return { name, status: 'fail', detail: `state ${m.state} after pause()` };
    m.resume();
    await new Promise((r) => setTimeout(r, 20));
    const t1 = performance.now();
    const [o] = await m.stop();
    const stopMs = performance.now() - t1;
    const c = m.counters()[0];
    if (o.kind !== 'stopped') return { name, status: 'fail', detail: `ended with ${fmt(o)}` };
    return {
      name,
      status: 'pass',
      detail: `pause ${pauseMs.toFixed(2)} ms, stop ${stopMs.toFixed(2)} ms, ${c.exits.INTR ?? 0} INTR exits, ${c.guestSec.toFixed(3)} s in guest`,
    };
  } finally {
    await m.close();
  }
}

function countFds(): number {
  return readdirSync('/proc/self/fd').length;
}

export async function testNoFdLeak(cycles = 8): Promise<SelftestResult> {
  const name = `no fd leaks across ${cycles} create/start/stop/close cycles`;
  // One cycle first: loads the addon, bundles the worker, warms up lazy fds.
  const warm = await x86Machine(g.spin);
  warm.start();
  await warm.close();
  const before = countFds();
  for (let i = 0; i < cycles; i++) {
    const m = await x86Machine(i % 2 ? g.spin : g.pattern);
    m.start();
    if (i % 2) await new Promise((r) => setTimeout(r, 2));
    await m.close();
  }
  const after = countFds();
  return after <= before
    ? { name, status: 'pass', detail: `${before} fds before, ${after} after` }
    : { name, status: 'fail', detail: `${before} fds before, ${after} after` };
}

function expectSysError(what: string, f: () => unknown, syscall: string, code: string): string | undefined {
  try {
    f();
    return `${what}: no error`;
  } catch (e) {
    const want = new RegExp(`^${syscall} failed: ${code} \\(\\d+\\)$`);
    if (!isKvmError(e) || !want.test(e.message) || e.syscall !== syscall || e.code !== code)
      return `${what}: got '${(e as Error).message}'`;
    return undefined;
  }
}

export async function testErrors(): Promise<SelftestResult> {
  const name = 'failing ioctls throw errors naming the ioctl and errno';
  const addon = requireKvmAddon();
  const kvm = new addon.Kvm();
  const vm = kvm.createVm();
  const problems: string[] = [];
  const seen: string[] = [];
  try {
    const { sab, offset: o } = allocGuestRam(addon, 0, 0x3000); // page-aligned at o
    const slots = kvm.checkExtension(addon.constants.KVM_CAP_NR_MEMSLOTS);
    const bad = [
      expectSysError(
        'slot beyond KVM_CAP_NR_MEMSLOTS',
        () => vm.setUserMemoryRegion(slots + 1000, 0, new Uint8Array(sab, o, 0x1000)),
        'KVM_SET_USER_MEMORY_REGION',
        'EINVAL',
      ),
      expectSysError(
        'memory not page-aligned',
        () => vm.setUserMemoryRegion(0, 0, new Uint8Array(sab, o + 16, 0x1000)),
        'KVM_SET_USER_MEMORY_REGION',
        'EINVAL',
      ),
      expectSysError(
        'size not a page multiple',
        () => vm.setUserMemoryRegion(0, 0, new Uint8Array(sab, o, 0x1001)),
        'KVM_SET_USER_MEMORY_REGION',
        'EINVAL',
      ),
    ];
    vm.setUserMemoryRegion(0, 0, new Uint8Array(sab, o, 0x1000));
    bad.push(
      expectSysError(
        'overlapping slot',
        () => vm.setUserMemoryRegion(1, 0, new Uint8Array(sab, o + 0x1000, 0x1000)),
        'KVM_SET_USER_MEMORY_REGION',
        'EEXIST',
      ),
    );
    const c = vm.createVcpu(0);
    bad.push(expectSysError('same vCPU id twice', () => vm.createVcpu(0), 'KVM_CREATE_VCPU', 'EEXIST'));
    c.close();
    for (const b of bad) if (b) problems.push(b);
    seen.push('EINVAL (bad slot, misaligned, odd size)', 'EEXIST (overlap, duplicate vCPU)');
  } finally {
    vm.close();
    kvm.close();
  }
  return problems.length === 0 ? { name, status: 'pass', detail: seen.join('; ') } : { name, status: 'fail', detail: problems.join('; ') };
}

/** Counts MMIO writes to the scratch device (benchmarks). */
export class NullDevice implements Device {
  readonly name = 'null';
  writes = 0;
  read(): number {
    return 0;
  }
  write(): void {
    this.writes++;
  }
}

export interface KvmBenchResult {
  mmioExitsPerSec: number;
  mmioRoundTripUs: number;
  ioExitsPerSec: number;
  kvmRunRoundTripUs: number;
  guestShare: number;
}

/** MMIO exits through the device side vs. port-I/O exits answered in the vCPU worker: the cost of one exit each way. */
export async function kvmBench(n = 20_000): Promise<KvmBenchResult> {
  const dev = new NullDevice();
  const m1 = await x86Machine(g.mmioLoop, { es: X86_SCRATCH, rcx: n, devices: [{ base: X86_SCRATCH, size: 0x1000, device: dev }] });
  const t0 = performance.now();
  await runToEnd(m1, 60_000);
  const mmioSec = (performance.now() - t0) / 1e3;
  const c1 = m1.counters()[0];
  await m1.close();
  const m2 = await x86Machine(g.ioLoop, { rcx: n });
  const t1 = performance.now();
  await runToEnd(m2, 60_000);
  const ioSec = (performance.now() - t1) / 1e3;
  await m2.close();
  if (dev.writes !== n) throw new Error(`bench: the device saw ${dev.writes} of ${n} writes`);
  return {
    mmioExitsPerSec: n / mmioSec,
    mmioRoundTripUs: (mmioSec / n) * 1e6,
    ioExitsPerSec: n / ioSec,
    kvmRunRoundTripUs: (ioSec / n) * 1e6,
    guestShare: c1.guestSec / (c1.guestSec + c1.userSec),
  };
}

export const SELFTESTS = [testRamPattern, testUartMmio, testHlt, testKick, testNoFdLeak, testErrors];

export async function runSelftests(report: (r: SelftestResult) => void = () => {}): Promise<SelftestResult[]> {
  const skip = selftestSkipReason();
  if (skip) {
    const r: SelftestResult = { name: 'KVM self-tests', status: 'skip', detail: skip };
    report(r);
    return [r];
  }
  const out: SelftestResult[] = [];
  for (const t of SELFTESTS) {
    let r: SelftestResult;
    try {
      r = await t();
    } catch (e) {
      r = { name: t.name, status: 'fail', detail: `threw: ${(e as Error).stack ?? e}` };
    }
    report(r);
    out.push(r);
  }
  return out;
}

/**
 * The KVM addon (native/), typed and loaded lazily. Nothing else imports the
 * `.node` file: call `loadKvmAddon()`, which returns the addon or the reason it
 * cannot be loaded (not Linux, not built, built for another Node ABI…). The app
 * and the tests work without it.
 *
 * The addon mirrors KVM's file descriptors one class each (native/src/kvm_objects.h);
 * every failing ioctl throws a `KvmError` ("KVM_CREATE_VCPU failed: EEXIST (17)").
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './paths.js';

/** What a failing ioctl throws: `syscall` names the ioctl, `code`/`errno` the error. */
export interface KvmError extends Error {
  code: string;
  errno: number;
  syscall: string;
}

export type KvmExit =
  | { reason: 'mmio'; code: number; addr: number; len: number; isWrite: boolean; data: number; dataHi: number }
  | { reason: 'io'; code: number; port: number; size: number; count: number; isWrite: boolean; data: number }
  | { reason: 'hlt' | 'shutdown' | 'irq-window' | 'intr' | 'other'; code: number }
  | { reason: 'system-event'; code: number; type: number; flags: bigint; data: bigint[] }
  | { reason: 'internal-error'; code: number; suberror: number; data: bigint[] }
  | { reason: 'fail-entry'; code: number; hardwareEntryFailureReason: bigint; cpu: number }
  | { reason: 'exception'; code: number; exception: number; errorCode: number }
  | { reason: 'unknown'; code: number; hardwareExitReason: bigint }
  | { reason: 'arm-nisv'; code: number; esrIss: bigint; faultIpa: bigint };

export type KvmExitReason = KvmExit['reason'];

export interface X86Segment {
  base: bigint;
  limit: number;
  selector: number;
  type: number;
  present: number;
  dpl: number;
  db: number;
  s: number;
  l: number;
  g: number;
  avl: number;
  unusable: number;
}
type X86RegName =
  | 'rax' | 'rbx' | 'rcx' | 'rdx' | 'rsi' | 'rdi' | 'rsp' | 'rbp' | 'r8' | 'r9' | 'r10' | 'r11' | 'r12' | 'r13' | 'r14' | 'r15'
  | 'rip' | 'rflags'; // prettier-ignore
export type X86Regs = Record<X86RegName, bigint>;
type X86SegName = 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss' | 'tr' | 'ldt';
export type X86Sregs = Record<X86SegName, X86Segment> & Record<'cr0' | 'cr2' | 'cr3' | 'cr4' | 'cr8' | 'efer' | 'apicBase', bigint>;
/** What setSregs takes: any subset; numbers are accepted where BigInts are returned. */
export type X86SregsPatch = Partial<Record<X86SegName, Partial<Record<keyof X86Segment, number | bigint>>>> &
  Partial<Record<'cr0' | 'cr2' | 'cr3' | 'cr4' | 'cr8' | 'efer' | 'apicBase', number | bigint>>;

export interface KvmSystem {
  readonly fd: number;
  apiVersion(): number;
  checkExtension(cap: number): number;
  vcpuMmapSize(): number;
  /** KVM_CREATE_VM; on arm64 `type` carries the IPA size (KVM_VM_TYPE_ARM_IPA_SIZE). */
  createVm(type?: number): KvmVm;
  close(): void;
}

export interface KvmVm {
  readonly fd: number;
  readonly mmapSize: number;
  checkExtension(cap: number): number;
  /** Maps `memory` (page-aligned bytes, usually a view of a guest-RAM SharedArrayBuffer) at `guestPhysAddr`; null deletes the slot. */
  setUserMemoryRegion(slot: number, guestPhysAddr: number | bigint, memory: ArrayBufferView | null, flags?: number): void;
  /** KVM_CREATE_VCPU: call it from the thread that will run the vCPU. */
  createVcpu(id: number): KvmVcpu;
  irqLine(irq: number, level: boolean): void;
  setTssAddr(addr: number): void;
  armPreferredTarget(): { target: number; features: number[] };
  createDevice(type: number): KvmDevice;
  createDevice(type: number, test: true): boolean;
  close(): void;
}

export interface KvmDevice {
  setAttr(group: number, attr: number | bigint, value?: number | bigint): void;
  getAttr(group: number, attr: number | bigint): bigint;
  hasAttr(group: number, attr: number | bigint): boolean;
  close(): void;
}

export interface KvmVcpu {
  /** KVM_RUN until the next exit. 'intr' = interrupted (a kick, or any signal). */
  run(): KvmExit;
  /** Completes an MMIO read: the bytes the guest's load receives on the next run(). */
  setMmioData(lo: number, hi?: number): void;
  /** Completes a port-I/O IN (x86). */
  setIoData(value: number): void;
  getRegs(): X86Regs;
  setRegs(r: Partial<Record<X86RegName, number | bigint>>): void;
  getSregs(): X86Sregs;
  setSregs(s: X86SregsPatch): void;
  armVcpuInit(target: number, features: number[]): void;
  getOneReg(id: bigint): bigint;
  setOneReg(id: bigint, value: bigint): void;
  /** arm64: turn the last MMIO exit into a synchronous external abort in the guest (KVM_SET_VCPU_EVENTS). */
  injectExtDabt(): void;
  /** For `addon.kick(token)` from another thread. */
  readonly kickToken: number;
  /** Time spent inside KVM_RUN (ns) and the number of KVM_RUN calls. */
  readonly runNs: number;
  readonly runs: number;
  close(): void;
}

export interface KvmAddon {
  readonly abi: number;
  readonly arch: 'x64' | 'arm64' | 'other';
  readonly pageSize: number;
  /** Header values of the host the addon was built for: KVM_CAP_*, KVM_EXIT_*, device types, vGIC groups. */
  readonly constants: Readonly<Record<string, number>>;
  Kvm: new (path?: string) => KvmSystem;
  /** A second handle (dup) on a VM fd, for the worker that creates and runs a vCPU. */
  openVm(fd: number, mmapSize: number): KvmVm;
  /** Interrupt the vCPU with this token (any thread): sets immediate_exit and signals its thread. */
  kick(token: number): boolean;
  /** Offset of a typed array's first byte within its host page (0 = page-aligned). */
  pageOffset(view: ArrayBufferView): number;
}

export type AddonLoad = { ok: true; addon: KvmAddon; path: string } | { ok: false; reason: string; path: string };

/** Where the addon is: ARMLAB_KVM_ADDON, else native/build/Release/armlab_kvm.node in the checkout. */
export function addonPath(): string {
  return process.env.ARMLAB_KVM_ADDON ?? join(repoRoot(), 'native', 'build', 'Release', 'armlab_kvm.node');
}

let cached: AddonLoad | undefined;

/** Loads the addon once per thread (safe in workers: the addon keeps per-environment state). */
export function loadKvmAddon(): AddonLoad {
  if (cached) return cached;
  const path = addonPath();
  if (process.platform !== 'linux') {
    cached = { ok: false, reason: `KVM exists only on Linux (this is ${process.platform})`, path };
  } else if (!existsSync(path)) {
    cached = { ok: false, reason: `the KVM addon is not built (${path} is missing; run scripts/build-native.sh)`, path };
  } else {
    try {
      const addon = createRequire(import.meta.url)(path) as KvmAddon;
      cached = { ok: true, addon, path };
    } catch (e) {
      cached = { ok: false, reason: `the KVM addon did not load: ${(e as Error).message}`, path };
    }
  }
  return cached;
}

/** The addon, or throws with the reason it is unavailable. */
export function requireKvmAddon(): KvmAddon {
  const l = loadKvmAddon();
  if (!l.ok) throw new Error(l.reason);
  return l.addon;
}

export function isKvmError(e: unknown): e is KvmError {
  return e instanceof Error && typeof (e as Partial<KvmError>).syscall === 'string' && typeof (e as Partial<KvmError>).errno === 'number';
}

/**
 * The KVM vCPU run loop, in the worker that owns the vCPU fd. A state machine:
 *
 *   STARTING ─create+init─▶ READY ─REQ_RUN─▶ RUNNING ⇄ PAUSED
 *                                              │ guest stops (HLT without irqchip, SHUTDOWN,
 *                                              │ SYSTEM_EVENT, error) or REQ_STOP
 *                                              ▼
 *                                             DONE
 *
 * Every KVM_RUN exit is counted by reason; MMIO exits go through the request slot
 * to the device side (MmioServer) and reads complete with setMmioData before the
 * next run. Pause and stop arrive as a REQ word plus a kick (signal + immediate_exit),
 * which makes KVM_RUN return 'intr'.
 */
import type { KvmAddon, KvmExit, KvmVcpu, KvmVm } from './addon.js';
import {
  C_GUEST_NS,
  C_IO,
  C_MMIO_READS,
  C_MMIO_UNMAPPED,
  C_MMIO_WAIT_NS,
  C_MMIO_WRITES,
  C_RUNS,
  C_USER_NS,
  COUNTER_WORDS,
  CTRL_WORDS,
  REQ,
  REQ_HOLD,
  REQ_PAUSE,
  REQ_RUN,
  REQ_STOP,
  SLOT_DATA_HI,
  SLOT_DATA_LO,
  SLOT_UNMAPPED,
  SLOT_WORDS,
  ST_DONE,
  ST_PAUSED,
  ST_READY,
  ST_RUNNING,
  STATE,
  slotDone,
  slotRequest,
} from './shared.js';

/** How the vCPU starts. x86 real mode for the host-ISA self-tests; arm64 for AArch64 guests on arm64 hosts. */
export type VcpuBoot =
  | {
      arch: 'x86-real';
      rip: number;
      /** Segment bases (real mode: selector = base >> 4 unless the base is above 1 MiB, which KVM accepts as a hidden base). */
      segments?: Partial<Record<'cs' | 'ds' | 'es' | 'ss', number>>;
      regs?: Partial<Record<'rax' | 'rbx' | 'rcx' | 'rdx' | 'rsi' | 'rdi' | 'rsp' | 'rbp', number>>;
    }
  | {
      arch: 'arm64';
      /** PC and X0 (e.g. the DTB address) of the boot vCPU; secondaries start powered off (PSCI CPU_ON starts them). */
      pc?: bigint;
      x0?: bigint;
      powerOff: boolean;
    };

export interface VcpuWorkerInit {
  addonPath: string;
  vmFd: number;
  mmapSize: number;
  id: number;
  boot: VcpuBoot;
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  counters: SharedArrayBuffer;
  /** Without an in-kernel irqchip, HLT is an exit; the self-test guests end with it. */
  hltEndsRun: boolean;
  /** arm64: the host has KVM_CAP_ARM_INJECT_EXT_DABT (MMIO to no device → external abort). */
  injectExtDabt?: boolean;
}

export type VcpuOutcome = (
  | { kind: 'stopped' }
  | { kind: 'hlt' }
  | { kind: 'shutdown' }
  | { kind: 'system-event'; type: number }
  | { kind: 'error'; message: string; exit?: string }
) & {
  /** arm64: the vCPU's registers when it stopped (ONE_REG), for error and timeout reports. */
  state?: string;
};

/** ONE_REG ids of AArch64 core registers: KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offset in kvm_regs) / 4. */
export const ARM64_CORE_REG = (offsetBytes: number): bigint => 0x6030_0000_0010_0000n | BigInt(offsetBytes / 4);
export const ARM64_X0 = ARM64_CORE_REG(0);
export const ARM64_PC = ARM64_CORE_REG(32 * 8);
export const ARM64_PSTATE = ARM64_CORE_REG(33 * 8);
/** struct kvm_regs: user_pt_regs (x0..x30, sp, pc, pstate), then sp_el1, elr_el1. */
export const ARM64_ELR_EL1 = ARM64_CORE_REG(34 * 8 + 8);
/** System registers: KVM_REG_ARM64 | SIZE_U64 | KVM_REG_ARM64_SYSREG | op0:op1:CRn:CRm:op2. */
export const ARM64_SYS_REG = (op0: number, op1: number, crn: number, crm: number, op2: number): bigint =>
  0x6030_0000_0013_0000n | BigInt((op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2);
export const ARM64_ESR_EL1 = ARM64_SYS_REG(3, 0, 5, 2, 0);
export const ARM64_FAR_EL1 = ARM64_SYS_REG(3, 0, 6, 0, 0);
/** EL1h with D, A, I, F masked (Linux booting.rst). */
export const PSTATE_EL1H_DAIF = 0x3c5n;

const nowNs = (): number => performance.now() * 1e6;

export class VcpuLoop {
  private readonly ctl: Int32Array;
  private readonly slot: Int32Array;
  private readonly sb: number;
  private readonly cnt: Float64Array;
  private readonly cb: number;
  readonly vm: KvmVm;
  readonly vcpu: KvmVcpu;
  /** arm64 with KVM_CAP_ARM_INJECT_EXT_DABT: accesses to nothing become external aborts. */
  private readonly injectAborts: boolean;

  constructor(
    readonly addon: KvmAddon,
    readonly init: VcpuWorkerInit,
  ) {
    this.ctl = new Int32Array(init.control, init.id * CTRL_WORDS * 4, CTRL_WORDS);
    this.slot = new Int32Array(init.slots);
    this.sb = init.id * SLOT_WORDS;
    this.cnt = new Float64Array(init.counters);
    this.cb = init.id * COUNTER_WORDS;
    this.vm = addon.openVm(init.vmFd, init.mmapSize);
    this.injectAborts = init.boot.arch === 'arm64' && (init.injectExtDabt ?? false);
    try {
      this.vcpu = this.vm.createVcpu(init.id);
      this.setUp(init.boot);
    } catch (e) {
      this.vm.close();
      throw e;
    }
  }

  private setUp(boot: VcpuBoot): void {
    const v = this.vcpu;
    if (boot.arch === 'x86-real') {
      const seg = (base: number) => ({ base, selector: base < 0x10_0000 ? base >>> 4 : 0, limit: 0xffff });
      const s = boot.segments ?? {};
      v.setSregs({ cs: seg(s.cs ?? 0), ds: seg(s.ds ?? 0), es: seg(s.es ?? 0), ss: seg(s.ss ?? 0) });
      v.setRegs({ ...boot.regs, rip: boot.rip, rflags: 2 });
      return;
    }
    const { target } = this.vm.armPreferredTarget();
    const k = this.addon.constants;
    const features = [k.KVM_ARM_VCPU_PSCI_0_2];
    if (boot.powerOff) features.push(k.KVM_ARM_VCPU_POWER_OFF);
    v.armVcpuInit(target, features);
    if (!boot.powerOff) {
      v.setOneReg(ARM64_PSTATE, PSTATE_EL1H_DAIF);
      if (boot.pc !== undefined) v.setOneReg(ARM64_PC, boot.pc);
      if (boot.x0 !== undefined) v.setOneReg(ARM64_X0, boot.x0);
    }
  }

  /** Runs until the guest stops or the owner asks to stop; always closes the vCPU and the VM handle. */
  run(): VcpuOutcome {
    try {
      let o: VcpuOutcome;
      try {
        o = this.loop();
      } catch (e) {
        o = { kind: 'error', message: (e as Error).message };
      }
      if (this.init.boot.arch === 'arm64') o.state = this.describeArm64();
      return o;
    } finally {
      Atomics.store(this.ctl, STATE, ST_DONE);
      Atomics.notify(this.ctl, STATE);
      this.vcpu.close();
      this.vm.close();
    }
  }

  private loop(): VcpuOutcome {
    const c = this.cnt;
    const b = this.cb;
    const v = this.vcpu;
    let t = nowNs();
    for (;;) {
      const req = Atomics.load(this.ctl, REQ);
      if (req !== REQ_RUN) {
        if (req === REQ_STOP) return { kind: 'stopped' };
        this.hold(req);
        t = nowNs();
        continue;
      }
      const before = v.runNs;
      const exit = v.run();
      const guest = v.runNs - before;
      const now = nowNs();
      c[b + C_GUEST_NS] += guest;
      c[b + C_USER_NS] += now - t - guest;
      t = now;
      c[b + C_RUNS]++;
      c[b + exit.code]++;
      const out = this.onExit(exit);
      if (out) return out;
    }
  }

  /** arm64: PC, PSTATE, the EL1 exception registers and X0..X30/SP, read by ONE_REG (as `describeCpu` prints TCG's). */
  private describeArm64(): string {
    const v = this.vcpu;
    // KVM resets registers whose reset value is architecturally UNKNOWN to this pattern (reset_unknown).
    const hex = (x: bigint, w = 16): string => (x === 0x1de7ec7edbadc0den ? 'UNKNOWN(never written)' : x.toString(16).padStart(w, '0'));
    try {
      const pstate = v.getOneReg(ARM64_PSTATE);
      const el = Number((pstate >> 2n) & 3n);
      const lines = [
        `PC=${hex(v.getOneReg(ARM64_PC))} EL${el}${(pstate & 1n) !== 0n ? 'h' : 't'} PSTATE=${hex(pstate, 8)}`,
        `  last exception: ESR_EL1=${hex(v.getOneReg(ARM64_ESR_EL1), 8)} FAR_EL1=${hex(v.getOneReg(ARM64_FAR_EL1))} ELR_EL1=${hex(v.getOneReg(ARM64_ELR_EL1))}`,
      ];
      for (let i = 0; i < 32; i += 4) {
        const row: string[] = [];
        for (let n = i; n < i + 4; n++) {
          // The SP in use: SP_EL1 (kvm_regs.sp_el1) at EL1h, else SP_EL0 (user_pt_regs.sp).
          const sp = el >= 1 && (pstate & 1n) !== 0n ? ARM64_CORE_REG(34 * 8) : ARM64_CORE_REG(31 * 8);
          row.push(n === 31 ? ` sp=${hex(v.getOneReg(sp))}` : `${('x' + n).padStart(3)}=${hex(v.getOneReg(ARM64_CORE_REG(n * 8)))}`);
        }
        lines.push('  ' + row.join(' '));
      }
      return lines.join('\n');
    } catch (e) {
      return `registers unavailable: ${(e as Error).message}`;
    }
  }

  /** HOLD (before the first run) or PAUSE: wait until the request changes. */
  private hold(req: number): void {
    Atomics.store(this.ctl, STATE, req === REQ_PAUSE ? ST_PAUSED : ST_READY);
    Atomics.notify(this.ctl, STATE);
    while (Atomics.load(this.ctl, REQ) === req) Atomics.wait(this.ctl, REQ, req);
    Atomics.store(this.ctl, STATE, ST_RUNNING);
    Atomics.notify(this.ctl, STATE);
  }

  private onExit(e: KvmExit): VcpuOutcome | undefined {
    switch (e.reason) {
      case 'mmio':
        this.mmio(e.addr, e.len, e.isWrite, e.data, e.dataHi);
        return undefined;
      case 'io':
        this.cnt[this.cb + C_IO]++;
        if (!e.isWrite) this.vcpu.setIoData(0); // no port devices: IN reads 0
        return undefined;
      case 'intr':
      case 'irq-window':
        return undefined;
      case 'hlt':
        return this.init.hltEndsRun ? { kind: 'hlt' } : undefined;
      case 'shutdown':
        return { kind: 'shutdown' };
      case 'system-event':
        return { kind: 'system-event', type: e.type };
      case 'internal-error':
        return {
          kind: 'error',
          exit: e.reason,
          message: `KVM internal error, suberror ${e.suberror} [${e.data.map((x) => '0x' + x.toString(16)).join(', ')}]`,
        };
      case 'fail-entry':
        return {
          kind: 'error',
          exit: e.reason,
          message: `KVM could not enter the guest: hardware reason 0x${e.hardwareEntryFailureReason.toString(16)}`,
        };
      case 'exception':
        return { kind: 'error', exit: e.reason, message: `guest exception ${e.exception} (error code ${e.errorCode})` };
      case 'unknown':
        return { kind: 'error', exit: e.reason, message: `unknown exit: hardware reason 0x${e.hardwareExitReason.toString(16)}` };
      case 'arm-nisv':
        return { kind: 'error', exit: e.reason, message: `data abort KVM cannot decode at IPA 0x${e.faultIpa.toString(16)}` };
      default:
        return { kind: 'error', exit: e.reason, message: `unhandled KVM exit ${e.code}` };
    }
  }

  /** One MMIO access through the request slot: block until the device side replies. */
  private mmio(addr: number, len: number, isWrite: boolean, lo: number, hi: number): void {
    const s = this.slot;
    const b = this.sb;
    const c = this.cnt;
    const t0 = nowNs();
    // Gives up only when the owner asked to stop (it may no longer answer).
    if (!slotRequest(s, b, addr, len, isWrite, lo, hi, () => Atomics.load(this.ctl, REQ) === REQ_STOP, 100)) return;
    const unmapped = s[b + SLOT_UNMAPPED] !== 0;
    if (unmapped) c[this.cb + C_MMIO_UNMAPPED]++;
    // No RAM and no device there: on arm64 a synchronous external abort, as TCG's board (and
    // hardware) gives; elsewhere, or without KVM_CAP_ARM_INJECT_EXT_DABT, reads return 0.
    if (unmapped && this.injectAborts) this.vcpu.injectExtDabt();
    else if (!isWrite) this.vcpu.setMmioData(s[b + SLOT_DATA_LO], s[b + SLOT_DATA_HI]);
    slotDone(s, b);
    c[this.cb + (isWrite ? C_MMIO_WRITES : C_MMIO_READS)]++;
    c[this.cb + C_MMIO_WAIT_NS] += nowNs() - t0;
  }
}

export { REQ_HOLD, REQ_RUN, REQ_PAUSE, REQ_STOP, ST_READY, ST_RUNNING, ST_PAUSED, ST_DONE };

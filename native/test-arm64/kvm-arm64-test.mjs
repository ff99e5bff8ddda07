// The arm64 KVM test, run inside the lane's arm64 Linux guest (scripts/kvm-arm64-lane.sh)
// by Debian's arm64 node with the addon cross-built for arm64. Plain JavaScript for
// Node 18 (Debian 12's nodejs), no imports from the repository but the guest bytes.
//
// It drives the addon's arm64 path the way the KVM backend does (core/kvm/vcpu-loop.ts,
// machine.ts): KVM_CAP_ARM_VM_IPA_SIZE → KVM_CREATE_VM type, guest RAM from a
// SharedArrayBuffer typed array, KVM_ARM_PREFERRED_TARGET, KVM_ARM_VCPU_INIT with
// PSCI 0.2 (a second vCPU with POWER_OFF), ONE_REG PC/X0/X1/PSTATE, the in-kernel vGICv3
// at the virt board's addresses, KVM_IRQ_LINE, then runs guest.S and checks every exit
// and the RAM from JS. One line per check: "PASS <what>" or "FAIL <what>: <why>"; the
// last line is "kvm-arm64: <n> passed, <m> failed". Exit status 0 only with no failure.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { GUEST, MMIO_READ_PC, MMIO_WRITE_PC, PSCI_HVC_PC, RAM_BASE } from './guest-bytes.mjs';

const ADDON = process.env.ARMLAB_KVM_ADDON ?? new URL('./armlab_kvm.node', import.meta.url).pathname;
const RAM_SIZE = 0x10000; // 64 KiB at RAM_BASE (the guest and its pattern)
const HIGH_BASE = 2 ** 40; // a second slot just above the default 40-bit IPA space
const HIGH_SIZE = 0x1000;
const UART = 0x0900_0000; // PL011 (QEMU virt)
const UART_FR_VALUE = 0x90; // what the "device" answers for UARTFR (TXFE | RXFE)
const GICD = 0x0800_0000;
const GICR = 0x080a_0000;
const NR_IRQS = 96; // 32 private + 64 SPIs
const SPI = 33; // an SPI (INTID ≥ 32), as the PL011's IRQ 1 + 32

// ONE_REG ids of AArch64 core registers (vcpu-loop.ts): KVM_REG_ARM64 | U64 | CORE | offset/4.
const core = (off) => 0x6030_0000_0010_0000n | BigInt(off / 4);
const X = (n) => core(n * 8);
const PC = core(32 * 8);
const PSTATE = core(33 * 8);
const PSTATE_EL1H_DAIF = 0x3c5n;

let passed = 0;
let failed = 0;
const hex = (v) => '0x' + v.toString(16);
function check(what, fn) {
  try {
    const detail = fn();
    passed++;
    console.log(`PASS ${what}${detail ? ` (${detail})` : ''}`);
    return true;
  } catch (e) {
    failed++;
    console.log(`FAIL ${what}: ${e && e.message ? e.message : e}`);
    return false;
  }
}
function expectEq(actual, expected, what) {
  if (actual !== expected) throw new Error(`${what}: got ${fmt(actual)}, expected ${fmt(expected)}`);
}
const fmt = (v) => (typeof v === 'bigint' || typeof v === 'number' ? hex(v) : JSON.stringify(v));
const exitText = (e) => JSON.stringify(e, (_, v) => (typeof v === 'bigint' ? hex(v) : v));
const openFds = () => readdirSync('/proc/self/fd').length;

/** Page-aligned guest RAM over a SharedArrayBuffer (core/kvm/ram.ts: Node 18 has no growable SAB, so offset the view). */
function guestRam(addon, size) {
  const page = addon.pageSize;
  const sab = new SharedArrayBuffer(size + page);
  const off = (page - addon.pageOffset(new Uint8Array(sab))) % page;
  return new Uint8Array(sab, off, size);
}

function main() {
  console.log(`kvm-arm64: node ${process.version} ${process.arch}, addon ${ADDON}`);
  let addon;
  if (
    !check('the arm64 addon loads in arm64 node', () => {
      addon = createRequire(import.meta.url)(ADDON);
      expectEq(addon.arch, 'arm64', 'addon.arch');
      return `abi ${addon.abi}, page ${addon.pageSize}`;
    })
  )
    return;
  const k = addon.constants;
  const fds0 = openFds();
  let kvm;
  if (
    !check('/dev/kvm opens: KVM_GET_API_VERSION = 12', () => {
      kvm = new addon.Kvm();
      expectEq(kvm.apiVersion(), 12, 'API version');
    })
  )
    return;

  let ipaBits = 40;
  check('capabilities: ONE_REG, DEVICE_CTRL, IMMEDIATE_EXIT, ARM_PSCI_0_2, ARM_VM_IPA_SIZE', () => {
    for (const cap of [
      'KVM_CAP_ONE_REG',
      'KVM_CAP_DEVICE_CTRL',
      'KVM_CAP_IMMEDIATE_EXIT',
      'KVM_CAP_ARM_PSCI_0_2',
      'KVM_CAP_ARM_VM_IPA_SIZE',
    ]) {
      if (!(kvm.checkExtension(k[cap]) > 0)) throw new Error(`${cap} is absent`);
    }
    ipaBits = kvm.checkExtension(k.KVM_CAP_ARM_VM_IPA_SIZE);
    if (ipaBits <= 40) throw new Error(`KVM_CAP_ARM_VM_IPA_SIZE = ${ipaBits}: no IPA space above 2^40 to test`);
    return `IPA up to ${ipaBits} bits`;
  });

  check('a default VM (type 0, 40-bit IPA) refuses a memory slot at 2^40', () => {
    const vm0 = kvm.createVm(0);
    try {
      vm0.setUserMemoryRegion(0, HIGH_BASE, guestRam(addon, HIGH_SIZE));
      throw new Error('KVM_SET_USER_MEMORY_REGION accepted it');
    } catch (e) {
      if (e.syscall !== 'KVM_SET_USER_MEMORY_REGION') throw e;
      return e.message;
    } finally {
      vm0.close();
    }
  });

  let vm;
  if (
    !check(`KVM_CREATE_VM with the IPA size as its type (${ipaBits})`, () => {
      vm = kvm.createVm(ipaBits & k.KVM_VM_TYPE_ARM_IPA_SIZE_MASK);
    })
  )
    return;

  const ram = guestRam(addon, RAM_SIZE);
  const high = guestRam(addon, HIGH_SIZE);
  check('guest RAM from SharedArrayBuffer typed arrays: slots at 0x40000000 and 2^40', () => {
    expectEq(addon.pageOffset(ram), 0, 'page offset of the RAM view');
    ram.set(GUEST, 0);
    vm.setUserMemoryRegion(0, RAM_BASE, ram);
    vm.setUserMemoryRegion(1, HIGH_BASE, high);
  });

  let vcpu;
  let vcpu1;
  let target;
  if (
    !check('KVM_ARM_PREFERRED_TARGET + KVM_ARM_VCPU_INIT (PSCI 0.2); vCPU 1 with POWER_OFF', () => {
      ({ target } = vm.armPreferredTarget());
      vcpu = vm.createVcpu(0);
      vcpu.armVcpuInit(target, [k.KVM_ARM_VCPU_PSCI_0_2]);
      vcpu1 = vm.createVcpu(1);
      vcpu1.armVcpuInit(target, [k.KVM_ARM_VCPU_PSCI_0_2, k.KVM_ARM_VCPU_POWER_OFF]);
      return `target ${target}`;
    })
  )
    return;

  check('ONE_REG: PSTATE, PC, X0, X1 set and read back', () => {
    vcpu.setOneReg(PSTATE, PSTATE_EL1H_DAIF);
    vcpu.setOneReg(PC, BigInt(RAM_BASE));
    vcpu.setOneReg(X(1), 0x1234_5678_9abc_def0n);
    vcpu.setOneReg(X(0), BigInt(HIGH_BASE + 0x10));
    expectEq(vcpu.getOneReg(PSTATE), PSTATE_EL1H_DAIF, 'PSTATE');
    expectEq(vcpu.getOneReg(PC), BigInt(RAM_BASE), 'PC');
    expectEq(vcpu.getOneReg(X(1)), 0x1234_5678_9abc_def0n, 'X1');
    expectEq(vcpu.getOneReg(X(0)), BigInt(HIGH_BASE + 0x10), 'X0');
  });

  let gic;
  check('in-kernel vGICv3: distributor 0x08000000, redistributors 0x080a0000, NR_IRQS, CTRL_INIT', () => {
    gic = vm.createDevice(k.KVM_DEV_TYPE_ARM_VGIC_V3);
    gic.setAttr(k.KVM_DEV_ARM_VGIC_GRP_ADDR, k.KVM_VGIC_V3_ADDR_TYPE_DIST, GICD);
    gic.setAttr(k.KVM_DEV_ARM_VGIC_GRP_ADDR, k.KVM_VGIC_V3_ADDR_TYPE_REDIST, GICR);
    gic.setAttr(k.KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0, NR_IRQS);
    gic.setAttr(k.KVM_DEV_ARM_VGIC_GRP_CTRL, k.KVM_DEV_ARM_VGIC_CTRL_INIT);
    expectEq(gic.getAttr(k.KVM_DEV_ARM_VGIC_GRP_NR_IRQS, 0), BigInt(NR_IRQS), 'NR_IRQS read back');
    // GICD_TYPER.ITLinesNumber = NR_IRQS / 32 - 1.
    const typer = gic.getAttr(k.KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x0004);
    expectEq(Number(typer & 0x1fn), NR_IRQS / 32 - 1, 'GICD_TYPER.ITLinesNumber');
  });

  check(`KVM_IRQ_LINE: level-sensitive SPI ${SPI} raised and lowered, as the vGIC's line level shows`, () => {
    const line = (k.KVM_ARM_IRQ_TYPE_SPI << k.KVM_ARM_IRQ_TYPE_SHIFT) | SPI;
    // KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO: the line levels KVM_IRQ_LINE sets, 32 INTIDs per read (here 32..63).
    const levels = (k.VGIC_LEVEL_INFO_LINE_LEVEL << k.KVM_DEV_ARM_VGIC_LINE_LEVEL_INFO_SHIFT) | 32;
    const level = () => (gic.getAttr(k.KVM_DEV_ARM_VGIC_GRP_LEVEL_INFO, levels) >> BigInt(SPI - 32)) & 1n;
    // KVM resets SPIs edge-triggered; make INTIDs 32..47 level-sensitive (GICD_ICFGR2 = 0), as a
    // guest's driver for a level interrupt such as the PL011's would, so the vGIC tracks the line.
    gic.setAttr(k.KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x0c08, 0);
    expectEq(gic.getAttr(k.KVM_DEV_ARM_VGIC_GRP_DIST_REGS, 0x0c08), 0n, 'GICD_ICFGR2');
    expectEq(level(), 0n, 'level before');
    vm.irqLine(line, true);
    expectEq(level(), 1n, 'level after raise');
    vm.irqLine(line, false);
    expectEq(level(), 0n, 'level after lower');
  });

  // ---- run the guest
  const exits = [];
  const next = () => {
    for (;;) {
      const e = vcpu.run();
      if (e.reason !== 'intr') {
        exits.push(e.reason);
        return e;
      }
    }
  };
  let ok = check('run: MMIO write exit, STRB of "K" to the PL011 data register', () => {
    const e = next();
    if (e.reason !== 'mmio') throw new Error(`exit ${exitText(e)}`);
    expectEq(e.addr, UART, 'addr');
    expectEq(e.len, 1, 'len');
    expectEq(e.isWrite, true, 'isWrite');
    expectEq(e.data, 0x4b, 'data');
    expectEq(vcpu.getOneReg(PC), BigInt(MMIO_WRITE_PC), 'PC (ONE_REG) at the exit');
    return `PC ${hex(MMIO_WRITE_PC)}`;
  });
  if (ok)
    ok = check('run: MMIO read exit from UARTFR, completed with setMmioData', () => {
      const e = next();
      if (e.reason !== 'mmio') throw new Error(`exit ${exitText(e)}`);
      expectEq(e.addr, UART + 0x18, 'addr');
      expectEq(e.len, 4, 'len');
      expectEq(e.isWrite, false, 'isWrite');
      expectEq(vcpu.getOneReg(PC), BigInt(MMIO_READ_PC), 'PC (ONE_REG) at the exit');
      vcpu.setMmioData(UART_FR_VALUE);
    });
  if (ok)
    check('run: PSCI SYSTEM_OFF through HVC gives a SYSTEM_EVENT exit (SHUTDOWN)', () => {
      const e = next();
      if (e.reason !== 'system-event') throw new Error(`exit ${exitText(e)}`);
      expectEq(e.type, k.KVM_SYSTEM_EVENT_SHUTDOWN, 'system_event.type');
      expectEq(vcpu.getOneReg(PC), BigInt(PSCI_HVC_PC + 4), 'PC after the HVC');
      return `exits ${exits.join(' → ')}, ${vcpu.runs} KVM_RUNs, ${(vcpu.runNs / 1e6).toFixed(2)} ms in KVM_RUN`;
    });

  check('guest RAM seen from JS: 16-word pattern, the MMIO read value, the word above 2^40', () => {
    const words = new Uint32Array(ram.buffer, ram.byteOffset + 0x1000, 17);
    for (let i = 0; i < 16; i++) expectEq(words[i], (0xc0debeef + i * 0x01010101) >>> 0, `pattern word ${i}`);
    expectEq(words[16], UART_FR_VALUE, 'value the MMIO read returned');
    expectEq(new Uint32Array(high.buffer, high.byteOffset + 0x10, 1)[0], 0x48494748, 'word at 2^40 + 0x10');
  });

  check('close: no file descriptors left open', () => {
    vcpu1.close();
    vcpu.close();
    gic.close();
    vm.close();
    kvm.close();
    expectEq(openFds(), fds0, 'open fds');
  });
}

try {
  main();
} catch (e) {
  failed++;
  console.log(`FAIL unexpected error: ${e && e.stack ? e.stack : e}`);
}
console.log(`kvm-arm64: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;

/** What this host's KVM offers, for `armlab kvm` and the UI: works without the addon and without /dev/kvm. */
import { accessSync, constants as fsc, existsSync } from 'node:fs';
import { loadKvmAddon } from './addon.js';

export interface KvmGuestArch {
  arch: 'x86_64' | 'aarch64';
  runnable: boolean;
  why: string;
}

export interface KvmHostInfo {
  hostArch: string;
  /** /dev/kvm: present and openable by this user. */
  device: { present: boolean; accessible: boolean; reason?: string };
  addon: { loaded: boolean; path: string; reason?: string };
  apiVersion?: number;
  /** Capabilities that matter to the lab, by name: KVM_CHECK_EXTENSION's answer (0 = absent). */
  caps: Record<string, number>;
  /** arm64: the largest IPA size KVM_CREATE_VM accepts (KVM_CAP_ARM_VM_IPA_SIZE; 40 when the cap is absent). */
  ipaBits?: number;
  guests: KvmGuestArch[];
  error?: string;
}

const X86_CAPS = ['KVM_CAP_USER_MEMORY', 'KVM_CAP_NR_VCPUS', 'KVM_CAP_MAX_VCPUS', 'KVM_CAP_NR_MEMSLOTS', 'KVM_CAP_IMMEDIATE_EXIT', 'KVM_CAP_IRQCHIP',
  'KVM_CAP_SYNC_MMU', 'KVM_CAP_READONLY_MEM', 'KVM_CAP_IOEVENTFD', 'KVM_CAP_IRQFD', 'KVM_CAP_COALESCED_MMIO', 'KVM_CAP_INTERNAL_ERROR_DATA',
  'KVM_CAP_ONE_REG', 'KVM_CAP_DEVICE_CTRL', 'KVM_CAP_SET_TSS_ADDR', 'KVM_CAP_EXT_CPUID']; // prettier-ignore
const ARM_CAPS = ['KVM_CAP_USER_MEMORY', 'KVM_CAP_NR_VCPUS', 'KVM_CAP_MAX_VCPUS', 'KVM_CAP_NR_MEMSLOTS', 'KVM_CAP_IMMEDIATE_EXIT', 'KVM_CAP_ONE_REG',
  'KVM_CAP_DEVICE_CTRL', 'KVM_CAP_IRQCHIP', 'KVM_CAP_ARM_VM_IPA_SIZE', 'KVM_CAP_ARM_PSCI_0_2', 'KVM_CAP_ARM_PMU_V3', 'KVM_CAP_ARM_EL1_32BIT',
  'KVM_CAP_ARM_SVE', 'KVM_CAP_ARM_PTRAUTH_ADDRESS', 'KVM_CAP_ARM_PTRAUTH_GENERIC', 'KVM_CAP_ARM_MTE', 'KVM_CAP_ARM_NISV_TO_USER',
  'KVM_CAP_READONLY_MEM', 'KVM_CAP_IRQFD', 'KVM_CAP_IOEVENTFD', 'KVM_CAP_ARM_INJECT_EXT_DABT']; // prettier-ignore

function hostGuestArch(): 'x86_64' | 'aarch64' | undefined {
  return process.arch === 'x64' ? 'x86_64' : process.arch === 'arm64' ? 'aarch64' : undefined;
}

/** Why KVM cannot run `arch` here, or undefined when it can (given a working /dev/kvm). */
function whyNot(arch: 'x86_64' | 'aarch64'): string | undefined {
  const host = hostGuestArch();
  if (host === arch) return undefined;
  return (
    `KVM runs guests of the host's own instruction set: the CPU executes guest code natively under hardware virtualization ` +
    `(${process.arch === 'x64' ? 'VT-x/AMD-V' : 'the host CPU'}), and this ${process.arch} CPU cannot execute ${arch === 'aarch64' ? 'A64' : 'x86'} code. ` +
    (arch === 'aarch64'
      ? 'Run AArch64 guests under TCG here, or under KVM on an arm64 host.'
      : 'x86 guests are only used by the self-tests.')
  );
}

/** `devicePath`: ARMLAB_KVM_DEVICE or /dev/kvm (tests point it at a missing file to see the report without KVM). */
export function describeKvm(devicePath = process.env.ARMLAB_KVM_DEVICE ?? '/dev/kvm'): KvmHostInfo {
  const info: KvmHostInfo = {
    hostArch: process.arch,
    device: { present: false, accessible: false },
    addon: { loaded: false, path: '' },
    caps: {},
    guests: [],
  };
  if (process.platform !== 'linux') info.device.reason = `KVM exists only on Linux (this is ${process.platform})`;
  else if (!existsSync(devicePath))
    info.device.reason = `${devicePath} does not exist (KVM module not loaded, no hardware virtualization, or a container without the device)`;
  else {
    info.device.present = true;
    try {
      accessSync(devicePath, fsc.R_OK | fsc.W_OK);
      info.device.accessible = true;
    } catch {
      info.device.reason = `${devicePath} exists but this user cannot open it (add the user to the 'kvm' group)`;
    }
  }
  const l = loadKvmAddon();
  info.addon = l.ok ? { loaded: true, path: l.path } : { loaded: false, path: l.path, reason: l.reason };
  if (l.ok && info.device.accessible) {
    try {
      const kvm = new l.addon.Kvm(devicePath);
      try {
        info.apiVersion = kvm.apiVersion();
        const names = l.addon.arch === 'arm64' ? ARM_CAPS : X86_CAPS;
        for (const n of names) if (n in l.addon.constants) info.caps[n] = kvm.checkExtension(l.addon.constants[n]);
        if (l.addon.arch === 'arm64') info.ipaBits = info.caps.KVM_CAP_ARM_VM_IPA_SIZE || 40;
      } finally {
        kvm.close();
      }
    } catch (e) {
      info.error = (e as Error).message;
    }
  }
  const usable = info.device.accessible && info.addon.loaded && info.apiVersion === 12;
  const blocker = !info.device.accessible
    ? info.device.reason
    : !info.addon.loaded
      ? info.addon.reason
      : info.apiVersion !== 12
        ? (info.error ?? `unexpected KVM API version ${info.apiVersion}`)
        : undefined;
  for (const arch of ['aarch64', 'x86_64'] as const) {
    const no = whyNot(arch);
    if (no) info.guests.push({ arch, runnable: false, why: no });
    else if (!usable) info.guests.push({ arch, runnable: false, why: `this is the host's architecture, but ${blocker}` });
    else
      info.guests.push({
        arch,
        runnable: true,
        why:
          arch === 'aarch64'
            ? `host architecture; IPA up to ${info.ipaBits} bits`
            : 'host architecture (the self-tests use 16-bit real-mode guests)',
      });
  }
  return info;
}

/**
 * The instruction syndrome of a data abort (ESR_ELx.ISS ISV, SAS, SSE, SRT, SF, AR),
 * which hypervisors use to emulate MMIO: recovered from the faulting instruction's
 * encoding at fault time, so loads and stores carry nothing extra on their hot path.
 * Valid (Arm ARM D19.2, ISS encoding for a Data Abort) for single general-purpose
 * register loads/stores without writeback, including acquire/release forms;
 * not for pairs, exclusives, atomics, SIMD&FP registers or writeback forms.
 */
import type { Cpu } from './cpu.js';
import { ACC_EXEC } from '../mem/mempath.js';

/** ISS bits [24:14] for the instruction, or 0 when it has no valid syndrome. */
export function instructionSyndrome(insn: number): number {
  const size = insn >>> 30;
  const rt = insn & 31;
  let sse = 0;
  let sf: number;
  let ar = 0;
  if ((insn & 0x3f000000) === 0x08000000) {
    // Load/store ordered: LDAR/STLR (o2 = 1, o1 = 0, o0 = 1, Rs = Rt2 = 11111).
    if ((insn & 0x00a08000) !== 0x00808000) return 0;
    ar = 1;
    sf = size === 3 ? 1 : 0;
  } else {
    const single =
      (insn & 0x3b000000) === 0x39000000 || // unsigned immediate
      (insn & 0x3b200c00) === 0x38000000 || // unscaled immediate
      (insn & 0x3b200c00) === 0x38200800 || // register offset
      (insn & 0x3b200c00) === 0x38000800; // unprivileged
    if (!single) return 0;
    const opc = (insn >>> 22) & 3;
    if (opc === 0)
      sf = size === 3 ? 1 : 0; // store
    else if (opc === 1)
      sf = size === 3 ? 1 : 0; // load, zero-extending
    else {
      if (size === 3) return 0; // PRFM / unallocated
      if (size === 2 && opc === 3) return 0;
      sse = 1;
      sf = opc === 2 ? 1 : 0; // LDRS* to X (opc 10) or W (opc 11)
    }
  }
  return (1 << 24) | (size << 22) | (sse << 21) | (rt << 16) | (sf << 15) | (ar << 14);
}

/** The instruction word at (pcLo, pcHi), read through the current translation; undefined if it cannot be fetched. */
export function fetchInsn(c: Cpu, pcLo: number, pcHi: number): number | undefined {
  const m = c.mem;
  const saved = [m.fault, m.faultStatus, m.faultVaLo, m.faultVaHi, m.faultAcc, m.faultS1ptw, m.faultIpa, m.faultStage2];
  const pa = m.translate(m, pcLo, pcHi, ACC_EXEC);
  [m.fault, m.faultStatus, m.faultVaLo, m.faultVaHi, m.faultAcc, m.faultS1ptw, m.faultIpa, m.faultStage2] = saved;
  if (pa < 0) return undefined;
  const r = m.bus.find(pa);
  if (r === undefined || r.kind !== 'ram') return undefined;
  return r.i32[(pa - r.base) >> 2];
}

/**
 * What the fuzzer may run, decided from the instruction word's top-level
 * encoding (Arm ARM C4.1), independently of how the decode table names or
 * splits encodings.
 */

export type Kind =
  | 'ldst' // loads and stores (op0 = x1x0)
  | 'b' // B, BL
  | 'bcond' // B.cond, BC.cond
  | 'cb' // CBZ, CBNZ
  | 'tb' // TBZ, TBNZ
  | 'excgen' // exception generation
  | 'system' // system instructions, hints, barriers, MRS/MSR
  | 'breg' // branch to register, ERET, …
  | 'branchOther' // anything else in the branch group
  | 'dp'; // data processing, FP, SIMD

export function kindOf(w: number): Kind {
  if ((w & 0x0a000000) >>> 0 === 0x08000000) return 'ldst';
  if ((w & 0x1c000000) >>> 0 !== 0x14000000) return 'dp';
  if ((w & 0x7c000000) >>> 0 === 0x14000000) return 'b';
  if ((w & 0xff000000) >>> 0 === 0x54000000) return 'bcond';
  if ((w & 0x7e000000) >>> 0 === 0x34000000) return 'cb';
  if ((w & 0x7e000000) >>> 0 === 0x36000000) return 'tb';
  if ((w & 0xff000000) >>> 0 === 0xd4000000) return 'excgen';
  if ((w & 0xffc00000) >>> 0 === 0xd5000000) return 'system';
  if ((w & 0xfe000000) >>> 0 === 0xd6000000) return 'breg';
  return 'branchOther';
}

/** LDR/LDRSW/PRFM (literal), integer and SIMD&FP: PC-relative loads. */
export function isLiteralLoad(w: number): boolean {
  return (w & 0x3b000000) >>> 0 === 0x18000000;
}

/**
 * Exception generation the harness can catch and both emulators must report
 * alike: SVC, BRK, HLT other than the semihosting call. Not HVC/SMC (QEMU's
 * PSCI conduit may claim them) or DCPS (debug state).
 */
function excgenAllowed(w: number): boolean {
  const opc = (w >>> 21) & 7;
  const ll = w & 3;
  const op2 = (w >>> 2) & 7;
  if (op2 !== 0) return false;
  if (opc === 0) return ll === 1; // SVC
  if (opc === 1) return ll === 0; // BRK
  if (opc === 2) return ll === 0 && ((w >>> 5) & 0xffff) !== 0xf000; // HLT, not semihosting
  return false;
}

/** System instructions whose effect the harness observes completely and that do not depend on implementation-defined state. */
function systemAllowed(w: number): boolean {
  const l = (w >>> 21) & 1;
  const op0 = (w >>> 19) & 3;
  const op1 = (w >>> 16) & 7;
  const crn = (w >>> 12) & 15;
  const crm = (w >>> 8) & 15;
  const op2 = (w >>> 5) & 7;
  const rt = w & 31;
  if (op0 >= 2) {
    // MRS/MSR: NZCV, FPCR, FPSR only
    if (op0 !== 3 || op1 !== 3 || crn !== 4) return false;
    return (crm === 2 && op2 === 0) || (crm === 4 && (op2 === 0 || op2 === 1));
  }
  if (op0 !== 0 || l !== 0 || rt !== 31) return false;
  if (crn === 2 && op1 === 3) {
    // hints: not WFE/WFI (would wait forever), not XPACLRI (depends on the VA size), not CHKFEAT (reports features)
    const h = (crm << 3) | op2;
    return h !== 2 && h !== 3 && h !== 7 && h !== 40;
  }
  if (crn === 3 && op1 === 3) return op2 === 2 || op2 === 4 || op2 === 5 || op2 === 6 || op2 === 7; // CLREX, DSB, DMB, ISB, SB
  if (crn === 4 && op1 === 0 && crm === 0) return op2 <= 2; // CFINV, XAFLAG, AXFLAG
  return false;
}

/** True when a word of this kind may appear in a slot at all (before operand constraints). */
export function wordAllowed(w: number): boolean {
  switch (kindOf(w)) {
    case 'excgen':
      return excgenAllowed(w);
    case 'system':
      return systemAllowed(w);
    case 'breg':
    case 'branchOther':
      return false;
    default:
      return true;
  }
}

/** Offset field (lsb, width) of a PC-relative branch the generator aims forward inside the slot. */
export function branchField(kind: Kind): [number, number] | undefined {
  switch (kind) {
    case 'b':
      return [0, 26];
    case 'bcond':
    case 'cb':
      return [5, 19];
    case 'tb':
      return [5, 14];
    default:
      return undefined;
  }
}

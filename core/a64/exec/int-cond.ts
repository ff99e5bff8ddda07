/**
 * ConditionHolds (Arm ARM J1, shared/functions/system/ConditionHolds) as a table:
 * COND_TABLE[cond] has bit nzcv set when `cond` holds for PSTATE.NZCV = nzcv, so
 * an op tests `(COND_TABLE[cond] >> c.nzcv) & 1` with the entry captured at decode time.
 */
import { FLAG_C, FLAG_N, FLAG_V, FLAG_Z } from '../cpu.js';

function conditionHolds(cond: number, nzcv: number): boolean {
  const n = (nzcv & FLAG_N) !== 0;
  const z = (nzcv & FLAG_Z) !== 0;
  const c = (nzcv & FLAG_C) !== 0;
  const v = (nzcv & FLAG_V) !== 0;
  let result: boolean;
  switch (cond >> 1) {
    case 0: // EQ / NE
      result = z;
      break;
    case 1: // CS / CC
      result = c;
      break;
    case 2: // MI / PL
      result = n;
      break;
    case 3: // VS / VC
      result = v;
      break;
    case 4: // HI / LS
      result = c && !z;
      break;
    case 5: // GE / LT
      result = n === v;
      break;
    case 6: // GT / LE
      result = n === v && !z;
      break;
    default: // AL (and NV, which also means "always")
      result = true;
  }
  if ((cond & 1) === 1 && cond !== 0xf) result = !result;
  return result;
}

/** 16 conditions × 16 NZCV values → taken, one 16-bit mask per condition. */
export const COND_TABLE: Uint16Array = (() => {
  const t = new Uint16Array(16);
  for (let cond = 0; cond < 16; cond++) {
    for (let nzcv = 0; nzcv < 16; nzcv++) if (conditionHolds(cond, nzcv)) t[cond] |= 1 << nzcv;
  }
  return t;
})();

/** Condition mask for which every NZCV value passes (AL, NV). */
export const COND_ALWAYS = 0xffff;

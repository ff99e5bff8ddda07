/**
 * Data processing — immediate and register (Arm ARM C4.1.86, C4.1.88).
 * One line per encoding; emitters compute the locals once (decode), ops run them.
 */
import { enc, rz, wz, type Encoding, type Fields } from '../decoder.js';
import { NEXT, type Cpu, type Op } from '../cpu.js';
import { addWithCarry32, addWithCarry64 } from '../exec/alu.js';

/** ADD/ADDS/SUB/SUBS (immediate): op selects SUB, S sets flags; Rd is SP unless S, Rn is SP. */
function addSubImm(f: Fields): Op {
  const imm = f.sh ? f.imm12 << 12 : f.imm12;
  const sub = f.op === 1;
  const setFlags = f.S === 1;
  const n2 = 2 * f.Rn; // Rn: 31 = SP
  const d2 = 2 * (setFlags ? wz(f.Rd) : f.Rd); // Rd: 31 = SP, or XZR for the S forms
  const ylo = sub ? ~imm : imm;
  const yhi = sub ? -1 : 0;
  const cin = sub ? 1 : 0;
  if (f.sf) {
    return (c: Cpu) => {
      const x = c.x;
      const lo = addWithCarry64(c, x[n2], x[n2 + 1], ylo, yhi, cin, setFlags);
      x[d2] = lo;
      x[d2 + 1] = c.hi;
      return NEXT;
    };
  }
  return (c: Cpu) => {
    const x = c.x;
    x[d2] = addWithCarry32(c, x[n2], ylo, cin, setFlags);
    x[d2 + 1] = 0;
    return NEXT;
  };
}

export const TABLE: Encoding[] = [
  enc('ADD_addsub_imm', 'sf:1 op:1 S:1 100010 sh:1 imm12:12 Rn:5 Rd:5', addSubImm),
];

export { rz };

/** Human-readable CPU state for error reports (where a run stopped and why). */
import type { Cpu } from './cpu.js';
import { R } from './sysregs.js';
import { getSpsr } from './exceptions.js';

const hex = (v: bigint, w = 16): string => v.toString(16).padStart(w, '0');

export function describeCpu(c: Cpu): string {
  const el = c.el === 0 ? 1 : c.el;
  const lines = [
    `cpu${c.id} (${c.model.name}): PC=${hex(c.pc)} EL${c.el}${c.spsel ? 'h' : 't'} PSTATE=${hex(BigInt(getSpsr(c)), 8)} ` +
      `instructions=${c.icount} exceptions=${c.excCount}`,
    `  last exception: ESR_EL${el}=${hex(c.sys.get64(R.ESR_EL1 + el - 1), 8)} FAR_EL${el}=${hex(c.sys.get64(R.FAR_EL1 + el - 1))} ` +
      `ELR_EL${el}=${hex(c.sys.get64(R.ELR_EL1 + el - 1))}`,
  ];
  for (let i = 0; i < 32; i += 4) {
    lines.push(
      '  ' +
        [0, 1, 2, 3]
          .map((k) => {
            const n = i + k;
            return n === 31 ? ` sp=${hex(c.getX(31))}` : `${('x' + n).padStart(3)}=${hex(c.getX(n))}`;
          })
          .join(' '),
    );
  }
  return lines.join('\n');
}

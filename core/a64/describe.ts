/** Human-readable CPU state for error reports (where a run stopped and why). */
import type { Cpu } from './cpu.js';
import { R } from './sysregs.js';
import { getSpsr, virtualInterruptLines, LINE_IRQ, LINE_FIQ } from './exceptions.js';

const hex = (v: bigint, w = 16): string => v.toString(16).padStart(w, '0');

export function describeCpu(c: Cpu): string {
  const el = c.el === 0 ? 1 : c.el;
  const lines = [
    `cpu${c.id} (${c.model.name}): PC=${hex(c.pc)} EL${c.el}${c.spsel ? 'h' : 't'} PSTATE=${hex(BigInt(getSpsr(c)), 8)} ` +
      `instructions=${c.icount} exceptions=${c.excCount}`,
    `  last exception: ESR_EL${el}=${hex(c.sys.get64(R.ESR_EL1 + el - 1), 8)} FAR_EL${el}=${hex(c.sys.get64(R.FAR_EL1 + el - 1))} ` +
      `ELR_EL${el}=${hex(c.sys.get64(R.ELR_EL1 + el - 1))}`,
  ];
  if (c.halted) lines.push(describeWait(c));
  else if (c.gic !== null) lines.push('  ' + c.gic.describe());
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

/**
 * Why a vCPU halted in WFI/WFE has not woken: its interrupt lines, the GIC's view and
 * the timers. "Nothing can wake it" is the signature of a guest that lost its own
 * wake-up (e.g. `while (!flag) wfi;` with the IRQ taken between the test and the WFI).
 */
export function describeWait(c: Cpu): string {
  const what = c.wfeUntilNs !== 0 ? 'WFE' : 'WFI';
  const lines = c.intLines | virtualInterruptLines(c);
  const asserted = [(lines & LINE_IRQ) !== 0 ? 'IRQ' : '', (lines & LINE_FIQ) !== 0 ? 'FIQ' : ''].filter(Boolean).join('+');
  const timer = Number.isFinite(c.timerNextNs)
    ? `next timer deadline in ${((c.timerNextNs - c.env.nowNs()) / 1e6).toFixed(3)} ms`
    : 'no timer armed';
  const gic = c.gic === null ? 'no interrupt controller' : c.gic.describe();
  const verdict =
    asserted === '' && !Number.isFinite(c.timerNextNs) && c.wfeUntilNs === 0
      ? ' — nothing can wake this vCPU but another CPU or a device'
      : '';
  return `  halted in ${what}: ${asserted === '' ? 'no interrupt line asserted' : asserted + ' asserted'}, ${timer}${verdict}\n  ${gic}`;
}

// Self-modifying code (issue 2 review). Arm ARM B2.4.4 "Concurrent modification and execution of
// instructions" / D7.5.9 (instruction cache maintenance): after a store to an instruction location,
// the new instruction is only guaranteed to be fetched once the program has cleaned the data cache
// to the point of unification (DC CVAU), waited (DSB), invalidated the instruction cache (IC IVAU
// by VA or IC IALLU), waited again (DSB) and synchronized the context (ISB); without that sequence
// which instruction runs is CONSTRAINED UNPREDICTABLE. These tests use the full sequence, as real
// code (JITs, loaders) does, and check that the new instruction runs, including when the patched
// instruction lies later in the very block being executed, and when the code was changed by an
// agent other than this CPU (here the host writing guest RAM), where only the IC makes it visible.
import { describe, it, expect } from 'vitest';
import { CODE, HLT_STOP, makeMachine, runCode } from '../helpers/cpu';

describe('self-modifying code with cache maintenance', () => {
  it('a function executed before is patched (STR, DC CVAU, DSB, IC IVAU, DSB, ISB) and runs the new instruction', () => {
    const c = runCode([
      0x9400000e, // 0x00: bl f
      0xaa0003f3, // 0x04: mov x19, x0
      0x10000182, // 0x08: adr x2, f
      0x18000141, // 0x0c: ldr w1, new
      0xb9000041, // 0x10: str w1, [x2]
      0xd50b7b22, // 0x14: dc cvau, x2
      0xd5033b9f, // 0x18: dsb ish
      0xd50b7522, // 0x1c: ic ivau, x2
      0xd5033b9f, // 0x20: dsb ish
      0xd5033fdf, // 0x24: isb
      0x94000004, // 0x28: bl f
      0xaa0003f4, // 0x2c: mov x20, x0
      0x14000004, // 0x30: b done
      0xd2800040, // 0x34: new: mov x0, #2 (data: the replacement instruction)
      0xd2800020, // 0x38: f: mov x0, #1
      0xd65f03c0, // 0x3c: ret
      // 0x40: done: (HLT appended by runCode)
    ]);
    expect(c.getX(19)).toBe(1n);
    expect(c.getX(20)).toBe(2n);
  });

  it('an instruction later in the running block is patched (IC IALLU) and the new one runs after the ISB', () => {
    const c = runCode([
      0x10000102, // 0x00: adr x2, target
      0x18000121, // 0x04: ldr w1, new
      0xb9000041, // 0x08: str w1, [x2]
      0xd50b7b22, // 0x0c: dc cvau, x2
      0xd5033b9f, // 0x10: dsb ish
      0xd508751f, // 0x14: ic iallu
      0xd5033b9f, // 0x18: dsb ish
      0xd5033fdf, // 0x1c: isb
      0xd2800020, // 0x20: target: mov x0, #1
      0x14000002, // 0x24: b done
      0xd2800060, // 0x28: new: mov x0, #3
      // 0x2c: done: (HLT appended)
    ]);
    expect(c.getX(0)).toBe(3n);
  });

  // Code changed behind the CPU's back (another agent, e.g. DMA or the host): no store by this CPU
  // hits the page, so only the IC maintenance can make the new code visible.
  const F = CODE + 0x2000;
  for (const [name, ic] of [
    ['IC IALLU', 0xd508751f], // ic iallu
    ['IC IVAU', 0xd50b7522], // ic ivau, x2
  ] as const) {
    it(`code rewritten by another agent runs after ${name}, DSB, ISB`, () => {
      const m = makeMachine();
      const c = m.c;
      m.poke32(F, [0xd2800020, 0xd65f03c0]); // f: mov x0, #1 ; ret
      m.poke32(CODE, [
        0xd2a80102, // mov x2, #0x40080000 (CODE)
        0x91400842, // add x2, x2, #2, lsl #12 (f = CODE + 0x2000)
        0xd63f0040, // blr x2
        0xaa0003f3, // mov x19, x0
        HLT_STOP,
      ]);
      m.run();
      expect(c.getX(19)).toBe(1n);
      m.poke32(F, [0xd2800080]); // f: mov x0, #4 (written by the host: no invalidation by a store)
      const second = CODE + 0x100;
      m.poke32(second, [
        ic, // ic … (x2 = f)
        0xd5033b9f, // dsb ish
        0xd5033fdf, // isb
        0xd63f0040, // blr x2
        0xaa0003f4, // mov x20, x0
        HLT_STOP,
      ]);
      c.setPc(second, 0);
      m.run();
      expect(c.getX(2)).toBe(BigInt(F));
      expect(c.getX(20)).toBe(4n);
    });
  }
});

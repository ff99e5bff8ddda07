import { describe, it, expect } from 'vitest';
import { runCode } from '../helpers/cpu.js';
import { buildDecoder, enc } from '../../core/a64/decoder.js';

describe('decoder generator', () => {
  it('rejects overlapping encodings that are not ordered', () => {
    const e = () => null;
    expect(() => buildDecoder([enc('A', 'x'.repeat(31) + '1', e), enc('B', '1' + 'x'.repeat(31), e)])).toThrow(/overlaps/);
  });
  it('accepts overlaps ordered with over, and the overriding one wins', () => {
    const e = () => null;
    const d = buildDecoder([enc('A', '1'.repeat(32), e, { over: ['B'] }), enc('B', '1' + 'x'.repeat(31), e)]);
    expect(d.lookup(0xffffffff)?.name).toBe('A');
    expect(d.lookup(0x80000000)?.name).toBe('B');
    expect(d.lookup(0x7fffffff)).toBeUndefined();
  });
  it('rejects patterns that are not 32 bits', () => {
    expect(() => buildDecoder([enc('A', '1010', () => null)])).toThrow(/not 32/);
  });
});

describe('pipeline', () => {
  it('runs ADD/SUBS immediate and B', () => {
    const c = runCode(
      [
        0x91500042, // add x2, x2, #0x400, lsl #12
        0x91001443, // add x3, x2, #5
        0xf1001464, // subs x4, x3, #5
        0x14000002, // b +8
        0x91000463, // add x3, x3, #1 (skipped)
      ],
      (c) => c.setX(2, 0xfffffffffff00000n),
    );
    expect(c.getX(2)).toBe(0x0000000000300000n);
    expect(c.getX(3)).toBe(0x0000000000300005n);
    expect(c.getX(4)).toBe(0x0000000000300000n);
    expect(c.nzcv).toBe(0b0010); // C set (no borrow)
  });
});

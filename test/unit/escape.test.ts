import { describe, it, expect } from 'vitest';
import { ConsoleEscape } from '../../cli/escape.js';

describe('console escapes (Ctrl-A, as QEMU)', () => {
  it('passes ordinary bytes, quits on Ctrl-A x, sends Ctrl-A on Ctrl-A Ctrl-A', () => {
    const e = new ConsoleEscape();
    expect([...e.filter(Uint8Array.of(0x6c, 0x73, 0x0d))]).toEqual([0x6c, 0x73, 0x0d]);
    expect([...e.filter(Uint8Array.of(0x01, 0x01, 0x41))]).toEqual([0x01, 0x41]);
    expect(e.quit).toBe(false);
    expect([...e.filter(Uint8Array.of(0x61, 0x01))]).toEqual([0x61]);
    expect([...e.filter(Uint8Array.of(0x78, 0x62))]).toEqual([]); // split across reads
    expect(e.quit).toBe(true);
  });
});

// Recursive exception loops beyond the vector slot (issue 2 review): a vector that branches to a
// handler which faults on its own instruction forever must stop the run with status 125 and the
// "recursive exception loop" message, with no --timeout; a handler that returns (ERET) each time
// must not be taken for a loop, however often the same fault repeats.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'armlab-excloop-'));

/**
 * A raw binary (loaded at RAM + 0x80000, 2 KiB aligned) from words placed at byte offsets:
 * `_start` at 0, VBAR_EL1 = 0x800 (vectors), the handler at 0x1000, outside every vector slot.
 */
function image(name: string, parts: Record<number, number[]>): string {
  const b = Buffer.alloc(0x1100);
  for (const [off, words] of Object.entries(parts)) words.forEach((w, i) => b.writeUInt32LE(w >>> 0, Number(off) + 4 * i));
  const p = join(dir, name);
  writeFileSync(p, b);
  return p;
}

// _start: adr x0, vectors ; msr vbar_el1, x0 ; isb ; mov x1, #0x1000 (nothing there on armlab's virt: loads abort)
const SETUP = [0x10004000, 0xd518c000, 0xd5033fdf, 0xd2820001];
// vectors + 0x200 (current EL, SP_ELx, synchronous): b handler
const VECTOR = { 0xa00: [0x14000180] };

function run(file: string, ...args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/armlab.mjs', 'run', file, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stderr: r.stderr };
}

describe('recursive exception loop detection', () => {
  it('stops a handler that faults on its own instruction (vector: b handler) with status 125, no --timeout', () => {
    const elf = image('handler-faults.bin', {
      0: [...SETUP, 0xf9400020, 0x14000000], // ldr x0, [x1] ; b .
      ...VECTOR,
      0x1000: [0xf9400020, 0x14000000], // handler: ldr x0, [x1] ; b .
    });
    const r = run(elf);
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(
      /recursive exception loop: exception \(ESR 0x96000010\) taken \d+ times from 0x40081000 inside its own handler/,
    );
  });

  it('keeps the vector-slot case: a fault in the vector entry itself', () => {
    const elf = image('slot-faults.bin', {
      0: [...SETUP, 0xf9400020, 0x14000000], // ldr x0, [x1] ; b .
      0xa00: [0xf9400020], // vectors + 0x200: ldr x0, [x1]
    });
    const r = run(elf);
    expect(r.status).toBe(125);
    expect(r.stderr).toMatch(/recursive exception loop: .* from its own vector at 0x40080a00 \(EL1\)/);
  });

  it('does not flag 10000 identical faults that the handler returns from (ERET)', () => {
    const elf = image('handler-returns.bin', {
      // mov x2, #10000 ; 1: ldr x0, [x1] ; subs x2, x2, #1 ; b.ne 1b ; PSCI SYSTEM_OFF (movz w0, #8 ; movk w0, #0x8400, lsl #16 ; hvc #0)
      0: [...SETUP, 0xd284e202, 0xf9400020, 0xf1000442, 0x54ffffc1, 0x52800100, 0x72b08000, 0xd4000002],
      ...VECTOR,
      // handler: mrs x3, elr_el1 ; add x3, x3, #4 ; msr elr_el1, x3 ; eret
      0x1000: [0xd5384023, 0x91001063, 0xd5184023, 0xd69f03e0],
    });
    const r = run(elf, '--timeout', '30');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

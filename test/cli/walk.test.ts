// `armlab walk --image`: the inspector offline on a page-table image, against tables built
// independently by test/helpers/pagetables.ts.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeMachine } from '../helpers/cpu.js';
import { TableBuilder, AF, type Geometry } from '../helpers/pagetables.js';

const BASE = 0x40_0000_0000n; // tables above 2^32 (and above 4 GiB of RAM), as a dump would be
const SIZE = 1 << 20;

function image(): { file: string; root: bigint } {
  const m = makeMachine({ extraRam: [{ base: Number(BASE), size: SIZE }] });
  const g: Geometry = { grain: 12, inputSize: 48, fmt: 'bits48' };
  const tb = new TableBuilder(m, g, BASE);
  tb.map(0x0000_7fff_1234_5000n, 0x40_1000_0000n, 3, AF | (1n << 2n)); // AttrIndx 1
  const file = join(mkdtempSync(join(tmpdir(), 'armlab-walk-')), 'tables.bin');
  writeFileSync(file, m.bus.readBytes(Number(BASE), SIZE));
  return { file, root: tb.root };
}

function walk(...args: string[]) {
  return spawnSync(process.execPath, ['bin/armlab.mjs', 'walk', ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('armlab walk --image', () => {
  const { file, root } = image();
  const common = [
    '--image',
    file,
    '--load',
    '0x' + BASE.toString(16),
    '--tcr',
    '0x500800010',
    '--ttbr0',
    '0x' + root.toString(16),
    '--mair',
    '0xff00',
  ];

  it('prints every level and the PA', () => {
    const r = walk(...common, '--va', '0x7fff12345678');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/S1 L0: table 0x4000000000\[255\]/);
    expect(r.stdout).toMatch(/S1 L3: .* page → 0x4010000000/);
    expect(r.stdout).toMatch(/→ PA 0x4010000678 .*memType=Normal/);
  });

  it('reports the fault with ESR/FAR as JSON for an unmapped VA', () => {
    const r = walk(...common, '--va', '0x7fff12346000', '--access', 'write', '--json');
    expect(r.status).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.fault).toMatchObject({ kind: 'translation', level: 3, dfsc: '0x7', esr: '0x96000047', far: '0x7fff12346000' });
    expect(j.levels).toHaveLength(4);
  });

  it('rejects a bad number with status 2', () => {
    const r = walk(...common, '--va', 'zz');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--va: 'zz' is not a 64-bit number/);
  });
});

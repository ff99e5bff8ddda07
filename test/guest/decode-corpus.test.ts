/**
 * Guard against decoder gaps in what compilers really emit: a C corpus
 * (test/guest/decode-corpus/corpus.c: float/int array loops, fixed-point scaling,
 * memcpy/strlen-like loops, CRC32 and crypto intrinsics) is compiled with
 * aarch64-linux-gnu-gcc at -O2 and -O3 for -march=armv8-a+crc+crypto, and every
 * word of .text must decode to an instruction (not UNDEFINED):
 *   - under cortex-a57, which has every feature that -march allows;
 *   - under max, except words of a feature max does not advertise (printed, so a
 *     models.ts change that adds it makes the check strict on its own).
 * The regression this pins: fcvtzs v0.4s, v0.4s, #4 from `a[i] = b[i] * 16.0f`
 * and AESE on cortex-a57 were UNDEFINED. Skipped (with the reason) when the cross
 * compiler is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { a64Decoder } from '../../core/a64/table/index.js';
import { getModel, type Features } from '../../core/a64/models.js';
import { allocated } from '../../core/fuzz/generate.js';
import { repoRoot } from './programs.js';

const CROSS = process.env.CROSS_COMPILE ?? 'aarch64-linux-gnu-';
const CORPUS = path.join(repoRoot, 'test/guest/decode-corpus/corpus.c');
const MARCH = '-march=armv8-a+crc+crypto';

function haveCompiler(): boolean {
  try {
    execFileSync(`${CROSS}gcc`, ['--version'], { stdio: 'ignore' });
    execFileSync(`${CROSS}objcopy`, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const present = haveCompiler();
if (!present) console.log(`decode-corpus: skipped: ${CROSS}gcc or ${CROSS}objcopy not found (apt-get install gcc-aarch64-linux-gnu)`);

const tmp = present ? mkdtempSync(path.join(os.tmpdir(), 'armlab-decode-corpus-')) : '';
afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** The .text words of the corpus at `opt`, and objdump's text for each offset (for the failure message). */
function compile(opt: string): { words: Uint32Array; text: Map<number, string> } {
  const obj = path.join(tmp, `corpus${opt}.o`);
  const bin = path.join(tmp, `corpus${opt}.bin`);
  execFileSync(`${CROSS}gcc`, [opt, MARCH, '-ffreestanding', '-fno-pic', '-fno-asynchronous-unwind-tables', '-c', CORPUS, '-o', obj]);
  execFileSync(`${CROSS}objcopy`, ['-O', 'binary', '-j', '.text', obj, bin]);
  const buf = readFileSync(bin);
  const words = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + (buf.length & ~3)));
  const text = new Map<number, string>();
  for (const line of execFileSync(`${CROSS}objdump`, ['-d', obj], { encoding: 'utf8' }).split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+[0-9a-f]{8}\s+(.*)$/.exec(line);
    if (m) text.set(parseInt(m[1], 16), m[2].replace(/\s+/g, ' ').trim());
  }
  return { words, text };
}

describe.skipIf(!present)('decode corpus: gcc -O2/-O3 output decodes under the CPU models', () => {
  const decoder = a64Decoder();
  const a57 = getModel('cortex-a57').features;
  const max = getModel('max').features;

  for (const opt of ['-O2', '-O3']) {
    it(`${opt} ${MARCH}`, () => {
      const { words, text } = compile(opt);
      expect(words.length).toBeGreaterThan(1000);
      // the corpus still contains the instructions of the regression it pins
      const all = [...text.values()].join('\n');
      for (const re of [
        /fcvtzs v\d+\.4s, v\d+\.4s, #4/,
        /fcvtzu v\d+\.4s, v\d+\.4s, #16/,
        /fcvtzs v\d+\.2d, v\d+\.2d, #20/,
        /\baese\b/,
        /\bsha256h2\b/,
        /\bpmull2? .*1q/,
      ]) {
        expect(all, String(re)).toMatch(re);
      }
      const undefA57: string[] = [];
      const undefMax: string[] = [];
      const maxLacks = new Map<keyof Features, number>();
      words.forEach((w, i) => {
        const where = `${(4 * i).toString(16).padStart(5, '0')}: ${w.toString(16).padStart(8, '0')} ${text.get(4 * i) ?? '?'}`;
        if (!allocated(decoder, w, a57)) undefA57.push(where);
        if (allocated(decoder, w, max)) return;
        const feat = decoder.lookup(w)?.feat;
        if (feat !== undefined && !max[feat]) maxLacks.set(feat, (maxLacks.get(feat) ?? 0) + 1);
        else undefMax.push(where);
      });
      for (const [feat, n] of maxLacks)
        console.log(`decode-corpus ${opt}: ${n} word(s) need '${feat}', which the max model does not advertise`);
      expect(undefA57, 'UNDEFINED under cortex-a57').toEqual([]);
      expect(undefMax, 'UNDEFINED under max').toEqual([]);
    });
  }
});

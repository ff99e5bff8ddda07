/**
 * The patched harness ELF: slot code, initial states and the memory image are
 * written into a copy of resources/fuzz/out/harness.elf at the addresses of
 * its symbols; config.start/end/flags select which slots a run executes.
 */
import { parseHarnessElf, type HarnessElf } from './elf.js';
import { CONFIG, REC, SLOT_BYTES, STATE } from './layout.js';
import { writeState } from './state.js';
import type { SlotPlan } from './slots.js';

export interface Harness {
  elf: HarnessElf;
  /** Slots per ELF. */
  capacity: number;
  /** Instruction words per slot. */
  maxK: number;
  dataSize: number;
  codeAddr: bigint;
  dataAddr: bigint;
}

function sym(elf: HarnessElf, name: string): bigint {
  const v = elf.symbols.get(name);
  if (v === undefined) throw new Error(`fuzz harness: symbol ${name} missing (rebuild with resources/fuzz/build.sh)`);
  return v;
}

export function openHarness(bytes: Uint8Array): Harness {
  const elf = parseHarnessElf(bytes);
  const cfg = elf.fileOffset(sym(elf, 'fuzz_config'));
  const dv = new DataView(bytes.buffer, bytes.byteOffset + cfg, CONFIG.SIZE);
  const q = (off: number): number => Number(dv.getBigUint64(off, true));
  if (q(CONFIG.STATE_SIZE) !== STATE.SIZE || q(CONFIG.REC_MEM) !== REC.MEM || q(CONFIG.MAXK) * 4 + 4 !== SLOT_BYTES) {
    throw new Error('fuzz harness: layout does not match core/fuzz/layout.ts (rebuild with resources/fuzz/build.sh)');
  }
  return {
    elf,
    capacity: q(CONFIG.CAPACITY),
    maxK: q(CONFIG.MAXK),
    dataSize: q(CONFIG.DATA_SIZE),
    codeAddr: sym(elf, 'fuzz_code'),
    dataAddr: sym(elf, 'fuzz_data'),
  };
}

/** A copy of the harness running `plans` as slots 0..n-1 over the memory image. */
export function patchHarness(h: Harness, plans: readonly SlotPlan[], image: Uint8Array): Uint8Array {
  if (plans.length > h.capacity) throw new Error(`fuzz harness: ${plans.length} slots exceed its capacity of ${h.capacity}`);
  if (image.length !== h.dataSize) throw new Error('fuzz harness: memory image size mismatch');
  const out = h.elf.bytes.slice();
  const dv = new DataView(out.buffer);
  const code = h.elf.fileOffset(h.codeAddr);
  const init = h.elf.fileOffset(sym(h.elf, 'fuzz_init'));
  plans.forEach((p, i) => {
    for (let k = 0; k < h.maxK; k++) dv.setUint32(code + i * SLOT_BYTES + 4 * k, p.words[k] >>> 0, true);
    writeState(p.state, out, init + i * STATE.SIZE);
  });
  out.set(image, h.elf.fileOffset(sym(h.elf, 'fuzz_image')));
  setRange(h, out, 0, plans.length, 0);
  return out;
}

/** Selects the slots [start, end) of a patched copy and the output flags. */
export function setRange(h: Harness, bytes: Uint8Array, start: number, end: number, flags: number): void {
  const cfg = h.elf.fileOffset(sym(h.elf, 'fuzz_config'));
  const dv = new DataView(bytes.buffer, bytes.byteOffset + cfg, CONFIG.SIZE);
  dv.setBigUint64(CONFIG.START, BigInt(start), true);
  dv.setBigUint64(CONFIG.END, BigInt(end), true);
  dv.setBigUint64(CONFIG.FLAGS, BigInt(flags), true);
}

/**
 * Byte layouts shared with the guest harness (resources/fuzz/harness.S).
 * All values little-endian; the harness's fuzz_config block repeats the sizes
 * so the fuzzer can check that it talks to a matching harness.
 */

/** fuzz_config: patched start/end/flags, then read-only sizes. */
export const CONFIG = {
  START: 0,
  END: 8,
  FLAGS: 16,
  CAPACITY: 24,
  MAXK: 32,
  STATE_SIZE: 40,
  DATA_SIZE: 48,
  REC_MEM: 56,
  SIZE: 64,
} as const;

/** config.flags bit 0: write the output after every slot (slow; used to find the slot an emulator dies in). */
export const FLAG_FLUSH_EACH = 1;

/** Initial state of one slot in fuzz_init. */
export const STATE = {
  X: 0, // X0..X30
  SP: 248,
  NZCV: 256, // bits 31:28
  FPCR: 264,
  FPSR: 272,
  V: 288, // V0..V31, 16 bytes each
  SIZE: 800,
} as const;

/** Output record of one slot, as written by the harness. */
export const REC = {
  MAGIC: 0x5a465a46, // "FZFZ" in the low word, slot index in the high word
  X: 8,
  SP: 256,
  NZCV: 264,
  FPCR: 272,
  FPSR: 280,
  VEC: 288, // vector offset of the exception that ended the slot, or all-ones
  ESR: 296,
  FAR: 304,
  ELR: 312,
  SPSR: 320,
  NMEM: 328,
  V: 336,
  MEM: 848, // then NMEM x (offset, value) pairs of changed 8-byte words, then the header word twice
} as const;

/** Slot code: MAXK instruction words then the harness's `b slot_return`. */
export const SLOT_BYTES = 64;
export const NOP = 0xd503201f;

/** Where the reserved base registers point inside the data buffer (before the per-slot jitter). */
export const BASES = {
  X28: 0x1000,
  SP: 0x2000,
  X27: 0x3000,
} as const;

/** Registers the slot code never writes: X26 (index, small), X27/X28 (data buffer bases); SP moves only by writeback. */
export const RESERVED = [26, 27, 28] as const;

/**
 * Shared-memory layouts between a KVM vCPU worker and the thread that owns the
 * VM: the control block (run / pause / stop requests), the MMIO request slot
 * (the same synchronous request/reply as TCG's vCPU → io path), and the counters.
 *
 * Control block (Int32Array, per vCPU):
 *   REQ    what the owner asks: HOLD (wait before the first run), RUN, PAUSE, STOP
 *   STATE  what the worker is doing: STARTING, READY (created, holding), RUNNING, PAUSED, DONE
 *
 * MMIO slot (Int32Array, per vCPU): SLOT_STATE IDLE → REQUEST (vCPU) → REPLY (device side) → IDLE (vCPU)
 */

export const CTRL_WORDS = 4;
export const REQ = 0;
export const STATE = 1;

export const REQ_HOLD = 0;
export const REQ_RUN = 1;
export const REQ_PAUSE = 2;
export const REQ_STOP = 3;

export const ST_STARTING = 0;
export const ST_READY = 1;
export const ST_RUNNING = 2;
export const ST_PAUSED = 3;
export const ST_DONE = 4;

export const SLOT_WORDS = 8;
export const SLOT_STATE = 0;
export const SLOT_ADDR_LO = 1;
export const SLOT_ADDR_HI = 2;
export const SLOT_LEN = 3;
export const SLOT_WRITE = 4;
export const SLOT_DATA_LO = 5;
export const SLOT_DATA_HI = 6;
export const SLOT_UNMAPPED = 7;

export const SLOT_IDLE = 0;
export const SLOT_REQUEST = 1;
export const SLOT_REPLY = 2;

/**
 * The requesting side of an MMIO slot (a TCG vCPU to the io worker, a KVM vCPU worker to its
 * owner): post the access at word `b`, wake the device side, and wait synchronously for its reply,
 * polling `gaveUp` every `pollMs` (the device side may be gone when the machine stops). Returns
 * false when it gave up. On true, the reply is in SLOT_DATA_LO/HI and SLOT_UNMAPPED; the caller
 * reads it and then calls `slotDone`.
 */
export function slotRequest(
  s: Int32Array,
  b: number,
  addr: number,
  len: number,
  isWrite: boolean,
  lo: number,
  hi: number,
  gaveUp: () => boolean,
  pollMs: number,
): boolean {
  s[b + SLOT_ADDR_LO] = (addr % 4294967296) | 0;
  s[b + SLOT_ADDR_HI] = Math.floor(addr / 4294967296);
  s[b + SLOT_LEN] = len;
  s[b + SLOT_WRITE] = isWrite ? 1 : 0;
  s[b + SLOT_DATA_LO] = lo;
  s[b + SLOT_DATA_HI] = hi;
  Atomics.store(s, b + SLOT_STATE, SLOT_REQUEST);
  Atomics.notify(s, b + SLOT_STATE);
  while (Atomics.load(s, b + SLOT_STATE) === SLOT_REQUEST) {
    Atomics.wait(s, b + SLOT_STATE, SLOT_REQUEST, pollMs);
    if (Atomics.load(s, b + SLOT_STATE) === SLOT_REQUEST && gaveUp()) return false;
  }
  return true;
}

/** The requester has read the reply: the slot is free for its next access. */
export function slotDone(s: Int32Array, b: number): void {
  Atomics.store(s, b + SLOT_STATE, SLOT_IDLE);
}

/**
 * Counters (Float64Array, per vCPU), written by the vCPU worker only:
 * exits by KVM exit code, then the named counters below.
 */
export const EXIT_CODES = 64;
export const C_MMIO_READS = EXIT_CODES;
export const C_MMIO_WRITES = EXIT_CODES + 1;
export const C_MMIO_UNMAPPED = EXIT_CODES + 2;
export const C_IO = EXIT_CODES + 3;
export const C_RUNS = EXIT_CODES + 4;
/** Time inside KVM_RUN (the guest, plus KVM's in-kernel exit handling). */
export const C_GUEST_NS = EXIT_CODES + 5;
/** Time between KVM_RUN calls: exit decoding, counters, the device model (MMIO round trips). */
export const C_USER_NS = EXIT_CODES + 6;
/** Part of C_USER_NS spent waiting for the device side to answer MMIO. */
export const C_MMIO_WAIT_NS = EXIT_CODES + 7;
export const COUNTER_WORDS = EXIT_CODES + 8;

type WaitAsync = (
  a: Int32Array,
  index: number,
  value: number,
  timeoutMs?: number,
) => { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };

/** Atomics.waitAsync (V8 has it since Node 16; TypeScript's ES2023 lib does not declare it). */
export const waitAsync: WaitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

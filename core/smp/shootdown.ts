/**
 * The TLB-shootdown protocol (DESIGN.md §3). A broadcast TLBI (…IS/…OS) on CPU i:
 * applied locally, then posted to every other powered-on CPU's mailbox; their
 * PENDING bit is set and they are woken. Each target drains its mailbox at its
 * next check (between run slices, or while asleep), applies the requests and
 * acknowledges by decrementing the sender's OUTSTANDING count. The sender's next
 * DSB waits until OUTSTANDING is zero — and drains its own mailbox while it waits,
 * so CPUs shooting each other down cannot deadlock. IC invalidations ride on the
 * same mailbox.
 *
 * Pure functions over the shared Int32Array: testable in one thread.
 */
import {
  C_ACK_LAT_MAX_US,
  C_ACK_LAT_US,
  C_LAT_HIST,
  latBucket,
  C_DSB_WAITS,
  C_DSB_WAIT_US,
  C_TLBI_RECV,
  C_TLBI_SENT,
  MB_CAPACITY,
  MB_COUNT,
  MB_LOCK,
  MB_SLOTS,
  OUTSTANDING,
  PENDING,
  P_SHOOTDOWN,
  REQ_WORDS,
  STATE,
  S_OFF,
  WAKE,
  cpuBase,
  wake,
} from './layout.js';

export const K_TLBI = 1;
export const K_IC_ALL = 2;
export const K_IC_PAGE = 3;

/** A request as posted: `words` is REQ_WORDS long; word 0 (sender) and 10 (timestamp) are filled by post(). */
export type Request = Int32Array;

// Request word offsets.
export const R_SENDER = 0;
export const R_KIND = 1;
export const R_TIME = 10;

function nowUs(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000) % 0x40000000;
}

function lock(w: Int32Array, k: number): void {
  while (Atomics.compareExchange(w, k, 0, 1) !== 0) Atomics.wait(w, k, 1, 0.05);
}

function unlock(w: Int32Array, k: number): void {
  Atomics.store(w, k, 0);
  Atomics.notify(w, k, 1);
}

/**
 * Post `req` from `self` to every other CPU that is not OFF. Returns how many were
 * posted. `drainSelf` is called while a target's mailbox is full (never deadlocks).
 */
export function broadcast(w: Int32Array, ncpus: number, self: number, req: Request, drainSelf: () => void): number {
  req[R_SENDER] = self;
  req[R_TIME] = nowUs();
  let n = 0;
  for (let t = 0; t < ncpus; t++) {
    if (t === self || Atomics.load(w, cpuBase(t) + STATE) === S_OFF) continue;
    post(w, self, t, req, drainSelf);
    n++;
  }
  return n;
}

function post(w: Int32Array, self: number, target: number, req: Request, drainSelf: () => void): void {
  const b = cpuBase(target);
  for (;;) {
    lock(w, b + MB_LOCK);
    const count = w[b + MB_COUNT];
    if (count < MB_CAPACITY) {
      w.set(req, b + MB_SLOTS + count * REQ_WORDS);
      Atomics.store(w, b + MB_COUNT, count + 1);
      Atomics.add(w, cpuBase(self) + OUTSTANDING, 1);
      unlock(w, b + MB_LOCK);
      break;
    }
    unlock(w, b + MB_LOCK);
    // Full: the target is busy (perhaps waiting on us) — serve our own mailbox, then retry.
    drainSelf();
    Atomics.wait(w, b + WAKE, Atomics.load(w, b + WAKE), 0.1);
  }
  Atomics.add(w, cpuBase(self) + C_TLBI_SENT, 1);
  Atomics.or(w, b + PENDING, P_SHOOTDOWN);
  wake(w, target);
}

/** Scratch for drain(): requests are copied out under the lock, applied outside it. */
const scratch = new Int32Array(MB_CAPACITY * REQ_WORDS);

/**
 * Apply and acknowledge every request posted to `self`. Returns the number applied.
 */
export function drain(w: Int32Array, self: number, apply: (req: Int32Array) => void): number {
  const b = cpuBase(self);
  Atomics.and(w, b + PENDING, ~P_SHOOTDOWN);
  if (Atomics.load(w, b + MB_COUNT) === 0) return 0;
  lock(w, b + MB_LOCK);
  const count = w[b + MB_COUNT];
  scratch.set(w.subarray(b + MB_SLOTS, b + MB_SLOTS + count * REQ_WORDS));
  Atomics.store(w, b + MB_COUNT, 0);
  unlock(w, b + MB_LOCK);
  const now = nowUs();
  for (let i = 0; i < count; i++) {
    const req = scratch.subarray(i * REQ_WORDS, (i + 1) * REQ_WORDS);
    apply(req);
    const sender = req[R_SENDER];
    const lat = (now - req[R_TIME] + 0x40000000) % 0x40000000;
    Atomics.add(w, b + C_TLBI_RECV, 1);
    Atomics.add(w, b + C_ACK_LAT_US, lat);
    Atomics.add(w, b + C_LAT_HIST + latBucket(lat), 1);
    if (lat > Atomics.load(w, b + C_ACK_LAT_MAX_US)) Atomics.store(w, b + C_ACK_LAT_MAX_US, lat);
    Atomics.sub(w, cpuBase(sender) + OUTSTANDING, 1);
    wake(w, sender);
  }
  // Wake anyone waiting for room in our mailbox.
  Atomics.notify(w, b + WAKE);
  return count;
}

/**
 * DSB: wait until every request `self` posted is acknowledged, draining our own
 * mailbox meanwhile. `stopped()` aborts the wait when the machine stops.
 */
export function waitAcks(w: Int32Array, self: number, apply: (req: Int32Array) => void, stopped: () => boolean): void {
  const b = cpuBase(self);
  if (Atomics.load(w, b + OUTSTANDING) === 0) return;
  const t0 = performance.now();
  Atomics.add(w, b + C_DSB_WAITS, 1);
  while (Atomics.load(w, b + OUTSTANDING) > 0 && !stopped()) {
    const seen = Atomics.load(w, b + WAKE);
    drain(w, self, apply);
    if (Atomics.load(w, b + OUTSTANDING) === 0) break;
    Atomics.wait(w, b + WAKE, seen, 1);
  }
  Atomics.add(w, b + C_DSB_WAIT_US, Math.round((performance.now() - t0) * 1000));
}

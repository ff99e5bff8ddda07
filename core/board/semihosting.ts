/**
 * Arm semihosting (Semihosting for AArch32 and AArch64, v2): A64 `HLT #0xF000`,
 * operation in W0, parameter (block pointer) in X1, result in X0. Pointers are
 * guest virtual addresses in the current translation regime.
 */
import type { Cpu } from '../a64/cpu.js';

export const SYS_OPEN = 0x01;
export const SYS_CLOSE = 0x02;
export const SYS_WRITEC = 0x03;
export const SYS_WRITE0 = 0x04;
export const SYS_WRITE = 0x05;
export const SYS_READ = 0x06;
export const SYS_READC = 0x07;
export const SYS_ISERROR = 0x08;
export const SYS_ISTTY = 0x09;
export const SYS_CLOCK = 0x10;
export const SYS_TIME = 0x11;
export const SYS_ERRNO = 0x13;
export const SYS_GET_CMDLINE = 0x15;
export const SYS_HEAPINFO = 0x16;
export const SYS_EXIT = 0x18;
export const SYS_EXIT_EXTENDED = 0x20;
export const SYS_ELAPSED = 0x30;
export const SYS_TICKFREQ = 0x31;

/** SemihostingHost.readByte: no byte yet, input still open. */
export const READC_WAIT = -2;

/** ADP_Stopped_ApplicationExit: the reason code for a normal exit with a status. */
export const ADP_STOPPED_APPLICATION_EXIT = 0x20026;

export interface SemihostingHost {
  /** Console output bytes. */
  write(bytes: Uint8Array): void;
  /**
   * Next console input byte; -1 at end of input (or with no input attached); READC_WAIT when
   * none is buffered yet but more may come: SYS_READC then waits (see semihostingCall).
   */
  readByte(): number;
  /** Host nanoseconds since the machine started. */
  elapsedNs(): number;
  /** Heap/stack layout reported by SYS_HEAPINFO. */
  heapInfo(): { heapBase: bigint; heapLimit: bigint; stackBase: bigint; stackLimit: bigint };
  exit(status: number): void;
  /** Command line returned by SYS_GET_CMDLINE. */
  cmdline: string;
  /**
   * Open handles (the machine's; each vCPU's on SMP) and whether each writes: only the console
   * ":tt" can be opened, for input (modes 0-3, "r") or output (4-11, "w" and "a"). As QEMU, SYS_OPEN
   * hands out the lowest free handle from 1; SYS_WRITE writes nothing to a handle that is not open
   * for output (never opened, closed, or console input), and SYS_CLOSE/SYS_ISTTY fail on one that is not open.
   */
  readonly handles: Map<number, boolean>;
}

const MAX_STRING = 1 << 20;

/** undefined: not open; else true when the handle is console output. */
function handleWrites(host: SemihostingHost, handle: bigint): boolean | undefined {
  return handle < 0x7fffffffn ? host.handles.get(Number(handle)) : undefined;
}

/** Guest VA read helpers: undefined when the access faults (the call then returns -1). */
function readU64(c: Cpu, va: bigint): bigint | undefined {
  const lo = Number(va & 0xffffffffn) | 0;
  const hi = Number((va >> 32n) & 0xffffffffn) | 0;
  const l = c.mem.slowRead(lo, hi, 8, 1);
  if (c.mem.fault) return undefined;
  return (BigInt(c.mem.hi >>> 0) << 32n) | BigInt(l >>> 0);
}

function writeU64(c: Cpu, va: bigint, v: bigint): boolean {
  const lo = Number(va & 0xffffffffn) | 0;
  const hi = Number((va >> 32n) & 0xffffffffn) | 0;
  c.mem.slowWrite(lo, hi, 8, 2, Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0);
  return c.mem.fault === 0;
}

function readBytes(c: Cpu, va: bigint, len: number): Uint8Array | undefined {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) {
    const a = (va + BigInt(i)) & 0xffffffffffffffffn;
    const b = c.mem.slowRead(Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0, 1, 1);
    if (c.mem.fault) return undefined;
    out[i] = b;
  }
  return out;
}

function readCString(c: Cpu, va: bigint): Uint8Array | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < MAX_STRING; i++) {
    const a = (va + BigInt(i)) & 0xffffffffffffffffn;
    const b = c.mem.slowRead(Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0, 1, 1);
    if (c.mem.fault) return undefined;
    if (b === 0) break;
    bytes.push(b);
  }
  return Uint8Array.from(bytes);
}

/** Performs the call in W0/X1 and writes the result to X0. */
export function semihostingCall(c: Cpu, host: SemihostingHost): void {
  const op = c.x[0] >>> 0;
  const arg = c.getX(1);
  const ret = (v: bigint | number): void => c.setX(0, BigInt.asUintN(64, BigInt(v)));
  const field = (i: number): bigint | undefined => readU64(c, arg + BigInt(8 * i));
  switch (op) {
    case SYS_WRITEC: {
      const b = readBytes(c, arg, 1);
      if (b) host.write(b);
      return;
    }
    case SYS_WRITE0: {
      const s = readCString(c, arg);
      if (s) host.write(s);
      return;
    }
    case SYS_WRITE: {
      const handle = field(0);
      const ptr = field(1);
      const len = field(2);
      if (handle === undefined || ptr === undefined || len === undefined) return ret(-1);
      if (len > BigInt(MAX_STRING)) return ret(len);
      const data = readBytes(c, ptr, Number(len));
      if (!data) return ret(len);
      // Result: the number of bytes not written.
      if (handleWrites(host, handle) !== true) return ret(len);
      host.write(data);
      return ret(0);
    }
    case SYS_READC: {
      // SYS_READC blocks until a byte arrives (as QEMU's semihosting console): the vCPU halts with
      // X0 untouched and the HLT re-executes when the host resumes it (see the HLT op).
      const b = host.readByte();
      if (b === READC_WAIT) {
        c.halted = true;
        return;
      }
      return ret(b);
    }
    case SYS_ISTTY: {
      const handle = field(0);
      return ret(handle !== undefined && handleWrites(host, handle) !== undefined ? 1 : -1);
    }
    case SYS_OPEN: {
      // Only the console pseudo-file ":tt" exists (any mode); host files are not reachable.
      const name = field(0);
      const mode = field(1);
      if (name === undefined || mode === undefined || mode > 11n) return ret(-1);
      const s = readCString(c, name);
      if (!s || new TextDecoder().decode(s) !== ':tt') return ret(-1);
      const open = host.handles;
      let h = 1;
      while (open.has(h)) h++;
      open.set(h, mode >= 4n);
      return ret(h);
    }
    case SYS_CLOSE: {
      const handle = field(0);
      if (handle === undefined || handleWrites(host, handle) === undefined) return ret(-1);
      host.handles.delete(Number(handle));
      return ret(0);
    }
    case SYS_CLOCK:
      return ret(Math.floor(host.elapsedNs() / 1e7));
    case SYS_TIME:
      return ret(Math.floor(Date.now() / 1000));
    case SYS_ERRNO:
      return ret(0);
    case SYS_ELAPSED:
      if (!writeU64(c, arg, BigInt(Math.floor(host.elapsedNs())))) return ret(-1);
      return ret(0);
    case SYS_TICKFREQ:
      return ret(1_000_000_000);
    case SYS_HEAPINFO: {
      const block = readU64(c, arg);
      if (block === undefined) return ret(-1);
      const h = host.heapInfo();
      const ok = [h.heapBase, h.heapLimit, h.stackBase, h.stackLimit].every((v, i) => writeU64(c, block + BigInt(8 * i), v));
      return ret(ok ? 0 : -1);
    }
    case SYS_GET_CMDLINE: {
      const buf = field(0);
      const size = field(1);
      if (buf === undefined || size === undefined) return ret(-1);
      const bytes = new TextEncoder().encode(host.cmdline);
      if (BigInt(bytes.length + 1) > size) return ret(-1);
      for (let i = 0; i <= bytes.length; i++) {
        const a = buf + BigInt(i);
        c.mem.slowWrite(Number(a & 0xffffffffn) | 0, Number(a >> 32n) | 0, 1, 2, bytes[i] ?? 0, 0);
        if (c.mem.fault) return ret(-1);
      }
      writeU64(c, arg + 8n, BigInt(bytes.length));
      return ret(0);
    }
    case SYS_EXIT:
    case SYS_EXIT_EXTENDED: {
      // A64: X1 points to {reason, subcode}; ApplicationExit carries the status, any other reason is a failure.
      const reason = field(0);
      const sub = field(1);
      const status = reason === BigInt(ADP_STOPPED_APPLICATION_EXIT) && sub !== undefined ? Number(sub & 0xffn) : 1;
      host.exit(status);
      c.stopRequested = true;
      return;
    }
    default:
      return ret(-1);
  }
}

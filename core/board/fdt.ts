/**
 * Flattened device tree (DTB) writer, per the Devicetree Specification v0.4
 * chapter 5: header, memory reservation block, structure block (FDT_BEGIN_NODE,
 * FDT_PROP, FDT_END_NODE, FDT_END tokens, 4-byte aligned), strings block.
 * No maintained npm package writes DTBs, so this one is ours.
 */

export type PropValue =
  | { kind: 'empty' }
  | { kind: 'u32'; values: number[] }
  | { kind: 'u64'; values: bigint[] }
  | { kind: 'strings'; values: string[] }
  | { kind: 'bytes'; value: Uint8Array };

export interface DtNode {
  name: string;
  props: [string, PropValue][];
  children: DtNode[];
}

export const empty = (): PropValue => ({ kind: 'empty' });
export const u32 = (...values: number[]): PropValue => ({ kind: 'u32', values });
export const u64 = (...values: (bigint | number)[]): PropValue => ({ kind: 'u64', values: values.map((v) => BigInt(v)) });
export const str = (...values: string[]): PropValue => ({ kind: 'strings', values });

export function node(name: string, props: Record<string, PropValue> = {}, children: DtNode[] = []): DtNode {
  return { name, props: Object.entries(props), children };
}

/** Cells for a 64-bit value as two u32 (for #address-cells = #size-cells = 2). */
export function cells64(...values: (number | bigint)[]): number[] {
  const out: number[] = [];
  for (const v of values) {
    const b = BigInt(v);
    out.push(Number(b >> 32n), Number(b & 0xffffffffn));
  }
  return out;
}

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const HEADER_SIZE = 40;
const VERSION = 17;
const LAST_COMP_VERSION = 16;

function encodeValue(v: PropValue): Uint8Array {
  switch (v.kind) {
    case 'empty':
      return new Uint8Array(0);
    case 'u32': {
      const b = new Uint8Array(4 * v.values.length);
      const d = new DataView(b.buffer);
      v.values.forEach((x, i) => d.setUint32(4 * i, x >>> 0));
      return b;
    }
    case 'u64': {
      const b = new Uint8Array(8 * v.values.length);
      const d = new DataView(b.buffer);
      v.values.forEach((x, i) => d.setBigUint64(8 * i, BigInt.asUintN(64, x)));
      return b;
    }
    case 'strings': {
      const parts = v.values.map((s) => new TextEncoder().encode(s + '\0'));
      const b = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        b.set(p, o);
        o += p.length;
      }
      return b;
    }
    case 'bytes':
      return v.value;
  }
}

class Writer {
  private buf = new Uint8Array(1024);
  len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }

  u32(v: number): void {
    this.ensure(4);
    new DataView(this.buf.buffer).setUint32(this.len, v >>> 0);
    this.len += 4;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  align4(): void {
    while (this.len % 4 !== 0) this.bytes(Uint8Array.of(0));
  }

  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export interface MemReserve {
  address: bigint;
  size: bigint;
}

/** Serialise a tree whose root node has the name ''. */
export function writeDtb(root: DtNode, opts: { bootCpuId?: number; reserve?: MemReserve[] } = {}): Uint8Array {
  if (root.name !== '') throw new Error('the root node must have an empty name');
  const strings = new Writer();
  const stringOffsets = new Map<string, number>();
  const nameOffset = (name: string): number => {
    let o = stringOffsets.get(name);
    if (o === undefined) {
      o = strings.len;
      strings.bytes(new TextEncoder().encode(name + '\0'));
      stringOffsets.set(name, o);
    }
    return o;
  };
  const struct = new Writer();
  const emit = (n: DtNode): void => {
    struct.u32(FDT_BEGIN_NODE);
    struct.bytes(new TextEncoder().encode(n.name + '\0'));
    struct.align4();
    const seen = new Set<string>();
    for (const [name, value] of n.props) {
      if (seen.has(name)) throw new Error(`node '${n.name}': duplicate property '${name}'`);
      seen.add(name);
      const data = encodeValue(value);
      struct.u32(FDT_PROP);
      struct.u32(data.length);
      struct.u32(nameOffset(name));
      struct.bytes(data);
      struct.align4();
    }
    const names = new Set<string>();
    for (const c of n.children) {
      if (names.has(c.name)) throw new Error(`node '${n.name}': duplicate child '${c.name}'`);
      names.add(c.name);
      emit(c);
    }
    struct.u32(FDT_END_NODE);
  };
  emit(root);
  struct.u32(FDT_END);

  const rsv = new Writer();
  for (const r of opts.reserve ?? []) {
    for (const v of [r.address, r.size]) {
      rsv.u32(Number(v >> 32n));
      rsv.u32(Number(v & 0xffffffffn));
    }
  }
  rsv.u32(0);
  rsv.u32(0);
  rsv.u32(0);
  rsv.u32(0);

  const offRsv = HEADER_SIZE; // 8-byte aligned
  const offStruct = offRsv + rsv.len;
  const offStrings = offStruct + struct.len;
  const total = offStrings + strings.len;
  const out = new Writer();
  for (const v of [
    FDT_MAGIC,
    total,
    offStruct,
    offStrings,
    offRsv,
    VERSION,
    LAST_COMP_VERSION,
    opts.bootCpuId ?? 0,
    strings.len,
    struct.len,
  ]) {
    out.u32(v);
  }
  out.bytes(rsv.result());
  out.bytes(struct.result());
  out.bytes(strings.result());
  return out.result();
}

/**
 * Just enough ELF64 (little-endian) to patch the fuzz harness: symbol values
 * from .symtab and the file offset of a virtual address (PT_LOAD segments).
 */

export interface HarnessElf {
  bytes: Uint8Array;
  symbols: Map<string, bigint>;
  /** File offset of a virtual address inside a loaded segment's file image. */
  fileOffset(vaddr: bigint): number;
}

export function parseHarnessElf(bytes: Uint8Array): HarnessElf {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, false) !== 0x7f454c46 || bytes[4] !== 2 || bytes[5] !== 1)
    throw new Error('fuzz harness: not a little-endian ELF64 file');
  const phoff = Number(dv.getBigUint64(32, true));
  const shoff = Number(dv.getBigUint64(40, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);

  const segs: { vaddr: bigint; off: number; filesz: number }[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) !== 1) continue; // PT_LOAD
    segs.push({
      off: Number(dv.getBigUint64(p + 8, true)),
      vaddr: dv.getBigUint64(p + 16, true),
      filesz: Number(dv.getBigUint64(p + 32, true)),
    });
  }

  const symbols = new Map<string, bigint>();
  const sh = (i: number, field: number, size: 4 | 8): number =>
    size === 4 ? dv.getUint32(shoff + i * shentsize + field, true) : Number(dv.getBigUint64(shoff + i * shentsize + field, true));
  for (let i = 0; i < shnum; i++) {
    if (sh(i, 4, 4) !== 2) continue; // SHT_SYMTAB
    const off = sh(i, 24, 8);
    const size = sh(i, 32, 8);
    const strOff = sh(sh(i, 40, 4), 24, 8);
    for (let s = off; s + 24 <= off + size; s += 24) {
      let end = strOff + dv.getUint32(s, true);
      const start = end;
      while (bytes[end] !== 0) end++;
      const name = new TextDecoder().decode(bytes.subarray(start, end));
      if (name) symbols.set(name, dv.getBigUint64(s + 8, true));
    }
  }

  return {
    bytes,
    symbols,
    fileOffset(vaddr: bigint): number {
      for (const s of segs) {
        if (vaddr >= s.vaddr && vaddr < s.vaddr + BigInt(s.filesz)) return s.off + Number(vaddr - s.vaddr);
      }
      throw new Error(`fuzz harness: address 0x${vaddr.toString(16)} is not in the file image`);
    },
  };
}

/**
 * ELF64 little-endian AArch64 executables (System V gABI, AArch64 ELF ABI):
 * PT_LOAD segments are copied to their physical addresses (p_paddr), .bss zeroed.
 */

export interface LoadSegment {
  paddr: number;
  data: Uint8Array;
  memSize: number;
}

export interface ElfImage {
  entry: bigint;
  segments: LoadSegment[];
  /** Highest physical address covered by any segment (exclusive). */
  end: number;
}

export class LoadError extends Error {}

const EM_AARCH64 = 183;
const PT_LOAD = 1;

export function isElf(b: Uint8Array): boolean {
  return b.length >= 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

export function parseElf(b: Uint8Array, name = 'ELF file'): ElfImage {
  if (b.length < 64) throw new LoadError(`${name}: too short for an ELF header (${b.length} bytes)`);
  if (b[4] !== 2) throw new LoadError(`${name}: not a 64-bit ELF (EI_CLASS=${b[4]}); armlab runs AArch64 guests`);
  if (b[5] !== 1) throw new LoadError(`${name}: not little-endian (EI_DATA=${b[5]})`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_AARCH64) throw new LoadError(`${name}: e_machine is ${machine}, not AArch64 (183)`);
  const type = dv.getUint16(16, true);
  if (type !== 2 && type !== 3) throw new LoadError(`${name}: e_type ${type} is not an executable`);
  const entry = dv.getBigUint64(24, true);
  const phoff = Number(dv.getBigUint64(32, true));
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phnum === 0) throw new LoadError(`${name}: no program headers`);
  if (phentsize < 56 || phoff + phnum * phentsize > b.length) throw new LoadError(`${name}: program header table out of bounds`);
  const segments: LoadSegment[] = [];
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (dv.getUint32(o, true) !== PT_LOAD) continue;
    const offset = Number(dv.getBigUint64(o + 8, true));
    const paddr = Number(dv.getBigUint64(o + 24, true));
    const filesz = Number(dv.getBigUint64(o + 32, true));
    const memsz = Number(dv.getBigUint64(o + 40, true));
    if (memsz === 0) continue;
    if (filesz > memsz) throw new LoadError(`${name}: segment ${i} has p_filesz > p_memsz`);
    if (offset + filesz > b.length) throw new LoadError(`${name}: segment ${i} extends past the end of the file`);
    if (!Number.isSafeInteger(paddr + memsz) || paddr + memsz > 2 ** 52)
      throw new LoadError(`${name}: segment ${i} physical address out of range`);
    segments.push({ paddr, data: b.subarray(offset, offset + filesz), memSize: memsz });
    end = Math.max(end, paddr + memsz);
  }
  if (segments.length === 0) throw new LoadError(`${name}: no loadable segments`);
  return { entry, segments, end };
}

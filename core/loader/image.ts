/**
 * arm64 Linux `Image` (Documentation/arch/arm64/booting.rst): a 64-byte header
 * with text_offset (0x08), image_size (0x10), flags (0x18) and the magic
 * "ARM\x64" (0x644d5241) at 0x38. Loaded at a 2 MiB aligned base + text_offset.
 */
import { LoadError } from './elf.js';

export const ARM64_IMAGE_MAGIC = 0x644d5241;

export interface LinuxImage {
  textOffset: number;
  imageSize: number;
  flags: bigint;
  data: Uint8Array;
}

export function isArm64Image(b: Uint8Array): boolean {
  return b.length >= 64 && new DataView(b.buffer, b.byteOffset, 64).getUint32(0x38, true) === ARM64_IMAGE_MAGIC;
}

export function parseArm64Image(b: Uint8Array, name = 'Image'): LinuxImage {
  if (!isArm64Image(b)) throw new LoadError(`${name}: no arm64 Image magic at offset 0x38`);
  const dv = new DataView(b.buffer, b.byteOffset, 64);
  let textOffset = Number(dv.getBigUint64(0x08, true));
  const imageSize = Number(dv.getBigUint64(0x10, true));
  const flags = dv.getBigUint64(0x18, true);
  // image_size == 0: a kernel older than 3.17, whose text_offset is 0x80000 by convention.
  if (imageSize === 0) textOffset = 0x80000;
  if (textOffset % 4096 !== 0 || textOffset >= 2 ** 21)
    throw new LoadError(`${name}: text_offset 0x${textOffset.toString(16)} is not usable`);
  if ((flags & 1n) !== 0n) throw new LoadError(`${name}: big-endian kernel (flags bit 0); armlab runs little-endian guests`);
  return { textOffset, imageSize, flags, data: b };
}

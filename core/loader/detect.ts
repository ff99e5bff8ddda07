/** Recognises what a user handed us: ELF, arm64 Image (optionally gzip'd), or raw binary. */
import { gunzipSync } from 'node:zlib';
import { isElf, LoadError, parseElf, type ElfImage } from './elf.js';
import { isArm64Image, parseArm64Image, type LinuxImage } from './image.js';

export type Loadable = { kind: 'elf'; elf: ElfImage } | { kind: 'image'; image: LinuxImage } | { kind: 'raw'; data: Uint8Array };

/** Largest decompressed kernel we accept (protects the host from gzip bombs). */
const MAX_UNCOMPRESSED = 512 * 1024 * 1024;

export function detect(bytes: Uint8Array, name: string): Loadable {
  if (bytes.length === 0) throw new LoadError(`${name}: file is empty`);
  let b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try {
      b = new Uint8Array(gunzipSync(b, { maxOutputLength: MAX_UNCOMPRESSED }));
    } catch (e) {
      throw new LoadError(`${name}: gzip data is corrupt or too large (${(e as Error).message})`);
    }
  }
  if (isElf(b)) return { kind: 'elf', elf: parseElf(b, name) };
  if (isArm64Image(b)) return { kind: 'image', image: parseArm64Image(b, name) };
  return { kind: 'raw', data: b };
}

export { LoadError };

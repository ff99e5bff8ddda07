import { describe, it, expect } from 'vitest';
import { gzipSync } from 'node:zlib';
import { detect, LoadError } from '../../core/loader/detect.js';
import { parseElf } from '../../core/loader/elf.js';

function elfHeader(over: Partial<Record<'class' | 'data' | 'machine' | 'type' | 'phnum', number>> = {}): Uint8Array {
  const b = new Uint8Array(64 + 56 + 8);
  const d = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, over.class ?? 2, over.data ?? 1, 1]);
  d.setUint16(16, over.type ?? 2, true);
  d.setUint16(18, over.machine ?? 183, true);
  d.setBigUint64(24, 0x40080000n, true); // e_entry
  d.setBigUint64(32, 64n, true); // e_phoff
  d.setUint16(54, 56, true);
  d.setUint16(56, over.phnum ?? 1, true);
  // PT_LOAD: offset 120, paddr 0x40080000, filesz 8, memsz 16
  d.setUint32(64, 1, true);
  d.setBigUint64(64 + 8, 120n, true);
  d.setBigUint64(64 + 24, 0x40080000n, true);
  d.setBigUint64(64 + 32, 8n, true);
  d.setBigUint64(64 + 40, 16n, true);
  return b;
}

function arm64Image(textOffset: bigint, imageSize: bigint): Uint8Array {
  const b = new Uint8Array(4096);
  const d = new DataView(b.buffer);
  d.setBigUint64(8, textOffset, true);
  d.setBigUint64(16, imageSize, true);
  d.setUint32(0x38, 0x644d5241, true);
  return b;
}

describe('loaders', () => {
  it('parses a minimal AArch64 ELF', () => {
    const e = parseElf(elfHeader());
    expect(e.entry).toBe(0x40080000n);
    expect(e.segments).toHaveLength(1);
    expect(e.segments[0].memSize).toBe(16);
    expect(e.end).toBe(0x40080010);
  });

  it.each([
    ['32-bit ELF', { class: 1 }, /not a 64-bit ELF/],
    ['big-endian ELF', { data: 2 }, /not little-endian/],
    ['x86-64 ELF', { machine: 62 }, /not AArch64/],
    ['relocatable object', { type: 1 }, /not an executable/],
    ['no program headers', { phnum: 0 }, /no program headers/],
  ] as const)('rejects a %s with a clear message', (_n, over, msg) => {
    expect(() => detect(elfHeader(over), 'f')).toThrow(LoadError);
    expect(() => detect(elfHeader(over), 'f')).toThrow(msg);
  });

  it('rejects a truncated ELF', () => {
    expect(() => detect(elfHeader().subarray(0, 40), 'f')).toThrow(/too short/);
    expect(() => detect(elfHeader().subarray(0, 100), 'f')).toThrow(/out of bounds/);
  });

  it('recognises an arm64 Image, also gzip-compressed', () => {
    const img = arm64Image(0x80000n, 0x200000n);
    expect(detect(img, 'Image')).toMatchObject({ kind: 'image', image: { textOffset: 0x80000, imageSize: 0x200000 } });
    expect(detect(new Uint8Array(gzipSync(img)), 'Image.gz')).toMatchObject({ kind: 'image' });
  });

  it('treats image_size 0 as the legacy text_offset 0x80000', () => {
    expect(detect(arm64Image(0n, 0n), 'Image')).toMatchObject({ kind: 'image', image: { textOffset: 0x80000 } });
  });

  it('rejects corrupt gzip and empty files', () => {
    expect(() => detect(Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3), 'x.gz')).toThrow(/gzip data is corrupt/);
    expect(() => detect(new Uint8Array(0), 'x')).toThrow(/empty/);
  });

  it('falls back to a raw binary', () => {
    expect(detect(Uint8Array.of(0, 0, 0, 0x14), 'raw.bin').kind).toBe('raw');
  });
});

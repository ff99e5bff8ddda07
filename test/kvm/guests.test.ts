/** core/kvm/x86-guests.ts (generated) holds exactly what resources/kvm/*.S assemble to. */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import * as guests from '../../core/kvm/x86-guests.js';

const root = join(import.meta.dirname, '..', '..');
const hasAs = spawnSync('as', ['--version']).status === 0 && spawnSync('ld', ['--version']).status === 0;
if (!hasAs) process.stdout.write('test/kvm: guest bytes not checked: the host has no as/ld (binutils)\n');

it.skipIf(!hasAs)('x86 guest bytes match their assembly sources', () => {
  const fresh = execFileSync('bash', [join(root, 'resources', 'kvm', 'build.sh'), '--print']).toString();
  const bytes = (name: string) => {
    const m = new RegExp(`export const ${name} = new Uint8Array\\(\\[([^\\]]*)\\]\\)`).exec(fresh);
    return m ? m[1].split(',').map((x) => Number(x.trim())) : undefined;
  };
  for (const [name, v] of Object.entries(guests)) {
    if (v instanceof Uint8Array) expect([...v], name).toEqual(bytes(name));
  }
});

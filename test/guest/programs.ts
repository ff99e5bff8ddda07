// The guest test programs in resources/guest/tests and their run options.
//
// Options are comment lines in the program's source:
//   //! cflags: -march=armv8.1-a       (used by build.sh only)
//   //! qemu: virtualization secure mem=256   (entry EL2 / EL3, RAM MiB)
//   //! qemu: gic=2                    (GICv2: QEMU -M virt,gic-version=2, armlab --gic 2)
//   //! timeout: 30                    (seconds, per emulator run; default 20)
//   //! status: 3                      (expected exit status; default 0)
//   //! only: armlab                   (self-checking, armlab only: QEMU can't run it or is
//                                       wrong there; run by selfcheck.test.ts, not diff.test.ts)
//   //! armlab: --ram 2M@0x8000000000000  (extra armlab CLI arguments)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const guestDir = path.join(repoRoot, 'resources/guest');
export const buildScript = path.join(guestDir, 'build.sh');

export interface GuestProgram {
  name: string;
  source: string;
  elf: string;
  virtualization: boolean;
  secure: boolean;
  mem?: number;
  /** Interrupt controller version (default 3). */
  gic?: 2 | 3;
  timeoutMs: number;
  expectedStatus: number;
  /** Self-checking program for armlab only (`//! only: armlab`). */
  armlabOnly: boolean;
  /** Extra armlab CLI arguments (`//! armlab: ...`). */
  armlabArgs: string[];
}

export function parseOptions(name: string, source: string, text: string): GuestProgram {
  const prog: GuestProgram = {
    name,
    source,
    elf: path.join(guestDir, 'out', `${name}.elf`),
    virtualization: false,
    secure: false,
    timeoutMs: 20_000,
    expectedStatus: 0,
    armlabOnly: false,
    armlabArgs: [],
  };
  for (const m of text.matchAll(/^\/\/!\s*(\w+):\s*(.*)$/gm)) {
    const [, key, value] = m;
    const words = value.trim().split(/\s+/);
    if (key === 'qemu') {
      for (const w of words) {
        if (w === 'virtualization') prog.virtualization = true;
        else if (w === 'secure') prog.secure = true;
        else if (w.startsWith('mem=')) prog.mem = Number(w.slice(4));
        else if (w === 'gic=2') {
          prog.gic = 2;
          prog.armlabArgs.push('--gic', '2');
        } else throw new Error(`${source}: unknown //! qemu option ${w}`);
      }
    } else if (key === 'timeout') prog.timeoutMs = Number(words[0]) * 1000;
    else if (key === 'status') prog.expectedStatus = Number(words[0]);
    else if (key === 'only') {
      if (words[0] !== 'armlab') throw new Error(`${source}: unknown //! only: ${value}`);
      prog.armlabOnly = true;
    } else if (key === 'armlab') prog.armlabArgs.push(...words.filter(Boolean));
    else if (key !== 'cflags') throw new Error(`${source}: unknown //! option ${key}`);
  }
  return prog;
}

export function listPrograms(): GuestProgram[] {
  const dir = path.join(guestDir, 'tests');
  return readdirSync(dir)
    .filter((f) => /\.(c|S)$/.test(f))
    .sort()
    .map((f) => parseOptions(f.replace(/\.(c|S)$/, ''), path.join(dir, f), readFileSync(path.join(dir, f), 'utf8')));
}

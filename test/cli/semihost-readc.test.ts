// Semihosting SYS_READC waits for console input, as under QEMU (issue 2 review): the vCPU halts
// (no busy spin) until stdin delivers a byte, and gets -1 only once stdin has ended. A timeout
// still ends a run that waits forever.
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'armlab-readc-'));

/**
 * Prints '?' on the PL011, then echoes each SYS_READC byte until it returns -1, prints 'E' and
 * powers off (PSCI SYSTEM_OFF, status 0).
 */
const ECHO = [
  0xd2a12005, // mov x5, #0x9000000 (PL011 DR)
  0x528007e0, // mov w0, #'?'
  0x390000a0, // strb w0, [x5]
  0xd28000e0, // 1: mov x0, #7 (SYS_READC)
  0xd45e0000, // hlt #0xf000
  0xb100041f, // cmn x0, #1
  0x54000060, // b.eq 2f
  0x390000a0, // strb w0, [x5]
  0x17fffffb, // b 1b
  0x528008a0, // 2: mov w0, #'E'
  0x390000a0, // strb w0, [x5]
  0x52800100, // movz w0, #8
  0x72b08000, // movk w0, #0x8400, lsl #16 (SYSTEM_OFF)
  0xd4000002, // hvc #0
];
const echoBin = join(dir, 'echo.bin');
const b = Buffer.alloc(ECHO.length * 4);
ECHO.forEach((w, i) => b.writeUInt32LE(w >>> 0, i * 4));
writeFileSync(echoBin, b);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // Fields 14 and 15 (utime, stime) counted from 1; the split starts at field 3.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function start(...args: string[]) {
  const child = spawn(process.execPath, ['bin/armlab.mjs', 'run', echoBin, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    done,
    out: () => stdout,
    err: () => stderr,
    async waitFor(text: string, ms = 30_000): Promise<void> {
      const until = performance.now() + ms;
      while (!stdout.includes(text)) {
        if (performance.now() > until) throw new Error(`no '${text}' on stdout after ${ms} ms; stderr: ${stderr}`);
        await sleep(20);
      }
    },
  };
}

describe('semihosting SYS_READC', () => {
  it('waits for stdin without spinning, returns the bytes as they come and -1 at EOF', async () => {
    const r = start('--timeout', '60');
    await r.waitFor('?');
    // The guest is now in SYS_READC with nothing to read: it must neither finish nor burn a core.
    const cpu0 = cpuSeconds(r.child.pid!);
    await sleep(1000);
    const cpuUsed = cpuSeconds(r.child.pid!) - cpu0;
    expect(r.out()).toBe('?');
    expect(cpuUsed).toBeLessThan(0.5);
    r.child.stdin.write('ab');
    await r.waitFor('?ab');
    await sleep(300);
    expect(r.out()).toBe('?ab');
    r.child.stdin.end('c');
    expect(await r.done).toBe(0);
    expect(r.out()).toBe('?abcE');
    expect(r.err()).toBe('');
  }, 60_000);

  it('returns -1 at once when stdin is already at its end', async () => {
    const r = start('--timeout', '60');
    r.child.stdin.end();
    expect(await r.done).toBe(0);
    expect(r.out()).toBe('?E');
  }, 60_000);

  it('a run waiting for input that never comes still ends at --timeout (status 124)', async () => {
    const r = start('--timeout', '2');
    expect(await r.done).toBe(124);
    expect(r.out()).toBe('?');
    expect(r.err()).toMatch(/timeout after 2 s/);
    expect(r.err()).toMatch(/waiting in semihosting SYS_READC for console input/);
    r.child.stdin.destroy();
  }, 60_000);
});

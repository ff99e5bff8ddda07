// Console input end to end on the CLI: stdin piped to `armlab run` reaches the guest's PL011 receive
// FIFO (resources/guest/tests/uart_echo.c polls UARTFR.RXFE and reads UARTDR), on one vCPU (the VM
// worker's UART) and on two (the SMP machine's UART, fed through the ring shared with the vCPU workers).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const elf = path.join(root, 'resources/guest/out/uart_echo.elf');

function armlab(args: string[], input: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'bin/armlab.mjs'), 'run', ...args, elf], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('armlab run uart_echo.elf with stdin piped', () => {
  beforeAll(() => {
    if (!existsSync(elf)) spawnSync('bash', [path.join(root, 'resources/guest/build.sh'), 'uart_echo'], { stdio: 'inherit' });
  });

  for (const cpus of [1, 2]) {
    it(`${cpus} vCPU${cpus > 1 ? 's' : ''}: echoes each line, ends on "quit" with status 0`, async () => {
      const r = await armlab(
        cpus > 1 ? ['--cpus', String(cpus), '--timeout', '30'] : ['--timeout', '30'],
        'hello\nsecond line\nquit\nnot read\n',
      );
      expect(r.stderr).not.toMatch(/error/i);
      expect(r.stdout).toBe("uart_echo: type a line, 'quit' ends\n> hello\necho: hello\n> second line\necho: second line\n> quit\nbye\n");
      expect(r.status).toBe(0);
    });
  }

  it("a terminal's CR line ends and DEL erase work as typed in the lab console", async () => {
    const r = await armlab(['--timeout', '30'], 'helx\x7flo\rquit\r');
    expect(r.stdout).toContain('echo: hello\n');
    expect(r.stdout).toMatch(/> quit\nbye\n$/);
    expect(r.status).toBe(0);
  });

  it('without input it gives up after the idle limit from the command line (--append 1)', async () => {
    const r = await armlab(['--timeout', '30', '--append', '1'], '');
    expect(r.stdout).toMatch(/no input for 1 s; bye\n$/);
    expect(r.status).toBe(0);
  });
});

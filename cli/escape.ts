/**
 * QEMU-style console escapes on an interactive terminal: Ctrl-A x quits, Ctrl-A
 * Ctrl-A sends one Ctrl-A to the guest; other bytes pass through.
 */
export const CTRL_A = 0x01;

export class ConsoleEscape {
  private armed = false;
  quit = false;

  /** Bytes to forward to the guest; sets `quit` on Ctrl-A x. */
  filter(data: Uint8Array): Uint8Array {
    const out: number[] = [];
    for (const b of data) {
      if (this.armed) {
        this.armed = false;
        if (b === 0x78 /* x */ || b === 0x58) {
          this.quit = true;
          break;
        }
        out.push(b === CTRL_A ? CTRL_A : b);
        continue;
      }
      if (b === CTRL_A) this.armed = true;
      else out.push(b);
    }
    return Uint8Array.from(out);
  }
}

/**
 * The terminal's stdin → the guest's UART: raw mode and Ctrl-A escapes on a TTY, bytes as they
 * come from a pipe. `onEnd` runs once stdin reaches its end (EOF, a read error, or already
 * ended); a terminal never ends. `detach()` restores the terminal and stops reading.
 */
export function relayStdin(send: (bytes: Uint8Array) => void, onEnd: () => void = () => {}): { esc: ConsoleEscape; detach(): void } {
  const stdin = process.stdin;
  const esc = new ConsoleEscape();
  const onData = (d: Buffer): void => send(stdin.isTTY ? esc.filter(new Uint8Array(d)) : new Uint8Array(d));
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  if (stdin.isTTY) stdin.setRawMode(true);
  if (stdin.isTTY || !stdin.readableEnded) {
    stdin.on('data', onData);
    stdin.on('end', end);
    stdin.on('error', end);
  } else end();
  return {
    esc,
    detach(): void {
      stdin.off('data', onData);
      stdin.off('end', end);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}

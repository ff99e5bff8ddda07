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

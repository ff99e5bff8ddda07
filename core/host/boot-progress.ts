/**
 * Progress of a Linux boot, read from the console: the kernel prints the same milestones on every boot, in
 * this order, so "milestone k of n reached" is an honest fraction of the way to init (not of the time: the
 * stretches between milestones differ). Bytes may split a milestone across console chunks: a short tail of
 * the previous text is kept and searched again.
 */
export interface BootMilestone {
  /** Text the console shows when the boot reaches this point. */
  text: string;
  /** What the user reads. */
  phase: string;
}

export const LINUX_MILESTONES: readonly BootMilestone[] = [
  { text: 'Booting Linux on physical CPU', phase: 'kernel started' },
  { text: 'smp: Brought up', phase: 'secondary vCPUs up' },
  { text: 'Unpacking initramfs', phase: 'unpacking the initramfs' },
  { text: 'Freeing unused kernel memory', phase: 'kernel initialised' },
  { text: 'Run /init', phase: 'starting init' },
  { text: 'ARMLAB-MARKER: init reached', phase: 'init reached' },
];

export interface BootStep {
  phase: string;
  /** Milestones reached / milestones (0..1). */
  fraction: number;
  /** Which milestone (1-based) of how many. */
  step: number;
  steps: number;
}

const TAIL = 64;

export class BootProgress {
  private next = 0;
  private tail = '';
  private readonly decoder = new TextDecoder();

  constructor(private readonly milestones: readonly BootMilestone[] = LINUX_MILESTONES) {}

  get done(): boolean {
    return this.next >= this.milestones.length;
  }

  /** Console bytes in; the furthest milestone they reach, if any (a later milestone implies the earlier ones). */
  feed(bytes: Uint8Array): BootStep | undefined {
    if (this.done) return undefined;
    const text = this.tail + this.decoder.decode(bytes, { stream: true });
    let reached = -1;
    for (let i = this.next; i < this.milestones.length; i++) if (text.includes(this.milestones[i].text)) reached = i;
    this.tail = text.slice(-TAIL);
    if (reached < 0) return undefined;
    this.next = reached + 1;
    const n = this.milestones.length;
    return { phase: this.milestones[reached].phase, fraction: (reached + 1) / n, step: reached + 1, steps: n };
  }
}

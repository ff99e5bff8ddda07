// The run view's controls: each button enabled only in the states where it applies, the loading phases
// and a Linux boot's milestones as progress; and the WebSocket client: a call still waiting for its reply
// fails when the socket closes (it does not hang).
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VmState, VmSummary } from '../../core/host/api.js';
import Inspector from '../../renderer/src/components/Inspector.svelte';
import RunControls from '../../renderer/src/components/RunControls.svelte';
import { connect, type Client } from '../../renderer/src/lib/client.js';
import { fakeLab, page, type El } from './fakes.js';

const vm = (state: VmState, over: Partial<VmSummary> = {}): VmSummary => ({
  id: 'vm1',
  state,
  spec: {
    name: 'demo',
    backend: 'tcg',
    cpus: [{ model: 'cortex-a57' }],
    memory: [{ base: 0x4000_0000, size: 2 ** 27 }],
    entryEl: 1,
    boot: { kind: 'program', path: '/x.elf' },
  },
  ...over,
});

const enabled = (): Record<string, boolean> =>
  Object.fromEntries((screen.getAllByRole('button') as El[]).map((b) => [b.textContent!.trim(), !b.disabled]));

describe('RunControls', () => {
  it.each([
    ['created', { Start: true, Pause: false, Resume: false, Stop: false, Remove: true }],
    ['starting', { 'Run again': false, Pause: false, Resume: false, Stop: true, Remove: false }],
    ['running', { 'Run again': false, Pause: true, Resume: false, Stop: true, Remove: false }],
    ['paused', { 'Run again': false, Pause: false, Resume: true, Stop: true, Remove: false }],
    ['exited', { 'Run again': true, Pause: false, Resume: false, Stop: false, Remove: true }],
  ] as const)('%s: %o', (state, want) => {
    const { lab } = fakeLab();
    render(RunControls, { lab, vm: vm(state, state === 'exited' ? { outcome: { kind: 'exit', status: 0 } } : {}) });
    expect(enabled()).toEqual(want);
    expect(screen.getByTestId('run-state').textContent).toBe(state);
    if (state === 'exited') expect(screen.getByTestId('outcome').textContent).toBe('exit status 0');
  });

  it('a machine that cannot pause has Pause disabled with the reason as its title', () => {
    const { lab } = fakeLab();
    const note = 'pause: not on this machine';
    render(RunControls, { lab, vm: vm('running', { controls: { pause: false, inspect: false, notes: [note] } }) });
    const pause = screen.getByText('Pause') as El;
    expect(pause.disabled).toBe(true);
    expect(pause.title).toBe(note);
    expect(screen.getByTestId('control-notes').textContent).toContain(note);
  });

  it('calls the host for a button and shows its refusal', async () => {
    const { lab, client } = fakeLab({
      pause: () => {
        throw new Error('demo: the host said no');
      },
    });
    render(RunControls, { lab, vm: vm('running') });
    await fireEvent.click(screen.getByText('Pause'));
    await waitFor(() => expect(page().document.body.textContent).toContain('demo: the host said no'));
    expect(client.calls).toEqual([{ method: 'pause', params: ['vm1'] }]);
  });

  it('shows the loading phase, then a boot milestone with step k of n and the run time', async () => {
    const { lab, client } = fakeLab();
    render(RunControls, { lab, vm: vm('starting') });
    client.emit({ type: 'progress', vm: 'vm1', phase: 'loading the program into guest RAM' });
    await waitFor(() => expect(screen.getByTestId('progress').textContent).toContain('loading the program into guest RAM'));
    client.emit({ type: 'progress', vm: 'vm1', phase: 'running' });
    client.emit({
      type: 'progress',
      vm: 'vm1',
      phase: 'booting: unpacking the initramfs',
      fraction: 0.5,
      step: 3,
      steps: 6,
      elapsedMs: 12345,
    });
    await waitFor(() => expect(screen.getByTestId('boot-progress').textContent).toContain('booting: unpacking the initramfs'));
    expect(screen.queryByTestId('progress')).toBeNull();
    const boot = screen.getByTestId('boot-progress');
    expect(boot.textContent).toContain('milestone 3 of 6, 12.3 s of run time');
    expect((boot.querySelector('progress') as El).value).toBe(0.5);
  });
});

/** Selects option `i` of a <select> as a user would. */
async function choose(testId: string, i: number): Promise<void> {
  const sel = screen.getByTestId(testId) as El;
  sel.querySelectorAll('option')[i].selected = true;
  await fireEvent.change(sel);
}

describe('Inspector', () => {
  it('asks for the chosen vCPU and EL of an SMP VM, and shows the walk', async () => {
    const { lab, client } = fakeLab({
      inspect: () => ({
        va: '0x40001000',
        el: 2,
        access: 'read',
        regime: 'EL2',
        stage1: false,
        stage2: false,
        levels: [],
        ok: true,
        pa: '0x40001000',
      }),
    });
    lab.vms = [vm('paused', { spec: { ...vm('paused').spec, cpus: [{ model: 'max' }, { model: 'max' }, { model: 'max' }] } })];
    render(Inspector, { lab, vm: 'vm1' });
    expect((screen.getByTestId('inspect-cpu') as El).querySelectorAll('option')).toHaveLength(3);
    await choose('inspect-cpu', 2);
    await choose('inspect-el', 3); // [current, EL0, EL1, EL2, …]
    await fireEvent.click(screen.getByText('Translate'));
    await waitFor(() => expect(page().document.body.textContent).toContain('regime EL2'));
    expect(client.calls[0]).toEqual({ method: 'inspect', params: ['vm1', { va: '0x40000000', access: 'read', cpu: 2, el: 2 }] });
  });

  it('one vCPU: no vCPU choice; the current EL unless one is chosen', async () => {
    const { lab, client } = fakeLab({
      inspect: () => ({ va: '0x0', el: 1, access: 'read', regime: 'EL1&0', stage1: true, stage2: false, levels: [], ok: true, pa: '0x0' }),
    });
    lab.vms = [vm('paused')];
    render(Inspector, { lab, vm: 'vm1' });
    expect(screen.queryByTestId('inspect-cpu')).toBeNull();
    await fireEvent.click(screen.getByText('Translate'));
    await waitFor(() => expect(client.calls).toHaveLength(1));
    expect(client.calls[0].params[1]).toEqual({ va: '0x40000000', access: 'read', cpu: 0 });
  });
});

describe('WebSocket client', () => {
  class FakeSocket extends EventTarget {
    static last: FakeSocket | undefined;
    sent: string[] = [];
    constructor(readonly url: string) {
      super();
      FakeSocket.last = this;
    }
    send(s: string): void {
      this.sent.push(s);
    }
    open(): void {
      this.dispatchEvent(new Event('open'));
    }
    close(code = 1006): void {
      this.dispatchEvent(Object.assign(new Event('close'), { code }));
    }
    reply(m: unknown): void {
      this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(m) }));
    }
  }
  afterEach(() => vi.unstubAllGlobals());

  function client(): Client {
    vi.stubGlobal('WebSocket', FakeSocket);
    page().window.happyDOM.setURL('http://127.0.0.1:4321/?token=t0k%2Ben');
    const c = connect();
    if ('error' in c) throw new Error(c.error);
    return c;
  }

  it('connects to /api with the token from the page URL and matches replies to calls', async () => {
    const c = client();
    const ws = FakeSocket.last!;
    expect(ws.url).toBe('ws://127.0.0.1:4321/api?token=t0k%2Ben');
    ws.open();
    const list = c.call('list');
    await waitFor(() => expect(ws.sent).toHaveLength(1));
    const req = JSON.parse(ws.sent[0]) as { id: number; method: string };
    expect(req.method).toBe('list');
    ws.reply({ kind: 'reply', id: req.id, ok: true, result: [] });
    await expect(list).resolves.toEqual([]);
  });

  it('a pending call fails when the socket closes, and the connection says why', async () => {
    const c = client();
    const states: string[] = [];
    c.onConnection((s, d) => states.push(d ? `${s}: ${d}` : s));
    const ws = FakeSocket.last!;
    ws.open();
    const pending = c.call('info');
    await waitFor(() => expect(ws.sent).toHaveLength(1));
    ws.close(1006);
    await expect(pending).rejects.toThrow('connection to the armlab server closed');
    expect(states.at(-1)).toMatch(/^closed: the server refused the connection or went away/);
  });
});

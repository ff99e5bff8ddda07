// The renderer's model of the host (lab.svelte.ts): counter history capped as the host caps it, and
// snapshots the server dropped for a slow connection restored from the host's history.
import { waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { CounterSnapshot, VmSummary } from '../../core/host/api.js';
import { COUNTERS_KEEP } from '../../renderer/src/lib/lab.svelte.js';
import { fakeLab } from './fakes.js';

const snap = (t: number): CounterSnapshot => ({ t, cpus: [{ cpu: 0, instructions: t, mips: 1 }] });
const summary = { id: 'vm1', state: 'running' } as VmSummary;

describe('Lab', () => {
  it('keeps at most COUNTERS_KEEP snapshots of a run (the oldest go first)', () => {
    const { lab, client } = fakeLab();
    for (let t = 1; t <= COUNTERS_KEEP + 50; t++) client.emit({ type: 'counters', vm: 'vm1', snapshot: snap(t) });
    const kept = lab.countersOf('vm1');
    expect(kept.length).toBeLessThanOrEqual(COUNTERS_KEEP);
    expect(kept.at(-1)!.t).toBe(COUNTERS_KEEP + 50);
    expect(kept.map((s) => s.t)).toEqual(kept.map((_, i) => kept[0].t + i));
  });

  it("after 'dropped', takes the host's history and keeps what arrived meanwhile", async () => {
    let release: () => void = () => {};
    const { lab, client } = fakeLab({
      history: () =>
        new Promise((resolve) => {
          release = () => resolve({ vm: summary, console: '', counters: [1, 2, 3, 4, 5].map(snap), checker: [] });
        }),
    });
    client.emit({ type: 'counters', vm: 'vm1', snapshot: snap(1) });
    // Snapshots 2..4 were dropped by the server; 'dropped' comes before the next one it sends.
    client.emit({ type: 'dropped', vm: 'vm1' });
    client.emit({ type: 'counters', vm: 'vm1', snapshot: snap(5) });
    client.emit({ type: 'counters', vm: 'vm1', snapshot: snap(6) });
    const rev = lab.rev.vm1;
    release();
    await waitFor(() => expect(lab.rev.vm1).toBeGreaterThan(rev));
    expect(lab.countersOf('vm1').map((s) => s.t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(client.calls.filter((c) => c.method === 'history')).toEqual([{ method: 'history', params: ['vm1'] }]);
  });
});

// The setup view's interrupt controller choice: GICv3 by default, GICv2 on request; a GICv2 is
// disabled with the reason under the KVM backend and with entry at EL3 (the host refuses both), and
// the choice reaches the VmSpec the host validates and creates.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { VmSpec } from '../../core/host/api.js';
import GicPicker from '../../renderer/src/components/GicPicker.svelte';
import SetupView from '../../renderer/src/components/SetupView.svelte';
import { fakeLab, type El } from './fakes.js';

const radio = (v: 2 | 3): El => screen.getByTestId(`gic-${v}`) as El;

describe('GicPicker', () => {
  it('GICv3 is the default; GICv2 can be chosen under TCG with entry at EL1 or EL2', () => {
    for (const entryEl of [1, 2] as const) {
      const { unmount } = render(GicPicker, { backend: 'tcg', entryEl, gic: undefined });
      expect(radio(3).checked).toBe(true);
      expect(radio(2).checked).toBe(false);
      expect(radio(2).disabled).toBe(false);
      expect(screen.queryByTestId('gic-reason')).toBeNull();
      unmount();
    }
  });

  it('disables GICv2 with the reason for the KVM backend', () => {
    render(GicPicker, { backend: 'kvm', entryEl: 1, gic: 3 });
    expect(radio(2).disabled).toBe(true);
    expect(radio(3).disabled).toBe(false);
    expect(screen.getByTestId('gic-reason').textContent).toContain('the KVM backend has an in-kernel GICv3 only');
  });

  it('disables GICv2 with the reason for entry at EL3', () => {
    render(GicPicker, { backend: 'tcg', entryEl: 3, gic: 3 });
    expect(radio(2).disabled).toBe(true);
    expect(screen.getByTestId('gic-reason').textContent).toContain('entry at EL3');
  });
});

describe('SetupView: the GIC choice', () => {
  it('sends gic 2 to the host once GICv2 is chosen, and 3 after switching back', async () => {
    const { lab, client } = fakeLab({ validate: () => [], listSaved: () => [] });
    render(SetupView, { lab });
    const lastSpec = (): VmSpec => client.calls.filter((c) => c.method === 'validate').at(-1)!.params[0] as VmSpec;
    await waitFor(() => expect(client.calls.some((c) => c.method === 'validate')).toBe(true));
    expect(lastSpec().gic ?? 3).toBe(3);
    await fireEvent.click(radio(2));
    await waitFor(() => expect(lastSpec().gic).toBe(2));
    expect(radio(2).checked).toBe(true);
    await fireEvent.click(radio(3));
    await waitFor(() => expect(lastSpec().gic).toBe(3));
  });
});

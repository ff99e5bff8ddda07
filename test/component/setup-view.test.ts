// The setup screen: the host's problems are listed before launch and "Create and start" stays disabled
// until there are none; KVM is offered disabled with the host's reason; a CPU list becomes clusters.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Problem, VmSpec } from '../../core/host/api.js';
import BackendPicker from '../../renderer/src/components/BackendPicker.svelte';
import CpuList from '../../renderer/src/components/CpuList.svelte';
import SetupView from '../../renderer/src/components/SetupView.svelte';
import { fakeLab, INFO, page, type El } from './fakes.js';

describe('SetupView', () => {
  it("lists the host's problems and keeps Create disabled; enables it once the configuration is valid", async () => {
    let problems: Problem[] = [{ field: 'boot', message: 'no program given' }];
    const { lab, client } = fakeLab({ validate: () => problems, listSaved: () => [] });
    render(SetupView, { lab });
    const launch = screen.getByTestId('launch') as El;
    await waitFor(() => expect(screen.getByTestId('problems').textContent).toContain('no program given'));
    expect(launch.disabled).toBe(true);
    expect(client.calls.filter((c) => c.method === 'validate').length).toBeGreaterThan(0);

    problems = [];
    await fireEvent.input(screen.getByTestId('vm-name'), { target: { value: 'ok' } });
    await waitFor(() => expect(screen.getByTestId('valid')).toBeTruthy());
    expect(launch.disabled).toBe(false);
    expect((client.calls.at(-1)?.params[0] as VmSpec).name).toBe('ok');
  });

  it('explains a memory size it cannot read without asking the host about memory', async () => {
    const { lab } = fakeLab({ validate: () => [{ field: 'memory', message: 'host says memory is wrong' }] });
    render(SetupView, { lab });
    const size = screen.getAllByDisplayValue('128M')[0];
    await fireEvent.input(size, { target: { value: '12 furlongs' } });
    await waitFor(() => expect(screen.getByTestId('problems').textContent).toMatch(/RAM region 0:/));
    expect(screen.getByTestId('problems').textContent).not.toContain('host says memory is wrong');
    expect((screen.getByTestId('launch') as El).disabled).toBe(true);
  });
});

describe('BackendPicker', () => {
  it('offers KVM disabled with the reason the host gave', () => {
    render(BackendPicker, { backends: INFO.backends, backend: 'tcg' });
    const radios = screen.getAllByRole('radio') as El[];
    const kvm = radios.find((r) => r.value === 'kvm')!;
    const tcg = radios.find((r) => r.value === 'tcg')!;
    expect(kvm.disabled).toBe(true);
    expect(tcg.disabled).toBe(false);
    expect(tcg.checked).toBe(true);
    expect(screen.getByTestId('backend-reason-kvm').textContent).toContain('this x64 CPU cannot execute A64 code');
  });
});

describe('CpuList', () => {
  const clusterInputs = (): El[] =>
    [...page().document.querySelectorAll('tbody tr')].map((tr) => tr.querySelectorAll('input[type="number"]')[0]);

  it('applies a CPU list as one cluster per entry', async () => {
    render(CpuList, { models: INFO.cpuModels, maxCpus: 8, cpus: [{ model: 'cortex-a57' }], entryEl: 1 });
    await fireEvent.input(screen.getByTestId('cpu-list'), { target: { value: '2xcortex-a72, 2xcortex-a53' } });
    await fireEvent.click(screen.getByTestId('cpu-list-apply'));
    const rows = [...page().document.querySelectorAll('tbody tr')];
    expect(rows).toHaveLength(4);
    expect(rows.map((r) => (r.querySelector('select') as El).value)).toEqual(['cortex-a72', 'cortex-a72', 'cortex-a53', 'cortex-a53']);
    expect(clusterInputs().map((i) => i.value)).toEqual(['0', '0', '1', '1']);
    expect(screen.getByTestId('cpu-summary').textContent).toContain('4 vCPUs');
  });

  it('refuses an unknown model and keeps the vCPUs it had; the cluster field allows what the host allows', async () => {
    render(CpuList, { models: INFO.cpuModels, maxCpus: 8, cpus: [{ model: 'cortex-a57' }], entryEl: 1 });
    await fireEvent.input(screen.getByTestId('cpu-list'), { target: { value: '2xcortex-a99' } });
    await fireEvent.click(screen.getByTestId('cpu-list-apply'));
    expect(page().document.body.textContent).toContain("unknown CPU model 'cortex-a99'");
    expect(page().document.querySelectorAll('tbody tr')).toHaveLength(1);
    expect(clusterInputs()[0].max).toBe('255');
  });
});

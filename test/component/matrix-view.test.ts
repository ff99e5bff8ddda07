// The matrix screen: axes built from the base preset, the host's plan (cell count, invalid cells with their
// reasons) before launch, then the run as events arrive: cells queued → running (progress, elapsed) →
// passed/failed, the overall progress bar, a cell's details with its console tail, and cancel.
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { MatrixCell, MatrixRun, MatrixSpec, VmSpec } from '../../core/host/api.js';
import MatrixView from '../../renderer/src/components/MatrixView.svelte';
import { axisValues, MatrixLab } from '../../renderer/src/lib/matrix.svelte.js';
import { fakeLab, INFO, type El } from './fakes.js';

const demo: VmSpec = {
  name: 'demo',
  backend: 'tcg',
  cpus: [{ model: 'cortex-a57' }],
  memory: [{ base: 0x4000_0000, size: 2 ** 27 }],
  entryEl: 1,
  boot: { kind: 'program', path: '/r/demo.elf' },
};

/** A plan as the host makes it: the product of the axes, cortex-a53 × 2 vCPUs invalid. */
function planOf(m: MatrixSpec): MatrixCell[] {
  let rows: unknown[][] = [[]];
  for (const a of m.axes) rows = rows.flatMap((r) => a.values.map((v) => [...r, v]));
  return rows.map((values, index) => {
    const label = m.axes.map((a, i) => `${a.field}=${String(values[i])}`).join(' ');
    const bad = values[0] === 'cortex-a53' && values[1] === 2;
    return {
      index,
      values: values as MatrixCell['values'],
      label,
      state: bad ? 'invalid' : 'queued',
      problems: bad ? ['cortex-a53 refuses 2 vCPUs here'] : undefined,
    };
  });
}

function setup(): { matrix: MatrixLab; client: ReturnType<typeof fakeLab>['client']; started: MatrixSpec[] } {
  const started: MatrixSpec[] = [];
  const { lab, client } = fakeLab({
    matrixCells: (m) => planOf(m),
    matrixStart: (m) => {
      started.push(m);
      return { id: 'matrix1', spec: m, state: 'running', cells: planOf(m), jobs: 1, startedAt: 0 };
    },
    matrixCancel: () => ({ id: 'matrix1' }) as MatrixRun,
    matrixList: () => [],
  });
  lab.info = { ...INFO, presets: [{ id: 'demo', title: 'Demo guest', description: '', spec: demo }] };
  return { matrix: new MatrixLab(lab), client, started };
}

describe('MatrixView', () => {
  it('reads typed axis values: counts, RAM regions, command lines', () => {
    expect(axisValues({ field: 'cpus', picked: [], text: '1, 2,4' }, [])).toEqual([1, 2, 4]);
    expect(axisValues({ field: 'cpus', picked: [], text: '1,x' }, [])).toBe("'x' is not a vCPU count");
    expect(axisValues({ field: 'memory', picked: [], text: '128M, 64M@0x100000000+1G@0x4000000000' }, [])).toEqual([
      [{ base: 0x4000_0000, size: 2 ** 27 }],
      [
        { base: 2 ** 32, size: 2 ** 26 },
        { base: 2 ** 38, size: 2 ** 30 },
      ],
    ]);
    expect(axisValues({ field: 'boot.append', picked: [], text: 'a,b;c' }, [])).toEqual(['a,b', 'c']);
    expect(axisValues({ field: 'gic', picked: ['3', '2'], text: '' }, [])).toEqual([2, 3]);
  });

  it('shows the cell count and the invalid cells before launch, runs, follows the cells live, opens details, cancels', async () => {
    const { matrix, client, started } = setup();
    render(MatrixView, { matrix });
    expect(screen.getByTestId('matrix-base-summary').textContent).toMatch(
      /TCG · cortex-a57 · EL1 · GICv3 · 128M at 0x40000000 · demo\.elf/,
    );

    await fireEvent.click(screen.getByTestId('matrix-add-axis'));
    await fireEvent.click(screen.getByTestId('axis-choice-0-cortex-a57'));
    await fireEvent.click(screen.getByTestId('axis-choice-0-cortex-a53'));
    await fireEvent.click(screen.getByTestId('matrix-add-axis'));
    await fireEvent.input(screen.getByTestId('axis-values-1'), { target: { value: '1,2' } });
    await waitFor(() => expect(screen.getByTestId('matrix-cell-count').textContent).toMatch(/4 cells, 1 invalid \(will not run\)/));
    expect(screen.getByTestId('matrix-invalid').textContent).toContain('#4 cpus.model=cortex-a53 cpus=2: cortex-a53 refuses 2 vCPUs here');
    // The host got the axes in model order (as offered), with the preset as the base.
    const planned = client.calls.filter((c) => c.method === 'matrixCells').at(-1)!.params[0] as MatrixSpec;
    expect(planned.axes).toEqual([
      { field: 'cpus.model', values: ['cortex-a57', 'cortex-a53'] },
      { field: 'cpus', values: [1, 2] },
    ]);
    expect(planned.base.boot.path).toBe('/r/demo.elf');

    await fireEvent.input(screen.getByTestId('matrix-expect-status'), { target: { value: '0' } });
    await fireEvent.click(screen.getByTestId('matrix-run'));
    await waitFor(() => expect(screen.getByTestId('matrix-progress').getAttribute('data-total')).toBe('3'));
    expect(started[0].expect).toEqual({ status: 0 });
    const state = (i: number): string | null => screen.getByTestId(`matrix-cell-${i}`).getAttribute('data-state');
    expect([0, 1, 2, 3].map(state)).toEqual(['queued', 'queued', 'queued', 'invalid']);

    const run = started[0];
    const cell = (i: number, over: Partial<MatrixCell>): MatrixCell => ({ ...planOf(run)[i], ...over });
    client.emit({ type: 'matrix', event: { kind: 'cell-started', matrix: 'matrix1', cell: cell(0, { state: 'running', vm: 'vm1' }) } });
    client.emit({ type: 'matrix', event: { kind: 'cell-progress', matrix: 'matrix1', cell: 0, elapsedMs: 1500, mips: 42, fraction: 0.5 } });
    await waitFor(() => expect(state(0)).toBe('running'));
    expect(screen.getByTestId('matrix-cell-time-0').textContent).toBe('1.50 s');
    expect(Number((screen.getByTestId('matrix-progress').querySelector('progress') as unknown as El).value)).toBeCloseTo(0.5 / 3);
    expect(screen.getByTestId('matrix-cancel')).toBeTruthy();

    client.emit({
      type: 'matrix',
      event: {
        kind: 'cell-finished',
        matrix: 'matrix1',
        cell: cell(0, {
          state: 'failed',
          outcome: { kind: 'exit', status: 3 },
          wallMs: 2000,
          mips: 40,
          verdict: 'expected exit status 0, got exit 3',
          console: ['boot', 'bye'],
        }),
      },
    });
    await waitFor(() => expect(state(0)).toBe('failed'));
    expect(screen.getByTestId('matrix-progress').getAttribute('data-done')).toBe('1');
    await fireEvent.click(screen.getByTestId('matrix-cell-0'));
    expect(screen.getByTestId('matrix-details-0').textContent).toContain('Failed: expected exit status 0, got exit 3');
    expect(screen.getByTestId('matrix-console-0').textContent).toBe('boot\nbye');

    await fireEvent.click(screen.getByTestId('matrix-cancel'));
    expect(client.calls.some((c) => c.method === 'matrixCancel' && c.params[0] === 'matrix1')).toBe(true);
    const cells = [cell(0, { state: 'failed' }), cell(1, { state: 'cancelled' }), cell(2, { state: 'cancelled' }), cell(3, {})];
    client.emit({
      type: 'matrix',
      event: {
        kind: 'finished',
        matrix: 'matrix1',
        run: {
          id: 'matrix1',
          spec: run,
          state: 'cancelled',
          cells,
          jobs: 1,
          startedAt: 0,
          summary: { cells: 4, passed: 0, failed: 1, invalid: 1, cancelled: 2, wallMs: 2500 },
        },
      },
    });
    await waitFor(() => expect(screen.getByTestId('matrix-summary').textContent).toBe('0 passed, 1 failed, 1 invalid'));
    expect(screen.getByTestId('matrix-progress').textContent).toMatch(/3 of 3 cells done · cancelled/);
    expect(screen.queryByTestId('matrix-cancel')).toBeNull();
    expect((screen.getByTestId('matrix-run') as El).disabled).toBe(false);
  });

  it('explains a draft it cannot read without asking the host', async () => {
    const { matrix, client } = setup();
    render(MatrixView, { matrix });
    await fireEvent.click(screen.getByTestId('matrix-add-axis'));
    await fireEvent.click(screen.getByTestId('matrix-add-axis'));
    await waitFor(() => expect(screen.getByTestId('matrix-plan-error').textContent).toBe('cpus.model: give at least one value'));
    await fireEvent.click(screen.getByTestId('axis-choice-0-cortex-a72'));
    await fireEvent.input(screen.getByTestId('axis-values-1'), { target: { value: '1,two' } });
    await waitFor(() => expect(screen.getByTestId('matrix-plan-error').textContent).toBe("cpus: 'two' is not a vCPU count"));
    expect((screen.getByTestId('matrix-run') as El).disabled).toBe(true);
    expect(client.calls.filter((c) => c.method === 'matrixCells')).toHaveLength(0);
  });
});

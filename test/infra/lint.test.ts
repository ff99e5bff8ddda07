// The layering rule (STYLE.md §10) is enforced by ESLint (eslint.config.js,
// rule armlab/layers + no-restricted-globals). These tests lint small snippets
// as if they lived at the given paths, so a config change cannot silently
// switch the rule off.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return r.messages.filter((m) => m.ruleId === 'armlab/layers' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('layering: core/', () => {
  it('may not import from main/, renderer/ or native/', async () => {
    expect(await problems('core/a64/x.ts', "import { a } from '../../main/index.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('core/x.ts', "import { a } from '../renderer/src/main.js';\nexport const b = a;\n")).toHaveLength(1);
    expect(await problems('core/board/x.ts', "export * from '../../native/kvm.js';\n")).toHaveLength(1);
    expect(await problems('core/x.ts', "export const m = await import('../main/index.js');\n")).toHaveLength(1);
  });
  it('may not import Electron', async () => {
    expect(await problems('core/host/x.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(
      await problems('core/host/x.ts', "import { ipcRenderer } from 'electron/renderer';\nexport const a = ipcRenderer;\n"),
    ).toHaveLength(1);
  });
  it('may not use DOM globals', async () => {
    expect(await problems('core/x.ts', 'export const w = window.innerWidth;\n')).toHaveLength(1);
    expect(await problems('core/x.ts', "export const e = document.createElement('div');\n")).toHaveLength(1);
  });
  it('may import within core/ and from Node, even a core/ directory named like a layer', async () => {
    expect(
      await problems(
        'core/a64/x.ts',
        "import { MODELS } from './models.js';\nimport { Buffer } from 'node:buffer';\nexport const a = [MODELS, Buffer];\n",
      ),
    ).toEqual([]);
    expect(await problems('core/a64/x.ts', "import { a } from '../main/thing.js';\nexport const b = a;\n")).toEqual([]);
  });
});

describe('layering: renderer/', () => {
  it('may import types from the shared API files only', async () => {
    expect(await problems('renderer/src/x.ts', "import type { AppInfo } from '../../main/api';\nexport type A = AppInfo;\n")).toEqual([]);
    expect(await problems('renderer/src/x.ts', "import type { VmHost } from '../../core/host/api.js';\nexport type A = VmHost;\n")).toEqual(
      [],
    );
  });
  it('may not import values from the API files', async () => {
    expect(await problems('renderer/src/x.ts', "import { IPC } from '../../main/api';\nexport const a = IPC;\n")).toHaveLength(1);
  });
  it('may not import the emulator, the main process, Electron or Node', async () => {
    expect(
      await problems('renderer/src/x.ts', "import { MODELS } from '../../core/a64/models.js';\nexport const a = MODELS;\n"),
    ).toHaveLength(1);
    expect(
      await problems('renderer/src/x.ts', "import type { CpuModel } from '../../core/a64/models.js';\nexport type A = CpuModel;\n"),
    ).toHaveLength(1);
    expect(await problems('renderer/src/x.ts', "import { appInfo } from '../../main/info.js';\nexport const a = appInfo;\n")).toHaveLength(
      1,
    );
    expect(await problems('renderer/src/x.ts', "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n")).toHaveLength(1);
    expect(await problems('renderer/src/x.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(
      1,
    );
  });
  it('applies to Svelte components too', async () => {
    const svelte =
      '<script lang="ts">\n  import { MODELS } from \'../../core/a64/models.js\';\n  const n = Object.keys(MODELS).length;\n</script>\n\n<p>{n}</p>\n';
    expect(await problems('renderer/src/X.svelte', svelte)).toHaveLength(1);
  });
});

describe('the current tree', () => {
  it('ignores build output', async () => {
    for (const f of ['dist/armlab.js', 'out/main/index.js', 'node_modules/x/index.js', 'resources/guest/out/x.js']) {
      expect(await eslint.isPathIgnored(path.join(root, f)), f).toBe(true);
    }
  });
});

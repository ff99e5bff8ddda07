// The packaged desktop app (electron-builder.yml) ships what the code looks for, where it looks: the presets'
// programs under VmHost's root, the KVM addon where addonPath() finds it, the worker bundles unpacked where
// main/index.ts starts them, and the Debian guest fetcher. Regressions pinned: the addon was never packaged
// (files: out/** only), the demo went to demo/ while presets() looked in resources/demo, and deb.depends: []
// dropped Electron's runtime libraries.
import { readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { presets } from '../../core/host/config.js';
import { addonPath } from '../../core/kvm/addon.js';
import { RESOURCES_ENV, repoRoot } from '../../core/kvm/paths.js';
import { packagedLayout, packagedMainDir } from '../../main/layout.js';

interface Copy {
  from: string;
  to: string;
  filter?: string[];
}
interface BuilderConfig {
  files: string[];
  extraResources: Copy[];
  asar: boolean;
  asarUnpack: string[];
  deb?: { depends?: string[] };
  linux: { target: string[] };
}

const root = join(import.meta.dirname, '..', '..');
const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

/** electron-builder's globs as far as this configuration uses them: `**` any path, `*` within a name. */
function glob(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      re += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += pattern[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else re += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
const matches = (patterns: string[], path: string): boolean => patterns.some((p) => !p.startsWith('!') && glob(p).test(path));

/** Where extraResources puts checkout file `path` (relative to the resources directory), or undefined. */
function shippedAs(path: string): string | undefined {
  for (const c of config.extraResources) {
    if (path === c.from) return c.to;
    if (!path.startsWith(c.from + '/')) continue;
    const rest = path.slice(c.from.length + 1);
    if (!c.filter || matches(c.filter, rest)) return `${c.to}/${rest}`;
  }
  return undefined;
}

const posix = (p: string): string => p.split(sep).join('/');
const resources = join(sep, 'opt', 'armlab', 'resources');

describe('electron-builder.yml', () => {
  afterEach(() => {
    delete process.env[RESOURCES_ENV];
  });

  it('ships every program a preset boots (the Debian guest aside) at the same path under the resources directory', () => {
    const layout = packagedLayout({
      packaged: true,
      appPath: join(resources, 'app.asar'),
      resourcesPath: resources,
      mainDir: packagedMainDir(resources),
    });
    expect(layout.root).toBe(resources);
    const local = presets(root).filter((p) => p.id !== 'debian-linux');
    expect(local.map((p) => p.id)).toContain('demo');
    for (const p of presets(layout.root).filter((q) => q.id !== 'debian-linux')) {
      const inApp = posix(relative(resources, p.spec.boot.path));
      expect(shippedAs(inApp), `${p.id}: ${inApp}`).toBe(inApp);
    }
  });

  it('ships the KVM addon where addonPath() looks when main sets ARMLAB_RESOURCES', () => {
    const checkout = posix(relative(repoRoot(), addonPath()));
    const layout = packagedLayout({
      packaged: true,
      appPath: join(resources, 'app.asar'),
      resourcesPath: resources,
      mainDir: packagedMainDir(resources),
    });
    process.env[RESOURCES_ENV] = layout.resourcesEnv;
    expect(repoRoot()).toBe(resources);
    const packaged = posix(relative(resources, addonPath()));
    expect(packaged).toBe(checkout);
    expect(shippedAs(checkout)).toBe(packaged);
  });

  it('keeps the worker bundles and their shared chunks unpacked, and main starts them from app.asar.unpacked', () => {
    expect(config.asar).toBe(true);
    const workers = ['vm-worker.js', 'vcpu-worker.js', 'kvm-vcpu-worker.js', 'io-worker.js', 'chunks/detect-abc123.js'];
    for (const w of workers) {
      expect(matches(config.files, `out/main/${w}`), w).toBe(true);
      expect(matches(config.asarUnpack, `out/main/${w}`), w).toBe(true);
    }
    const layout = packagedLayout({
      packaged: true,
      appPath: join(resources, 'app.asar'),
      resourcesPath: resources,
      mainDir: packagedMainDir(resources),
    });
    expect(layout.workerDir).toBe(join(resources, 'app.asar.unpacked', 'out', 'main'));
    // In a checkout nothing moves.
    expect(packagedLayout({ packaged: false, appPath: root, resourcesPath: '/x', mainDir: join(root, 'out', 'main') })).toEqual({
      root,
      workerDir: join(root, 'out', 'main'),
    });
  });

  it('ships the Debian guest fetcher with the initramfs builder it runs', () => {
    expect(shippedAs('scripts/fetch-guest.sh')).toBe('scripts/fetch-guest.sh');
    expect(shippedAs('scripts/mkinitramfs.mjs')).toBe('scripts/mkinitramfs.mjs');
    expect(readFileSync(join(root, 'scripts', 'fetch-guest.sh'), 'utf8')).toContain('$ROOT/scripts/mkinitramfs.mjs');
  });

  it("keeps electron-builder's default deb dependencies (Electron's runtime libraries)", () => {
    expect(config.linux.target).toContain('deb');
    expect(config.deb?.depends).toBeUndefined();
  });

  it('the glob helper reads ** and * as electron-builder does for these patterns', () => {
    expect(glob('out/**').test('out/main/chunks/a.js')).toBe(true);
    expect(glob('**/*.node').test('native/build/Release/armlab_kvm.node')).toBe(true);
    expect(glob('**/*.node').test('x.node')).toBe(true);
    expect(glob('out/main/*').test('out/main/chunks/a.js')).toBe(false);
  });
});

/**
 * Saved VM configurations: one JSON file (vms.json) in the user's data
 * directory — Electron's userData, or for the CLI and `serve` the same place on
 * each platform (~/.config/armlab on Linux, ~/Library/Application Support/armlab
 * on macOS, %APPDATA%\armlab on Windows). ARMLAB_DATA_DIR overrides it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { VmSpec } from './api.js';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): string {
  if (env.ARMLAB_DATA_DIR) return env.ARMLAB_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'armlab');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'armlab');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'armlab');
}

export class SavedSpecs {
  private readonly file: string;
  constructor(readonly dir: string) {
    this.file = join(dir, 'vms.json');
  }

  list(): VmSpec[] {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return [];
    }
    const data = JSON.parse(text) as { version: number; vms: VmSpec[] };
    return Array.isArray(data.vms) ? data.vms : [];
  }

  /** Saves (or replaces, by name) one configuration. */
  save(spec: VmSpec): VmSpec[] {
    const list = this.list().filter((s) => s.name !== spec.name);
    list.push(spec);
    list.sort((a, b) => a.name.localeCompare(b.name));
    this.write(list);
    return list;
  }

  delete(name: string): VmSpec[] {
    const list = this.list().filter((s) => s.name !== name);
    this.write(list);
    return list;
  }

  /** Write to a temporary file and rename: a crash never leaves half a file. */
  private write(vms: VmSpec[]): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, vms }, null, 2) + '\n');
    renameSync(tmp, this.file);
  }
}

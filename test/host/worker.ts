// The VM worker and the vCPU worker are bundled (dist/vm-worker.js, dist/vcpu-worker.js); Node cannot
// start a worker from TypeScript source. npm test bundles before vitest; a run of this directory alone
// bundles here when the bundle is older than the sources.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HostEvent } from '../../core/host/api.js';

export const root = path.resolve(import.meta.dirname, '../..');
export const workerPath = path.join(root, 'dist', 'vm-worker.js');
export const vcpuWorkerPath = path.join(root, 'dist', 'vcpu-worker.js');

export async function ensureWorker(): Promise<string> {
  const { stale, buildCli } = (await import(pathToFileURL(path.join(root, 'scripts', 'build-cli.mjs')).href)) as {
    stale: () => boolean;
    buildCli: () => Promise<void>;
  };
  if (!existsSync(workerPath) || !existsSync(vcpuWorkerPath) || stale()) await buildCli();
  return workerPath;
}

export const DEMO = path.join(root, 'resources', 'demo', 'demo.elf');
export const PAGESTRIDE = path.join(root, 'resources', 'bench', 'out', 'pagestride.elf');
export const guest = (name: string): string => path.join(root, 'resources', 'guest', 'out', `${name}.elf`);

/** Resolves with f()'s first value that is neither undefined nor false, polling every 10 ms; rejects after `ms`. */
export function until<T>(f: () => T | undefined | false, ms = 10_000): Promise<T> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      const v = f();
      if (v !== undefined && v !== false) return resolve(v);
      if (Date.now() - t0 > ms) return reject(new Error('timed out'));
      setTimeout(poll, 10);
    };
    poll();
  });
}

/** The host events of one VM of a type, from a recorded event list. */
export function eventsOf<T extends HostEvent['type']>(events: HostEvent[], vm: string, type: T): Extract<HostEvent, { type: T }>[] {
  return events.filter((e): e is Extract<HostEvent, { type: T }> => e.type === type && 'vm' in e && e.vm === vm);
}

/** A VM's console output so far, from the recorded console events. */
export function consoleOf(events: HostEvent[], vm: string): string {
  return eventsOf(events, vm, 'console')
    .map((e) => Buffer.from(e.data, 'base64').toString('latin1'))
    .join('');
}

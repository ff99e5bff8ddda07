// A host for component tests: a Client whose methods answer from a table, and a Lab over it.
import type { HostEvent, HostInfo, Method, Params, Result } from '../../core/host/api.js';
import type { Client, Connection } from '../../renderer/src/lib/client.js';
import { Lab } from '../../renderer/src/lib/lab.svelte.js';

export type Handlers = { [M in Method]?: (...p: Params<M>) => Result<M> | Promise<Result<M>> };

export interface FakeClient extends Client {
  calls: { method: Method; params: unknown[] }[];
  emit(e: HostEvent): void;
}

export function fakeClient(handlers: Handlers = {}): FakeClient {
  const listeners = new Set<(e: HostEvent) => void>();
  const calls: FakeClient['calls'] = [];
  return {
    transport: 'websocket',
    calls,
    call: async <M extends Method>(method: M, ...params: Params<M>): Promise<Result<M>> => {
      calls.push({ method, params });
      const h = handlers[method] as ((...p: Params<M>) => Result<M> | Promise<Result<M>>) | undefined;
      if (!h) throw new Error(`fake host: no answer for ${method}`);
      return h(...params);
    },
    onEvent: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    onConnection: (l: (c: Connection) => void) => {
      l('open');
      return () => {};
    },
    emit: (e) => {
      for (const l of listeners) l(e);
    },
  };
}

export const INFO: HostInfo = {
  version: 'test',
  transport: 'serve',
  backends: [
    { kind: 'tcg', available: true },
    { kind: 'kvm', available: false, reason: 'this x64 CPU cannot execute A64 code' },
  ],
  cpuModels: [
    { name: 'cortex-a57', midr: '0x411fd070', paBits: 44, granules: ['4K', '64K'], features: [] },
    { name: 'cortex-a72', midr: '0x410fd083', paBits: 44, granules: ['4K', '64K'], features: [] },
    { name: 'cortex-a53', midr: '0x410fd034', paBits: 40, granules: ['4K', '64K'], features: [] },
  ],
  presets: [],
  maxCpus: 8,
  dataDir: '/tmp/armlab-data',
};

export function fakeLab(handlers: Handlers = {}): { lab: Lab; client: FakeClient } {
  const client = fakeClient(handlers);
  const lab = new Lab(client);
  lab.info = INFO;
  return { lab, client };
}

/**
 * The few DOM members these tests read. The root tsconfig has no DOM library (core/ must not be able to
 * use one by accident), so the tests name what they touch here instead of HTMLElement and friends.
 */
export interface El {
  textContent: string | null;
  value: unknown;
  max: string;
  title: string;
  disabled: boolean;
  checked: boolean;
  selected: boolean;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El> & Iterable<El>;
}

interface Page {
  document: { body: El; querySelectorAll(selector: string): ArrayLike<El> & Iterable<El> };
  window: { happyDOM: { setURL(url: string): void } };
}

/** happy-dom's document and window (the component project's environment). */
export const page = (): Page => globalThis as unknown as Page;
export const el = (x: unknown): El => x as El;

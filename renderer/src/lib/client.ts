/**
 * The one client of the host API, over whichever transport this page has:
 * the Electron preload's IPC bridge (`window.armlab`), or the WebSocket of
 * `armlab serve` (browser mode; the token comes from the page URL).
 */
import type {
  ApiError,
  HostEvent,
  IpcBridge,
  Method,
  Params,
  Problem,
  Reply,
  Request,
  Result,
  ServerMessage,
} from '../../../core/host/api';

/**
 * The page globals this module reads: the preload's bridge (`window.armlab`) and the page URL. Named here
 * rather than through the DOM library's Window, so the module also type-checks in the Node program that
 * compiles the component tests (test/component).
 */
const page = globalThis as unknown as { armlab?: IpcBridge; location: { protocol: string; host: string; search: string } };

export class ClientError extends Error {
  readonly problems: Problem[];
  constructor(e: ApiError) {
    super(e.message);
    this.problems = e.problems ?? [];
  }
}

export type Connection = 'connecting' | 'open' | 'closed';

export interface Client {
  readonly transport: 'ipc' | 'websocket';
  call<M extends Method>(method: M, ...params: Params<M>): Promise<Result<M>>;
  onEvent(listener: (e: HostEvent) => void): () => void;
  onConnection(listener: (c: Connection, detail?: string) => void): () => void;
}

function unwrap<M extends Method>(reply: Reply): Result<M> {
  if (!reply.ok) throw new ClientError(reply.error);
  return reply.result as Result<M>;
}

function ipcClient(bridge: IpcBridge): Client {
  let next = 1;
  return {
    transport: 'ipc',
    call: async (method, ...params) => unwrap(await bridge.request({ kind: 'request', id: next++, method, params } as Request)),
    onEvent: (l) => bridge.onEvent(l),
    onConnection: (l) => {
      l('open');
      return () => {};
    },
  };
}

function wsClient(url: string): Client {
  const pending = new Map<number, (r: Reply) => void>();
  const events = new Set<(e: HostEvent) => void>();
  const conn = new Set<(c: Connection, detail?: string) => void>();
  let state: Connection = 'connecting';
  let detail: string | undefined;
  const setState = (c: Connection, d?: string): void => {
    state = c;
    detail = d;
    for (const l of conn) l(c, d);
  };
  const ws = new WebSocket(url);
  const opened = new Promise<void>((resolve) => ws.addEventListener('open', () => resolve()));
  ws.addEventListener('open', () => setState('open'));
  ws.addEventListener('close', (e) => {
    setState(
      'closed',
      e.code === 1006 ? 'the server refused the connection or went away (is the token in the URL right?)' : `closed (${e.code})`,
    );
    for (const r of pending.values()) r({ kind: 'reply', id: -1, ok: false, error: { message: 'connection to the armlab server closed' } });
    pending.clear();
  });
  ws.addEventListener('message', (m) => {
    const msg = JSON.parse(String(m.data)) as ServerMessage;
    if (msg.kind === 'event') for (const l of events) l(msg.event);
    else {
      pending.get(msg.id)?.(msg);
      pending.delete(msg.id);
    }
  });
  let next = 1;
  return {
    transport: 'websocket',
    call: async (method, ...params) => {
      await opened;
      const id = next++;
      const reply = new Promise<Reply>((resolve) => pending.set(id, resolve));
      ws.send(JSON.stringify({ kind: 'request', id, method, params }));
      return unwrap(await reply);
    },
    onEvent: (l) => {
      events.add(l);
      return () => events.delete(l);
    },
    onConnection: (l) => {
      conn.add(l);
      l(state, detail);
      return () => conn.delete(l);
    },
  };
}

/** The client for this page, or a reason there is none. */
export function connect(): Client | { error: string } {
  if (page.armlab) return ipcClient(page.armlab);
  const { location } = page;
  const token = new URLSearchParams(location.search).get('token');
  if (location.protocol.startsWith('http') && token) {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    return wsClient(`${proto}://${location.host}/api?token=${encodeURIComponent(token)}`);
  }
  return {
    error:
      'This page has no connection to an emulator host. Open it inside the desktop app (npm run start), or run `npx armlab serve` and open the URL it prints (it carries the access token).',
  };
}

export function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

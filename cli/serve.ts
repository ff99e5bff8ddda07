/**
 * `armlab serve [--port N] [--host ADDR]`: browser mode. Serves the built
 * renderer and the host API over a WebSocket (/api), and prints the URL to
 * open, which carries a random token.
 *
 * Who may drive the VMs: only a client that presents the token (it is in the
 * printed URL, nowhere else), from a page whose Origin is this server, sent to
 * a Host name this server answers to (defeats DNS rebinding). It listens on
 * loopback unless --host names another address.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostEvent, ServerMessage } from '../core/host/api.js';
import { dispatch } from '../core/host/dispatch.js';
import { VmHost } from '../core/host/vmhost.js';

export const SERVE_USAGE = `usage: armlab serve [--port N] [--host ADDR] [--static DIR]

  --port N       port to listen on (default 0: any free port)
  --host ADDR    address to listen on (default 127.0.0.1, loopback only);
                 another address makes the lab reachable from the network
  --static DIR   the built renderer to serve (default out/renderer, built when missing)
  -h, --help     print this and exit
`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Events a slow client may miss without losing meaning: once it catches up, it gets a 'dropped' event
 * for each VM whose snapshots it missed, and restores them with the history call (renderer lab.svelte.ts).
 */
const DROPPABLE = new Set<HostEvent['type']>(['counters']);
const MAX_BUFFERED = 4 * 2 ** 20;

const repoRoot = (): string => resolve(dirname(fileURLToPath(import.meta.url)), '..');

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** The renderer bundle: out/renderer from `npm run build`, rebuilt when missing or older than renderer/. */
function ensureRenderer(root: string, dir: string, explicit: boolean): void {
  const index = join(dir, 'index.html');
  if (explicit) {
    if (!existsSync(index)) throw new Error(`--static ${dir}: no index.html there (build the renderer with npm run build)`);
    return;
  }
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(root, 'renderer'))) return;
  process.stderr.write('armlab: building the renderer (electron-vite build)…\n');
  execFileSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'error'], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
  });
}

function serveStatic(dir: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405).end();
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const file = normalize(join(dir, path === '/' ? 'index.html' : path));
  if (!file.startsWith(dir + sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    return;
  }
  res.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
  });
  res.end(req.method === 'HEAD' ? undefined : readFileSync(file));
}

function tokenMatches(given: string | null, token: string): boolean {
  if (given === null) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function connect(ws: WebSocket, host: VmHost): void {
  const send = (m: ServerMessage): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
  };
  const missed = new Set<string>();
  const off = host.on((event) => {
    if (DROPPABLE.has(event.type) && 'vm' in event) {
      if (ws.bufferedAmount > MAX_BUFFERED) {
        missed.add(event.vm);
        return;
      }
      if (missed.delete(event.vm)) send({ kind: 'event', event: { type: 'dropped', vm: event.vm } });
    }
    send({ kind: 'event', event });
  });
  ws.on('message', (data) => {
    let req: unknown;
    try {
      req = JSON.parse(String(data));
    } catch {
      send({ kind: 'reply', id: -1, ok: false, error: { message: 'request is not JSON' } });
      return;
    }
    void dispatch(host, req).then(send);
  });
  ws.on('close', off);
  ws.on('error', off);
}

export async function serveCommand(args: string[]): Promise<number> {
  let o;
  try {
    o = parseArgs({
      args,
      options: {
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        static: { type: 'string' },
      },
    }).values;
  } catch (e) {
    process.stderr.write(`armlab serve: ${(e as Error).message}\n${SERVE_USAGE}`);
    return 2;
  }
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`armlab serve: --port must be 0..65535, not '${o.port}'\n`);
    return 2;
  }
  const root = repoRoot();
  const dir = resolve(o.static ?? join(root, 'out', 'renderer'));
  try {
    ensureRenderer(root, dir, o.static !== undefined);
  } catch (e) {
    process.stderr.write(`armlab serve: ${(e as Error).message}\n`);
    return 2;
  }
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const host = new VmHost({ root, transport: 'serve', version });
  const token = randomBytes(24).toString('base64url');

  const server = createServer((req, res) => serveStatic(dir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 2 ** 20 });
  let allowedHosts = new Set<string>();
  // Listening on every address: the Host may be any of this machine's names; token and Origin still apply.
  const wildcard = o.host === '0.0.0.0' || o.host === '::';
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const hostHeader = req.headers.host ?? '';
    const origin = req.headers.origin;
    const refuse = (why: string): void => {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`);
    };
    if (url.pathname !== '/api') return refuse('no such endpoint');
    if (!wildcard && !allowedHosts.has(hostHeader)) return refuse('unexpected Host');
    if (origin !== undefined && origin !== `http://${hostHeader}`) return refuse('cross-origin requests are refused');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse('missing or wrong token');
    wss.handleUpgrade(req, socket, head, (ws) => connect(ws, host));
  });

  const listening = new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, o.host, () => ok());
  });
  try {
    await listening;
  } catch (e) {
    process.stderr.write(`armlab serve: cannot listen on ${o.host}:${port}: ${(e as Error).message}\n`);
    await host.dispose();
    return 2;
  }
  const actual = (server.address() as AddressInfo).port;
  const shown = o.host.includes(':') ? `[${o.host}]` : o.host;
  allowedHosts = new Set([`${shown}:${actual}`, `localhost:${actual}`, `127.0.0.1:${actual}`]);
  if (!isLoopback(o.host)) {
    process.stderr.write(
      `armlab serve: listening on ${o.host}, reachable from other machines; anyone with the URL's token can run VMs here\n`,
    );
  }
  const open = `http://${wildcard ? hostname() : shown}:${actual}/?token=${token}`;
  process.stdout.write(`armlab serve: open ${open}\n`);

  return new Promise<number>((done) => {
    const shutdown = (): void => {
      process.off('SIGINT', shutdown);
      process.off('SIGTERM', shutdown);
      for (const c of wss.clients) c.terminate();
      server.close();
      void host.dispose().then(() => done(0));
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  });
}

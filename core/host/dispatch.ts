/**
 * One request → one reply, for every transport. Unknown methods and malformed
 * requests are answered with an error, never thrown: a transport hands over
 * whatever arrived on the wire.
 */
import type { HostApi, Method, Reply, Request } from './api.js';
import { ApiFailure } from './vmhost.js';

const METHODS: Record<Method, true> = {
  info: true,
  validate: true,
  create: true,
  list: true,
  history: true,
  start: true,
  pause: true,
  resume: true,
  stop: true,
  remove: true,
  input: true,
  inspect: true,
  listSaved: true,
  save: true,
  deleteSaved: true,
  fetchGuest: true,
  matrixCells: true,
  matrixStart: true,
  matrixCancel: true,
  matrixResult: true,
  matrixList: true,
};

export function isRequest(x: unknown): x is Request {
  if (typeof x !== 'object' || x === null) return false;
  const r = x as Record<string, unknown>;
  return (
    r.kind === 'request' &&
    typeof r.id === 'number' &&
    typeof r.method === 'string' &&
    Object.hasOwn(METHODS, r.method) &&
    Array.isArray(r.params)
  );
}

export async function dispatch(api: HostApi, req: unknown): Promise<Reply> {
  const id = typeof req === 'object' && req !== null && typeof (req as { id?: unknown }).id === 'number' ? (req as { id: number }).id : -1;
  if (!isRequest(req))
    return { kind: 'reply', id, ok: false, error: { message: 'malformed request (expected {kind: "request", id, method, params})' } };
  try {
    const fn = api[req.method] as (...p: unknown[]) => Promise<unknown>;
    const result = await fn.apply(api, req.params);
    return { kind: 'reply', id, ok: true, result: result ?? null };
  } catch (e) {
    if (e instanceof ApiFailure) return { kind: 'reply', id, ok: false, error: { message: e.message, problems: e.problems } };
    return { kind: 'reply', id, ok: false, error: { message: `internal error in ${req.method}: ${(e as Error).message}` } };
  }
}

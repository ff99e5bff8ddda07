/**
 * The Debian guest download for the lab (host API fetchGuest): runs scripts/fetch-guest.sh and turns its
 * status lines ("fetch-guest: downloading linux-image-…", stderr) into task progress: step k of n, what it
 * is doing, and while a package downloads the bytes that arrived in the cache's debs/ directory.
 *
 * ARMLAB_FETCH_GUEST_SCRIPT names another script (tests run a fake one: no network).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FetchResult, TaskProgress } from './api.js';
import { linuxCacheDir } from './config.js';

/** The script's steps in the order it takes them; a step it skips (a cached package) is jumped over. */
export const FETCH_STEPS: readonly { match: RegExp; download?: boolean }[] = [
  { match: /^apt-get update/ },
  { match: /^downloading linux-image-\S*cloud/, download: true },
  { match: /^downloading linux-image-/, download: true },
  { match: /^downloading busybox/, download: true },
  { match: /^extracting/ },
  { match: /^ready in/ },
];

const PREFIX = 'fetch-guest: ';
const BYTES_MS = 500;

export function fetchScript(root: string): string {
  return process.env.ARMLAB_FETCH_GUEST_SCRIPT ?? join(root, 'scripts', 'fetch-guest.sh');
}

/** Bytes in the cache's debs/ directory (where apt-get download writes). */
function debBytes(): number {
  const dir = join(linuxCacheDir(), 'debs');
  let n = 0;
  try {
    for (const f of readdirSync(dir)) n += statSync(join(dir, f)).size;
  } catch {}
  return n;
}

/** One status line of the script → the step it starts (index into FETCH_STEPS), or -1. */
export function stepOf(text: string): number {
  return FETCH_STEPS.findIndex((s) => s.match.test(text));
}

export function runFetchGuest(script: string, onProgress: (p: TaskProgress) => void): Promise<FetchResult> {
  const t0 = performance.now();
  const steps = FETCH_STEPS.length;
  let step = 0;
  let phase = 'starting scripts/fetch-guest.sh';
  let error: string | undefined;
  let base = 0;
  let lastBytes = -1;
  const report = (extra: Partial<TaskProgress> = {}): void =>
    onProgress({ task: 'fetch-guest', phase, step, steps, elapsedMs: Math.round(performance.now() - t0), ...extra });
  if (!existsSync(script)) {
    const message = `the guest fetcher ${script} is missing`;
    report({ done: true, error: message });
    return Promise.resolve({ ok: false, message });
  }
  report();
  return new Promise((resolve) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const tail: string[] = [];
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const timer = setInterval(() => {
      if (!FETCH_STEPS[step - 1]?.download) return;
      const bytes = debBytes() - base;
      if (bytes !== lastBytes) report({ bytes: (lastBytes = bytes) });
    }, BYTES_MS);
    createInterface({ input: child.stderr }).on('line', (line) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (!line.startsWith(PREFIX)) return;
      const text = line.slice(PREFIX.length);
      if (text.startsWith('error: ')) {
        error = text.slice('error: '.length);
        return;
      }
      const k = stepOf(text);
      if (k >= 0 && k + 1 > step) {
        step = k + 1;
        base = debBytes();
        lastBytes = -1;
      }
      phase = text;
      report();
    });
    const finish = (code: number | null, spawnError?: Error): void => {
      clearInterval(timer);
      let message: string;
      if (spawnError) message = `cannot run ${script}: ${spawnError.message}`;
      else if (code === 0) message = stdout.trim() || 'ready';
      else message = error ?? (tail.join('\n').trim() || `${script} exited with status ${code}`);
      const ok = !spawnError && code === 0;
      if (ok) {
        step = steps;
        phase = 'ready';
      }
      report({ done: true, error: ok ? undefined : message });
      resolve({ ok, message });
    };
    child.on('error', (e) => finish(null, e));
    child.on('close', (code) => finish(code));
  });
}

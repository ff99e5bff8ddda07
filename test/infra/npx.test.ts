// README promise: `npx armlab run <file>` works from the repository root.
// npm resolves a package's own "bin" when run inside that package (the name in
// package.json is "armlab"), without installing anything.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('npx armlab', () => {
  it('runs the project CLI from the repository root', () => {
    const out = execFileSync('npx', ['--no-install', 'armlab', 'help'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(/usage: armlab run <file>/);
  });
  it('passes the exit status through (2: usage error)', () => {
    const r = spawnSync('npx', ['--no-install', 'armlab', 'run', '--no-such-option'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/armlab:/);
  });
});

// scripts/fetch-guest.sh (issue 5): an archive that cannot be reached is reported as such, with its
// own exit status (3), even though `apt-get update` itself exits 0 when every source fails.
// Hermetic: a private sources list naming a host under .invalid (RFC 6761: never resolves), private
// apt lists/cache and a private guest cache in a temp dir; dpkg's architectures are not touched.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = process.getuid?.() === 0 || spawnSync('sudo', ['-n', 'true']).status === 0;
const hasApt = spawnSync('apt-get', ['--version']).status === 0;

describe.skipIf(!hasApt)('fetch-guest.sh without Debian’s archive', () => {
  it(`says it cannot reach the archive and exits ${root ? 3 : '4 (root needed)'}`, { timeout: 60_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'armlab-fetch-'));
    for (const d of ['lists/partial', 'cache/archives/partial', 'parts', 'prefs']) mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, 'sources.list'), 'deb [arch=arm64 trusted=yes] http://armlab-archive.invalid/debian bookworm main\n');
    const opts = [
      `Dir::Etc::SourceList=${dir}/sources.list`,
      `Dir::Etc::SourceParts=${dir}/parts`,
      `Dir::Etc::PreferencesParts=${dir}/prefs`,
      `Dir::State::Lists=${dir}/lists`,
      `Dir::Cache=${dir}/cache`,
      'APT::Architectures=arm64',
      'APT::Sandbox::User=root',
      'Acquire::Retries=0',
      'Acquire::http::Proxy=false',
      'Acquire::Languages=none',
    ];
    const r = spawnSync('bash', ['scripts/fetch-guest.sh', '--update'], {
      encoding: 'utf8',
      timeout: 50_000,
      env: { ...process.env, ARMLAB_CACHE: join(dir, 'armlab'), ARMLAB_APT_OPTS: opts.map((o) => `-o ${o}`).join(' ') },
    });
    if (root) {
      expect(r.stderr).toMatch(/cannot reach Debian's archive: apt-get update could not download the package lists/);
      expect(r.stderr).toMatch(/armlab-archive\.invalid/);
      expect(r.status).toBe(3);
    } else {
      expect(r.stderr).toMatch(/root or sudo needed/);
      expect(r.status).toBe(4);
    }
  });

  it('--print fails (status 1) on an empty cache, without network', () => {
    const dir = mkdtempSync(join(tmpdir(), 'armlab-fetch-'));
    const r = spawnSync('bash', ['scripts/fetch-guest.sh', '--print'], { encoding: 'utf8', env: { ...process.env, ARMLAB_CACHE: dir } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no verified guest .*run 'npm run guest:fetch' first/);
  });
});

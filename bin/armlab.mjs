#!/usr/bin/env node
// armlab command-line entry: (re)builds the bundled CLI when the TypeScript sources changed, then runs it.
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { stale, buildCli } = await import(pathToFileURL(join(root, 'scripts', 'build-cli.mjs')).href);
if (stale()) {
  try {
    await buildCli();
  } catch (e) {
    process.stderr.write(`armlab: building the CLI failed: ${e.message}\n`);
    process.exit(2);
  }
}
const { main } = await import(pathToFileURL(join(root, 'dist', 'armlab.js')).href);
const status = await main(process.argv.slice(2));
// Exit once stdout has drained (an open stdin must not keep us alive, and queued output must not be lost).
process.stdout.write('', () => process.exit(status));

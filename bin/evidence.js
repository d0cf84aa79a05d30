#!/usr/bin/env node
// The installed `evidence` command: runs the compiled CLI (dist/cli/evidence.js, built by
// `npm run build:cli`, which `npm ci` and `npm pack` run), on production dependencies only.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const compiled = new URL('../dist/cli/evidence.js', import.meta.url);
if (!existsSync(compiled)) {
  process.stderr.write(
    'evidence: dist/cli/evidence.js is missing; run `npm run build:cli` in the checkout\n',
  );
  process.exit(2);
}
await import(compiled.href);

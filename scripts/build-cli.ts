/**
 * Builds the `evidence` command into dist/cli/evidence.js: one ES module for Node 20+, with the
 * project's own code bundled and every npm package left as an import, so that the installed
 * command runs from compiled JavaScript on production dependencies alone (no tsx at run time).
 * Beside it, dist/cli/records-verify-worker.js: the monitor's worker thread, which the CLI
 * starts from the file next to its own (cli/monitor/records-verify-pool.ts).
 * The build fails if the bundle imports a package that is not a production dependency.
 *
 *   npm run build:cli        (also run by `npm ci` through `prepare`, and by `npm pack`)
 */
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { build } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
const outdir = resolve(root, 'dist/cli');

/** The package name of a bare import specifier (`@scope/name/sub` -> `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

const manifest = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const production = new Set(Object.keys(manifest.dependencies ?? {}));
const builtins = new Set(builtinModules);

const result = await build({
  entryPoints: {
    evidence: resolve(root, 'cli/evidence.ts'),
    'records-verify-worker': resolve(root, 'cli/monitor/records-verify-worker.ts'),
  },
  outdir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  metafile: true,
  logLevel: 'warning',
  banner: { js: '// Built by scripts/build-cli.ts from cli/; do not edit.' },
});

const external = new Set(
  Object.values(result.metafile.outputs).flatMap((output) =>
    output.imports.filter((entry) => entry.external).map((entry) => entry.path),
  ),
);
const notProduction = [...external]
  .filter((path) => !path.startsWith('node:') && !builtins.has(path))
  .map(packageOf)
  .filter((name) => !production.has(name));
if (notProduction.length > 0) {
  console.error(
    `build-cli: the CLI imports packages that are not production dependencies: ${[...new Set(notProduction)].join(', ')}`,
  );
  process.exit(1);
}
console.error(
  `build-cli: wrote ${Object.keys(result.metafile.outputs)
    .filter((file) => file.endsWith('.js'))
    .join(
      ', ',
    )} (${external.size} external imports, all production dependencies or Node built-ins)`,
);

/**
 * The `evidence` command as a user gets it: `npm pack` of the project, installed into an empty
 * project with production dependencies only (no tsx, no TypeScript, no CDK), run from its bin.
 * Needs the npm registry or cache for the production dependencies.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTiledLog,
  growTiledLog,
  tiledLogTrustedKeys,
  writeTiledLog,
} from '../../../tools/fakes/tiled-log';

const ROOT = resolve(import.meta.dirname, '../../..');
const EXAMPLE = join(ROOT, 'test/vectors/format-example');
const exec = promisify(execFile);

let dir: string;
let bin: string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function evidence(...args: string[]): Promise<Run> {
  try {
    const { stdout, stderr } = await exec(bin, args, { cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evidence-packaged-'));
  await exec('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT });
  const tarball = (await readdir(dir)).find((name) => name.endsWith('.tgz'));
  if (tarball === undefined) throw new Error('npm pack wrote no tarball');
  await writeFile(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'evidence-user', private: true }),
  );
  await exec(
    'npm',
    [
      'install',
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      '--silent',
      `./${tarball}`,
    ],
    { cwd: dir },
  );
  bin = join(dir, 'node_modules/.bin/evidence');
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the evidence command installed from npm pack', () => {
  it('installs without any development dependency', async () => {
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    // Type packages may arrive as dependencies of production packages; they hold no code.
    for (const name of Object.keys(manifest.devDependencies).filter(
      (n) => !n.startsWith('@types/'),
    )) {
      expect(existsSync(join(dir, 'node_modules', name)), name).toBe(false);
    }
  });

  it('prints its help and exits 0', async () => {
    const run = await evidence('--help');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('verify-bundle');
    expect(run.stdout).toContain('certificate');
  });

  it('verifies the FORMAT.md example bundle from compiled JavaScript (exit 0)', async () => {
    const run = await evidence(
      'verify-bundle',
      join(EXAMPLE, 'example-bundle.json'),
      '--trusted-keys',
      join(EXAMPLE, 'example-trusted-keys.json'),
      '--evidence',
      join(EXAMPLE, 'exhibit-w-02.txt'),
    );
    expect(run.stdout).toMatch(/^OK \d+ checks passed/);
    expect(run.code).toBe(0);
  });

  it('fails a bundle against the wrong evidence with exit 1', async () => {
    const wrong = join(dir, 'wrong-evidence.txt');
    await copyFile(join(EXAMPLE, 'example-trusted-keys.json'), wrong);
    const run = await evidence(
      'verify-bundle',
      join(EXAMPLE, 'example-bundle.json'),
      '--trusted-keys',
      join(EXAMPLE, 'example-trusted-keys.json'),
      '--evidence',
      wrong,
    );
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).toContain('EVIDENCE_DIGEST_MISMATCH');
  });

  it('monitors a log across several records bundles, verified in worker threads (exit 0)', async () => {
    const log = await createTiledLog(100);
    const trusted = join(dir, 'monitor-trusted-keys.json');
    await writeFile(trusted, JSON.stringify(tiledLogTrustedKeys(log)));
    const root = join(dir, 'monitored-log');
    const state = join(dir, 'monitor.state.json');
    await writeTiledLog(log, root);
    expect(
      (await evidence('monitor', root, '--trusted-keys', trusted, '--state', state)).code,
    ).toBe(0);
    await growTiledLog(log, 700);
    await writeTiledLog(log, root);
    const run = await evidence('monitor', root, '--trusted-keys', trusted, '--state', state);
    expect(run).toMatchObject({
      code: 0,
      stdout: `OK log ${log.origin} grew 100 -> 800, 700 new records verified\n`,
    });
  });
});

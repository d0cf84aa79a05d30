/**
 * `evidence monitor` through the CLI's main(): a tiled log written to a temporary directory,
 * the state file beside it, and the exit code of each outcome.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { main as Main } from '../../../cli/evidence';
import { recordsBundlePath } from '../../../core/tlog/tile-path';
import {
  createTiledLog,
  growTiledLog,
  tiledLogTrustedKeys,
  writeTiledLog,
  type TiledLog,
} from '../../../tools/fakes/tiled-log';

let main: typeof Main;
let dir: string;
const path = (name: string) => join(dir, name);

beforeAll(async () => {
  // cli/evidence.ts runs main() on the process's own arguments when loaded: keep its exit code
  // away from the test runner's, and call main() again below with the arguments under test.
  const exitCode = process.exitCode;
  ({ main } = await import('../../../cli/evidence'));
  process.exitCode = exitCode;
  dir = await mkdtemp(join(tmpdir(), 'evidence-monitor-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function monitor(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['monitor', ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out, err };
}

/** A log of `size` records in its own directory, with its trusted-keys file. */
async function logDir(
  name: string,
  size: number,
): Promise<{ log: TiledLog; root: string; trusted: string }> {
  const log = await createTiledLog(size);
  const root = path(name);
  await writeTiledLog(log, root);
  const trusted = path(`${name}.trusted.json`);
  await writeFile(trusted, JSON.stringify(tiledLogTrustedKeys(log)));
  return { log, root, trusted };
}

describe('evidence monitor', () => {
  it('exits 0 while the log grows honestly and advances its state file', async () => {
    const { log, root, trusted } = await logDir('honest', 3);
    const state = path('honest.state.json');
    const first = await monitor(root, '--trusted-keys', trusted, '--state', state);
    expect(first).toMatchObject({
      code: 0,
      out: [`OK log ${log.origin} grew 0 -> 3, 3 new records verified`],
    });
    await growTiledLog(log, 297);
    await writeTiledLog(log, root);
    const second = await monitor(root, '--trusted-keys', trusted, '--state', state, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.out[0]!)).toEqual({
      ok: true,
      origin: log.origin,
      previousSize: 3,
      treeSize: 300,
      newRecords: 297,
    });
    expect(JSON.parse(await readFile(state, 'utf8'))).toMatchObject({ treeSize: 300 });
  });

  it('exits 1 with the failed check and keeps the state when a records bundle is missing', async () => {
    const { log, root, trusted } = await logDir('gap', 3);
    const state = path('gap.state.json');
    expect((await monitor(root, '--trusted-keys', trusted, '--state', state)).code).toBe(0);
    const before = await readFile(state);
    await growTiledLog(log, 2);
    log.files.delete(recordsBundlePath({ index: 0, width: 5 }));
    await writeTiledLog(log, root);
    const run = await monitor(root, '--trusted-keys', trusted, '--state', state);
    expect(run.code).toBe(1);
    expect(run.out[0]).toMatch(/^FAIL TILE_MISSING: the log holds no tile\/records\/000\.p\/5$/);
    expect(await readFile(state)).toEqual(before);
  });

  it('exits 1 with LEDGER_ROLLED_BACK for a copy of the log older than the state', async () => {
    const { log, root: older, trusted } = await logDir('rollback-old', 3);
    await growTiledLog(log, 2);
    const newer = path('rollback-new');
    await writeTiledLog(log, newer);
    const state = path('rollback.state.json');
    expect((await monitor(newer, '--trusted-keys', trusted, '--state', state)).code).toBe(0);
    const run = await monitor(older, '--trusted-keys', trusted, '--state', state);
    expect(run.code).toBe(1);
    expect(run.out[0]).toMatch(/^FAIL LEDGER_ROLLED_BACK: /);
  });

  it('exits 1 with CHECKPOINT_INCONSISTENT for another tree of the same size', async () => {
    const { log, root, trusted } = await logDir('fork', 3);
    const state = path('fork.state.json');
    expect((await monitor(root, '--trusted-keys', trusted, '--state', state)).code).toBe(0);
    const forked = path('fork-other');
    await writeTiledLog(await createTiledLog(3, { signers: log.signers }), forked);
    const run = await monitor(forked, '--trusted-keys', trusted, '--state', state, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out[0]!)).toMatchObject({ ok: false, code: 'CHECKPOINT_INCONSISTENT' });
  });

  it('exits 2 without --trusted-keys', async () => {
    const run = await monitor(path('honest'));
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/^FAIL USAGE: /);
  });

  it('exits 3 for a LOG that is not a directory', async () => {
    const { trusted } = await logDir('any', 1);
    const run = await monitor(
      path('no-such-dir'),
      '--trusted-keys',
      trusted,
      '--state',
      path('x.json'),
    );
    expect(run.code).toBe(3);
    expect(run.out[0]).toMatch(/^FAIL DEPENDENCY_UNAVAILABLE: cannot read /);
  });

  it('exits 3 for a log without a checkpoint', async () => {
    const { root, trusted } = await logDir('empty', 0);
    await mkdir(root);
    const run = await monitor(root, '--trusted-keys', trusted, '--state', path('e.json'));
    expect(run).toMatchObject({
      code: 3,
      out: ['FAIL OBJECT_NOT_FOUND: the log has no checkpoint'],
    });
  });

  it('exits 3 for a state file that is not a monitor state', async () => {
    const { root, trusted } = await logDir('corrupt', 1);
    const state = path('corrupt.state.json');
    await writeFile(state, '{"format":"evidence-ledger/monitor-state/v1"}');
    const run = await monitor(root, '--trusted-keys', trusted, '--state', state);
    expect(run.code).toBe(3);
    expect(run.out[0]).toMatch(/^FAIL STORAGE_ITEM_CORRUPT: monitor state/);
  });
});

/**
 * monitorLog over in-memory tiled logs, with the records bundles verified on the calling
 * thread (the core's default) and in the CLI's worker pool: the same reports either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordsVerifyPool } from '../../../cli/monitor/records-verify-pool';
import { parseTrustedKeys } from '../../../core/bundle';
import { utf8Decode, utf8Encode } from '../../../core/encoding';
import {
  formatMonitorReport,
  monitorLog,
  monitorTrust,
  type LogSource,
  type MonitorRun,
  type MonitorState,
  type MonitorTrust,
  type RecordsBundleVerifier,
} from '../../../core/monitor';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../../../core/tlog/tile-path';
import { nodeSignatureVerifier } from '../../../functions/shared/node-signature-verifier';
import { createInMemorySigner, type InMemorySigner } from '../../../tools/fakes/in-memory-signer';
import {
  createTiledLog,
  growTiledLog,
  publishCheckpoint,
  tiledLogSigners,
  tiledLogTrustedKeys,
  type TiledLog,
} from '../../../tools/fakes/tiled-log';

// Every log of this file has the same parties, the keys the worker pool is started with.
let signers: InMemorySigner[];
let pool: RecordsVerifyPool;

beforeAll(async () => {
  signers = await tiledLogSigners();
  const keys = parseTrustedKeys(tiledLogTrustedKeys(await createTiledLog(0, { signers })));
  pool = new RecordsVerifyPool(keys, 2);
});

afterAll(async () => {
  await pool.close();
});

const newLog = (size: number) => createTiledLog(size, { signers });

function sourceOf(files: ReadonlyMap<string, Uint8Array>): LogSource {
  return { get: (path) => Promise.resolve(files.get(path)?.slice() ?? null) };
}

/** Where the records bundles are verified: the core's default, or the CLI's worker pool. */
const VERIFIERS: [string, () => RecordsBundleVerifier | undefined][] = [
  ['on the calling thread', () => undefined],
  ['in worker threads', () => pool],
];

describe.each(VERIFIERS)('monitorLog, records verified %s', (_, bundleVerifier) => {
  function trustOf(log: TiledLog): MonitorTrust {
    const keys = parseTrustedKeys(tiledLogTrustedKeys(log));
    return monitorTrust(keys, nodeSignatureVerifier, undefined, bundleVerifier());
  }

  const run = (log: TiledLog, state?: MonitorState) =>
    monitorLog(sourceOf(log.files), trustOf(log), state);

  function expectFailure(result: MonitorRun, code: string, state: MonitorState): void {
    expect(result.report).toMatchObject({ ok: false, code });
    expect(result.state).toBe(state);
  }

  /** A log at size 3 the monitor has verified, grown to 5. */
  async function grownLog(): Promise<{ log: TiledLog; state: MonitorState }> {
    const log = await newLog(3);
    const { state } = await run(log);
    await growTiledLog(log, 2);
    return { log, state };
  }

  function flipByte(files: Map<string, Uint8Array>, path: string, offset: number): void {
    const bytes = files.get(path)!.slice();
    bytes[offset]! ^= 0x01;
    files.set(path, bytes);
  }

  describe('monitorLog on an honest log', () => {
    let log: TiledLog;
    beforeAll(async () => {
      log = await newLog(3);
    });

    it('verifies the first checkpoint from the empty tree and keeps it', async () => {
      const { state, report } = await run(log);
      expect(report).toEqual({
        ok: true,
        origin: log.origin,
        previousSize: 0,
        treeSize: 3,
        newRecords: 3,
      });
      expect(state).toMatchObject({ treeSize: 3, lastRecordHash: log.records[2]!.recordHash });
      expect(formatMonitorReport(report)).toBe(
        `OK log ${log.origin} grew 0 -> 3, 3 new records verified`,
      );
    });

    it('follows the log from 3 to 300 records across a full tile, then sees it unchanged', async () => {
      const first = await run(log);
      await growTiledLog(log, 297);
      const second = await run(log, first.state);
      expect(formatMonitorReport(second.report)).toBe(
        `OK log ${log.origin} grew 3 -> 300, 297 new records verified`,
      );
      expect(second.state).toMatchObject({
        treeSize: 300,
        lastRecordHash: log.records[299]!.recordHash,
        checkpoint: utf8Decode(log.files.get('checkpoint')!),
      });
      const third = await run(log, second.state);
      expect(formatMonitorReport(third.report)).toBe(`OK log ${log.origin} unchanged at 300`);
      expect(third.state).toBe(second.state);
    });
  });

  describe('monitorLog on a dishonest log', () => {
    it('fails with LEDGER_ROLLED_BACK when the checkpoint is smaller than the verified one', async () => {
      const log = await newLog(3);
      const older = new Map(log.files);
      await growTiledLog(log, 2);
      const { state } = await run(log);
      const result = await monitorLog(sourceOf(older), trustOf(log), state);
      expectFailure(result, 'LEDGER_ROLLED_BACK', state);
    });

    it('fails with CHECKPOINT_INCONSISTENT for another tree of the same size (a fork)', async () => {
      const log = await newLog(3);
      const { state } = await run(log);
      const fork = await createTiledLog(3, { signers: log.signers });
      expectFailure(await run(fork, state), 'CHECKPOINT_INCONSISTENT', state);
    });

    it('fails with ROOT_MISMATCH when the log grew from another tree (a fork)', async () => {
      const log = await newLog(3);
      const { state } = await run(log);
      const fork = await createTiledLog(5, { signers: log.signers });
      expectFailure(await run(fork, state), 'ROOT_MISMATCH', state);
    });

    for (const [what, path] of [
      ['records bundle', recordsBundlePath({ index: 0, width: 5 })],
      ['entry bundle', entryBundlePath({ index: 0, width: 5 })],
      ['hash tile', hashTilePath({ level: 0, index: 0, width: 5 })],
    ] as const) {
      it(`fails with TILE_MISSING when a new ${what} is missing (a gap)`, async () => {
        const { log, state } = await grownLog();
        log.files.delete(path);
        expectFailure(await run(log, state), 'TILE_MISSING', state);
      });
    }

    it('fails with RECORD_HASH_MISMATCH when one byte of a new record changed', async () => {
      const { log, state } = await grownLog();
      const path = recordsBundlePath({ index: 0, width: 5 });
      const text = utf8Decode(log.files.get(path)!);
      log.files.set(path, utf8Encode(text.replace('"exhibit":"item-4"', '"exhibit":"item-7"')));
      const result = await run(log, state);
      expectFailure(result, 'RECORD_HASH_MISMATCH', state);
      expect(result.report).toMatchObject({ details: { seq: 4 } });
    });

    it('fails with ENTRY_BUNDLE_MALFORMED when a new records bundle is cut short', async () => {
      const { log, state } = await grownLog();
      const path = recordsBundlePath({ index: 0, width: 5 });
      log.files.set(path, log.files.get(path)!.subarray(0, -1));
      const result = await run(log, state);
      expectFailure(result, 'ENTRY_BUNDLE_MALFORMED', state);
      expect(result.report).toMatchObject({
        message: 'records bundle does not end with a newline',
      });
    });

    it('fails with ROOT_MISMATCH when one hash of a new tile is flipped', async () => {
      const { log, state } = await grownLog();
      flipByte(log.files, hashTilePath({ level: 0, index: 0, width: 5 }), 4 * 32 + 7);
      expectFailure(await run(log, state), 'ROOT_MISMATCH', state);
    });

    it('fails with ROOT_MISMATCH when a level-1 tile disagrees with the full level-0 tile', async () => {
      const log = await newLog(3);
      const { state } = await run(log);
      await growTiledLog(log, 300);
      flipByte(log.files, hashTilePath({ level: 1, index: 0, width: 1 }), 0);
      expectFailure(await run(log, state), 'ROOT_MISMATCH', state);
    });

    it('fails with CHECKPOINT_SIGNATURE_INVALID when a party did not co-sign the checkpoint', async () => {
      const { log, state } = await grownLog();
      const impostor = await createInMemorySigner('custodian', log.signers[1]!.keyId);
      await publishCheckpoint(log, [log.signers[0]!, impostor]);
      expectFailure(await run(log, state), 'CHECKPOINT_SIGNATURE_INVALID', state);
    });

    it('fails with SIGNATURE_INVALID at the record a party did not approve', async () => {
      const log = await newLog(3);
      const { state } = await run(log);
      const impostor = await createInMemorySigner('agency', log.signers[0]!.keyId);
      await growTiledLog(log, 2, [impostor, log.signers[1]!]);
      const result = await run(log, state);
      expectFailure(result, 'SIGNATURE_INVALID', state);
      expect(result.report).toMatchObject({ details: { seq: 3 } });
    });

    it('throws OBJECT_NOT_FOUND for a log without a checkpoint', async () => {
      const log = await newLog(0);
      await expect(run(log)).toFailWithCode('OBJECT_NOT_FOUND');
    });
  });

  describe('where records bundles meet', () => {
    it('verifies a growth from inside a partial bundle across several bundles', async () => {
      const log = await newLog(100);
      const first = await run(log);
      await growTiledLog(log, 700);
      const second = await run(log, first.state);
      expect(second.report).toMatchObject({ ok: true, previousSize: 100, treeSize: 800 });
      expect(second.state.lastRecordHash).toBe(log.records[799]!.recordHash);
    });

    it('fails with CHAIN_LINK_MISMATCH when the first record of a bundle links elsewhere', async () => {
      const log = await newLog(3);
      const { state } = await run(log);
      await growTiledLog(log, 253);
      await growTiledLog(log, 100, signers, { linkTo: log.records[100]!.recordHash });
      const result = await run(log, state);
      expectFailure(result, 'CHAIN_LINK_MISMATCH', state);
      expect(result.report).toMatchObject({ details: { seq: 256 } });
    });

    it('fails with CHAIN_LINK_MISMATCH when the first new record of a partial bundle links elsewhere', async () => {
      const log = await newLog(100);
      const { state } = await run(log);
      await growTiledLog(log, 300, signers, { linkTo: log.records[50]!.recordHash });
      const result = await run(log, state);
      expectFailure(result, 'CHAIN_LINK_MISMATCH', state);
      expect(result.report).toMatchObject({ details: { seq: 100 } });
    });

    it('reports the failure of the earlier bundle when two bundles fail', async () => {
      const log = await newLog(3);
      const { state } = await run(log);
      const impostor = await createInMemorySigner('agency', signers[0]!.keyId);
      await growTiledLog(log, 400);
      await growTiledLog(log, 1, [impostor, signers[1]!]);
      await growTiledLog(log, 200);
      const path = recordsBundlePath({ index: 2, width: 604 - 512 });
      const text = utf8Decode(log.files.get(path)!);
      log.files.set(path, utf8Encode(text.replace('"exhibit":"item-600"', '"exhibit":"item-6"')));
      const result = await run(log, state);
      expectFailure(result, 'SIGNATURE_INVALID', state);
      expect(result.report).toMatchObject({ details: { seq: 403 } });
    });
  });
});

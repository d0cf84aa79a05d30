/**
 * The tiled log the anchor writes under log/ in the anchor bucket, on the emulator: capped
 * runs, the objects each checkpoint commits to, and a tile that cannot be rewritten.
 */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex, utf8Decode } from '../../core/encoding';
import { decodeRecordBundle } from '../../core/tlog/entry-bundle';
import { decodeRecordsBundle } from '../../core/tlog/records-bundle';
import { entryBundlePath, hashTilePath, recordsBundlePath } from '../../core/tlog/tile-path';
import { treeRootFromTiles } from '../../core/tlog/tile-proofs';
import { LOG_PREFIX, S3TileLogWriter } from '../../functions/shared/s3-tile-log';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';

async function logKeys(deployment: LocalDeployment): Promise<string[]> {
  const page = await deployment.clients.s3.send(
    new ListObjectsV2Command({ Bucket: deployment.resources.anchorBucket, Prefix: LOG_PREFIX }),
  );
  return (page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])).sort();
}

describe.skipIf(skipBackend)(`the tiled log on ${backend.name}`, () => {
  const opened: LocalDeployment[] = [];
  afterAll(() => {
    for (const deployment of opened) deployment.close();
  });

  async function deploymentWith(label: string, records: number): Promise<LocalDeployment> {
    const deployment = await createDeployment(`tlog-${label}`, { anchorMaxRecordsPerRun: 2 });
    opened.push(deployment);
    for (let i = 0; i < records; i++)
      await deployment.upload(`tlog/${label}-${i}.txt`, `${label} ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
    return deployment;
  }

  const logOf = (deployment: LocalDeployment) =>
    new S3TileLogWriter(deployment.clients.s3, deployment.resources.anchorBucket);

  it('capped runs each publish a checkpoint whose tiles, bundles and records are in log/', async () => {
    const deployment = await deploymentWith('capped', 5);
    const log = logOf(deployment);
    const sizes: number[] = [];
    for (let run = 0; run < 4; run++) {
      const response = await deployment.anchor();
      if (response.outcome !== 'published') break;
      sizes.push(response.treeSize);
      expect(utf8Decode((await log.get('checkpoint'))!)).toBe(response.checkpoint);
      expect(bytesToHex(await treeRootFromTiles(log, response.treeSize))).toBe(response.rootHash);
    }
    expect(sizes).toEqual([2, 4, 5]);
    const records = await deployment.ledger.read(0, 5);
    const bundle = { index: 0, width: 5 };
    expect(decodeRecordsBundle((await log.get(recordsBundlePath(bundle)))!, 5)).toEqual(records);
    expect(decodeRecordBundle((await log.get(entryBundlePath(bundle)))!, 5)).toEqual(
      records.map((r) => r.recordHash),
    );
    expect(await logKeys(deployment)).toEqual(
      [
        'checkpoint',
        ...[2, 4, 5].flatMap((width) => [
          `tile/0/000.p/${width}`,
          `tile/entries/000.p/${width}`,
          `tile/records/000.p/${width}`,
        ]),
      ]
        .map((path) => LOG_PREFIX + path)
        .sort(),
    );
  }, 180_000);

  it('refuses a second version of a tile (conditional create), and the log stays intact', async () => {
    const deployment = await deploymentWith('rewrite', 3);
    expect(await deployment.anchor()).toMatchObject({ outcome: 'published', treeSize: 2 });
    const log = logOf(deployment);
    const path = hashTilePath({ level: 0, index: 0, width: 2 });
    const original = await log.readHashTile(0, 0, 2);
    const forged = original.slice();
    forged[0]! ^= 1;
    await expect(
      deployment.clients.s3.send(
        new PutObjectCommand({
          Bucket: deployment.resources.anchorBucket,
          Key: LOG_PREFIX + path,
          Body: forged,
          IfNoneMatch: '*',
        }),
      ),
    ).rejects.toMatchObject({ $metadata: { httpStatusCode: 412 } });
    await expect(log.putOnce(path, forged, 'application/octet-stream')).toFailWithCode(
      'CHECKPOINT_INCONSISTENT',
    );
    expect(await log.readHashTile(0, 0, 2)).toEqual(original);
    expect(await deployment.anchor()).toMatchObject({ outcome: 'published', treeSize: 3 });
  }, 180_000);
});

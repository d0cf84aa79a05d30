import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DeleteObjectCommand, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wormKeysOf } from '../../core/anchor/worm-keys';
import { verifyCheckpoint } from '../../core/checkpoint/signed-checkpoint';
import { bytesToHex, hexToBytes, utf8Decode, base64Decode } from '../../core/encoding';
import { verifyConsistency } from '../../core/merkle/consistency';
import { recordLeafHash } from '../../core/merkle/hasher';
import { treeRoot } from '../../core/merkle/tree';
import { S3WormStore } from '../../functions/shared/s3-worm-store';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { partyNoteKeys } from '../../tools/local-runtime/party-note-keys';
import { startLocalTsa, type LocalTsa } from '../../tools/tsa/local-tsa';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import scheduledEvent from '../fixtures/eventbridge/scheduled-event.json';
import { editItem } from '../support/ledger-tampering';

const run = promisify(execFile);

async function uploadAndSettle(
  deployment: LocalDeployment,
  count: number,
  label: string,
): Promise<void> {
  for (let i = 0; i < count; i++)
    await deployment.upload(`anchors/${label}-${i}.txt`, `${label} ${i}`);
  await deployment.pipeline.runUntilIdle(60_000);
}

describe.skipIf(skipBackend)(`anchors on ${backend.name}`, () => {
  let tsa: LocalTsa;
  const opened: LocalDeployment[] = [];
  beforeAll(async () => {
    tsa = await startLocalTsa();
  });
  afterAll(async () => {
    for (const deployment of opened) deployment.close();
    await tsa?.stop();
  });

  /**
   * A deployment of its own for each group of tests, so that none depends on what another
   * left behind: records are uploaded and anchored in batches, e.g. [3, 2] publishes
   * checkpoints at sizes 3 and 5.
   */
  async function anchoredLedger(
    label: string,
    batches: readonly number[],
  ): Promise<LocalDeployment> {
    const deployment = await createDeployment(`anchors-${label}`, {
      tsaUrl: tsa.url,
      tsaCertificatePem: tsa.certificatePem,
    });
    opened.push(deployment);
    for (const [i, count] of batches.entries()) {
      await uploadAndSettle(deployment, count, `${label}-${i}`);
      expect(await deployment.anchor()).toMatchObject({ outcome: 'published' });
    }
    return deployment;
  }
  const wormOf = (deployment: LocalDeployment) =>
    new S3WormStore(deployment.clients.s3, deployment.resources.anchorBucket, 1);

  describe('when the ledger is empty', () => {
    it('writes nothing', async () => {
      const deployment = await anchoredLedger('empty', []);
      const worm = wormOf(deployment);
      expect(await deployment.anchor()).toEqual({ outcome: 'no-new-records', treeSize: 0 });
      expect(await deployment.anchors.latest()).toBeNull();
      expect(await worm.exists(wormKeysOf(0).checkpoint)).toBe(false);
    });
  });

  describe('when records were appended since the last anchor', () => {
    let deployment: LocalDeployment;
    let worm: S3WormStore;
    let note: string;
    beforeAll(async () => {
      deployment = await anchoredLedger('first', []);
      worm = wormOf(deployment);
      await uploadAndSettle(deployment, 3, 'first');
      const response = await deployment.anchor(scheduledEvent);
      expect(response).toMatchObject({ outcome: 'published', treeSize: 3 });
      note = response.checkpoint ?? '';
    });

    it('publishes a checkpoint over the RFC 9162 root of the records, co-signed by both parties', async () => {
      const checkpoint = await verifyCheckpoint(
        note,
        await partyNoteKeys(deployment),
        deployment.origin,
      );
      const leaves = (await deployment.ledgerRecords()).map((r) => recordLeafHash(r.recordHash));
      expect(checkpoint.treeSize).toBe(3);
      expect(bytesToHex(checkpoint.rootHash)).toBe(bytesToHex(treeRoot(leaves)));
    });

    it('refuses the checkpoint if one byte of it changes', async () => {
      const keys = await partyNoteKeys(deployment);
      const tampered = note.replace('\n3\n', '\n4\n');
      await expect(verifyCheckpoint(tampered, keys)).toFailWithCode('CHECKPOINT_SIGNATURE_INVALID');
    });

    it('keeps a WORM copy equal to the published note', async () => {
      const copy = await worm.get(wormKeysOf(3).checkpoint);
      expect(utf8Decode(copy ?? new Uint8Array())).toBe(note);
    });

    it('stores an RFC 3161 token over the note that OpenSSL verifies against the TSA', async () => {
      const anchor = await deployment.anchors.latest();
      const dir = await mkdtemp(join(tmpdir(), 'tsr-'));
      await writeFile(join(dir, 'note'), note);
      await writeFile(join(dir, 'token.der'), base64Decode(anchor?.timestampToken ?? ''));
      const { stdout } = await run('openssl', [
        'ts',
        '-verify',
        '-token_in',
        '-in',
        join(dir, 'token.der'),
        '-data',
        join(dir, 'note'),
        '-CAfile',
        tsa.certificatePath,
      ]);
      expect(stdout).toContain('Verification: OK');
    });

    it('cannot have its WORM copy deleted, even bypassing governance', async () => {
      const key = wormKeysOf(3).checkpoint;
      const { Versions } = await deployment.clients.s3.send(
        new ListObjectVersionsCommand({ Bucket: deployment.resources.anchorBucket, Prefix: key }),
      );
      const versionId = Versions?.[0]?.VersionId;
      await expect(
        deployment.clients.s3.send(
          new DeleteObjectCommand({
            Bucket: deployment.resources.anchorBucket,
            Key: key,
            VersionId: versionId,
            BypassGovernanceRetention: true,
          }),
        ),
      ).rejects.toMatchObject({ name: 'AccessDenied' });
      expect(await worm.exists(key)).toBe(true);
    });

    it('writes nothing when run again with no new records', async () => {
      expect(await deployment.anchor()).toEqual({ outcome: 'no-new-records', treeSize: 3 });
      expect(await deployment.anchors.list(0, 100)).toHaveLength(1);
    });
  });

  describe('when the ledger grows again', () => {
    it('publishes a checkpoint proven consistent with the previous one', async () => {
      const deployment = await anchoredLedger('grows', [3]);
      await uploadAndSettle(deployment, 2, 'second');
      expect(await deployment.anchor()).toMatchObject({ outcome: 'published', treeSize: 5 });
      const [first, second] = await deployment.anchors.list(0, 100);
      expect(second?.previousTreeSize).toBe(3);
      verifyConsistency({
        firstSize: 3,
        secondSize: 5,
        firstRoot: hexToBytes(first?.rootHash ?? ''),
        secondRoot: hexToBytes(second?.rootHash ?? ''),
        proof: (second?.consistencyProof ?? []).map((h) => hexToBytes(h)),
      });
    });
  });

  describe('when anchor runs race', () => {
    it('publishes one linear history, never two checkpoints for one size', async () => {
      const deployment = await anchoredLedger('race', [3, 2]);
      await uploadAndSettle(deployment, 2, 'race');
      const outcomes = await Promise.all([
        deployment.anchor(),
        deployment.anchor(),
        deployment.anchor(),
      ]);
      expect(outcomes.filter((o) => o.outcome === 'published')).toHaveLength(1);
      const sizes = (await deployment.anchors.list(0, 100)).map((a) => a.treeSize);
      expect(sizes).toEqual([3, 5, 7]);
      expect((await deployment.anchors.latest())?.treeSize).toBe(7);
    });
  });

  describe('when the latest anchor item is pointed back at an older checkpoint', () => {
    let deployment: LocalDeployment;
    beforeAll(async () => {
      deployment = await anchoredLedger('pointed-back', [3, 2, 2]);
    });

    it('refuses to extend it with CHECKPOINT_INCONSISTENT: the WORM bucket holds a newer one', async () => {
      const older = (await deployment.anchors.list(5, 5))[0];
      const restore = await editItem(
        deployment,
        deployment.resources.anchorsTable,
        { pk: 'latest', treeSize: 0 },
        (item) => ({
          ...item,
          latestSize: 5,
          anchorJson: JSON.stringify(older),
        }),
      );
      try {
        await expect(deployment.anchor()).toFailWithCode('CHECKPOINT_INCONSISTENT');
      } finally {
        await restore();
      }
    });

    it('refuses a latest item whose root is not the one its note signs', async () => {
      const restore = await editItem(
        deployment,
        deployment.resources.anchorsTable,
        { pk: 'latest', treeSize: 0 },
        (item) => {
          const anchor = JSON.parse(String(item.anchorJson)) as Record<string, unknown>;
          return { ...item, anchorJson: JSON.stringify({ ...anchor, rootHash: 'c'.repeat(64) }) };
        },
      );
      try {
        await expect(deployment.anchor()).toFailWithCode('CHECKPOINT_INCONSISTENT');
      } finally {
        await restore();
      }
    });
  });

  describe('when an unanchored record was altered in the ledger table', () => {
    it('refuses to anchor it with CHECKPOINT_INCONSISTENT and writes nothing', async () => {
      const deployment = await anchoredLedger('altered', [3, 2, 2]);
      const worm = wormOf(deployment);
      await uploadAndSettle(deployment, 1, 'tampered');
      const [record] = (await deployment.ledgerRecords()).slice(7);
      const forged = { ...record, deposit: { ...record?.deposit, sha256: '0'.repeat(64) } };
      await deployment.clients.documents.send(
        new UpdateCommand({
          TableName: deployment.resources.ledgerTable,
          Key: { pk: 'record', seq: 7 },
          UpdateExpression: 'SET recordJson = :json',
          ExpressionAttributeValues: { ':json': JSON.stringify(forged) },
        }),
      );
      await expect(deployment.anchor()).toFailWithCode('CHECKPOINT_INCONSISTENT');
      expect((await deployment.anchors.latest())?.treeSize).toBe(7);
      expect(await worm.exists(wormKeysOf(8).checkpoint)).toBe(false);
    });
  });
});

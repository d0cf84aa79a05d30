/**
 * Red team: an account administrator rolls the ledger back, or removes a record, so that
 * what both parties approved silently disappears.
 *
 * Attacker: an administrator of the operator's account. Rights used (no IAM restricts an
 * administrator; the emulators enforce none anyway):
 *   dynamodb:DeleteItem / PutItem  on the Ledger, Anchors and Deposits tables
 *   s3:PutBucketPolicy, then s3:DeleteObject (no version id: a delete marker) on the anchor bucket
 * Not used, and asserted from the synthesized template: the parties' tables, which only each
 * party's own roles may write (and which, in the two-account deployment, live in the
 * custodian's account); the template's anchor bucket policy denies delete markers to every
 * principal, so the attacker must first rewrite that policy (visible in CloudTrail).
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { wormKeysOf } from '../../core/anchor/worm-keys';
import { isLedgerError } from '../../core/errors';
import { WRITE_ONCE_SIDS } from '../../infra/constructs/locked-bucket';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import { AGENCY_PARTY_TABLE, CUSTODIAN_PARTY_TABLE } from '../../definitions/pipeline';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import {
  asArray,
  getAtt,
  identityStatements,
  logicalIdOf,
  resourcePolicyStatements,
} from '../infra/support/template-queries';
import { backend, skipBackend } from '../support/deployment-fixture';
import { deploymentOfItsOwn } from '../support/own-deployment';
import { editItem } from '../support/ledger-tampering';

const WRITES = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:*',
];

describe('what the template lets roles do to the parties’ memory and the WORM copies', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;
  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack());
  }, 120_000);

  it('only each party’s own roles may write its table', () => {
    const party = {
      [AGENCY_PARTY_TABLE.id]: 'agency',
      [CUSTODIAN_PARTY_TABLE.id]: 'custodian',
    } as const;
    for (const [tableId, role] of Object.entries(party)) {
      const table = stack.table(
        tableId === AGENCY_PARTY_TABLE.id ? AGENCY_PARTY_TABLE : CUSTODIAN_PARTY_TABLE,
      );
      const arn = JSON.stringify(getAtt(logicalIdOf(stack, table.table)));
      const writers = identityStatements(template)
        .filter(
          ({ statement }) =>
            statement.Effect === 'Allow' &&
            asArray(statement.Action).some((a) => WRITES.includes(a)),
        )
        .filter(({ statement }) =>
          asArray(statement.Resource).some((r) => JSON.stringify(r) === arn),
        )
        .flatMap(({ roles }) => roles.map((r) => JSON.stringify(r)));
      const partyRoles = [
        ...[...stack.functions.values()]
          .filter((fn) => fn.definition.party === role)
          .map((fn) => fn.role),
        stack.cosigners[role].role,
      ].map((r) => JSON.stringify({ Ref: logicalIdOf(stack, r) }));
      expect(new Set(writers)).toEqual(new Set(partyRoles));
    }
  });

  it('the anchor bucket denies every principal a delete marker on checkpoints/*', () => {
    const deny = resourcePolicyStatements(template, 'AWS::S3::BucketPolicy').find(
      ({ statement }) => statement.Sid === WRITE_ONCE_SIDS.removal,
    );
    expect(deny?.statement).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
    });
  });
});

type Failure = { check: string; code: string; seq?: number; treeSize?: number };
type Report = {
  verdict: string;
  failures: Failure[];
  partyCheckpointSizes?: Record<string, number>;
  error?: { code: string };
};

const verifyLedger = async (deployment: LocalDeployment) =>
  (await deployment.auditor({ action: 'verifyLedger', full: true })) as unknown as Report;

const settle = async (deployment: LocalDeployment, prefix: string, count: number) => {
  for (let i = 0; i < count; i++)
    await deployment.upload(`${prefix}/exhibit-${i}.txt`, `${prefix} exhibit ${i}`);
  await deployment.pipeline.runUntilIdle(60_000);
};

const deleteItem = (deployment: LocalDeployment, table: string, key: Record<string, unknown>) =>
  editItem(deployment, table, key, () => null);

/** Removes the record at `seq`, its ledger marker and its mailbox item, as an administrator could. */
async function removeRecord(deployment: LocalDeployment, seq: number): Promise<void> {
  const [record] = await deployment.ledger.read(seq, seq + 1);
  if (!record) throw new Error(`no record ${seq}`);
  await deleteItem(deployment, deployment.resources.ledgerTable, { pk: 'record', seq });
  await deleteItem(deployment, deployment.resources.ledgerTable, {
    pk: `deposit#${record.deposit.depositId}`,
    seq: 0,
  });
  await deleteItem(deployment, deployment.resources.depositsTable, {
    depositId: record.deposit.depositId,
  });
}

/** Steps the head back to `nextSeq`, linked to the record before it. */
async function resetHead(deployment: LocalDeployment, nextSeq: number): Promise<void> {
  const [last] = await deployment.ledger.read(nextSeq - 1, nextSeq);
  await editItem(deployment, deployment.resources.ledgerTable, { pk: 'head', seq: 0 }, (head) => ({
    ...head,
    nextSeq,
    lastHash: last?.recordHash,
  }));
}

/**
 * Checkpoints 3 and 5, co-signed by both parties; then the rollback: records 3 and 4 with
 * every trace of them, checkpoint 5, the head, `latest`.
 */
async function rolledBack(deployment: LocalDeployment): Promise<void> {
  await settle(deployment, 'first', 3);
  await deployment.anchor();
  await settle(deployment, 'second', 2);
  await deployment.anchor();
  await removeRecord(deployment, 4);
  await removeRecord(deployment, 3);
  await resetHead(deployment, 3);
  const latest3 = (await deployment.anchors.list(3, 3))[0];
  await deleteItem(deployment, deployment.resources.anchorsTable, {
    pk: 'checkpoint',
    treeSize: 5,
  });
  await editItem(
    deployment,
    deployment.resources.anchorsTable,
    { pk: 'latest', treeSize: 0 },
    (item) => ({ ...item, latestSize: 3, anchorJson: JSON.stringify(latest3) }),
  );
  await deployment.clients.s3.send(
    new DeleteObjectCommand({
      Bucket: deployment.resources.anchorBucket,
      Key: wormKeysOf(5).checkpoint,
    }),
  );
}

// Every group starts from a rolled-back deployment of its own: the anchor's tests add records,
// which would change what the auditor's tests see.
describe.skipIf(skipBackend)(`the attacks on ${backend.name}`, () => {
  describe('when records and the newest checkpoint are rolled back past what both parties co-signed', () => {
    describe('the auditor', () => {
      const deployment = deploymentOfItsOwn('redteam-rollback', {}, rolledBack);

      it('verifyLedger fails LEDGER_ROLLED_BACK against both parties’ co-signed size', async () => {
        const report = await verifyLedger(deployment());
        expect(report.verdict).toBe('invalid');
        expect(report.partyCheckpointSizes).toEqual({ agency: 5, custodian: 5 });
        const rolledBack = report.failures.filter((f) => f.code === 'LEDGER_ROLLED_BACK');
        expect(rolledBack).toEqual([
          expect.objectContaining({ check: 'party-checkpoint', treeSize: 5 }),
          expect.objectContaining({ check: 'party-checkpoint', treeSize: 5 }),
        ]);
      });

      it('verifyLedger reports the delete marker over checkpoint 5 as CHECKPOINT_HIDDEN', async () => {
        expect((await verifyLedger(deployment())).failures).toContainEqual(
          expect.objectContaining({ code: 'CHECKPOINT_HIDDEN', treeSize: 5 }),
        );
      });

      it('verifyLedger reports both removed evidence versions as EVIDENCE_NOT_RECORDED: the parties signed them', async () => {
        const missing = (await verifyLedger(deployment())).failures.filter(
          (f) => f.code === 'EVIDENCE_NOT_RECORDED',
        );
        expect(missing).toHaveLength(2);
      });
    });

    describe('with one new record', () => {
      const deployment = deploymentOfItsOwn('redteam-rollback-short', {}, rolledBack);

      it('the anchor refuses to carry on over a shorter ledger with LEDGER_ROLLED_BACK', async () => {
        await settle(deployment(), 'third', 1);
        const error: unknown = await deployment()
          .anchor()
          .catch((e: unknown) => e);
        expect(isLedgerError(error, 'LEDGER_ROLLED_BACK')).toBe(true);
      });
    });

    describe('with new records past the co-signed size', () => {
      const deployment = deploymentOfItsOwn('redteam-rollback-refill', {}, async (d) => {
        await rolledBack(d);
        await settle(d, 'refill', 3);
      });

      it('the log it published stops the anchor (LEDGER_ROLLED_BACK) before any party is asked', async () => {
        const error: unknown = await deployment()
          .anchor()
          .catch((e: unknown) => e);
        expect(isLedgerError(error, 'LEDGER_ROLLED_BACK')).toBe(true);
        expect((await deployment().anchors.latest())?.treeSize).toBe(3);
      });
    });

    describe('with new records past the co-signed size and log/checkpoint rewound too', () => {
      const deployment = deploymentOfItsOwn('redteam-rollback-rewound', {}, async (d) => {
        await rolledBack(d);
        await settle(d, 'refill', 3);
      });

      it('each party’s co-signer still refuses the rewritten history (CONSISTENCY_PROOF_INVALID against what it co-signed)', async () => {
        const latest3 = await deployment().anchors.latest();
        // The anchor role may replace log/checkpoint.
        await deployment().clients.s3.send(
          new PutObjectCommand({
            Bucket: deployment().resources.anchorBucket,
            Key: 'log/checkpoint',
            Body: latest3?.checkpointNote ?? '',
          }),
        );
        const error: unknown = await deployment()
          .anchor()
          .catch((e: unknown) => e);
        expect(isLedgerError(error, 'CONSISTENCY_PROOF_INVALID')).toBe(true);
        expect((await deployment().anchors.latest())?.treeSize).toBe(3);
        const cosigned = await deployment().cosignerStates();
        expect([cosigned.agency?.treeSize, cosigned.custodian?.treeSize]).toEqual([5, 5]);
      });
    });
  });
});

/**
 * Records 0-2 anchored at 3, then record 3 appended and removed with DynamoDB writes alone:
 * the record goes, the head steps back; the deposit's traces stay. Returns its deposit id.
 */
async function unanchoredRecordRemoved(deployment: LocalDeployment): Promise<string> {
  for (let i = 0; i < 3; i++) await deployment.upload(`anchored/exhibit-${i}.txt`, `anchored ${i}`);
  await deployment.pipeline.runUntilIdle(60_000);
  await deployment.anchor();
  await deployment.upload('unanchored/exhibit.txt', 'not yet anchored');
  await deployment.pipeline.runUntilIdle(60_000);
  const [record] = await deployment.ledger.read(3, 4);
  await deleteItem(deployment, deployment.resources.ledgerTable, { pk: 'record', seq: 3 });
  await resetHead(deployment, 3);
  return record!.deposit.depositId;
}

describe.skipIf(skipBackend)(`removing an unanchored record on ${backend.name}`, () => {
  describe('when nothing else happened', () => {
    let removed: string;
    const deployment = deploymentOfItsOwn('redteam-removal', {}, async (d) => {
      removed = await unanchoredRecordRemoved(d);
    });

    it('verifyLedger fails RECORD_MISSING at the removed seq', async () => {
      const report = await verifyLedger(deployment());
      expect(report.verdict).toBe('invalid');
      expect(report.failures).toContainEqual(
        expect.objectContaining({ check: 'evidence-record', code: 'RECORD_MISSING', seq: 3 }),
      );
    });

    it('its ledger marker keeps the removed deposit from being appended a second time', async () => {
      const marker = await deployment().ledger.find(removed);
      expect(marker?.recordSeq).toBe(3);
    });
  });

  describe('when a new deposit reuses the seq and is anchored', () => {
    let removed: string;
    const deployment = deploymentOfItsOwn('redteam-removal-reuse', {}, async (d) => {
      removed = await unanchoredRecordRemoved(d);
      await d.upload('unanchored/next.txt', 'takes the freed seq');
      await d.pipeline.runUntilIdle(60_000);
      await d.anchor();
    });

    it('it is caught as RECORD_MISSING: seq 3 holds another deposit', async () => {
      const [reused] = await deployment().ledger.read(3, 4);
      expect(reused?.deposit.depositId).not.toBe(removed);
      const report = await verifyLedger(deployment());
      expect(report.failures).toContainEqual(
        expect.objectContaining({ code: 'RECORD_MISSING', seq: 3 }),
      );
    });

    it('exportBundle of the removed deposit is refused with RECORD_MISSING', async () => {
      const answer = (await deployment().auditor({
        action: 'exportBundle',
        depositIds: [removed],
      })) as unknown as Report;
      expect(answer.error?.code).toBe('RECORD_MISSING');
    });
  });
});

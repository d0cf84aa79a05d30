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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
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

describe.skipIf(skipBackend)(`the attacks on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  const verifyLedger = async () =>
    (await deployment.auditor({ action: 'verifyLedger', full: true })) as unknown as Report;
  const settle = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i++)
      await deployment.upload(`${prefix}/exhibit-${i}.txt`, `${prefix} exhibit ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
  };
  const deleteItem = (table: string, key: Record<string, unknown>) =>
    editItem(deployment, table, key, () => null);
  /** Removes the record at `seq`, its ledger marker and its mailbox item, as an administrator could. */
  async function removeRecord(seq: number, options: { readonly traces: boolean }): Promise<string> {
    const [record] = await deployment.ledger.read(seq, seq + 1);
    if (!record) throw new Error(`no record ${seq}`);
    await deleteItem(deployment.resources.ledgerTable, { pk: 'record', seq });
    if (options.traces) {
      await deleteItem(deployment.resources.ledgerTable, {
        pk: `deposit#${record.deposit.depositId}`,
        seq: 0,
      });
      await deleteItem(deployment.resources.depositsTable, { depositId: record.deposit.depositId });
    }
    return record.deposit.depositId;
  }
  async function resetHead(nextSeq: number): Promise<void> {
    const [last] = await deployment.ledger.read(nextSeq - 1, nextSeq);
    await editItem(
      deployment,
      deployment.resources.ledgerTable,
      { pk: 'head', seq: 0 },
      (head) => ({ ...head, nextSeq, lastHash: last?.recordHash }),
    );
  }

  beforeAll(async () => {
    deployment = await createDeployment('redteam-rollback');
  }, 120_000);
  afterAll(() => deployment?.close());

  describe('when records and the newest checkpoint are rolled back past what both parties co-signed', () => {
    beforeAll(async () => {
      await settle('first', 3);
      await deployment.anchor();
      await settle('second', 2);
      await deployment.anchor();
      // The rollback: records 3 and 4 with every trace of them, checkpoint 5, the head, `latest`.
      await removeRecord(4, { traces: true });
      await removeRecord(3, { traces: true });
      await resetHead(3);
      const latest3 = (await deployment.anchors.list(3, 3))[0];
      await deleteItem(deployment.resources.anchorsTable, { pk: 'checkpoint', treeSize: 5 });
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
    }, 180_000);

    it('verifyLedger fails LEDGER_ROLLED_BACK against both parties’ co-signed size', async () => {
      const report = await verifyLedger();
      expect(report.verdict).toBe('invalid');
      expect(report.partyCheckpointSizes).toEqual({ agency: 5, custodian: 5 });
      const rolledBack = report.failures.filter((f) => f.code === 'LEDGER_ROLLED_BACK');
      expect(rolledBack).toEqual([
        expect.objectContaining({ check: 'party-checkpoint', treeSize: 5 }),
        expect.objectContaining({ check: 'party-checkpoint', treeSize: 5 }),
      ]);
    });

    it('verifyLedger reports the delete marker over checkpoint 5 as CHECKPOINT_HIDDEN', async () => {
      expect((await verifyLedger()).failures).toContainEqual(
        expect.objectContaining({ code: 'CHECKPOINT_HIDDEN', treeSize: 5 }),
      );
    });

    it('verifyLedger reports both removed evidence versions as EVIDENCE_NOT_RECORDED: the parties signed them', async () => {
      const missing = (await verifyLedger()).failures.filter(
        (f) => f.code === 'EVIDENCE_NOT_RECORDED',
      );
      expect(missing).toHaveLength(2);
    });

    it('the anchor refuses to carry on over a shorter ledger with LEDGER_ROLLED_BACK', async () => {
      await settle('third', 1);
      const error: unknown = await deployment.anchor().catch((e: unknown) => e);
      expect(isLedgerError(error, 'LEDGER_ROLLED_BACK')).toBe(true);
    });

    it('and, once new records refill it past the co-signed size, the log it published stops the anchor (LEDGER_ROLLED_BACK) before any party is asked', async () => {
      await settle('fourth', 2);
      const error: unknown = await deployment.anchor().catch((e: unknown) => e);
      expect(isLedgerError(error, 'LEDGER_ROLLED_BACK')).toBe(true);
      expect((await deployment.anchors.latest())?.treeSize).toBe(3);
    });

    it('and with log/checkpoint rewound too (the anchor role may replace it), each party’s co-signer still refuses the rewritten history (CONSISTENCY_PROOF_INVALID against what it co-signed)', async () => {
      const latest3 = await deployment.anchors.latest();
      await deployment.clients.s3.send(
        new PutObjectCommand({
          Bucket: deployment.resources.anchorBucket,
          Key: 'log/checkpoint',
          Body: latest3?.checkpointNote ?? '',
        }),
      );
      const error: unknown = await deployment.anchor().catch((e: unknown) => e);
      expect(isLedgerError(error, 'CONSISTENCY_PROOF_INVALID')).toBe(true);
      expect((await deployment.anchors.latest())?.treeSize).toBe(3);
      const cosigned = await deployment.cosignerStates();
      expect([cosigned.agency?.treeSize, cosigned.custodian?.treeSize]).toEqual([5, 5]);
    });
  });
});

describe.skipIf(skipBackend)(`removing an unanchored record on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let removed: string;
  const verifyLedger = async () =>
    (await deployment.auditor({ action: 'verifyLedger', full: true })) as unknown as Report;

  beforeAll(async () => {
    deployment = await createDeployment('redteam-removal');
    for (let i = 0; i < 3; i++)
      await deployment.upload(`anchored/exhibit-${i}.txt`, `anchored ${i}`);
    await deployment.pipeline.runUntilIdle(60_000);
    await deployment.anchor();
    await deployment.upload('unanchored/exhibit.txt', 'not yet anchored');
    await deployment.pipeline.runUntilIdle(60_000);
    const [record] = await deployment.ledger.read(3, 4);
    removed = record!.deposit.depositId;
    // DynamoDB writes alone: the record goes, the head steps back; the deposit's traces stay.
    await editItem(
      deployment,
      deployment.resources.ledgerTable,
      { pk: 'record', seq: 3 },
      () => null,
    );
    const [last] = await deployment.ledger.read(2, 3);
    await editItem(
      deployment,
      deployment.resources.ledgerTable,
      { pk: 'head', seq: 0 },
      (head) => ({ ...head, nextSeq: 3, lastHash: last?.recordHash }),
    );
  }, 180_000);
  afterAll(() => deployment?.close());

  it('verifyLedger fails RECORD_MISSING at the removed seq', async () => {
    const report = await verifyLedger();
    expect(report.verdict).toBe('invalid');
    expect(report.failures).toContainEqual(
      expect.objectContaining({ check: 'evidence-record', code: 'RECORD_MISSING', seq: 3 }),
    );
  });

  it('a new deposit that reuses the seq is caught as RECORD_MISSING: seq 3 holds another deposit', async () => {
    await deployment.upload('unanchored/next.txt', 'takes the freed seq');
    await deployment.pipeline.runUntilIdle(60_000);
    const [reused] = await deployment.ledger.read(3, 4);
    expect(reused?.deposit.depositId).not.toBe(removed);
    const report = await verifyLedger();
    expect(report.failures).toContainEqual(
      expect.objectContaining({ code: 'RECORD_MISSING', seq: 3 }),
    );
  });

  it('exportBundle of the removed deposit is refused with RECORD_MISSING once seq 3 is anchored', async () => {
    await deployment.anchor();
    const answer = (await deployment.auditor({
      action: 'exportBundle',
      depositIds: [removed],
    })) as unknown as Report;
    expect(answer.error?.code).toBe('RECORD_MISSING');
  });

  it('its ledger marker keeps the removed deposit from being appended a second time', async () => {
    const marker = await deployment.ledger.find(removed);
    expect(marker?.recordSeq).toBe(3);
  });
});

/**
 * Red team: a pipeline role rewrites a deposit's facts in the shared Deposits mailbox, plants
 * a hashing state for a party, or points a signer at a deposit whose object differs, to get
 * both signatures on facts that are not the object's (issue #9, attack 1).
 *
 * Attackers and their rights, from the synthesized template (asserted first):
 *   Hasher        Deposits: GetItem; PutItem, UpdateItem on dynamodb:Attributes [depositId,
 *                 status, bucket, key, versionId, sha256, depositJson, eTag, failureCode,
 *                 failureMessage, createdAt, updatedAt]. AgencyParty: GetItem; PutItem,
 *                 UpdateItem on [pk, depositId, draftJson, hashOffset, hashState, factsJson,
 *                 createdAt, updatedAt], LeadingKeys deposit#*. No kms:Sign.
 *   AgencySigner  Deposits: GetItem; UpdateItem on [depositId, status, depositJson,
 *                 signature_agency, failureCode, failureMessage, updatedAt]. AgencyParty:
 *                 GetItem; PutItem on [pk, depositId, signatureJson, signedAt], LeadingKeys
 *                 signed#*. kms:Sign on the agency key (DIGEST, ECDSA_SHA_256).
 *                 sqs:SendMessage on CustodianSign.
 *   Appender      Deposits: UpdateItem on [depositId, status, seq, recordHash, failureCode,
 *                 failureMessage, updatedAt] (no depositJson).
 *   CustodianSigner (as if compromised, for the planted-checkpoint case only): CustodianParty
 *                 PutItem, UpdateItem on LeadingKeys deposit#*, signed#*.
 * No role but the custodian's own may write CustodianParty; none may write a `hash*` attribute
 * in the mailbox. The emulators do not enforce IAM: each attack below uses only the rights named.
 */
import { UpdateCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Template } from 'aws-cdk-lib/assertions';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fieldsOf } from '../../tools/fakes/deposit-fields';
import { canonicalJson } from '../../core/canonical-json';
import { depositIdFor } from '../../core/deposit-id';
import { CUSTODIAN_STAGE, collectSignature } from '../../core/pipeline/collect-signature';
import { signAttestation } from '../../core/party-signatures';
import type { Deposit } from '../../core/types';
import { custodianSignerDeps } from '../../functions/custodian-signer/custodian-signer';
import { partyDepositKey } from '../../functions/shared/dynamo-party-store';
import { KmsSigner } from '../../functions/shared/kms-signer';
import { resumableSha256 } from '../../functions/shared/sha256-hashers';
import { SqsStageQueue } from '../../functions/shared/sqs-stage-queue';
import {
  AGENCY_PARTY_TABLE,
  CUSTODIAN_PARTY_TABLE,
  CUSTODIAN_SIGNER_FUNCTION,
  DEPOSITS_TABLE,
  WRITABLE_ATTRIBUTES,
} from '../../definitions/pipeline';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack';
import { pipelineEnvironment } from '../../tools/local-runtime/provision-resources';
import type { LocalDeployment } from '../../tools/local-runtime/local-deployment';
import { synthesizeLedgerStack } from '../infra/support/synth-ledger-stack';
import { logicalIdOf } from '../infra/support/template-queries';
import { backend, createDeployment, skipBackend } from '../support/deployment-fixture';
import {
  actionsOn,
  grantsOn,
  roleIds,
  tableWriters,
  wildcardActions,
  writableAttributes,
  type RoleName,
} from '../support/role-rights';
import { stageRunner, type StageRunner } from '../support/stage-runner';

const sorted = (values: readonly string[]) => [...values].sort();

describe('the attackers’ rights in the synthesized stack', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;
  let roles: Record<RoleName, string>;
  const table = (definition: typeof DEPOSITS_TABLE) =>
    logicalIdOf(stack, stack.tables.get(definition)!.table);
  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack());
    roles = roleIds(stack);
  }, 120_000);

  it('only the four pipeline roles write the mailbox, each only its own attributes', () => {
    const deposits = table(DEPOSITS_TABLE);
    expect(tableWriters(template, deposits)).toEqual(
      sorted([roles.hasher, roles.agencySigner, roles.custodianSigner, roles.appender]),
    );
    expect(writableAttributes(template, roles.hasher, deposits)).toEqual(
      sorted(WRITABLE_ATTRIBUTES.deposits.hasher),
    );
    expect(writableAttributes(template, roles.agencySigner, deposits)).toEqual(
      sorted(WRITABLE_ATTRIBUTES.deposits.agencySigner),
    );
    expect(writableAttributes(template, roles.custodianSigner, deposits)).toEqual(
      sorted(WRITABLE_ATTRIBUTES.deposits.custodianSigner),
    );
    expect(writableAttributes(template, roles.appender, deposits)).toEqual(
      sorted(WRITABLE_ATTRIBUTES.deposits.appender),
    );
    expect(actionsOn(template, roles.hasher, deposits)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(actionsOn(template, roles.agencySigner, deposits)).toEqual([
      'dynamodb:GetItem',
      'dynamodb:UpdateItem',
    ]);
  });

  it('depositJson is writable by the hasher and the agency signer only; no hash state by anyone', () => {
    const deposits = table(DEPOSITS_TABLE);
    const factWriters = Object.entries(roles).filter(([, id]) =>
      writableAttributes(template, id, deposits)?.includes('depositJson'),
    );
    expect(factWriters.map(([name]) => name).sort()).toEqual(['agencySigner', 'hasher']);
    for (const id of tableWriters(template, deposits)) {
      expect(
        writableAttributes(template, id, deposits)?.filter((a) => /hash(Offset|State)/i.test(a)),
      ).toEqual([]);
    }
  });

  it('the agency signer holds kms:Sign on the agency key and may send to the custodian’s queue', () => {
    const key = logicalIdOf(stack, stack.signingKeys.agency.key);
    expect(actionsOn(template, roles.agencySigner, key)).toEqual(['kms:Sign']);
    const queue = logicalIdOf(stack, stack.queues.get(CUSTODIAN_SIGNER_FUNCTION.source)!.queue);
    expect(actionsOn(template, roles.agencySigner, queue)).toContain('sqs:SendMessage');
  });

  it('only the agency’s roles write the agency’s table, each within its attributes and partition keys', () => {
    const agency = table(AGENCY_PARTY_TABLE);
    expect(tableWriters(template, agency)).toEqual(
      sorted([roles.hasher, roles.agencySigner, roles.agencyCosigner]),
    );
    expect(writableAttributes(template, roles.hasher, agency)).toEqual(
      sorted(WRITABLE_ATTRIBUTES.party.hasher),
    );
    expect(writableAttributes(template, roles.agencySigner, agency)).toEqual(
      sorted(WRITABLE_ATTRIBUTES.party.agencySigner),
    );
    // Its state item, and one attribute on its party's signature items: where it co-signed each deposit.
    expect(writableAttributes(template, roles.agencyCosigner, agency)).toEqual([
      'cosignedSeq',
      'pk',
      'stateJson',
      'treeSize',
      'updatedAt',
    ]);
    const keys = (role: string) =>
      grantsOn(template, role, agency).flatMap((g) => g.leadingKeys ?? []);
    expect(keys(roles.hasher)).toEqual(['deposit#*']);
    // Its signatures are items of their own: it can neither erase nor rewrite the agency's facts.
    expect(keys(roles.agencySigner)).toEqual(['signed#*']);
    expect(keys(roles.agencyCosigner)).toEqual(['cosigner', 'signed#*']);
  });

  it('only the custodian’s roles write the custodian’s table; no other role but the read-only auditor holds any action on it', () => {
    const custodian = table(CUSTODIAN_PARTY_TABLE);
    expect(tableWriters(template, custodian)).toEqual(
      sorted([roles.custodianSigner, roles.custodianCosigner]),
    );
    for (const [name, id] of Object.entries(roles)) {
      if (name === 'custodianSigner' || name === 'custodianCosigner') continue;
      // The auditor reads what the custodian co-signed and signed, to reconcile the ledger with it.
      expect(actionsOn(template, id, custodian), name).toEqual(
        name === 'auditor' ? ['dynamodb:GetItem'] : [],
      );
    }
    expect(
      grantsOn(template, roles.custodianSigner, custodian).flatMap((g) => g.leadingKeys ?? []),
    ).toEqual(['deposit#*', 'signed#*']);
    expect(
      grantsOn(template, roles.custodianCosigner, custodian).flatMap((g) => g.leadingKeys ?? []),
    ).toEqual(['cosigner', 'signed#*']);
    // The custodian's key is not the agency signer's to use.
    expect(
      actionsOn(template, roles.agencySigner, logicalIdOf(stack, stack.signingKeys.custodian.key)),
    ).toEqual([]);
  });

  it('no role holds a DynamoDB or KMS action on Resource *', () => {
    expect(wildcardActions(template)).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });
});

type Item = Record<string, unknown>;

describe.skipIf(skipBackend)(`the attacks on ${backend.name}`, () => {
  let deployment: LocalDeployment;
  let stages: StageRunner;
  let agencyKey: KmsSigner;
  const bodies = new Map<string, string>();

  /** The mailbox item's fields, read through the adapter's parse. */
  const mailbox = async (depositId: string) => fieldsOf(await deployment.deposits.get(depositId));
  /** An UpdateItem on the mailbox naming only the attributes the attacking role may write. */
  const updateMailbox = async (depositId: string, values: Item, allowed: readonly string[]) => {
    const names = Object.keys(values);
    expect(
      names.every((n) => allowed.includes(n)),
      `${names.join()} within ${allowed.join()}`,
    ).toBe(true);
    await deployment.clients.documents.send(
      new UpdateCommand({
        TableName: deployment.resources.depositsTable,
        Key: { depositId },
        UpdateExpression: `SET ${names.map((_, i) => `#a${i} = :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#a${i}`, n])),
        ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:v${i}`, values[n]])),
      }),
    );
  };
  const upload = async (key: string, body: string, metadata: Record<string, string> = {}) => {
    const versionId = await deployment.upload(key, body, metadata);
    const depositId = depositIdFor({ bucket: deployment.resources.evidenceBucket, key, versionId });
    bodies.set(depositId, body);
    return depositId;
  };
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const recordOf = async (depositId: string) =>
    (await deployment.ledgerRecords()).find((r) => r.deposit.depositId === depositId);
  const forgedFacts = (facts: Deposit): Deposit => ({
    ...facts,
    sha256: sha256('the attacker’s bytes'),
    size: facts.size + 7,
    caseMetadata: { case: 'forged' },
  });
  const settle = async () => {
    for (const stage of ['hasher', 'agencySigner', 'custodianSigner', 'appender'] as const)
      await stages.run(stage);
  };

  beforeAll(async () => {
    deployment = await createDeployment('redteam-facts');
    stages = stageRunner(deployment);
    agencyKey = new KmsSigner(deployment.clients.kms, 'agency', deployment.resources.keys.agency);
  });
  afterAll(() => deployment?.close());

  it('facts rewritten by the hasher before the agency signs are replaced by the agency’s own: appended with the true facts', async () => {
    const depositId = await upload('facts/before-agency.txt', 'genuine exhibit one', {
      case: 'c-1',
    });
    await stages.run('hasher');
    const proposed = (await mailbox(depositId))!.deposit!;
    await updateMailbox(
      depositId,
      { depositJson: canonicalJson(forgedFacts(proposed)), sha256: sha256('x') },
      WRITABLE_ATTRIBUTES.deposits.hasher,
    );
    await settle();
    expect((await mailbox(depositId))?.status).toBe('APPENDED');
    const record = await recordOf(depositId);
    expect(record?.deposit).toMatchObject({
      sha256: sha256('genuine exhibit one'),
      size: 19,
      caseMetadata: { case: 'c-1' },
    });
  });

  it('facts rewritten by the agency signer after it signed are refused by the custodian: SIGNATURE_INVALID, no record', async () => {
    const depositId = await upload('facts/after-agency.txt', 'genuine exhibit two');
    await stages.run('hasher');
    await stages.run('agencySigner');
    const proposed = (await mailbox(depositId))!.deposit!;
    await updateMailbox(
      depositId,
      { depositJson: canonicalJson(forgedFacts(proposed)) },
      WRITABLE_ATTRIBUTES.deposits.agencySigner,
    );
    await settle();
    expect(await mailbox(depositId)).toMatchObject({
      status: 'FAILED',
      failure: { code: 'SIGNATURE_INVALID' },
    });
    expect(await recordOf(depositId)).toBeUndefined();
  });

  it.each([
    [
      'another size and case metadata',
      (f: Deposit) => ({ ...f, size: f.size + 1, caseMetadata: { case: 'forged' } }),
      'FACTS_MISMATCH',
    ],
    [
      'another SHA-256 only',
      (f: Deposit) => ({ ...f, sha256: sha256('the attacker’s bytes') }),
      'DIGEST_MISMATCH',
    ],
  ])(
    'forged facts with %s, re-signed with the agency key the agency signer may use, are refused by the custodian',
    async (label, forge, code) => {
      const depositId = await upload(
        `facts/resigned-${label.length}.txt`,
        `genuine exhibit ${label}`,
      );
      await stages.run('hasher');
      await stages.run('agencySigner');
      const forged = forge((await mailbox(depositId))!.deposit!);
      const signature = await signAttestation(agencyKey, forged);
      await updateMailbox(
        depositId,
        { depositJson: canonicalJson(forged), signature_agency: canonicalJson(signature) },
        WRITABLE_ATTRIBUTES.deposits.agencySigner,
      );
      await settle();
      expect(await mailbox(depositId)).toMatchObject({ status: 'FAILED', failure: { code } });
      expect(await recordOf(depositId)).toBeUndefined();
    },
  );

  it('the appender, which cannot write depositJson, moving a deposit to PENDING_APPEND unsigned gets nothing appended', async () => {
    const depositId = await upload('facts/skip-signers.txt', 'genuine exhibit three');
    await stages.run('hasher');
    await updateMailbox(
      depositId,
      { status: 'PENDING_APPEND' },
      WRITABLE_ATTRIBUTES.deposits.appender,
    );
    await new SqsStageQueue(deployment.clients.sqs, deployment.resources.queues.append.url).send(
      depositId,
    );
    await stages.run('appender');
    expect(await recordOf(depositId)).toBeUndefined();
    // PENDING_APPEND without signatures contradicts itself: every stage's read refuses the item.
    await expect(deployment.deposits.get(depositId)).rejects.toMatchObject({
      code: 'STORAGE_ITEM_CORRUPT',
      details: { depositId },
    });
  });

  describe('planted hash state', () => {
    it('hashOffset_custodian / hashState_custodian on the mailbox (no role may write them) are ignored: the custodian hashes every byte', async () => {
      const body = 'genuine exhibit four, hashed in full';
      const depositId = await upload('facts/planted-mailbox.txt', body);
      await stages.run('hasher');
      await stages.run('agencySigner');
      const other = await resumableSha256(null);
      other.update(new TextEncoder().encode('x'.repeat(body.length)));
      // Beyond every role's rights (asserted above): planted as an administrator would, to show it has no effect.
      await deployment.clients.documents.send(
        new UpdateCommand({
          TableName: deployment.resources.depositsTable,
          Key: { depositId },
          UpdateExpression: 'SET hashOffset_custodian = :o, hashState_custodian = :s',
          ExpressionAttributeValues: { ':o': body.length, ':s': other.save() },
        }),
      );
      await settle();
      expect((await recordOf(depositId))?.deposit.sha256).toBe(sha256(body));
    });

    const plantCustodianCheckpoint = async (depositId: string, draftEdit: (d: Item) => Item) => {
      const proposed = (await mailbox(depositId))!.deposit!;
      const draft: Item = { ...proposed };
      delete draft.sha256;
      const other = await resumableSha256(null);
      other.update(new TextEncoder().encode('y'.repeat(proposed.size)));
      // The custodian signer's own rights: PutItem on CustodianParty, partition key deposit#*.
      await deployment.clients.documents.send(
        new PutCommand({
          TableName: deployment.resources.partyTables.custodian,
          Item: {
            pk: partyDepositKey(depositId),
            depositId,
            draftJson: canonicalJson(draftEdit(draft)),
            hashOffset: proposed.size,
            hashState: other.save(),
          },
        }),
      );
      return custodianSignerDeps(
        pipelineEnvironment(deployment.resources, CUSTODIAN_SIGNER_FUNCTION),
        deployment.clients,
      );
    };

    it('a checkpoint of other facts planted in the custodian’s own table (its role compromised) fails the deposit with PARTY_STATE_CORRUPT', async () => {
      const depositId = await upload('facts/planted-custodian.txt', 'genuine exhibit five');
      await stages.run('hasher');
      await stages.run('agencySigner');
      const deps = await plantCustodianCheckpoint(depositId, (draft) => ({
        ...draft,
        caseMetadata: { case: 'other' },
      }));
      expect(await collectSignature(depositId, CUSTODIAN_STAGE, deps)).toBe('failed');
      expect((await mailbox(depositId))?.failure?.code).toBe('PARTY_STATE_CORRUPT');
      expect(await recordOf(depositId)).toBeUndefined();
    });

    it('a finished checkpoint of other bytes planted for the right facts ends FAILED with DIGEST_MISMATCH', async () => {
      const depositId = await upload('facts/planted-custodian-bytes.txt', 'genuine exhibit six');
      await stages.run('hasher');
      await stages.run('agencySigner');
      const deps = await plantCustodianCheckpoint(depositId, (draft) => draft);
      expect(await collectSignature(depositId, CUSTODIAN_STAGE, deps)).toBe('failed');
      expect(await mailbox(depositId)).toMatchObject({
        status: 'FAILED',
        failure: { code: 'DIGEST_MISMATCH' },
      });
      expect(await recordOf(depositId)).toBeUndefined();
    });
  });

  describe('a signer asked to sign for a deposit whose object differs (agency signer’s rights)', () => {
    const twoSignedByAgency = async (label: string) => {
      const a = await upload(`differs/${label}-a.txt`, `exhibit ${label} A`);
      const b = await upload(`differs/${label}-b.txt`, `exhibit ${label} B, longer`);
      await stages.run('hasher');
      await stages.run('agencySigner');
      return { a, b, stateB: (await mailbox(b))! };
    };
    const toCustodian = (depositId: string) =>
      new SqsStageQueue(deployment.clients.sqs, deployment.resources.queues.custodianSign.url).send(
        depositId,
      );

    it('the mailbox item of A carrying B’s agency-signed facts: DEPOSIT_ID_MISMATCH, neither appended with the other’s facts', async () => {
      const { a, b, stateB } = await twoSignedByAgency('swap');
      await updateMailbox(
        a,
        {
          depositJson: canonicalJson(stateB.deposit),
          signature_agency: canonicalJson(stateB.signatures.agency),
        },
        WRITABLE_ATTRIBUTES.deposits.agencySigner,
      );
      await toCustodian(a);
      await settle();
      expect(await mailbox(a)).toMatchObject({
        status: 'FAILED',
        failure: { code: 'DEPOSIT_ID_MISMATCH' },
      });
      expect(await recordOf(a)).toBeUndefined();
      expect((await recordOf(b))?.deposit.sha256).toBe(sha256(bodies.get(b)!));
    });

    it('A’s facts with B’s size and SHA-256, re-signed with the agency key: FACTS_MISMATCH', async () => {
      const { a, stateB } = await twoSignedByAgency('facts');
      const forged = {
        ...(await mailbox(a))!.deposit!,
        size: stateB.deposit!.size,
        sha256: stateB.deposit!.sha256,
      };
      await updateMailbox(
        a,
        {
          depositJson: canonicalJson(forged),
          signature_agency: canonicalJson(await signAttestation(agencyKey, forged)),
        },
        WRITABLE_ATTRIBUTES.deposits.agencySigner,
      );
      await settle();
      expect(await mailbox(a)).toMatchObject({
        status: 'FAILED',
        failure: { code: 'FACTS_MISMATCH' },
      });
      expect(await recordOf(a)).toBeUndefined();
    });

    it('an item created by UpdateItem for a version in another bucket, sent to the custodian: DEPOSIT_ID_MISMATCH', async () => {
      const { stateB } = await twoSignedByAgency('bucket');
      const elsewhere = {
        bucket: 'another-bucket-the-role-can-read',
        key: stateB.deposit!.key,
        versionId: stateB.deposit!.versionId,
      };
      const forged = { ...stateB.deposit!, ...elsewhere, depositId: depositIdFor(elsewhere) };
      await updateMailbox(
        forged.depositId,
        {
          status: 'PENDING_CUSTODIAN_SIGNATURE',
          depositJson: canonicalJson(forged),
          signature_agency: canonicalJson(await signAttestation(agencyKey, forged)),
        },
        WRITABLE_ATTRIBUTES.deposits.agencySigner,
      );
      await toCustodian(forged.depositId);
      await settle();
      expect(await mailbox(forged.depositId)).toMatchObject({
        status: 'FAILED',
        failure: { code: 'DEPOSIT_ID_MISMATCH' },
      });
      expect(await recordOf(forged.depositId)).toBeUndefined();
    });
  });

  it('every record in the ledger carries the facts of its object’s bytes', async () => {
    // One genuine deposit of its own, so that alone this test checks a record too.
    const genuine = await upload('facts/genuine.txt', 'a genuine exhibit, never attacked');
    await settle();
    expect(await recordOf(genuine)).toBeDefined();
    for (const record of await deployment.ledgerRecords()) {
      expect(record.deposit.sha256).toBe(sha256(bodies.get(record.deposit.depositId)!));
    }
  });
});

/**
 * Keys that only their party can use, and checkpoints nobody can hide or replace: walks the
 * synthesized key and bucket policies, per signing key, and proves who may kms:Sign and
 * that every other principal meets an explicit Deny.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AccountPrincipal, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHECKPOINTS_PREFIX,
  LOG_CHECKPOINT_KEY,
  LOG_PREFIX,
  LOG_TILES_PREFIX,
} from '../../infra/constructs/anchor-function.js';
import { REPOSITORY_ROOT } from '../../infra/constructs/ledger-function.js';
import { REPLACED_KEY_SIDS, WRITE_ONCE_SIDS } from '../../infra/constructs/locked-bucket.js';
import type { Party } from '../../infra/constructs/party-signing-key.js';
import {
  KEY_ADMINISTRATION_ACTIONS,
  KEY_POLICY_SIDS,
  PartySigningKey,
} from '../../infra/constructs/party-signing-key.js';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack.js';
import {
  actionCovers,
  awsPrincipals,
  denialsToEveryone,
  identityAllows,
  keyPolicyAllows,
  keyPolicyOf,
  roleArnJson,
  signDenyExemptions,
  statementCovers,
} from './support/signing-rights.js';
import { synthesizeLedgerStack } from './support/synth-ledger-stack.js';
import type { PolicyStatementJson } from './support/template-queries.js';
import {
  asArray,
  getAtt,
  identityStatements,
  logicalIdOf,
  resourcePolicyStatements,
  resourcesOfType,
} from './support/template-queries.js';

const json = (value: unknown) => JSON.stringify(value);
const ROOT = json({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root'],
  ],
});
/** Actions the account's administrators must not get from a signing key's policy. */
const NEVER_TO_ADMINISTRATORS = ['kms:Sign', 'kms:CreateGrant', 'kms:Verify', 'kms:ReplicateKey'];

function statementBySid(template: Template, keyId: string, sid: string): PolicyStatementJson {
  const statement = keyPolicyOf(template, keyId).find((s) => s.Sid === sid);
  if (statement === undefined) throw new Error(`no ${sid} in the policy of ${keyId}`);
  return statement;
}

/** The properties every created signing key's policy has, whoever the signers are. */
function expectSigningKeyPolicy(template: Template, keyId: string, signers: readonly string[]) {
  const expected = [...signers].sort();
  // Exactly the party's roles are allowed to sign, in the key policy and in IAM.
  expect(keyPolicyAllows(template, keyId, 'kms:Sign')).toEqual(expected);
  expect(identityAllows(template, keyId, 'kms:Sign')).toEqual(expected);
  // Everyone else meets an explicit Deny that exempts exactly those roles.
  expect(signDenyExemptions(template, keyId)).toEqual(expected);
  // The root administers the key without being able to sign or delegate signing.
  const administration = statementBySid(template, keyId, KEY_POLICY_SIDS.administration);
  expect(awsPrincipals(administration)).toEqual([ROOT]);
  expect(asArray(administration.Action).sort()).toEqual([...KEY_ADMINISTRATION_ACTIONS].sort());
  for (const pattern of asArray(administration.Action)) {
    for (const action of NEVER_TO_ADMINISTRATORS) expect(actionCovers(pattern, action)).toBe(false);
  }
  expect(keyPolicyAllows(template, keyId, 'kms:CreateGrant')).toEqual([]);
  const denyGrants = denialsToEveryone(template, keyId, 'kms:CreateGrant');
  expect(denyGrants.map(({ Sid, Condition }) => [Sid, Condition])).toEqual([
    [KEY_POLICY_SIDS.denyGrants, undefined],
  ]);
  // ...and only ECDSA_SHA_256 over a digest, whoever signs.
  expect(statementBySid(template, keyId, KEY_POLICY_SIDS.denyAlgorithms)).toMatchObject({
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 'kms:Sign',
    Condition: { StringNotEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256' } },
  });
  expect(statementBySid(template, keyId, KEY_POLICY_SIDS.denyMessageTypes)).toMatchObject({
    Effect: 'Deny',
    Principal: { AWS: '*' },
    Action: 'kms:Sign',
    Condition: { StringNotEquals: { 'kms:MessageType': 'DIGEST' } },
  });
}

describe('a party signing key in a stack of its own', () => {
  let stack: Stack;
  let template: Template;
  const ids: Record<'key' | 'idleKey' | 'signer' | 'cosigner' | 'verifier' | 'other', string> = {
    key: '',
    idleKey: '',
    signer: '',
    cosigner: '',
    verifier: '',
    other: '',
  };

  beforeAll(() => {
    stack = new Stack(new App({ context: { '@aws-cdk/aws-iam:minimizePolicies': true } }), 'Keys');
    const role = (id: string) =>
      new Role(stack, id, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const [signer, cosigner, verifier] = [role('Signer'), role('Cosigner'), role('Verifier')];
    const other = new Role(stack, 'Administrator', { assumedBy: new AccountPrincipal('1') });
    const key = new PartySigningKey(stack, 'AgencyKey', { party: 'agency', alias: 'alias/a' });
    key.allowSigningBy([signer, cosigner]);
    key.grantGetPublicKey(verifier);
    const idleKey = new PartySigningKey(stack, 'IdleKey', { party: 'custodian', alias: 'alias/c' });
    template = Template.fromStack(stack);
    Object.assign(ids, {
      key: logicalIdOf(stack, key.key),
      idleKey: logicalIdOf(stack, idleKey.key),
      signer: logicalIdOf(stack, signer),
      cosigner: logicalIdOf(stack, cosigner),
      verifier: logicalIdOf(stack, verifier),
      other: logicalIdOf(stack, other),
    });
  });

  it('lets exactly the roles passed to allowSigningBy sign, and denies everyone else', () => {
    expectSigningKeyPolicy(template, ids.key, [roleArnJson(ids.signer), roleArnJson(ids.cosigner)]);
  });

  it('allows signing only with ECDSA_SHA_256 over a digest, in the key policy and in IAM', () => {
    const conditions = { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' };
    expect(statementBySid(template, ids.key, KEY_POLICY_SIDS.partySigns).Condition).toEqual({
      StringEquals: conditions,
    });
    const inIam = identityStatements(template).filter(({ statement }) =>
      asArray(statement.Action).includes('kms:Sign'),
    );
    expect(inIam).toHaveLength(2);
    for (const { statement } of inIam) {
      expect(statement.Condition).toEqual({ StringEquals: conditions });
    }
  });

  it('replaces the default kms:* for the account root', () => {
    for (const keyId of [ids.key, ids.idleKey]) {
      const actions = keyPolicyOf(template, keyId).flatMap((s) => asArray(s.Action));
      expect(actions).not.toContain('kms:*');
    }
  });

  it('leaves a verifier kms:GetPublicKey and nothing more', () => {
    expect(identityAllows(template, ids.key, 'kms:GetPublicKey')).toEqual([
      roleArnJson(ids.verifier),
    ]);
    expect(identityAllows(template, ids.key, 'kms:Sign')).not.toContain(roleArnJson(ids.verifier));
  });

  it('gives an administrator role of the account nothing that can sign', () => {
    expect(identityAllows(template, ids.key, 'kms:Sign')).not.toContain(roleArnJson(ids.other));
    expect(signDenyExemptions(template, ids.key)).not.toContain(roleArnJson(ids.other));
  });

  describe('when no role was allowed to sign', () => {
    it('denies kms:Sign to every principal without exception', () => {
      expectSigningKeyPolicy(template, ids.idleKey, []);
      const [deny] = denialsToEveryone(template, ids.idleKey, 'kms:Sign').filter(
        ({ Sid }) => Sid === KEY_POLICY_SIDS.denyOthers,
      );
      expect(deny?.Condition).toBeUndefined();
    });
  });

  describe('when the key is another account’s', () => {
    it('creates no key and adds only the identity-policy half, with the same conditions', () => {
      const external = new Stack(new App(), 'External');
      const signer = new Role(external, 'Signer', {
        assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      });
      const arn = 'arn:aws:kms:eu-west-1:444455556666:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
      new PartySigningKey(external, 'Key', {
        party: 'custodian',
        alias: 'alias/c',
        externalKeyArn: arn,
      }).allowSigningBy([signer]);
      const externalTemplate = Template.fromStack(external);
      expect(resourcesOfType(externalTemplate, 'AWS::KMS::Key')).toEqual([]);
      expect(identityStatements(externalTemplate).map(({ statement }) => statement)).toContainEqual(
        {
          Effect: 'Allow',
          Action: 'kms:Sign',
          Resource: arn,
          Condition: {
            StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' },
          },
        },
      );
    });
  });
});

describe('the example key policy for a party’s own key (docs/examples)', () => {
  const example = JSON.parse(
    readFileSync(
      path.join(REPOSITORY_ROOT, 'docs/examples/external-party-key-policy.json'),
      'utf8',
    ),
  ) as { Statement: PolicyStatementJson[] };
  const bySid = (sid: string) => example.Statement.find((statement) => statement.Sid === sid);

  it('has the shape of the policy the stack gives its own keys', () => {
    const administration = bySid(KEY_POLICY_SIDS.administration);
    expect(asArray(administration?.Action ?? []).sort()).toEqual(
      [...KEY_ADMINISTRATION_ACTIONS].sort(),
    );
    const signers = example.Statement.filter(
      (statement) => statement.Effect === 'Allow' && statementCovers(statement, 'kms:Sign'),
    );
    expect(signers.map(({ Sid }) => Sid)).toEqual([KEY_POLICY_SIDS.partySigns]);
    const deny = bySid(KEY_POLICY_SIDS.denyOthers);
    expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Sign' });
    expect(deny?.Condition).toEqual({
      ArnNotEquals: {
        'aws:PrincipalArn': awsPrincipals(signers[0] as PolicyStatementJson).map(
          (p) => JSON.parse(p) as unknown,
        ),
      },
    });
    for (const sid of [
      KEY_POLICY_SIDS.denyAlgorithms,
      KEY_POLICY_SIDS.denyMessageTypes,
      KEY_POLICY_SIDS.denyGrants,
    ]) {
      expect(bySid(sid)?.Effect).toBe('Deny');
    }
  });

  it('gives the anchor role no kms:Sign', () => {
    const signers = example.Statement.filter(
      (statement) => statement.Effect === 'Allow' && statementCovers(statement, 'kms:Sign'),
    ).flatMap(awsPrincipals);
    expect(signers.filter((arn) => arn.includes('Anchor'))).toEqual([]);
  });
});

describe('the production stack', () => {
  let stack: EvidenceLedgerStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeLedgerStack());
  }, 120_000);

  const keyId = (party: Party) => logicalIdOf(stack, stack.signingKeys[party].key);

  describe.each(['agency', 'custodian'] as const)('the %s signing key', (party) => {
    it('is usable for kms:Sign by exactly the roles its key policy exempts from its Deny', () => {
      const signers = keyPolicyAllows(template, keyId(party), 'kms:Sign');
      expect(signers.length).toBeGreaterThan(0);
      expectSigningKeyPolicy(template, keyId(party), signers);
    });
  });

  describe('the anchor bucket', () => {
    const under = (suffix: string) => ({
      'Fn::Join': ['', [getAtt(logicalIdOf(stack, stack.anchorBucket.bucket)), `/${suffix}`]],
    });
    const writeOnce = () => json([under(`${CHECKPOINTS_PREFIX}*`), under(`${LOG_TILES_PREFIX}*`)]);
    const denyOf = (bucket: typeof stack.anchorBucket, sid: string) =>
      resourcePolicyStatements(template, 'AWS::S3::BucketPolicy').find(
        ({ properties, statement }) =>
          json(properties.Bucket) === json({ Ref: logicalIdOf(stack, bucket.bucket) }) &&
          statement.Sid === sid,
      )?.statement;

    it('denies every principal delete markers and version deletions on checkpoints/* and log/tile/*', () => {
      const deny = denyOf(stack.anchorBucket, WRITE_ONCE_SIDS.removal);
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
      });
      expect(deny?.Condition).toBeUndefined();
      expect(json(deny?.Resource)).toBe(writeOnce());
    });

    it('denies every principal a write on checkpoints/* and log/tile/* without If-None-Match', () => {
      const deny = denyOf(stack.anchorBucket, WRITE_ONCE_SIDS.overwrites);
      expect(deny).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: { Null: { 's3:if-none-match': 'true' } },
      });
      expect(json(deny?.Resource)).toBe(writeOnce());
    });

    it('lets only the anchor write log/checkpoint, and nobody remove it', () => {
      const others = denyOf(stack.anchorBucket, REPLACED_KEY_SIDS.otherWriters);
      expect(others).toMatchObject({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
        Condition: {
          ArnNotEquals: {
            'aws:PrincipalArn': getAtt(logicalIdOf(stack, stack.anchorFunction.role)),
          },
        },
      });
      expect(json(others?.Resource)).toBe(json(under(LOG_CHECKPOINT_KEY)));
      const removal = denyOf(stack.anchorBucket, REPLACED_KEY_SIDS.removal);
      expect(removal).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
      expect(removal?.Condition).toBeUndefined();
      expect(json(removal?.Resource)).toBe(json(under(LOG_CHECKPOINT_KEY)));
    });

    it('lets the anchor and the auditor list versions and delete markers under checkpoints/ and log/ only', () => {
      for (const fn of [stack.anchorFunction, stack.auditorFunction]) {
        const lists = identityStatements(template).filter(
          ({ roles, statement }) =>
            json(roles) === json([{ Ref: logicalIdOf(stack, fn.role) }]) &&
            asArray(statement.Action).includes('s3:ListBucketVersions') &&
            json(statement.Resource) ===
              json(getAtt(logicalIdOf(stack, stack.anchorBucket.bucket))),
        );
        expect(lists.map(({ statement }) => statement)).toEqual([
          {
            Effect: 'Allow',
            Action: 's3:ListBucketVersions',
            Resource: getAtt(logicalIdOf(stack, stack.anchorBucket.bucket)),
            Condition: { StringLike: { 's3:prefix': `${CHECKPOINTS_PREFIX}*` } },
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucketVersions',
            Resource: getAtt(logicalIdOf(stack, stack.anchorBucket.bucket)),
            Condition: { StringLike: { 's3:prefix': `${LOG_PREFIX}*` } },
          },
        ]);
      }
    });

    it('is the only bucket with those denies: evidence uploads are not conditional writes', () => {
      for (const sid of Object.values(WRITE_ONCE_SIDS)) {
        expect(denyOf(stack.evidenceBucket, sid)).toBeUndefined();
      }
    });
  });

  /**
   * The final property of issue #9: only a party's own roles sign with its key, and the
   * anchor signs with neither. Expected to fail until the stack is rewired (the anchor still
   * co-signs checkpoints with both keys). A party's roles are those whose construct id starts
   * with its name (AgencySigner, AgencyCosigner, ...).
   */
  describe('stack wiring (lead)', () => {
    const partyPrefix = { agency: 'Agency', custodian: 'Custodian' } as const;
    const roleIdsOf = (party: Party) =>
      resourcesOfType(template, 'AWS::IAM::Role')
        .map(([id]) => id)
        .filter((id) => id.startsWith(partyPrefix[party]))
        .map(roleArnJson);

    it.each(['agency', 'custodian'] as const)(
      'lets only the %s’s own roles sign with its key',
      (party) => {
        const signers = keyPolicyAllows(template, keyId(party), 'kms:Sign');
        expect(signers.length).toBeGreaterThan(0);
        const own = new Set(roleIdsOf(party));
        expect(signers.filter((signer) => !own.has(signer))).toEqual([]);
        expect(signDenyExemptions(template, keyId(party))).toEqual(signers);
        expect(identityAllows(template, keyId(party), 'kms:Sign')).toEqual(signers);
      },
    );

    it('gives the anchor role no kms:Sign in any IAM policy nor key policy', () => {
      const anchorRole = logicalIdOf(stack, stack.anchorFunction.role);
      const inIam = identityStatements(template).filter(
        ({ roles, statement }) =>
          json(roles).includes(json({ Ref: anchorRole })) &&
          asArray(statement.Action).some((action) => actionCovers(action, 'kms:Sign')),
      );
      expect(inIam).toEqual([]);
      for (const party of ['agency', 'custodian'] as const) {
        expect(keyPolicyAllows(template, keyId(party), 'kms:Sign')).not.toContain(
          roleArnJson(anchorRole),
        );
      }
    });
  });
});

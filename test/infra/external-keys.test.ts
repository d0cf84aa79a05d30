/**
 * A party's key in its own account: the stack creates no key for that party, grants
 * kms:Sign on exactly the given ARN to that party's signer and co-signer only, and never
 * edits the key. The same synth checks the other context-driven settings (GOVERNANCE mode
 * for test environments, retention, uploaders, auditors, the TSA).
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
} from '../../definitions/pipeline.js';
import type { EvidenceLedgerStack } from '../../infra/evidence-ledger-stack.js';
import { synthesizeLedgerStack } from './support/synth-ledger-stack.js';
import {
  asArray,
  getAtt,
  identityStatements,
  logicalIdOf,
  propertiesOf,
  resourcePolicyStatements,
  resourcesOfType,
  statementsOfRole,
} from './support/template-queries.js';

const CUSTODIAN_KEY_ARN =
  'arn:aws:kms:eu-west-1:444455556666:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const UPLOADER_ARN = 'arn:aws:iam::777788889999:role/CaseEvidenceUploader';
const AUDITOR_ROLE_ARN = 'arn:aws:iam::111122223333:role/audit/ExternalAuditor';
const AUDITOR_USER_ARN = 'arn:aws:iam::111122223333:user/court-clerk';
const TSA_URL = 'https://tsa.example.org/rfc3161';
/** A certificate's shape, not a real one: the stack passes the PEM through unparsed. */
const TSA_CERTIFICATE_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBexample=\n-----END CERTIFICATE-----\n';

let stack: EvidenceLedgerStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synthesizeLedgerStack({
    context: {
      custodianKeyArn: CUSTODIAN_KEY_ARN,
      evidenceRetentionMode: 'GOVERNANCE',
      evidenceRetentionDays: '30',
      uploaderPrincipalArns: UPLOADER_ARN,
      auditorPrincipalArns: [AUDITOR_ROLE_ARN, AUDITOR_USER_ARN].join(','),
      tsaUrl: TSA_URL,
      tsaCertificatePem: TSA_CERTIFICATE_PEM,
    },
  }));
}, 120_000);

const roleOf = (definition: typeof APPENDER_FUNCTION) =>
  logicalIdOf(stack, stack.ledgerFunction(definition).role);

describe('with the custodian’s key given as an external ARN', () => {
  it('creates only the agency’s signing key', () => {
    const signingKeys = resourcesOfType(template, 'AWS::KMS::Key').filter(
      ([, key]) => key.Properties?.KeyUsage === 'SIGN_VERIFY',
    );
    expect(signingKeys.map(([id]) => id)).toEqual([
      logicalIdOf(stack, stack.signingKeys.agency.key),
    ]);
  });

  it('grants kms:Sign on exactly that ARN, to the custodian signer and co-signer only', () => {
    const onExternal = identityStatements(template).filter(({ statement }) =>
      JSON.stringify(statement.Resource).includes(CUSTODIAN_KEY_ARN),
    );
    const signs = onExternal.filter(({ statement }) =>
      asArray(statement.Action).includes('kms:Sign'),
    );
    expect(
      signs.map(({ roles, statement }) => [roles, statement.Action, statement.Resource]),
    ).toEqual([
      [[{ Ref: roleOf(CUSTODIAN_SIGNER_FUNCTION) }], 'kms:Sign', CUSTODIAN_KEY_ARN],
      [[{ Ref: logicalIdOf(stack, stack.cosigners.custodian.role) }], 'kms:Sign', CUSTODIAN_KEY_ARN],
    ]);
    expect(
      JSON.stringify(statementsOfRole(template, roleOf(AGENCY_SIGNER_FUNCTION))),
    ).not.toContain(CUSTODIAN_KEY_ARN);
  });

  it('gives the appender kms:GetPublicKey on that ARN and the agency key', () => {
    expect(statementsOfRole(template, roleOf(APPENDER_FUNCTION))).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:GetPublicKey',
      Resource: [CUSTODIAN_KEY_ARN, getAtt(logicalIdOf(stack, stack.signingKeys.agency.key))],
    });
  });

  it('passes that ARN to the custodian signer and the appender', () => {
    for (const definition of [CUSTODIAN_SIGNER_FUNCTION, APPENDER_FUNCTION]) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { CUSTODIAN_KEY_ID: CUSTODIAN_KEY_ARN } },
        Role: getAtt(roleOf(definition)),
      });
    }
  });
});

describe('with GOVERNANCE mode and 30 days (a test environment)', () => {
  it('locks evidence in GOVERNANCE mode for 30 days, and anchors still in COMPLIANCE', () => {
    const retention = (id: string) => propertiesOf(template, id).ObjectLockConfiguration;
    expect(retention(logicalIdOf(stack, stack.evidenceBucket.bucket))).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect(retention(logicalIdOf(stack, stack.anchorBucket.bucket))).toMatchObject({
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE' } },
    });
  });
});

describe('with an uploader principal', () => {
  it('lets it put objects (bucket policy) and use the storage key only through S3 (key policy)', () => {
    const bucketAllows = resourcePolicyStatements(template, 'AWS::S3::BucketPolicy').filter(
      ({ statement }) =>
        statement.Effect === 'Allow' && JSON.stringify(statement.Principal).includes(UPLOADER_ARN),
    );
    expect(bucketAllows.map(({ statement }) => statement.Action)).toEqual(['s3:PutObject']);
    const keyAllows = resourcePolicyStatements(template, 'AWS::KMS::Key').filter(({ statement }) =>
      JSON.stringify(statement.Principal).includes(UPLOADER_ARN),
    );
    expect(keyAllows).toHaveLength(1);
    expect(keyAllows[0]?.statement).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() as unknown } },
    });
  });
});

describe('with auditor principals and a TSA', () => {
  it('attaches the EvidenceAuditor policy to exactly the listed role and user', () => {
    const policy = resourcesOfType(template, 'AWS::IAM::ManagedPolicy').find(
      ([, resource]) =>
        resource.Properties?.ManagedPolicyName === 'evidence-ledger-EvidenceAuditor',
    );
    expect(policy?.[1].Properties).toMatchObject({
      Roles: ['ExternalAuditor'],
      Users: ['court-clerk'],
    });
  });

  it('passes the TSA URL to the anchor and its certificate to the anchor and the auditor', () => {
    const variables = (fn: typeof stack.anchorFunction | typeof stack.auditorFunction) =>
      (
        propertiesOf(template, logicalIdOf(stack, fn.function)).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(variables(stack.anchorFunction).TSA_URL).toBe(TSA_URL);
    expect(variables(stack.anchorFunction).TSA_CERTIFICATE_PEM).toBe(TSA_CERTIFICATE_PEM);
    expect(variables(stack.auditorFunction).TSA_CERTIFICATE_PEM).toBe(TSA_CERTIFICATE_PEM);
  });
});

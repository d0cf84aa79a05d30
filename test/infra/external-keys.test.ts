/**
 * A party's key in its own account: the ledger.stack creates no key for that party, grants
 * kms:Sign on exactly the given ARN to that party's signer and co-signer only, and never
 * edits the key. The same synth checks the other context-driven settings (GOVERNANCE mode
 * for test environments, retention, uploaders, auditors, the TSA).
 */
import { describe, expect, it } from 'vitest';
import {
  AGENCY_SIGNER_FUNCTION,
  APPENDER_FUNCTION,
  CUSTODIAN_SIGNER_FUNCTION,
} from '../../definitions/pipeline.js';
import { synthesizeOnce } from './support/synth-ledger-stack.js';
import { asArray, getAtt } from './support/template-queries.js';

const CUSTODIAN_KEY_ARN =
  'arn:aws:kms:eu-west-1:444455556666:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const UPLOADER_ARN = 'arn:aws:iam::777788889999:role/CaseEvidenceUploader';
const AUDITOR_ROLE_ARN = 'arn:aws:iam::111122223333:role/audit/ExternalAuditor';
const AUDITOR_USER_ARN = 'arn:aws:iam::111122223333:user/court-clerk';
const TSA_URL = 'https://tsa.example.org/rfc3161';
/** A certificate's shape, not a real one: the ledger.stack passes the PEM through unparsed. */
const TSA_CERTIFICATE_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBexample=\n-----END CERTIFICATE-----\n';

const ledger = synthesizeOnce({
  context: {
    custodianKeyArn: CUSTODIAN_KEY_ARN,
    evidenceRetentionMode: 'GOVERNANCE',
    evidenceRetentionDays: '30',
    uploaderPrincipalArns: UPLOADER_ARN,
    auditorPrincipalArns: [AUDITOR_ROLE_ARN, AUDITOR_USER_ARN].join(','),
    tsaUrl: TSA_URL,
    tsaCertificatePem: TSA_CERTIFICATE_PEM,
  },
});

const roleOf = (definition: typeof APPENDER_FUNCTION) =>
  ledger.id(ledger.stack.ledgerFunction(definition).role);

describe('with the custodian’s key given as an external ARN', () => {
  it('creates only the agency’s signing key', () => {
    const signingKeys = ledger
      .resourcesOfType('AWS::KMS::Key')
      .filter(([, key]) => key.Properties?.KeyUsage === 'SIGN_VERIFY');
    expect(signingKeys.map(([id]) => id)).toEqual([ledger.id(ledger.stack.signingKeys.agency.key)]);
  });

  it('grants kms:Sign on exactly that ARN, to the custodian signer and co-signer only', () => {
    const onExternal = ledger
      .identityStatements()
      .filter(({ statement }) => JSON.stringify(statement.Resource).includes(CUSTODIAN_KEY_ARN));
    const signs = onExternal.filter(({ statement }) =>
      asArray(statement.Action).includes('kms:Sign'),
    );
    expect(
      signs.map(({ roles, statement }) => [roles, statement.Action, statement.Resource]),
    ).toEqual([
      [[{ Ref: roleOf(CUSTODIAN_SIGNER_FUNCTION) }], 'kms:Sign', CUSTODIAN_KEY_ARN],
      [[{ Ref: ledger.id(ledger.stack.cosigners.custodian.role) }], 'kms:Sign', CUSTODIAN_KEY_ARN],
    ]);
    expect(JSON.stringify(ledger.statementsOfRole(roleOf(AGENCY_SIGNER_FUNCTION)))).not.toContain(
      CUSTODIAN_KEY_ARN,
    );
  });

  it('gives the appender kms:GetPublicKey on that ARN and the agency key', () => {
    expect(ledger.statementsOfRole(roleOf(APPENDER_FUNCTION))).toContainEqual({
      Effect: 'Allow',
      Action: 'kms:GetPublicKey',
      Resource: [CUSTODIAN_KEY_ARN, getAtt(ledger.id(ledger.stack.signingKeys.agency.key))],
    });
  });

  it('passes that ARN to the custodian signer and the appender', () => {
    for (const definition of [CUSTODIAN_SIGNER_FUNCTION, APPENDER_FUNCTION]) {
      ledger.template.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: { CUSTODIAN_KEY_ID: CUSTODIAN_KEY_ARN } },
        Role: getAtt(roleOf(definition)),
      });
    }
  });
});

describe('with GOVERNANCE mode and 30 days (a test environment)', () => {
  it('locks evidence in GOVERNANCE mode for 30 days, and anchors still in COMPLIANCE', () => {
    const retention = (id: string) => ledger.propertiesOf(id).ObjectLockConfiguration;
    expect(retention(ledger.id(ledger.stack.evidenceBucket.bucket))).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
    });
    expect(retention(ledger.id(ledger.stack.anchorBucket.bucket))).toMatchObject({
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE' } },
    });
  });
});

describe('with an uploader principal', () => {
  it('lets it put objects (bucket policy) and use the storage key only through S3 (key policy)', () => {
    const bucketAllows = ledger
      .resourcePolicyStatements('AWS::S3::BucketPolicy')
      .filter(
        ({ statement }) =>
          statement.Effect === 'Allow' &&
          JSON.stringify(statement.Principal).includes(UPLOADER_ARN),
      );
    expect(bucketAllows.map(({ statement }) => statement.Action)).toEqual(['s3:PutObject']);
    const keyAllows = ledger
      .resourcePolicyStatements('AWS::KMS::Key')
      .filter(({ statement }) => JSON.stringify(statement.Principal).includes(UPLOADER_ARN));
    expect(keyAllows).toHaveLength(1);
    expect(keyAllows[0]?.statement).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Condition: { StringEquals: { 'kms:ViaService': expect.anything() as unknown } },
    });
  });
});

describe('with auditor principals and a TSA', () => {
  it('attaches the EvidenceAuditor policy to exactly the listed role and user', () => {
    const policy = ledger
      .resourcesOfType('AWS::IAM::ManagedPolicy')
      .find(
        ([, resource]) =>
          resource.Properties?.ManagedPolicyName === 'evidence-ledger-EvidenceAuditor',
      );
    expect(policy?.[1].Properties).toMatchObject({
      Roles: ['ExternalAuditor'],
      Users: ['court-clerk'],
    });
  });

  it('passes the TSA URL to the anchor and its certificate to the anchor and the auditor', () => {
    const variables = (
      fn: typeof ledger.stack.anchorFunction | typeof ledger.stack.auditorFunction,
    ) =>
      (
        ledger.propertiesOf(ledger.id(fn.function)).Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    expect(variables(ledger.stack.anchorFunction).TSA_URL).toBe(TSA_URL);
    expect(variables(ledger.stack.anchorFunction).TSA_CERTIFICATE_PEM).toBe(TSA_CERTIFICATE_PEM);
    expect(variables(ledger.stack.auditorFunction).TSA_CERTIFICATE_PEM).toBe(TSA_CERTIFICATE_PEM);
  });
});
